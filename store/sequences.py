"""Numbers handed out in sequence (số thứ tự), once per owner (migrations/0007_sequences.sql).

A *scope* names one sequence, e.g. ``product-code/38/16045/2026`` (a commune's products of a year)
or ``certificate/38/2026`` (a province's certificates of a year); the *owner* is what the number
is given to (a journey id). Asking again for the same owner returns the number it already has,
so an activity that allocates and is retried, or a workflow replayed, never takes a second one.
Numbers of a scope start at 1 and have no gaps unless a caller allocates and never uses one.

Concurrent callers of one scope are serialized by a transaction-scoped advisory lock on the
scope, so two journeys accepted in the same second get two consecutive numbers, never one.
"""

from __future__ import annotations

import asyncpg
from asyncpg.pool import PoolConnectionProxy

Connection = asyncpg.Connection | PoolConnectionProxy

_ALLOCATE = """
WITH existing AS (
    SELECT number FROM sequence_numbers WHERE scope = $1 AND owner = $2
), inserted AS (
    INSERT INTO sequence_numbers (scope, owner, number)
    SELECT $1, $2, COALESCE((SELECT max(number) FROM sequence_numbers WHERE scope = $1), 0) + 1
    WHERE NOT EXISTS (SELECT 1 FROM existing)
    RETURNING number
)
SELECT number FROM existing UNION ALL SELECT number FROM inserted
"""


async def allocate_number(pool: asyncpg.Pool | Connection, scope: str, owner: str) -> int:
    """The number of ``owner`` in ``scope``: the one it was given before, else the next free one."""
    if not scope or not owner:
        raise ValueError("a sequence number needs a scope and an owner")
    if not isinstance(pool, asyncpg.Pool):
        return await _allocate(pool, scope, owner)
    async with pool.acquire() as conn:
        return await _allocate(conn, scope, owner)


async def _allocate(conn: Connection, scope: str, owner: str) -> int:
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('sequence:' || $1, 0))", scope)
        number = await conn.fetchval(_ALLOCATE, scope, owner)
    assert isinstance(number, int)
    return number


async def numbers_of(pool: asyncpg.Pool, scope: str) -> dict[str, int]:
    """Every owner of ``scope`` with its number (for audits and tests)."""
    rows = await pool.fetch("SELECT owner, number FROM sequence_numbers WHERE scope = $1", scope)
    return {row["owner"]: row["number"] for row in rows}
