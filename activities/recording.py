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

from schemas.journey import JourneyState
from schemas.log import AppendReceipt, NewEvent, Snapshot, StreamRef
from schemas.round import RoundState
from store import EventStore, SnapshotAt
from store.errors import IdempotencyKeyReused, WrongExpectedVersion
from workflows.streams import JOURNEY, ROUND

log = structlog.get_logger(__name__)


class RecordJourneyEvents(BaseModel):
    """Events a journey step decided, to append after ``expected_version`` of the journey's stream."""

    model_config = ConfigDict(frozen=True)

    journey_id: str
    expected_version: int
    events: list[NewEvent]
    idempotency_key: str
    prior_state: JourneyState | None


class RecordRoundEvents(BaseModel):
    """Events a round step decided, to append after ``expected_version`` of the round's stream."""

    model_config = ConfigDict(frozen=True)

    round_id: str
    expected_version: int
    events: list[NewEvent]
    idempotency_key: str
    prior_state: RoundState | None


class Recording:
    """Activities that write to the decision log; built once per worker with its store."""

    def __init__(self, store: EventStore) -> None:
        self._store = store

    @activity.defn(name="record_journey_events")
    async def record_journey_events(self, request: RecordJourneyEvents) -> AppendReceipt:
        """Append a journey's events and its new read model in one transaction."""
        events = [JOURNEY.parse(event.type, event.data) for event in request.events]

        def snapshot(recorded_at: datetime) -> Snapshot:
            state = JOURNEY.fold(request.prior_state, events, recorded_at)
            assert state is not None  # the events are not empty
            return Snapshot(kind="journey", id=request.journey_id, state=state.model_dump(mode="json"))

        stream = StreamRef(type="journey", id=request.journey_id)
        return await self._append(
            stream, request.expected_version, request.events, request.idempotency_key, snapshot
        )

    @activity.defn(name="record_round_events")
    async def record_round_events(self, request: RecordRoundEvents) -> AppendReceipt:
        """Append a round's events and its new read model in one transaction."""
        events = [ROUND.parse(event.type, event.data) for event in request.events]

        def snapshot(recorded_at: datetime) -> Snapshot:
            state = ROUND.fold(request.prior_state, events, recorded_at)
            assert state is not None
            return Snapshot(kind="round", id=request.round_id, state=state.model_dump(mode="json"))

        stream = StreamRef(type="round", id=request.round_id)
        return await self._append(
            stream, request.expected_version, request.events, request.idempotency_key, snapshot
        )

    async def _append(
        self,
        stream: StreamRef,
        expected_version: int,
        events: list[NewEvent],
        idempotency_key: str,
        snapshot: SnapshotAt,
    ) -> AppendReceipt:
        # The read model is folded at the time the store stamps on the events, so that a rebuild
        # from the log reproduces it exactly.
        try:
            receipt = await self._store.append(
                stream, expected_version, events, idempotency_key, snapshot=snapshot
            )
        except (WrongExpectedVersion, IdempotencyKeyReused) as error:
            # Only the stream's own workflow writes it: a conflict here is not transient.
            raise ApplicationError(str(error), type=type(error).__name__, non_retryable=True) from error
        log.info(
            "decision_recorded",
            stream=str(stream),
            types=[event.type for event in events],
            stream_version=receipt.stream_version,
            replayed=receipt.replayed,
        )
        return receipt
