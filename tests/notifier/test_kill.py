"""Killing the notifier mid-batch (SIGKILL, a real process) and starting it again delivers each
notice exactly once: what was sent before the kill is not sent again, what was claimed but not
sent is sent by the next notifier once the dead one's claim runs out."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

from schemas.events import DossierReturned
from tests.notifier.scene import DAY, Mailbox, cast, journey, record, register, smtp_server

ROOT = Path(__file__).resolve().parents[2]
PRODUCTS = 12
HELD = 5  # the server holds the 5th message: the notifier is killed waiting for its reply


@dataclass
class HoldingMailbox(Mailbox):
    """Accepts messages, but holds message number ``HELD`` unanswered until released, and then
    refuses it (its sender is dead by then: nothing was taken)."""

    seen: int = 0
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            self.seen += 1
            hold = self.seen == HELD
        if hold:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
            return "451 4.3.0 not taken"
        return await super().handle_DATA(server, session, envelope)


def start_notifier(url: str, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.notifier.notifier_process", url, str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def wait_for(predicate: object, seconds: float) -> bool:
    assert callable(predicate)
    for _ in range(int(seconds * 20)):
        if predicate():
            return True
        await asyncio.sleep(0.05)
    return bool(predicate())


@pytest.mark.slow
async def test_a_notifier_killed_mid_batch_and_started_again_delivers_each_notice_once(
    migrated_database_url: str, store_pool: asyncpg.Pool
) -> None:
    box = HoldingMailbox()
    controller = smtp_server(box)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        await cast(store_pool)
        for n in range(PRODUCTS):
            await register(store_pool, f"J-{n}")
            await record(
                store_pool, journey(f"J-{n}"), DossierReturned(missing_items=["Nhãn"], completion_due=DAY)
            )
        first = start_notifier(migrated_database_url, controller.port)
        processes.append(first)
        assert await asyncio.to_thread(box.holding.wait, 60), "the notifier never reached the held message"
        first.send_signal(signal.SIGKILL)  # mid-batch: 4 sent, the 5th in flight, 7 more claimed
        assert await asyncio.to_thread(first.wait, 10) == -signal.SIGKILL
        box.release.set()
        statuses = Counter(
            r["status"] for r in await store_pool.fetch("SELECT status FROM notices WHERE channel = 'email'")
        )
        assert statuses == {"sent": HELD - 1, "pending": PRODUCTS - HELD + 1}
        claimed = await store_pool.fetchval(
            "SELECT count(*) FROM notices WHERE status = 'pending' AND lease_owner IS NOT NULL"
        )
        assert claimed == PRODUCTS - HELD + 1  # the dead notifier's claim, still running

        second = start_notifier(migrated_database_url, controller.port)
        processes.append(second)
        assert await wait_for(lambda: len(box.received()) >= PRODUCTS, 60)
        await asyncio.sleep(0.5)  # anything sent twice would arrive now
        received = Counter(str(m["Message-ID"]) for m in box.received())
        assert len(received) == PRODUCTS
        assert set(received.values()) == {1}
        statuses = Counter(
            r["status"] for r in await store_pool.fetch("SELECT status FROM notices WHERE channel = 'email'")
        )
        assert statuses == {"sent": PRODUCTS}
        inbox = await store_pool.fetchval("SELECT count(*) FROM notices WHERE channel = 'inbox'")
        assert inbox == PRODUCTS
    finally:
        box.release.set()
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()
        controller.stop()
