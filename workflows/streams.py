"""The kinds of stream in the log (journey, round, council, plan) in one table: each kind's event
adapter, the state model its events fold into, and its ``evolve``. Recording, the direct commands,
the rebuild and the read models fold and parse a stream through its kind here, and every recorded
event is put into its envelope by ``new_event``.

Pure: no I/O, deterministic, importable from workflows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, TypeAdapter

from schemas.council import COUNCIL_EVENT, Council, CouncilEvent
from schemas.events import JOURNEY_EVENT, JourneyEvent
from schemas.journey import JourneyState
from schemas.log import EventMetadata, NewEvent
from schemas.plan import PLAN_EVENT, Plan, PlanEvent
from schemas.round import ROUND_EVENT, RoundEvent, RoundState
from workflows.council_rules import evolve_council
from workflows.lifecycle import evolve
from workflows.plan_rules import evolve_plan
from workflows.round_rules import evolve_round

S = TypeVar("S", bound=BaseModel)
E = TypeVar("E")


@dataclass(frozen=True)
class StreamKind(Generic[S, E]):
    """One kind of stream: how its stored events parse, and how they fold into its state."""

    name: str
    events: TypeAdapter[E]
    model: type[S]
    evolve: Callable[[S | None, E, datetime], S]

    def parse(self, event_type: str, data: Mapping[str, Any]) -> E:
        """The domain event stored as ``event_type`` with ``data`` (the envelope keeps the type apart)."""
        return self.events.validate_python({**data, "type": event_type})

    def fold(self, state: S | None, events: Iterable[E], at: datetime) -> S | None:
        """Apply events that were recorded together at ``at``."""
        for event in events:
            state = self.evolve(state, event, at)
        return state


JOURNEY: StreamKind[JourneyState, JourneyEvent] = StreamKind("journey", JOURNEY_EVENT, JourneyState, evolve)
ROUND: StreamKind[RoundState, RoundEvent] = StreamKind("round", ROUND_EVENT, RoundState, evolve_round)
COUNCIL: StreamKind[Council, CouncilEvent] = StreamKind("council", COUNCIL_EVENT, Council, evolve_council)
PLAN: StreamKind[Plan, PlanEvent] = StreamKind("plan", PLAN_EVENT, Plan, evolve_plan)

STREAM_KINDS: dict[str, StreamKind[Any, Any]] = {kind.name: kind for kind in (JOURNEY, ROUND, COUNCIL, PLAN)}


class Event(Protocol):
    """A domain event model: its ``type`` is its discriminator."""

    @property
    def type(self) -> str: ...

    def model_dump(self, *, mode: str = ..., exclude: set[str] | None = ...) -> dict[str, Any]: ...


def new_event(event: Event, event_id: uuid.UUID, metadata: EventMetadata) -> NewEvent:
    """The envelope of a domain event to append: its type beside its data, which omits it."""
    return NewEvent(
        event_id=event_id,
        type=event.type,
        data=event.model_dump(mode="json", exclude={"type"}),
        metadata=metadata,
    )
