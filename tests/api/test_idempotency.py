"""The Idempotency-Key: a retry gets the same response and one set of events; the same key with
another body (or from another caller) is a conflict."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import httpx
import pytest

from api import commands, idempotency
from api.commands import receipt_from_log
from api.engine import Engine
from api.idempotency import body_hash
from schemas.api import ACTION_BODIES
from schemas.roles import Role
from settings import Settings
from tests.api.cast import COUNCIL_ID, IDEA, Cast, upload_pdf
from tests.api.harness import Api
from tests.api.test_councils_rounds_plans import ROUND_1, council_body, put, round_body


async def events_with_key(api: Api, key: str) -> int:
    count: int = await api.pool.fetchval("SELECT count(*) FROM events WHERE idempotency_key = $1", key)
    return count


async def test_a_retried_registration_finds_the_same_journey(api: Api, cast: Cast) -> None:
    key = str(uuid.uuid4())
    first = await cast.producer.post("/v1/journeys", IDEA, key=key)
    again = await cast.producer.post("/v1/journeys", IDEA, key=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await events_with_key(api, key) == 1
    listed = (await cast.producer.get("/v1/journeys")).json()["items"]
    assert len(listed) == 1
    # Another key is another idea: another journey.
    other = await cast.producer.post("/v1/journeys", IDEA)
    assert other.json()["journey_id"] != first.json()["journey_id"]


async def test_the_same_key_twice_records_one_event_and_answers_the_same(api: Api, cast: Cast) -> None:
    journey_id = await cast.register()
    await cast.commune_officer.act(journey_id, "accept-idea")
    key = str(uuid.uuid4())
    body = {"document": await upload_pdf(cast.producer, journey_id, "plan")}
    path = f"/v1/journeys/{journey_id}/submit-plan"
    # Two at once, then one more: Temporal runs the update once, the log records it once.
    first, second = await asyncio.gather(
        cast.producer.post(path, body, key=key), cast.producer.post(path, body, key=key)
    )
    third = await cast.producer.post(path, body, key=key)
    assert {first.status_code, second.status_code, third.status_code} == {200}
    assert first.json() == second.json() == third.json()
    assert third.content in (first.content, second.content)
    assert await events_with_key(api, key) == 1
    assert (await cast.producer.get(f"/v1/journeys/{journey_id}")).json()["version"] == 3


async def test_the_same_key_with_another_body_or_caller_is_a_conflict(api: Api, cast: Cast) -> None:
    journey_id = await cast.register()
    key = str(uuid.uuid4())
    await cast.commune_officer.act(journey_id, "accept-idea", {"reason": "đủ điều kiện"}, key=key)
    events = await api.event_count()
    other_body = await cast.commune_officer.post(
        f"/v1/journeys/{journey_id}/accept-idea", {"reason": "khác"}, key=key
    )
    assert other_body.status_code == 409
    assert other_body.json()["code"] == "IdempotencyKeyReused"
    other_path = await cast.producer.post(f"/v1/journeys/{journey_id}/withdraw", key=key)
    assert other_path.status_code == 409
    other_caller = await cast.provincial_officer.post(
        f"/v1/journeys/{journey_id}/accept-idea", {"reason": "đủ điều kiện"}, key=key
    )
    assert other_caller.status_code == 409
    assert await api.event_count() == events


async def test_a_refused_request_leaves_its_key_free(api: Api, cast: Cast) -> None:
    journey_id = await cast.register()
    key = str(uuid.uuid4())
    plan = {"document": await upload_pdf(cast.producer, journey_id, "plan")}
    too_early = await cast.producer.post(f"/v1/journeys/{journey_id}/submit-plan", plan, key=key)
    assert too_early.status_code == 409
    await cast.commune_officer.act(journey_id, "accept-idea")
    later = await cast.producer.post(f"/v1/journeys/{journey_id}/submit-plan", plan, key=key)
    assert later.status_code == 200


async def test_a_retry_after_the_journey_closed_gets_the_same_answer(api: Api, cast: Cast) -> None:
    journey_id = await cast.register()
    key = str(uuid.uuid4())
    withdrawn = await cast.producer.act(journey_id, "withdraw", key=key)
    assert withdrawn["state"]["status"] == "WITHDRAWN"
    handle = api.env.client.get_workflow_handle(f"journey-{journey_id}")
    await handle.result()  # the workflow has closed
    again = await cast.producer.post(f"/v1/journeys/{journey_id}/withdraw", key=key)
    assert again.status_code == 200
    assert again.json() == withdrawn

    # Had the API died before keeping the response, the retry still gets the step's receipt: from
    # Temporal (which keeps a closed workflow's update outcomes until retention), else from the log.
    await api.pool.execute("DELETE FROM api_requests WHERE idempotency_key = $1", uuid.UUID(key))
    retried = await cast.producer.post(f"/v1/journeys/{journey_id}/withdraw", key=key)
    assert retried.status_code == 200, retried.text
    assert {**retried.json(), "replayed": False} == withdrawn
    engine = Engine(Settings(), pool=api.pool)
    from_log = await receipt_from_log(engine, journey_id, uuid.UUID(key))
    assert from_log is not None
    assert from_log.model_dump(mode="json") == {**withdrawn, "replayed": True}
    assert await receipt_from_log(engine, journey_id, uuid.uuid4()) is None
    assert await events_with_key(api, key) == 1


# -- a response lost after the decision was recorded, and claims left by a process that died ----


async def forget_response(api: Api, key: str) -> None:
    """As if the API process died after the decision was recorded, before it kept its response."""
    await api.pool.execute("DELETE FROM api_requests WHERE idempotency_key = $1", uuid.UUID(key))


async def test_a_lost_response_is_rebuilt_from_the_log_not_refused(api: Api, cast: Cast) -> None:
    """A council, a conflict, a plan and a round recorded once: a retry whose first answer never
    reached the request log gets the first receipt again (a council or plan receipt says it was
    replayed), instead of "exists already" or an empty receipt; nothing is recorded twice."""
    officer = cast.provincial_officer
    today = date.fromisoformat(await cast.today())
    council_key, council = str(uuid.uuid4()), council_body(cast)
    appointed = await officer.post("/v1/councils", council, key=council_key)
    assert appointed.status_code == 201, appointed.text
    conflict = {"member_id": cast.member.id, "journey_id": await cast.register()}
    conflict_key = str(uuid.uuid4())
    declared = await cast.member.post(f"/v1/councils/{COUNCIL_ID}/conflicts", conflict, key=conflict_key)
    assert declared.status_code == 200, declared.text
    plan_key, plan = str(uuid.uuid4()), {"targets": {"3": 137, "4": 20, "5": 3}}
    planned = await put(officer, f"/v1/plans/38/{today.year}", plan, plan_key)
    assert planned.status_code == 200, planned.text
    round_key, round_ = str(uuid.uuid4()), round_body(ROUND_1, "Đợt 1", today)
    opened = await officer.post("/v1/rounds", round_, key=round_key)
    assert opened.status_code == 201, opened.text
    events = await api.event_count()

    for key in (council_key, conflict_key, plan_key, round_key):
        await forget_response(api, key)
    again = {
        "council": await officer.post("/v1/councils", council, key=council_key),
        "conflict": await cast.member.post(
            f"/v1/councils/{COUNCIL_ID}/conflicts", conflict, key=conflict_key
        ),
        "plan": await put(officer, f"/v1/plans/38/{today.year}", plan, plan_key),
        "round": await officer.post("/v1/rounds", round_, key=round_key),
    }
    for first, retried in [
        (appointed, again["council"]),
        (declared, again["conflict"]),
        (planned, again["plan"]),
    ]:
        assert retried.status_code == first.status_code, retried.text
        assert retried.json() == {**first.json(), "replayed": True}
    # The round's receipt is the one its workflow gave, byte for byte: the same events folded alike.
    assert (again["round"].status_code, again["round"].content) == (201, opened.content)
    assert again["round"].headers["location"] == opened.headers["location"]
    assert await api.event_count() == events
    # Another key is still refused as before.
    assert (await officer.post("/v1/councils", council)).status_code == 409
    assert (await officer.post("/v1/rounds", round_)).status_code == 409


async def test_a_request_waits_for_its_twin_and_answers_with_its_response(
    api: Api, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key claimed by a request still in progress: the retry waits for that request's response;
    a claim whose lease ran out (its process died) is taken over and the work carried out."""
    journey_id = await cast.register()
    path = f"/v1/journeys/{journey_id}/accept-idea"
    officer = cast.commune_officer
    fingerprint = body_hash(ACTION_BODIES["accept-idea"].model_validate({}))

    async def claimed_elsewhere(key: uuid.UUID) -> None:
        """The key claimed just now by a request in another API process."""
        await api.pool.execute(
            """INSERT INTO api_requests (idempotency_key, actor_id, method, path, body_hash, created_at)
            VALUES ($1, $2, 'POST', $3, $4, now())""",
            key,
            officer.id,
            path,
            fingerprint,
        )

    key = uuid.uuid4()
    await claimed_elsewhere(key)
    waiting = asyncio.create_task(officer.post(path, {}, key=str(key)))
    await asyncio.sleep(0.5)
    assert not waiting.done()  # it does not carry the work out beside the first
    await api.pool.execute(
        """UPDATE api_requests SET status = 200, response_body = $2, response_headers = '{}'
        WHERE idempotency_key = $1""",
        key,
        b'{"kept":"the first answer"}',
    )
    answered = await asyncio.wait_for(waiting, timeout=5)
    assert (answered.status_code, answered.content) == (200, b'{"kept":"the first answer"}')
    assert answered.headers["idempotent-replayed"] == "true"
    assert await events_with_key(api, str(key)) == 0

    # A claim left behind by a process that died: taken over once its lease has run out.
    monkeypatch.setattr(idempotency, "WORK_MARGIN", 0.2)
    monkeypatch.setattr(commands, "COMMAND_TIMEOUT", 1.0)
    key = uuid.uuid4()
    await claimed_elsewhere(key)
    started = asyncio.get_running_loop().time()
    taken_over = await officer.post(path, {}, key=str(key))
    assert taken_over.status_code == 200, taken_over.text
    assert asyncio.get_running_loop().time() - started >= idempotency.claim_lease() - 0.1
    assert taken_over.json()["event_types"] == ["idea_accepted"]
    assert await events_with_key(api, str(key)) == 1
    again = await officer.post(path, {}, key=str(key))
    assert (again.status_code, again.content) == (200, taken_over.content)


async def test_an_actor_whose_creation_answer_was_lost_is_answered_without_its_token(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "38")
    key, body = str(uuid.uuid4()), {"role": "auditor", "jurisdiction": "38"}
    created = await admin.post("/v1/actors", body, key=key)
    assert created.status_code == 201, created.text
    await forget_response(api, key)
    retried = await admin.post("/v1/actors", body, key=key)
    assert retried.status_code == 201, retried.text
    assert retried.json() == {**created.json(), "token": None}
    assert kept_of(await admin.post("/v1/actors", body, key=key)) == kept_of(retried)
    # An id the caller names is theirs to keep unique: another request naming it is refused.
    named = {**body, "id": created.json()["id"]}
    assert (await admin.post("/v1/actors", named)).status_code == 409


def kept_of(response: httpx.Response) -> tuple[int, bytes, str | None]:
    return response.status_code, response.content, response.headers.get("location")
