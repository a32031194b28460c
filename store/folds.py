"""Read models the database folds from the journey's read model (a trigger on read_models, in the
transaction that records the events): the public registry (``registry_products``, migrations/0008)
and the recognitions statistics count (``recognitions_counted``, migrations/0013).

Each is defined once, by its SQL rows function; ``ocop rebuild`` compares every fold listed here
with that function and rewrites the journeys whose rows differ (a fold missing from ``JOURNEY_FOLDS``
would never be checked: ``tests/store/test_folds.py`` finds every trigger on read_models here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg


@dataclass(frozen=True)
class JourneyFold:
    """A table of rows folded from each journey's read model by ``rows_function(journey_id, state)``,
    kept by ``trigger`` (which calls ``refresh_function`` with the same arguments)."""

    name: str
    table: str
    rows_function: str
    refresh_function: str
    trigger: str


REGISTRY = JourneyFold(
    "registry", "registry_products", "registry_rows", "registry_refresh", "registry_follows_journeys"
)
RECOGNITIONS = JourneyFold(
    "recognitions",
    "recognitions_counted",
    "recognition_rows",
    "recognitions_refresh",
    "recognitions_follow_journeys",
)
JOURNEY_FOLDS = (REGISTRY, RECOGNITIONS)


async def fold_differences(pool: asyncpg.Pool, fold: JourneyFold) -> list[str]:
    """The journeys whose rows in ``fold.table`` differ from the fold of their read model."""
    rows = await pool.fetch(
        f"""WITH expected AS (
               SELECT r.* FROM read_models m CROSS JOIN LATERAL {fold.rows_function}(m.id, m.state) r
               WHERE m.kind = 'journey'
           ), stored AS (SELECT * FROM {fold.table})
           SELECT DISTINCT journey_id FROM (
               (SELECT * FROM expected EXCEPT ALL SELECT * FROM stored)
               UNION ALL
               (SELECT * FROM stored EXCEPT ALL SELECT * FROM expected)
           ) differing ORDER BY 1"""
    )
    return [row["journey_id"] for row in rows]


async def refresh_fold(pool: asyncpg.Pool, fold: JourneyFold, journey_ids: Sequence[str]) -> None:
    """Rewrite the fold's rows of these journeys from their read models (rows of a journey with no
    read model are removed)."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(f"DELETE FROM {fold.table} WHERE journey_id = ANY($1::text[])", list(journey_ids))
        await conn.execute(
            f"""SELECT {fold.refresh_function}(id, state) FROM read_models
               WHERE kind = 'journey' AND id = ANY($1::text[])""",
            list(journey_ids),
        )
