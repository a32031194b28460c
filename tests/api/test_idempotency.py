"""The Idempotency-Key: a retry gets the same response and one set of events; the same key with
another body (or from another caller) is a conflict."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from api.commands import receipt_from_log
from api.engine import Engine
from settings import Settings
from tests.api.cast import IDEA, Cast, make_cast
from tests.api.conftest import Api


@pytest.fixture
async def cast(api: Api) -> Cast:
    return await make_cast(api)


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
    body = {"document": "sha256:plan"}
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
    too_early = await cast.producer.post(f"/v1/journeys/{journey_id}/submit-plan", {"document": "p"}, key=key)
    assert too_early.status_code == 409
    await cast.commune_officer.act(journey_id, "accept-idea")
    later = await cast.producer.post(f"/v1/journeys/{journey_id}/submit-plan", {"document": "p"}, key=key)
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
