"""A journey's state folded from its recorded events: the read model, the as-of state, a rebuild."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from schemas.events import JourneyEvent, parse_event
from schemas.journey import JourneyState
from schemas.log import RecordedEvent
from workflows.lifecycle import evolve


def fold(state: JourneyState | None, events: Iterable[JourneyEvent], at: datetime) -> JourneyState | None:
    """Apply domain events that were recorded together at ``at``."""
    for event in events:
        state = evolve(state, event, at)
    return state


def journey_state(recorded: Iterable[RecordedEvent]) -> JourneyState | None:
    """The state of a journey from its log, in version order (None for an empty stream)."""
    state: JourneyState | None = None
    for event in recorded:
        state = evolve(state, parse_event(event.type, event.data), event.recorded_at)
    return state
