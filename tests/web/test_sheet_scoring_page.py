"""The scoring page of a product with a sheet (QĐ 26/2026 Phụ lục II, issue 14 item 6), in Chromium: a
council member fills the whole I.1.a sheet with the keyboard alone (Tab between criteria, arrow keys
between options, Space to choose), is refused beside the one criterion left out, sees the part totals
and total the engine will record, confirms; the journey records the choices and the total; the
amendment starts from those choices; and once the other members have scored through the API the
chair's board shows the rank the star minimums cap. The sheet is photographed 375 px wide."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.async_api import Page, expect

from schemas.rulebook import PARTS
from schemas.scorecard import SHEETS, Choice
from tests.api.cast import IDEA, Cast, acceptance, make_cast, upload_pdf
from tests.scoresheets import filled, option_worth, total_of
from tests.web.conftest import SCREENSHOTS, Site, shot, unlabelled_fields
from tests.web.test_pages import ROUND_ID, open_round_with

pytestmark = pytest.mark.slow

FOOD_SET = "I.1.a"
SHEET = SHEETS["qd26-2026"][FOOD_SET]


def members_sheet() -> dict[str, Choice]:
    """What the member chooses: no product story (5.1 at 0 points, so 5.2 "Chỉ áp dụng khi có câu
    chuyện sản phẩm" does not apply), 1.1 at its lowest option, 3.3 at 2 points; the best option
    elsewhere."""
    c51, c11, c33 = SHEET.criterion("5.1"), SHEET.criterion("1.1"), SHEET.criterion("3.3")
    assert c51 is not None
    assert c11 is not None
    assert c33 is not None
    lowest = min(c11.options, key=lambda option: option.points)
    return filled(
        SHEET,
        {
            "5.1": option_worth(c51, "0.00"),
            "1.1": option_worth(c11, str(lowest.points)),
            "3.3": option_worth(c33, "2.00"),
        },
    )


def vn(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


async def to_awaiting_round_with_set(cast: Cast) -> str:
    """A food product that names its set (I.1.a) at registration, its dossier accepted and reviewed
    by the advisory team."""
    response = await cast.producer.post("/v1/journeys", {**IDEA, "product_set": FOOD_SET})
    assert response.status_code == 201, response.text
    journey_id: str = response.json()["journey_id"]
    await cast.commune_officer.act(journey_id, "accept-idea")
    plan = await upload_pdf(cast.producer, journey_id, "plan")
    await cast.producer.act(journey_id, "submit-plan", {"document": plan})
    await cast.commune_officer.act(journey_id, "approve-plan")
    form = await upload_pdf(cast.producer, journey_id, "form01")
    await cast.producer.act(journey_id, "submit-dossier", {"documents": [form]})
    report = await upload_pdf(cast.commune_officer, journey_id, "report")
    body = await acceptance(cast.commune_officer, journey_id, report)
    await cast.commune_officer.act(journey_id, "accept-dossier", body)
    await cast.advise(journey_id)
    return journey_id


async def choose_with_keyboard(
    page: Page, targets: dict[str, int], stop_id: str = "score-submit"
) -> set[str]:
    """Tab from where the focus is to ``stop_id``; in each criterion's group of radio buttons reached
    on the way whose code is in ``targets``, move with the arrow keys to the option wanted and press
    Space. The codes whose option was chosen."""
    chosen: set[str] = set()
    for _ in range(600):
        await page.keyboard.press("Tab")
        active = await page.evaluate(
            "() => { const e = document.activeElement;"
            " return {id: e.id, name: e.name || '', type: e.type || '', value: e.value || ''}; }"
        )
        if active["id"] == stop_id:
            return chosen
        code = active["name"][2:] if active["type"] == "radio" and active["name"].startswith("c-") else ""
        if code in targets:
            step = targets[code] - int(active["value"])
            for _ in range(abs(step)):
                await page.keyboard.press("ArrowDown" if step > 0 else "ArrowUp")
            await page.keyboard.press("Space")
            chosen.add(code)
    raise AssertionError(f"Tab never reached #{stop_id}")


async def events(site: Site, kind: str) -> int:
    count: int = await site.api.pool.fetchval("SELECT count(*) FROM events WHERE type = $1", kind)
    return count


async def test_a_member_fills_the_sheet_with_the_keyboard_and_the_board_shows_the_capped_rank(
    site: Site,
) -> None:
    cast = await make_cast(site.api)
    journey_id = await to_awaiting_round_with_set(cast)
    await open_round_with(site, cast, journey_id)
    sheet = members_sheet()
    targets = {code: choice.option for code, choice in sheet.items() if choice.option is not None}
    assert "5.2" not in sheet  # not applicable once 5.1 says there is no story

    context, member = await site.signed_in(cast.member)
    await member.set_viewport_size({"width": 375, "height": 800})  # a phone / small tablet
    await member.goto(f"/journeys/{journey_id}/score")
    assert await unlabelled_fields(member) == []
    # The sheet comes from the data: every criterion with its code, label, options and markers.
    for criterion in SHEET.criteria:
        box = member.locator(f"#crit-{criterion.code.replace('.', '_')}")
        await expect(box.locator("legend").first).to_contain_text(f"{criterion.code} {criterion.label}")
        await expect(box.locator("input[type=radio]")).to_have_count(len(criterion.options))
    c13 = SHEET.criterion("1.3")
    assert c13 is not None
    assert c13.options[2].star_marker == 5
    await expect(member.locator("label[for='opt-1_3-2'] .marker")).to_have_text("*****")
    await expect(member.get_by_label(re.compile(re.escape(c13.options[2].text)))).to_have_attribute(
        "data-points", str(int(c13.options[2].points * 100))
    )
    await expect(member.locator("#crit-5_2")).to_contain_text("Chỉ áp dụng khi có câu chuyện sản phẩm")
    # Nothing is wider than the screen.
    width = await member.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"the sheet is {width} px wide on a 375-px screen"
    await shot(member, "sheet-01-375px")
    await member.locator("#crit-1_3").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await member.screenshot(path=str(SCREENSHOTS / "sheet-01-375px-screen.png"))  # one screenful

    # -- every criterion but 3.3, with the keyboard alone: refused beside 3.3, nothing recorded
    await member.locator("#sheet-name").click()  # the focus starts above the sheet
    left_out = {code: option for code, option in targets.items() if code != "3.3"}
    assert await choose_with_keyboard(member, left_out) == set(left_out)
    await expect(member.locator("#crit-5_2 p.na")).to_be_visible()  # shown as not applicable
    await expect(member.locator("#opt-5_2-0")).to_be_disabled()
    await member.keyboard.press("Enter")  # on "Kiểm tra phiếu"
    await expect(member.locator("#err-3_3")).to_have_text("Chưa chọn phương án cho tiêu chí 3.3.")
    await expect(member.locator("#crit-3_3")).to_have_attribute("aria-invalid", "true")
    await expect(member.locator("#form-error")).to_contain_text("bên cạnh từng tiêu chí")
    await expect(member.locator("#opt-1_1-0")).to_be_checked()  # what was chosen stays
    assert await events(site, "scorecard_submitted") == 0
    await shot(member, "sheet-02-refused-3.3")

    # -- 3.3 chosen; the running total is the sum of the options, the preview the engine's
    await member.locator("#sheet-name").click()
    assert await choose_with_keyboard(member, {"3.3": targets["3.3"]}) == {"3.3"}
    total = total_of(SHEET, sheet)
    parts = {part: Decimal(0) for part in PARTS}
    for code, choice in sheet.items():
        assert choice.option is not None
        scored = SHEET.criterion(code)
        assert scored is not None
        parts[SHEET.part_of(code)] += scored.options[choice.option].points
    await expect(member.locator("#sheet-total")).to_have_text(vn(total))
    for part in PARTS:
        await expect(member.locator(f"#sum-{part}")).to_have_text(vn(parts[part]))
    await member.keyboard.press("Enter")
    recorded = " · ".join(f"{part} {vn(parts[part])}" for part in PARTS)
    await expect(member.locator("#preview-text")).to_have_text(f"Sẽ ghi nhận: {recorded} — tổng {vn(total)}")
    await expect(member.locator("#preview-na")).to_have_text("Không áp dụng: 5.2.")
    assert await events(site, "scorecard_submitted") == 0  # not before it is confirmed
    await shot(member, "sheet-03-preview")
    await member.locator("#score-confirm").focus()
    await member.keyboard.press("Enter")
    await expect(member.locator("#saved")).to_be_visible()
    await expect(member.locator("#mine")).to_contain_text(vn(total))

    history = (await cast.member.get(f"/v1/journeys/{journey_id}/history")).json()["events"]
    submitted = [event for event in history if event["type"] == "scorecard_submitted"]
    assert len(submitted) == 1
    data = submitted[0]["data"]
    assert {code: Choice.model_validate(choice) for code, choice in data["choices"].items()} == sheet
    assert Decimal(data["total"]) == total
    assert {part: Decimal(value) for part, value in data["parts"].items()} == parts
    assert data["not_applicable"] == ["5.2"]

    # -- the amendment starts from the recorded choices
    for code, option in targets.items():
        await expect(member.locator(f"#opt-{code.replace('.', '_')}-{option}")).to_be_checked()
    await expect(member.locator("#crit-5_2 p.na")).to_be_visible()
    await expect(member.get_by_label(re.compile("^Lý do sửa"))).to_be_visible()
    await context.close()

    # -- the other voting members score the best options through the API; the chair's board
    best = {code: choice.model_dump(exclude_none=True) for code, choice in filled(SHEET).items()}
    for caller in (cast.chair, cast.vice_chair):
        await caller.act(journey_id, "submit-scorecard", {"choices": best})
    # Hand-checked: the totals are 100, 100 and the member's (100 − 5 for 5.1 − 2 for 5.2 − 1 for
    # 3.3 − what 1.1's lowest option misses), a mean above 90 (the 5★ band); 5.1's mean is
    # (0 + 5 + 5) / 3 = 3.33, below its 5.00 minimum for 4★ and 5★ (its **** option, the best, is
    # worth 5), and 3★ imposes none on it: 3★.
    assert total > Decimal(80)
    chair_context, chair = await site.signed_in(cast.chair)
    await chair.goto(f"/rounds/{ROUND_ID}/board")
    await expect(chair.locator(f"#capped-{journey_id}")).to_have_text(
        "5★ theo điểm; 3★ vì 5.1 dưới mức tối thiểu của 4★"
    )
    await shot(chair, "sheet-04-board-capped")
    await chair_context.close()
