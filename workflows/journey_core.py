"""What every stage of a product journey's pure core shares (workflows/lifecycle.py): the registry
of deciders (``_decides``, each stage's module registers its steps by their command type), the guards
a step checks first, and the helpers of more than one stage's decide or evolve."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from schemas.commands import (
    ApplyReEvaluation,
    ApplyUpgrade,
    Command,
    ResubmitDossier,
    SubmitDossier,
)
from schemas.errors import (
    InvalidCommand,
    NotAllowed,
    ProductSetRequired,
    WrongState,
)
from schemas.events import (
    Certificate,
    Deadline,
    DossierResubmitted,
    DossierSubmitted,
    JourneyEvent,
    ReEvaluationApplied,
    UpgradeApplied,
    Variant,
)
from schemas.journey import (
    OPEN,
    Evaluation,
    JourneyState,
    OpenDeadline,
    RecognitionRecord,
    ReEvaluationWindow,
    Status,
)
from schemas.refusals import Reason
from schemas.roles import OFFICER_OF_LEVEL, Role
from schemas.rulebook import (
    ReEvaluationRules,
    Rulebook,
)
from schemas.rulebooks import CURRENT, RulebookTable, UnknownRulebook, get_rulebook
from workflows.calendar import (
    due_date,
    end_of_day,
    local_date,
)
from workflows.sheets import (
    check_product_set,
)

C = TypeVar("C", bound=Command)


# (state, command, rulebook, now), and ``table=`` for the deciders in _READS_TABLE.
Decider = Callable[..., list[JourneyEvent]]


_DECIDERS: dict[type[Command], Decider] = {}


# Deciders that look rulebooks up by date (they also take ``table=``): the acceptance that pins
# one, and the submissions and applications whose intake rules follow the day's rulebook.
_READS_TABLE: set[type[Command]] = set()


# Deciders that file a dossier (they also take ``product_set_required=``): under a rulebook that
# scores by option the dossier needs its product set (_dossier_set).
_FILES_DOSSIER: set[type[Command]] = set()


def _decides(
    command_type: type[C], *, reads_table: bool = False, files_dossier: bool = False
) -> Callable[[Callable[..., list[JourneyEvent]]], Decider]:
    def register(function: Callable[..., list[JourneyEvent]]) -> Decider:
        _DECIDERS[command_type] = function
        if reads_table:
            _READS_TABLE.add(command_type)
        if files_dossier:
            _FILES_DOSSIER.add(command_type)
        return function

    return register


def _expect_status(state: JourneyState, *allowed: Status) -> None:
    if state.status not in allowed:
        raise WrongState(Reason("journey.status", status=state.status, wanted=allowed))


def _expect_role(command: Command, *roles: Role) -> None:
    if command.actor.role not in roles:
        raise NotAllowed(Reason("journey.role", wanted=roles, role=command.actor.role))


def _expect_producer(state: JourneyState, command: Command) -> None:
    _expect_role(command, Role.PRODUCER)
    if command.actor.id != state.producer_id:
        raise NotAllowed(Reason("journey.own_producer"))


def _expect_intake_officer(command: Command, rulebook: Rulebook) -> None:
    _expect_role(command, OFFICER_OF_LEVEL[rulebook.intake_level])


def _expect_system(command: Command) -> None:
    _expect_role(command, Role.SYSTEM)


def _commune_report_due(rulebook: Rulebook, now: datetime, received: date | None = None) -> Any:
    """The commune's report is due ``commune_report`` after it received the dossier (qd26-2026 Art.
    7.2: 15 working days), counted from the paper date when one is given."""
    if not rulebook.commune_report_required:
        return None
    return due_date(received or local_date(now), rulebook.deadlines.commune_report)


def _intake_rulebook(now: datetime, table: RulebookTable, submitted_on: date | None = None) -> Rulebook:
    """The rulebook whose intake rules a new dossier follows: the one in force today (for a paper
    dossier handed in before a passage's cut-over, the one it keeps), as for any dossier before its
    acceptance — not the certificate's pinned one."""
    try:
        return table.for_dossier(submitted_on, local_date(now))
    except UnknownRulebook as error:
        raise InvalidCommand(str(error)) from None


def _paper_date(
    command: SubmitDossier | ApplyUpgrade | ApplyReEvaluation, earliest: date | None, now: datetime
) -> None:
    """A paper submission date entered later is neither in the future nor before ``earliest`` (an
    application is not older than its certificate; a first dossier's journey may itself be entered
    after the fact, so its registration day bounds nothing)."""
    day = command.submitted_on
    if day is None:
        return
    if day > local_date(now):
        raise InvalidCommand(Reason("journey.paper_date_future", day=day))
    if earliest is not None and day < earliest:
        raise InvalidCommand(Reason("journey.paper_date_early", earliest=earliest, day=day))


def _evaluation(state: JourneyState) -> Evaluation:
    _expect_status(state, Status.IN_EVALUATION)
    assert state.evaluation is not None  # evolve sets it with IN_EVALUATION
    return state.evaluation


def _application_keeps_certificate(state: JourneyState) -> bool:
    """An upgrade or re-evaluation runs beside a certificate that stays in force meanwhile."""
    return state.certificate_in_force is not None


def expiry_instant(certificate: Certificate) -> datetime:
    """When a certificate's term is over: midnight after its last valid day, Vietnam time."""
    return end_of_day(certificate.valid_until)


def re_evaluation_in_progress(state: JourneyState) -> bool:
    return state.variant == Variant.RE_EVALUATION and state.status in OPEN


def re_evaluation_rulebook(certificate: Certificate, table: RulebookTable = CURRENT) -> Rulebook | None:
    """The rulebook whose re-evaluation window the certificate follows: the one with a window that
    is in force on the day its window opens (T−180 under qd26-2026). A certificate of an older
    rulebook follows it too (qd26-2026 Art. 12.1: its term stands; its re-evaluation is the new
    rulebook's); None: the certificate ends with the expiry notice of its own rulebook."""
    for book in table.books.values():
        rules = book.re_evaluation
        if rules is None:
            continue
        if book.in_force_on(certificate.valid_until - timedelta(days=rules.window_opens_days)):
            return book
    return None


def window_opening_instant(certificate: Certificate, rules: ReEvaluationRules) -> datetime:
    """The start of the window's first day (T−180): midnight after the day before it."""
    return end_of_day(certificate.valid_until - timedelta(days=rules.window_opens_days + 1))


def _window_rules(window: ReEvaluationWindow) -> ReEvaluationRules:
    rules = get_rulebook(window.rulebook).re_evaluation
    assert rules is not None  # the window opened under this rulebook's rules
    return rules


def _filed_contents(
    command: SubmitDossier | ResubmitDossier | ApplyUpgrade | ApplyReEvaluation,
    rulebook: Rulebook,
    variant: Variant,
) -> dict[str, list[str]] | None:
    """The dossier's documents filed by item of its checklist (qd26-2026 Art. 6): only items shown by
    documents, of the variant's checklist under the intake rulebook, and only documents of the dossier."""
    if not command.contents:
        return None
    checklist = rulebook.dossier_contents
    if checklist is None:
        raise InvalidCommand(Reason("journey.no_checklist", rulebook=rulebook.id))
    filed = sorted(item.code for item in checklist.items(variant.value) if item.shown_by == "documents")
    for code, documents in command.contents.items():
        if code not in filed:
            raise InvalidCommand(Reason("journey.checklist_item", code=code, variant=variant, filed=filed))
        stray = [document for document in documents if document not in command.documents]
        if stray:
            raise InvalidCommand(Reason("journey.stray_document", document=stray[0], code=code))
    return {code: list(documents) for code, documents in command.contents.items() if documents}


def _dossier_set(state: JourneyState, named: str | None, intake: Rulebook, *, required: bool) -> str | None:
    """The product set a dossier records (None: named before, or not at all). A set named before
    stands; under a rulebook that scores by option (its product sets have sheets: ``scorecard_sheet``)
    the dossier needs one, named at registration or with it, since the set picks the sheet its council
    scores on. ``required`` is False only to replay a step recorded before that rule."""
    if named is not None:
        if state.product_set is not None and named != state.product_set:
            raise InvalidCommand(Reason("journey.set_at_registration", product_set=state.product_set))
        check_product_set(intake, state.product_group, named)
    elif state.product_set is None and required and intake.scorecard_sheet is not None:
        raise ProductSetRequired(Reason("journey.product_set_required", rulebook=intake.id))
    return named if state.product_set is None else None


def _without(deadlines: dict[Deadline, OpenDeadline], *kinds: Deadline) -> dict[Deadline, OpenDeadline]:
    return {kind: deadline for kind, deadline in deadlines.items() if kind not in kinds}


def _commune_deadline(state: JourneyState, due: Any) -> dict[Deadline, OpenDeadline]:
    deadlines = _without(state.deadlines, Deadline.COMMUNE_REPORT, Deadline.DOSSIER_COMPLETION)
    if due is not None:
        deadlines[Deadline.COMMUNE_REPORT] = OpenDeadline(due=due, due_from=Role.COMMUNE_OFFICER.value)
    return deadlines


def _named_set(
    event: DossierSubmitted | DossierResubmitted | UpgradeApplied | ReEvaluationApplied,
) -> dict[str, Any]:
    """The product set a dossier names (when the idea, or an earlier dossier, did not)."""
    if event.product_set is not None:
        return {"product_set": event.product_set}
    return {}


def _filing(
    state: JourneyState, event: DossierSubmitted | UpgradeApplied | ReEvaluationApplied
) -> dict[str, Any]:
    """A re-evaluation filed in (or after) the certificate's window says which."""
    window = state.re_evaluation_window
    if not isinstance(event, ReEvaluationApplied) or event.filed_late is None or window is None:
        return {}
    return {"re_evaluation_window": window.model_copy(update={"filed_late": event.filed_late})}


def _close_application(state: JourneyState) -> dict[str, Any]:
    """Back to the certificate after an upgrade or re-evaluation that recognized nothing new."""
    return {
        "status": Status.EXPIRED if state.certificate_expired else Status.CERTIFIED,
        "level": None,
        "evaluation": None,
        "pending_recognition": None,
        "round_id": None,
        # An open revocation file outlives the application (qd26-2026 Art. 8.4).
        "deadlines": {k: v for k, v in state.deadlines.items() if k == Deadline.REVOCATION_DECISION},
    }


def _recognition_record(certificate: Certificate, kind: Variant) -> RecognitionRecord:
    return RecognitionRecord(
        level=certificate.level,
        stars=certificate.stars,
        decision_number=certificate.decision_number,
        decision_date=certificate.decision_date,
        certificate_number=certificate.number,
        kind=kind,
    )
