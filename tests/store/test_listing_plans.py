"""A listing of journeys by JSON containment is planned for its filter on every call.

asyncpg prepares each statement; after five runs PostgreSQL may switch it to one generic plan for
any arguments, and for ``state @> $n ORDER BY id LIMIT $m`` that plan walks every journey in id
order until it has a page: the list, My work and a member's journeys then slow down with every
product the engine holds (bench/README.md, national.py: 14 ms at 12,000 journeys for a filter that
matches none). ``pg_prepared_statements`` counts the plans each statement was run with."""

from __future__ import annotations

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from store import EventStore, create_pool
from store.actors import ActorStore


async def plans_of_listings(conn: PoolConnectionProxy[asyncpg.Record]) -> tuple[int, int]:
    row = await conn.fetchrow(
        """SELECT coalesce(sum(generic_plans), 0) AS generic, coalesce(sum(custom_plans), 0) AS custom
           FROM pg_prepared_statements WHERE statement LIKE '%FROM read_models%ORDER BY id LIMIT%'
             AND statement NOT LIKE '%pg_prepared_statements%'"""
    )
    assert row is not None
    return int(row["generic"]), int(row["custom"])


async def test_listings_of_journeys_never_run_on_a_generic_plan(migrated_database_url: str) -> None:
    # One connection, so the prepared statements counted are the ones the listings ran.
    pool = await create_pool(migrated_database_url, min_size=1, max_size=1)
    try:
        store = EventStore(pool)
        for n in range(300):
            state = {"journey_id": f"J-{n:04d}", "status": "CERTIFIED", "producer_id": f"P-{n:04d}"}
            await store.put_read_model("journey", f"J-{n:04d}", 1, state)
        await pool.execute("ANALYZE read_models")
        for n in range(12):
            found = await store.list_read_models(
                "journey", contains={"producer_id": f"P-{n:04d}", "status": "CERTIFIED"}, limit=50
            )
            assert [model.id for model in found] == [f"J-{n:04d}"]
            assert await store.list_read_models("journey", contains={"producer_id": "nobody"}) == []
            assert await ActorStore(pool).journeys_seating("member", contains={"status": "CERTIFIED"}) == []
        async with pool.acquire() as conn:
            generic, custom = await plans_of_listings(conn)
            plans = await conn.fetch("SELECT statement, generic_plans FROM pg_prepared_statements")
        assert custom >= 36
        assert generic == 0, [tuple(row) for row in plans if row["generic_plans"]]
    finally:
        await pool.close()


async def test_the_feeds_sealing_reads_only_the_pages_journeys(migrated_database_url: str) -> None:
    """A page of the global feed asks which of its journeys have an evaluation open now
    (store.reports.evaluations_open_since): the read models of those journeys, found by key, on
    any plan, never every journey's state."""
    from store.reports import OPEN_SINCE

    pool = await create_pool(migrated_database_url, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            # Whatever the tables' size: a plan that could only read every journey shows as one.
            await conn.execute("SET enable_seqscan = off")
            await conn.execute("SET plan_cache_mode = force_generic_plan")
            await conn.execute(f"PREPARE open_since(text[], text) AS {OPEN_SINCE}")
            plan = "\n".join(
                row[0]
                for row in await conn.fetch(
                    "EXPLAIN EXECUTE open_since('{J-0001,J-0002}', 'enrolled_in_round')"
                )
            )
        # The read models by their key: kind and the page's ids, not every journey of the kind.
        assert "Index Cond: ((kind = 'journey'::text) AND (id = ANY ($1)))" in plan, plan
    finally:
        await pool.close()
