"""The scoring page in Chromium reads numbers as a Vietnamese council member writes them (issue 12,
item 4): "3,5", "2,5" and "3,0" are shown back as what will be recorded — A 3,50 · B 2,50 · C 3,00,
total 9,00 — and, once confirmed, the journey records 3.50, 2.50 and 3.00 (not 35, 25 and 30).
What cannot be read as a score is refused beside its part, in Vietnamese, and nothing is recorded."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.async_api import Locator, Page, expect

from tests.api.cast import make_cast
from tests.web.conftest import Site, shot, unlabelled_fields
from tests.web.test_pages import ROUND_ID, open_round_with

pytestmark = pytest.mark.slow


def part(page: Page, name: str) -> Locator:
    return page.get_by_label(re.compile(rf"^Phần {name}"))


async def scorecards_recorded(site: Site) -> int:
    count: int = await site.api.pool.fetchval(
        "SELECT count(*) FROM events WHERE type IN ('scorecard_submitted', 'scorecard_amended')"
    )
    return count


async def test_a_member_types_decimal_commas_sees_what_will_be_recorded_and_confirms(site: Site) -> None:
    cast = await make_cast(site.api)
    journey_id = await cast.to_awaiting_round(scored_by_parts=True)
    await open_round_with(site, cast, journey_id)
    context, member = await site.signed_in(cast.member)
    await member.goto(f"/journeys/{journey_id}/score")
    assert await unlabelled_fields(member) == []
    # A text field: Chromium would drop the comma from a number field.
    await expect(part(member, "A")).to_have_attribute("type", "text")
    await expect(part(member, "A")).to_have_attribute("inputmode", "decimal")

    # What is not a score is refused beside its part, in Vietnamese, and nothing is recorded.
    for name, typed in (("A", "1e1"), ("B", "3,555"), ("C", "3.5.1")):
        await part(member, name).fill(typed)
    await member.get_by_role("button", name="Kiểm tra phiếu").click()
    await expect(member.locator("#err-A")).to_contain_text("số mũ")
    await expect(member.locator("#err-B")).to_contain_text("Tối đa 2 chữ số thập phân")
    await expect(member.locator("#err-C")).to_contain_text("Không đọc được điểm này")
    await expect(part(member, "B")).to_have_attribute("aria-invalid", "true")
    await expect(part(member, "B")).to_have_value("3,555")  # what was typed stays, to be corrected
    await expect(member.locator("#form-error")).not_to_contain_text("part")  # no English
    # Above the rulebook's maximum (qd148-1489-2025: part A out of 40): the engine's range, in Vietnamese.
    await part(member, "A").fill("45")
    await part(member, "B").fill("20")
    await part(member, "C").fill("28")
    await member.get_by_role("button", name="Kiểm tra phiếu").click()
    await expect(member.locator("#err-A")).to_have_text("Phần A được chấm từ 0 đến 40; đã nhập 45,00.")
    assert await scorecards_recorded(site) == 0
    await shot(member, "comma-01-refused")

    # Decimal commas, with spaces around: shown back exactly as they will be recorded.
    for name, typed in (("A", "3,5"), ("B", " 2,5"), ("C", "3,0 ")):
        await part(member, name).fill(typed)
    await expect(member.locator("#total")).to_have_text("9,00")  # the running total (script)
    await member.get_by_role("button", name="Kiểm tra phiếu").click()
    await expect(member.locator("#preview-text")).to_have_text(
        "Sẽ ghi nhận: A 3,50 · B 2,50 · C 3,00 — tổng 9,00"
    )
    assert await scorecards_recorded(site) == 0  # not before it is confirmed
    await shot(member, "comma-02-preview")

    # Back to change them: the form holds the same numbers; checked again, then confirmed.
    await member.get_by_role("button", name="Sửa lại").click()
    await expect(part(member, "A")).to_have_value("3,50")
    await member.get_by_role("button", name="Kiểm tra phiếu").click()
    await member.get_by_role("button", name="Xác nhận và ghi nhận").click()
    await expect(member.locator("#saved")).to_be_visible()
    await expect(member.locator("#mine")).to_contain_text("9,00")
    await shot(member, "comma-03-recorded")

    history = (await cast.member.get(f"/v1/journeys/{journey_id}/history")).json()["events"]
    submitted = [event for event in history if event["type"] == "scorecard_submitted"]
    assert len(submitted) == 1
    assert submitted[0]["data"]["parts"] == {"A": "3.50", "B": "2.50", "C": "3.00"}
    assert Decimal(submitted[0]["data"]["total"]) == Decimal("9.00")
    assert submitted[0]["data"]["total"] == "9.00"
    state = (await cast.member.get(f"/v1/journeys/{journey_id}")).json()
    assert state["evaluation"]["round_id"] == ROUND_ID
    assert state["evaluation"]["scorecards"][cast.member.id]["total"] == "9.00"
    await context.close()
