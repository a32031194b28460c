"""Independent scoring (chấm điểm độc lập), over HTTP with a real worker: until a voting member has
submitted their own scorecard for a product, or the product's result is finalized, no read of the
API shows them (or the chair, an officer, an auditor, the producer) another member's scores; they
see who has scored and when. After finalization the auditor reads the whole record, with the
hashes it had all along, and the chain verifies."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from schemas.roles import Role
from tests.api.cast import COUNCIL_ID, Cast, make_cast
from tests.api.harness import Api, Caller
from tests.factories import THANH_HOA

ROUND_ID = "R-INDEP-1"
# The first member's sheet: numbers that appear nowhere else in a response, in any notation.
FIRST = {"A": "31.17", "B": "19.43", "C": "27.91"}
FIRST_NUMBERS = ("31.17", "19.43", "27.91", "78.51")


def shows(text: str, number: str) -> bool:
    """Whether ``text`` carries ``number`` as a number: not as the seconds of a timestamp (a
    ``recorded_at`` of 14:28:27.916867 holds "27.91") nor inside a longer figure."""
    return re.search(rf"(?<![\d:.]){re.escape(number)}(?!\d)", text) is not None


SECOND = {"A": "32.00", "B": "20.00", "C": "28.00"}
CHAIR = {"A": "32.40", "B": "20.10", "C": "27.50"}


async def open_round(cast: Cast, journey_id: str) -> None:
    """The province's council (chair, vice-chair, member vote; a secretary), a round of it, and the
    journey enrolled through the round."""
    officer = cast.provincial_officer
    today = (await cast.api.env.get_current_time()).date()
    council = {
        "council_id": COUNCIL_ID,
        "name": "Hội đồng OCOP tỉnh Thanh Hóa",
        "level": "province",
        "jurisdiction": str(THANH_HOA),
        "seats": cast.roster["seats"],
        "extra_rounds_allowed": True,  # rounds off the calendar (Art. 5)
    }
    round_ = {
        "round_id": ROUND_ID,
        "name": "Đợt 1",
        "council_id": COUNCIL_ID,
        "cut_off": (today + timedelta(days=3)).isoformat(),
        "meeting_date": (today + timedelta(days=5)).isoformat(),
    }
    for path, body in (
        ("/v1/councils", council),
        ("/v1/rounds", round_),
        (f"/v1/rounds/{ROUND_ID}/enrollments", {"journey_id": journey_id}),
    ):
        response = await officer.post(path, body)
        assert response.status_code in (200, 201), f"{path}: {response.status_code} {response.text}"


async def reads(caller: Caller, journey_id: str) -> dict[str, Any]:
    """Every read of the API that carries this journey, as ``caller`` gets it (all must answer 200)."""
    paths = {
        "journey": f"/v1/journeys/{journey_id}",
        "history": f"/v1/journeys/{journey_id}/history",
        "state": f"/v1/journeys/{journey_id}/state",
        "list": "/v1/journeys",
        "round": f"/v1/rounds/{ROUND_ID}",
        "results": f"/v1/rounds/{ROUND_ID}/results",
    }
    answers: dict[str, Any] = {}
    for name, path in paths.items():
        if name in ("round", "results") and caller.role == Role.PRODUCER:
            continue  # producers do not read rounds at all
        response = await caller.get(path)
        assert response.status_code == 200, f"{caller.id} {path}: {response.status_code} {response.text}"
        answers[name] = response
    as_of = answers["history"].json()["events"][-1]["recorded_at"]
    response = await caller.get(f"/v1/journeys/{journey_id}/state", as_of=as_of)
    assert response.status_code == 200, response.text
    answers["state_as_of"] = response
    return answers


def assert_sealed(answers: dict[str, Any], journey_id: str, scorer: str) -> None:
    """None of the answers holds the scorer's numbers; the journey's state and its history say
    that the scorer has scored, and when."""
    for name, response in answers.items():
        for number in FIRST_NUMBERS:
            assert not shows(response.text, number), f"{name} shows {number}: {response.text}"
    for name in ("journey", "state", "state_as_of"):
        evaluation = answers[name].json()["evaluation"]
        assert scorer not in evaluation["scorecards"], name
        assert scorer in evaluation["sealed"], name
    listed = next(item for item in answers["list"].json()["items"] if item["journey_id"] == journey_id)
    assert scorer in listed["evaluation"]["sealed"]
    assert scorer not in listed["evaluation"]["scorecards"]
    entry = next(e for e in answers["history"].json()["events"] if e["type"] == "scorecard_submitted")
    assert entry["data"]["member_id"] == scorer
    assert entry["actor"]["id"] == scorer
    assert entry["recorded_at"]
    assert "parts" not in entry["data"]
    assert "total" not in entry["data"]
    assert set(entry["sealed"]) == {"parts", "total"}


async def test_a_member_sees_no_other_sheet_before_their_own_and_the_auditor_sees_all_after(
    api: Api,
) -> None:
    cast = await make_cast(api)
    auditor = await api.actor(Role.AUDITOR, str(THANH_HOA))
    national = await api.actor(Role.AUDITOR, "VN")  # reads the whole log's feed
    journey_id = await cast.to_awaiting_round(scored_by_parts=True)
    await open_round(cast, journey_id)
    first, second, chair = cast.vice_chair, cast.member, cast.chair

    await first.act(journey_id, "submit-scorecard", {"parts": FIRST})

    # The first member sees their own sheet.
    own = (await first.get(f"/v1/journeys/{journey_id}")).json()["evaluation"]
    assert own["scorecards"][first.id]["total"] == "78.51"

    # Before their own sheet: the second member, the chair, the officer, the auditor, the producer
    # see who has scored, not what.
    sealed_history: list[dict[str, Any]] = []
    for reader in (second, chair, cast.provincial_officer, auditor, cast.producer):
        answers = await reads(reader, journey_id)
        assert_sealed(answers, journey_id, first.id)
        sealed_history = answers["history"].json()["events"]
    feed = await national.get("/v1/events", limit=1000)
    assert feed.status_code == 200, feed.text
    for number in FIRST_NUMBERS:
        assert not shows(feed.text, number), f"the feed shows {number}"
    fed = next(e for e in feed.json()["events"] if e["type"] == "scorecard_submitted")
    assert (fed["data"]["member_id"], set(fed["sealed"])) == (first.id, {"parts", "total"})

    # The second member scores: from then on they see the first member's sheet (and amend theirs).
    receipt = await second.act(journey_id, "submit-scorecard", {"parts": SECOND})
    assert receipt["state"]["evaluation"]["scorecards"][first.id]["total"] == "78.51"
    after = await reads(second, journey_id)
    for name in ("journey", "state", "state_as_of"):
        seen = after[name].json()["evaluation"]
        assert seen["scorecards"][first.id]["parts"] == FIRST
        assert seen["sealed"] == {}
    entry = next(e for e in after["history"].json()["events"] if e["data"].get("member_id") == first.id)
    assert entry["data"]["parts"] == FIRST
    assert entry["data"]["total"] == "78.51"
    assert entry["sealed"] == []
    await second.act(journey_id, "amend-scorecard", {"parts": {**SECOND, "A": "31.50"}, "reason": "rà soát"})

    # The chair still sees only who has scored: two sheets, no numbers.
    chair_view = await reads(chair, journey_id)
    assert_sealed(chair_view, journey_id, first.id)
    evaluation = chair_view["journey"].json()["evaluation"]
    assert set(evaluation["sealed"]) == {first.id, second.id}
    assert evaluation["sealed"][second.id]["amendments"] == 1
    assert "79.50" not in chair_view["journey"].text  # the second member's amended total

    await chair.act(journey_id, "submit-scorecard", {"parts": CHAIR})
    await chair.act(journey_id, "finalize")

    # Finalized: the auditor reads every sheet in the history, with the hashes the sealed
    # entries carried, and the chain verifies.
    history = (await auditor.get(f"/v1/journeys/{journey_id}/history")).json()["events"]
    assert [(e["version"], e["hash"], e["prev_hash"]) for e in history[: len(sealed_history)]] == [
        (e["version"], e["hash"], e["prev_hash"]) for e in sealed_history
    ]
    sheets = {e["data"]["member_id"]: e["data"] for e in history if e["type"] == "scorecard_submitted"}
    assert sheets[first.id]["parts"] == FIRST
    assert sheets[first.id]["total"] == "78.51"
    assert all(e["sealed"] == [] for e in history)
    fed_after = (await national.get("/v1/events", limit=1000)).json()["events"]
    whole = next(e for e in fed_after if e["event_id"] == fed["event_id"])
    assert (whole["data"]["parts"], whole["sealed"], whole["hash"]) == (FIRST, [], fed["hash"])
    verified = (await auditor.get(f"/v1/journeys/{journey_id}/verify")).json()
    assert verified["ok"] is True
    assert verified["events_checked"] == len(history)
    # The state as it stood during the evaluation is no longer sealed either.
    as_of = next(
        e["recorded_at"]
        for e in history
        if e["type"] == "scorecard_submitted" and e["data"]["member_id"] == chair.id
    )
    then = (await auditor.get(f"/v1/journeys/{journey_id}/state", as_of=as_of)).json()
    assert then["evaluation"]["scorecards"][first.id]["total"] == "78.51"
    assert then["evaluation"]["sealed"] == {}
    # The producer reads the result: the mean, and now the sheets.
    producer_history = (await cast.producer.get(f"/v1/journeys/{journey_id}/history")).text
    assert "78.51" in producer_history


async def test_a_member_who_declared_a_conflict_sees_no_score_until_finalized(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.to_awaiting_round(scored_by_parts=True)
    await open_round(cast, journey_id)
    first, conflicted = cast.vice_chair, cast.member

    await first.act(journey_id, "submit-scorecard", {"parts": FIRST})
    # The member had scored too, then declares a conflict: their own sheet is set aside, and
    # having scored no longer opens the others' to them.
    await conflicted.act(journey_id, "submit-scorecard", {"parts": SECOND})
    declared = await conflicted.post(
        f"/v1/councils/{COUNCIL_ID}/conflicts",
        {"member_id": conflicted.id, "journey_id": journey_id, "reason": "người thân của chủ thể"},
    )
    assert declared.status_code in (200, 201), declared.text
    answers = await reads(conflicted, journey_id)
    assert_sealed(answers, journey_id, first.id)
    assert conflicted.id in answers["journey"].json()["evaluation"]["council"]["conflicts"]
