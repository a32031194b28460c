"""Revocation on the journey page under qd26-2026 (Art. 8), over HTTP without a browser: the six
grounds offered by their Vietnamese names, the concluding document uploaded by the provincial
agency and cited, the confirmation naming the ground, and the revocation recorded."""

from __future__ import annotations

import html

from tests.api.cast import make_cast, upload_pdf
from tests.api.harness import Api
from tests.web.test_http import Visitor


async def test_the_authority_revokes_on_a_named_ground_through_the_page(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.to_awaiting_round()
    await cast.evaluate(journey_id)
    today = await cast.today()
    await cast.authority.act(
        journey_id, "recognize", {"decision_number": "QĐ 15/QĐ-UBND", "decision_date": today}
    )
    conclusion = await upload_pdf(cast.provincial_officer, journey_id, "xac-nhan-cua-xa")

    authority = Visitor(api.http)
    await authority.sign_in(cast.authority.token)
    page = html.unescape((await authority.get(f"/journeys/{journey_id}")).text)
    assert 'id="step-revoke"' in page
    for label in ("a) Cung cấp thông tin", "b) Không còn đáp ứng tiêu chí", "đ) Chủ thể không còn hoạt động"):
        assert label in page
    assert 'name="concluded_on" type="date"' in page

    form = {"key": "", "grounds": "Chủ thể đã dừng sản xuất", "ground": "đ", "conclusion": conclusion}
    form["concluded_on"] = today
    asked = html.unescape((await authority.post(f"/journeys/{journey_id}/steps/revoke", form)).text)
    assert "đ) Chủ thể không còn hoạt động sản xuất sản phẩm OCOP" in asked  # what will be recorded
    assert (await cast.authority.get(f"/v1/journeys/{journey_id}")).json()["status"] == "CERTIFIED"

    done = await authority.post(f"/journeys/{journey_id}/steps/revoke", {**form, "confirmed": "yes"})
    assert done.status_code == 303, done.text
    history = (await cast.authority.get(f"/v1/journeys/{journey_id}/history")).json()["events"]
    assert (history[-1]["type"], history[-1]["data"]["ground"]) == ("revoked", "đ")
    assert history[-1]["data"]["conclusion"] == conclusion
