"""Recording decisions in the log: the one side effect of a journey step.

Idempotent on the update id: a retried attempt finds its key already written and returns the
first attempt's receipt, so a decision is never recorded twice.
"""

from __future__ import annotations

from datetime import datetime

import structlog
from pydantic import BaseModel, ConfigDict
from temporalio import activity
from temporalio.exceptions import ApplicationError

from schemas.events import parse_event
from schemas.journey import JourneyState
from schemas.log import AppendReceipt, NewEvent, Snapshot, StreamRef
from store import EventStore
from store.errors import IdempotencyKeyReused, WrongExpectedVersion
from workflows.projection import fold

log = structlog.get_logger(__name__)


class RecordJourneyEvents(BaseModel):
    """Events a journey step decided, to append after ``expected_version`` of the journey's stream."""

    model_config = ConfigDict(frozen=True)

    journey_id: str
    expected_version: int
    events: list[NewEvent]
    idempotency_key: str
    prior_state: JourneyState | None


class Recording:
    """Activities that write to the decision log; built once per worker with its store."""

    def __init__(self, store: EventStore) -> None:
        self._store = store

    @activity.defn(name="record_journey_events")
    async def record_journey_events(self, request: RecordJourneyEvents) -> AppendReceipt:
        """Append the events and the journey's new read model in one transaction."""
        events = [parse_event(event.type, event.data) for event in request.events]

        def snapshot(recorded_at: datetime) -> Snapshot:
            # The read model is the fold at the time the store stamps on the events, so that a
            # rebuild from the log reproduces it exactly.
            state = fold(request.prior_state, events, recorded_at)
            assert state is not None  # the events are not empty
            return Snapshot(kind="journey", id=request.journey_id, state=state.model_dump(mode="json"))

        try:
            receipt = await self._store.append(
                StreamRef(type="journey", id=request.journey_id),
                request.expected_version,
                request.events,
                request.idempotency_key,
                snapshot=snapshot,
            )
        except (WrongExpectedVersion, IdempotencyKeyReused) as error:
            # Only the journey's own workflow writes its stream: a conflict here is not transient.
            raise ApplicationError(str(error), type=type(error).__name__, non_retryable=True) from error
        log.info(
            "decision_recorded",
            journey_id=request.journey_id,
            types=[event.type for event in request.events],
            stream_version=receipt.stream_version,
            replayed=receipt.replayed,
        )
        return receipt
