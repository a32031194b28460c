"""The scoring page (phiếu chấm điểm) of a council member: the product's dossier, the scorecard
with the part maxima of the journey's pinned rulebook, the running total, submit and amend.

A score is typed as a person writes it (3,5 or 3.5: ``schemas.numbers.read_typed_score``) into a
text field (a number field would drop the Vietnamese comma), and the page shows back exactly what
will be recorded ("Sẽ ghi nhận: A 3,50 · B 2,50 · C 3,00 — tổng 9,00") before a second button
records it. What cannot be read, and what the engine's own range rule refuses, is said beside the
part, in the page's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi import Response

from api.deps import JourneyId
from api.errors import NotFound
from api.services import journeys
from schemas.api import HistoryEntry
from schemas.documents import DocumentView
from schemas.errors import InvalidScorecard, ScoreOutOfRange
from schemas.journey import JourneyState, Scorecard
from schemas.numbers import NotATypedScore, read_typed_score, score_text
from schemas.roles import Role
from schemas.rulebook import PARTS, Part, Rulebook
from schemas.rulebooks import get_rulebook
from schemas.scorecard import Choice, Criterion, ScorecardProblem, ScorecardSheet, SheetScore, sheet_by_id
from web.documents import listing
from web.pages import Page, PostedForm, SignedIn, page_router, text
from web.steps import REFUSALS, Refusal, refusal_of, take_step
from workflows import places
from workflows.journey_evaluation import advisory_awaited
from workflows.scoring import check_parts
from workflows.sheets import applies, journey_sheet, score_sheet, sheet_rows

router = page_router()  # this module's pages; web/__init__.py includes them

SCORE_ACTIONS = ("submit-scorecard", "amend-scorecard")
# The form's steps: check what was typed and show it back, then record it (or go back to change it).
PREVIEW, CONFIRM, EDIT = "preview", "confirm", "edit"


@dataclass
class PartField:
    part: Part
    maximum: Decimal
    value: str
    error: str | None


@dataclass
class ReadScorecard:
    """A scorecard as typed: what each part reads as, and why a part could not be read."""

    typed: dict[Part, str]
    parts: dict[Part, Decimal]
    errors: dict[str, str]  # part -> why (the refusal's fields are keyed by form field)

    @property
    def total(self) -> Decimal:
        return sum(self.parts.values(), Decimal(0))


def place_text(journey: JourneyState) -> str:
    """Commune, (district,) province of the product, by the 2025 names."""
    names = []
    for lookup, code in (
        (places.commune_name, journey.commune_code),
        (places.province_name, journey.province_code),
    ):
        try:
            names.append(lookup(code))
        except Exception:  # an unknown code is shown as the code
            names.append(str(code))
    if journey.district:
        names.insert(1, journey.district)
    return ", ".join(names)


def group_text(page: Page, journey: JourneyState, rulebook: Rulebook) -> str:
    group = rulebook.product_group(journey.product_group)
    if group is None:
        return journey.product_group
    return group.name_vi if page.t.lang == "vi" else group.name_en


def dossier_context(page: Page, journey: JourneyState) -> dict[str, Any]:
    rulebook = get_rulebook(journey.rulebook)
    return {
        "journey": journey,
        "rulebook": rulebook,
        "group": group_text(page, journey, rulebook),
        "place": place_text(journey),
    }


def out_of_range(page: Page, parts: Mapping[Part, Decimal], rulebook: Rulebook) -> dict[str, str]:
    """The parts the engine's own rule (``check_parts``) refuses, each asked about alone (the other
    parts at 0), worded for the page: a structured answer, not a parse of the engine's message."""
    refused: dict[str, str] = {}
    for part, value in parts.items():
        alone = {other: Decimal(0) for other in PARTS} | {part: value}
        try:
            check_parts(alone, rulebook)
        except ScoreOutOfRange:
            maximum = rulebook.scorecard[part]
            shown = page.t.score(value)
            if not Decimal(0) <= value <= maximum:
                refused[part] = page.t(
                    "score.error.range", part=part, max=page.t.number(maximum), value=shown
                )
            else:
                refused[part] = page.t(
                    "score.error.places", part=part, n=rulebook.score_decimals, value=shown
                )
    return refused


def read_scorecard(page: Page, form: PostedForm, rulebook: Rulebook) -> ReadScorecard:
    """Each part as the person typed it, read by the engine's rule for typed scores, then held to
    the rulebook's part maxima and decimals by the engine's own check."""
    typed = {part: text(form, part) for part in PARTS}
    parts: dict[Part, Decimal] = {}
    errors: dict[str, str] = {}
    for part, value in typed.items():
        try:
            parts[part] = read_typed_score(value)
        except NotATypedScore as problem:
            errors[part] = page.t(f"score.error.{problem.problem.value}")
    errors |= out_of_range(page, parts, rulebook)
    return ReadScorecard(typed=typed, parts=parts, errors=errors)


def _render(
    page: Page,
    journey: JourneyState,
    *,
    values: Mapping[Part, str] | None = None,
    errors: Mapping[str, str] | None = None,
    preview: ReadScorecard | None = None,
    reason: str = "",
    refusal: Refusal | None = None,
    key: str | None = None,
    saved: bool = False,
    status: int = 200,
) -> Response:
    rulebook = get_rulebook(journey.rulebook)
    evaluation = journey.evaluation
    mine: Scorecard | None = evaluation.scorecards.get(page.me.id) if evaluation is not None else None
    if values is None:
        values = {part: page.t.score(mine.parts[part]) for part in PARTS} if mine is not None else {}
    field_errors: dict[str, str] = dict(refusal.fields) if refusal else {}
    field_errors.update(errors or {})
    parts = [
        PartField(
            part=part,
            maximum=rulebook.scorecard[part],
            value=values.get(part, ""),
            error=field_errors.get(part),
        )
        for part in PARTS
    ]
    return page.render(
        "score.html",
        status=status,
        **_scoring_context(page, journey, mine),
        parts=parts,
        maximum=sum(rulebook.scorecard.values()),
        preview=preview,
        preview_text=_preview_text(page, preview.parts, preview.total) if preview else "",
        recorded={part: score_text(value) for part, value in preview.parts.items()} if preview else {},
        form_key=key,
        reason=reason,
        refusal=refusal,
        saved=saved,
    )


@router.get("/journeys/{journey_id}/score")
async def scoring_page(journey_id: JourneyId, page: SignedIn, saved: bool = False) -> Response:
    journey = await journeys.journey(page.engine, page.me, journey_id)
    sheet = journey_sheet(get_rulebook(journey.rulebook), journey.product_set)
    if not sheet.flat:
        return _render_sheet(page, journey, sheet, saved=saved, documents=await listing(page, journey))
    return _render(page, journey, saved=saved)


@router.post("/journeys/{journey_id}/score")
async def submit_scores(journey_id: JourneyId, page: SignedIn, form: PostedForm) -> Response:
    """Check (show back what will be recorded), change, or confirm a scorecard. On confirmation the
    engine checks the ranges again (ScoreOutOfRange), the seat and the state."""
    journey = await journeys.journey(page.engine, page.me, journey_id)
    rulebook = get_rulebook(journey.rulebook)
    sheet = journey_sheet(rulebook, journey.product_set)
    if not sheet.flat:  # scored by option; a flat sheet keeps its three parts below
        return await _submit_sheet(page, journey, sheet, form)
    action = text(form, "action")
    if action not in SCORE_ACTIONS:
        action = "submit-scorecard"
    step = text(form, "step")
    reason = text(form, "reason")
    key = text(form, "key")
    scorecard = read_scorecard(page, form, rulebook)
    if scorecard.errors:
        refusal = Refusal(message=page.t("score.error.summary"), fields=dict(scorecard.errors))
        return _render(
            page, journey, values=scorecard.typed, reason=reason, refusal=refusal, key=key, status=422
        )
    shown = {part: page.t.score(value) for part, value in scorecard.parts.items()}
    if step == EDIT:
        return _render(page, journey, values=shown, reason=reason, key=key)
    if step != CONFIRM:
        return _render(page, journey, values=shown, preview=scorecard, reason=reason, key=key)
    fields: dict[str, Any] = {"parts": {part: score_text(value) for part, value in scorecard.parts.items()}}
    if reason:
        fields["reason"] = reason
    try:
        await take_step(page, journey_id, action, fields, key)
    except REFUSALS as error:
        journey = await journeys.journey(page.engine, page.me, journey_id)
        refusal = refusal_of(error)
        if isinstance(error, ScoreOutOfRange):  # the journey's rulebook refused a part: say which
            refusal.fields = out_of_range(page, scorecard.parts, get_rulebook(journey.rulebook))
        return _render(
            page, journey, values=shown, reason=reason, refusal=refusal, key=key, status=refusal.status
        )
    return page.redirect(f"/journeys/{journey_id}/score?saved=true")


# -- a sheet of options (phiếu đánh giá theo tiêu chí, QĐ 26/2026 Phụ lục II) --------------------
#
# Each criterion is a group of radio buttons named ``c-<code>`` whose values are the options'
# positions as printed (from 0); a criterion with variants (trường hợp) asks its case first, in
# radio buttons named ``v-<code>``. What is chosen is scored by the engine's own ``score_sheet``:
# its preview is the truth, the running subtotals of web/static/sheet.js only a help.

SHEET_PROBLEMS = frozenset(problem.value for problem in ScorecardProblem)


def field_slug(code: str) -> str:
    """A criterion's code as it stands in element ids ("5.1" → "5_1")."""
    return code.replace(".", "_")


@dataclass
class SheetForm:
    """A sheet as chosen on the page: the choices that apply, why some criteria are refused (by
    code), and the score the engine computes from them (None while something is refused)."""

    choices: dict[str, Choice]
    errors: dict[str, str]
    score: SheetScore | None = None


def not_applicable(sheet: ScorecardSheet, criterion: Criterion, choices: Mapping[str, Choice]) -> bool:
    """Whether the page shows ``criterion`` as not to be scored: its condition rests on an answered
    criterion and does not hold (while its basis is unanswered, it is still offered)."""
    condition = criterion.condition
    if condition is None or condition.criterion not in choices:
        return False
    return not applies(criterion, sheet, choices)


def sheet_error(page: Page, code: str, problem: str | None, sheet: ScorecardSheet) -> str:
    """The engine's refusal of one criterion (InvalidScorecard.problem), in the page's language."""
    kind = problem if problem in SHEET_PROBLEMS else ScorecardProblem.NOT_AN_OPTION.value
    criterion = sheet.criterion(code)
    note = criterion.condition.note if criterion is not None and criterion.condition else ""
    return page.t(f"sheet.error.{kind}", code=code, note=note)


def read_sheet(page: Page, form: PostedForm, sheet: ScorecardSheet, rulebook: Rulebook) -> SheetForm:
    """The choices of a posted sheet, in print order: a criterion whose condition does not hold is
    left out (as the engine asks), an unanswered one that applies is refused beside it, and the rest
    is scored by the engine's ``score_sheet``, whose refusal is shown beside the criterion it names."""
    choices: dict[str, Choice] = {}
    errors: dict[str, str] = {}
    for criterion in sheet.criteria:
        code = criterion.code
        if not applies(criterion, sheet, choices):
            continue
        typed, variant = text(form, f"c-{code}"), text(form, f"v-{code}") or None
        if not typed:
            errors[code] = sheet_error(page, code, ScorecardProblem.MISSING.value, sheet)
            continue
        if not typed.isdigit() or int(typed) >= len(criterion.options):
            errors[code] = sheet_error(page, code, ScorecardProblem.NOT_AN_OPTION.value, sheet)
            continue
        option = int(typed)
        if criterion.variants and variant is None:  # no script: the option names its case
            variant = criterion.options[option].variant
        choices[code] = Choice(option=option, variant=variant if criterion.variants else None)
    if errors:
        return SheetForm(choices=choices, errors=errors)
    try:
        return SheetForm(choices=choices, errors={}, score=score_sheet(sheet, choices, rulebook))
    except InvalidScorecard as refused:
        code = refused.criterion or ""
        return SheetForm(choices=choices, errors={code: sheet_error(page, code, refused.problem, sheet)})


def _scoring_context(page: Page, journey: JourneyState, mine: Scorecard | None) -> dict[str, Any]:
    """What the scoring page shows whatever the sheet: the dossier, the evaluation, the member's
    own scorecard and whether this submits or amends it."""
    evaluation = journey.evaluation
    awaited = advisory_awaited(journey, get_rulebook(journey.rulebook))
    return {
        "here": f"/journeys/{journey.journey_id}/score",
        **dossier_context(page, journey),
        "evaluation": evaluation,
        "can_score": evaluation is not None and page.me.role == Role.COUNCIL_MEMBER,
        # The council scores after its advisory team's review (qd26-2026 Art. 7.3.c): said up front.
        "advisory_awaited": page.t.join([page.t.code("advisory", step) for step in awaited]),
        "mine": mine,
        "action": "amend-scorecard" if mine is not None else "submit-scorecard",
    }


def _preview_text(page: Page, parts: Mapping[Part, Decimal], total: Decimal) -> str:
    """ "Sẽ ghi nhận: A … · B … · C … — tổng …": what the confirmation will record."""
    return page.t("score.preview", parts=parts_text(page, parts), total=page.t.score(total))


def parts_text(page: Page, parts: Mapping[Part, Decimal]) -> str:
    """ "A 36,00 · B 22,00 · C 30,00": the part totals as the preview shows them."""
    return " · ".join(f"{part} {page.t.score(parts[part])}" for part in PARTS)


def _render_sheet(
    page: Page,
    journey: JourneyState,
    sheet: ScorecardSheet,
    *,
    chosen: SheetForm | None = None,
    preview: SheetForm | None = None,
    reason: str = "",
    refusal: Refusal | None = None,
    key: str | None = None,
    saved: bool = False,
    status: int = 200,
    documents: list[DocumentView] | None = None,
) -> Response:
    evaluation = journey.evaluation
    mine: Scorecard | None = evaluation.scorecards.get(page.me.id) if evaluation is not None else None
    if chosen is None:  # an amendment starts from the member's recorded choices
        chosen = SheetForm(choices=dict(mine.choices or {}) if mine is not None else {}, errors={})
    score = preview.score if preview is not None else None
    return page.render(
        "score.html",
        status=status,
        **_scoring_context(page, journey, mine),
        sheet=sheet,
        chosen=chosen.choices,
        sheet_errors=chosen.errors,
        na={c.code for c in sheet.criteria if not_applicable(sheet, c, chosen.choices)},
        slug=field_slug,
        condition_options={
            c.code: [
                index
                for index, option in enumerate(basis.options)
                if option.text in c.condition.unless_chosen
            ]
            for c in sheet.criteria
            if c.condition is not None and (basis := sheet.criterion(c.condition.criterion)) is not None
        },
        maximum=sheet.max_total,
        preview=score,
        preview_text=_preview_text(page, score.parts, score.total) if score is not None else "",
        form_key=key,
        reason=reason,
        refusal=refusal,
        saved=saved,
        # The producer's self-assessment beside each criterion, with its linked documents: part of
        # the dossier (shown from the start, as the paper Mẫu 02 is), never counted in the result.
        assessment=journey.self_assessment,
        documents=documents,
        documents_by_reference={document.reference: document for document in documents or []},
    )


async def _submit_sheet(
    page: Page, journey: JourneyState, sheet: ScorecardSheet, form: PostedForm
) -> Response:
    """Check (show back the part totals and total the engine computes), change, or confirm a sheet."""
    journey_id = journey.journey_id
    rulebook = get_rulebook(journey.rulebook)
    action = text(form, "action")
    if action not in SCORE_ACTIONS:
        action = "submit-scorecard"
    step, reason, key = text(form, "step"), text(form, "reason"), text(form, "key")
    filled = read_sheet(page, form, sheet, rulebook)
    documents = await listing(page, journey)
    if filled.errors:
        refusal = Refusal(message=page.t("sheet.error.summary"), fields=dict(filled.errors))
        return _render_sheet(
            page,
            journey,
            sheet,
            chosen=filled,
            reason=reason,
            refusal=refusal,
            key=key,
            status=422,
            documents=documents,
        )
    if step == EDIT:
        return _render_sheet(page, journey, sheet, chosen=filled, reason=reason, key=key, documents=documents)
    if step != CONFIRM:
        return _render_sheet(
            page, journey, sheet, chosen=filled, preview=filled, reason=reason, key=key, documents=documents
        )
    fields: dict[str, Any] = {
        "choices": {code: choice.model_dump(exclude_none=True) for code, choice in filled.choices.items()}
    }
    if reason:
        fields["reason"] = reason
    try:
        await take_step(page, journey_id, action, fields, key)
    except REFUSALS as error:
        journey = await journeys.journey(page.engine, page.me, journey_id)
        refusal = refusal_of(error)
        if isinstance(error, InvalidScorecard) and error.criterion:  # beside the criterion it names
            refusal.message = page.t("sheet.error.summary")
            refusal.fields = {error.criterion: sheet_error(page, error.criterion, error.problem, sheet)}
        filled.errors = dict(refusal.fields)
        return _render_sheet(
            page,
            journey,
            sheet,
            chosen=filled,
            reason=reason,
            refusal=refusal,
            key=key,
            status=refusal.status,
            documents=documents,
        )
    return page.redirect(f"/journeys/{journey_id}/score?saved=true")


# -- one member's filled sheet, printable (Phụ lục II) ------------------------------------------
#
# Read from the journey's history as the reader may see it (``journey_history``: another member's
# scores stay sealed until the reader has scored or the result is finalized), so it is there after
# the result too, when the evaluation has left the state. The rows are ``workflows.sheets.sheet_rows``,
# the same the PDF lays out.

SCORECARD_EVENTS = ("scorecard_submitted", "scorecard_amended")


def recorded_card(
    history: list[HistoryEntry], member_id: str
) -> tuple[HistoryEntry, SheetScore, dict[str, Choice]] | None:
    """The member's latest scorecard in ``history`` read as its sheet's score and choices; None when
    they have none or it is sealed from this reader."""
    entries = [
        entry
        for entry in history
        if entry.type in SCORECARD_EVENTS and entry.data.get("member_id") == member_id and not entry.sealed
    ]
    if not entries:
        return None
    entry = entries[-1]
    data = entry.data
    sheet_id = data.get("sheet") or entry.rulebook
    if sheet_id is None:
        return None
    parts = {part: Decimal(str(value)) for part, value in data["parts"].items()}
    choices = {code: Choice.model_validate(choice) for code, choice in (data.get("choices") or {}).items()}
    points = {code: Decimal(str(value)) for code, value in (data.get("points") or parts).items()}
    score = SheetScore(
        sheet=sheet_id,
        points=points,
        not_applicable=tuple(data.get("not_applicable") or ()),
        parts=parts,
        total=Decimal(str(data["total"])),
    )
    return entry, score, choices


@router.get("/journeys/{journey_id}/scorecards/{member_id}/print")
async def printable_scorecard(journey_id: JourneyId, member_id: str, page: SignedIn) -> Response:
    """Phiếu đánh giá of one member, laid out like Phụ lục II for printing (a print style sheet)."""
    journey = await journeys.journey(page.engine, page.me, journey_id)
    found = recorded_card((await journeys.history(page.engine, page.me, journey_id)).events, member_id)
    if found is None:
        raise NotFound(page.t("print.none", member=member_id))
    entry, score, choices = found
    try:
        sheet = sheet_by_id(score.sheet)
    except LookupError:
        raise NotFound(page.t("print.none", member=member_id)) from None
    return page.render(
        "scorecard_print.html",
        **dossier_context(page, journey),
        sheet=sheet,
        rows=sheet_rows(sheet, score, choices),
        member_id=member_id,
        entry=entry,
        score=score,
    )
