"""Recompute read models from the decision log (``ocop rebuild``).

One pass over the gap-free global feed folds every stream (journeys, rounds, councils, plans)
with its own ``evolve``; each result is compared with the stored read model, and written back
where it differs (unless only checking); then the tables the database folds from the journeys' read
models (the public registry, the recognitions count: ``store.folds.JOURNEY_FOLDS``) are compared
with their fold, and rewritten where they differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from pydantic import BaseModel, Field

from store import EventStore
from store.folds import JOURNEY_FOLDS, fold_differences, refresh_fold
from workflows.streams import STREAM_KINDS, StreamKind

log = structlog.get_logger(__name__)

PAGE = 5000


@dataclass(frozen=True)
class Projection:
    """How one stream type folds into its read model (its kind in workflows.streams)."""

    kind: StreamKind[Any, Any]

    @property
    def model(self) -> type[BaseModel]:
        return self.kind.model

    def fold(self, state: Any, event_type: str, data: dict[str, Any], at: datetime) -> BaseModel:
        """One stored event folded into ``state``."""
        folded: BaseModel = self.kind.evolve(state, self.kind.parse(event_type, data), at)
        return folded


PROJECTIONS: dict[str, Projection] = {name: Projection(kind) for name, kind in STREAM_KINDS.items()}


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
    # The public registry and the recognitions count are folds of the journeys' read models that
    # the database keeps (store/folds.py), compared once the read models are right.
    for fold in JOURNEY_FOLDS:
        differing = await fold_differences(store.pool, fold)
        for journey_id in differing:
            report.differing.append(f"{fold.name}:{journey_id}")
            log.warning("read_model_differs", kind=fold.name, id=journey_id)
        if write and differing:
            await refresh_fold(store.pool, fold, differing)
            report.written += len(differing)
    return report
