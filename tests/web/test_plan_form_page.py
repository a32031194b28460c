"""The provincial officer sets the year's plan on its page (đặt kế hoạch): per-star targets and a
total, confirmed first, recorded as ``PUT /v1/plans/...`` records it; refused values are told
beside their field and nothing is recorded; another province's officer has no form."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from playwright.async_api import expect

from schemas.roles import Role
from tests.api.harness import Api, Caller
from tests.web.conftest import Site, shot, unlabelled_fields
from tests.web.test_http import Visitor
from workflows.calendar import local_date

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
    assert 'name="target_3" type="text" inputmode="numeric" autocomplete="off" value="12"' in shown.text


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


@pytest.mark.slow
async def test_in_the_browser_an_administrator_creates_the_officer_who_sets_the_plan(site: Site) -> None:
    """The two forms in Chromium, in Vietnamese: /actors/new gives a token once; the officer signs
    in with it and sets the year's plan on its page, after the confirmation."""
    api = site.api
    admin = await api.actor(Role.ADMINISTRATOR, str(PROVINCE), "admin-thanh-hoa")
    year = local_date(await api.env.get_current_time()).year
    context, page = await site.signed_in(admin)
    await page.goto("/actors")
    await page.get_by_role("link", name="Tạo tác nhân mới").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Tạo tác nhân mới")
    assert await unlabelled_fields(page) == []
    await page.get_by_label("Vai trò").select_option("provincial_officer")
    await page.get_by_label("Địa bàn").fill(str(PROVINCE))
    await page.get_by_label("Mã tác nhân").fill("cb-tinh-moi")
    await shot(page, "p2-01-actor-new")
    await page.get_by_role("button", name="Tạo tác nhân").click()
    await expect(page.locator("#confirm-facts")).to_contain_text("Cán bộ cấp tỉnh")
    await page.get_by_role("button", name="Xác nhận và ghi nhận").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Tác nhân cb-tinh-moi")
    token = (await page.locator("#once-value").inner_text()).strip()
    await shot(page, "p2-02-actor-token-once")
    await page.reload()  # shown once: not on the page read again
    await expect(page.locator("#once-value")).to_have_count(0)

    officer = Caller(api.http, "cb-tinh-moi", Role.PROVINCIAL_OFFICER, token)
    officer_context, plan = await site.signed_in(officer)
    await plan.goto(f"/plans/{PROVINCE}/{year}")
    await expect(plan.locator("#no-plan")).to_be_visible()
    assert await unlabelled_fields(plan) == []
    await plan.get_by_label("Chỉ tiêu ★★★", exact=True).fill("12")
    await plan.get_by_label("Chỉ tiêu ★★★★", exact=True).fill("3")
    await plan.get_by_label("Chỉ tiêu tổng số sản phẩm mới").fill("10")  # below 15: refused
    await plan.get_by_role("button", name="Ghi kế hoạch").click()
    await plan.get_by_role("button", name="Xác nhận và ghi nhận").click()
    await expect(plan.locator("#total-error")).to_contain_text("không được thấp hơn")
    await shot(plan, "p2-03-plan-refused")
    await plan.get_by_label("Chỉ tiêu tổng số sản phẩm mới").fill("20")
    await plan.get_by_role("button", name="Ghi kế hoạch").click()
    await expect(plan.locator("#confirm-facts")).to_contain_text("20")
    await shot(plan, "p2-04-plan-confirm")
    await plan.get_by_role("button", name="Xác nhận và ghi nhận").click()
    await expect(plan.locator("#done")).to_have_text("Đã ghi kế hoạch.")
    await expect(plan.locator("#plan tr[data-stars='3'] td").nth(0)).to_have_text("12")
    await shot(plan, "p2-05-plan-set")
    await officer_context.close()
    await context.close()


@pytest.mark.slow
async def test_in_the_browser_a_thousands_dot_counts_and_a_decimal_comma_is_refused(site: Site) -> None:
    """Typed as a Vietnamese officer types numbers: "1.234" (a thousands dot) reaches the engine as
    1234; "2,5" (a decimal comma) is refused beside its field, in Vietnamese. A ``type="number"``
    field let Chromium drop or rewrite either before the form was sent."""
    api = site.api
    officer = await api.actor(Role.PROVINCIAL_OFFICER, str(PROVINCE))
    year = local_date(await api.env.get_current_time()).year
    context, page = await site.signed_in(officer)
    await page.goto(f"/plans/{PROVINCE}/{year}")
    await page.get_by_label("Chỉ tiêu ★★★", exact=True).press_sequentially("1.234")
    await page.get_by_label("Chỉ tiêu ★★★★", exact=True).press_sequentially("2,5")
    await page.get_by_label("Chỉ tiêu tổng số sản phẩm mới").press_sequentially("1.300")
    await page.get_by_role("button", name="Ghi kế hoạch").click()
    await expect(page.locator("#target_4-error")).to_have_text(re.compile("Nhập một số nguyên không âm"))
    await expect(page.get_by_label("Chỉ tiêu ★★★★", exact=True)).to_have_value("2,5")  # kept as typed
    assert await _plan_events(api) == 0
    await page.get_by_label("Chỉ tiêu ★★★★", exact=True).fill("")
    await page.get_by_label("Chỉ tiêu ★★★★", exact=True).press_sequentially("20")
    await page.get_by_role("button", name="Ghi kế hoạch").click()
    await expect(page.locator("#confirm-facts")).to_contain_text("1.234")
    await page.get_by_role("button", name="Xác nhận và ghi nhận").click()
    await expect(page.locator("#done")).to_have_text("Đã ghi kế hoạch.")
    progress = (await officer.get(f"/v1/plans/{PROVINCE}/{year}/progress")).json()
    assert [(p["stars"], p["target"]) for p in progress["by_star"]] == [(3, 1234), (4, 20), (5, None)]
    assert progress["total_target"] == 1300
    await context.close()
