"""The record cannot be bent by a real token (issue 12's black-box findings): facts the engine
knows are never taken from the caller, authority follows level, a producer registers only at home.
Each request is refused as problem+json and records nothing."""

from __future__ import annotations

from functools import partial
from typing import Any

from schemas.roles import Role
from tests.api.cast import IDEA, ROUND_ID, SCORE_80, Cast
from tests.api.harness import Api
from tests.api.test_refusals import refused
from tests.factories import HOAN_KIEM, THANH_HOA

HA_NOI = 1


async def test_a_journey_is_enrolled_only_through_an_open_round(api: Api, cast: Cast) -> None:
    """The black-box run enrolled a product into a round never opened, with a council of one
    member of the officer's choosing. There is no such door any more: the round gives its own
    council, level and cut-off."""
    journey_id = await cast.to_awaiting_round()
    lone = await api.actor(Role.COUNCIL_MEMBER, str(THANH_HOA), "lone-member")
    forged = {
        "round_id": "never-opened",
        "level": "province",
        "council": {
            "council_id": "HD-forged",
            "level": "province",
            "jurisdiction": str(THANH_HOA),
            "seats": [{"member_id": lone.id, "role": "chair"}],
        },
    }
    events = await api.event_count()
    response = await cast.provincial_officer.post(f"/v1/journeys/{journey_id}/enrol", forged)
    assert response.status_code == 404
    assert await api.event_count() == events
    assert (await cast.provincial_officer.get(f"/v1/journeys/{journey_id}")).json()[
        "status"
    ] == "AWAITING_ROUND"
    # Naming a round that was never opened is refused too (no round, 404), and records nothing.
    await refused(
        api,
        lambda: cast.provincial_officer.post(
            "/v1/rounds/never-opened/enrollments", {"journey_id": journey_id}
        ),
        404,
    )
    # Through the round the council is the round's.
    await cast.enrol(journey_id)
    state = (await cast.provincial_officer.get(f"/v1/journeys/{journey_id}")).json()
    assert state["evaluation"]["round_id"] == ROUND_ID
    assert [seat["member_id"] for seat in state["evaluation"]["council"]["seats"]] == [
        seat["member_id"] for seat in cast.roster["seats"]
    ]


async def test_recognition_is_signed_at_its_own_level(api: Api, cast: Cast) -> None:
    """The central authority (the Minister) cannot sign a provincial 4★ recognition, and the level
    of a recognition is not the caller's to give."""
    journey_id = await cast.to_awaiting_round()
    await cast.evaluate(journey_id)
    minister = await api.actor(Role.RECOGNITION_AUTHORITY, "VN")
    body: dict[str, Any] = {"decision_number": "QĐ 1/QĐ-BNNMT", "decision_date": await cast.today()}
    problem = await refused(api, lambda: minister.post(f"/v1/journeys/{journey_id}/recognize", body), 403)
    assert "province authority" in problem["detail"]
    await refused(
        api,
        lambda: cast.authority.post(f"/v1/journeys/{journey_id}/recognize", {**body, "level": "central"}),
        422,
    )
    receipt = await cast.authority.act(journey_id, "recognize", body)
    assert receipt["state"]["certificate"]["level"] == "province"


async def test_the_body_acted_for_is_the_engines(api: Api, cast: Cast) -> None:
    """A caller cannot claim to act for another body: ``authority`` is refused in a body and
    recorded from the caller's role and jurisdiction."""
    journey_id = await cast.register()
    await refused(
        api,
        lambda: cast.commune_officer.post(
            f"/v1/journeys/{journey_id}/accept-idea", {"authority": "Bộ Nông nghiệp và Môi trường"}
        ),
        422,
    )
    await cast.commune_officer.act(journey_id, "accept-idea")
    history = (await cast.commune_officer.get(f"/v1/journeys/{journey_id}/history")).json()["events"]
    assert history[-1]["authority"] == "UBND Phường Hạc Thành"


async def test_a_producer_registers_products_of_their_own_jurisdiction(api: Api, cast: Cast) -> None:
    """A producer of Thanh Hóa registered a product in Hà Nội."""
    elsewhere = {**IDEA, "province_code": HA_NOI, "commune_code": HOAN_KIEM}
    problem = await refused(api, lambda: cast.producer.post("/v1/journeys", elsewhere), 403)
    assert "own jurisdiction" in problem["detail"]
    assert (await cast.producer.post("/v1/journeys", IDEA)).status_code == 201


async def test_scorecards_still_need_the_round(api: Api, cast: Cast) -> None:
    """A member cannot score a product no round has enrolled."""
    journey_id = await cast.to_awaiting_round()
    await refused(
        api, lambda: cast.chair.post(f"/v1/journeys/{journey_id}/submit-scorecard", {"parts": SCORE_80}), 403
    )


async def test_a_council_seats_only_council_members_the_engine_knows(api: Api, cast: Cast) -> None:
    """A roster is not the caller's word: every seat holder is an active council member whose
    jurisdiction is the council's."""
    hanoi_member = await api.actor(Role.COUNCIL_MEMBER, str(HA_NOI), "hn-member")
    council = {
        "council_id": "HD-TH-X",
        "name": "Hội đồng OCOP tỉnh Thanh Hóa",
        "level": "province",
        "jurisdiction": str(THANH_HOA),
    }
    chair = {"member_id": cast.chair.id, "role": "chair"}
    for holder, why in (
        (cast.producer.id, "not a council member"),
        ("nobody-at-all", "no active council member"),
        (hanoi_member.id, "not of province 38"),
    ):
        body = {**council, "seats": [chair, {"member_id": holder, "role": "member"}]}
        problem = await refused(api, partial(cast.provincial_officer.post, "/v1/councils", body), 422)
        assert why in problem["detail"], problem
    appointed = await cast.provincial_officer.post(
        "/v1/councils", {**council, "seats": [chair, {"member_id": cast.member.id, "role": "member"}]}
    )
    assert appointed.status_code == 201, appointed.text
    await refused(
        api,
        lambda: cast.provincial_officer.post(
            "/v1/councils/HD-TH-X/membership",
            {"seats": [chair, {"member_id": cast.producer.id, "role": "member"}]},
        ),
        422,
    )
    # A conflict with a product that does not exist is refused, not recorded.
    await refused(
        api,
        lambda: cast.member.post(
            "/v1/councils/HD-TH-X/conflicts", {"member_id": cast.member.id, "journey_id": "J-404"}
        ),
        404,
    )
