"""What a round does outside itself: read its council and its journeys, and advance those journeys.

Each step on a journey is that journey's own Temporal update, with an update id derived from the
round's, so a retried activity never enrols or carries a journey twice, and the journey's rules
(its state, level, jurisdiction, cut-off) decide whether the step is allowed.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

import structlog
from pydantic import BaseModel, ConfigDict
from temporalio import activity, workflow
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from schemas.commands import CarryOver, EnrolInRound
from schemas.council import Council, CouncilRoster
from schemas.journey import CommandReceipt, JourneyState
from schemas.log import Actor
from schemas.round import RoundState, RoundStatus, TakeCarriedOver
from store import EventStore
from workflows.ids import journey_workflow_id, round_workflow_id
from workflows.journey import ProductJourney

log = structlog.get_logger(__name__)

C = TypeVar("C", bound=BaseModel)


class EnrolRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    round_id: str
    council: Council
    cut_off: date
    journey_id: str
    actor: Actor
    update_id: str
    request_id: str | None = None


class CarryOverRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    journey_id: str
    from_round: str
    to_round: str
    actor: Actor
    update_id: str


class RoundJourneysRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    journey_ids: list[str]


def _refused(message: str, error_type: str) -> ApplicationError:
    return ApplicationError(message, type=error_type, non_retryable=True)


async def _has_ended(handle: WorkflowHandle[Any, Any]) -> bool:
    """The workflow exists and is no longer running."""
    try:
        description = await handle.describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return description.status != WorkflowExecutionStatus.RUNNING


class RoundActivities:
    """Built once per worker with a Temporal client and the store."""

    def __init__(self, client: Client, store: EventStore) -> None:
        self._client = client
        self._store = store

    async def _council(self, council_id: str) -> Council | None:
        stored = await self._store.get_read_model("council", council_id)
        return Council.model_validate(stored) if stored is not None else None

    async def _roster(self, snapshot: Council, journey_id: str) -> CouncilRoster:
        """The roster fixed when the round opened, with the conflicts declared on the journey so far."""
        current = await self._council(snapshot.council_id)
        conflicts = current.conflicts if current is not None else snapshot.conflicts
        return snapshot.model_copy(update={"conflicts": conflicts}).roster_for(journey_id)

    async def _journey_update(
        self,
        journey_id: str,
        update: workflow.UpdateMethodMultiParam[[Any, C], CommandReceipt],
        command: C,
        update_id: str,
    ) -> CommandReceipt:
        handle = self._client.get_workflow_handle(journey_workflow_id(journey_id))
        try:
            return await handle.execute_update(update, command, id=update_id)
        except WorkflowUpdateFailedError as failure:
            cause = failure.cause
            if isinstance(cause, ApplicationError) and cause.non_retryable:
                raise _refused(cause.message, cause.type or "WrongState") from failure
            raise
        except RPCError as error:
            if error.status != RPCStatusCode.NOT_FOUND and "already completed" not in str(error).lower():
                raise
            # An ended journey (not ranked, withdrawn, expired, revoked) takes no update either; the
            # servers word that differently, so ask whether the workflow exists at all.
            if await _has_ended(handle):
                raise _refused(f"journey {journey_id} has ended", "WrongState") from error
            raise _refused(f"no journey {journey_id}", "UnknownJourney") from error

    @activity.defn(name="load_council")
    async def load_council(self, council_id: str) -> Council | None:
        """The council's read model as it stands now (a round fixes it when it opens)."""
        return await self._council(council_id)

    @activity.defn(name="round_journeys")
    async def round_journeys(self, request: RoundJourneysRequest) -> list[JourneyState]:
        """The read models of the round's journeys."""
        states = []
        for journey_id in request.journey_ids:
            stored = await self._store.get_read_model("journey", journey_id)
            if stored is not None:
                states.append(JourneyState.model_validate(stored))
        return states

    @activity.defn(name="enrol_journey")
    async def enrol_journey(self, request: EnrolRequest) -> CommandReceipt:
        """Enrol the journey through its own ``enrol`` update (its rules decide)."""
        roster = await self._roster(request.council, request.journey_id)
        command = EnrolInRound(
            actor=request.actor,
            round_id=request.round_id,
            level=request.council.level,
            council=roster,
            cut_off=request.cut_off,
            request_id=request.request_id,
        )
        receipt = await self._journey_update(
            request.journey_id, ProductJourney.enrol, command, f"{request.update_id}/enrol"
        )
        return receipt

    @activity.defn(name="carry_over_journey")
    async def carry_over_journey(self, request: CarryOverRequest) -> None:
        """Move an unfinished journey to the council's next round: the journey, then that round."""
        from workflows.round import EvaluationRound  # it imports this module for its activities

        handle = self._client.get_workflow_handle(round_workflow_id(request.to_round))
        try:
            target: RoundState = await handle.query("state", result_type=RoundState)
        except RPCError as error:
            raise _refused(f"no round {request.to_round} to carry over to", "WrongState") from error
        if target.status != RoundStatus.OPEN:
            raise _refused(f"round {request.to_round} is not open", "WrongState")
        stored = await self._store.get_read_model("journey", request.journey_id)
        journey = JourneyState.model_validate(stored) if stored is not None else None
        if journey is None or journey.evaluation is None:
            raise _refused(f"journey {request.journey_id} is not being evaluated", "WrongState")
        if target.council.council_id != journey.evaluation.council.council_id:
            raise _refused(f"round {request.to_round} belongs to another council", "InvalidCommand")
        if journey.round_id != request.to_round:  # not carried by an earlier attempt
            roster = await self._roster(target.council, request.journey_id)
            command = CarryOver(
                actor=request.actor, from_round=request.from_round, to_round=request.to_round, council=roster
            )
            await self._journey_update(
                request.journey_id,
                ProductJourney.carry_over,
                command,
                f"{request.update_id}/{request.journey_id}/journey",
            )
        take = TakeCarriedOver(
            actor=request.actor, journey_id=request.journey_id, from_round=request.from_round
        )
        await handle.execute_update(
            EvaluationRound.take_carried_over, take, id=f"{request.update_id}/{request.journey_id}/round"
        )
        log.info("journey_carried_over", journey_id=request.journey_id, to_round=request.to_round)
