"""Temporal's own servers from PyPI and a migrated database for workflow tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from store import create_pool, migrate
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


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a fresh, migrated database."""
    await migrate(database_url)
    pool = await create_pool(database_url, 1, 5)
    try:
        yield pool
    finally:
        await pool.close()
