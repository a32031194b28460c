"""The periodic inspection's due day (``inspection_due``, qd26-2026 Art. 9.2.a) reaches the provincial
agency through the real notifier and a real SMTP server (aiosmtpd): one e-mail to the officer whose
jurisdiction covers the product's province, in Vietnamese, with the due day and what it is counted
from; the officer of another province gets nothing."""

from __future__ import annotations

from datetime import date

import asyncpg

from notifier.follower import Notifier
from schemas.events import InspectionBasis, InspectionDue
from tests.notifier.scene import Mailbox, address, cast, journey, record, register
from tests.notifier.test_delivery import OUTPUT, drain, mailbox, smtp

__all__ = ["mailbox"]  # the fixture, used by name


async def test_an_inspection_due_sends_the_provinces_agency_one_email_in_vietnamese(
    store_pool: asyncpg.Pool, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    await cast(store_pool)
    await register(store_pool)
    due = InspectionDue(
        certificate_number="TH-2026-017",
        stars=4,
        due_on=date(2027, 10, 15),
        counted_from=InspectionBasis.INSPECTION,
        since=date(2026, 10, 15),
        interval_days=365,
    )
    await record(store_pool, journey("J-1"), due)
    notifier = Notifier(store_pool, smtp(port))
    await drain(notifier)
    await drain(notifier)  # a second pass sends nothing again
    [message] = box.received()
    assert message["To"] == address("province-1")  # Thanh Hóa's agency, not province-other's
    assert message["Subject"] == "Đến kỳ kiểm tra định kỳ sản phẩm «Nem chua Thanh Hóa»"
    assert message["Content-Language"] == "vi"
    body = message.get_content()
    assert "giấy chứng nhận số TH-2026-017" in body
    assert "đến kỳ kiểm tra định kỳ từ ngày 15/10/2027" in body
    assert "đã 365 ngày kể từ lần kiểm tra gần nhất (15/10/2026)" in body
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "inspection_due.eml").write_bytes(bytes(message))
    kinds = await store_pool.fetch("SELECT DISTINCT recipient, kind FROM notices ORDER BY recipient")
    assert [(r["recipient"], r["kind"]) for r in kinds] == [("province-1", "inspection_due")]
