"""One member's filled sheet laid out like Phụ lục II for printing: the member's own scorecard read
back from the log, part by part and option by option, the ticked option marked and the total; another
member's sheet stays sealed from a member who has not scored yet (independent scoring)."""

from __future__ import annotations

import re

from schemas.scorecard import SHEETS, Choice
from tests.api.cast import make_cast
from tests.api.harness import Api
from tests.scoresheets import filled, option_worth
from tests.web.test_http import Visitor
from tests.web.test_sheet_scoring_page import to_awaiting_round_with_set

SHEET = SHEETS["qd26-2026"]["I.1.a"]


def _choices() -> dict[str, Choice]:
    story = SHEET.criterion("5.1")
    assert story is not None
    return filled(SHEET, {"5.1": option_worth(story, "0.00")})  # no story: 5.2 does not apply


async def test_a_members_sheet_prints_like_phu_luc_ii_and_stays_sealed_from_the_others(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await to_awaiting_round_with_set(cast)
    await cast.enrol(journey_id)
    choices = _choices()
    body = {"choices": {code: c.model_dump(exclude_none=True) for code, c in choices.items()}}
    await cast.member.act(journey_id, "submit-scorecard", body)
    path = f"/journeys/{journey_id}/scorecards/{cast.member.id}/print"

    member = Visitor(api.http)
    await member.sign_in(cast.member.token)
    page = await member.get(path)
    assert page.status_code == 200, page.text
    html = page.text
    assert "Phiếu đánh giá sản phẩm OCOP" in html
    assert 'href="/static/print_sheet.css"' in html
    # 100 − 5 (5.1 at 0 of 5) − 2 (5.2 not applicable) = 93,00; part B 25 − 7 = 18,00.
    assert re.search(r'id="print-total">93,00<', html)
    part_b = re.search(r'data-code="B">(.*?)</tr>', html, re.S)
    assert part_b is not None
    assert "18,00" in part_b.group(1)
    na = re.search(r'data-code="5.2">(.*?)</tr>', html, re.S)
    assert na is not None
    assert "không áp dụng" in na.group(1)
    # Every criterion once, and one ticked option per answered criterion.
    assert len(re.findall(r'class="row-criterion ', html)) == len(SHEET.criteria)
    assert html.count('aria-label="đã chọn"') == len(choices)

    # The chair has not scored: the member's sheet is sealed from them, so there is nothing to print.
    chair = Visitor(api.http)
    await chair.sign_in(cast.chair.token)
    sealed = await chair.get(path)
    assert sealed.status_code == 404
    assert "93,00" not in sealed.text
