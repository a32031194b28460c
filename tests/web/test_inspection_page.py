"""Post-recognition inspection on the journey page under qd26-2026 (Art. 9), over HTTP without a
browser: the provincial agency ticks what it checked, uploads and cites its conclusion, concludes that
the product no longer meets the criteria; the inspection is recorded with the agency as its body and
the revocation file opens on ground (b)."""

from __future__ import annotations

import html
from typing import Any

from tests.api.cast import make_cast, upload_pdf
from tests.api.harness import Api
from tests.web.test_http import Visitor


async def test_the_agency_records_a_failing_inspection_through_the_page(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.to_awaiting_round()
    await cast.evaluate(journey_id)
    today = await cast.today()
    await cast.authority.act(
        journey_id, "recognize", {"decision_number": "QĐ 15/QĐ-UBND", "decision_date": today}
    )
    conclusion = await upload_pdf(cast.provincial_officer, journey_id, "bien-ban-kiem-tra")

    agency = Visitor(api.http)
    await agency.sign_in(cast.provincial_officer.token)
    page = html.unescape((await agency.get(f"/journeys/{journey_id}")).text)
    assert 'id="step-record-inspection"' in page
    for label in ("Kiểm tra đột xuất", "Sử dụng nhãn hiệu OCOP", "Sản phẩm không còn đáp ứng tiêu chí"):
        assert label in page
    assert 'type="checkbox" name="checked" value="criteria"' in page

    form: dict[str, Any] = {
        "key": "",
        "kind": "ad_hoc",
        "inspected_on": today,
        "checked": ["criteria", "ocop_mark"],  # two ticked checkboxes: the field sent twice
        "findings": "Không duy trì chỉ tiêu chất lượng theo hồ sơ đã đánh giá",
        "meets_criteria": "false",
        "conclusion": conclusion,
    }
    done = await agency.post(f"/journeys/{journey_id}/steps/record-inspection", form)
    assert done.status_code == 303, done.text
    history = (await cast.authority.get(f"/v1/journeys/{journey_id}/history")).json()["events"]
    inspected, opened = history[-2:]
    assert inspected["type"] == "inspection_recorded"
    assert inspected["data"]["checked"] == ["criteria", "ocop_mark"]
    assert inspected["data"]["meets_criteria"] is False
    assert inspected["data"]["body"] == "Cơ quan quản lý OCOP tỉnh Thanh Hóa"  # the actor's, not the form's
    assert (opened["type"], opened["data"]["ground"], opened["data"]["conclusion"]) == (
        "revocation_opened",
        "b",
        conclusion,
    )
