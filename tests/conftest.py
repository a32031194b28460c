"""Shared fixtures: every test that needs PostgreSQL gets a database of its own, created on the
machine's PostgreSQL service and dropped afterwards; every test that needs Temporal gets a
time-skipping test server of its own (``time_skipping``). Fixtures live here, never imported
from another test package's conftest."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from store.db import create_pool
from store.events import EventStore
from store.migrations import migrate
from tests.workflows.harness import TEST_SERVER

# The document store of every app a test makes: a directory of this run's own, never the user's
# data directory (Settings reads it from the environment).
os.environ.setdefault("OCOP_DOCUMENTS_DIR", tempfile.mkdtemp(prefix="ocop-test-documents-"))

ADMIN_URL = os.environ.get("OCOP_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


async def create_database() -> tuple[str, str]:
    """Create an empty database; return its name and URL."""
    name = f"ocop_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name, _with_database(ADMIN_URL, name)


async def drop_database(name: str) -> None:
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture
async def database_url() -> AsyncIterator[str]:
    """URL of a fresh, empty database (no migrations applied)."""
    name, url = await create_database()
    try:
        yield url
    finally:
        await drop_database(name)


@pytest.fixture
async def migrated_database_url(database_url: str) -> str:
    """URL of a fresh database with every migration applied."""
    await migrate(database_url)
    return database_url


@pytest.fixture
async def store_pool(migrated_database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A store connection pool (canonical JSON codec) on a migrated database."""
    db_pool = await create_pool(migrated_database_url, min_size=1, max_size=25)
    try:
        yield db_pool
    finally:
        await db_pool.close()


@pytest.fixture
def event_store(store_pool: asyncpg.Pool) -> EventStore:
    """An EventStore on a fresh, migrated database."""
    return EventStore(store_pool)


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
