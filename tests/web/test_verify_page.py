"""The whole log's verification as a page (/audit/verify): national log readers only (the API's rule,
``access.check_read_log``); a POST runs ``store.verify_all`` and the report reads in Vietnamese."""

from __future__ import annotations

import html

from playwright.async_api import expect

from schemas.log import StreamRef
from schemas.roles import Role
from store import EventStore
from tests.api.harness import Api
from tests.factories import THANH_HOA
from tests.store.helpers import key, new_event
from tests.web.conftest import Site
from tests.web.test_statistics_page import signed_in

_STREAM = StreamRef(type="journey", id="J-VERIFY")


async def _three_events(pool: object) -> None:
    store = EventStore(pool)  # type: ignore[arg-type]
    await store.append(_STREAM, 0, [new_event(), new_event(step=2), new_event(step=3)], key())


async def _tamper(api: Api) -> None:
    async with api.pool.acquire() as conn:
        await conn.execute("SET session_replication_role = replica")
        await conn.execute(
            "UPDATE events SET data = jsonb_set(data, '{score}', '99') "
            "WHERE stream_type = 'journey' AND stream_id = 'J-VERIFY' AND version = 2"
        )
        await conn.execute("RESET session_replication_role")


async def test_a_national_auditor_verifies_the_log_and_sees_a_break(api: Api) -> None:
    await _three_events(api.pool)
    auditor, _ = await signed_in(api, Role.AUDITOR, "VN")
    page = await auditor.get("/audit/verify")
    assert page.status_code == 200, page.text
    assert 'method="post" action="/audit/verify"' in page.text
    events = await api.event_count()
    done = await auditor.post("/audit/verify", {})
    assert done.status_code == 200, done.text
    text = html.unescape(done.text)
    assert "Nhật ký toàn vẹn" in text
    assert f'id="verify-events">{events}<' in text
    await _tamper(api)
    broken = html.unescape((await auditor.post("/audit/verify", {})).text)
    assert "Chuỗi băm bị phá vỡ" in broken
    assert '<tr id="broken-journey-J-VERIFY">' in broken
    assert '<td class="num">2</td>' in broken
    # What broke, in the reader's words (BrokenLink.kind), not the store's English sentence.
    assert "mã băm không khớp với nội dung (bị sửa?)" in broken
    assert "does not match content" not in broken


async def test_only_national_log_readers_may_verify(api: Api) -> None:
    provincial, _ = await signed_in(api, Role.AUDITOR, str(THANH_HOA))
    refused = await provincial.get("/audit/verify")
    assert refused.status_code == 403
    assert "toàn bộ nhật ký quyết định dành cho kiểm toán viên" in html.unescape(refused.text)
    assert (await provincial.post("/audit/verify", {})).status_code == 403
    producer, _ = await signed_in(api, Role.PRODUCER, str(THANH_HOA))
    assert (await producer.get("/audit/verify")).status_code == 403


async def test_the_verification_in_a_browser_holds_then_names_the_tampered_event(site: Site) -> None:
    await _three_events(site.api.pool)
    auditor = await site.api.actor(Role.AUDITOR, "VN")
    context, page = await site.signed_in(auditor)
    try:
        await page.goto("/audit/verify")
        await page.get_by_role("button", name="Kiểm tra toàn bộ nhật ký").click()
        await expect(page.locator("#verify-result")).to_contain_text("Nhật ký toàn vẹn")
        await _tamper(site.api)
        await page.get_by_role("button", name="Kiểm tra toàn bộ nhật ký").click()
        await expect(page.locator("#verify-result")).to_contain_text("Chuỗi băm bị phá vỡ")
        await expect(page.locator("#broken-journey-J-VERIFY")).to_contain_text("J-VERIFY")
        await expect(page.locator("#broken-journey-J-VERIFY")).to_contain_text("mã băm không khớp")
        await page.get_by_role("button", name="English").click()
        await page.goto("/audit/verify")
        await page.get_by_role("button", name="Verify the whole log").click()
        await expect(page.locator("#broken-journey-J-VERIFY")).to_contain_text(
            "the hash does not match the content (edited?)"
        )
    finally:
        await context.close()
