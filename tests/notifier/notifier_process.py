"""The notifier in a process of its own, for the kill test: ``python -m tests.notifier.notifier_process
DATABASE_URL SMTP_PORT`` follows the feed and sends e-mails (one claim of 20, a 2-second lease)
until it is killed."""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta

from notifier.follower import Notifier, NotifierConfig
from notifier.mail import SmtpChannel
from store.db import create_pool

CONFIG = NotifierConfig(mail_batch=20, lease=timedelta(seconds=2), poll_seconds=0.1)


async def main(url: str, port: int) -> None:
    pool = await create_pool(url, min_size=1, max_size=2)
    channel = SmtpChannel(host="127.0.0.1", port=port, tls="none", timeout=60)
    await Notifier(pool, channel, CONFIG).run(asyncio.Event())


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
