"""The notifier's tables (migrations/0005_notices.sql): its cursor on the gap-free feed, the notices
(one per event, recipient and channel), the claims on e-mails being sent, and the inbox's reads.

Nothing personal is kept here: a recipient is an actor id, and the address an e-mail goes to is
read from the parties table (through ``actor_parties``) when it is sent, never stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from store.actors import ACTOR_COLUMNS, ActorRecord

# Deterministic notice ids: the same (event, recipient, channel) always gets the same id, which is
# also the e-mail's Message-ID, so a receiver can tell a re-sent message from a new one.
_NOTICE_NAMESPACE = uuid.UUID("5c0b1f0e-6f63-6f70-6e6f-746963657300")


def notice_id(about: uuid.UUID, recipient: str, channel: str) -> uuid.UUID:
    return uuid.uuid5(_NOTICE_NAMESPACE, f"{about}/{recipient}/{channel}")


@dataclass(frozen=True)
class NewNotice:
    """A notice the follower is to write."""

    event_id: uuid.UUID
    position: int
    recipient: str
    channel: str
    kind: str


@dataclass(frozen=True)
class Notice:
    """A stored notice (with the event it tells about, for its words)."""

    notice_id: uuid.UUID
    event_id: uuid.UUID | None
    about_notice: uuid.UUID | None
    position: int
    recipient: str
    channel: str
    kind: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    handed_at: datetime | None
    read_at: datetime | None


_NOTICE_COLUMNS = """notice_id, event_id, about_notice, position, recipient, channel, kind, status, attempts,
last_error, created_at, handed_at, read_at"""


class NoticeStore:
    """Reads and writes of the notifier and the inbox."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    # -- the follower -------------------------------------------------------------------------

    async def cursor(self, name: str) -> int:
        """The feed position up to which ``name`` has written notices (0 at first)."""
        position = await self.pool.fetchval("SELECT position FROM notifier_cursors WHERE name = $1", name)
        return int(position or 0)

    async def write_batch(self, name: str, after: int, upto: int, notices: Sequence[NewNotice]) -> bool:
        """Write the notices of the events in (``after``, ``upto``] and move the cursor to ``upto``,
        in one transaction; False (nothing written) if the cursor is no longer at ``after``.

        The cursor row is locked first, so of two followers that read the same batch one writes it
        and the other finds the cursor moved; the unique (event, recipient, channel) key would
        refuse a second copy anyway. A crash before COMMIT leaves cursor and notices as they were."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO notifier_cursors (name, position) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING",
                name,
            )
            current = await conn.fetchval(
                "SELECT position FROM notifier_cursors WHERE name = $1 FOR UPDATE", name
            )
            if current != after:
                return False
            if notices:
                await conn.executemany(
                    """INSERT INTO notices (notice_id, event_id, position, recipient, channel, kind, status,
                        handed_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $7 = 'delivered' THEN now() END)
                    ON CONFLICT (event_id, recipient, channel) DO NOTHING""",
                    [
                        (
                            notice_id(n.event_id, n.recipient, n.channel),
                            n.event_id,
                            n.position,
                            n.recipient,
                            n.channel,
                            n.kind,
                            "delivered" if n.channel == "inbox" else "pending",
                        )
                        for n in notices
                    ],
                )
            await conn.execute(
                "UPDATE notifier_cursors SET position = $2, updated_at = now() WHERE name = $1", name, upto
            )
        return True

    async def actors_in_role(self, role: str) -> list[ActorRecord]:
        """Active actors of ``role`` (the follower keeps those whose jurisdiction covers the product)."""
        rows = await self.pool.fetch(
            f"""SELECT {ACTOR_COLUMNS} FROM actors WHERE role = $1 AND deactivated_at IS NULL
            ORDER BY actor_id""",
            role,
        )
        return [ActorRecord(**dict(row)) for row in rows]

    # -- e-mail -------------------------------------------------------------------------------

    async def claim_email(self, owner: str, lease: timedelta, limit: int) -> list[Notice]:
        """Claim up to ``limit`` e-mails that are due, for ``lease``: no other sender takes them
        until the lease runs out (a sender that died leaves them to the next after that)."""
        rows = await self.pool.fetch(
            f"""UPDATE notices SET lease_owner = $1, lease_until = now() + $2
            WHERE notice_id IN (
                SELECT notice_id FROM notices
                WHERE channel = 'email' AND status = 'pending' AND next_attempt_at <= now()
                  AND (lease_until IS NULL OR lease_until < now())
                ORDER BY position, notice_id LIMIT $3
                FOR UPDATE SKIP LOCKED)
            RETURNING {_NOTICE_COLUMNS}""",
            owner,
            lease,
            limit,
        )
        return sorted((Notice(**dict(row)) for row in rows), key=lambda n: (n.position, str(n.notice_id)))

    async def begin_attempt(self, notice: uuid.UUID, owner: str, lease: timedelta) -> bool:
        """Right before sending: renew the claim and count the attempt; False if the claim was lost
        (it ran out and another sender took the e-mail) — then this sender must not send it."""
        status = await self.pool.execute(
            """UPDATE notices SET lease_until = now() + $3, attempts = attempts + 1
            WHERE notice_id = $1 AND lease_owner = $2 AND status = 'pending' AND lease_until > now()""",
            notice,
            owner,
            lease,
        )
        return status == "UPDATE 1"

    async def mark_sent(self, notice: uuid.UUID, owner: str) -> None:
        """The SMTP server (or the mail folder) took the message: it was handed over."""
        await self.pool.execute(
            """UPDATE notices SET status = 'sent', handed_at = now(), lease_owner = NULL, lease_until = NULL,
                last_error = NULL
            WHERE notice_id = $1 AND lease_owner = $2""",
            notice,
            owner,
        )

    async def mark_without_address(self, notice: uuid.UUID, owner: str) -> None:
        await self.pool.execute(
            """UPDATE notices SET status = 'without_address', lease_owner = NULL, lease_until = NULL
            WHERE notice_id = $1 AND lease_owner = $2""",
            notice,
            owner,
        )

    async def retry_later(self, notice: uuid.UUID, owner: str, delay: timedelta, error: str) -> None:
        await self.pool.execute(
            """UPDATE notices SET next_attempt_at = now() + $3, last_error = $4, lease_owner = NULL,
                lease_until = NULL
            WHERE notice_id = $1 AND lease_owner = $2""",
            notice,
            owner,
            delay,
            error,
        )

    async def mark_failed(self, notice: Notice, owner: str, error: str) -> list[str]:
        """The e-mail will not be tried again: mark it failed and, in the same transaction, put a
        notice in every active administrator's inbox; return the administrators told."""
        async with self.pool.acquire() as conn, conn.transaction():
            status = await conn.execute(
                """UPDATE notices SET status = 'failed', last_error = $3, lease_owner = NULL,
                    lease_until = NULL
                WHERE notice_id = $1 AND lease_owner = $2""",
                notice.notice_id,
                owner,
                error,
            )
            if status != "UPDATE 1":
                return []
            admins = [
                row["actor_id"]
                for row in await conn.fetch(
                    "SELECT actor_id FROM actors WHERE role = 'administrator' AND deactivated_at IS NULL"
                )
            ]
            await conn.executemany(
                """INSERT INTO notices (notice_id, about_notice, position, recipient, channel, kind, status,
                    handed_at)
                VALUES ($1, $2, $3, $4, 'inbox', 'email_failed', 'delivered', now())
                ON CONFLICT (about_notice, recipient, channel) DO NOTHING""",
                [
                    (notice_id(notice.notice_id, admin, "inbox"), notice.notice_id, notice.position, admin)
                    for admin in admins
                ],
            )
        return admins

    async def address_of(self, actor_id: str) -> str | None:
        """The e-mail address of the party the actor is linked to, read now (None: no link, no
        address, or erased)."""
        address, _ = await self.contact_of(actor_id)
        return address

    async def contact_of(self, actor_id: str) -> tuple[str | None, str | None]:
        """The actor's e-mail address (as ``address_of``) and the language they chose for their
        e-mails (None: the notifier's default), read now."""
        row = await self.pool.fetchrow(
            """SELECT CASE WHEN p.erased_at IS NULL THEN p.email END AS email, l.language
            FROM actor_parties l JOIN parties p USING (party_id) WHERE l.actor_id = $1""",
            actor_id,
        )
        if row is None:
            return None, None
        return row["email"] or None, row["language"]

    async def link_party(self, actor_id: str, party_id: uuid.UUID, language: str | None = None) -> None:
        """Send the actor's notices to this party's address (the parties table holds it), in
        ``language``. Unrecorded: the API and ``ocop actor link-contact`` go through
        ``AccountStore.link_contact``, which records the change on the actor's stream."""
        await self.pool.execute(
            """INSERT INTO actor_parties (actor_id, party_id, language) VALUES ($1, $2, $3)
            ON CONFLICT (actor_id) DO UPDATE
                SET party_id = EXCLUDED.party_id, language = EXCLUDED.language""",
            actor_id,
            party_id,
            language,
        )

    # -- the inbox ----------------------------------------------------------------------------

    async def get(self, notice: uuid.UUID) -> Notice | None:
        row = await self.pool.fetchrow(f"SELECT {_NOTICE_COLUMNS} FROM notices WHERE notice_id = $1", notice)
        return Notice(**dict(row)) if row is not None else None

    async def inbox(self, recipient: str, limit: int = 100) -> list[Notice]:
        """The recipient's inbox, newest first."""
        rows = await self.pool.fetch(
            f"""SELECT {_NOTICE_COLUMNS} FROM notices WHERE channel = 'inbox' AND recipient = $1
            ORDER BY position DESC, created_at DESC LIMIT $2""",
            recipient,
            limit,
        )
        return [Notice(**dict(row)) for row in rows]

    async def unread_count(self, recipient: str) -> int:
        count = await self.pool.fetchval(
            "SELECT count(*) FROM notices WHERE channel = 'inbox' AND recipient = $1 AND read_at IS NULL",
            recipient,
        )
        return int(count)

    async def mark_read(self, recipient: str, notice: uuid.UUID | None = None) -> int:
        """Mark one of the recipient's inbox notices read (or all of them); how many changed.
        Another recipient's notice is never touched."""
        status = await self.pool.execute(
            """UPDATE notices SET read_at = now()
            WHERE channel = 'inbox' AND recipient = $1 AND read_at IS NULL
              AND ($2::uuid IS NULL OR notice_id = $2)""",
            recipient,
            notice,
        )
        return int(status.split()[-1])

    async def event_of(self, event_id: uuid.UUID) -> dict[str, Any] | None:
        """The event a notice tells about: its stream, type and data."""
        row = await self.pool.fetchrow(
            "SELECT stream_type, stream_id, type, data, recorded_at FROM events WHERE event_id = $1", event_id
        )
        return dict(row) if row is not None else None

    async def opening_event(self, stream_type: str, stream_id: str) -> dict[str, Any] | None:
        """A stream's first event (a journey's registration or import: its producer and place)."""
        row = await self.pool.fetchrow(
            "SELECT type, data FROM events WHERE stream_type = $1 AND stream_id = $2 AND version = 1",
            stream_type,
            stream_id,
        )
        return dict(row) if row is not None else None
