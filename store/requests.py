"""The API's request log: what each Idempotency-Key was used for, and the response it got.

A key is claimed before the work starts and completed with the response; a retry with the same
key, caller, method, path and body gets that response back, byte for byte, even after the journey's
workflow has closed. A refused request releases its claim: a refusal records nothing.

A claim is held for a lease (its ``created_at`` plus the longest the work may take): a request that
finds the key claimed and in progress waits for that claim's outcome; one that finds the lease
expired (the holder's process died) takes the claim over. The claim's ``created_at`` tells one
holder from the next, so a holder that lost its claim releases nothing of its successor's.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg


@dataclass(frozen=True)
class StoredRequest:
    """A request as the log holds it; ``status`` is None while it is in progress."""

    idempotency_key: uuid.UUID
    actor_id: str
    method: str
    path: str
    body_hash: str
    status: int | None
    response_body: bytes | None
    response_headers: dict[str, Any] | None
    created_at: datetime
    # Seconds since the claim was made (or taken over), by the database's clock.
    held_for: float

    def same_request(self, actor_id: str, method: str, path: str, body_hash: str) -> bool:
        return (self.actor_id, self.method, self.path, self.body_hash) == (actor_id, method, path, body_hash)

    @property
    def completed(self) -> bool:
        return self.status is not None and self.response_body is not None


_COLUMNS = """idempotency_key, actor_id, method, path, body_hash, status, response_body, response_headers,
created_at, extract(epoch FROM clock_timestamp() - created_at)::float8 AS held_for"""


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming a key: ``mine`` when this request now holds it; else ``held`` is
    the request that holds it (completed, or in progress)."""

    mine: bool
    held: StoredRequest


class RequestLog:
    """Claims, completes and releases Idempotency-Keys."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def claim(self, key: uuid.UUID, actor_id: str, method: str, path: str, body_hash: str) -> Claim:
        """Claim ``key`` for this request, or say who holds it."""
        for _ in range(3):
            row = await self.pool.fetchrow(
                f"""INSERT INTO api_requests (idempotency_key, actor_id, method, path, body_hash, created_at)
                VALUES ($1, $2, $3, $4, $5, clock_timestamp()) ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING {_COLUMNS}""",
                key,
                actor_id,
                method,
                path,
                body_hash,
            )
            if row is not None:
                return Claim(True, StoredRequest(**dict(row)))
            held = await self.get(key)
            # None: the holder released its claim between the two statements; claim again.
            if held is not None:
                return Claim(False, held)
        raise RuntimeError(f"idempotency key {key} keeps being claimed and released")

    async def get(self, key: uuid.UUID) -> StoredRequest | None:
        row = await self.pool.fetchrow(f"SELECT {_COLUMNS} FROM api_requests WHERE idempotency_key = $1", key)
        return StoredRequest(**dict(row)) if row is not None else None

    async def take_over(self, held: StoredRequest) -> StoredRequest | None:
        """Take over a claim whose lease expired (its holder died): the new claim, or None if
        another request took it over, completed or released it first."""
        row = await self.pool.fetchrow(
            f"""UPDATE api_requests SET created_at = clock_timestamp()
            WHERE idempotency_key = $1 AND status IS NULL AND created_at = $2
            RETURNING {_COLUMNS}""",
            held.idempotency_key,
            held.created_at,
        )
        return StoredRequest(**dict(row)) if row is not None else None

    async def complete(
        self, claim: StoredRequest, status: int, body: bytes, headers: dict[str, str]
    ) -> StoredRequest:
        """Keep the response of a claimed request and return the response kept for its key: the
        first completion wins, and every later one gets the first's (a claim released meanwhile is
        completed all the same: the work was done)."""
        row = await self.pool.fetchrow(
            f"""INSERT INTO api_requests AS r (idempotency_key, actor_id, method, path, body_hash,
                status, response_body, response_headers, created_at, completed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, clock_timestamp())
            ON CONFLICT (idempotency_key) DO UPDATE SET status = EXCLUDED.status,
                response_body = EXCLUDED.response_body, response_headers = EXCLUDED.response_headers,
                completed_at = EXCLUDED.completed_at
            WHERE r.status IS NULL
            RETURNING {_COLUMNS}""",
            claim.idempotency_key,
            claim.actor_id,
            claim.method,
            claim.path,
            claim.body_hash,
            status,
            body,
            headers,
            claim.created_at,
        )
        if row is None:  # completed by another request first
            row = await self.pool.fetchrow(
                f"SELECT {_COLUMNS} FROM api_requests WHERE idempotency_key = $1", claim.idempotency_key
            )
        assert row is not None  # a completed request is never deleted
        return StoredRequest(**dict(row))

    async def release(self, claim: StoredRequest) -> None:
        """Drop the claim of a request that was refused or failed, so the key may be used again
        (unless another request has taken the claim over since)."""
        await self.pool.execute(
            "DELETE FROM api_requests WHERE idempotency_key = $1 AND status IS NULL AND created_at = $2",
            claim.idempotency_key,
            claim.created_at,
        )
