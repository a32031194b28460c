"""The provincial officer's key forms with the keyboard alone (Tab, Space, the arrow keys, Enter; no
click): appoint a council with its seats, open a round of it (a date typed into its date field),
enrol the waiting products (several at once). The member's sheet by keyboard is
tests/web/test_sheet_scoring_page.py's; the sign-in and the scorecard, tests/web/test_pages.py's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.async_api import Page, expect

from tests.api.cast import COUNCIL_ID, make_cast
from tests.web.conftest import Site, shot
from tests.web.test_pages import tab_to
from workflows.calendar import local_date

pytestmark = pytest.mark.slow

ROUND_ID = "R-KEYS-1"


async def focused(page: Page) -> str:
    found: str = await page.evaluate("() => document.activeElement ? document.activeElement.id : ''")
    return found


async def choose_with_arrows(page: Page, select_id: str, value: str) -> None:
    """Move a focused <select> to ``value`` with the arrow keys (its options read, not clicked)."""
    select = page.locator(f"#{select_id}")
    options: list[str] = await select.locator("option").evaluate_all("os => os.map(o => o.value)")
    steps = options.index(value) - options.index(await select.input_value())
    for _ in range(abs(steps)):
        await page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    assert await select.input_value() == value


async def type_date(page: Page, field_id: str, day: date) -> None:
    """Type ``day`` into the focused date field, a part (day, month, year) after the other. Which
    part comes first is the browser's own layout (Chromium keeps its UI language's, not the page's):
    typed day first, and if the field then reads another date, from its first part again month first."""
    field = page.locator(f"#{field_id}")
    await page.keyboard.type(day.strftime("%d%m%Y"))
    if await field.input_value() != day.isoformat():
        for _ in range(2):  # back from the year to the first part
            await page.keyboard.press("Shift+Tab")
        await page.keyboard.type(day.strftime("%m%d%Y"))
    assert await field.input_value() == day.isoformat()
    assert await focused(page) == field_id


async def test_the_officer_appoints_opens_and_enrols_with_the_keyboard_alone(site: Site) -> None:
    api = site.api
    cast = await make_cast(api)
    journeys = [await cast.to_awaiting_round() for _ in range(2)]
    context, page = await site.signed_in(cast.provincial_officer)

    # -- the council: its id and name typed, each seat's member typed and role chosen, then Enter
    await page.goto("/councils/new")
    await tab_to(page, "council_id")
    await page.keyboard.type(COUNCIL_ID)
    await page.keyboard.press("Tab")
    assert await focused(page) == "council_name"
    await page.keyboard.type("Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa")
    seats = [
        (cast.chair, "chair"),
        (cast.vice_chair, "vice_chair"),
        (cast.member, "member"),
        (cast.secretary, "secretary"),
    ]
    for index, (member, role) in enumerate(seats, 1):
        await tab_to(page, f"seat_{index}_member")
        await page.keyboard.type(member.id)
        await page.keyboard.press("Tab")
        assert await focused(page) == f"seat_{index}_role"
        await choose_with_arrows(page, f"seat_{index}_role", role)
    # Its regulation provides for extra rounds (Art. 5), ticked with Space: the round below is one.
    await tab_to(page, "extra_rounds_allowed")
    await page.keyboard.press("Space")
    await expect(page.locator("#extra_rounds_allowed")).to_be_checked()
    await tab_to(page, "appoint")
    await shot(page, "keys-01-council-form")
    await page.keyboard.press("Enter")
    await expect(page.locator("#done")).to_be_visible()

    # -- the round: its name typed, the calendar's cut-off kept, the meeting's date typed, then Enter
    await page.goto(f"/rounds/new?council={COUNCIL_ID}")
    await tab_to(page, "round_name")
    await page.keyboard.type("Đợt phím 1/2026")
    await tab_to(page, "round_id")
    await page.keyboard.press("ControlOrMeta+a")
    await page.keyboard.type(ROUND_ID)
    meeting = local_date(await api.env.get_current_time()) + timedelta(days=9)
    await tab_to(page, "round_meeting")
    await type_date(page, "round_meeting", meeting)
    await tab_to(page, "open")
    await shot(page, "keys-02-round-form")
    await page.keyboard.press("Enter")
    await expect(page.locator("#done")).to_be_visible()

    # -- the waiting products: each ticked with Space, then Enter on the enrol button
    boxes = page.locator("#enrol input[name=journey_id]")
    await expect(boxes).to_have_count(len(journeys))
    for index in range(1, len(journeys) + 1):
        await tab_to(page, f"enrol-{index}")
        await page.keyboard.press("Space")
        await expect(page.locator(f"#enrol-{index}")).to_be_checked()
    await tab_to(page, "enrol-button")
    await shot(page, "keys-03-enrol")
    await page.keyboard.press("Enter")
    await expect(page.locator("#round-products tbody tr")).to_have_count(len(journeys))
    for journey_id in journeys:
        state = (await cast.provincial_officer.get(f"/v1/journeys/{journey_id}")).json()
        assert (state["status"], state["round_id"]) == ("IN_EVALUATION", ROUND_ID)
    council = (await cast.provincial_officer.get(f"/v1/councils/{COUNCIL_ID}")).json()
    assert [(seat["member_id"], seat["role"]) for seat in council["council"]["seats"]] == [
        (member.id, role) for member, role in seats
    ]
    await context.close()
