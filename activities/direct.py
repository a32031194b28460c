"""Decisions recorded straight to the log, without a workflow: councils and plans.

Councils and plans have no timers and coordinate nothing, so a Temporal workflow would add only
latency. The guarantees are the same as for an update: the decision is decided on the state folded
from the log, appended with the expected version (a concurrent writer makes us decide again on the
new state) and the caller's idempotency key (a retry returns the first receipt, writes nothing).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import structlog
from pydantic import BaseModel, ConfigDict
from temporalio.client import Client, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError

from schemas.commands import RecordConflict
from schemas.council import COUNCIL_EVENT, Council, CouncilCommand, DeclareConflict
from schemas.journey import JourneyState
from schemas.log import Actor, EventMetadata, RecordedEvent, Snapshot, StreamRef
from schemas.plan import PLAN_EVENT, Plan, SetPlan, plan_stream_id
from store import EventStore, WrongExpectedVersion
from workflows.council_rules import decide_council, evolve_council
from workflows.ids import journey_workflow_id
from workflows.journey import ProductJourney
from workflows.plan_rules import decide_plan, evolve_plan
from workflows.streams import Event, new_event

S = TypeVar("S", bound=BaseModel)
E = TypeVar("E", bound=Event)  # a domain event model

CONFLICT_RETRIES = 5

log = structlog.get_logger(__name__)


class DirectReceipt(BaseModel, Generic[S]):
    """Acknowledgement of a committed council or plan decision, with the new state."""

    model_config = ConfigDict(frozen=True)

    event_ids: list[str]
    event_types: list[str]
    stream_version: int
    replayed: bool = False
    state: S


class _Stream(Generic[S, E]):
    """One kind of directly-recorded stream: how to parse, fold and snapshot it."""

    def __init__(
        self,
        store: EventStore,
        kind: str,
        parse: Callable[[dict[str, Any]], E],
        evolve: Callable[[S | None, E, datetime], S],
    ) -> None:
        self._store = store
        self._kind = kind
        self._parse = parse
        self._evolve = evolve

    def _fold(self, state: S | None, events: Sequence[E], at: datetime) -> S | None:
        for event in events:
            state = self._evolve(state, event, at)
        return state

    async def load(self, stream: StreamRef) -> S | None:
        return self._state_of(await self._store.read_stream(stream))

    def _state_of(self, recorded: Sequence[RecordedEvent], up_to: int | None = None) -> S | None:
        state: S | None = None
        for event in recorded:
            if up_to is not None and event.version > up_to:
                break
            state = self._evolve(state, self._parse({**event.data, "type": event.type}), event.recorded_at)
        return state

    def _recorded_under(
        self, recorded: Sequence[RecordedEvent], idempotency_key: str
    ) -> DirectReceipt[S] | None:
        """The receipt of the decision recorded under ``idempotency_key``, rebuilt from the log as
        it was first given (its events, the state right after them); None if none was."""
        mine = [event for event in recorded if event.idempotency_key == idempotency_key]
        if not mine:
            return None
        state = self._state_of(recorded, up_to=mine[-1].version)
        assert state is not None  # the stream has events up to this decision
        return DirectReceipt(
            event_ids=[str(event.event_id) for event in mine],
            event_types=[event.type for event in mine],
            stream_version=mine[-1].version,
            replayed=True,
            state=state,
        )

    async def run(
        self,
        stream: StreamRef,
        decide: Callable[[S | None], list[E]],
        actor: Actor,
        reason: str | None,
        idempotency_key: str,
    ) -> DirectReceipt[S]:
        for _ in range(CONFLICT_RETRIES):
            recorded = await self._store.read_stream(stream)
            # Decided already under this key (a retry whose first answer was lost, or a request
            # that raced its twin): the first decision's receipt, not a refusal or a no-op.
            earlier = self._recorded_under(recorded, idempotency_key)
            if earlier is not None:
                return earlier
            state = self._state_of(recorded)
            events = decide(state)  # raises a DomainError to refuse
            if not events:
                assert state is not None
                return DirectReceipt(
                    event_ids=[], event_types=[], stream_version=_version(state), state=state
                )
            metadata = EventMetadata(actor=actor, reason=reason, update_id=idempotency_key)
            envelopes = [new_event(event, uuid.uuid4(), metadata) for event in events]

            def snapshot(at: datetime, state: S | None = state, events: list[E] = events) -> Snapshot:
                folded = self._fold(state, events, at)
                assert folded is not None
                return Snapshot(kind=self._kind, id=stream.id, state=folded.model_dump(mode="json"))

            try:
                receipt = await self._store.append(
                    stream, _version(state), envelopes, idempotency_key, snapshot=snapshot
                )
            except WrongExpectedVersion:
                continue  # someone else wrote first: decide again on the new state
            if receipt.replayed:  # the same key was appended meanwhile
                earlier = self._recorded_under(await self._store.read_stream(stream), idempotency_key)
                assert earlier is not None  # the store found this key's events on this stream
                return earlier
            folded = self._fold(state, events, receipt.recorded_at)
            assert folded is not None
            return DirectReceipt(
                event_ids=[str(i) for i in receipt.event_ids],
                event_types=[e.type for e in envelopes],
                stream_version=receipt.stream_version,
                state=folded,
            )
        raise WrongExpectedVersion(str(stream), -1, -1)


def _version(state: BaseModel | None) -> int:
    return int(getattr(state, "version", 0)) if state is not None else 0


class CouncilCommands:
    """Appoint councils, change their membership, record declared conflicts.

    With a Temporal client, a conflict declared on a product the council is evaluating is also
    passed to that journey (its ``record_conflict`` update), whose roster was fixed at enrolment."""

    def __init__(
        self, store: EventStore, client: Client | None = None, *, journey_timeout: float | None = None
    ) -> None:
        self._store = store
        self._client = client
        # How long to wait for the journey's workflow to take a declared conflict (TimeoutError
        # after that: the conflict is in the council's log, and a retry with the same key passes it).
        self._journey_timeout = journey_timeout
        self._stream: _Stream[Council, Any] = _Stream(
            store, "council", COUNCIL_EVENT.validate_python, evolve_council
        )

    async def handle(
        self, council_id: str, command: CouncilCommand, idempotency_key: str
    ) -> DirectReceipt[Council]:
        stream = StreamRef(type="council", id=council_id)
        receipt = await self._stream.run(
            stream,
            lambda state: list(decide_council(state, command, _now())),
            command.actor,
            command.reason,
            idempotency_key,
        )
        if isinstance(command, DeclareConflict) and self._client is not None:
            await self._pass_to_journey(council_id, command, idempotency_key)
        return receipt

    async def _pass_to_journey(self, council_id: str, command: DeclareConflict, idempotency_key: str) -> None:
        stored = await self._store.get_read_model("journey", command.journey_id)
        journey = JourneyState.model_validate(stored) if stored is not None else None
        evaluation = journey.evaluation if journey is not None else None
        if evaluation is None or evaluation.council.council_id != council_id:
            return  # not being evaluated by this council: its next enrolment reads the conflict
        if command.member_id in evaluation.council.conflicts:
            return
        assert self._client is not None
        handle = self._client.get_workflow_handle(journey_workflow_id(command.journey_id))
        record = RecordConflict(actor=command.actor, member_id=command.member_id, reason=command.reason)
        try:
            # The update id derives from the caller's key: a retried declaration records it once.
            async with asyncio.timeout(self._journey_timeout):
                await handle.execute_update(
                    ProductJourney.record_conflict, record, id=f"{idempotency_key}/journey"
                )
        except WorkflowUpdateRPCTimeoutOrCancelledError as exc:
            raise TimeoutError(f"journey {command.journey_id} did not take the conflict in time") from exc
        except WorkflowUpdateFailedError as failure:
            log.warning(
                "conflict_not_passed_to_journey", journey_id=command.journey_id, reason=str(failure.cause)
            )

    async def get(self, council_id: str) -> Council | None:
        return await self._stream.load(StreamRef(type="council", id=council_id))


class PlanCommands:
    """Set a province's yearly plan."""

    def __init__(self, store: EventStore) -> None:
        self._stream: _Stream[Plan, Any] = _Stream(store, "plan", PLAN_EVENT.validate_python, evolve_plan)

    async def handle(self, command: SetPlan, idempotency_key: str) -> DirectReceipt[Plan]:
        stream = StreamRef(type="plan", id=plan_stream_id(command.province_code, command.year))
        return await self._stream.run(
            stream,
            lambda state: list(decide_plan(state, command, _now())),
            command.actor,
            command.reason,
            idempotency_key,
        )

    async def get(self, province_code: int, year: int) -> Plan | None:
        return await self._stream.load(StreamRef(type="plan", id=plan_stream_id(province_code, year)))


def _now() -> datetime:
    return datetime.now(UTC)
