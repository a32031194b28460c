"""Recompute read models from the decision log (``ocop rebuild``).

One pass over the gap-free global feed folds every journey with ``evolve``; each result is compared
with the stored read model, and written back where it differs (unless only checking).
"""

from __future__ import annotations

from collections.abc import Callable

import structlog
from pydantic import BaseModel, Field

from schemas.events import parse_event
from schemas.journey import JourneyState
from store import EventStore
from workflows.lifecycle import evolve

log = structlog.get_logger(__name__)

PAGE = 5000


class RebuildReport(BaseModel):
    """What a rebuild found: how many read models, and which differed from the log's fold."""

    events_read: int = 0
    journeys: int = 0
    differing: list[str] = Field(default_factory=list, description="Journey ids whose stored model differed.")
    written: int = 0


async def rebuild_journeys(
    store: EventStore, *, write: bool = True, progress: Callable[[int], None] | None = None
) -> RebuildReport:
    """Fold every journey from the log; report (and, with ``write``, replace) differing read models."""
    report = RebuildReport()
    states: dict[str, JourneyState] = {}
    after = 0
    while page := await store.read_all(after, PAGE):
        for event in page:
            if event.stream.type == "journey":
                previous = states.get(event.stream.id)
                states[event.stream.id] = evolve(
                    previous, parse_event(event.type, event.data), event.recorded_at
                )
        after = page[-1].position
        report.events_read += len(page)
        if progress is not None:
            progress(report.events_read)
    report.journeys = len(states)
    for journey_id, state in sorted(states.items()):
        stored = await store.get_read_model("journey", journey_id)
        if stored is not None and JourneyState.model_validate(stored) == state:
            continue
        report.differing.append(journey_id)
        log.warning("read_model_differs", journey_id=journey_id, stored=stored is not None)
        if write:
            await store.put_read_model("journey", journey_id, state.version, state.model_dump(mode="json"))
            report.written += 1
    return report
