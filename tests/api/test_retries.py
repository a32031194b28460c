"""Every retry gets the original answer (issue 12, item 8): a request whose first try timed out
because the only worker was down, and two identical requests sent at the same moment, are answered
with the first response byte for byte, and record their decision once.

Runs on the Temporal dev server with a real worker of the engine that the test stops and starts.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

import api.commands
from api.app import create_app
from schemas.roles import Role
from settings import Settings
from tests.api.cast import COUNCIL_ID, IDEA, Cast, make_cast
from tests.api.harness import Api, Caller
from tests.factories import THANH_HOA
from worker import build_worker

pytestmark = pytest.mark.slow

PAIRS = 20
# How long a request waits for the engine while the worker is down (the API's own is 30 s).
SHORT_WAIT = 2.0


class SwitchableWorker:
    """The engine's worker on the test's task queue, stopped and started by the test."""

    def __init__(self, client: Client, pool: asyncpg.Pool, task_queue: str) -> None:
        self._client, self._pool, self.task_queue = client, pool, task_queue
        self._worker: Worker | None = None
        self._running: asyncio.Task[None] | None = None

    async def start(self) -> None:
        assert self._worker is None
        self._worker = build_worker(self._client, self._pool, self.task_queue)
        self._running = asyncio.create_task(self._worker.run())

    async def stop(self) -> None:
        assert self._worker is not None
        assert self._running is not None
        await self._worker.shutdown()
        await self._running
        self._worker, self._running = None, None


@dataclass
class Engine:
    api: Api
    worker: SwitchableWorker


@pytest.fixture
async def engine(dev_server: WorkflowEnvironment, store_pool: asyncpg.Pool) -> AsyncIterator[Engine]:
    env = dev_server
    worker = SwitchableWorker(env.client, store_pool, f"retries-{uuid.uuid4().hex[:8]}")
    await worker.start()
    try:
        app = create_app(Settings(task_queue=worker.task_queue), temporal_client=env.client, pool=store_pool)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ocop.test") as http,
        ):
            yield Engine(Api(http, store_pool, env), worker)
    finally:
        if worker._worker is not None:
            await worker.stop()


@pytest.fixture
async def cast(engine: Engine) -> Cast:
    return await make_cast(engine.api)


async def events_with_key(api: Api, key: str, *, prefix: bool = False) -> int:
    """Events recorded under ``key`` (with ``prefix``, also under keys derived from it)."""
    count: int = await api.pool.fetchval(
        "SELECT count(*) FROM events WHERE idempotency_key = $1 OR ($2 AND idempotency_key LIKE $1 || '/%')",
        key,
        prefix,
    )
    return count


def kept(response: httpx.Response) -> tuple[int, bytes, str | None]:
    """What a retry must repeat: the status, the body's bytes and the kept header."""
    return response.status_code, response.content, response.headers.get("location")


def council_body(council_id: str, cast: Cast) -> dict[str, Any]:
    return {
        "council_id": council_id,
        "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa",
        "level": "province",
        "jurisdiction": str(THANH_HOA),
        "seats": cast.roster["seats"],
        "extra_rounds_allowed": True,  # rounds off the calendar (Art. 5)
        "reason": "Quyết định số 12/QĐ-UBND",
    }


def round_body(round_id: str, today: date) -> dict[str, Any]:
    return {
        "round_id": round_id,
        "name": f"Đợt {round_id}",
        "council_id": COUNCIL_ID,
        "cut_off": (today + timedelta(days=3)).isoformat(),
        "meeting_date": (today + timedelta(days=7)).isoformat(),
    }


async def appoint(cast: Cast) -> None:
    appointed = await cast.provincial_officer.post("/v1/councils", council_body(COUNCIL_ID, cast))
    assert appointed.status_code == 201, appointed.text


async def put(caller: Caller, path: str, body: Any, key: str) -> httpx.Response:
    return await caller.http.put(path, headers={**caller.auth, "Idempotency-Key": key}, json=body)


# -- the first try timed out while the only worker was down ------------------------------------


async def until(check: Callable[[], Awaitable[bool]], seconds: float = 30.0) -> bool:
    for _ in range(int(seconds / 0.1)):
        if await check():
            return True
        await asyncio.sleep(0.1)
    return False


async def test_a_round_opened_while_the_worker_is_down_answers_its_retry_with_the_receipt(
    engine: Engine, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    await appoint(cast)
    officer = cast.provincial_officer
    body = round_body("R-DOWN-1", date.fromisoformat(await cast.today()))
    key = str(uuid.uuid4())
    await engine.worker.stop()
    monkeypatch.setattr(api.commands, "COMMAND_TIMEOUT", SHORT_WAIT)
    timed_out = await officer.post("/v1/rounds", body, key=key)
    assert timed_out.status_code == 504, timed_out.text

    await engine.worker.start()

    async def opened() -> bool:
        return (await officer.get("/v1/rounds/R-DOWN-1")).status_code == 200

    # The engine carries the step out once the worker is back, as it promised the caller.
    assert await until(opened)
    retried = await officer.post("/v1/rounds", body, key=key)
    assert retried.status_code == 201, retried.text
    assert retried.json()["event_types"] == ["round_opened"]
    assert retried.headers["location"] == "/v1/rounds/R-DOWN-1"
    again = await officer.post("/v1/rounds", body, key=key)
    assert kept(again) == kept(retried)
    assert await events_with_key(engine.api, key) == 1
    # Another key for the same round is still refused: it is open already.
    other = await officer.post("/v1/rounds", body)
    assert (other.status_code, other.json()["code"]) == (409, "WrongState")


async def test_a_journey_step_given_while_the_worker_is_down_answers_its_retry_with_the_receipt(
    engine: Engine, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    journey_id = await cast.register()
    path = f"/v1/journeys/{journey_id}/accept-idea"
    key = str(uuid.uuid4())
    await engine.worker.stop()
    monkeypatch.setattr(api.commands, "COMMAND_TIMEOUT", SHORT_WAIT)
    timed_out = await cast.commune_officer.post(path, {"reason": "đủ điều kiện"}, key=key)
    assert timed_out.status_code == 504, timed_out.text

    await engine.worker.start()
    retried = await cast.commune_officer.post(path, {"reason": "đủ điều kiện"}, key=key)
    assert retried.status_code == 200, retried.text
    assert retried.json()["event_types"] == ["idea_accepted"]
    again = await cast.commune_officer.post(path, {"reason": "đủ điều kiện"}, key=key)
    assert kept(again) == kept(retried)
    assert await events_with_key(engine.api, key) == 1
    assert (await cast.producer.get(f"/v1/journeys/{journey_id}")).json()["version"] == 2


async def test_a_conflict_declared_while_the_worker_is_down_answers_its_retry_with_the_receipt(
    engine: Engine, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A declared conflict reaches the journey the council evaluates through its workflow."""
    await appoint(cast)
    today = date.fromisoformat(await cast.today())
    officer = cast.provincial_officer
    assert (await officer.post("/v1/rounds", round_body("R-DOWN-2", today))).status_code == 201
    journey_id = await cast.to_awaiting_round()
    enrolled = await officer.post("/v1/rounds/R-DOWN-2/enrollments", {"journey_id": journey_id})
    assert enrolled.status_code == 200, enrolled.text
    path = f"/v1/councils/{COUNCIL_ID}/conflicts"
    body = {"member_id": cast.member.id, "journey_id": journey_id}
    key = str(uuid.uuid4())
    await engine.worker.stop()
    monkeypatch.setattr(api.commands, "COMMAND_TIMEOUT", SHORT_WAIT)
    timed_out = await asyncio.wait_for(cast.member.post(path, body, key=key), timeout=3 * SHORT_WAIT)
    assert timed_out.status_code == 504, timed_out.text

    await engine.worker.start()
    retried = await cast.member.post(path, body, key=key)
    assert retried.status_code == 200, retried.text
    assert retried.json()["event_types"] == ["conflict_declared"]
    again = await cast.member.post(path, body, key=key)
    assert kept(again) == kept(retried)
    assert await events_with_key(engine.api, key) == 1
    journey = (await officer.get(f"/v1/journeys/{journey_id}")).json()
    assert journey["evaluation"]["council"]["conflicts"] == [cast.member.id]


# -- two identical requests at the same moment --------------------------------------------------


async def same_moment(
    send: Callable[..., Awaitable[httpx.Response]], *args: Any, **kwargs: Any
) -> tuple[httpx.Response, httpx.Response]:
    """Send the same request twice at once."""
    first, second = await asyncio.gather(send(*args, **kwargs), send(*args, **kwargs))
    return first, second


def assert_one_answer(first: httpx.Response, second: httpx.Response, status: int) -> None:
    assert (first.status_code, second.status_code) == (status, status), (first.text, second.text)
    assert kept(first) == kept(second)


async def test_two_identical_council_appointments_at_once_get_one_answer(engine: Engine, cast: Cast) -> None:
    officer = cast.provincial_officer
    for pair in range(PAIRS):
        key, body = str(uuid.uuid4()), council_body(f"HD-PAIR-{pair}", cast)
        first, second = await same_moment(officer.post, "/v1/councils", body, key=key)
        assert_one_answer(first, second, 201)
        assert await events_with_key(engine.api, key) == 1
        assert kept(await officer.post("/v1/councils", body, key=key)) == kept(first)


async def test_two_identical_conflict_declarations_at_once_get_one_answer(engine: Engine, cast: Cast) -> None:
    await appoint(cast)
    path = f"/v1/councils/{COUNCIL_ID}/conflicts"
    for _ in range(PAIRS):
        key, body = str(uuid.uuid4()), {"member_id": cast.member.id, "journey_id": await cast.register()}
        first, second = await same_moment(cast.member.post, path, body, key=key)
        assert_one_answer(first, second, 200)
        assert first.json()["event_types"] == ["conflict_declared"]
        assert await events_with_key(engine.api, key) == 1
    council = (await cast.member.get(f"/v1/councils/{COUNCIL_ID}")).json()["council"]
    assert len(council["conflicts"]) == PAIRS


async def test_two_identical_plans_at_once_get_one_answer(engine: Engine, cast: Cast) -> None:
    officer = cast.provincial_officer
    year = date.fromisoformat(await cast.today()).year
    for pair in range(PAIRS):
        # The same province's plan, revised each time: each revision is one event.
        key, body = str(uuid.uuid4()), {"targets": {"3": 100 + pair, "4": 20, "5": 3}}
        first, second = await same_moment(put, officer, f"/v1/plans/38/{year}", body, key)
        assert_one_answer(first, second, 200)
        assert first.json()["stream_version"] == pair + 1
        assert await events_with_key(engine.api, key) == 1


async def test_two_identical_actor_creations_at_once_get_one_answer(engine: Engine) -> None:
    admin = await engine.api.actor(Role.ADMINISTRATOR, str(THANH_HOA))
    for pair in range(PAIRS):
        key = str(uuid.uuid4())
        body = {"role": "auditor", "jurisdiction": str(THANH_HOA), "id": f"auditor-pair-{pair}"}
        first, second = await same_moment(admin.post, "/v1/actors", body, key=key)
        assert (first.status_code, second.status_code) == (201, 201), (first.text, second.text)
        # The token is shown once, to the request that made it; the other answer is the kept one.
        made, kept_answer = sorted((first, second), key=lambda r: r.headers.get("idempotent-replayed", ""))
        assert kept_answer.headers["idempotent-replayed"] == "true"
        assert made.json()["token"]
        assert kept_answer.json()["token"] is None
        assert {**made.json(), "token": None} == kept_answer.json()
        assert kept(await admin.post("/v1/actors", body, key=key)) == kept(kept_answer)
        rows = await engine.api.pool.fetchval("SELECT count(*) FROM actors WHERE actor_id = $1", body["id"])
        assert rows == 1


async def test_two_identical_round_openings_at_once_get_one_answer(engine: Engine, cast: Cast) -> None:
    await appoint(cast)
    today = date.fromisoformat(await cast.today())
    for pair in range(PAIRS):
        key, body = str(uuid.uuid4()), round_body(f"R-PAIR-{pair}", today)
        first, second = await same_moment(cast.provincial_officer.post, "/v1/rounds", body, key=key)
        assert_one_answer(first, second, 201)
        assert await events_with_key(engine.api, key) == 1


async def test_two_identical_journey_steps_at_once_get_one_answer(engine: Engine, cast: Cast) -> None:
    for _ in range(PAIRS):
        key = str(uuid.uuid4())
        registered = await same_moment(cast.producer.post, "/v1/journeys", IDEA, key=key)
        assert_one_answer(*registered, 201)
        assert await events_with_key(engine.api, key) == 1
        journey_id = registered[0].json()["journey_id"]
        key = str(uuid.uuid4())
        path = f"/v1/journeys/{journey_id}/accept-idea"
        accepted = await same_moment(cast.commune_officer.post, path, {}, key=key)
        assert_one_answer(*accepted, 200)
        assert await events_with_key(engine.api, key) == 1
    listed = await cast.producer.get("/v1/journeys", limit=200)
    assert len(listed.json()["items"]) == PAIRS
