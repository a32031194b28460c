"""The scoring page (phiếu chấm điểm) of a council member: the product's dossier, the scorecard
with the part maxima of the journey's pinned rulebook, the running total, submit and amend."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi import Response

from api.deps import JourneyId
from api.routers.journeys import load_journey
from schemas.journey import JourneyState, Scorecard
from schemas.roles import Role
from schemas.rulebook import PARTS, Part, Rulebook
from schemas.rulebooks import get_rulebook
from web.pages import Page, PostedForm, SignedIn, router, text
from web.steps import REFUSALS, Refusal, refusal_of, take_step
from workflows import places

SCORE_ACTIONS = ("submit-scorecard", "amend-scorecard")


@dataclass
class PartField:
    part: Part
    maximum: Decimal
    value: str
    error: str | None


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


def _render(
    page: Page,
    journey: JourneyState,
    *,
    values: dict[str, str] | None = None,
    reason: str = "",
    refusal: Refusal | None = None,
    saved: bool = False,
    status: int = 200,
) -> Response:
    rulebook = get_rulebook(journey.rulebook)
    evaluation = journey.evaluation
    mine: Scorecard | None = evaluation.scorecards.get(page.me.id) if evaluation is not None else None
    if values is None:
        values = {part: f"{mine.parts[part]:.2f}" for part in PARTS} if mine is not None else {}
    parts = [
        PartField(
            part=part,
            maximum=rulebook.scorecard[part],
            value=values.get(part, ""),
            error=refusal.fields.get(part) if refusal else None,
        )
        for part in PARTS
    ]
    return page.render(
        "score.html",
        status=status,
        here=f"/journeys/{journey.journey_id}/score",
        **dossier_context(page, journey),
        evaluation=evaluation,
        can_score=evaluation is not None and page.me.role == Role.COUNCIL_MEMBER,
        mine=mine,
        action="amend-scorecard" if mine is not None else "submit-scorecard",
        parts=parts,
        maximum=sum(rulebook.scorecard.values()),
        step=f"{Decimal(1).scaleb(-rulebook.score_decimals):f}",
        reason=reason,
        refusal=refusal,
        saved=saved,
    )


@router.get("/journeys/{journey_id}/score")
async def scoring_page(journey_id: JourneyId, page: SignedIn, saved: bool = False) -> Response:
    journey = await load_journey(page.engine, page.me, journey_id)
    return _render(page, journey, saved=saved)


@router.post("/journeys/{journey_id}/score")
async def submit_scores(journey_id: JourneyId, page: SignedIn, form: PostedForm) -> Response:
    """Submit or amend: the engine checks the ranges (ScoreOutOfRange), the seat and the state."""
    action = text(form, "action")
    if action not in SCORE_ACTIONS:
        action = "submit-scorecard"
    # A decimal comma is read as a point: the pages write Vietnamese numbers with a comma.
    values: dict[str, str] = {part: text(form, part).replace(",", ".") for part in PARTS}
    reason = text(form, "reason")
    fields: dict[str, Any] = {"parts": values}
    if reason:
        fields["reason"] = reason
    try:
        await take_step(page, journey_id, action, fields, text(form, "key"))
    except REFUSALS as error:
        journey = await load_journey(page.engine, page.me, journey_id)
        refusal = refusal_of(error)
        return _render(page, journey, values=values, reason=reason, refusal=refusal, status=refusal.status)
    return page.redirect(f"/journeys/{journey_id}/score?saved=true")
