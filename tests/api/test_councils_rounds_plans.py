"""Councils, rounds, plans and statistics over HTTP, with a real worker on the time-skipping server:
appoint a council, open a round, enrol two products driven through the journey API, refuse what
must be refused (and record nothing), score, close with a carry-over, publish, read the results;
set a plan and read its progress; idempotency on a POST and on the PUT."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from schemas.roles import Role
from tests.api.cast import CHOICES_80, COUNCIL_ID, Cast, make_cast
from tests.api.harness import Api, Caller
from tests.factories import THANH_HOA

ROUND_1 = "R-TH-2026-1"
ROUND_2 = "R-TH-2026-2"


def council_body(cast: Cast) -> dict[str, Any]:
    return {
        "council_id": COUNCIL_ID,
        "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa",
        "level": "province",
        "jurisdiction": str(THANH_HOA),
        "seats": cast.roster["seats"],
        "extra_rounds_allowed": True,  # rounds off the calendar (Art. 5)
        "reason": "Quyết định số 12/QĐ-UBND",
    }


def round_body(round_id: str, name: str, today: date) -> dict[str, Any]:
    return {
        "round_id": round_id,
        "name": name,
        "council_id": COUNCIL_ID,
        "cut_off": (today + timedelta(days=3)).isoformat(),
        "meeting_date": (today + timedelta(days=7)).isoformat(),
    }


async def put(caller: Caller, path: str, body: Any, key: str) -> Any:
    return await caller.http.put(path, headers={**caller.auth, "Idempotency-Key": key}, json=body)


async def test_a_round_through_the_api(api: Api) -> None:
    cast = await make_cast(api)
    officer = cast.provincial_officer
    today = date.fromisoformat(await cast.today())

    # Appoint the council: not by a producer; once for one Idempotency-Key.
    assert (await cast.producer.post("/v1/councils", council_body(cast))).status_code == 403
    key = str(uuid.uuid4())
    appointed = await officer.post("/v1/councils", council_body(cast), key=key)
    assert appointed.status_code == 201, appointed.text
    assert appointed.headers["location"] == f"/v1/councils/{COUNCIL_ID}"
    assert appointed.json()["event_types"] == ["council_appointed"]
    events = await api.event_count()
    again = await officer.post("/v1/councils", council_body(cast), key=key)
    assert (again.status_code, again.headers.get("idempotent-replayed")) == (201, "true")
    assert again.json() == appointed.json()
    assert await api.event_count() == events
    seen = await cast.chair.get(f"/v1/councils/{COUNCIL_ID}")
    assert seen.status_code == 200, seen.text
    assert seen.json()["workload"]["rounds_open"] == 0
    assert (await cast.producer.get(f"/v1/councils/{COUNCIL_ID}")).status_code == 403

    # Two products, driven to AWAITING_ROUND through the journey API; the two rounds.
    first, second = await cast.to_awaiting_round(), await cast.to_awaiting_round()
    opened = await officer.post("/v1/rounds", round_body(ROUND_1, "Đợt 1/2026", today))
    assert opened.status_code == 201, opened.text
    assert opened.json()["state"]["council"]["council_id"] == COUNCIL_ID
    assert (await officer.post("/v1/rounds", round_body(ROUND_1, "Đợt 1/2026", today))).status_code == 409
    assert (await officer.post("/v1/rounds", round_body(ROUND_2, "Đợt 2/2026", today))).status_code == 201

    # Refused enrolments record nothing: the wrong role (403), an unknown journey (404).
    events = await api.event_count()
    for caller, journey_id, status in [
        (cast.commune_officer, first, 403),
        (cast.producer, first, 403),
        (cast.chair, first, 403),
        (officer, "J-404", 404),
    ]:
        refused = await caller.post(f"/v1/rounds/{ROUND_1}/enrollments", {"journey_id": journey_id})
        assert refused.status_code == status, (caller.id, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
    assert await api.event_count() == events

    for journey_id in (first, second):
        enrolled = await officer.post(f"/v1/rounds/{ROUND_1}/enrollments", {"journey_id": journey_id})
        assert enrolled.status_code == 200, enrolled.text
        assert enrolled.json()["event_types"] == ["journey_enrolled"]
    assert (await officer.get(f"/v1/journeys/{first}")).json()["status"] == "IN_EVALUATION"
    state = (await cast.member.get(f"/v1/rounds/{ROUND_1}")).json()
    assert state["journeys"] == [first, second]

    # The member declares a conflict with the second product: it reaches the journey.
    declared = await cast.member.post(
        f"/v1/councils/{COUNCIL_ID}/conflicts", {"member_id": cast.member.id, "journey_id": second}
    )
    assert declared.status_code == 200, declared.text
    assert declared.json()["state"]["conflicts"] == [{"member_id": cast.member.id, "journey_id": second}]
    other = await cast.chair.post(
        f"/v1/councils/{COUNCIL_ID}/conflicts", {"member_id": cast.member.id, "journey_id": first}
    )
    assert other.status_code == 403  # a member declares only their own
    journey = (await officer.get(f"/v1/journeys/{second}")).json()
    assert journey["evaluation"]["council"]["conflicts"] == [cast.member.id]

    # Scoring through the journey API: the first is finalized, the second waits for the vice-chair.
    for member in cast.voting:
        await member.act(first, "submit-scorecard", {"choices": CHOICES_80})
    await cast.chair.act(first, "finalize")
    await cast.chair.act(second, "submit-scorecard", {"choices": CHOICES_80})
    live = (await officer.get(f"/v1/rounds/{ROUND_1}/results")).json()
    assert live["published"] is False
    assert [row["journey_id"] for row in live["rows"]] == [first, second]

    # Close: not without a next round for the unfinished product; then into round 2.
    refused = await officer.post(f"/v1/rounds/{ROUND_1}/close", {})
    assert (refused.status_code, refused.json()["code"]) == (409, "WrongState")
    closed = await officer.post(f"/v1/rounds/{ROUND_1}/close", {"carry_over_to": ROUND_2})
    assert closed.status_code == 200, closed.text
    assert closed.json()["event_types"] == ["journey_carried_over", "round_closed"]
    assert closed.json()["state"]["carried_out"] == {second: ROUND_2}

    published = await officer.post(f"/v1/rounds/{ROUND_1}/publish")
    assert published.status_code == 200, published.text
    assert published.json()["state"]["status"] == "results_published"
    results = (await cast.secretary.get(f"/v1/rounds/{ROUND_1}/results")).json()
    assert results["published"] is True
    assert {row["journey_id"]: (row["stars"], row["next_step"]) for row in results["rows"]} == {
        first: (4, "recognize:province:4"),
        second: (None, f"carried_over:{ROUND_2}"),
    }
    assert (await officer.post(f"/v1/rounds/{ROUND_1}/publish")).status_code == 409
    round_2 = (await officer.get(f"/v1/rounds/{ROUND_2}")).json()
    assert round_2["carried_in"] == {second: ROUND_1}
    workload = (await officer.get(f"/v1/councils/{COUNCIL_ID}")).json()["workload"]
    assert (workload["rounds_open"], workload["rounds_published"]) == (1, 1)
    assert (workload["finalized"], workload["awaiting_scorecards_or_finalization"]) == (1, 1)

    # The plan: set once for one key (a PUT with an Idempotency-Key); its progress.
    year = today.year
    plan = {"targets": {"3": 137, "4": 20, "5": 3}, "total": 160, "reason": "Kế hoạch năm"}
    assert (await put(cast.producer, f"/v1/plans/38/{year}", plan, str(uuid.uuid4()))).status_code == 403
    key = str(uuid.uuid4())
    events = await api.event_count()
    set_ = await put(officer, f"/v1/plans/38/{year}", plan, key)
    assert set_.status_code == 200, set_.text
    assert set_.json()["event_types"] == ["plan_set"]
    replay = await put(officer, f"/v1/plans/38/{year}", plan, key)
    assert (replay.status_code, replay.headers.get("idempotent-replayed")) == (200, "true")
    assert await api.event_count() == events + 1
    assert (await put(officer, f"/v1/plans/38/{year}", {**plan, "total": 1}, key)).status_code == 409
    # Dated today in Vietnam, read now: the council's result may be dated after a midnight (UTC+7)
    # that fell since the test began.
    decided = await cast.today()
    await cast.authority.act(
        first,
        "recognize",
        {"decision_number": "QĐ 7/QĐ-UBND", "decision_date": decided},
    )
    progress = await officer.get(f"/v1/plans/38/{year}/progress")
    assert progress.status_code == 200, progress.text
    by_star = {row["stars"]: row for row in progress.json()["by_star"]}
    assert (by_star[4]["target"], by_star[4]["new"], by_star[4]["remaining"]) == (20, 1, 19)
    assert progress.json()["total_target"] == 160
    assert (await officer.get(f"/v1/plans/38/{year + 1}/progress")).status_code == 404

    # Statistics: for readers of the province; every province only for national readers.
    auditor = await api.actor(Role.AUDITOR, "VN")
    stats = await auditor.get("/v1/statistics", province=38, year=year)
    assert stats.status_code == 200, stats.text
    assert [(row["stars"], row["kind"], row["recognitions"]) for row in stats.json()["rows"]] == [
        (4, "new", 1)
    ]
    assert (await officer.get("/v1/statistics")).status_code == 403
    assert (await cast.producer.get("/v1/statistics", province=38)).status_code == 403
    assert (await officer.get("/v1/statistics", province=1)).status_code == 403
