"""Journey and round commands through Temporal: one update per action, whose id is the
Idempotency-Key.

The update returns only after the recording activity committed the events (DESIGN.md rule 1), so
the receipt the API answers with names events that are in the log. Temporal deduplicates updates by
id within a run, and the store deduplicates appends by the same key: a retry gets the first result.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any, TypeVar

from pydantic import BaseModel
from temporalio import workflow
from temporalio.client import (
    WithStartWorkflowOperation,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from api.engine import Engine
from api.errors import Conflict, TimedOut
from schemas.commands import Command
from schemas.errors import DOMAIN_ERRORS, DomainError, InvalidScorecard
from schemas.journey import CommandReceipt
from schemas.log import StreamRef
from schemas.refusals import Reason
from schemas.round import ROUND_EVENT, OpenRound, RoundReceipt, RoundState
from workflows.ids import journey_workflow_id, round_workflow_id
from workflows.journey import JOURNEY_UPDATES, JourneyStart, ProductJourney
from workflows.projection import journey_state
from workflows.round import EvaluationRound, RoundStart
from workflows.round_rules import evolve_round

# How long a request waits for its update; the update may still complete afterwards, and a retry
# with the same Idempotency-Key then gets its result.
COMMAND_TIMEOUT = 30.0
NOT_CONFIRMED = (
    "the engine did not confirm the step in time; send the request again with the same "
    "Idempotency-Key to learn its outcome"
)


def command_timeout() -> float:
    """COMMAND_TIMEOUT, read when called (a test shortens it)."""
    return COMMAND_TIMEOUT


# Errors the recording activity raises when the log refuses an append for good.
_LOG_CONFLICTS = frozenset({"WrongExpectedVersion", "IdempotencyKeyReused"})
# Namespace of the journey ids the API derives from (caller, Idempotency-Key).
R = TypeVar("R", bound=BaseModel)
C = TypeVar("C", bound=BaseModel)
# A step of an evaluation round: EvaluationRound.enrol_journey, close_round, publish_results.
RoundUpdate = workflow.UpdateMethodMultiParam[[Any, C], RoundReceipt]
JOURNEY_NAMESPACE = uuid.UUID("6f636f70-6a6f-5572-8e65-792d69642d31")


def derived_id(actor_id: str, key: uuid.UUID) -> str:
    """A deterministic id for what a request creates: a retried request creates nothing new."""
    return str(uuid.uuid5(JOURNEY_NAMESPACE, f"{actor_id}\n{key}"))


async def start_journey(
    engine: Engine, journey_id: str, action: str, command: Command, key: uuid.UUID
) -> CommandReceipt:
    """Start the journey's workflow (or find it) and run its first step (register or import).

    One request (update-with-start): the workflow starts with its first step in its first workflow
    task, instead of a start and then an update the server dispatches as a second task (issue 22:
    a quarter of the server's work of an import). A journey whose workflow ran and closed is not
    started again (its id is never reused): its step is answered as ``run_action`` answers one."""
    client = await engine.client()
    workflow_id = journey_workflow_id(journey_id)
    start = WithStartWorkflowOperation(
        ProductJourney.run,
        JourneyStart(journey_id=journey_id),
        id=workflow_id,
        task_queue=engine.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        # A journey's workflow id is never used twice: a new run would not know its history.
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
    )
    try:
        async with _confirmed():
            receipt: CommandReceipt = await client.execute_update_with_start_workflow(
                JOURNEY_UPDATES[action], command, start_workflow_operation=start, id=str(key)
            )
        return receipt
    except (WorkflowAlreadyStartedError, RPCError) as exc:
        # The journey's workflow ran and closed (the dev server says so with the first, the
        # time-skipping server with ALREADY_EXISTS); the update below finds it closed.
        if isinstance(exc, RPCError) and exc.status != RPCStatusCode.ALREADY_EXISTS:
            raise
        with contextlib.suppress(WorkflowAlreadyStartedError, RPCError):
            await start.workflow_handle()  # the operation's own copy of the error, read
        handle = client.get_workflow_handle_for(ProductJourney.run, workflow_id)
        return await _update(engine, handle, journey_id, action, command, key)


async def run_action(
    engine: Engine, journey_id: str, action: str, command: Command, key: uuid.UUID
) -> CommandReceipt:
    """Run one step of a journey that exists."""
    client = await engine.client()
    handle = client.get_workflow_handle_for(ProductJourney.run, journey_workflow_id(journey_id))
    return await _update(engine, handle, journey_id, action, command, key)


async def _update(
    engine: Engine,
    handle: WorkflowHandle[ProductJourney, object],
    journey_id: str,
    action: str,
    command: Command,
    key: uuid.UUID,
) -> CommandReceipt:
    try:
        return await execute_update(handle, JOURNEY_UPDATES[action], command, key)
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
        # The workflow closed (its journey ended) or never existed. If this key's events are in
        # the log, the step was taken before the workflow closed: answer with its receipt.
        recorded = await receipt_from_log(engine, journey_id, key)
        if recorded is not None:
            return recorded
        raise Conflict(Reason("journeys.closed", journey=journey_id), code="JourneyClosed") from exc


async def execute_update(
    handle: WorkflowHandle[Any, Any],
    update: workflow.UpdateMethodMultiParam[[Any, C], R],
    argument: C,
    key: uuid.UUID,
) -> R:
    """Run ``update`` (``ProductJourney.enrol``, ``EvaluationRound.open_round`` …) of a workflow with
    the Idempotency-Key as its id:
    a refusal becomes its domain error, a wait beyond COMMAND_TIMEOUT a 504; an RPCError (the
    workflow is closed or unknown) is the caller's to interpret."""
    async with _confirmed():
        result: R = await handle.execute_update(update, argument, id=str(key))
    return result


@contextlib.asynccontextmanager
async def _confirmed() -> AsyncIterator[None]:
    """Wait for an update (``execute_update``, ``start_journey``) at most ``command_timeout()``: a
    refusal becomes its domain error, a wait beyond it a 504."""
    try:
        async with asyncio.timeout(command_timeout()):
            yield
    except WorkflowUpdateFailedError as failure:
        raise refusal(failure) from None
    except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError) as exc:
        raise TimedOut(NOT_CONFIRMED) from exc


def refusal(failure: WorkflowUpdateFailedError) -> Exception:
    """The domain error (or conflict) a failed update stands for."""
    cause: BaseException | None = failure.cause
    while cause is not None:
        if isinstance(cause, ApplicationError) and cause.type:
            error_type = DOMAIN_ERRORS.get(cause.type)
            if error_type is not None:
                named = cause.details[0] if cause.details and isinstance(cause.details[0], dict) else {}
                # Its reason travels in the details too (workflows.updates.refusal).
                error: DomainError = error_type(Reason.of_details(named) or cause.message)
                if isinstance(error, InvalidScorecard):  # the criterion travels in the details
                    error.criterion, error.problem = named.get("criterion"), named.get("problem")
                return error
            if cause.type in _LOG_CONFLICTS:
                return Conflict(cause.message, code=cause.type)
        cause = cause.__cause__ if cause.__cause__ is not None else getattr(cause, "cause", None)
    return RuntimeError(f"the update failed unexpectedly: {failure.cause!r}")


async def receipt_from_log(engine: Engine, journey_id: str, key: uuid.UUID) -> CommandReceipt | None:
    """The receipt of the step recorded under ``key``, rebuilt from the log; None if none was."""
    store = await engine.events()
    events = await store.read_stream(StreamRef(type="journey", id=journey_id))
    mine = [event for event in events if event.idempotency_key == str(key)]
    if not mine:
        return None
    state = journey_state(event for event in events if event.version <= mine[-1].version)
    assert state is not None  # the stream has events up to this step
    return CommandReceipt(
        journey_id=journey_id,
        event_ids=[str(event.event_id) for event in mine],
        event_types=[event.type for event in mine],
        positions=[event.position for event in mine],
        stream_version=mine[-1].version,
        recorded_at=mine[0].recorded_at,
        replayed=True,
        state=state,
    )


# -- evaluation rounds --------------------------------------------------------------------------


async def open_round(engine: Engine, command: OpenRound, key: uuid.UUID) -> RoundReceipt:
    """Start the round's workflow (or find it, for a retry) and open the round."""
    client = await engine.client()
    handle: WorkflowHandle[EvaluationRound, RoundState | None] = await client.start_workflow(
        EvaluationRound.run,
        RoundStart(round_id=command.round_id),
        id=round_workflow_id(command.round_id),
        task_queue=engine.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    return await _round_update(engine, handle, command.round_id, EvaluationRound.open_round, command, key)


async def run_round_step(
    engine: Engine, round_id: str, update: RoundUpdate[C], command: C, key: uuid.UUID
) -> RoundReceipt:
    """Run one step (``EvaluationRound.enrol_journey``, ``close_round``, ``publish_results``) of an
    opened round."""
    client = await engine.client()
    handle = client.get_workflow_handle_for(EvaluationRound.run, round_workflow_id(round_id))
    return await _round_update(engine, handle, round_id, update, command, key)


async def _round_update(
    engine: Engine,
    handle: WorkflowHandle[EvaluationRound, RoundState | None],
    round_id: str,
    update: RoundUpdate[C],
    command: C,
    key: uuid.UUID,
) -> RoundReceipt:
    try:
        return await execute_update(handle, update, command, key)
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
        # The round's workflow ends once its results are published. If this key's events are in
        # the log, the step was taken before (its response was lost): answer with its receipt.
        recorded = await round_receipt_from_log(engine, round_id, key)
        if recorded is not None:
            return recorded
        raise Conflict(Reason("rounds.closed", round=round_id), code="RoundClosed") from exc


async def round_receipt_from_log(engine: Engine, round_id: str, key: uuid.UUID) -> RoundReceipt | None:
    """The receipt of the round's step recorded under ``key``, rebuilt from the log as the round's
    workflow gave it (the same events, folded the same way); None if none was."""
    store = await engine.events()
    events = await store.read_stream(StreamRef(type="round", id=round_id))
    mine = [event for event in events if event.idempotency_key == str(key)]
    if not mine:
        return None
    state: RoundState | None = None
    for event in events:
        if event.version > mine[-1].version:
            break
        parsed = ROUND_EVENT.validate_python({**event.data, "type": event.type})
        state = evolve_round(state, parsed, event.recorded_at)
    assert state is not None  # the stream has events up to this step
    return RoundReceipt(
        round_id=round_id,
        event_ids=[str(event.event_id) for event in mine],
        event_types=[event.type for event in mine],
        stream_version=mine[-1].version,
        recorded_at=mine[0].recorded_at,
        state=state,
    )
