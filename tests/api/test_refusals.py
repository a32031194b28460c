"""Refused requests: outside one's rights (403), without a valid token (401), invalid input (422 or
413). Each says why, and records nothing: no event, no claimed Idempotency-Key."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import httpx

from schemas.roles import Role
from tests.api.cast import CHOICES_80, IDEA, ROUND_ID, SCORE_80, Cast, upload_pdf
from tests.api.harness import Api, Caller
from tests.factories import HAC_THANH, HOAN_KIEM, THANH_HOA

HA_NOI = 1


async def refused(
    api: Api, call: Callable[[], Awaitable[httpx.Response]], status: int, code: str | None = None
) -> dict[str, Any]:
    """``call`` is answered with ``status`` as problem+json, and nothing is recorded."""
    events, requests = await api.event_count(), await api.request_count()
    response = await call()
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert problem["detail"]
    assert problem["request_id"] == response.headers["x-request-id"]
    if code is not None:
        assert problem["code"] == code, problem
    assert await api.event_count() == events
    assert await api.request_count() == requests
    return problem


async def test_each_role_is_refused_a_command_it_may_not_give(api: Api, cast: Cast) -> None:
    journey_id = await cast.register()
    auditor = await api.actor(Role.AUDITOR, "VN")
    admin = await api.actor(Role.ADMINISTRATOR, "VN")
    attempts: list[tuple[Caller, str, dict[str, Any]]] = [
        (cast.producer, "accept-idea", {}),
        (cast.commune_officer, "withdraw", {}),
        (cast.provincial_officer, "submit-plan", {"document": "sha256:plan"}),
        (cast.chair, "accept-idea", {}),
        (cast.authority, "submit-scorecard", {"parts": SCORE_80}),
        (auditor, "withdraw", {}),
        (admin, "accept-idea", {}),
    ]
    for caller, action, body in attempts:
        problem = await refused(api, partial(caller.post, f"/v1/journeys/{journey_id}/{action}", body), 403)
        assert problem["code"] == "AccessDenied"
    # Registering is for producers only; importing for administrators only.
    await refused(api, lambda: cast.commune_officer.post("/v1/journeys", IDEA), 403, "AccessDenied")
    imported = {
        "producer_id": cast.producer.id,
        "product_name": "Nước mắm",
        "product_group": "food",
        "province_code": THANH_HOA,
        "commune_code": HAC_THANH,
        "rulebook_id": "qd148-2023",
        "level": "province",
        "stars": 4,
        "decision_number": "QĐ-1",
        "decision_date": "2024-05-20",
    }
    await refused(api, lambda: cast.producer.post("/v1/journeys/import", imported), 403, "AccessDenied")
    hanoi_admin = await api.actor(Role.ADMINISTRATOR, str(HA_NOI))
    await refused(api, lambda: hanoi_admin.post("/v1/journeys/import", imported), 403, "AccessDenied")
    # The domain refuses what the role table lets through: the wrong officer for this rulebook's intake.
    await refused(
        api, lambda: cast.provincial_officer.post(f"/v1/journeys/{journey_id}/accept-idea"), 403, "NotAllowed"
    )


async def test_another_province_or_commune_is_outside_ones_jurisdiction(api: Api, cast: Cast) -> None:
    journey_id = await cast.to_awaiting_round()
    hanoi_officer = await api.actor(Role.PROVINCIAL_OFFICER, str(HA_NOI))
    hanoi_commune = await api.actor(Role.COMMUNE_OFFICER, str(HOAN_KIEM))
    hanoi_auditor = await api.actor(Role.AUDITOR, str(HA_NOI))
    hanoi_authority = await api.actor(Role.RECOGNITION_AUTHORITY, str(HA_NOI))
    other_producer = await api.actor(Role.PRODUCER, str(THANH_HOA))
    await cast.open_round()
    await refused(
        api,
        lambda: hanoi_officer.post(f"/v1/rounds/{ROUND_ID}/enrollments", {"journey_id": journey_id}),
        403,
    )
    await refused(
        api,
        lambda: hanoi_commune.post(f"/v1/journeys/{journey_id}/return-dossier", {"missing_items": ["x"]}),
        403,
    )
    await refused(api, lambda: other_producer.post(f"/v1/journeys/{journey_id}/withdraw"), 403)
    for outsider in (hanoi_officer, hanoi_commune, hanoi_auditor, hanoi_authority, other_producer):
        for path in ("", "/history", "/state", "/verify"):
            await refused(api, partial(outsider.get, f"/v1/journeys/{journey_id}{path}"), 403)
        listed = await outsider.get("/v1/journeys")
        assert listed.status_code == 200
        assert listed.json()["items"] == []
    # Those whose jurisdiction holds it read it.
    for insider in (cast.commune_officer, cast.provincial_officer, cast.authority, cast.producer):
        assert (await insider.get(f"/v1/journeys/{journey_id}")).status_code == 200
        assert [j["journey_id"] for j in (await insider.get("/v1/journeys")).json()["items"]] == [journey_id]
    # A producer's filter cannot reach another producer's journeys.
    assert (await other_producer.get("/v1/journeys", producer=cast.producer.id)).json()["items"] == []


async def test_a_council_member_acts_and_reads_only_where_seated(api: Api, cast: Cast) -> None:
    journey_id = await cast.to_awaiting_round()
    outsider = await api.actor(Role.COUNCIL_MEMBER, str(THANH_HOA), "HD-OTHER-m1")
    await refused(api, lambda: outsider.get(f"/v1/journeys/{journey_id}"), 403)
    await cast.enrol(journey_id)
    # Not seated: the member may neither score nor read the journey.
    await refused(
        api,
        lambda: outsider.post(f"/v1/journeys/{journey_id}/submit-scorecard", {"parts": SCORE_80}),
        403,
        "AccessDenied",
    )
    await refused(api, lambda: outsider.get(f"/v1/journeys/{journey_id}"), 403)
    assert (await outsider.get("/v1/journeys")).json()["items"] == []
    # The secretary sits but does not score; a member who is not the chair does not finalize.
    await refused(
        api,
        lambda: cast.secretary.post(f"/v1/journeys/{journey_id}/submit-scorecard", {"parts": SCORE_80}),
        403,
        "SecretaryCannotScore",
    )
    assert (await cast.secretary.get(f"/v1/journeys/{journey_id}")).status_code == 200
    for member in cast.voting:
        await member.act(journey_id, "submit-scorecard", {"choices": CHOICES_80})
    await refused(api, lambda: cast.member.post(f"/v1/journeys/{journey_id}/finalize"), 403, "NotAllowed")


async def test_without_a_valid_token_nothing_is_answered_but_401(api: Api, cast: Cast) -> None:
    journey_id = await cast.register()
    key = {"Idempotency-Key": str(uuid.uuid4())}
    calls: list[Callable[[], Awaitable[httpx.Response]]] = [
        lambda: api.http.get(f"/v1/journeys/{journey_id}"),
        lambda: api.http.get("/v1/journeys"),
        lambda: api.http.get("/v1/events"),
        lambda: api.http.get("/v1/me"),
        lambda: api.http.post(f"/v1/journeys/{journey_id}/withdraw", headers=key, json={}),
        lambda: api.http.post("/v1/journeys", headers=key, json=IDEA),
        lambda: api.http.get("/v1/me", headers={"Authorization": "Bearer not-a-token"}),
        lambda: api.http.get("/v1/me", headers={"Authorization": f"Basic {cast.producer.token}"}),
        lambda: api.http.post(
            f"/v1/journeys/{journey_id}/withdraw",
            headers={**key, "Authorization": f"Bearer {cast.producer.token}x"},
            json={},
        ),
    ]
    for call in calls:
        await refused(api, call, 401)
    response = await api.http.get("/v1/me")
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_invalid_bodies_are_422_with_the_failing_fields(api: Api, cast: Cast) -> None:
    journey_id = await cast.to_awaiting_round(scored_by_parts=True)
    await cast.enrol(journey_id)
    scorecard = f"/v1/journeys/{journey_id}/submit-scorecard"
    chair = cast.chair
    headers = {**chair.auth, "Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"}

    def locs(problem: dict[str, Any]) -> list[list[Any]]:
        return [error["loc"] for error in problem["errors"]]

    malformed = await refused(
        api, lambda: api.http.post(scorecard, headers=headers, content=b'{"parts": {"A": 3'), 422
    )
    assert malformed["errors"][0]["type"] == "json_invalid"
    unknown = await refused(api, lambda: chair.post(scorecard, {"parts": SCORE_80, "bonus": 5}), 422)
    assert ["body", "bonus"] in locs(unknown)
    # The actor comes from the token, never from the body.
    forged = {"parts": SCORE_80, "actor": {"id": cast.vice_chair.id, "role": "council_member"}}
    assert ["body", "actor"] in locs(await refused(api, lambda: chair.post(scorecard, forged), 422))
    negative = await refused(api, lambda: chair.post(scorecard, {"parts": {**SCORE_80, "A": "-1"}}), 422)
    assert ["body", "parts", "A"] in locs(negative)
    not_a_number = await refused(api, lambda: chair.post(scorecard, {"parts": {**SCORE_80, "B": "NaN"}}), 422)
    assert ["body", "parts", "B"] in locs(not_a_number)
    missing = await refused(api, lambda: chair.post(scorecard, {}), 422)
    assert ["body", "parts"] in locs(missing)
    # In range for the API, out of range for the rulebook (part A is scored out of 40): the journey says so.
    over = await refused(
        api, lambda: chair.post(scorecard, {"parts": {**SCORE_80, "A": "41"}}), 422, "ScoreOutOfRange"
    )
    assert locs(over) == [["body", "parts"]]
    # A third decimal is no plain score (schemas.numbers): the API refuses it beside the part.
    three_decimals = {"parts": {**SCORE_80, "C": "28.125"}}
    not_plain = await refused(api, lambda: chair.post(scorecard, three_decimals), 422, "InvalidRequest")
    assert ["body", "parts", "C"] in locs(not_plain)
    nul = await refused(api, lambda: chair.post(scorecard, {"parts": SCORE_80, "reason": "a\x00b"}), 422)
    assert nul["errors"]
    not_an_object = await refused(
        api, lambda: api.http.post(scorecard, headers=headers, content=b"[1, 2]"), 422
    )
    assert not_an_object["errors"]
    bad_path = await refused(api, lambda: chair.post("/v1/journeys/%20bad%20id/withdraw"), 422)
    assert bad_path["errors"][0]["loc"][0] == "path"


async def test_oversized_bodies_are_413(api: Api, cast: Cast) -> None:
    journey_id = await cast.register()
    body = json.dumps({"reason": "x" * 70_000}).encode()
    headers = {**cast.producer.auth, "Idempotency-Key": str(uuid.uuid4())}
    path = f"/v1/journeys/{journey_id}/withdraw"
    await refused(api, lambda: api.http.post(path, headers=headers, content=body), 413, "BodyTooLarge")

    async def chunks() -> Any:  # no Content-Length: the limit holds while the body streams in
        for start in range(0, len(body), 8192):
            yield body[start : start + 8192]

    await refused(api, lambda: api.http.post(path, headers=headers, content=chunks()), 413)


async def test_the_idempotency_key_is_required_and_a_uuid(api: Api, cast: Cast) -> None:
    journey_id = await cast.register()
    path = f"/v1/journeys/{journey_id}/withdraw"
    auth = cast.producer.auth
    missing = await refused(api, lambda: api.http.post(path, headers=auth, json={}), 422)
    assert missing["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    not_uuid = await refused(
        api, lambda: api.http.post(path, headers={**auth, "Idempotency-Key": "retry-1"}, json={}), 422
    )
    assert not_uuid["errors"][0]["loc"] == ["header", "Idempotency-Key"]


async def test_unknown_journeys_and_wrong_states(api: Api, cast: Cast) -> None:
    await refused(api, lambda: cast.producer.get("/v1/journeys/no-such-journey"), 404, "NotFound")
    await refused(api, lambda: cast.producer.post("/v1/journeys/no-such-journey/withdraw"), 404)
    await refused(api, lambda: cast.producer.get("/v1/nowhere"), 404)
    journey_id = await cast.register()
    plan = await upload_pdf(cast.producer, journey_id, "plan")
    # Submitting a plan before the idea is accepted: the wrong state.
    await refused(
        api,
        lambda: cast.producer.post(f"/v1/journeys/{journey_id}/submit-plan", {"document": plan}),
        409,
        "WrongState",
    )
    await cast.producer.act(journey_id, "withdraw")
    # The journey ended (its workflow closes: WrongState, or JourneyClosed once it has).
    await refused(api, lambda: cast.commune_officer.post(f"/v1/journeys/{journey_id}/accept-idea"), 409)
    await refused(api, lambda: cast.producer.post(f"/v1/journeys/{journey_id}/withdraw"), 409)
    bad_group = {**IDEA, "product_group": "spaceships"}
    await refused(api, lambda: cast.producer.post("/v1/journeys", bad_group), 422, "InvalidCommand")
    wrong_commune = {**IDEA, "commune_code": HOAN_KIEM}
    await refused(api, lambda: cast.producer.post("/v1/journeys", wrong_commune), 422, "InvalidCommand")


async def test_extreme_query_values_are_answered_not_crashed_on(api: Api, cast: Cast) -> None:
    journey_id = await cast.register()
    state = f"/v1/journeys/{journey_id}/state"
    latest = await cast.producer.get(state, as_of="9999-12-31T23:59:59-05:00")
    assert (latest.status_code, latest.json()["version"]) == (200, 1)
    await refused(api, partial(cast.producer.get, state, as_of="0001-01-01T00:00:00+05:00"), 404)
    await refused(api, partial(cast.producer.get, state, as_of="yesterday"), 422)
    nul_cursor = base64.urlsafe_b64encode(b"a\x00b").decode().rstrip("=")
    for cursor in (nul_cursor, "%%%", "é"):
        await refused(api, partial(cast.producer.get, "/v1/journeys", cursor=cursor), 422)
    await refused(api, partial(cast.producer.get, "/v1/journeys", limit=0), 422)
    await refused(api, partial(cast.producer.get, "/v1/events", after=2**63), 422)
