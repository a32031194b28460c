"""The journey page: state, stars, certificate, the decision history as a timeline with its
verification, the state as of a date, the steps the actor may take, and the history's export.

Every read is the API's own route function (``get_journey``, ``journey_history``,
``verify_journey``, ``journey_state_as_of``), called with the signed-in actor: the page shows what
``GET /v1/journeys/{id}/...`` answers, no more — scores sealed by ``api.visibility`` included.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import Path, Query, Response

from api import access
from api.access import AccessDenied
from api.deps import JourneyId
from api.errors import NotFound
from api.services import journeys
from schemas.api import HistoryEntry
from schemas.documents import DocumentView
from schemas.journey import OPEN, JourneyState, Status
from schemas.roles import OFFICER_OF_LEVEL, Role
from schemas.rulebook import Level, RevocationGround
from schemas.rulebooks import DEFAULT_RULEBOOK_ID, get_rulebook
from schemas.scorecard import classification_for
from store.parties import PartyStore
from web.confirm import Fact, carried, confirmation, confirmed
from web.documents import listing as dossier_documents
from web.exports import csv_text
from web.i18n import EVENT_FIELD_CODES, Translator, date_text, stars_text
from web.pages import Page, PostedForm, SignedIn, page_router, text
from web.scoring import dossier_context
from web.self_assessment import checklist_of, filing_items, intake_rulebook
from web.statistics import Labels, statistics_labels
from web.steps import REFUSALS, Refusal, check_step, refusal_of, take_step
from workflows.calendar import end_of_day, local_date
from workflows.lifecycle import applicable_rulebook

router = page_router()  # this module's pages; web/__init__.py includes them

FieldKind = Literal[
    "text",
    "textarea",
    "lines",
    "date",
    "level",
    "ground",
    "choice",
    "choices",
    "contents",
    "assessment",
    "product_set",
]


@dataclass(frozen=True)
class FormField:
    """One field of a step's form; ``label`` is a message key."""

    name: str
    kind: FieldKind
    label: str
    required: bool = False
    # A choice (one) or choices (several, checkboxes): the values, each labelled by ``codes.<value>``.
    options: tuple[str, ...] = ()
    codes: str = ""


_REASON = FormField("reason", "textarea", "field.reason")
_REASON_REQUIRED = FormField("reason", "textarea", "field.reason", required=True)
_DOCUMENTS = FormField("documents", "lines", "field.documents", required=True)
# The dossier's documents filed by item of its checklist (qd26-2026 Art. 6): one lines field an item,
# "contents-<item>" (web.self_assessment.filing_items); what is filed is one of the documents too.
_FILED = FormField("contents", "contents", "field.contents")
# The commune's assessment (Mẫu 03 part II): one text an item of the rulebook in force, each sent as
# "commune_assessment-<item>" and gathered by step_fields into the body's map.
_ASSESSMENT = FormField(
    "commune_assessment",
    "assessment",
    "field.commune_assessment",
    options=tuple(get_rulebook(DEFAULT_RULEBOOK_ID).commune_assessment),
    codes="assessment",
)
_SITE_GROUNDS = ("production_changed", "evidence_unclear")
# The product set (Phụ lục I), offered with a dossier under a rulebook that scores by option where
# the idea named none (fields_of): a choice among the sets of the product's sector (sector_sets).
_PRODUCT_SET = FormField("product_set", "product_set", "field.product_set", required=True)
_FILES_DOSSIER = frozenset({"submit-dossier", "resubmit-dossier", "apply-upgrade", "apply-re-evaluation"})
# The steps a page offers, with their fields (the body of ``POST /v1/journeys/{id}/{action}``).
# Scoring and finalizing have pages of their own; enrolment is a round's step.
STEP_FIELDS: dict[str, tuple[FormField, ...]] = {
    "accept-idea": (),
    "return-idea": (_REASON_REQUIRED,),
    "resubmit-idea": (_REASON,),
    "submit-plan": (FormField("document", "text", "field.document", required=True),),
    "approve-plan": (),
    "return-plan": (_REASON_REQUIRED,),
    "submit-dossier": (_DOCUMENTS, _FILED),
    "return-dossier": (FormField("missing_items", "lines", "field.missing_items", required=True),),
    "resubmit-dossier": (_DOCUMENTS, _FILED),
    "accept-dossier": (
        FormField("commune_report", "text", "field.commune_report"),
        _ASSESSMENT,
        FormField("proposal", "text", "field.proposal"),
        FormField("accepted_on", "date", "field.accepted_on"),
    ),
    # The advisory team's steps (QĐ 26/2026 Art. 7.3.c), recorded by the level's OCOP agency.
    "record-advisory-step": (
        FormField(
            "step",
            "choice",
            "field.advisory_step",
            True,
            ("review", "site_survey", "extra_tests", "test_results", "report"),
            "advisory",
        ),
        FormField("held_on", "date", "field.held_on", required=True),
        _DOCUMENTS,
        FormField("findings", "textarea", "field.findings_short"),
    ),
    "recognize": (
        FormField("decision_number", "text", "field.decision_number", required=True),
        FormField("decision_date", "date", "field.decision_date", required=True),
    ),
    "approve-result": (
        FormField("decision_number", "text", "field.decision_number", required=True),
        FormField("decision_date", "date", "field.decision_date", required=True),
    ),
    "evaluate-again": (FormField("decision_number", "text", "field.decision_number"), _REASON),
    "apply-upgrade": (_DOCUMENTS, _FILED),
    "apply-re-evaluation": (_DOCUMENTS, _FILED),
    # qd26-2026 (Art. 8): the ground a–e, the concluding document and its date (required by the
    # journey under qd26-2026; older rulebooks revoke on the free grounds alone).
    "revoke": (
        FormField("grounds", "textarea", "field.grounds", required=True),
        FormField("ground", "ground", "field.ground"),
        FormField("conclusion", "text", "field.conclusion"),
        FormField("concluded_on", "date", "field.concluded_on"),
    ),
    # The OCOP agency's revocation file (Art. 8.3.a): the authority's decision is due in 15 days.
    "open-revocation": (
        FormField("ground", "ground", "field.ground", required=True),
        FormField("conclusion", "text", "field.conclusion", required=True),
        FormField("concluded_on", "date", "field.concluded_on", required=True),
    ),
    # Kiểm tra, giám sát sau công nhận (Art. 9): the agency's record; a failing conclusion opens the
    # revocation file. The ministry says why it inspects a 3★/4★ product (reason).
    "record-inspection": (
        FormField("kind", "choice", "field.inspection_kind", True, ("periodic", "ad_hoc"), "inspection"),
        FormField("inspected_on", "date", "field.inspected_on", required=True),
        FormField(
            "checked", "choices", "field.checked", True, ("criteria", "ocop_mark", "promotion"), "check"
        ),
        FormField("findings", "textarea", "field.findings", required=True),
        FormField("meets_criteria", "choice", "field.meets_criteria", True, ("true", "false"), "meets"),
        FormField("conclusion", "text", "field.conclusion", required=True),
        FormField("evidence", "lines", "field.evidence"),
        _REASON,
    ),
    # Re-evaluation by written opinion (Art. 7.6.d): a voting member asks the council to meet.
    "request-meeting": (_REASON_REQUIRED,),
    # The agency's site-check choice for a re-evaluation (Art. 7.6.c), with its grounds.
    "decide-site-check": (
        FormField("survey", "choice", "field.survey", True, ("false", "true"), "survey"),
        FormField("survey_grounds", "choices", "field.site_grounds", False, _SITE_GROUNDS, "site"),
        _REASON,
    ),
    # The ministry asks the province to redo an improper evaluation (Art. 10.1.b): a revocation file.
    "require-redo": (
        FormField("findings", "textarea", "field.redo_findings", required=True),
        FormField("conclusion", "text", "field.conclusion", required=True),
        FormField("concluded_on", "date", "field.concluded_on", required=True),
    ),
    "withdraw": (_REASON,),
}
# The journey's other actions, and the page route that takes each instead (None: no page does; the
# comment says where it comes from). tests/test_wiring.py asks every action for a form or a line here.
STEPS_ELSEWHERE: dict[str, str | None] = {
    "register-idea": None,  # POST /v1/journeys
    "import-certified": None,  # POST /v1/journeys/import
    "enrol": None,  # the round's step: POST /v1/rounds/{round_id}/enrollments
    "carry-over": None,  # the round's step when it closes: POST /v1/rounds/{round_id}/close
    "record-conflict": None,  # declared to the council: POST /v1/councils/{council_id}/conflicts
    "submit-self-assessment": "POST /journeys/{journey_id}/self-assessment",
    "submit-scorecard": "POST /journeys/{journey_id}/score",
    "amend-scorecard": "POST /journeys/{journey_id}/score",
    "finalize": "POST /{kind}/{ident:path}/board",
}
# Steps that cannot be undone: the page shows what will be recorded and asks to confirm first.
CONFIRM_STEPS = frozenset({"recognize", "revoke"})
# The steps offered in each status (the journey's rules decide whether one is taken).
STEPS_IN: dict[Status, tuple[str, ...]] = {
    Status.IDEA_REGISTERED: ("accept-idea", "return-idea"),
    Status.IDEA_RETURNED: ("resubmit-idea",),
    Status.PLAN_PENDING: ("submit-plan",),
    Status.PLAN_SUBMITTED: ("approve-plan", "return-plan"),
    Status.IN_DEVELOPMENT: ("submit-dossier",),
    Status.DOSSIER_SUBMITTED: ("accept-dossier", "return-dossier"),
    Status.DOSSIER_RETURNED: ("resubmit-dossier",),
    # evaluate-again: only where the rank comes from another level's result (the journey refuses it
    # otherwise), qd26-2026's central council below 90.
    Status.AWAITING_ROUND: ("record-advisory-step", "return-dossier", "decide-site-check"),
    Status.IN_EVALUATION: ("record-advisory-step", "decide-site-check", "request-meeting"),
    Status.AWAITING_RECOGNITION: ("recognize", "evaluate-again"),
    Status.AWAITING_APPROVAL: ("approve-result",),
    Status.CERTIFIED: (
        "apply-upgrade",
        "apply-re-evaluation",
        "open-revocation",
        "record-inspection",
        "require-redo",
        "revoke",
    ),
}
CSV_COLUMNS = (
    "version",
    "position",
    "recorded_at",
    "type",
    "actor_id",
    "actor_role",
    "authority",
    "reason",
    "rulebook",
    "evidence",
    "data",
    "event_id",
    "update_id",
    "request_id",
    "prev_hash",
    "hash",
)


@dataclass
class StepForm:
    action: str
    fields: tuple[FormField, ...]
    values: dict[str, str] = field(default_factory=dict)
    refusal: Refusal | None = None


# The agency's steps before the council (qd26-2026 Art. 7.3.a, c): offered only to the OCOP agency of
# the journey's level, where the pinned rulebook has them there (the journey refuses them otherwise).
_CHECKS = frozenset({"return-dossier", "record-advisory-step"})


def _checks_at_its_level(actor: access.Principal, journey: JourneyState, step: str) -> bool:
    check = get_rulebook(journey.rulebook).dossier_check
    if check is None or journey.level is None or actor.role != OFFICER_OF_LEVEL[journey.level]:
        return False
    return journey.level in (check.returns_at if step == "return-dossier" else check.advisory_at)


def steps_for(actor: access.Principal, journey: JourneyState) -> list[str]:
    """The steps the access policy lets this actor ask for on this journey."""
    offered = list(STEPS_IN.get(journey.status, ()))
    pending = journey.pending_recognition
    if pending is None or pending.evaluate_again_at is None:  # no choice to offer (qd26-2026 Art. 7.4.g)
        offered = [step for step in offered if step != "evaluate-again"]
    if journey.status in (Status.AWAITING_ROUND, Status.IN_EVALUATION):
        offered = [s for s in offered if s not in _CHECKS or _checks_at_its_level(actor, journey, s)]
    if journey.status in OPEN:  # a producer may withdraw an application in progress
        offered.append("withdraw")
    allowed = []
    for action in offered:
        try:
            access.check_act(actor, journey, action)
        except AccessDenied:
            continue
        allowed.append(action)
    return allowed


def fields_of(action: str, journey: JourneyState) -> tuple[FormField, ...]:
    """A step's fields on this journey's page: the commune's acceptance asks, as required, what the
    rulebook the dossier will pin requires of it (qd26-2026 Art. 6.2, 7.2.b: the Mẫu 03 assessment,
    the proposal); the journey refuses the step without them all the same."""
    specs = STEP_FIELDS[action]
    if action in _FILES_DOSSIER and journey.product_set is None and intake_rulebook(journey).scorecard_sheet:
        # Scored by option (Phụ lục II): a dossier names its product set where the idea did not.
        return (_PRODUCT_SET, *specs)
    if action != "accept-dossier":
        return specs
    required = set(applicable_rulebook(journey, datetime.now(UTC)).acceptance_requires)
    return tuple(replace(spec, required=True) if spec.name in required else spec for spec in specs)


def _defaults(action: str, journey: JourneyState, t: Translator | None = None) -> dict[str, str]:
    if action == "recognize":
        return {"decision_date": local_date(datetime.now(UTC)).isoformat()}
    if action == "return-dossier" and t is not None:
        # What the producer's part of the checklist still misses, one a line (qd26-2026 Art. 6): the
        # officer keeps, takes out or adds lines (free text stays allowed).
        lines = checklist_of(journey) or []
        missing = [line.code for line in lines if line.by == "producer" and not line.present]
        return {"missing_items": "\n".join(t(f"checklist.{code}") for code in missing)} if missing else {}
    return {}


def step_fields(action: str, form: Any) -> dict[str, Any]:
    """The request body of ``action`` from its form: lines become lists, empty fields are left out."""
    fields: dict[str, Any] = {}
    if action in _FILES_DOSSIER and text(form, _PRODUCT_SET.name):  # offered where none was named
        fields[_PRODUCT_SET.name] = text(form, _PRODUCT_SET.name)
    for spec in STEP_FIELDS[action]:
        if spec.kind == "contents":
            filed: dict[str, list[str]] = {}
            for name, value in form.multi_items():
                if str(name).startswith("contents-") and isinstance(value, str):
                    lines = [line.strip() for line in value.splitlines() if line.strip()]
                    if lines:
                        filed[str(name).removeprefix("contents-")] = lines
            if filed:
                listed = fields.setdefault("documents", [])
                listed.extend(d for documents in filed.values() for d in documents if d not in listed)
                fields[spec.name] = filed
            continue
        if spec.kind == "assessment":
            said = {item: text(form, f"{spec.name}-{item}") for item in spec.options}
            if any(said.values()):
                fields[spec.name] = {item: words for item, words in said.items() if words}
            continue
        if spec.kind == "choices":
            # Checkboxes send one value each; a value may also hold several, one a line.
            values = [value for value in form.getlist(spec.name) if isinstance(value, str)]
            chosen = [line.strip() for value in values for line in value.splitlines() if line.strip()]
            if chosen or spec.required:
                fields[spec.name] = chosen
            continue
        value = text(form, spec.name)
        if spec.kind == "lines":
            lines = [line.strip() for line in value.splitlines() if line.strip()]
            if lines or spec.required:
                fields[spec.name] = lines
        elif value or spec.required:
            fields[spec.name] = value
    return fields


@dataclass(frozen=True)
class Detail:
    """One fact of an event on the timeline: its label and value in the reader's words; a document
    cited by hash is shortened, with its page's link where the dossier lists it (else ``None``)."""

    label: str
    text: str
    links: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass
class TimelineEntry:
    entry: HistoryEntry
    details: list[Detail]
    later: bool
    sealed: bool = False


# Fields of an event the timeline does not show, and why (tests/web/test_i18n.py knows them): every
# other field has its words in ``web.i18n.EVENT_FIELDS``.
HIDDEN_FIELDS: dict[str, str] = {
    "journey_id": "the page is that journey's own; the id is in its address",
    "choices": "a sheet's option for each criterion: the score and scoresheets pages show it",
    "points": "a sheet's points for each criterion: the score and scoresheets pages show it",
    "criterion_evidence": "the documents cited for each criterion: the self-assessment page shows them",
}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SCORES = frozenset({"total", "previous_total", "mean", "voided_total", "dispersion_limit", "minimum"})
_STARS = frozenset({"stars", "band_stars", "recognize_stars"})
# Fields that cite documents by hash ("sha256:<hex>"): shortened, linked where the dossier lists them.
_DOCUMENT_FIELDS = frozenset(
    {"documents", "document", "evidence", "commune_report", "conclusion", "contents"}
)
_HASH_PREFIX = "sha256:"


def _document_links(value: Any, documents: dict[str, str]) -> list[tuple[str, str | None]] | None:
    """The hashes a document field cites, each shortened with its link; None where it cites none
    (a conclusion may be a free text under older rulebooks)."""
    if isinstance(value, dict):
        refs = [ref for listed in value.values() for ref in listed]
    else:
        refs = value if isinstance(value, list) else [value]
    if not refs or not all(isinstance(ref, str) and ref.startswith(_HASH_PREFIX) for ref in refs):
        return None
    digests = [ref.removeprefix(_HASH_PREFIX) for ref in refs]
    return [(digest[:12] + "…", documents.get(digest)) for digest in digests]


def _detail_value(t: Translator, key: str, value: Any, labels: Labels) -> str:
    """An event's fact as the page writes it: dates dd/mm/yyyy, scores with two decimals (a comma in
    Vietnamese), stars as stars, codes in words (``web.i18n.EVENT_FIELD_CODES``), product groups and
    sets by their names (``labels``), records by their number or id."""
    codes = EVENT_FIELD_CODES.get(key)
    if value is None:
        return "—"
    if key == "product_group" and isinstance(value, str):
        return labels.group(value)
    if key == "product_set" and isinstance(value, str):
        name = labels.product_set(value)
        return f"{value} — {name}" if name != value else value
    if isinstance(value, bool):
        if codes:
            return t.code(codes, str(value).lower())
        return t("common.yes") if value else t("common.no")
    if isinstance(value, list):
        return ", ".join(_detail_value(t, key, item, labels) for item in value) or "—"
    if isinstance(value, dict):
        if key == "parts":
            return " · ".join(
                f"{t.code('part', part)} {t.score(Decimal(str(score)))}" for part, score in value.items()
            )
        if key == "commune_assessment":
            return "; ".join(f"{t.code('assessment', item)}: {words}" for item, words in value.items())
        if key == "held_back":
            missed = ", ".join(str(shortfall["criterion"]) for shortfall in value.get("shortfalls", []))
            return f"{stars_text(value.get('stars'))}: {missed}"
        if "council_id" in value:
            return str(value["council_id"])
        if "number" in value:
            return str(value["number"])
        return "; ".join(
            f"{t.field(name)}: {_detail_value(t, name, item, labels)}" for name, item in value.items()
        )
    if codes:
        return t.code(codes, value)
    if key in _SCORES:
        return t.score(Decimal(str(value)))
    if key in _STARS and isinstance(value, int):
        return stars_text(value)
    if isinstance(value, str) and _ISO_DAY.match(value):
        return date_text(date.fromisoformat(value))
    return str(value)


def event_details(t: Translator, data: dict[str, Any], documents: dict[str, str]) -> list[Detail]:
    """An event's data as the timeline shows it (``documents``: the dossier's links by sha256)."""
    details = []
    labels = statistics_labels(t)
    for key, value in data.items():
        if key in HIDDEN_FIELDS:
            continue
        links = _document_links(value, documents) if key in _DOCUMENT_FIELDS else None
        text_value = "" if links else _detail_value(t, key, value, labels)
        details.append(Detail(t.field(key), text_value, links or []))
    return details


def timeline(
    t: Translator,
    entries: list[HistoryEntry],
    as_of: datetime | None,
    documents: dict[str, str] | None = None,
) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            entry=entry,
            details=event_details(t, entry.data, documents or {}),
            later=as_of is not None and entry.recorded_at > as_of,
            sealed=bool(entry.sealed),
        )
        for entry in entries
    ]


def _links(documents: list[DocumentView] | None) -> dict[str, str]:
    """The dossier's documents the reader may open, by sha256 (erased ones have no content)."""
    return {d.sha256: d.href for d in documents or [] if d.erased_at is None}


def _as_of_day(text_value: str | None) -> date | None:
    if not text_value:
        return None
    try:
        return date.fromisoformat(text_value)
    except ValueError:
        return None


async def _journey_page(
    page: Page,
    journey_id: str,
    *,
    as_of: str | None = None,
    done: str | None = None,
    failed: StepForm | None = None,
    status: int = 200,
) -> Response:
    actor = page.me
    journey = await journeys.journey(page.engine, actor, journey_id)
    history = await journeys.history(page.engine, actor, journey_id)
    verification = await journeys.verification(page.engine, actor, journey_id)
    day = _as_of_day(as_of)
    moment = end_of_day(day) if day is not None else None
    state_then: JourneyState | None = None
    if moment is not None:
        try:
            state_then = await journeys.state_as_of(page.engine, actor, journey_id, moment)
        except NotFound:
            state_then = None
    forms = []
    for action in steps_for(actor, journey):
        if failed is not None and failed.action == action:
            failed.fields = fields_of(action, journey)
            forms.append(failed)
        else:
            forms.append(StepForm(action, fields_of(action, journey), _defaults(action, journey, page.t)))
    # A refused step the page does not offer (asked for by hand): its refusal stands on its own.
    stray = failed.refusal if failed is not None and failed not in forms else None
    evaluation = journey.evaluation
    documents = await dossier_documents(page, journey)
    # People by name where an administrator linked the actor to a party (its id stays beside it).
    names = await PartyStore(await page.engine.pool()).names_of_actors(
        sorted({entry.actor.id for entry in history.events})
    )
    return page.render(
        "journey.html",
        names=names,
        status=status,
        here=f"/journeys/{journey_id}" + (f"?as_of={day.isoformat()}" if day else ""),
        **dossier_context(page, journey),
        documents=documents,
        history=timeline(page.t, history.events, moment, _links(documents)),
        verification=verification,
        as_of_day=day,
        state_then=state_then,
        forms=forms,
        stray=stray,
        levels=[level.value for level in Level],
        grounds=[ground.value for ground in RevocationGround],
        done=done if done in STEP_FIELDS or done in ("finalize",) else None,
        score_link=evaluation is not None and actor.role == Role.COUNCIL_MEMBER,
        board_link=f"/rounds/{evaluation.round_id}/board" if evaluation is not None else None,
        certificate_in_force=journey.certificate_in_force,
        rulebook_title=get_rulebook(journey.rulebook).title,
        checklist=checklist_of(journey),
        filing_items=filing_items(journey),
        sector_sets=sector_sets(journey),
    )


def sector_sets(journey: JourneyState) -> list[tuple[str, str]]:
    """The product sets (code, Vietnamese name) of the product's sector under the rulebook its next
    dossier is filed under (Phụ lục I); none where that rulebook has no classification."""
    classification = classification_for(intake_rulebook(journey))
    if classification is None:
        return []
    sector = classification.sector_for_group(journey.product_group)
    sets = classification.sets_of_sector(sector.code) if sector is not None else list(classification.sets)
    return [(product_set.code, product_set.name_vi) for product_set in sets]


@router.get("/journeys/{journey_id}")
async def journey_page(
    journey_id: JourneyId,
    page: SignedIn,
    as_of: Annotated[str | None, Query(max_length=10)] = None,
    done: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    return await _journey_page(page, journey_id, as_of=as_of, done=done)


@router.post("/journeys/{journey_id}/steps/{action}")
async def take_journey_step(
    journey_id: JourneyId,
    action: Annotated[str, Path(max_length=40)],
    page: SignedIn,
    form: PostedForm,
) -> Response:
    if action not in STEP_FIELDS:
        raise NotFound(f"no step {action}")
    fields = step_fields(action, form)
    try:
        if action in CONFIRM_STEPS and not confirmed(form):
            journey, _ = await check_step(page, journey_id, action, fields)
            return _confirm_step(page, journey, action, form)
        await take_step(page, journey_id, action, fields, text(form, "key"))
    except REFUSALS as error:
        refusal = refusal_of(error)
        values = {spec.name: _form_value(form, spec) for spec in (_PRODUCT_SET, *STEP_FIELDS[action])}
        failed = StepForm(action, STEP_FIELDS[action], values, refusal)
        return await _journey_page(page, journey_id, failed=failed, status=refusal.status)
    return page.redirect(f"/journeys/{journey_id}?done={action}")


def _form_value(form: Any, spec: FormField) -> str:
    """What the form held, to show it again beside a refusal (several choices one per line)."""
    if spec.kind == "choices":
        return "\n".join(value for value in form.getlist(spec.name) if isinstance(value, str))
    return text(form, spec.name)


def _confirm_step(page: Page, journey: JourneyState, action: str, form: Any) -> Response:
    """What the step will record (web.confirm), before an irreversible one is sent."""
    t = page.t
    facts = [Fact(t("common.product"), journey.product_name), Fact(t("confirm.step"), t(f"act.{action}"))]
    for spec in STEP_FIELDS[action]:
        value = text(form, spec.name)
        if spec.kind == "date" and _as_of_day(value) is not None:
            value = date_text(date.fromisoformat(value))
        elif spec.kind == "ground" and value:
            value = t.code("ground", value)
        facts.append(Fact(t(spec.label), value or t("common.none")))
    path = f"/journeys/{journey.journey_id}"
    names = [spec.name for spec in STEP_FIELDS[action]]
    return confirmation(
        page,
        title=t("confirm.title", what=t(f"act.{action}")),
        facts=facts,
        action=f"{path}/steps/{action}",
        fields=carried(form, names),
        key=text(form, "key"),
        back=path,
    )


def _download(content: str, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _file_stem(journey_id: str) -> str:
    return "journey-" + journey_id.replace(":", "_") + "-history"


@router.get("/journeys/{journey_id}/history.json")
async def history_json(journey_id: JourneyId, page: SignedIn) -> Response:
    """The history exactly as ``GET /v1/journeys/{id}/history`` answers it."""
    history = await journeys.history(page.engine, page.me, journey_id)
    return _download(history.model_dump_json(indent=2), "application/json", _file_stem(journey_id) + ".json")


@router.get("/journeys/{journey_id}/history.csv")
async def history_csv(journey_id: JourneyId, page: SignedIn) -> Response:
    """One line per event; ``data`` as JSON. Cells that a spreadsheet could run as a formula get a
    leading apostrophe (``web.exports``; the JSON export is exact)."""
    history = await journeys.history(page.engine, page.me, journey_id)
    rows = (
        (
            entry.version,
            entry.position,
            entry.recorded_at.isoformat(),
            entry.type,
            entry.actor.id,
            entry.actor.role,
            entry.authority,
            entry.reason,
            entry.rulebook,
            ";".join(entry.evidence),
            json.dumps(entry.data, ensure_ascii=False, sort_keys=True),
            entry.event_id,
            entry.update_id,
            entry.request_id,
            entry.prev_hash,
            entry.hash,
        )
        for entry in history.events
    )
    return _download(csv_text(CSV_COLUMNS, rows), "text/csv; charset=utf-8", _file_stem(journey_id) + ".csv")
