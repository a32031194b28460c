"""Temporal's own servers from PyPI for workflow tests (the database fixtures are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from tests.workflows.harness import TEST_SERVER


@pytest.fixture
async def time_skipping() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping test server of the test's own: skipped time does not leak into other tests."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
    )
    try:
        yield env
    finally:
        await env.shutdown()
