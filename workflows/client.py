"""The engine's Temporal client: how the worker, the API, the CLI and the dev stack connect to the
workflows (not workflow code: never imported by a workflow)."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import Runtime

from settings import Settings


async def connect_temporal(settings: Settings, runtime: Runtime | None = None) -> Client:
    """A Temporal client that speaks pydantic, as every client of this engine must (on ``runtime``:
    the worker's, whose SDK metrics go to its /metrics; unset, the SDK's default runtime)."""
    if not settings.temporal_address:
        raise RuntimeError("TEMPORAL_ADDRESS is not set (or run `ocop dev`, which starts a dev server)")
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
        runtime=runtime,
    )
