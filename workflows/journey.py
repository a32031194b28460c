"""ProductJourney: one product's OCOP journey as a Temporal workflow (one workflow, one stream).

Every producer, officer, council and authority step is a Temporal update named after its action
(``accept_idea``, ``submit_scorecard`` …). Its validator runs ``decide`` on the current state and
rejects an invalid step before anything is written; its handler decides again under the lock,
records the events through the recording activity and only then evolves the state and returns the
receipt. Timed steps (expiry notice, expiry, lapse, escalations) come from ``due_steps``.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel, ConfigDict

    from activities.certificates import CertificateNumberRequest, CertificateNumbers
    from activities.numbering import AllocateNumbers, Numbering
    from activities.recording import Recording, RecordJourneyEvents
    from schemas.commands import (
        ACTION_OF,
        JOURNEY_ACTIONS,
        AcceptDossier,
        AcceptIdea,
        AmendScorecard,
        ApplyReEvaluation,
        ApplyUpgrade,
        ApprovePlan,
        ApproveResult,
        CarryOver,
        Command,
        DecideSiteCheck,
        EnrolInRound,
        EvaluateAgain,
        FinalizeResult,
        ImportCertified,
        JourneyCommand,
        OpenRevocation,
        Recognize,
        RecordAdvisoryStep,
        RecordConflict,
        RecordInspection,
        RegisterIdea,
        RequestMeeting,
        RequireRedo,
        ResubmitDossier,
        ResubmitIdea,
        ReturnDossier,
        ReturnIdea,
        ReturnPlan,
        Revoke,
        SubmitDossier,
        SubmitPlan,
        SubmitScorecard,
        SubmitSelfAssessment,
        Withdraw,
        update_name,
    )
    from schemas.errors import AdvisoryReviewPending, DomainError, ProductSetRequired, StepIncomplete
    from schemas.events import DossierAccepted, JourneyEvent, ResultNoticeIssued, parse_event
    from schemas.journey import TERMINAL, CommandReceipt, JourneyState
    from schemas.log import EventMetadata
    from schemas.rulebook import Rulebook
    from schemas.rulebooks import BEFORE_QD26, CURRENT, RulebookTable, without_step_requirements
    from workflows.inspection import awaiting_inspection_due
    from workflows.lifecycle import applicable_rulebook, decide, re_evaluation_rulebook, reads_rulebook_table
    from workflows.numbering import numbered, numbers_needed
    from workflows.passage import passage_deadline
    from workflows.projection import fold
    from workflows.streams import new_event
    from workflows.timers import TimedStep, due_steps
    from workflows.updates import command_update, refusal

RECORDING_TIMEOUT = timedelta(seconds=10)
RECORDING_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=10),
)
# A journey whose registration never arrives (the caller died between start and update) ends.
REGISTRATION_WINDOW = timedelta(days=1)
# After a timed step is refused (it should not be), wait before trying again rather than spin.
TIMED_STEP_BACKOFF = timedelta(hours=1)

# Patches (workflow.patched), each asked once per state version ("<name>/v<version>"): a step
# recorded before the patch replays as it ran, every step decided after it takes the new way — a
# journey running when the patch shipped takes it from its next step on, not from its next run.
# Which rulebook is in force on a day: qd26-2026 from 2026-05-22 (before it, qd148-1489-2025 had
# no end). Asked only where a step may depend on it (lifecycle.reads_rulebook_table).
QD26_RULEBOOK_TABLE = "qd26-2026-rulebook-table"
# The passage deadline of a dossier kept under an old rulebook (qd26-2026 Art. 12.2): a new timer.
# Asked only for a journey in a passage (passage_deadline).
QD26_PASSAGE_DEADLINE = "qd26-2026-passage-deadline"
# The re-evaluation window (qd26-2026 Art. 7.6, 12.3): new timers at T−180 and T−120, the expiry
# notice dropped, the extension of a certificate under re-evaluation. Asked only for a certificate
# whose window would open under such a rulebook, until the window opened (then the state says so).
QD26_RE_EVALUATION = "qd26-2026-re-evaluation"
# The commune's numbers (qd26-2026 Phụ lục II–III): the receipt of a dossier received, the product
# code of a dossier accepted, allocated by an activity. Asked only for a step that needs one.
QD26_NUMBERING = "qd26-2026-numbering"
# The written notice of a result that gets no decision (qd26-2026 Art. 7.3.g): a new event after
# such a council result. Asked only for a step that decides one.
QD26_RESULT_NOTICE = "qd26-2026-result-notice"
# Certificate numbers drawn from the province's sequence at recognition (issue 18), never taken from
# the caller; a certificate recognized before keeps the number it was given. Asked only at a
# recognition.
CERTIFICATE_NUMBERS = "certificate-numbers"
# A dossier under a rulebook that scores by option needs its product set (issue 14): a dossier filed
# without one before the rule shipped replays as it ran (scored on the flat sheet). Asked only for a
# step the rule refuses.
QD26_PRODUCT_SET = "qd26-2026-product-set"
# The periodic inspection's due day (qd26-2026 Art. 9.2.a, the interval a programme setting of the
# rulebook): a new timer recording inspection_due. Asked only for a certificate in force whose
# rulebook sets an interval and whose due day is not flagged yet (workflows/inspection.py).
QD26_INSPECTION_DUE = "qd26-2026-inspection-due"
# What a step must carry (qd26-2026 Art. 6.2, 7.2.b: the commune's Mẫu 03 assessment and proposal
# at acceptance, Rulebook.acceptance_requires): a step recorded without it before the rule shipped
# replays as it ran. Asked only for a step the rule refuses.
QD26_STEP_REQUIREMENTS = "qd26-2026-step-requirements"
# The advisory team's review before the council (qd26-2026 Art. 7.3.c before 7.3.d,
# DossierCheck.before_council): a first scorecard recorded without it before the rule shipped
# replays as it ran. Asked only for a scorecard the rule refuses.
QD26_ADVISORY_BEFORE_COUNCIL = "qd26-2026-advisory-before-council"
# A step's events are appended by a local activity (issue 22), run by the worker within the workflow
# task that took the step, instead of an activity task the server schedules, dispatches and records
# with its whole input (the prior state, scorecards and all): a step is one workflow task fewer and
# no activity task on the server, which bounded the import (bench/national.py). The append is as
# idempotent either way (a retried or re-run append answers the first attempt's receipt). Unlike
# the rules' patches above it is asked once a run, not once a state version (it decides nothing, so
# a journey need not take it from its next step): the SDK keeps its first answer for the run, so a
# journey started before it records by activity tasks to the end, and every journey started since
# records locally, with one patch marker (and one search-attribute upsert) in its history, not one
# a step.
LOCAL_RECORDING = "local-recording"


C = TypeVar("C", bound=Command)


def _patched(name: str, version: int) -> bool:
    return workflow.patched(f"{name}/v{version}")


class JourneyStart(BaseModel):
    """Workflow input; ``state`` carries the journey across continue-as-new."""

    model_config = ConfigDict(frozen=True)

    journey_id: str
    state: JourneyState | None = None


def _journey_update(command_type: type[C]) -> workflow.UpdateMethodMultiParam[[Any, C], CommandReceipt]:
    """The update of the journey action whose command is ``command_type``, named after the action's
    slug in JOURNEY_ACTIONS (the one place it is written)."""
    return command_update(update_name(ACTION_OF[command_type]), command_type, CommandReceipt)


@workflow.defn(name="ProductJourney")
class ProductJourney:
    @workflow.init
    def __init__(self, start: JourneyStart) -> None:
        self._journey_id = start.journey_id
        self._state: JourneyState | None = start.state
        self._lock = asyncio.Lock()
        self._steps_taken = 0

    @workflow.run
    async def run(self, start: JourneyStart) -> JourneyState | None:
        try:
            await workflow.wait_condition(lambda: self._state is not None, timeout=REGISTRATION_WINDOW)
        except TimeoutError:
            workflow.logger.warning("journey never registered", extra={"journey_id": self._journey_id})
            return None
        while self._current.status not in TERMINAL:
            if workflow.info().is_continue_as_new_suggested():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(JourneyStart(journey_id=self._journey_id, state=self._state))
            await self._wait_for_change_or_timer()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    @workflow.query
    def state(self) -> JourneyState | None:
        """The journey's current state."""
        return self._state

    # One update per action of JOURNEY_ACTIONS, named after its slug there (update_name); the names are
    # part of the API's contract. Callers name an update by its attribute: ProductJourney.enrol.
    register_idea = _journey_update(RegisterIdea)
    import_certified = _journey_update(ImportCertified)
    accept_idea = _journey_update(AcceptIdea)
    return_idea = _journey_update(ReturnIdea)
    resubmit_idea = _journey_update(ResubmitIdea)
    submit_plan = _journey_update(SubmitPlan)
    approve_plan = _journey_update(ApprovePlan)
    return_plan = _journey_update(ReturnPlan)
    submit_dossier = _journey_update(SubmitDossier)
    return_dossier = _journey_update(ReturnDossier)
    resubmit_dossier = _journey_update(ResubmitDossier)
    accept_dossier = _journey_update(AcceptDossier)
    submit_self_assessment = _journey_update(SubmitSelfAssessment)
    record_advisory_step = _journey_update(RecordAdvisoryStep)
    enrol = _journey_update(EnrolInRound)
    carry_over = _journey_update(CarryOver)
    submit_scorecard = _journey_update(SubmitScorecard)
    amend_scorecard = _journey_update(AmendScorecard)
    record_conflict = _journey_update(RecordConflict)
    finalize = _journey_update(FinalizeResult)
    recognize = _journey_update(Recognize)
    approve_result = _journey_update(ApproveResult)
    evaluate_again = _journey_update(EvaluateAgain)
    apply_upgrade = _journey_update(ApplyUpgrade)
    apply_re_evaluation = _journey_update(ApplyReEvaluation)
    revoke = _journey_update(Revoke)
    open_revocation = _journey_update(OpenRevocation)
    record_inspection = _journey_update(RecordInspection)
    request_meeting = _journey_update(RequestMeeting)
    decide_site_check = _journey_update(DecideSiteCheck)
    require_redo = _journey_update(RequireRedo)
    withdraw = _journey_update(Withdraw)

    @property
    def _current(self) -> JourneyState:
        assert self._state is not None
        return self._state

    def _validate(self, command: JourneyCommand) -> None:
        """Synchronous and read-only: reject an invalid step before it is accepted."""
        now = workflow.now()
        try:
            decide(self._state, command, applicable_rulebook(self._state, now), now)
        except DomainError as error:
            raise refusal(error) from None

    async def _handle(self, command: JourneyCommand) -> CommandReceipt:
        # The lock makes decide -> record -> evolve atomic with respect to other updates and timers:
        # each step decides on the state the previous one left.
        async with self._lock:
            try:
                return await self._record(command, workflow.current_update_info().id)  # type: ignore[union-attr]
            except DomainError as error:
                raise refusal(error) from None

    async def _record(self, command: JourneyCommand, idempotency_key: str) -> CommandReceipt:
        now = workflow.now()
        table = self._rulebook_table()
        rulebook = applicable_rulebook(self._state, now, table)
        state = self._state
        if isinstance(command, Recognize) and state and _patched(CERTIFICATE_NUMBERS, state.version):
            # Decided once first: a refused recognition draws no number.
            decide(self._state, command, rulebook, now, table=table)
            number = await self._certificate_number(command)
            command = command.model_copy(update={"certificate_number": number})
        events = self._as_recorded(command, rulebook, now, table)
        events = await self._numbered(events, now, table)
        events = self._with_notice(events)
        info = workflow.info()
        envelopes = [
            new_event(
                event,
                workflow.uuid4(),
                self._metadata(command, event, rulebook.id, info.workflow_id, idempotency_key),
            )
            for event in events
        ]
        version = self._state.version if self._state else 0
        recording = RecordJourneyEvents(
            journey_id=self._journey_id,
            expected_version=version,
            events=envelopes,
            idempotency_key=idempotency_key,
            prior_state=self._state,
        )
        if workflow.patched(LOCAL_RECORDING):
            receipt = await workflow.execute_local_activity_method(
                Recording.record_journey_events,
                recording,
                start_to_close_timeout=RECORDING_TIMEOUT,
                retry_policy=RECORDING_RETRY,
            )
        else:
            receipt = await workflow.execute_activity_method(
                Recording.record_journey_events,
                recording,
                start_to_close_timeout=RECORDING_TIMEOUT,
                retry_policy=RECORDING_RETRY,
            )
        # These are the events the log holds: a retried append returns the first attempt's receipt,
        # and that attempt recorded exactly these envelopes (same state, same deterministic ids).
        self._state = fold(self._state, [parse_event(e.type, e.data) for e in envelopes], receipt.recorded_at)
        self._steps_taken += 1
        return CommandReceipt(
            journey_id=self._journey_id,
            event_ids=[str(event_id) for event_id in receipt.event_ids],
            event_types=[event.type for event in envelopes],
            positions=receipt.positions,
            stream_version=receipt.stream_version,
            recorded_at=receipt.recorded_at,
            replayed=receipt.replayed,
            state=self._current,
        )

    async def _certificate_number(self, command: Recognize) -> str:
        state = self._current
        assert state.pending_recognition is not None  # decide accepted the recognition
        return await workflow.execute_activity_method(
            CertificateNumbers.assign_certificate_number,
            CertificateNumberRequest(
                journey_id=self._journey_id,
                recognition=len(state.recognitions) + 1,
                level=state.pending_recognition.level,
                province_code=state.province_code,
                decision_year=command.decision_date.year,
            ),
            start_to_close_timeout=RECORDING_TIMEOUT,
            retry_policy=RECORDING_RETRY,
        )

    @staticmethod
    def _metadata(
        command: Command, event: JourneyEvent, rulebook_id: str, workflow_id: str, update_id: str
    ) -> EventMetadata:
        return EventMetadata(
            actor=command.actor,
            authority=command.authority,
            # A dossier's acceptance pins its rulebook; every later event carries the pinned one.
            rulebook=event.rulebook if isinstance(event, DossierAccepted) else rulebook_id,
            reason=getattr(command, "reason", None) or getattr(command, "grounds", None),
            evidence=command.evidence,
            workflow_id=workflow_id,
            update_id=update_id,
            request_id=command.request_id,
        )

    async def _numbered(
        self, events: list[JourneyEvent], now: datetime, table: RulebookTable
    ) -> list[JourneyEvent]:
        """The decided events with the commune's receipt number and product code written in, where
        the rulebook numbers them (a step recorded before numbering shipped replays without)."""
        requests = numbers_needed(self._state, events, now, table)
        version = self._state.version if self._state is not None else 0
        if not requests or not _patched(QD26_NUMBERING, version):
            return events
        numbers = await workflow.execute_activity_method(
            Numbering.allocate_numbers,
            AllocateNumbers(journey_id=self._journey_id, requests=requests),
            start_to_close_timeout=RECORDING_TIMEOUT,
            retry_policy=RECORDING_RETRY,
        )
        return numbered(self._state, events, now, numbers, table)

    def _decided(
        self, command: JourneyCommand, rulebook: Rulebook, now: datetime, table: RulebookTable
    ) -> list[JourneyEvent]:
        """``decide``, but a dossier without its product set recorded before the rule requiring one
        shipped replays as it ran (the validator refuses a new one before it is accepted)."""
        try:
            return decide(self._state, command, rulebook, now, table=table)
        except ProductSetRequired:
            version = self._state.version if self._state is not None else 0
            if _patched(QD26_PRODUCT_SET, version):
                raise
        return decide(self._state, command, rulebook, now, table=table, product_set_required=False)

    def _as_recorded(
        self, command: JourneyCommand, rulebook: Rulebook, now: datetime, table: RulebookTable
    ) -> list[JourneyEvent]:
        """``_decided``, but a step recorded before what it must carry was required (qd26-2026 Art.
        6.2, 7.2.b: the commune's Mẫu 03 assessment and proposal; Art. 7.3.c: the advisory team's
        review before the council's first scorecard) replays as it ran; the validator
        refuses a new one before it is accepted."""
        try:
            return self._decided(command, rulebook, now, table)
        except StepIncomplete as refused:
            version = self._state.version if self._state is not None else 0
            shipped = (
                QD26_ADVISORY_BEFORE_COUNCIL
                if isinstance(refused, AdvisoryReviewPending)
                else QD26_STEP_REQUIREMENTS
            )
            if _patched(shipped, version):
                raise
        relaxed = table.without_step_requirements()
        return self._decided(command, without_step_requirements(rulebook), now, relaxed)

    def _with_notice(self, events: list[JourneyEvent]) -> list[JourneyEvent]:
        """The decided events, less a written notice where the step was recorded before it shipped."""
        if not any(isinstance(event, ResultNoticeIssued) for event in events):
            return events
        version = self._state.version if self._state is not None else 0
        if _patched(QD26_RESULT_NOTICE, version):
            return events
        return [event for event in events if not isinstance(event, ResultNoticeIssued)]

    def _rulebook_table(self) -> RulebookTable:
        """The rulebook table this step decides with: the shipped one, or (replaying a step recorded
        before qd26-2026 shipped) the one it was decided with. Not for validators (read-only): they
        never run on replay, and a new step always takes the shipped table."""
        if not reads_rulebook_table(self._state):
            return CURRENT
        version = self._state.version if self._state is not None else 0
        return CURRENT if _patched(QD26_RULEBOOK_TABLE, version) else BEFORE_QD26

    def _due_steps(self) -> list[TimedStep]:
        state = self._current
        passage = passage_deadline(state) is not None and _patched(QD26_PASSAGE_DEADLINE, state.version)
        certificate = state.certificate_in_force
        re_evaluation = (
            certificate is not None
            and state.re_evaluation_window is None
            and re_evaluation_rulebook(certificate) is not None
            and _patched(QD26_RE_EVALUATION, state.version)
        )
        inspection = awaiting_inspection_due(state) is not None and _patched(
            QD26_INSPECTION_DUE, state.version
        )
        return due_steps(state, passage=passage, re_evaluation=re_evaluation, inspection=inspection)

    async def _wait_for_change_or_timer(self) -> None:
        """Sleep until an update changes the state or the earliest timed step is due, then take it."""
        steps = self._due_steps()
        if not steps:
            await self._changed(within=None)
            return
        delay = (steps[0].at - workflow.now()).total_seconds()
        if delay > 0 and await self._changed(within=delay):
            return
        if not await self._take_timed_step():
            await self._changed(within=TIMED_STEP_BACKOFF.total_seconds())

    async def _changed(self, within: float | None) -> bool:
        """Wait until another step is taken (True) or ``within`` seconds pass (False)."""
        seen = self._steps_taken
        try:
            await workflow.wait_condition(lambda: self._steps_taken != seen, timeout=within)
        except TimeoutError:
            return False
        return True

    async def _take_timed_step(self) -> bool:
        async with self._lock:
            # Re-read under the lock: an update may have changed what is due.
            due: list[TimedStep] = [step for step in self._due_steps() if step.at <= workflow.now()]
            if not due:
                return True
            step = due[0]
            key = f"{workflow.info().workflow_id}/timer/{self._current.version}/{type(step.command).__name__}"
            try:
                await self._record(step.command, key)
            except DomainError as error:
                workflow.logger.error(
                    "timed step refused", extra={"step": type(step.command).__name__, "reason": error.message}
                )
                return False
            return True


# The update of each journey action, for callers that are given the action as data (the generic
# action route, the drivers of tests and benches); a caller that knows its step names the attribute.
JOURNEY_UPDATES: dict[str, workflow.UpdateMethodMultiParam[[Any, Command], CommandReceipt]] = {
    action: getattr(ProductJourney, update_name(action)) for action in JOURNEY_ACTIONS
}
