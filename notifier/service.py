"""Running the notifier from the settings: ``ocop notifier`` and ``ocop dev`` call ``run``."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import structlog

import store
from notifier.follower import Notifier, NotifierConfig
from notifier.mail import FolderChannel, MailChannel, SmtpChannel
from settings import Settings

log = structlog.get_logger(__name__)


def mail_folder(settings: Settings) -> Path:
    return settings.mail_dir or settings.data_dir / "mail"


def mail_channel(settings: Settings) -> MailChannel:
    """The SMTP server of the settings, or (none set) the mail folder."""
    if settings.smtp_host:
        return SmtpChannel(
            host=settings.smtp_host,
            port=settings.smtp_port,
            tls=settings.smtp_tls,
            username=settings.smtp_username,
            password=settings.smtp_password,
        )
    return FolderChannel(mail_folder(settings))


def notifier_config(settings: Settings) -> NotifierConfig:
    return NotifierConfig(
        sender=settings.mail_sender,
        language=settings.mail_language,
        max_attempts=settings.mail_max_attempts,
        retry_base=timedelta(seconds=settings.mail_retry_seconds),
    )


async def run(settings: Settings, database_url: str, stop: asyncio.Event) -> None:
    """Follow the feed and deliver notices until ``stop`` is set."""
    pool = await store.create_pool(database_url, min_size=1, max_size=4)
    try:
        channel = mail_channel(settings)
        where = f"smtp {settings.smtp_host}:{settings.smtp_port}" if settings.smtp_host else "folder"
        log.info("notifier started", mail=where)
        await Notifier(pool, channel, notifier_config(settings)).run(stop)
    finally:
        await pool.close()
