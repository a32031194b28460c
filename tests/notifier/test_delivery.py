"""Delivery from the log to a real SMTP server (aiosmtpd on a loopback port): one e-mail per
(event, recipient), in Vietnamese, with what the event says; refused addresses reported to the
administrators and not retried forever; two notifiers at once; no personal data kept or logged."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
from structlog.testing import capture_logs

from notifier.follower import Notifier, NotifierConfig
from notifier.mail import SmtpChannel
from schemas.events import DossierReturned, EnrolledInRound
from store.db import create_pool
from store.notices import NoticeStore
from tests.notifier.scene import DAY, ROSTER, Mailbox, address, cast, journey, record, register, smtp_server

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "notifier"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    controller = smtp_server(box)
    try:
        yield box, controller.port
    finally:
        controller.stop()


def smtp(port: int) -> SmtpChannel:
    return SmtpChannel(host="127.0.0.1", port=port, tls="none", timeout=10)


async def the_email(pool: asyncpg.Pool, columns: str) -> asyncpg.Record:
    row = await pool.fetchrow(f"SELECT {columns} FROM notices WHERE channel = 'email'")
    assert row is not None
    return row


async def drain(notifier: Notifier) -> None:
    while await notifier.follow_once():
        pass
    while await notifier.deliver_once():
        pass


async def test_a_returned_dossier_sends_the_producer_one_email_in_vietnamese_with_what_is_missing(
    store_pool: asyncpg.Pool, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    await cast(store_pool)
    await register(store_pool)
    missing = ["Phiếu kết quả kiểm nghiệm chỉ tiêu vi sinh", "Giấy chứng nhận cơ sở đủ điều kiện ATTP"]
    await record(store_pool, journey("J-1"), DossierReturned(missing_items=missing, completion_due=DAY))
    notifier = Notifier(store_pool, smtp(port))
    with capture_logs() as logs:
        await drain(notifier)
        await drain(notifier)  # a second pass sends nothing again
    [message] = box.received()
    assert message["To"] == address("producer-1")
    assert message["Subject"] == "Hồ sơ sản phẩm «Nem chua Thanh Hóa» cần bổ sung"
    assert message["Content-Language"] == "vi"
    body = message.get_content()
    assert "Các nội dung còn thiếu:" in body
    for item in missing:
        assert f"- {item}" in body
    assert "Hạn nộp bổ sung: 02/03/2026" in body
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "dossier_returned.eml").write_bytes(bytes(message))
    # The hand-off is recorded; the inbox has it too.
    statuses = await store_pool.fetch("SELECT channel, status, handed_at FROM notices ORDER BY channel")
    assert [(r["channel"], r["status"]) for r in statuses] == [("email", "sent"), ("inbox", "delivered")]
    assert all(r["handed_at"] is not None for r in statuses)
    # No address or name in the log lines, the events or the notifier's own tables.
    personal = [address("producer-1"), "Người producer-1"]
    tables = [
        str([dict(r) for r in await store_pool.fetch(f"SELECT * FROM {table}")])
        for table in ("notices", "notifier_cursors", "actor_parties", "events")
    ]
    for text in [str(logs), *tables]:
        assert not any(value in text for value in personal)
    assert any(entry["event"] == "notice handed to the mail channel" for entry in logs)


async def test_a_refused_address_is_reported_to_the_administrators_and_not_retried(
    store_pool: asyncpg.Pool, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    box.refuse[address("producer-1")] = "550 5.1.1 <producer-1@thu.example.vn>: no such user"
    await cast(store_pool)
    await register(store_pool)
    await record(store_pool, journey("J-1"), DossierReturned(missing_items=["Nhãn"], completion_due=DAY))
    notifier = Notifier(store_pool, smtp(port))
    await drain(notifier)
    await drain(notifier)
    assert box.received() == []
    row = await the_email(store_pool, "status, attempts, last_error")
    assert dict(row) == {
        "status": "failed",
        "attempts": 1,
        "last_error": "smtp 550",
    }  # not the server's words
    store = NoticeStore(store_pool)
    [told] = await store.inbox("admin-1")
    assert told.kind == "email_failed"
    assert await store.unread_count("admin-1") == 1


async def test_a_deferred_email_is_retried_with_backoff_then_given_up(
    store_pool: asyncpg.Pool, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    box.refuse[address("producer-1")] = "451 4.3.0 try again later"
    await cast(store_pool)
    await register(store_pool)
    await record(store_pool, journey("J-1"), DossierReturned(missing_items=["Nhãn"], completion_due=DAY))
    config = NotifierConfig(max_attempts=3, retry_base=timedelta(milliseconds=200))
    notifier = Notifier(store_pool, smtp(port), config)
    await drain(notifier)
    first = await the_email(store_pool, "status, attempts, next_attempt_at - now() AS wait")
    assert (first["status"], first["attempts"]) == ("pending", 1)
    assert timedelta(0) < first["wait"] <= timedelta(milliseconds=200)
    await asyncio.sleep(0.25)
    await drain(notifier)
    second = await the_email(store_pool, "attempts, next_attempt_at - now() AS wait")
    assert second["attempts"] == 2
    assert timedelta(milliseconds=200) < second["wait"] <= timedelta(milliseconds=400)  # doubled
    await asyncio.sleep(0.45)
    await drain(notifier)
    final = await the_email(store_pool, "status, attempts")
    assert (final["status"], final["attempts"]) == ("failed", 3)
    [told] = await NoticeStore(store_pool).inbox("admin-1")
    assert told.kind == "email_failed"


async def test_a_recipient_without_an_address_gets_the_inbox_notice_and_no_email(
    store_pool: asyncpg.Pool, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    await cast(store_pool, with_addresses=False)
    await register(store_pool)
    await record(store_pool, journey("J-1"), DossierReturned(missing_items=["Nhãn"], completion_due=DAY))
    await drain(Notifier(store_pool, smtp(port)))
    assert box.received() == []
    rows = await store_pool.fetch("SELECT channel, status FROM notices ORDER BY channel")
    assert [(r["channel"], r["status"]) for r in rows] == [
        ("email", "without_address"),
        ("inbox", "delivered"),
    ]


async def test_two_notifiers_at_once_deliver_each_notice_once(
    migrated_database_url: str, store_pool: asyncpg.Pool, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    await cast(store_pool)
    journeys = [f"J-{n}" for n in range(12)]
    for journey_id in journeys:
        await register(store_pool, journey_id)
        await record(
            store_pool, journey(journey_id), EnrolledInRound(round_id="R-1", level="province", council=ROSTER)
        )
        await record(
            store_pool, journey(journey_id), DossierReturned(missing_items=["Nhãn"], completion_due=DAY)
        )
    config = NotifierConfig(batch=5, mail_batch=3)
    # Two notifiers as two processes would be: each its own pool and its own claims.
    pools = [await create_pool(migrated_database_url, min_size=1, max_size=3) for _ in range(2)]
    try:
        notifiers = [Notifier(pool, smtp(port), config) for pool in pools]
        await asyncio.gather(*(drain(n) for n in notifiers), *(drain(n) for n in notifiers))
    finally:
        for pool in pools:
            await pool.close()
    # The Message-ID is the notice's id: one per (event, recipient), the same at every attempt.
    received = Counter(str(m["Message-ID"]) for m in box.received())
    # Per journey: the chair and one member are told to score; the producer that the dossier returned.
    expected = 12 * 3
    assert sum(received.values()) == expected
    assert set(received.values()) == {1}
    counts = await store_pool.fetch(
        "SELECT channel, status, count(*) FROM notices GROUP BY 1, 2 ORDER BY 1, 2"
    )
    assert [(r["channel"], r["status"], r["count"]) for r in counts] == [
        ("email", "sent", expected),
        ("inbox", "delivered", expected),
    ]
