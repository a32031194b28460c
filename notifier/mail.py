"""E-mail channels: an SMTP server (aiosmtplib), or a folder of .eml files (``ocop dev`` without an
SMTP server). A channel either takes the message (it is handed over) or says why not, as an SMTP
reply code or an error class — never the server's own text, which may quote the address."""

from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Literal, Protocol

import aiosmtplib

from notifier.templates import Words

TlsMode = Literal["starttls", "tls", "none"]


class MailNotTaken(Exception):
    """The channel did not take the message; ``permanent`` ones are not tried again."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class MailChannel(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Hand ``message`` over, or raise MailNotTaken."""


def build_message(notice: uuid.UUID, sender: str, to: str, words: Words, lang: str) -> EmailMessage:
    """The e-mail of one notice; its Message-ID is the notice's id, the same at every attempt."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = words.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = sender.rpartition("@")[2] or "ocop.invalid"
    message["Message-ID"] = f"<{notice}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to a notice
    message.set_content(words.body + "\n", charset="utf-8")
    message["Content-Language"] = lang  # after set_content, which replaces every Content-* header
    return message


@dataclass(frozen=True)
class SmtpChannel:
    """An SMTP server: its host, port, TLS mode and (optional) credentials."""

    host: str
    port: int
    tls: TlsMode = "starttls"
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0

    async def send(self, message: EmailMessage) -> None:
        try:
            await aiosmtplib.send(
                message,
                hostname=self.host,
                port=self.port,
                use_tls=self.tls == "tls",
                start_tls=self.tls == "starttls",
                username=self.username,
                password=self.password,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = sorted({refusal.code for refusal in exc.recipients})
            raise MailNotTaken(f"smtp {codes[0]}", permanent=all(c >= 500 for c in codes)) from None
        except aiosmtplib.SMTPResponseException as exc:
            raise MailNotTaken(f"smtp {exc.code}", permanent=500 <= exc.code < 600) from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise MailNotTaken(type(exc).__name__, permanent=False) from None


@dataclass(frozen=True)
class FolderChannel:
    """A folder that collects each message as ``<notice id>.eml`` (written whole, then renamed, so
    a message sent again replaces itself)."""

    folder: Path

    async def send(self, message: EmailMessage) -> None:
        name = str(message["Message-ID"]).strip("<>").partition("@")[0] or uuid.uuid4().hex
        await asyncio.to_thread(self._write, name, bytes(message))

    def _write(self, name: str, content: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f".{name}.eml.part"
        partial.write_bytes(content)
        os.replace(partial, self.folder / f"{name}.eml")
