"""The pure heart of a product journey: ``decide`` what a command means, ``evolve`` the state.

``decide(state, command, rulebook, now)`` returns the events a valid command produces, or raises a
``DomainError`` saying why the step is refused; it reads nothing but its arguments. ``evolve(state,
event, at)`` folds one event into the state. Workflows, projections and tests all use these two.
Rules come from the rulebook; none is written here as a literal (DESIGN rule 5).

The steps live by stage, each step's decide next to the evolve of its events: workflows/
journey_intake.py (registration, idea, plan, dossier, the commune's and province's checks),
journey_evaluation.py (rounds, scoring, the council's result, recognition), journey_certificate.py
(applications from a certificate, revocation, inspection, the certificate's timers); what they share
(the ``@_decides`` registry, the guards) is journey_core.py. A stage's decide registers itself by its
command type; ``evolve`` hands an event to its stage's ``changes``. This module keeps the public names.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, assert_never

from schemas.commands import (
    FlagMissedDeadline,
    ImportCertified,
    JourneyCommand,
    RegisterIdea,
    Withdraw,
)
from schemas.errors import (
    InvalidCommand,
    NotDue,
    WrongState,
)
from schemas.events import (
    AdvisoryStepRecorded,
    CarriedOver,
    CentralResultBelowThreshold,
    CertificateExpired,
    CertificateExtended,
    CertificateSuperseded,
    CertifiedImported,
    ConflictRecorded,
    CouncilFinalized,
    Deadline,
    DeadlineMissed,
    DossierAccepted,
    DossierResubmitted,
    DossierReturned,
    DossierSubmitted,
    EnrolledInRound,
    ExpiryNoticeSent,
    IdeaAccepted,
    IdeaRegistered,
    IdeaResubmitted,
    IdeaReturned,
    InspectionDue,
    InspectionRecorded,
    JourneyEvent,
    MeetingRequested,
    PlanApproved,
    PlanReturned,
    PlanSubmitted,
    Recognized,
    RedoRequired,
    ReEvaluationApplied,
    ReEvaluationWindowClosing,
    ReEvaluationWindowOpened,
    ResultApproved,
    ResultNoticeIssued,
    RevocationOpened,
    Revoked,
    ScorecardAmended,
    ScorecardSubmitted,
    SelfAssessmentSubmitted,
    SentBackForEvaluation,
    SiteCheckDecided,
    UpgradeApplied,
    Variant,
    Withdrawn,
)
from schemas.journey import (
    BEFORE_ACCEPTANCE,
    OPEN,
    JourneyState,
    OpenDeadline,
    Status,
)
from schemas.refusals import Reason
from schemas.rulebook import (
    Rulebook,
)
from schemas.rulebooks import CURRENT, RulebookTable, UnknownRulebook, get_rulebook
from workflows import journey_certificate, journey_evaluation, journey_intake
from workflows.calendar import (
    end_of_day,
    local_date,
)
from workflows.journey_certificate import (
    notice_instant,
)
from workflows.journey_core import (
    _DECIDERS,
    _FILES_DOSSIER,
    _READS_TABLE,
    _application_keeps_certificate,
    _close_application,
    _decides,
    _expect_producer,
    _expect_status,
    _expect_system,
    _recognition_record,
    expiry_instant,
    re_evaluation_in_progress,
    re_evaluation_rulebook,
    window_opening_instant,
)
from workflows.journey_evaluation import (
    by_written_opinion,
    route,
)
from workflows.journey_intake import (
    SELF_ASSESSMENT_STATUSES,
)
from workflows.passage import passage_deadline

# What the journey's pure core offers (its stages' modules are its parts).
__all__ = [
    "SELF_ASSESSMENT_STATUSES",
    "_DECIDERS",
    "applicable_rulebook",
    "by_written_opinion",
    "decide",
    "evolve",
    "expiry_instant",
    "notice_instant",
    "re_evaluation_in_progress",
    "re_evaluation_rulebook",
    "reads_rulebook_table",
    "route",
    "window_opening_instant",
]


def decide(
    state: JourneyState | None,
    command: JourneyCommand,
    rulebook: Rulebook,
    now: datetime,
    *,
    table: RulebookTable = CURRENT,
    product_set_required: bool = True,
) -> list[JourneyEvent]:
    """The events ``command`` produces on ``state`` under ``rulebook`` at ``now``; raises a
    ``DomainError`` when the step is not allowed. Pure: the same arguments give the same events.
    ``table`` says which rulebook was in force on which day (a journey recorded before qd26-2026
    shipped keeps the table it was decided with: workflows/journey.py); ``product_set_required``
    False decides a dossier filed without its product set as before that rule (only to replay a step
    recorded before it: workflows/journey.py)."""
    decider = _DECIDERS.get(type(command))
    if decider is None:
        raise InvalidCommand(Reason("journey.not_a_command", command=type(command).__name__))
    if state is None and not isinstance(command, RegisterIdea | ImportCertified):
        raise WrongState(Reason("journey.not_registered"))
    options: dict[str, Any] = {}
    if type(command) in _READS_TABLE:
        options["table"] = table
    if type(command) in _FILES_DOSSIER:
        options["product_set_required"] = product_set_required
    return decider(state, command, rulebook, now, **options)


def applicable_rulebook(
    state: JourneyState | None, now: datetime, table: RulebookTable = CURRENT
) -> Rulebook:
    """Before acceptance the intake rules in force today apply — for a dossier submitted before a
    passage's cut-over, those of the rulebook it keeps; afterwards the pinned rulebook."""
    if state is None or state.status in BEFORE_ACCEPTANCE:
        submitted = state.submitted_on if state is not None and state.status in _SUBMITTED else None
        try:
            return table.for_dossier(submitted, local_date(now))
        except UnknownRulebook as error:
            raise InvalidCommand(str(error)) from None
    return get_rulebook(state.rulebook)


# A dossier is with the intake officer: its submission day is known.
_SUBMITTED = frozenset({Status.DOSSIER_SUBMITTED, Status.DOSSIER_RETURNED})


def reads_rulebook_table(state: JourneyState | None) -> bool:
    """Whether a step on ``state`` may depend on which rulebook is in force on a day: before the
    dossier's acceptance, and from a certificate (an upgrade or re-evaluation is filed under the
    day's rulebook). After acceptance every rule is the pinned rulebook's."""
    return state is None or state.status in BEFORE_ACCEPTANCE or state.status == Status.CERTIFIED


# -- steps of any stage -------------------------------------------------------------------------


@_decides(Withdraw)
def _withdraw(
    state: JourneyState, command: Withdraw, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    _expect_status(state, *sorted(OPEN))
    _expect_producer(state, command)
    return [Withdrawn(application_only=_application_keeps_certificate(state))]


# -- timed steps (the journey's own timers; actor: system) --------------------------------------


@_decides(FlagMissedDeadline)
def _flag_missed(
    state: JourneyState, command: FlagMissedDeadline, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    _expect_system(command)
    try:
        kind = Deadline(command.deadline)
    except ValueError:
        raise InvalidCommand(Reason("journey.unknown_deadline", deadline=command.deadline)) from None
    if kind == Deadline.DOSSIER_COMPLETION:
        # This one does not escalate: it ends the journey (LapseDossier). Marking it missed would
        # take it off the timers and the dossier would never lapse (ocop.md §2, §3).
        raise InvalidCommand(Reason("journey.completion_not_flagged"))
    deadline = state.deadlines.get(kind)
    if kind == Deadline.PASSAGE_COMPLETION and deadline is None:
        deadline = passage_deadline(state)  # derived from the submission day, not recorded until missed
    if deadline is None or deadline.missed:
        raise WrongState(Reason("journey.no_open_deadline", kind=kind))
    if now < end_of_day(deadline.due):
        raise NotDue(Reason("journey.deadline_due", kind=kind, due=deadline.due))
    return [DeadlineMissed(deadline=kind, due=deadline.due, due_from=deadline.due_from)]


# -- evolve -------------------------------------------------------------------------------------


def evolve(state: JourneyState | None, event: JourneyEvent, at: datetime) -> JourneyState:
    """Fold one event into the state; ``at`` is when the event was recorded."""
    if state is None:
        if isinstance(event, CertifiedImported):
            return _imported(event, at)
        if not isinstance(event, IdeaRegistered):
            raise ValueError(f"a journey starts with idea_registered or certified_imported, not {event.type}")
        return _started(
            event, at, status=Status.IDEA_REGISTERED, rulebook=event.rulebook, product_set=event.product_set
        )
    changes = _changes(state, event, at)
    return state.model_copy(update={**changes, "version": state.version + 1, "updated_at": at})


def _started(event: IdeaRegistered | CertifiedImported, at: datetime, **rest: Any) -> JourneyState:
    """A journey's first state: the product as its first event names it, plus ``rest``."""
    return JourneyState(
        journey_id=event.journey_id,
        producer_id=event.producer_id,
        producer_organisation=event.producer_organisation,
        product_name=event.product_name,
        product_group=event.product_group,
        province_code=event.province_code,
        commune_code=event.commune_code,
        district=event.district,
        registered_at=at,
        version=1,
        updated_at=at,
        **rest,
    )


def _imported(event: CertifiedImported, at: datetime) -> JourneyState:
    certificate = event.certificate
    # The imported history: the first recognition is the product's new one; each later one an
    # upgrade (a higher rank) or a re-evaluation (the same rank or lower).
    history = [*event.earlier_certificates, certificate]
    recognitions = [
        _recognition_record(
            held,
            Variant.NEW
            if before is None
            else (Variant.UPGRADE if held.stars > before.stars else Variant.RE_EVALUATION),
        )
        for before, held in zip([None, *history], history, strict=False)
    ]
    return _started(
        event,
        at,
        status=Status.CERTIFIED,
        rulebook=certificate.rulebook,
        certificate=certificate,
        past_certificates=list(event.earlier_certificates),
        recognitions=recognitions,
        imported=True,
    )


def _changes(state: JourneyState, event: JourneyEvent, at: datetime) -> dict[str, Any]:
    match event:
        case IdeaRegistered() | CertifiedImported():
            raise ValueError(f"{event.type} starts a journey; it cannot happen twice")
        case (
            IdeaAccepted()
            | PlanReturned()
            | IdeaReturned()
            | IdeaResubmitted()
            | PlanSubmitted()
            | PlanApproved()
            | DossierSubmitted()
            | UpgradeApplied()
            | ReEvaluationApplied()
            | DossierReturned()
            | DossierResubmitted()
            | DossierAccepted()
            | SelfAssessmentSubmitted()
            | AdvisoryStepRecorded()
        ):
            return journey_intake.changes(state, event, at)
        case (
            EnrolledInRound()
            | CarriedOver()
            | ConflictRecorded()
            | ScorecardSubmitted()
            | ScorecardAmended()
            | CouncilFinalized()
            | CentralResultBelowThreshold()
            | ResultNoticeIssued()
            | CertificateSuperseded()
            | Recognized()
            | ResultApproved()
            | SentBackForEvaluation()
            | MeetingRequested()
            | SiteCheckDecided()
        ):
            return journey_evaluation.changes(state, event, at)
        case (
            ExpiryNoticeSent()
            | RedoRequired()
            | InspectionRecorded()
            | InspectionDue()
            | RevocationOpened()
            | ReEvaluationWindowOpened()
            | ReEvaluationWindowClosing()
            | CertificateExtended()
            | CertificateExpired()
            | Revoked()
        ):
            return journey_certificate.changes(state, event, at)
        case Withdrawn():
            if event.application_only:
                return _close_application(state)
            return {
                "status": Status.WITHDRAWN,
                "evaluation": None,
                "pending_recognition": None,
                "deadlines": {},
            }
        case DeadlineMissed():
            deadline = state.deadlines.get(event.deadline)
            if deadline is None and event.deadline == Deadline.PASSAGE_COMPLETION:
                # The passage deadline is derived (workflows.passage); once missed it is recorded.
                deadline = OpenDeadline(due=event.due, due_from=event.due_from)
            if deadline is None:
                return {}
            return {
                "deadlines": {**state.deadlines, event.deadline: deadline.model_copy(update={"missed": True})}
            }
    # Every event type has its case above: mypy reports here the one a new event forgot.
    assert_never(event)
