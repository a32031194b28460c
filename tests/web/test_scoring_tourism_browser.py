"""In Chromium (issue 14, tests): a community-tourism service (set VI.1, no samples) scored on its sheet
with its cases (trường hợp) chosen first, then a rank capped by a missed star minimum finalized by the
chair, who reads why on the board before and after (ocop.md §7: a rank is awarded only where its
minimums hold)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.async_api import expect

from schemas.rulebooks import get_rulebook
from schemas.scorecard import SHEETS, Choice
from tests.api.cast import IDEA, Cast, acceptance, make_cast, upload_pdf
from tests.web.conftest import Site, shot
from tests.web.test_pages import ROUND_ID, open_round_with
from tests.web.test_sheet_scoring_page import events, vn
from workflows.sheets import score_sheet

pytestmark = pytest.mark.slow

TOURISM_SET = "VI.1"  # Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch
SHEET = SHEETS["qd26-2026"][TOURISM_SET]
PRODUCT = "Du lịch cộng đồng bản Năng Cát"


def tourism_sheet() -> dict[str, Choice]:
    """Each criterion at its best in its first case, but 8 in case b at its best (option 3, 3 points)
    and 3.4 "Tăng trưởng sản xuất kinh doanh" at option 0 (1 of 3 points): 100 − 2 = 98, the 5★ band;
    3.4 needs 3 points for 4★ and for 5★ (its **** option), and 3★ asks nothing of it."""
    choices: dict[str, Choice] = {}
    for criterion in SHEET.criteria:
        variant = criterion.variants[0].code if criterion.variants else None
        best = max(criterion.variant_options(variant), key=lambda i: criterion.options[i].points)
        choices[criterion.code] = Choice(option=best, variant=variant)
    choices["8"] = Choice(option=3, variant="b")
    choices["3.4"] = Choice(option=0)
    return choices


async def tourism_awaiting_round(cast: Cast) -> str:
    idea = {**IDEA, "product_name": PRODUCT, "product_group": "tourism"}
    response = await cast.producer.post("/v1/journeys", {**idea, "product_set": TOURISM_SET})
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


async def test_a_tourism_sheet_with_cases_then_a_capped_rank_finalized_by_the_chair(site: Site) -> None:
    cast = await make_cast(site.api)
    journey_id = await tourism_awaiting_round(cast)
    await open_round_with(site, cast, journey_id)
    sheet = tourism_sheet()
    assert score_sheet(SHEET, sheet, get_rulebook("qd26-2026")).total == 98

    context, member = await site.signed_in(cast.member)
    await member.goto(f"/journeys/{journey_id}/score")
    await expect(member.locator("#sheet-name")).to_contain_text(TOURISM_SET)
    # 8's cases are asked first: case a's options until case b is chosen.
    await expect(member.locator("#crit-8 fieldset.variants")).to_be_visible()
    for code, choice in sheet.items():
        slug = code.replace(".", "_")
        if choice.variant is not None:
            await member.locator(f"#var-{slug}-{choice.variant}").check()
        await member.locator(f"#opt-{slug}-{choice.option}").check()
    await expect(member.locator("#opt-8-3")).to_be_checked()
    await expect(member.locator("#sheet-total")).to_have_text(vn(Decimal(98)))
    await member.locator("#score-submit").click()
    await expect(member.locator("#preview-text")).to_contain_text(f"tổng {vn(Decimal(98))}")
    assert await events(site, "scorecard_submitted") == 0
    await member.locator("#score-confirm").click()
    await expect(member.locator("#saved")).to_be_visible()
    await shot(member, "tourism-01-scored")
    # The member's filled sheet, printable like Phụ lục II: 8 printed with both cases, case b ticked.
    await member.locator("#print-link").click()
    await expect(member.locator("#print-total")).to_have_text(vn(Decimal(98)))
    await expect(member.locator("#sheet-rows tr.row-variant.chosen")).to_have_count(
        sum(1 for choice in sheet.values() if choice.variant is not None)
    )
    await member.emulate_media(media="print")
    await expect(member.locator("header.top")).to_be_hidden()
    await shot(member, "tourism-03-printable-sheet")
    await context.close()
    history = (await cast.member.get(f"/v1/journeys/{journey_id}/history")).json()["events"]
    (submitted,) = [event for event in history if event["type"] == "scorecard_submitted"]
    assert submitted["data"]["choices"]["8"] == {"option": 3, "variant": "b"}
    assert Decimal(submitted["data"]["points"]["8"]) == 3
    assert Decimal(submitted["data"]["total"]) == 98

    # The chair and the vice-chair give the same sheet: mean 98.00, 5★ by score, 3.4 short of 4★.
    body = {"choices": {code: choice.model_dump(exclude_none=True) for code, choice in sheet.items()}}
    for caller in (cast.chair, cast.vice_chair):
        await caller.act(journey_id, "submit-scorecard", body)
    chair_context, chair = await site.signed_in(cast.chair)
    await chair.goto(f"/rounds/{ROUND_ID}/board")
    capped = chair.locator(f"#capped-{journey_id}")
    await expect(capped).to_have_text("5★ theo điểm; 3★ vì 3.4 dưới mức tối thiểu của 4★")
    await chair.locator(f"button.finalize[data-journey='{journey_id}']").click()
    await expect(chair.locator("#confirm-facts")).to_be_visible()  # what will be recorded, first
    assert await events(site, "council_finalized") == 0
    await chair.locator("#confirm").click()
    await expect(chair.locator("p.notice[role=status]")).to_contain_text(PRODUCT)
    await shot(chair, "tourism-02-finalized-capped")
    await chair_context.close()
    journey = (await cast.chair.get(f"/v1/journeys/{journey_id}")).json()
    assert journey["status"] == "AWAITING_RECOGNITION"
    (result,) = journey["results"]
    assert (Decimal(result["mean"]), result["band_stars"], result["stars"]) == (Decimal(98), 5, 3)
    assert [[s["criterion"] for s in rank["shortfalls"]] for rank in result["held_back"]] == [
        ["3.4"],
        ["3.4"],
    ]
