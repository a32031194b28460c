"""The producer's self-assessment page (tự đánh giá, Mẫu 02 phần III): the product scored by its own
producer on the sheet the council will use, each criterion with the uploaded documents that support
it; checked (the engine's ``score_sheet`` shows back the parts and total), then recorded through the
API's own step (``submit-self-assessment``). Anyone who may read the journey sees what was recorded.

The sheet is that of the rulebook whose intake rules the next dossier follows (the journey's rules:
``workflows.lifecycle.applicable_rulebook``; from a certificate, the day's rulebook) and of the
product's set; a product with no set yet chooses one here first (``?product_set=``), sent with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from fastapi import Response

from api.deps import JourneyId
from api.services import journeys
from schemas.documents import DocumentView
from schemas.errors import InvalidScorecard
from schemas.events import Variant
from schemas.journey import OPEN, JourneyState, SelfAssessment, Status
from schemas.roles import Role
from schemas.rulebook import Rulebook
from schemas.rulebooks import CURRENT
from schemas.scorecard import ScorecardSheet, SheetScore, classification_for, sheet_by_id
from web.documents import listing
from web.pages import Page, PostedForm, SignedIn, page_router, text
from web.scoring import (
    CONFIRM,
    EDIT,
    SheetForm,
    dossier_context,
    field_slug,
    not_applicable,
    parts_text,
    read_sheet,
    sheet_error,
)
from web.steps import REFUSALS, Refusal, refusal_of, take_step
from workflows.calendar import local_date
from workflows.checklist import ChecklistLine, dossier_checklist
from workflows.lifecycle import SELF_ASSESSMENT_STATUSES, applicable_rulebook
from workflows.sheets import journey_sheet, next_star

router = page_router()  # this module's pages; web/__init__.py includes them

ACTION = "submit-self-assessment"


def intake_rulebook(journey: JourneyState) -> Rulebook:
    """The rulebook the producer's next dossier is filed under, as the journey decides it."""
    now = datetime.now(UTC)
    if journey.status == Status.CERTIFIED:  # an upgrade or re-evaluation: the day's rulebook
        return CURRENT.for_dossier(None, local_date(now))
    return applicable_rulebook(journey, now)


def assessment_sheet(journey: JourneyState, chosen_set: str | None) -> ScorecardSheet | None:
    """The sheet the self-assessment is made on, or None: no sheets under the rulebook, or no set."""
    rulebook = intake_rulebook(journey)
    product_set = journey.product_set or chosen_set
    if rulebook.scorecard_sheet is None or product_set is None:
        return None
    try:
        sheet = journey_sheet(rulebook, product_set)
    except Exception:  # an unknown set typed into the address: offer the list again
        return None
    return None if sheet.flat else sheet


def evidence_of(form: PostedForm, sheet: ScorecardSheet, answered: Mapping[str, Any]) -> dict[str, list[str]]:
    """The documents ticked beside each criterion answered (``e-<code>``, one value a document)."""
    found: dict[str, list[str]] = {}
    for criterion in sheet.criteria:
        if criterion.code not in answered:
            continue
        ticked = [value for value in form.getlist(f"e-{criterion.code}") if isinstance(value, str) and value]
        if ticked:
            found[criterion.code] = list(dict.fromkeys(ticked))
    return found


async def _render(
    page: Page,
    journey: JourneyState,
    *,
    chosen_set: str | None = None,
    chosen: SheetForm | None = None,
    evidence: Mapping[str, list[str]] | None = None,
    preview: SheetForm | None = None,
    refusal: Refusal | None = None,
    key: str | None = None,
    saved: bool = False,
    status: int = 200,
) -> Response:
    sheet = assessment_sheet(journey, chosen_set)
    recorded = journey.self_assessment
    if chosen is None:  # a revision starts from what was recorded
        chosen = SheetForm(choices=dict(recorded.choices) if recorded else {}, errors={})
    if evidence is None:
        evidence = dict(recorded.criterion_evidence) if recorded else {}
    documents: list[DocumentView] = [
        document for document in (await listing(page, journey) or []) if document.erased_at is None
    ]
    can_assess = (
        page.me.role == Role.PRODUCER
        and page.me.id == journey.producer_id
        and journey.status in SELF_ASSESSMENT_STATUSES
    )
    classification = classification_for(intake_rulebook(journey))
    score = preview.score if preview is not None else None
    shown = score if score is not None else recorded_score(recorded)
    own_rank, gap = (
        next_star(sheet_by_id(shown.sheet), shown, intake_rulebook(journey)) if shown else (0, None)
    )
    context: dict[str, Any] = {}
    if sheet is not None:
        context = {
            "sheet": sheet,
            "chosen": chosen.choices,
            "sheet_errors": chosen.errors,
            "na": {c.code for c in sheet.criteria if not_applicable(sheet, c, chosen.choices)},
            "slug": field_slug,
            "condition_options": {
                c.code: [
                    index
                    for index, option in enumerate(basis.options)
                    if option.text in c.condition.unless_chosen
                ]
                for c in sheet.criteria
                if c.condition is not None and (basis := sheet.criterion(c.condition.criterion)) is not None
            },
            "evidence_docs": documents if can_assess else [],
            "chosen_evidence": evidence,
        }
    return page.render(
        "self_assessment.html",
        status=status,
        **{**dossier_context(page, journey), "rulebook": intake_rulebook(journey)},
        **context,
        here=f"/journeys/{journey.journey_id}/self-assessment",
        recorded=recorded,
        recorded_parts=parts_text(page, recorded.parts) if recorded is not None else "",
        documents_by_reference={document.reference: document for document in documents},
        can_assess=can_assess,
        chosen_set=chosen_set or "",
        sets=classification.sets if classification is not None else (),
        preview=score,
        preview_text=(
            page.t("self.preview", parts=parts_text(page, score.parts), total=page.t.score(score.total))
            if score is not None
            else ""
        ),
        form_key=key,
        refusal=refusal,
        saved=saved,
        own_rank=own_rank,
        gap=gap,
    )


def recorded_score(recorded: SelfAssessment | None) -> SheetScore | None:
    """The recorded self-assessment read as a scored sheet."""
    if recorded is None:
        return None
    return SheetScore(
        sheet=recorded.sheet,
        points=dict(recorded.points),
        not_applicable=tuple(recorded.not_applicable),
        parts=dict(recorded.parts),
        total=recorded.total,
    )


@router.get("/journeys/{journey_id}/self-assessment")
async def self_assessment_page(
    journey_id: JourneyId, page: SignedIn, saved: bool = False, product_set: str | None = None
) -> Response:
    journey = await journeys.journey(page.engine, page.me, journey_id)
    return await _render(page, journey, chosen_set=product_set, saved=saved)


@router.post("/journeys/{journey_id}/self-assessment")
async def submit_self_assessment(journey_id: JourneyId, page: SignedIn, form: PostedForm) -> Response:
    """Check (show back the parts and total the engine computes), change, or confirm the
    self-assessment; on confirmation the engine checks the sheet, the evidence and the step again."""
    journey = await journeys.journey(page.engine, page.me, journey_id)
    chosen_set = text(form, "product_set") or None
    step, key = text(form, "step"), text(form, "key")
    sheet = assessment_sheet(journey, chosen_set)
    if sheet is None:
        refusal = Refusal(message=page.t("self.no_sheet"), status=422)
        return await _render(page, journey, chosen_set=chosen_set, refusal=refusal, key=key, status=422)
    filled = read_sheet(page, form, sheet, intake_rulebook(journey))
    evidence = evidence_of(form, sheet, filled.choices)
    if filled.errors:
        refusal = Refusal(message=page.t("sheet.error.summary"), fields=dict(filled.errors))
        return await _render(
            page,
            journey,
            chosen_set=chosen_set,
            chosen=filled,
            evidence=evidence,
            refusal=refusal,
            key=key,
            status=422,
        )
    if step == EDIT or step != CONFIRM:
        return await _render(
            page,
            journey,
            chosen_set=chosen_set,
            chosen=filled,
            evidence=evidence,
            preview=filled if step != EDIT else None,
            key=key,
        )
    fields: dict[str, Any] = {
        "choices": {code: choice.model_dump(exclude_none=True) for code, choice in filled.choices.items()},
        "criterion_evidence": evidence,
    }
    if chosen_set and journey.product_set is None:
        fields["product_set"] = chosen_set
    try:
        await take_step(page, journey_id, ACTION, fields, key)
    except REFUSALS as error:
        journey = await journeys.journey(page.engine, page.me, journey_id)
        refusal = refusal_of(error)
        if isinstance(error, InvalidScorecard) and error.criterion:  # beside the criterion it names
            refusal.message = page.t("sheet.error.summary")
            refusal.fields = {error.criterion: sheet_error(page, error.criterion, error.problem, sheet)}
        filled.errors = dict(refusal.fields)
        return await _render(
            page,
            journey,
            chosen_set=chosen_set,
            chosen=filled,
            evidence=evidence,
            refusal=refusal,
            key=key,
            status=refusal.status,
        )
    return page.redirect(f"/journeys/{journey_id}/self-assessment?saved=true")


# -- the dossier's checklist (thành phần hồ sơ, Art. 6), on the journey's page ---------------------

# The producer's steps that file a dossier, and the variant of the dossier each files.
FILING_VARIANTS: dict[str, Variant] = {
    "submit-dossier": Variant.NEW,
    "apply-upgrade": Variant.UPGRADE,
    "apply-re-evaluation": Variant.RE_EVALUATION,
}


def checklist_of(journey: JourneyState) -> list[ChecklistLine] | None:
    """The open application's checklist, each item there or missing (None: no checklist, or no
    application open): what the producer's page and the commune's acceptance show."""
    if journey.status not in OPEN:
        return None
    return dossier_checklist(journey, intake_rulebook(journey))


def filing_items(journey: JourneyState) -> dict[str, list[str]]:
    """For each step that files a dossier, the checklist items its documents are filed under."""
    contents = intake_rulebook(journey).dossier_contents
    if contents is None:
        return {}
    variants = {**FILING_VARIANTS, "resubmit-dossier": journey.variant}
    return {
        action: [item.code for item in contents.items(variant.value) if item.shown_by == "documents"]
        for action, variant in variants.items()
    }
