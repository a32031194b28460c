"""Actors of the HTTP API: who may call it, in which role and jurisdiction, and the council seats
that let a council member read a journey.

A bearer token is random, shown once when the actor is created (or its token rotated), and kept
only as its SHA-256. Whether the token still holds (the actor is active, the token within its
lifetime) is for the caller to decide from the record: ``ActorRecord.refusal``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from store.db import fetch_planned_for_its_arguments
from store.errors import StoreError
from store.events import ReadModel, read_model_filters

# Events whose data carries a council roster (``council.seats``); the partial index of
# migrations/0003_api.sql covers exactly these types.
_SEATING_EVENTS = "type IN ('enrolled_in_round', 'carried_over')"
_SEATED = f"""EXISTS (
    SELECT 1 FROM events e
    WHERE e.stream_type = 'journey' AND e.stream_id = {{journey}} AND {_SEATING_EVENTS}
      AND e.data @> jsonb_build_object('council', jsonb_build_object(
            'seats', jsonb_build_array(jsonb_build_object('member_id', $1::text)))))"""


# The columns an ActorRecord is read from.
ACTOR_COLUMNS = (
    "actor_id, role, jurisdiction_kind, jurisdiction, created_by, created_at, token_issued_at, deactivated_at"
)


class ActorExists(StoreError):
    """An actor with this id exists already."""


@dataclass(frozen=True)
class ActorRecord:
    """An actor as stored (never its token)."""

    actor_id: str
    role: str
    jurisdiction_kind: str
    jurisdiction: str
    created_by: str | None
    created_at: datetime
    token_issued_at: datetime | None = None
    deactivated_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.deactivated_at is None

    def token_expires_at(self, lifetime: timedelta) -> datetime:
        return (self.token_issued_at or self.created_at) + lifetime

    def refusal(self, now: datetime, lifetime: timedelta) -> str | None:
        """Why the actor's token does not hold now, or None if it does."""
        if not self.active:
            return "the actor is deactivated"
        if now >= self.token_expires_at(lifetime):
            return "the token has expired; ask an administrator to rotate it"
        return None


def token_hash(token: str) -> str:
    """What is kept of a bearer token: its hex SHA-256."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class ActorStore:
    """Create actors, find them by token, and tell which journeys seat a council member."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def add(
        self,
        actor_id: str,
        role: str,
        jurisdiction_kind: str,
        jurisdiction: str,
        created_by: str | None = None,
    ) -> tuple[ActorRecord, str]:
        """Create an actor; return it and its bearer token (the only time the token is seen)."""
        token = secrets.token_urlsafe(32)
        try:
            row = await self.pool.fetchrow(
                """INSERT INTO actors
                    (actor_id, role, jurisdiction_kind, jurisdiction, token_hash, created_by)
                VALUES ($1, $2, $3, $4, $5, $6)
                RETURNING """
                + ACTOR_COLUMNS,
                actor_id,
                role,
                jurisdiction_kind,
                jurisdiction,
                token_hash(token),
                created_by,
            )
        except asyncpg.UniqueViolationError as exc:
            raise ActorExists(f"actor {actor_id!r} exists already") from exc
        assert row is not None  # INSERT ... RETURNING returns the row
        return ActorRecord(**dict(row)), token

    async def get(self, actor_id: str) -> ActorRecord | None:
        row = await self.pool.fetchrow(
            f"SELECT {ACTOR_COLUMNS} FROM actors WHERE actor_id = $1",
            actor_id,
        )
        return ActorRecord(**dict(row)) if row is not None else None

    async def by_token(self, token: str) -> ActorRecord | None:
        """The actor holding ``token`` (active or not, expired or not), or None."""
        row = await self.pool.fetchrow(
            f"SELECT {ACTOR_COLUMNS} FROM actors WHERE token_hash = $1",
            token_hash(token),
        )
        return ActorRecord(**dict(row)) if row is not None else None

    async def is_seated(self, member_id: str, journey_id: str) -> bool:
        """True if a council that evaluated (or evaluates) the journey seats ``member_id``."""
        seated: bool = await self.pool.fetchval(
            "SELECT " + _SEATED.format(journey='$2::text COLLATE "C"'), member_id, journey_id
        )
        return seated

    async def journeys_seating(
        self,
        member_id: str,
        *,
        contains: Mapping[str, Any] | None = None,
        after_id: str | None = None,
        limit: int = 100,
    ) -> list[ReadModel]:
        """Journey read models whose councils seat ``member_id``, in id order (like
        ``EventStore.list_read_models``)."""
        where, args = read_model_filters(contains, after_id, first=2)
        rows = await fetch_planned_for_its_arguments(
            self.pool,
            f"""SELECT kind, id, version, state, updated_at FROM read_models r
            WHERE kind = 'journey'{where} AND """
            + _SEATED.format(journey='r.id COLLATE "C"')
            + f" ORDER BY id LIMIT ${len(args) + 2}",
            member_id,
            *args,
            limit,
        )
        return [ReadModel(**dict(row)) for row in rows]
