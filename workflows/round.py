"""EvaluationRound (đợt đánh giá): one council's batch of products, from opening to published results.

Updates open the round, enrol journeys, close it (carrying unfinished products to the council's
next round) and publish its results; a timer closes enrolment at the cut-off. A step on a journey
(enrol, carry over) is that journey's own update, made by an activity before the round records its
side, so the round's list and the journeys' own record of their round never disagree.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel, ConfigDict

    from activities.recording import Recording, RecordRoundEvents
    from activities.rounds import CarryOverRequest, EnrolRequest, RoundActivities, RoundJourneysRequest
    from schemas.errors import DomainError, InvalidCommand, WrongState
    from schemas.log import Actor, EventMetadata
    from schemas.roles import Role
    from schemas.round import (
        CloseEnrolment,
        CloseRound,
        EnrolJourney,
        FlagResultsOverdue,
        OpenRound,
        PublishResults,
        RoundCommand,
        RoundEvent,
        RoundReceipt,
        RoundState,
        RoundStatus,
        TakeCarriedOver,
    )
    from workflows.round_rules import (
        RoundFacts,
        decide_round,
        enrolment_deadline,
        fold_round,
        result_row,
        results_deadline,
        unfinished_here,
    )
    from workflows.streams import new_event
    from workflows.updates import command_update, refusal

ACTIVITY_TIMEOUT = timedelta(seconds=30)
RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(seconds=10))
OPENING_WINDOW = timedelta(days=1)
# The national calendar (qd26-2026 Art. 5): a round opened without a cut-off takes the calendar's,
# and one that has not published its results by the calendar's end date escalates (a new timer).
# Asked when a round opens: a round opened before it has no end date, and replays as it ran.
ROUND_CALENDAR = "qd26-2026-round-calendar/v1"
# Extra rounds only where the council's regulation allows them (qd26-2026 Art. 5,
# Council.extra_rounds_allowed): asked when a round opens; a round opened off the calendar before it
# shipped replays as it ran.
ROUND_EXTRA_ROUNDS = "qd26-2026-extra-rounds/v1"
SYSTEM = Actor(id="system", role=Role.SYSTEM.value)


class RoundStart(BaseModel):
    """Workflow input; ``state`` carries the round across continue-as-new."""

    model_config = ConfigDict(frozen=True)

    round_id: str
    state: RoundState | None = None


@workflow.defn(name="EvaluationRound")
class EvaluationRound:
    @workflow.init
    def __init__(self, start: RoundStart) -> None:
        self._round_id = start.round_id
        self._state: RoundState | None = start.state
        self._lock = asyncio.Lock()
        self._steps_taken = 0

    @workflow.run
    async def run(self, start: RoundStart) -> RoundState | None:
        try:
            await workflow.wait_condition(lambda: self._state is not None, timeout=OPENING_WINDOW)
        except TimeoutError:
            return None
        while self._current.status != RoundStatus.RESULTS_PUBLISHED:
            if workflow.info().is_continue_as_new_suggested():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(RoundStart(round_id=self._round_id, state=self._state))
            within = None
            if self._current.enrolment_open:
                within = max((enrolment_deadline(self._current) - workflow.now()).total_seconds(), 0.0)
            overdue = results_deadline(self._current)  # only rounds opened under ROUND_CALENDAR
            if overdue is not None:
                until = max((overdue - workflow.now()).total_seconds(), 0.0)
                within = until if within is None else min(within, until)
            if not await self._changed(within):
                async with self._lock:
                    if self._current.enrolment_open:  # the cut-off passed: enrolment closes
                        await self._record(
                            CloseEnrolment(actor=SYSTEM), RoundFacts(), f"{self._key_base}/cut-off"
                        )
                    else:  # the calendar's end date passed without results: escalate
                        await self._record(
                            FlagResultsOverdue(actor=SYSTEM), RoundFacts(), f"{self._key_base}/results-due"
                        )
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    async def _changed(self, within: float | None) -> bool:
        """Wait until another step is taken (True) or ``within`` seconds pass (False)."""
        seen = self._steps_taken
        try:
            await workflow.wait_condition(lambda: self._steps_taken != seen, timeout=within)
        except TimeoutError:
            return False
        return True

    @workflow.query
    def state(self) -> RoundState | None:
        """The round's current state."""
        return self._state

    open_round = command_update("open_round", OpenRound, RoundReceipt)
    enrol_journey = command_update("enrol_journey", EnrolJourney, RoundReceipt)
    close_round = command_update("close_round", CloseRound, RoundReceipt)
    publish_results = command_update("publish_results", PublishResults, RoundReceipt)
    take_carried_over = command_update("take_carried_over", TakeCarriedOver, RoundReceipt)

    @property
    def _current(self) -> RoundState:
        assert self._state is not None
        return self._state

    @property
    def _key_base(self) -> str:
        return f"{workflow.info().workflow_id}/{self._current.version}"

    def _validate(self, command: RoundCommand) -> None:
        """Refuse what can be refused from the round's own state (facts are checked in the handler)."""
        if isinstance(command, OpenRound):
            if self._state is not None:
                raise refusal(WrongState(f"round {self._round_id} is open already"))
            if command.round_id != self._round_id:  # the stream, the read model and the journeys use ours
                raise refusal(InvalidCommand(f"this is round {self._round_id}, not {command.round_id}"))
            return
        try:
            decide_round(self._state, command, workflow.now())
        except DomainError as error:
            raise refusal(error) from None

    async def _handle(self, command: RoundCommand) -> RoundReceipt:
        update_id = workflow.current_update_info().id  # type: ignore[union-attr]
        async with self._lock:
            try:
                facts = await self._facts(command)
                decide_round(self._state, command, workflow.now(), facts)  # refuse before any side effect
                await self._advance_journeys(command, facts, update_id)
                return await self._record(command, facts, update_id)
            except DomainError as error:
                raise refusal(error) from None
            except ActivityError as failure:
                # A journey refused the step: the round refuses it too, with the journey's reason.
                cause = failure.cause
                if isinstance(cause, ApplicationError) and cause.non_retryable:
                    raise ApplicationError(cause.message, type=cause.type, non_retryable=True) from None
                raise

    async def _facts(self, command: RoundCommand) -> RoundFacts:
        if isinstance(command, OpenRound):
            council = await workflow.execute_activity_method(
                RoundActivities.load_council,
                command.council_id,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=RETRY,
            )
            calendar = workflow.patched(ROUND_CALENDAR)
            return RoundFacts(
                council=council, calendar=calendar, extra_rounds=workflow.patched(ROUND_EXTRA_ROUNDS)
            )
        if isinstance(command, CloseRound | PublishResults):
            journeys = await workflow.execute_activity_method(
                RoundActivities.round_journeys,
                RoundJourneysRequest(journey_ids=self._current.journeys),
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=RETRY,
            )
            if isinstance(command, PublishResults):
                return RoundFacts(results=[result_row(journey, self._current) for journey in journeys])
            unfinished = [
                journey.journey_id
                for journey in journeys
                if unfinished_here(journey, self._round_id)
                # carried by an earlier attempt of this close that did not finish
                or (command.carry_over_to is not None and unfinished_here(journey, command.carry_over_to))
            ]
            return RoundFacts(unfinished=unfinished)
        return RoundFacts()

    async def _advance_journeys(self, command: RoundCommand, facts: RoundFacts, update_id: str) -> None:
        if isinstance(command, EnrolJourney):
            await workflow.execute_activity_method(
                RoundActivities.enrol_journey,
                EnrolRequest(
                    round_id=self._round_id,
                    council=self._current.council,
                    cut_off=self._current.cut_off,
                    journey_id=command.journey_id,
                    actor=command.actor,
                    update_id=update_id,
                    request_id=command.request_id,
                ),
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=RETRY,
            )
        elif isinstance(command, CloseRound) and command.carry_over_to is not None:
            for journey_id in facts.unfinished:
                await workflow.execute_activity_method(
                    RoundActivities.carry_over_journey,
                    CarryOverRequest(
                        journey_id=journey_id,
                        from_round=self._round_id,
                        to_round=command.carry_over_to,
                        actor=command.actor,
                        update_id=update_id,
                    ),
                    start_to_close_timeout=ACTIVITY_TIMEOUT,
                    retry_policy=RETRY,
                )

    async def _record(self, command: RoundCommand, facts: RoundFacts, key: str) -> RoundReceipt:
        now = workflow.now()
        events: list[RoundEvent] = decide_round(self._state, command, now, facts)
        envelopes = [
            new_event(
                event,
                workflow.uuid4(),
                EventMetadata(
                    actor=command.actor,
                    workflow_id=workflow.info().workflow_id,
                    update_id=key,
                    request_id=command.request_id,
                ),
            )
            for event in events
        ]
        if not envelopes:  # nothing new (e.g. a carry-over taken by an earlier attempt)
            return RoundReceipt(
                round_id=self._round_id,
                event_ids=[],
                event_types=[],
                stream_version=self._current.version,
                recorded_at=now,
                state=self._current,
            )
        receipt = await workflow.execute_activity_method(
            Recording.record_round_events,
            RecordRoundEvents(
                round_id=self._round_id,
                expected_version=self._state.version if self._state else 0,
                events=envelopes,
                idempotency_key=key,
                prior_state=self._state,
            ),
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=RETRY,
        )
        self._state = fold_round(self._state, events, receipt.recorded_at)
        self._steps_taken += 1
        return RoundReceipt(
            round_id=self._round_id,
            event_ids=[str(event_id) for event_id in receipt.event_ids],
            event_types=[event.type for event in envelopes],
            stream_version=receipt.stream_version,
            recorded_at=receipt.recorded_at,
            state=self._current,
        )
