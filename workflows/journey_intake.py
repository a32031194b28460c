"""A product journey's intake (pure core, workflows/lifecycle.py): registering an idea or importing
a certified product, the idea and the business plan, the dossier and its commune and provincial checks,
the advisory team's steps, the self-assessment, a dossier's lapse — each step's decide, then what its
events change."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime
from typing import Any, assert_never

from schemas.commands import (
    AcceptDossier,
    AcceptIdea,
    ApprovePlan,
    Command,
    EarlierRecognition,
    ImportCertified,
    LapseDossier,
    RecordAdvisoryStep,
    RegisterIdea,
    ResubmitDossier,
    ResubmitIdea,
    ReturnDossier,
    ReturnIdea,
    ReturnPlan,
    SubmitDossier,
    SubmitPlan,
    SubmitSelfAssessment,
)
from schemas.errors import (
    InvalidCommand,
    NotAllowed,
    NotDue,
    StepIncomplete,
    WrongLevel,
    WrongState,
)
from schemas.events import (
    AdvisoryStepRecorded,
    Certificate,
    CertifiedImported,
    Deadline,
    DossierAccepted,
    DossierResubmitted,
    DossierReturned,
    DossierSubmitted,
    IdeaAccepted,
    IdeaRegistered,
    IdeaResubmitted,
    IdeaReturned,
    JourneyEvent,
    PlanApproved,
    PlanReturned,
    PlanSubmitted,
    ReEvaluationApplied,
    SelfAssessmentSubmitted,
    UpgradeApplied,
    Variant,
    Withdrawn,
)
from schemas.journey import (
    AdvisoryRecord,
    CommuneReview,
    JourneyState,
    OpenDeadline,
    SelfAssessment,
    Status,
)
from schemas.refusals import Reason
from schemas.roles import OFFICER_OF_LEVEL, Role
from schemas.rulebook import (
    Rulebook,
)
from schemas.rulebooks import RulebookTable, UnknownRulebook, get_rulebook
from workflows import places
from workflows.calendar import (
    certificate_valid_until,
    due_date,
    end_of_day,
    local_date,
)
from workflows.journey_core import (
    _application_keeps_certificate,
    _commune_deadline,
    _commune_report_due,
    _decides,
    _dossier_set,
    _expect_intake_officer,
    _expect_producer,
    _expect_role,
    _expect_status,
    _expect_system,
    _filed_contents,
    _filing,
    _intake_rulebook,
    _named_set,
    _paper_date,
    _window_rules,
    _without,
)
from workflows.sheets import (
    check_product_set,
    journey_sheet,
    score_sheet,
)


@_decides(RegisterIdea)
def _register(
    state: JourneyState | None, command: RegisterIdea, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    if state is not None:
        raise WrongState(Reason("journey.registered_already", journey=state.journey_id))
    _expect_role(command, Role.PRODUCER)
    if command.actor.id != command.producer_id:
        raise NotAllowed(Reason("journey.register_self"))
    if rulebook.product_group(command.product_group) is None:
        codes = [group.code for group in rulebook.product_groups]
        raise InvalidCommand(
            Reason("journey.unknown_group", group=command.product_group, rulebook=rulebook.id, codes=codes)
        )
    if command.product_set is not None:
        check_product_set(rulebook, command.product_group, command.product_set)
    places.check_commune(command.province_code, command.commune_code)
    return [
        IdeaRegistered(
            journey_id=command.journey_id,
            producer_id=command.producer_id,
            product_name=command.product_name,
            product_group=command.product_group,
            province_code=command.province_code,
            commune_code=command.commune_code,
            district=command.district,
            rulebook=rulebook.id,
            product_set=command.product_set,
            producer_organisation=command.producer_organisation,
        )
    ]


@_decides(ImportCertified)
def _import_certified(
    state: JourneyState | None, command: ImportCertified, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    if state is not None:
        raise WrongState(Reason("journey.exists", journey=state.journey_id))
    _expect_role(command, Role.ADMINISTRATOR)
    try:
        original = get_rulebook(command.rulebook_id)
    except UnknownRulebook as error:
        raise InvalidCommand(str(error)) from None
    levels = {rules.level: rules for rules in original.levels}
    if command.level not in levels or command.stars not in levels[command.level].certifies:
        raise InvalidCommand(
            Reason("journey.level_stars", rulebook=original.id, level=command.level, stars=command.stars)
        )
    if command.decision_date > local_date(now):
        raise InvalidCommand(Reason("journey.recognition_future"))
    if original.product_group(command.product_group) is None:
        raise InvalidCommand(Reason("journey.no_group", rulebook=original.id, group=command.product_group))
    places.check_commune(command.province_code, command.commune_code)
    certificate = Certificate(
        number=command.certificate_number or f"{command.decision_number}/{command.journey_id}",
        stars=command.stars,
        level=command.level,
        decision_number=command.decision_number,
        decision_date=command.decision_date,
        valid_until=certificate_valid_until(command.decision_date, original.certificate_validity_months),
        rulebook=original.id,
    )
    earlier = [_earlier_certificate(command, past) for past in command.earlier]
    if any(later.decision_date <= past.decision_date for past, later in itertools.pairwise(earlier)):
        raise InvalidCommand(Reason("journey.earlier_order"))
    return [
        CertifiedImported(
            journey_id=command.journey_id,
            producer_id=command.producer_id,
            product_name=command.product_name,
            product_group=command.product_group,
            province_code=command.province_code,
            commune_code=command.commune_code,
            district=command.district,
            certificate=certificate,
            producer_organisation=command.producer_organisation,
            earlier_certificates=earlier,
        )
    ]


def _earlier_certificate(command: ImportCertified, past: EarlierRecognition) -> Certificate:
    """A recognition before the imported certificate, as the certificate it gave (history only)."""
    try:
        rulebook = get_rulebook(past.rulebook_id)
    except UnknownRulebook as error:
        raise InvalidCommand(str(error)) from None
    levels = {rules.level: rules for rules in rulebook.levels}
    if past.level not in levels or past.stars not in levels[past.level].certifies:
        raise InvalidCommand(
            Reason("journey.level_stars", rulebook=rulebook.id, level=past.level, stars=past.stars)
        )
    if past.decision_date >= command.decision_date:
        raise InvalidCommand(Reason("journey.earlier_date"))
    return Certificate(
        number=f"{past.decision_number}/{command.journey_id}",
        stars=past.stars,
        level=past.level,
        decision_number=past.decision_number,
        decision_date=past.decision_date,
        valid_until=certificate_valid_until(past.decision_date, rulebook.certificate_validity_months),
        rulebook=rulebook.id,
    )


# Steps of the idea and the business plan: from one status, by the intake officer or the journey's
# producer, to one event.
_INTAKE, _PRODUCER = "intake officer", "producer"


_PLAIN_STEPS: dict[type[Command], tuple[Status, str, Callable[[Any], JourneyEvent]]] = {
    AcceptIdea: (Status.IDEA_REGISTERED, _INTAKE, lambda command: IdeaAccepted()),
    ReturnIdea: (Status.IDEA_REGISTERED, _INTAKE, lambda command: IdeaReturned(reason=command.reason)),
    ResubmitIdea: (Status.IDEA_RETURNED, _PRODUCER, lambda command: IdeaResubmitted()),
    SubmitPlan: (Status.PLAN_PENDING, _PRODUCER, lambda command: PlanSubmitted(document=command.document)),
    ApprovePlan: (Status.PLAN_SUBMITTED, _INTAKE, lambda command: PlanApproved()),
    ReturnPlan: (Status.PLAN_SUBMITTED, _INTAKE, lambda command: PlanReturned(reason=command.reason)),
}


def _plain_step(
    state: JourneyState, command: Command, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    status, actor, event = _PLAIN_STEPS[type(command)]
    _expect_status(state, status)
    if actor == _INTAKE:
        _expect_intake_officer(command, rulebook)
    else:
        _expect_producer(state, command)
    return [event(command)]


for _step in _PLAIN_STEPS:
    _decides(_step)(_plain_step)


@_decides(SubmitDossier, reads_table=True, files_dossier=True)
def _submit_dossier(
    state: JourneyState,
    command: SubmitDossier,
    rulebook: Rulebook,
    now: datetime,
    *,
    table: RulebookTable,
    product_set_required: bool,
) -> list[JourneyEvent]:
    _expect_status(state, Status.IN_DEVELOPMENT)
    _expect_producer(state, command)
    _paper_date(command, None, now)
    intake = _intake_rulebook(now, table, command.submitted_on) if command.submitted_on else rulebook
    product_set = _dossier_set(state, command.product_set, intake, required=product_set_required)
    return [
        DossierSubmitted(
            variant=Variant.NEW,
            documents=command.documents,
            contents=_filed_contents(command, intake, Variant.NEW),
            commune_report_due=_commune_report_due(intake, now, command.submitted_on),
            submitted_on=command.submitted_on,
            product_set=product_set,
        )
    ]


@_decides(ReturnDossier)
def _return_dossier(
    state: JourneyState, command: ReturnDossier, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    due = due_date(local_date(now), rulebook.deadlines.dossier_completion)
    check = rulebook.dossier_check
    if state.status == Status.AWAITING_ROUND and check is not None and state.level in check.returns_at:
        # qd26-2026 Art. 7.3.a: the level's OCOP agency checks the file the commune sent and returns
        # it to the commune and the producer for completion; the commune sends it again.
        assert state.level is not None
        _expect_role(command, OFFICER_OF_LEVEL[state.level])
        return [DossierReturned(missing_items=command.missing_items, completion_due=due, level=state.level)]
    _expect_status(state, Status.DOSSIER_SUBMITTED)
    _expect_intake_officer(command, rulebook)
    return [DossierReturned(missing_items=command.missing_items, completion_due=due)]


@_decides(RecordAdvisoryStep)
def _record_advisory_step(
    state: JourneyState, command: RecordAdvisoryStep, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    check = rulebook.dossier_check
    if check is None or not check.advisory_at:
        raise InvalidCommand(Reason("journey.no_advisory", rulebook=rulebook.id))
    _expect_status(state, Status.AWAITING_ROUND, Status.IN_EVALUATION)
    assert state.level is not None  # set with both statuses
    if state.level not in check.advisory_at:
        raise WrongLevel(Reason("journey.advisory_level", level=state.level))
    if command.step not in check.advisory_steps:
        raise InvalidCommand(Reason("journey.advisory_step", rulebook=rulebook.id, step=command.step))
    # The advisory team works for the council; the level's OCOP agency records its steps.
    _expect_role(command, OFFICER_OF_LEVEL[state.level])
    if command.held_on > local_date(now):
        raise InvalidCommand(Reason("journey.advisory_future"))
    if state.accepted_on is not None and command.held_on < state.accepted_on:
        raise InvalidCommand(Reason("journey.advisory_early", accepted_on=state.accepted_on))
    return [
        AdvisoryStepRecorded(
            level=state.level,
            step=command.step,
            held_on=command.held_on,
            documents=command.documents,
            findings=command.findings,
        )
    ]


@_decides(ResubmitDossier, files_dossier=True)
def _resubmit_dossier(
    state: JourneyState,
    command: ResubmitDossier,
    rulebook: Rulebook,
    now: datetime,
    *,
    product_set_required: bool,
) -> list[JourneyEvent]:
    _expect_status(state, Status.DOSSIER_RETURNED)
    _expect_producer(state, command)
    product_set = _dossier_set(state, command.product_set, rulebook, required=product_set_required)
    return [
        DossierResubmitted(
            documents=command.documents,
            commune_report_due=_commune_report_due(rulebook, now),
            contents=_filed_contents(command, rulebook, state.variant),
            product_set=product_set,
        )
    ]


@_decides(AcceptDossier, reads_table=True)
def _accept_dossier(
    state: JourneyState, command: AcceptDossier, rulebook: Rulebook, now: datetime, *, table: RulebookTable
) -> list[JourneyEvent]:
    _expect_status(state, Status.DOSSIER_SUBMITTED)
    _expect_intake_officer(command, rulebook)
    today = local_date(now)
    accepted_on = command.accepted_on or today
    if accepted_on > today:
        raise InvalidCommand(Reason("journey.accepted_future", accepted_on=accepted_on))
    try:
        # The submission day decides the passage between rulebooks (qd26-2026 Art. 12.2).
        pinned = table.for_dossier(state.submitted_on, accepted_on)
    except UnknownRulebook as error:
        raise InvalidCommand(str(error)) from None
    if pinned.commune_report_required and not command.commune_report:
        raise InvalidCommand(Reason("journey.commune_report_needed", rulebook=pinned.id))
    _check_commune_assessment(pinned, command)
    if pinned.product_group(state.product_group) is None:
        raise InvalidCommand(Reason("journey.no_group", rulebook=pinned.id, group=state.product_group))
    window = state.re_evaluation_window
    re_evaluation_due = None
    if state.variant == Variant.RE_EVALUATION and window is not None:
        # qd26-2026 Art. 7.6.g: 45 days from the complete dossier (the day it is accepted).
        re_evaluation_due = due_date(accepted_on, _window_rules(window).completion)
    return [
        DossierAccepted(
            rulebook=pinned.id,
            accepted_on=accepted_on,
            level=pinned.first_level,
            commune_report=command.commune_report,
            re_evaluation_due=re_evaluation_due,
            commune_assessment=command.commune_assessment,
            proposal=command.proposal,
        )
    ]


def _check_commune_assessment(rulebook: Rulebook, command: AcceptDossier) -> None:
    """The commune's assessment (qd26-2026 Art. 7.2.a, Mẫu 03 part II), where it is given, covers
    each item the rulebook lists, and nothing else; a rulebook without items takes none. What the
    rulebook's acceptance requires (qd26-2026 Art. 6.2, 7.2.b: the assessment, the proposal) is there."""
    absent = [part for part in rulebook.acceptance_requires if getattr(command, part) is None]
    if absent:
        raise StepIncomplete(Reason("journey.acceptance_requires", rulebook=rulebook.id, missing=absent))
    given = command.commune_assessment
    if given is None:
        return
    items = rulebook.commune_assessment
    if not items:
        raise InvalidCommand(Reason("journey.report_document_only", rulebook=rulebook.id))
    missing = [item for item in items if item not in given]
    unknown = sorted(set(given) - set(items))
    if missing and unknown:
        raise InvalidCommand(Reason("journey.assessment_both", items=items, missing=missing, unknown=unknown))
    if missing:
        raise InvalidCommand(Reason("journey.assessment_missing", items=items, missing=missing))
    if unknown:
        raise InvalidCommand(Reason("journey.assessment_unknown", items=items, unknown=unknown))
    blank = [item for item in items if not given[item].strip()]
    if blank:
        raise InvalidCommand(Reason("journey.assessment_blank", blank=blank))


# The dossier is with its producer: before its submission, while it is returned, and (for an upgrade
# or re-evaluation, filed in one step) while the certificate stands.
SELF_ASSESSMENT_STATUSES = (Status.IN_DEVELOPMENT, Status.DOSSIER_RETURNED, Status.CERTIFIED)


@_decides(SubmitSelfAssessment, reads_table=True)
def _submit_self_assessment(
    state: JourneyState,
    command: SubmitSelfAssessment,
    rulebook: Rulebook,
    now: datetime,
    *,
    table: RulebookTable,
) -> list[JourneyEvent]:
    """Mẫu 02 phần III: scored on the sheet the council will use (the intake rulebook's sheet of the
    product's set), refused as a member's sheet would be, naming the criterion; evidence only for
    criteria it answers. Revised by giving it again while the dossier is with the producer."""
    _expect_status(state, *SELF_ASSESSMENT_STATUSES)
    _expect_producer(state, command)
    # From a certificate the next dossier is filed under the day's rulebook, not the pinned one.
    intake = _intake_rulebook(now, table) if state.status == Status.CERTIFIED else rulebook
    product_set = state.product_set
    if command.product_set is not None:
        if product_set is not None and command.product_set != product_set:
            raise InvalidCommand(Reason("journey.set_named", product_set=product_set))
        check_product_set(intake, state.product_group, command.product_set)
        product_set = command.product_set
    if intake.scorecard_sheet is None:
        raise InvalidCommand(Reason("journey.no_sheet", rulebook=intake.id))
    if product_set is None:
        raise InvalidCommand(Reason("journey.name_set"))
    sheet = journey_sheet(intake, product_set)
    score = score_sheet(sheet, command.choices, intake)
    unanswered = sorted(code for code in command.criterion_evidence if code not in score.points)
    if unanswered:
        raise InvalidCommand(Reason("journey.evidence_unscored", criterion=unanswered[0]))
    previous = state.self_assessment
    return [
        SelfAssessmentSubmitted(
            sheet=sheet.id,
            choices=command.choices,
            points=score.points,
            not_applicable=list(score.not_applicable),
            parts=score.parts,
            total=score.total,
            criterion_evidence={code: docs for code, docs in command.criterion_evidence.items() if docs},
            revision=previous.revision + 1 if previous is not None else 0,
            product_set=command.product_set if state.product_set is None else None,
        )
    ]


@_decides(LapseDossier)
def _lapse(
    state: JourneyState, command: LapseDossier, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    _expect_system(command)
    _expect_status(state, Status.DOSSIER_RETURNED)
    deadline = state.deadlines.get(Deadline.DOSSIER_COMPLETION)
    if deadline is None or now < end_of_day(deadline.due):
        raise NotDue(Reason("journey.completion_not_passed"))
    return [Withdrawn(lapsed=True, application_only=_application_keeps_certificate(state))]


def _commune_review(event: DossierAccepted) -> CommuneReview | None:
    """What the commune's acceptance recorded of its review (only where it recorded more than the
    report: older acceptances leave the state as it was)."""
    if event.commune_assessment is None and event.proposal is None:
        return None
    return CommuneReview(
        accepted_on=event.accepted_on,
        report=event.commune_report,
        assessment=event.commune_assessment or {},
        proposal=event.proposal,
    )


IntakeEvent = (
    IdeaAccepted
    | PlanReturned
    | IdeaReturned
    | IdeaResubmitted
    | PlanSubmitted
    | PlanApproved
    | DossierSubmitted
    | UpgradeApplied
    | ReEvaluationApplied
    | DossierReturned
    | DossierResubmitted
    | DossierAccepted
    | SelfAssessmentSubmitted
    | AdvisoryStepRecorded
)


def changes(state: JourneyState, event: IntakeEvent, at: datetime) -> dict[str, Any]:
    """What an event of the intake changes in the journey's state (``evolve``)."""
    match event:
        case IdeaAccepted() | PlanReturned():
            return {"status": Status.PLAN_PENDING}
        case IdeaReturned():
            return {"status": Status.IDEA_RETURNED}
        case IdeaResubmitted():
            return {"status": Status.IDEA_REGISTERED}
        case PlanSubmitted():
            return {"status": Status.PLAN_SUBMITTED, "documents": [event.document]}
        case PlanApproved():
            return {"status": Status.IN_DEVELOPMENT}
        case DossierSubmitted() | UpgradeApplied() | ReEvaluationApplied():
            variant = {
                "dossier_submitted": Variant.NEW,
                "upgrade_applied": Variant.UPGRADE,
                "re_evaluation_applied": Variant.RE_EVALUATION,
            }[event.type]
            deadlines = _commune_deadline(state, event.commune_report_due)
            deadlines = _without(deadlines, Deadline.PASSAGE_COMPLETION)  # a new dossier, a new passage
            return {
                "status": Status.DOSSIER_SUBMITTED,
                "variant": variant,
                "documents": event.documents,
                "site_checks": {},
                "dossier_contents": event.contents or {},
                "missing_items": [],
                "level": None,
                "round_id": None,
                "evaluation": None,
                "pending_recognition": None,
                "deadlines": deadlines,
                "submitted_on": event.submitted_on or local_date(at),
                "receipt_number": event.receipt_number,
                "commune_review": None,
                "advisory": [],
                **_named_set(event),
                **_filing(state, event),
            }
        case DossierReturned():
            deadlines = _without(state.deadlines, Deadline.COMMUNE_REPORT)
            if event.level is not None:
                # Returned by the province: the 45 days run again from the completed dossier.
                deadlines = _without(deadlines, Deadline.RE_EVALUATION_COMPLETION)
            deadlines[Deadline.DOSSIER_COMPLETION] = OpenDeadline(
                due=event.completion_due, due_from=Role.PRODUCER.value
            )
            return {
                "status": Status.DOSSIER_RETURNED,
                "missing_items": event.missing_items,
                "deadlines": deadlines,
                **({"level": None} if event.level is not None else {}),
            }
        case DossierResubmitted():
            return {
                "status": Status.DOSSIER_SUBMITTED,
                "documents": event.documents,
                "dossier_contents": event.contents or {},
                "missing_items": [],
                "deadlines": _commune_deadline(state, event.commune_report_due),
                **_named_set(event),
            }
        case DossierAccepted():
            accepted_deadlines = _without(state.deadlines, Deadline.COMMUNE_REPORT)
            if event.re_evaluation_due is not None:
                accepted_deadlines[Deadline.RE_EVALUATION_COMPLETION] = OpenDeadline(
                    due=event.re_evaluation_due, due_from=OFFICER_OF_LEVEL[event.level].value
                )
            return {
                "status": Status.AWAITING_ROUND,
                "accepted_on": event.accepted_on,
                "level": event.level,
                "rulebook": event.rulebook,
                "deadlines": accepted_deadlines,
                # Given once: a later acceptance (an upgrade, a re-evaluation) keeps the product's code.
                "product_code": state.product_code or event.product_code,
                "commune_review": _commune_review(event),
            }
        case SelfAssessmentSubmitted():
            assessment = SelfAssessment(
                sheet=event.sheet,
                choices=event.choices,
                points=event.points,
                not_applicable=event.not_applicable,
                parts=event.parts,
                total=event.total,
                criterion_evidence=event.criterion_evidence,
                revision=event.revision,
                submitted_at=at,
            )
            named = {"product_set": event.product_set} if event.product_set is not None else {}
            return {"self_assessment": assessment, **named}
        case AdvisoryStepRecorded():
            advised = AdvisoryRecord(
                level=event.level,
                step=event.step,
                held_on=event.held_on,
                documents=event.documents,
                findings=event.findings,
            )
            return {"advisory": [*state.advisory, advised]}
    # Every event of this stage has its case above: mypy reports here the one a new event forgot.
    assert_never(event)
