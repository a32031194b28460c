"""A potential 5★ product (qd26-2026 Art. 7.4) in Chromium: the recognition authorities' steps on
the journey page. The provincial chairman approves the provincial result (≥ 90: no certificate, the
product goes on to the central council); after the central council, ≥ 90 the Minister recognizes
5★ (after the confirmation); < 90 the provincial chairman is offered both of its choices — recognize
the central result's rank, or have the province evaluate again — and sends it back. The councils'
work (scorecards, finalization) is set through the API; the authorities' steps are the pages'."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from playwright.async_api import Page, expect

from schemas.roles import Role
from schemas.scorecard import SHEETS
from tests.api.cast import Cast, make_cast
from tests.api.harness import Caller
from tests.scoresheets import sheet_body
from tests.web.conftest import Site, shot, unlabelled_fields

pytestmark = pytest.mark.slow

# Whole sheets of the products' set (I.1.a, tests.api.cast.IDEA's), worth 92 and 80.
SHEET = SHEETS["qd26-2026"]["I.1.a"]
SHEET_92, SHEET_80 = sheet_body(SHEET, "92"), sheet_body(SHEET, "80")
CENTRAL_COUNCIL = "HD-TW-2026"
CENTRAL_ROUND = "R-TW-2026-1"


async def evaluated(members: list[Caller], chair: Caller, journey_id: str, sheet: dict[str, Any]) -> None:
    for member in members:
        await member.act(journey_id, "submit-scorecard", {"choices": sheet})
    await chair.act(journey_id, "finalize")


async def central_round(site: Site, cast: Cast, journeys: list[str]) -> list[Caller]:
    """The central office's council (five voting members, its quorum), its round, the journeys
    enrolled; the voting members, the chair first."""
    api = site.api
    office = await api.actor(Role.CENTRAL_OFFICER, "VN")
    members = [await api.actor(Role.COUNCIL_MEMBER, "VN", f"{CENTRAL_COUNCIL}-m{n}") for n in range(1, 6)]
    roles = ["chair", "vice_chair", "member", "member", "member"]
    appointed = await office.post(
        "/v1/councils",
        {
            "council_id": CENTRAL_COUNCIL,
            "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp trung ương",
            "level": "central",
            "jurisdiction": "VN",
            "seats": [{"member_id": m.id, "role": r} for m, r in zip(members, roles, strict=True)],
            "extra_rounds_allowed": True,  # rounds off the calendar (Art. 5)
        },
    )
    assert appointed.status_code == 201, appointed.text
    today = date.fromisoformat(await cast.today())
    opened = await office.post(
        "/v1/rounds",
        {
            "round_id": CENTRAL_ROUND,
            "name": "Đợt trung ương 1/2026",
            "council_id": CENTRAL_COUNCIL,
            "cut_off": (today + timedelta(days=10)).isoformat(),
            "meeting_date": (today + timedelta(days=12)).isoformat(),
        },
    )
    assert opened.status_code == 201, opened.text
    for journey_id in journeys:
        enrolled = await office.post(f"/v1/rounds/{CENTRAL_ROUND}/enrollments", {"journey_id": journey_id})
        assert enrolled.status_code == 200, enrolled.text
        await cast.advise(journey_id, office)  # the central advisory team's review (Art. 7.4.c)
    return members


async def offered(page: Page, journey_id: str) -> list[str]:
    """The steps the journey page offers the signed-in actor (its forms' ids)."""
    await page.goto(f"/journeys/{journey_id}")
    ids: list[str] = await page.locator("details.step form").evaluate_all("fs => fs.map(f => f.id)")
    return ids


async def send_step(page: Page, journey_id: str, action: str, fields: dict[str, str]) -> None:
    """Open the journey page's step, fill its fields (each by its id), send it."""
    await page.goto(f"/journeys/{journey_id}")
    step = page.locator("details.step", has=page.locator(f"#step-{action}"))
    await step.locator("summary").click()
    for name, value in fields.items():
        await page.locator(f"#{action}-{name}").fill(value)
    assert await unlabelled_fields(page) == []
    await step.locator(f"#step-{action} > button[type=submit]").click()


async def test_a_potential_five_star_through_the_authorities_pages(site: Site) -> None:
    api = site.api
    cast = await make_cast(api)
    high, low = [await cast.to_awaiting_round() for _ in range(2)]
    for journey_id in (high, low):
        await cast.enrol(journey_id)
        await evaluated(cast.voting, cast.chair, journey_id, SHEET_92)
        assert (await cast.authority.get(f"/v1/journeys/{journey_id}")).json()[
            "status"
        ] == "AWAITING_APPROVAL"
    today = await cast.today()

    # -- the provincial chairman approves each provincial result: no certificate, on to the centre
    chairman_context, chairman = await site.signed_in(cast.authority)
    for number, journey_id in enumerate((high, low), 1):
        assert await offered(chairman, journey_id) == ["step-approve-result"]
        decision = {"decision_number": f"QĐ 90{number}/QĐ-UBND", "decision_date": today}
        await send_step(chairman, journey_id, "approve-result", decision)
        await expect(chairman.locator("#done")).to_be_visible()
        if number == 1:
            await shot(chairman, "p5-01-result-approved")
        state = (await cast.authority.get(f"/v1/journeys/{journey_id}")).json()
        assert (state["status"], state["level"], state["certificate"]) == ("AWAITING_ROUND", "central", None)

    # -- the central council: 92 for one, 80 for the other (whole sheets)
    members = await central_round(site, cast, [high, low])
    await evaluated(members, members[0], high, SHEET_92)
    await evaluated(members, members[0], low, SHEET_80)

    # -- ≥ 90: the Minister recognizes 5★, after the confirmation; the chairman is offered nothing
    assert await offered(chairman, high) == []
    minister = await api.actor(Role.RECOGNITION_AUTHORITY, "VN")
    minister_context, ministry = await site.signed_in(minister)
    assert await offered(ministry, high) == ["step-recognize"]
    await send_step(ministry, high, "recognize", {"decision_number": "QĐ 15/QĐ-BNNMT"})
    await expect(ministry.locator("#confirm-facts")).to_be_visible()
    await shot(ministry, "p5-02-minister-confirms")
    await ministry.locator("#confirm").click()
    await expect(ministry.locator("#done")).to_be_visible()
    await shot(ministry, "p5-03-five-stars-recognized")
    certified = (await minister.get(f"/v1/journeys/{high}")).json()
    assert certified["status"] == "CERTIFIED"
    assert (certified["certificate"]["stars"], certified["certificate"]["level"]) == (5, "central")
    assert certified["certificate"]["decision_number"] == "QĐ 15/QĐ-BNNMT"
    await minister_context.close()

    # -- < 90: back to the province's chairman, who may recognize 4★ or have it evaluated again
    assert await offered(chairman, low) == ["step-recognize", "step-evaluate-again"]
    await shot(chairman, "p5-04-below-ninety-choices")
    await send_step(
        chairman,
        low,
        "evaluate-again",
        {"decision_number": "QĐ 77/QĐ-UBND", "reason": "Hội đồng tỉnh đánh giá lại theo kết quả trung ương"},
    )
    await expect(chairman.locator("#done")).to_be_visible()
    sent_back = (await cast.authority.get(f"/v1/journeys/{low}")).json()
    assert (sent_back["status"], sent_back["level"], sent_back["certificate"]) == (
        "AWAITING_ROUND",
        "province",
        None,
    )
    await chairman_context.close()
