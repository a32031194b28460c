"""Personal data of parties (producers, council members), kept out of the events.

Events name a party by id only; erasing a party's personal data on request clears these columns
and leaves every hash chain intact.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg
import structlog

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Party:
    """A party's record; the personal fields are None once erased."""

    party_id: uuid.UUID
    kind: str
    display_name: str | None
    phone: str | None
    address: str | None
    email: str | None
    created_at: datetime
    erased_at: datetime | None
    # Criterion 3.2 (a woman, ethnic-minority or disabled representative); migration 0009.
    gender: str | None = None
    ethnicity: str | None = None
    disability: bool | None = None


class PartyStore:
    """Add, read and erase party records."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def add(
        self,
        kind: str,
        *,
        display_name: str | None = None,
        phone: str | None = None,
        address: str | None = None,
        email: str | None = None,
        party_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """Record a party; return its id (the only thing events may hold)."""
        new_id = party_id or uuid.uuid4()
        await self.pool.execute(
            """INSERT INTO parties (party_id, kind, display_name, phone, address, email, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, now())""",
            new_id,
            kind,
            display_name,
            phone,
            address,
            email,
        )
        return new_id

    async def get(self, party_id: uuid.UUID) -> Party | None:
        """The party's record, or None if unknown."""
        row = await self.pool.fetchrow("SELECT * FROM parties WHERE party_id = $1", party_id)
        return Party(**dict(row)) if row is not None else None

    async def names_of_actors(self, actor_ids: list[str]) -> dict[str, str]:
        """The display names of the parties these actors are linked to (``actor_parties``), for
        pages that show people by name; an actor with no party or an erased one is left out."""
        rows = await self.pool.fetch(
            """SELECT l.actor_id, p.display_name FROM actor_parties l JOIN parties p USING (party_id)
            WHERE l.actor_id = ANY($1::text[]) AND p.display_name IS NOT NULL""",
            actor_ids,
        )
        return {row["actor_id"]: row["display_name"] for row in rows}

    async def erase(self, party_id: uuid.UUID) -> bool:
        """Erase the party's personal data (right to erasure); False if the party is unknown."""
        status = await self.pool.execute(
            """UPDATE parties SET display_name = NULL, phone = NULL, address = NULL, email = NULL,
                gender = NULL, ethnicity = NULL, disability = NULL, erased_at = coalesce(erased_at, now())
            WHERE party_id = $1""",
            party_id,
        )
        erased = status == "UPDATE 1"
        if erased:
            log.info("party erased", party_id=str(party_id))
        return erased
