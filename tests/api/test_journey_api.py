"""A journey from idea to certificate driven only through the API, by separate actors with their
own tokens; then its history, its state as of two moments, and its verification."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from schemas.roles import Role
from tests.api.cast import CHOICES_80, COUNCIL_ID, IDEA, acceptance, upload_pdf
from tests.api.harness import Api, Caller
from tests.factories import HAC_THANH, THANH_HOA
from workflows.calendar import local_date


async def create_actor(admin: Caller, role: str, jurisdiction: str, actor_id: str | None = None) -> Caller:
    body: dict[str, Any] = {"role": role, "jurisdiction": jurisdiction}
    if actor_id is not None:
        body["id"] = actor_id
    response = await admin.post("/v1/actors", body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["token"]
    return Caller(admin.http, created["id"], Role(role), created["token"])


async def test_a_journey_from_idea_to_certificate_through_the_api(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "VN", "admin-1")
    province = str(THANH_HOA)
    producer = await create_actor(admin, "producer", province)
    officer = await create_actor(admin, "commune_officer", str(HAC_THANH))
    provincial = await create_actor(admin, "provincial_officer", province)
    members = [await create_actor(admin, "council_member", province, f"{COUNCIL_ID}-m{i}") for i in (1, 2, 3)]
    authority = await create_actor(admin, "recognition_authority", province)
    auditor = await create_actor(admin, "auditor", "VN")
    chair = members[0]
    me = (await producer.get("/v1/me")).json()
    assert (me["role"], me["jurisdiction"]) == ("producer", {"kind": "province", "value": province})

    registered = await producer.post("/v1/journeys", IDEA)
    assert registered.status_code == 201, registered.text
    journey_id = registered.json()["journey_id"]
    assert registered.headers["location"] == f"/v1/journeys/{journey_id}"
    assert registered.json()["state"]["status"] == "IDEA_REGISTERED"
    assert registered.json()["state"]["producer_id"] == producer.id

    await officer.act(journey_id, "accept-idea")
    plan = await upload_pdf(producer, journey_id, "plan")
    await producer.act(journey_id, "submit-plan", {"document": plan})
    await officer.act(journey_id, "approve-plan")
    forms = [await upload_pdf(producer, journey_id, name) for name in ("form01", "form02")]
    await producer.act(journey_id, "submit-dossier", {"documents": forms})
    report = await upload_pdf(officer, journey_id, "report")
    accepted = await officer.act(journey_id, "accept-dossier", await acceptance(officer, journey_id, report))
    assert accepted["state"]["status"] == "AWAITING_ROUND"
    seats = [
        {"member_id": chair.id, "role": "chair"},
        {"member_id": members[1].id, "role": "vice_chair"},
        {"member_id": members[2].id, "role": "member"},
    ]
    council = {
        "council_id": COUNCIL_ID,
        "name": "Hội đồng OCOP",
        "level": "province",
        "extra_rounds_allowed": True,
    }
    council["jurisdiction"] = province
    assert (await provincial.post("/v1/councils", {**council, "seats": seats})).status_code == 201
    today = local_date(await api.env.get_current_time())
    opened = await provincial.post(
        "/v1/rounds",
        {
            "round_id": "R-2025-1",
            "name": "Đợt 1/2025",
            "council_id": COUNCIL_ID,
            "cut_off": today.isoformat(),
            "meeting_date": (today + timedelta(days=5)).isoformat(),
        },
    )
    assert opened.status_code == 201, opened.text
    enrolling = await provincial.post("/v1/rounds/R-2025-1/enrollments", {"journey_id": journey_id})
    assert enrolling.status_code == 200, enrolling.text
    enrolled = (await provincial.get(f"/v1/journeys/{journey_id}")).json()
    assert enrolled["status"] == "IN_EVALUATION"
    # The advisory team's review (Art. 7.3.c): until it is recorded the council does not score.
    early = await members[0].post(f"/v1/journeys/{journey_id}/submit-scorecard", {"choices": CHOICES_80})
    assert early.status_code == 422, early.text
    assert early.json()["code"] == "AdvisoryReviewPending"
    minutes = await upload_pdf(provincial, journey_id, "advisory-review")
    review = {"step": "review", "held_on": today.isoformat(), "documents": [minutes]}
    await provincial.act(journey_id, "record-advisory-step", review)
    for member in members:
        await member.act(journey_id, "submit-scorecard", {"choices": CHOICES_80})
    finalized = await chair.act(journey_id, "finalize")
    assert finalized["state"]["status"] == "AWAITING_RECOGNITION"
    assert finalized["state"]["pending_recognition"]["stars"] == 4

    today_text = local_date(await api.env.get_current_time()).isoformat()
    recognized = await authority.act(
        journey_id,
        "recognize",
        {"decision_number": "QĐ 15/QĐ-UBND", "decision_date": today_text},
    )
    assert recognized["event_types"] == ["recognized"]
    assert recognized["stream_version"] == 13  # the advisory review (Art. 7.3.c) is one of its steps
    assert len(recognized["event_ids"]) == 1
    state = (await producer.get(f"/v1/journeys/{journey_id}")).json()
    assert state["status"] == "CERTIFIED"
    assert (state["certificate"]["stars"], state["certificate"]["level"]) == (4, "province")

    # History: every decision with its actor, role and link in the hash chain.
    history = (await auditor.get(f"/v1/journeys/{journey_id}/history")).json()["events"]
    assert [(e["type"], e["actor"]["id"], e["actor"]["role"]) for e in history] == [
        ("idea_registered", producer.id, "producer"),
        ("idea_accepted", officer.id, "commune_officer"),
        ("plan_submitted", producer.id, "producer"),
        ("plan_approved", officer.id, "commune_officer"),
        ("dossier_submitted", producer.id, "producer"),
        ("dossier_accepted", officer.id, "commune_officer"),
        ("enrolled_in_round", provincial.id, "provincial_officer"),
        ("advisory_step_recorded", provincial.id, "provincial_officer"),
        *[("scorecard_submitted", m.id, "council_member") for m in members],
        ("council_finalized", chair.id, "council_member"),
        ("recognized", authority.id, "recognition_authority"),
    ]
    # The body each acted for is the engine's, from their role and jurisdiction, not the caller's.
    assert history[1]["authority"] == "UBND Phường Hạc Thành"
    assert history[-1]["authority"] == "Chủ tịch UBND tỉnh Thanh Hóa"
    assert all(e["rulebook"] == "qd26-2026" for e in history)  # the rulebook in force today
    assert all(e["request_id"] for e in history)
    assert history[0]["prev_hash"] == "0" * 64
    for before, after in itertools.pairwise(history):
        assert after["prev_hash"] == before["hash"]
    assert [e["update_id"] for e in history[:1]] == producer.keys[:1]

    # As of a moment before the council, and one after it.
    before_council = datetime.fromisoformat(enrolled["updated_at"]) - timedelta(microseconds=1)
    after_council = datetime.fromisoformat(finalized["recorded_at"])
    then = await producer.get(f"/v1/journeys/{journey_id}/state", as_of=before_council.isoformat())
    assert then.status_code == 200, then.text
    assert (then.json()["status"], then.json()["version"]) == ("AWAITING_ROUND", 6)
    later = (await producer.get(f"/v1/journeys/{journey_id}/state", as_of=after_council.isoformat())).json()
    assert (later["status"], later["results"][0]["mean"]) == ("AWAITING_RECOGNITION", "80.00")
    too_early = await producer.get(f"/v1/journeys/{journey_id}/state", as_of="2020-01-01T00:00:00")
    assert too_early.status_code == 404

    verified = (await auditor.get(f"/v1/journeys/{journey_id}/verify")).json()
    assert verified == {"ok": True, "streams_checked": 1, "events_checked": 13, "broken": []}

    # A council member still reads the journey their council evaluated; the list shows it too.
    assert (await members[2].get(f"/v1/journeys/{journey_id}")).status_code == 200
    listed = (await members[2].get("/v1/journeys")).json()
    assert [item["journey_id"] for item in listed["items"]] == [journey_id]
    certified = (await auditor.get("/v1/journeys", state="CERTIFIED", stars=4, province=THANH_HOA)).json()
    assert [item["journey_id"] for item in certified["items"]] == [journey_id]
    assert (await auditor.get("/v1/journeys", stars=5)).json()["items"] == []
