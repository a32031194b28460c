"""Property-based run of schemathesis over the API's own OpenAPI document: generated requests
(valid and invalid) never get a 5xx, and every response matches the documented status, media type
and schema.

schemathesis calls the ASGI app in an event loop of its own (its portal thread), where the app's
lifespan opens its own database pool and Temporal client. The engine behind it — the time-skipping
test server, a migrated database and a worker — runs in another thread with its own loop.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import (  # looked up by name (module __getattr__)
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.python import asgi
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from api.access import parse_jurisdiction
from api.app import create_app
from schemas.commands import ImportCertified
from schemas.log import Actor
from schemas.roles import Role
from schemas.rulebook import Level
from settings import Settings
from store import create_pool, migrate
from store.actors import ActorStore
from tests.conftest import create_database, drop_database
from tests.factories import HAC_THANH, THANH_HOA
from tests.workflows.harness import TEST_SERVER, TemporalJourney
from worker import build_worker

MAX_EXAMPLES = 8
EXAMPLE_JOURNEY = "5b0c1f0e-6f2e-5d43-9a3c-0c1b2d3e4f50"  # the example of api.deps.JourneyId
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class LiveEngine:
    database_url: str
    temporal_address: str
    task_queue: str
    producer_token: str
    auditor_token: str


class EngineThread(threading.Thread):
    """The engine behind the API, in a thread and event loop of its own, until stopped."""

    def __init__(self) -> None:
        super().__init__(name="ocop-engine", daemon=True)
        self.ready = threading.Event()
        self.engine: LiveEngine | None = None
        self.error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._halt: asyncio.Event | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to the fixture, which fails the test with it
            self.error = exc
            self.ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._halt = asyncio.Event()
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
        )
        name, url = await create_database()
        try:
            await migrate(url)
            pool = await create_pool(url, min_size=1, max_size=5)
            try:
                actors = ActorStore(pool)
                tokens = [
                    (await actors.add(f"{role.value}-1", role.value, place.kind.value, place.value))[1]
                    for role, place in (
                        (Role.PRODUCER, parse_jurisdiction(Role.PRODUCER, "38")),
                        (Role.AUDITOR, parse_jurisdiction(Role.AUDITOR, "VN")),
                    )
                ]
                task_queue = f"schemathesis-{uuid.uuid4().hex[:8]}"
                async with build_worker(env.client, pool, task_queue):
                    # The journey the documented examples name exists: they reach its workflow.
                    await TemporalJourney(env.client, task_queue, EXAMPLE_JOURNEY).start(
                        ImportCertified(
                            actor=Actor(id="admin-1", role="administrator"),
                            journey_id=EXAMPLE_JOURNEY,
                            producer_id="producer-1",
                            product_name="Nem chua Thanh Hóa",
                            product_group="food",
                            province_code=THANH_HOA,
                            commune_code=HAC_THANH,
                            rulebook_id="qd148-2023",
                            level=Level.PROVINCE,
                            stars=4,
                            decision_number="QĐ 1234/QĐ-UBND",
                            decision_date=date(2024, 5, 20),
                        )
                    )
                    self.engine = LiveEngine(
                        database_url=url,
                        temporal_address=env.client.service_client.config.target_host,
                        task_queue=task_queue,
                        producer_token=tokens[0],
                        auditor_token=tokens[1],
                    )
                    self.ready.set()
                    await self._halt.wait()
            finally:
                await pool.close()
        finally:
            await drop_database(name)
            await env.shutdown()

    def stop(self) -> None:
        if self._loop is not None and self._halt is not None:
            self._loop.call_soon_threadsafe(self._halt.set)
        self.join(timeout=60)


# The app schemathesis calls. Its settings are filled in once the engine runs (live_engine): the
# engine connects lazily, on the first request, in schemathesis's loop. (schemathesis's lazy
# fixture loading does not work with this pytest, so the schema is loaded here, from the app.)
APP = create_app(Settings(temporal_address=None, database_url=None))
schema = schemathesis.openapi.from_dict(APP.openapi())
schema.app = APP
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=MAX_EXAMPLES
)
# The documented examples and random requests; the coverage phase's thousands of boundary cases
# would take minutes.
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture(scope="module")
def live_engine() -> Iterator[LiveEngine]:
    thread = EngineThread()
    thread.start()
    thread.ready.wait(timeout=120)
    if thread.engine is None:
        thread.stop()
        raise RuntimeError("the engine did not start") from thread.error
    engine = thread.engine
    APP.state.engine.settings = Settings(
        database_url=engine.database_url,
        temporal_address=engine.temporal_address,
        task_queue=engine.task_queue,
        db_pool_max=5,
    )
    try:
        yield engine
    finally:
        # The app's lifespan (its pool and client) ends before the database and the server go.
        asgi.shutdown_lifespans()
        thread.stop()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_generated_requests_get_documented_answers(
    case: schemathesis.Case[Any], live_engine: LiveEngine
) -> None:
    # Commands as a producer (registrations go through to the journey); reads as a national auditor.
    token = live_engine.producer_token if case.method == "POST" else live_engine.auditor_token
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
