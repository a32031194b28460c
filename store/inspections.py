"""The certified journeys that may be due a periodic inspection (qd26-2026 Art. 9.2.a), read from the
journeys' read models. SQL only prunes: a journey is kept when the later of its certificate's
decision date and its last inspection is on or before ``since_by``; the caller decides exactly
(workflows/inspection.py), so this query never adds a rule of its own."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import asyncpg

from schemas.journey import JourneyState


async def certified_since_by(
    pool: asyncpg.Pool,
    *,
    contains: Mapping[str, Any],
    since_by: date,
    after_id: str | None = None,
    limit: int = 500,
) -> list[JourneyState]:
    """Journeys matching ``contains`` (JSON containment, e.g. the caller's scope and a certificate's
    rulebook) whose certificate was decided, and last inspection held, on or before ``since_by``,
    in id order, ``limit`` at a time after ``after_id``."""
    rows = await pool.fetch(
        """SELECT state FROM read_models
        WHERE kind = 'journey' AND state @> $1 AND ($3::text IS NULL OR id > $3)
          AND jsonb_typeof(state -> 'certificate') = 'object'
          AND GREATEST(
                (state -> 'certificate' ->> 'decision_date')::date,
                (SELECT max((inspection ->> 'inspected_on')::date)
                   FROM jsonb_array_elements(coalesce(state -> 'inspections', '[]'::jsonb)) AS inspection)
              ) <= $2
        ORDER BY id LIMIT $4""",
        dict(contains),
        since_by,
        after_id,
        limit,
    )
    return [JourneyState.model_validate(row["state"]) for row in rows]
