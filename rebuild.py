"""Recompute read models from the decision log (``ocop rebuild``).

One pass over the gap-free global feed folds every stream (journeys, rounds, councils, plans)
with its own ``evolve``; each result is compared with the stored read model, and written back
where it differs (unless only checking); then the public registry's rows are compared with the fold
of the journeys' read models, and rewritten where they differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from pydantic import BaseModel, Field

from schemas.council import COUNCIL_EVENT, Council
from schemas.events import parse_event
from schemas.journey import JourneyState
from schemas.plan import PLAN_EVENT, Plan
from schemas.round import ROUND_EVENT, RoundState
from store import EventStore
from store.registry import refresh_registry, registry_differences
from workflows.council_rules import evolve_council
from workflows.lifecycle import evolve
from workflows.plan_rules import evolve_plan
from workflows.round_rules import evolve_round

log = structlog.get_logger(__name__)

PAGE = 5000


@dataclass(frozen=True)
class Projection:
    """How one stream type folds into its read model."""

    model: type[BaseModel]
    fold: Callable[[Any, str, dict[str, Any], datetime], BaseModel]


PROJECTIONS: dict[str, Projection] = {
    "journey": Projection(JourneyState, lambda s, t, d, at: evolve(s, parse_event(t, d), at)),
    "round": Projection(
        RoundState, lambda s, t, d, at: evolve_round(s, ROUND_EVENT.validate_python({**d, "type": t}), at)
    ),
    "council": Projection(
        Council, lambda s, t, d, at: evolve_council(s, COUNCIL_EVENT.validate_python({**d, "type": t}), at)
    ),
    "plan": Projection(
        Plan, lambda s, t, d, at: evolve_plan(s, PLAN_EVENT.validate_python({**d, "type": t}), at)
    ),
}


class RebuildReport(BaseModel):
    """What a rebuild found: how many read models of each kind, and which differed from the log."""

    events_read: int = 0
    read_models: dict[str, int] = Field(default_factory=dict, description="Kind -> how many were folded.")
    differing: list[str] = Field(default_factory=list, description="kind:id of models that differed.")
    written: int = 0


async def rebuild_read_models(
    store: EventStore, *, write: bool = True, progress: Callable[[int], None] | None = None
) -> RebuildReport:
    """Fold every stream from the log; report (and, with ``write``, replace) differing read models."""
    report = RebuildReport()
    states: dict[tuple[str, str], BaseModel] = {}
    after = 0
    while page := await store.read_all(after, PAGE):
        for event in page:
            key = (event.stream.type, event.stream.id)
            projection = PROJECTIONS.get(event.stream.type)
            if projection is None:
                continue  # an actor's stream is its audit trail; its state is the actors table
            states[key] = projection.fold(states.get(key), event.type, event.data, event.recorded_at)
        after = page[-1].position
        report.events_read += len(page)
        if progress is not None:
            progress(report.events_read)
    for (kind, ident), state in sorted(states.items()):
        report.read_models[kind] = report.read_models.get(kind, 0) + 1
        stored = await store.get_read_model(kind, ident)
        if stored is not None and PROJECTIONS[kind].model.model_validate(stored) == state:
            continue
        report.differing.append(f"{kind}:{ident}")
        log.warning("read_model_differs", kind=kind, id=ident, stored=stored is not None)
        if write:
            version = int(getattr(state, "version", 0))
            await store.put_read_model(kind, ident, version, state.model_dump(mode="json"))
            report.written += 1
    # The public registry is a fold of the journeys' read models (migrations/0008_registry.sql),
    # compared once they are right.
    registry = await registry_differences(store.pool)
    for journey_id in registry:
        report.differing.append(f"registry:{journey_id}")
        log.warning("read_model_differs", kind="registry", id=journey_id)
    if write and registry:
        await refresh_registry(store.pool, registry)
        report.written += len(registry)
    return report
