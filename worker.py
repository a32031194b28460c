"""The worker: connects to Temporal and PostgreSQL, registers the workflows and activities, runs.

Stops gracefully on SIGTERM or SIGINT: it stops polling, lets running activities finish (up to the
graceful-shutdown timeout), then closes the database pool; the process then leaves without the
interpreter's teardown (``leave_process``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import NoReturn

import asyncpg
import structlog
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

import metrics
from activities.certificates import CertificateNumbers
from activities.numbering import Numbering
from activities.recording import Recording
from activities.rounds import RoundActivities
from heap import settle_startup_heap
from settings import Settings
from store import EventStore, create_pool, migrate
from workflows.client import connect_temporal
from workflows.journey import ProductJourney
from workflows.round import EvaluationRound

log = structlog.get_logger(__name__)

WORKFLOWS: Sequence[type] = (ProductJourney, EvaluationRound)
# Pure, deterministic libraries the lifecycle uses; they import more of themselves lazily (holidays
# loads its country calendars and dateutil on first use), which the sandbox would otherwise refuse.
# The workflow modules themselves are passed through too: the sandbox would otherwise run
# workflows/journey.py again for every new workflow, and defining ProductJourney (one update per
# action, each inspected by the SDK) cost 13 of the worker's 34 CPU ms per imported journey
# (bench/import.py, issue 22). Their determinism rests on their own rules, as the lifecycle's
# does (workflow.now, no I/O, activities for side effects), and the replay tests check it.
WORKFLOW_MODULES = ("workflows.journey", "workflows.round")
LIBRARIES = ("holidays", "dateutil", "vietnam_provinces", "pydantic", "pydantic_core")
PASSTHROUGH_MODULES: tuple[str, ...] = (*LIBRARIES, *WORKFLOW_MODULES)
GRACEFUL_SHUTDOWN = timedelta(seconds=15)


def workflow_runner() -> SandboxedWorkflowRunner:
    """The sandbox every worker and replayer of this engine runs workflows in."""
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH_MODULES)
    )


def build_worker(client: Client, pool: asyncpg.Pool, task_queue: str) -> Worker:
    """The worker with every workflow and activity of the engine."""
    store = EventStore(pool)
    recording = Recording(store)
    rounds = RoundActivities(client, store)
    numbering = Numbering(pool)
    certificates = CertificateNumbers(pool)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=list(WORKFLOWS),
        activities=[
            recording.record_journey_events,
            recording.record_round_events,
            certificates.assign_certificate_number,
            rounds.load_council,
            rounds.round_journeys,
            rounds.enrol_journey,
            rounds.carry_over_journey,
            numbering.allocate_numbers,
        ],
        workflow_runner=workflow_runner(),
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
    )


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    """A migrated database pool, closed on exit."""
    if not settings.database_url:
        raise RuntimeError("OCOP_DATABASE_URL is not set (or run `ocop dev`, which embeds PostgreSQL)")
    await migrate(settings.database_url)
    pool = await create_pool(settings.database_url, settings.db_pool_min, settings.db_pool_max)
    try:
        yield pool
    finally:
        await pool.close()


@asynccontextmanager
async def worker_metrics(settings: Settings, temporal: metrics.TemporalMetrics | None) -> AsyncIterator[None]:
    """The worker's /metrics on ``worker_metrics_port`` while the worker runs (none when unset)."""
    if settings.worker_metrics_port is None or temporal is None:
        yield
        return
    metrics.REGISTRY.register(temporal)
    server = await metrics.serve(settings.worker_metrics_host, settings.worker_metrics_port)
    draining = asyncio.create_task(temporal.drain_forever())
    try:
        yield
    finally:
        draining.cancel()
        server.close()
        await server.wait_closed()
        metrics.REGISTRY.unregister(temporal)


async def run_worker(settings: Settings) -> None:
    """Run until SIGTERM/SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await serve_worker(settings, stop)


async def serve_worker(settings: Settings, stop: asyncio.Event) -> None:
    """Run the worker, and its /metrics when a port is set, until ``stop`` is set."""
    temporal = metrics.TemporalMetrics() if settings.worker_metrics_port is not None else None
    client = await connect_temporal(settings, temporal.runtime() if temporal is not None else None)
    async with database(settings) as pool, worker_metrics(settings, temporal):
        worker = build_worker(client, pool, settings.task_queue)
        settle_startup_heap()
        log.info("worker_started", task_queue=settings.task_queue, namespace=settings.temporal_namespace)
        async with worker:
            await stop.wait()
            log.info("worker_stopping")
    log.info("worker_stopped")


def leave_process(code: int) -> NoReturn:
    """Flush the logs and the standard streams, then end the process with ``code`` at once, without
    the interpreter's teardown.

    Temporal's Rust core keeps runtime threads of its own that can still call into Python while the
    interpreter finalizes, which aborts the process (``Fatal Python error: PyGILState_Release …
    finalizing``, exit -6: temporalio/sdk-python issue 300; 1.35 still has it). Called once
    everything the process owned is closed (the worker drained, the pool and the servers closed),
    so nothing is lost by skipping the teardown."""
    logging.shutdown()  # flushes and closes every handler (structlog writes through them)
    for stream in (sys.stdout, sys.stderr):
        # A closed or broken stream: nothing more can be written to it anyway.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def main(settings: Settings) -> NoReturn:
    """Run the worker until SIGTERM/SIGINT, then leave (exit 0)."""
    asyncio.run(run_worker(settings))
    leave_process(0)
