"""One recognition decision for several products (quyết định công nhận nhiều sản phẩm): the
recognition authority lists the products awaiting its signature at its level and in its
jurisdiction, chooses several, gives one decision number and date, confirms, and each journey gets
its ``recognize`` step through the API's own command path (``web.steps.take_step``), one after the
other. A real decision lists many products; the log records one recognition per journey, each
citing the same decision, with a certificate number of its own.

Nothing here decides: each step is checked (access, the journey's rules) exactly as
``POST /v1/journeys/{id}/recognize`` checks it, before the confirmation and again when it is sent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Query, Response
from starlette.datastructures import FormData

from schemas.api import JurisdictionKind
from schemas.errors import DomainError
from schemas.journey import JourneyState, Status
from schemas.rulebook import Level
from web.confirm import Fact, carried, confirmation, confirmed
from web.i18n import date_text, stars_text
from web.pages import Page, PostedForm, SignedIn, page_router, text
from web.reads import every_scoped_journey
from web.steps import REFUSALS, Refusal, check_step, refusal_of, take_step
from workflows import places
from workflows.calendar import local_date

router = page_router()  # this module's pages; web/__init__.py includes them

ACTION = "recognize"
# The level whose results an authority signs, by the kind of its jurisdiction (as My work lists them).
RECOGNIZES = {
    JurisdictionKind.NATIONAL: Level.CENTRAL,
    JurisdictionKind.PROVINCE: Level.PROVINCE,
    JurisdictionKind.DISTRICT: Level.DISTRICT,
}
# How many products one decision page lists (the oldest first, in id order).
LISTED = 500


@dataclass
class Awaiting:
    """One product awaiting the signature, as the page lists it (by id only if it cannot be read)."""

    journey_id: str
    name: str
    commune: str = ""
    stars: int | None = None
    level: Level | None = None
    mean: str = "—"
    refusal: Refusal | None = None
    recognized: bool = False


def _awaiting(page: Page, journey: JourneyState) -> Awaiting:
    try:
        commune = places.commune_name(journey.commune_code)
    except DomainError:
        commune = str(journey.commune_code)
    latest = journey.results[-1] if journey.results else None
    pending = journey.pending_recognition
    return Awaiting(
        journey.journey_id,
        journey.product_name,
        commune,
        pending.stars if pending is not None else None,
        pending.level if pending is not None else None,
        page.t.score(latest.mean) if latest is not None else "—",
    )


async def awaiting_signature(page: Page) -> list[Awaiting]:
    """The products awaiting a recognition at the signed-in authority's level, as far as it may list them."""
    level = RECOGNIZES.get(page.me.jurisdiction.kind)
    journeys = await every_scoped_journey(page, {"status": Status.AWAITING_RECOGNITION.value}, cap=LISTED)
    return [
        _awaiting(page, j)
        for j in journeys
        if j.pending_recognition is not None and j.pending_recognition.level == level
    ]


def decision_fields(form: FormData) -> dict[str, Any]:
    """The decision's fields, the same for every product chosen (empty ones left out)."""
    return {name: value for name in ("decision_number", "decision_date") if (value := text(form, name))}


def journey_key(form_key: str, journey_id: str) -> str:
    """Each product's step key: the form's key and the journey, so that one form sent twice is one
    decision, and each journey's recognition has a key of its own."""
    try:
        base = uuid.UUID(form_key)
    except ValueError:
        base = uuid.uuid4()
    return str(uuid.uuid5(base, journey_id))


def _render(
    page: Page,
    rows: list[Awaiting],
    *,
    form: FormData | None = None,
    refusal: Refusal | None = None,
    done: str | None = None,
    status: int = 200,
) -> Response:
    chosen = {value for value in form.getlist("journey_id") if isinstance(value, str)} if form else set()
    values = {
        "decision_number": text(form, "decision_number") if form else "",
        "decision_date": text(form, "decision_date") if form else local_date(datetime.now(UTC)).isoformat(),
    }
    return page.render(
        "recognitions.html",
        status=status,
        rows=rows,
        chosen=chosen,
        values=values,
        refusal=refusal,
        done=done,
        here="/recognitions",
    )


@router.get("/recognitions")
async def recognitions_page(
    page: SignedIn,
    done: Annotated[int | None, Query(ge=0, le=10_000)] = None,
    number: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The products awaiting the authority's signature, to be recognized by one decision."""
    rows = await awaiting_signature(page)
    message = page.t("sign.done", n=done, number=number or "") if done is not None else None
    return _render(page, rows, done=message)


def _chosen(form: FormData) -> list[str]:
    values = [
        value.strip() for value in form.getlist("journey_id") if isinstance(value, str) and value.strip()
    ]
    return list(dict.fromkeys(values))


async def _rows_with(page: Page, outcomes: dict[str, Awaiting]) -> list[Awaiting]:
    """The list as it stands now, each chosen product with what became of it (first)."""
    listed = {row.journey_id: row for row in await awaiting_signature(page)}
    return list(outcomes.values()) + [row for jid, row in listed.items() if jid not in outcomes]


@router.post("/recognitions")
async def recognitions_form(page: SignedIn, form: PostedForm) -> Response:
    """Recognize every chosen product by the one decision: checked, confirmed, then sent one by one;
    a product refused is shown with its refusal beside it, the others are recognized."""
    t = page.t
    chosen = _chosen(form)
    if not chosen:
        refusal = Refusal(message=t("sign.none"), code="InvalidRequest")
        return _render(page, await awaiting_signature(page), form=form, refusal=refusal, status=422)
    fields = decision_fields(form)
    key = text(form, "key")
    outcomes: dict[str, Awaiting] = {}
    sending = confirmed(form)
    for journey_id in chosen:
        try:
            journey, _ = await check_step(page, journey_id, ACTION, fields)
            outcomes[journey_id] = _awaiting(page, journey)
            if sending:
                await take_step(page, journey_id, ACTION, fields, journey_key(key, journey_id))
                outcomes[journey_id].recognized = True
        except REFUSALS as error:
            row = outcomes.setdefault(journey_id, Awaiting(journey_id, journey_id))
            row.refusal = refusal_of(error)
    refused = [row.refusal for row in outcomes.values() if row.refusal is not None]
    if not refused and not sending:
        return _confirm(page, form, list(outcomes.values()), fields)
    if not refused:
        number = quote(fields.get("decision_number", ""), safe="")
        return page.redirect(f"/recognitions?done={len(outcomes)}&number={number}")
    rows = await _rows_with(page, outcomes)
    first = refused[0]
    summary = Refusal(message=t("sign.refused", n=len(refused), total=len(chosen)), code=first.code)
    return _render(page, rows, form=form, refusal=summary, status=first.status)


def _confirm(page: Page, form: FormData, rows: list[Awaiting], fields: dict[str, Any]) -> Response:
    t = page.t
    day = fields.get("decision_date", "")
    try:
        day_shown = date_text(date.fromisoformat(day))
    except ValueError:
        day_shown = day
    facts = [
        Fact(t("field.decision_number"), fields.get("decision_number", t("common.none"))),
        Fact(t("field.decision_date"), day_shown or t("common.none")),
        Fact(t("sign.count"), str(len(rows))),
    ]
    for row in rows:
        level = t.code("level", row.level) if row.level is not None else ""
        facts.append(Fact(row.name, f"{stars_text(row.stars)} — {level} — {row.commune}"))
    return confirmation(
        page,
        title=t("sign.confirm", n=len(rows)),
        facts=facts,
        action="/recognitions",
        fields=carried(form, ["journey_id", "decision_number", "decision_date"]),
        key=text(form, "key"),
        back="/recognitions",
    )
