"""A product journey's certificate life (pure core, workflows/lifecycle.py): applications from a
certificate (upgrade, re-evaluation), revocation and its file, the inspections after recognition, the
ministry's request to redo an evaluation, and the certificate's own timers (expiry notice, expiry, the
re-evaluation window, the extension) — each step's decide, then what its events change."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, assert_never

from schemas.commands import (
    ApplyReEvaluation,
    ApplyUpgrade,
    CloseReEvaluationWindow,
    Command,
    ExpireCertificate,
    ExtendCertificate,
    FlagInspectionDue,
    OpenReEvaluationWindow,
    OpenRevocation,
    RecordInspection,
    RequireRedo,
    Revoke,
    SendExpiryNotice,
)
from schemas.errors import (
    InvalidCommand,
    NotCertified,
    NotDue,
    WrongState,
)
from schemas.events import (
    Certificate,
    CertificateExpired,
    CertificateExtended,
    Deadline,
    ExpiryNoticeSent,
    InspectionDue,
    InspectionRecorded,
    JourneyEvent,
    RedoRequired,
    ReEvaluationApplied,
    ReEvaluationWindowClosing,
    ReEvaluationWindowOpened,
    RevocationOpened,
    Revoked,
    UpgradeApplied,
    Variant,
)
from schemas.journey import (
    InspectionRecord,
    JourneyState,
    OpenDeadline,
    ReEvaluationWindow,
    RevocationFile,
    Status,
)
from schemas.refusals import Reason
from schemas.roles import Role
from schemas.rulebook import (
    AuthorityAction,
    InspectionCheck,
    Level,
    RevocationGround,
    Rulebook,
)
from schemas.rulebooks import RulebookTable
from workflows.calendar import (
    due_date,
    end_of_day,
    local_date,
)
from workflows.inspection import awaiting_inspection_due, inspection_due_instant
from workflows.journey_core import (
    _commune_report_due,
    _decides,
    _dossier_set,
    _expect_producer,
    _expect_role,
    _expect_status,
    _expect_system,
    _filed_contents,
    _intake_rulebook,
    _paper_date,
    _window_rules,
    expiry_instant,
    re_evaluation_in_progress,
    re_evaluation_rulebook,
    window_opening_instant,
)


def _new_application(state: JourneyState, command: Command, rulebook: Rulebook) -> None:
    _expect_status(state, Status.CERTIFIED)
    _expect_producer(state, command)
    if state.certificate_in_force is None:
        raise NotCertified(Reason("journey.no_certificate"))


@_decides(ApplyUpgrade, reads_table=True, files_dossier=True)
def _apply_upgrade(
    state: JourneyState,
    command: ApplyUpgrade,
    rulebook: Rulebook,
    now: datetime,
    *,
    table: RulebookTable,
    product_set_required: bool,
) -> list[JourneyEvent]:
    _new_application(state, command, rulebook)
    certificate = state.certificate_in_force
    assert certificate is not None
    if certificate.stars >= max(rulebook.recognizable_stars):
        raise InvalidCommand(Reason("journey.top_stars", stars=certificate.stars))
    _paper_date(command, certificate.decision_date, now)
    intake = _intake_rulebook(now, table, command.submitted_on)
    product_set = _dossier_set(state, command.product_set, intake, required=product_set_required)
    return [
        UpgradeApplied(
            documents=command.documents,
            contents=_filed_contents(command, intake, Variant.UPGRADE),
            commune_report_due=_commune_report_due(intake, now, command.submitted_on),
            submitted_on=command.submitted_on,
            product_set=product_set,
        )
    ]


@_decides(ApplyReEvaluation, reads_table=True, files_dossier=True)
def _apply_re_evaluation(
    state: JourneyState,
    command: ApplyReEvaluation,
    rulebook: Rulebook,
    now: datetime,
    *,
    table: RulebookTable,
    product_set_required: bool,
) -> list[JourneyEvent]:
    _new_application(state, command, rulebook)
    certificate = state.certificate_in_force
    assert certificate is not None
    _paper_date(command, certificate.decision_date, now)
    intake = _intake_rulebook(now, table, command.submitted_on)
    product_set = _dossier_set(state, command.product_set, intake, required=product_set_required)
    window = state.re_evaluation_window
    filed_on = command.submitted_on or local_date(now)
    return [
        ReEvaluationApplied(
            documents=command.documents,
            contents=_filed_contents(command, intake, Variant.RE_EVALUATION),
            commune_report_due=_commune_report_due(intake, now, command.submitted_on),
            submitted_on=command.submitted_on,
            product_set=product_set,
            filed_late=None if window is None else filed_on > window.closes_on,
        )
    ]


@_decides(Revoke)
def _revoke(state: JourneyState, command: Revoke, rulebook: Rulebook, now: datetime) -> list[JourneyEvent]:
    _expect_role(command, Role.RECOGNITION_AUTHORITY)
    certificate = state.certificate_in_force
    if certificate is None:
        raise NotCertified(Reason("journey.revoke_uncertified"))
    rules = rulebook.revocation
    if rules is None:
        return [Revoked(certificate_number=certificate.number, grounds=command.grounds)]
    opened = state.revocation_file
    if opened is not None and command.ground is None and command.conclusion is None:
        # The decision on the agency's file cites its ground and conclusion.
        command = command.model_copy(
            update={
                "ground": opened.ground,
                "conclusion": opened.conclusion,
                "concluded_on": opened.concluded_on,
            }
        )
    # qd26-2026 Art. 8: one of the named grounds, the concluding document and its date.
    if command.ground is None or command.conclusion is None or command.concluded_on is None:
        raise InvalidCommand(Reason("journey.revocation_cites", rulebook=rulebook.id))
    _check_conclusion(rulebook, command.ground, command.concluded_on, certificate, now)
    return [
        Revoked(
            certificate_number=certificate.number,
            grounds=command.grounds,
            ground=command.ground,
            conclusion=command.conclusion,
            concluded_on=command.concluded_on,
            decision_due=due_date(command.concluded_on, rules.decision),
        )
    ]


def _check_conclusion(
    rulebook: Rulebook, ground: RevocationGround, concluded_on: date, certificate: Certificate, now: datetime
) -> None:
    """A revocation's ground is one the rulebook names, and its conclusion is dated between the
    recognition and today (qd26-2026 Art. 8)."""
    assert rulebook.revocation is not None
    if ground not in rulebook.revocation.grounds:
        raise InvalidCommand(Reason("journey.no_ground", rulebook=rulebook.id, ground=ground))
    if concluded_on > local_date(now):
        raise InvalidCommand(Reason("journey.conclusion_future"))
    if concluded_on < certificate.decision_date:
        raise InvalidCommand(Reason("journey.conclusion_early"))


@_decides(OpenRevocation)
def _open_revocation(
    state: JourneyState, command: OpenRevocation, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    _expect_role(command, Role.PROVINCIAL_OFFICER, Role.CENTRAL_OFFICER)
    certificate = state.certificate_in_force
    if certificate is None:
        raise NotCertified(Reason("journey.file_uncertified"))
    rules = rulebook.revocation
    if rules is None:
        raise InvalidCommand(Reason("journey.no_revocation_file", rulebook=rulebook.id))
    if state.revocation_file is not None:
        raise WrongState(Reason("journey.file_open"))
    _check_conclusion(rulebook, command.ground, command.concluded_on, certificate, now)
    return [
        RevocationOpened(
            certificate_number=certificate.number,
            ground=command.ground,
            conclusion=command.conclusion,
            concluded_on=command.concluded_on,
            decision_due=due_date(command.concluded_on, rules.decision),
        )
    ]


@_decides(RecordInspection)
def _record_inspection(
    state: JourneyState, command: RecordInspection, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    """Art. 9: the provincial agency inspects the products of its province (access checks the
    jurisdiction), the ministry's its own ranks, and others only when needed (a reason). A failing
    conclusion opens the revocation file on the rulebook's ground, unless one is open already."""
    _expect_role(command, Role.PROVINCIAL_OFFICER, Role.CENTRAL_OFFICER)
    certificate = state.certificate_in_force
    if certificate is None:
        raise NotCertified(Reason("journey.inspect_uncertified"))
    rules = rulebook.inspection
    if rules is None or rulebook.revocation is None:
        raise InvalidCommand(Reason("journey.no_inspection", rulebook=rulebook.id))
    level = Level.CENTRAL if command.actor.role == Role.CENTRAL_OFFICER.value else Level.PROVINCE
    if level == Level.CENTRAL and certificate.stars not in rules.ministry_stars and not command.reason:
        raise InvalidCommand(Reason("journey.ministry_reason", stars=certificate.stars))
    unknown = [check.value for check in command.checked if check not in rules.checks]
    if unknown:
        raise InvalidCommand(Reason("journey.inspection_unknown", rulebook=rulebook.id, checks=unknown))
    if not command.meets_criteria and InspectionCheck.CRITERIA not in command.checked:
        raise InvalidCommand(Reason("journey.failing_checks_criteria"))
    if command.inspected_on > local_date(now):
        raise InvalidCommand(Reason("journey.inspection_future"))
    if command.inspected_on < certificate.decision_date:
        raise InvalidCommand(Reason("journey.inspection_early"))
    events: list[JourneyEvent] = [
        InspectionRecorded(
            certificate_number=certificate.number,
            level=level,
            body=command.authority,
            kind=command.kind,
            inspected_on=command.inspected_on,
            checked=list(dict.fromkeys(command.checked)),
            findings=command.findings,
            meets_criteria=command.meets_criteria,
            conclusion=command.conclusion,
            evidence=command.evidence,
        )
    ]
    if not command.meets_criteria and state.revocation_file is None:
        events.append(
            RevocationOpened(
                certificate_number=certificate.number,
                ground=rules.failing_ground,
                conclusion=command.conclusion,
                concluded_on=command.inspected_on,
                decision_due=due_date(command.inspected_on, rulebook.revocation.decision),
            )
        )
    return events


@_decides(FlagInspectionDue)
def _flag_inspection_due(
    state: JourneyState, command: FlagInspectionDue, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    """Art. 9.2.a: the periodic inspection's interval (the rulebook's, a programme setting) passed
    since the recognition or the last inspection with none recorded: the product is due one."""
    _expect_system(command)
    due = awaiting_inspection_due(state)
    if due is None:
        raise WrongState(Reason("journey.inspection_not_awaited"))
    if now < inspection_due_instant(due.due_on):
        raise NotDue(Reason("journey.inspection_not_due", due_on=due.due_on))
    return [
        InspectionDue(
            certificate_number=due.certificate.number,
            stars=due.certificate.stars,
            due_on=due.due_on,
            counted_from=due.counted_from,
            since=due.since,
            interval_days=due.interval_days,
        )
    ]


@_decides(RequireRedo)
def _require_redo(
    state: JourneyState, command: RequireRedo, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    """Art. 10.1.b: the ministry's OCOP agency asks the province to redo an improper evaluation and
    its chairman to revoke the decision: the request is recorded and opens the revocation file for
    the province (the authority of the certificate's rank), unless one is open."""
    _expect_role(command, Role.CENTRAL_OFFICER)
    certificate = state.certificate_in_force
    if certificate is None:
        raise NotCertified(Reason("journey.redo_uncertified"))
    rules = rulebook.revocation
    if rules is None or rules.redo_ground is None:
        raise InvalidCommand(Reason("journey.no_redo", rulebook=rulebook.id))
    revoking = rulebook.authority_level(
        AuthorityAction.REVOKE, level=certificate.level, stars=certificate.stars
    )
    if certificate.level != Level.PROVINCE or revoking != Level.PROVINCE:
        raise InvalidCommand(Reason("journey.redo_own_level"))
    if state.redo_required:
        raise WrongState(Reason("journey.redo_asked"))
    _check_conclusion(rulebook, rules.redo_ground, command.concluded_on, certificate, now)
    events: list[JourneyEvent] = [
        RedoRequired(
            certificate_number=certificate.number,
            findings=command.findings,
            conclusion=command.conclusion,
            concluded_on=command.concluded_on,
        )
    ]
    if state.revocation_file is None:
        events.append(
            RevocationOpened(
                certificate_number=certificate.number,
                ground=rules.redo_ground,
                conclusion=command.conclusion,
                concluded_on=command.concluded_on,
                decision_due=due_date(command.concluded_on, rules.decision),
            )
        )
    return events


def notice_instant(certificate: Certificate, rulebook: Rulebook) -> datetime:
    """When the expiry notice is due: ``expiry_notice_days`` before the term ends."""
    return expiry_instant(certificate) - timedelta(days=rulebook.expiry_notice_days)


@_decides(SendExpiryNotice)
def _send_notice(
    state: JourneyState, command: SendExpiryNotice, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    _expect_system(command)
    certificate = state.certificate_in_force
    if certificate is None or state.expiry_notice_sent:
        raise WrongState(Reason("journey.no_notice_due"))
    if state.re_evaluation_window is not None:
        raise WrongState(Reason("journey.window_notices"))
    if now < notice_instant(certificate, rulebook):
        raise NotDue(Reason("journey.notice_not_due"))
    return [ExpiryNoticeSent(certificate_number=certificate.number, valid_until=certificate.valid_until)]


@_decides(ExpireCertificate)
def _expire(
    state: JourneyState, command: ExpireCertificate, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    _expect_system(command)
    certificate = state.certificate_in_force
    if certificate is None:
        raise NotCertified(Reason("journey.nothing_to_expire"))
    if now < expiry_instant(certificate):
        raise NotDue(Reason("journey.valid_until", valid_until=certificate.valid_until))
    extended = state.certificate_extended_until
    if extended is not None and re_evaluation_in_progress(state) and now < end_of_day(extended):
        raise NotDue(Reason("journey.extended_until", extended=extended))
    if extended is None and re_evaluation_in_progress(state):
        if state.re_evaluation_window is not None:
            raise WrongState(Reason("journey.extend_first"))
        raise WrongState(Reason("journey.expires_if_fails"))
    return [CertificateExpired(certificate_number=certificate.number, valid_until=certificate.valid_until)]


@_decides(OpenReEvaluationWindow)
def _open_window(
    state: JourneyState, command: OpenReEvaluationWindow, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    _expect_system(command)
    certificate = state.certificate_in_force
    if certificate is None or state.re_evaluation_window is not None:
        raise WrongState(Reason("journey.no_window_to_open"))
    governing = re_evaluation_rulebook(certificate)
    if governing is None or governing.re_evaluation is None:
        raise WrongState(Reason("journey.no_window_rules"))
    rules = governing.re_evaluation
    if now < window_opening_instant(certificate, rules):
        raise NotDue(Reason("journey.window_not_due"))
    return [
        ReEvaluationWindowOpened(
            certificate_number=certificate.number,
            valid_until=certificate.valid_until,
            opens_on=certificate.valid_until - timedelta(days=rules.window_opens_days),
            closes_on=certificate.valid_until - timedelta(days=rules.window_closes_days),
            rulebook=governing.id,
        )
    ]


@_decides(CloseReEvaluationWindow)
def _close_window(
    state: JourneyState, command: CloseReEvaluationWindow, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    _expect_system(command)
    certificate = state.certificate_in_force
    window = state.re_evaluation_window
    if certificate is None or window is None or window.closed:
        raise WrongState(Reason("journey.no_open_window"))
    if re_evaluation_in_progress(state):
        raise WrongState(Reason("journey.window_filed"))
    if now < end_of_day(window.closes_on):
        raise NotDue(Reason("journey.window_open_through", closes_on=window.closes_on))
    return [ReEvaluationWindowClosing(certificate_number=certificate.number, closes_on=window.closes_on)]


@_decides(ExtendCertificate)
def _extend(
    state: JourneyState, command: ExtendCertificate, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    _expect_system(command)
    certificate = state.certificate_in_force
    window = state.re_evaluation_window
    if certificate is None or window is None or state.certificate_extended_until is not None:
        raise WrongState(Reason("journey.nothing_to_extend"))
    if not re_evaluation_in_progress(state):
        raise WrongState(Reason("journey.extend_under_re_evaluation"))
    if now < expiry_instant(certificate):
        raise NotDue(Reason("journey.valid_until", valid_until=certificate.valid_until))
    return [
        CertificateExtended(
            certificate_number=certificate.number,
            valid_until=certificate.valid_until,
            extended_until=certificate.valid_until + timedelta(days=_window_rules(window).extension_days),
            filed_late=window.filed_late,
        )
    ]


CertificateEvent = (
    ExpiryNoticeSent
    | RedoRequired
    | InspectionRecorded
    | InspectionDue
    | RevocationOpened
    | ReEvaluationWindowOpened
    | ReEvaluationWindowClosing
    | CertificateExtended
    | CertificateExpired
    | Revoked
)


def changes(state: JourneyState, event: CertificateEvent, at: datetime) -> dict[str, Any]:
    """What an event of the certificate's life changes in the journey's state (``evolve``)."""
    match event:
        case ExpiryNoticeSent():
            return {"expiry_notice_sent": True}
        case RedoRequired():
            return {"redo_required": True}
        case InspectionRecorded():
            record = InspectionRecord(
                certificate_number=event.certificate_number,
                level=event.level,
                body=event.body,
                kind=event.kind,
                inspected_on=event.inspected_on,
                checked=event.checked,
                meets_criteria=event.meets_criteria,
            )
            return {"inspections": [*state.inspections, record]}
        case InspectionDue():
            return {"inspection_due_on": event.due_on}
        case RevocationOpened():
            revocation_file = RevocationFile(
                ground=event.ground, conclusion=event.conclusion, concluded_on=event.concluded_on
            )
            due = OpenDeadline(due=event.decision_due, due_from=Role.RECOGNITION_AUTHORITY.value)
            return {
                "revocation_file": revocation_file,
                "deadlines": {**state.deadlines, Deadline.REVOCATION_DECISION: due},
            }
        case ReEvaluationWindowOpened():
            window = ReEvaluationWindow(
                rulebook=event.rulebook, opens_on=event.opens_on, closes_on=event.closes_on
            )
            return {"re_evaluation_window": window}
        case ReEvaluationWindowClosing():
            assert state.re_evaluation_window is not None
            return {"re_evaluation_window": state.re_evaluation_window.model_copy(update={"closed": True})}
        case CertificateExtended():
            return {"certificate_extended_until": event.extended_until}
        case CertificateExpired():
            status = Status.EXPIRED if state.status == Status.CERTIFIED else state.status
            return {"certificate_expired": True, "status": status}
        case Revoked():
            return {
                "status": Status.REVOKED,
                "level": None,
                "evaluation": None,
                "pending_recognition": None,
                "deadlines": {},
            }
    # Every event of this stage has its case above: mypy reports here the one a new event forgot.
    assert_never(event)
