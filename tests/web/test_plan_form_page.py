"""The provincial officer sets the year's plan on its page (đặt kế hoạch): per-star targets and a
total, confirmed first, recorded as ``PUT /v1/plans/...`` records it; refused values are told
beside their field and nothing is recorded; another province's officer has no form."""

from __future__ import annotations

import html
import re
from datetime import date

from schemas.roles import Role
from tests.api.conftest import Api
from tests.web.test_http import Visitor

PROVINCE = 38  # Thanh Hóa


def _beside(response_text: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', response_text, re.S)
    return html.unescape(found.group(1)) if found else ""


async def _plan_events(api: Api) -> int:
    count: int = await api.pool.fetchval("SELECT count(*) FROM events WHERE type = 'plan_set'")
    return count


async def test_the_officer_sets_targets_and_a_total_after_confirming(api: Api) -> None:
    officer = await api.actor(Role.PROVINCIAL_OFFICER, str(PROVINCE))
    year = date.today().year
    path = f"/plans/{PROVINCE}/{year}"
    visitor = Visitor(api.http)
    await visitor.sign_in(officer.token)
    page = await visitor.get(path)
    assert page.status_code == 200
    assert 'id="set-plan"' in page.text
    key = re.search(r'name="key" value="([^"]+)"', page.text)
    assert key is not None
    fields = {"target_3": "12", "target_4": "3", "target_5": "1", "total": "20", "reference": "KH 36/KH-UBND"}
    asked = await visitor.post(path, {**fields, "key": key.group(1)})
    assert asked.status_code == 200
    assert "Xác nhận kế hoạch" in asked.text
    assert await _plan_events(api) == 0  # nothing before the confirmation
    done = await visitor.post(path, {**fields, "key": key.group(1), "confirmed": "yes"})
    assert (done.status_code, done.headers["location"]) == (303, f"{path}?done=set")
    again = await visitor.post(path, {**fields, "key": key.group(1), "confirmed": "yes"})  # a double click
    assert again.status_code == 303
    assert await _plan_events(api) == 1
    progress = (await officer.get(f"/v1/plans/{PROVINCE}/{year}/progress")).json()
    assert [(p["stars"], p["target"]) for p in progress["by_star"]] == [(3, 12), (4, 3), (5, 1)]
    assert progress["total_target"] == 20
    shown = await visitor.get(f"{path}?done=set")
    assert "Đã ghi kế hoạch." in shown.text
    assert 'name="target_3" type="number" min="0" step="1" inputmode="numeric" value="12"' in shown.text


async def test_refused_values_are_told_beside_their_field_and_nothing_is_recorded(api: Api) -> None:
    officer = await api.actor(Role.PROVINCIAL_OFFICER, str(PROVINCE))
    path = f"/plans/{PROVINCE}/{date.today().year}"
    visitor = Visitor(api.http)
    await visitor.sign_in(officer.token)
    await visitor.get(path)
    negative = await visitor.post(path, {"target_3": "5", "target_4": "-2", "total": ""})
    assert negative.status_code == 422
    assert "Nhập một số nguyên không âm" in _beside(negative.text, "target_4")
    assert not _beside(negative.text, "target_3")
    # A total below the stars' targets: the plan's rule (plan.total_below_targets), beside the total.
    below = await visitor.post(path, {"target_3": "5", "target_4": "4", "total": "6", "confirmed": "yes"})
    assert below.status_code == 422
    assert "không được thấp hơn tổng các chỉ tiêu theo hạng sao" in _beside(below.text, "total")
    assert 'value="6"' in below.text  # kept as typed
    assert await _plan_events(api) == 0


async def test_another_provinces_officer_has_no_form_and_is_refused(api: Api) -> None:
    officer = await api.actor(Role.PROVINCIAL_OFFICER, "1")
    path = f"/plans/{PROVINCE}/{date.today().year}"
    visitor = Visitor(api.http)
    await visitor.sign_in(officer.token)
    page = await visitor.get(path)
    assert 'id="set-plan"' not in page.text
    refused = await visitor.post(path, {"target_3": "5", "confirmed": "yes"})
    assert refused.status_code == 403
    assert await _plan_events(api) == 0
