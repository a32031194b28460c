"""Connection pool of the decision log, with the JSON codec every store connection uses."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import asyncpg
import orjson

from store.canonical import canonical_json, holds_float


def _loads(text: str) -> Any:
    """JSON text from PostgreSQL, every number exact: a fraction is a Decimal, so a hash
    recomputed from what we read matches the stored one."""
    # orjson reads a document several times faster than json; it reads every integer of at most
    # 64 bits exactly and every other number as a float. Most events hold no fraction at all
    # (scores do): only a document where orjson met one is read again the exact way.
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:  # e.g. nesting beyond orjson's 1,024 levels: json decides
        pass
    else:
        if not holds_float(value):
            return value
    return json.loads(text, parse_float=Decimal)


async def init_connection(conn: asyncpg.Connection) -> None:
    """Encode json/jsonb parameters as canonical JSON and decode them with exact numbers."""
    for name in ("jsonb", "json"):
        await conn.set_type_codec(name, encoder=canonical_json, decoder=_loads, schema="pg_catalog")


async def create_pool(url: str, min_size: int = 1, max_size: int = 10) -> asyncpg.Pool:
    """A pool whose connections all carry the canonical JSON codec."""
    pool = await asyncpg.create_pool(url, min_size=min_size, max_size=max_size, init=init_connection)
    assert pool is not None  # create_pool only returns None when not awaited
    return pool


async def fetch_planned_for_its_arguments(pool: asyncpg.Pool, query: str, *args: Any) -> list[asyncpg.Record]:
    """The rows of ``query``, planned for these very arguments every time.

    asyncpg prepares every statement, and after five runs PostgreSQL may keep one generic plan for
    any arguments. For a listing of read models by JSON containment (``state @> $n ORDER BY id
    LIMIT $m``) that plan walks every journey in id order, unpacking each one's state, to find a page
    of the few that match: linear in the size of the engine (bench/README.md, national.py). Planned
    with the containment known, it asks the GIN index for the matches. ``SET LOCAL`` holds for this
    transaction only; the statement stays prepared and cached."""
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        rows: list[asyncpg.Record] = await conn.fetch(query, *args)
        return rows
