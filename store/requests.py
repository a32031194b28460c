"""The API's request log: what each Idempotency-Key was used for, and the response it got.

A key is claimed before the work starts and completed with the response; a retry with the same
key, caller, method, path and body gets that response back, byte for byte, even after the journey's
workflow has closed. A refused request releases its claim: a refusal records nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
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

    def same_request(self, actor_id: str, method: str, path: str, body_hash: str) -> bool:
        return (self.actor_id, self.method, self.path, self.body_hash) == (actor_id, method, path, body_hash)


_COLUMNS = "idempotency_key, actor_id, method, path, body_hash, status, response_body, response_headers"


class RequestLog:
    """Claims, completes and releases Idempotency-Keys."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def claim(
        self, key: uuid.UUID, actor_id: str, method: str, path: str, body_hash: str
    ) -> StoredRequest | None:
        """Claim ``key`` for this request: None when the claim is new, else the request that holds
        the key (completed, or still in progress)."""
        for _ in range(3):
            claimed = await self.pool.fetchval(
                """INSERT INTO api_requests (idempotency_key, actor_id, method, path, body_hash)
                VALUES ($1, $2, $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING true""",
                key,
                actor_id,
                method,
                path,
                body_hash,
            )
            if claimed:
                return None
            row = await self.pool.fetchrow(
                f"SELECT {_COLUMNS} FROM api_requests WHERE idempotency_key = $1", key
            )
            # None: the holder released its claim between the two statements; claim again.
            if row is not None:
                return StoredRequest(**dict(row))
        raise RuntimeError(f"idempotency key {key} keeps being claimed and released")

    async def complete(self, key: uuid.UUID, status: int, body: bytes, headers: dict[str, str]) -> None:
        """Keep the response of a claimed request (the first completion wins)."""
        await self.pool.execute(
            """UPDATE api_requests SET status = $2, response_body = $3, response_headers = $4,
                completed_at = now()
            WHERE idempotency_key = $1 AND status IS NULL""",
            key,
            status,
            body,
            headers,
        )

    async def release(self, key: uuid.UUID) -> None:
        """Drop the claim of a request that was refused or failed, so the key may be used again."""
        await self.pool.execute("DELETE FROM api_requests WHERE idempotency_key = $1 AND status IS NULL", key)
