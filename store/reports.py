"""Reports over the read models (which are folds of the log, rebuilt by ``ocop rebuild``):
a round's results table, a council's workload, statistics of recognitions, plan progress."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import asyncpg
from pydantic import BaseModel

from schemas.journey import OPENS_EVALUATION, CountedJourney, JourneyState
from schemas.plan import Plan, PlanProgress
from schemas.round import ResultRow, RoundState, RoundStatus
from workflows.plan_rules import plan_progress
from workflows.round_rules import result_row

PAGE = 1000


class CouncilWorkload(BaseModel):
    """What a council has on its table (khối lượng công việc của Hội đồng)."""

    council_id: str
    rounds_open: int
    rounds_closed: int
    rounds_published: int
    products_enrolled: int
    awaiting_scorecards_or_finalization: int
    finalized: int


class StatisticsRow(BaseModel):
    """Recognitions counted by province, level, star rank, product group, year and kind."""

    province_code: int
    level: str
    stars: int
    product_group: str
    year: int
    kind: str
    organisation_type: str | None = None  # loại hình chủ thể (store/producers.py); None: not named
    # Only when asked for (``statistics(..., by_commune=True)``): the commune (xã) and the product
    # set (bộ sản phẩm; None under the older rulebooks, which have none).
    commune_code: int | None = None
    product_set: str | None = None
    recognitions: int


async def round_state(pool: asyncpg.Pool, round_id: str) -> RoundState | None:
    state = await pool.fetchval("SELECT state FROM read_models WHERE kind = 'round' AND id = $1", round_id)
    return RoundState.model_validate(state) if state is not None else None


async def rounds_where(pool: asyncpg.Pool, contains: dict[str, Any]) -> list[RoundState]:
    """Round read models whose state contains ``contains`` (jsonb containment), by id."""
    rows = await pool.fetch(
        "SELECT state FROM read_models WHERE kind = 'round' AND state @> $1::jsonb ORDER BY id", contains
    )
    return [RoundState.model_validate(row["state"]) for row in rows]


async def round_results(pool: asyncpg.Pool, round_id: str) -> list[ResultRow] | None:
    """The round's results table: as published once it is, else as the journeys stand now."""
    state = await round_state(pool, round_id)
    if state is None:
        return None
    if state.status == RoundStatus.RESULTS_PUBLISHED:
        return state.results
    rows = []
    for journey_id in state.journeys:
        stored = await pool.fetchval(
            "SELECT state FROM read_models WHERE kind = 'journey' AND id = $1", journey_id
        )
        if stored is not None:
            rows.append(result_row(JourneyState.model_validate(stored), state))
    return rows


async def evaluations_open_since(pool: asyncpg.Pool, journey_ids: Collection[str]) -> dict[str, int]:
    """For each of ``journey_ids`` whose council evaluation is open now, the stream version of the
    event that opened it (``api.visibility.open_since`` for the global feed, one query a page)."""
    if not journey_ids:
        return {}
    rows = await pool.fetch(OPEN_SINCE, list(journey_ids), OPENS_EVALUATION)
    return {row["id"]: row["since"] for row in rows}


# The page's journeys are looked up by their own ids in both tables. Joined as ``r.id =
# e.stream_id`` (read_models.id in the database's collation, events.stream_id in "C") the read
# models' key could not serve the join: every journey's state was unpacked for every page, 46 ms at
# 22,000 journeys, and 1.2 s on the generic plan a prepared statement switches to (bench/national.py,
# the feed page of 500: p99 600 ms).
OPEN_SINCE = """SELECT e.stream_id AS id, max(e.version) AS since
   FROM events e
   WHERE e.stream_type = 'journey' AND e.stream_id = ANY($1::text[]) AND e.type = $2
     AND e.stream_id IN (
       SELECT r.id FROM read_models r
       WHERE r.kind = 'journey' AND r.id = ANY($1::text[])
         AND jsonb_typeof(r.state -> 'evaluation') = 'object')
   GROUP BY e.stream_id"""


async def council_workload(pool: asyncpg.Pool, council_id: str) -> CouncilWorkload:
    rounds = [
        RoundState.model_validate(row["state"])
        for row in await pool.fetch(
            "SELECT state FROM read_models WHERE kind = 'round' AND state -> 'council' ->> 'council_id' = $1",
            council_id,
        )
    ]
    # A product carried over counts once, in the round it went to (it stays listed in both).
    enrolled = {journey for state in rounds for journey in state.journeys if journey not in state.carried_out}
    in_evaluation = 0
    finalized = 0
    for journey_id in enrolled:
        stored = await pool.fetchval(
            "SELECT state FROM read_models WHERE kind = 'journey' AND id = $1", journey_id
        )
        if stored is None:
            continue
        journey = JourneyState.model_validate(stored)
        if journey.evaluation is not None and journey.evaluation.council.council_id == council_id:
            in_evaluation += 1
        elif any(result.council_id == council_id for result in journey.results):
            finalized += 1
    by_status = {status: sum(state.status == status for state in rounds) for status in RoundStatus}
    return CouncilWorkload(
        council_id=council_id,
        rounds_open=by_status[RoundStatus.OPEN],
        rounds_closed=by_status[RoundStatus.CLOSED],
        rounds_published=by_status[RoundStatus.RESULTS_PUBLISHED],
        products_enrolled=len(enrolled),
        awaiting_scorecards_or_finalization=in_evaluation,
        finalized=finalized,
    )


async def statistics(
    pool: asyncpg.Pool, province_code: int | None = None, year: int | None = None, *, by_commune: bool = False
) -> list[StatisticsRow]:
    """Recognitions by province, level, star, product group, year, kind (new, upgrade, re-evaluation)
    and the producer organisation's type; with ``by_commune``, also by commune and product set."""
    # Read from recognitions_counted (migrations/0013), a fold of the journeys' read models kept
    # for this count: one narrow row a recognition, not every journey's whole state.
    rows = await pool.fetch(
        """
        SELECT r.province_code,
               CASE WHEN $3 THEN r.commune_code END AS commune_code,
               CASE WHEN $3 THEN r.product_set END AS product_set,
               r.level, r.stars, r.product_group, r.year, r.kind,
               p.organisation_type,
               count(*) AS recognitions
        FROM recognitions_counted r
        LEFT JOIN producers p ON p.producer_id = r.producer_organisation
        WHERE ($1::int IS NULL OR r.province_code = $1) AND ($2::int IS NULL OR r.year = $2)
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        ORDER BY 1, 7, 4, 5, 6, 8, 9 NULLS FIRST, 2, 3
        """,
        province_code,
        year,
        by_commune,
    )
    return [StatisticsRow.model_validate(dict(row)) for row in rows]


async def progress_of_plan(pool: asyncpg.Pool, province_code: int, year: int) -> PlanProgress | None:
    """A plan against the recognitions, council results and provincial rounds of its year in its province."""
    stored = await pool.fetchval(
        "SELECT state FROM read_models WHERE kind = 'plan' AND id = $1", f"{province_code}-{year}"
    )
    if stored is None:
        return None
    plan = Plan.model_validate(stored)
    # Only the slice of each journey that progress counts (CountedJourney), not every journey whole.
    rows = await pool.fetch(
        """SELECT (SELECT jsonb_object_agg(key, value) FROM jsonb_each(state) WHERE key = ANY($2::text[]))
                  AS counted
           FROM read_models WHERE kind = 'journey' AND state @> $1::jsonb""",
        {"province_code": province_code},
        list(CountedJourney.model_fields),
    )
    journeys = [CountedJourney.model_validate(row["counted"]) for row in rows]
    rounds = await rounds_where(pool, {"level": "province", "jurisdiction": str(province_code)})
    return plan_progress(plan, journeys, rounds)
