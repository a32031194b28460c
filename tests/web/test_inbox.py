"""The inbox on the pages: the notice the notifier wrote is shown in Vietnamese, counted unread in
the header, marked read by its form; another actor's notice is neither shown nor markable."""

from __future__ import annotations

import html

from notifier.follower import Notifier
from schemas.events import DossierReturned
from schemas.roles import Role
from tests.api.harness import Api
from tests.notifier.scene import DAY, HAC_THANH, journey, record, register
from tests.web.test_http import Visitor


async def test_the_inbox_shows_the_notice_counts_it_unread_and_marks_it_read(api: Api) -> None:
    producer = await api.actor(Role.PRODUCER, "38", "producer-1")
    officer = await api.actor(Role.COMMUNE_OFFICER, str(HAC_THANH))
    await register(api.pool)
    await record(
        api.pool, journey("J-1"), DossierReturned(missing_items=["Phiếu kiểm nghiệm"], completion_due=DAY)
    )
    notifier = Notifier(api.pool, None)  # the inbox only
    while await notifier.follow_once():
        pass
    visitor = Visitor(api.http)
    await visitor.sign_in(producer.token)
    home = await visitor.get("/")
    assert 'aria-label="1 thông báo chưa đọc">1</span>' in home.text
    page = await visitor.get("/inbox")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Hồ sơ sản phẩm «Nem chua Thanh Hóa» cần bổ sung" in text
    assert "- Phiếu kiểm nghiệm" in text
    assert "Hạn nộp bổ sung: 02/03/2026" in text
    assert 'href="/journeys/J-1"' in page.text
    [notice_id] = [
        str(row["notice_id"])
        for row in await api.pool.fetch("SELECT notice_id FROM notices WHERE recipient = 'producer-1'")
    ]
    assert f'action="/inbox/{notice_id}/read"' in page.text

    # Another actor sees none of it and cannot mark it.
    other = Visitor(api.http)
    await other.sign_in(officer.token)
    assert "Chưa có thông báo nào." in (await other.get("/inbox")).text
    refused = await other.post(f"/inbox/{notice_id}/read", {})
    assert refused.status_code == 404
    assert (
        await api.pool.fetchval("SELECT read_at FROM notices WHERE notice_id = $1::uuid", notice_id) is None
    )

    done = await visitor.post(f"/inbox/{notice_id}/read", {})
    assert (done.status_code, done.headers["location"]) == (303, "/inbox")
    after = await visitor.get("/inbox")
    assert "Chưa đọc: 0" in after.text
    assert "thông báo chưa đọc" not in after.text
    assert f'action="/inbox/{notice_id}/read"' not in after.text
