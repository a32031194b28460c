"""The standing agency's pages (cơ quan thường trực): a council (Hội đồng) with its seats by name and
its rounds, the appointment of a council, an evaluation round (đợt đánh giá) with its products and
the products waiting for it (enrolled several at once), opening, closing and publishing a round.

Every read and every command is the API's own route function (``get_council``, ``appoint_council``,
``get_round``, ``open_a_round``, ``enrol``, ``close``, ``publish``), called with the signed-in
actor, the page's request and an Idempotency-Key drawn from the form: the access checks, the
Idempotency handling and the round's rules are those of ``/v1/councils`` and ``/v1/rounds``. Closing
and publishing ask for a confirmation first (``web.confirm``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Path, Query, Response
from starlette.datastructures import FormData

from api import access
from api.access import AccessDenied
from api.deps import request_id
from api.services import councils, rounds
from schemas.api import (
    AppointCouncilBody,
    Body,
    CloseRoundBody,
    EnrolJourneyBody,
    OpenRoundBody,
    PublishResultsBody,
)
from schemas.council import Council, SeatRole
from schemas.journey import JourneyState, Status
from schemas.roles import OFFICER_OF_LEVEL
from schemas.round import ResultRow, RoundState, RoundStatus
from schemas.rulebook import Level
from store.parties import PartyStore
from store.reports import round_results, rounds_where
from web.confirm import Fact, carried, confirmation, confirmed
from web.i18n import date_text
from web.pages import Page, PostedForm, SignedIn, page_router, text, ticked
from web.reads import every_scoped_journey
from web.steps import REFUSALS, Refusal, refusal_of, update_key
from workflows.calendar import add_working_days, local_date
from workflows.round_rules import off_calendar

router = page_router()  # this module's pages; web/__init__.py includes them

# An id as the API's routes take it (``api.deps.CouncilId``, ``api.deps.RoundId``).
PageId = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[\w.-]+$")]
# How many seat rows the appointment form offers (a council of the rulebooks has 5 to 9 members).
SEAT_ROWS = 9
# The meeting date the "open a round" form suggests: this many working days after the cut-off (a
# suggestion of the page, not a rule: the officer sets the date).
SUGGESTED_MEETING_AFTER = 10


def _may_run_rounds(actor: access.Principal, level: Level, jurisdiction: str) -> bool:
    try:
        access.check_run_round(actor, level, jurisdiction)
    except AccessDenied:
        return False
    return True


async def _names(page: Page, actor_ids: list[str]) -> dict[str, str]:
    return await PartyStore(await page.engine.pool()).names_of_actors(actor_ids)


async def _councils_run_by(page: Page) -> list[Council]:
    """The councils whose rounds the signed-in actor runs (the open-a-round form's choices)."""
    store = await page.engine.events()
    rows = await store.list_read_models(
        "council", contains=None, after_id=None, limit=500
    )
    councils = [Council.model_validate(row.state) for row in rows]
    return [c for c in councils if _may_run_rounds(page.me, c.level, c.jurisdiction)]


async def open_rounds_run_by(page: Page) -> list[RoundState]:
    """The open rounds taking products whose council the signed-in actor runs rounds for."""
    rounds = await rounds_where(await page.engine.pool(), {"status": RoundStatus.OPEN.value})
    return [r for r in rounds if r.enrolment_open and _may_run_rounds(page.me, r.level, r.jurisdiction)]


# -- councils ---------------------------------------------------------------------------------------


@dataclass
class SeatRow:
    index: int
    member_id: str = ""
    role: str = SeatRole.MEMBER.value


def _seat_rows(form: FormData | None) -> list[SeatRow]:
    rows = []
    for index in range(1, SEAT_ROWS + 1):
        if form is None:
            role = SeatRole.CHAIR.value if index == 1 else SeatRole.MEMBER.value
            rows.append(SeatRow(index, "", role))
        else:
            rows.append(SeatRow(index, text(form, f"seat_{index}_member"), text(form, f"seat_{index}_role")))
    return rows


def _default_level(actor: access.Principal) -> str:
    levels = [level for level, role in OFFICER_OF_LEVEL.items() if role == actor.role]
    return (levels[0] if levels else Level.PROVINCE).value


def _render_appoint(
    page: Page, form: FormData | None, refusal: Refusal | None = None, status: int = 200
) -> Response:
    actor = page.me
    values = {
        "council_id": text(form, "council_id") if form else "",
        "name": text(form, "name") if form else "",
        "level": text(form, "level") if form else _default_level(actor),
        "jurisdiction": text(form, "jurisdiction") if form else actor.jurisdiction.value,
        "extra_rounds_allowed": ticked(form, "extra_rounds_allowed") if form else False,
    }
    return page.render(
        "council_new.html",
        status=status,
        values=values,
        seats=_seat_rows(form),
        seat_roles=[role.value for role in SeatRole],
        levels=[level.value for level in Level],
        refusal=refusal,
        here="/councils/new",
    )


@router.get("/councils/new")
async def appoint_council_page(page: SignedIn) -> Response:
    """The appointment form (quyết định thành lập Hội đồng): id, name, level, jurisdiction, seats."""
    return _render_appoint(page, None)


@router.post("/councils")
async def appoint_council_form(page: SignedIn, form: PostedForm) -> Response:
    """Appoint the council as ``POST /v1/councils`` does."""
    seats = [
        {"member_id": row.member_id, "role": row.role or SeatRole.MEMBER.value}
        for row in _seat_rows(form)
        if row.member_id
    ]
    fields = {
        "council_id": text(form, "council_id"),
        "name": text(form, "name"),
        "level": text(form, "level"),
        "jurisdiction": text(form, "jurisdiction"),
        "seats": seats,
        "extra_rounds_allowed": ticked(form, "extra_rounds_allowed"),
    }
    try:
        body = AppointCouncilBody.model_validate(fields)
        key = update_key(text(form, "key"), body)
        run = await councils.appoint(page.engine, page.me, body)
        await run(key)
    except REFUSALS as error:
        refusal = refusal_of(error)
        return _render_appoint(page, form, refusal, refusal.status)
    return page.redirect(f"/councils/{fields['council_id']}?done=appointed")


@router.get("/councils/{council_id}")
async def council_page(
    council_id: PageId, page: SignedIn, done: Annotated[str | None, Query(max_length=40)] = None
) -> Response:
    """The council as ``GET /v1/councils/{id}`` answers it, its seats by name, its rounds."""
    view = await councils.council_view(page.engine, page.me, council_id)
    council = view.council
    names = await _names(page, [seat.member_id for seat in council.seats])
    rounds = await rounds_where(await page.engine.pool(), {"council": {"council_id": council_id}})
    return page.render(
        "council.html",
        council=council,
        workload=view.workload,
        names=names,
        rounds=rounds,
        may_run=_may_run_rounds(page.me, council.level, council.jurisdiction),
        done=done == "appointed",
    )


# -- rounds -----------------------------------------------------------------------------------------


def _suggested_round_id(council_id: str, taken: int) -> str:
    return f"R-{council_id}-{taken + 1}"


async def _render_open(
    page: Page,
    council_id: str | None,
    form: FormData | None,
    refusal: Refusal | None = None,
    status: int = 200,
) -> Response:
    councils = await _councils_run_by(page)
    chosen = council_id or (councils[0].council_id if len(councils) == 1 else "")
    today = local_date(datetime.now(UTC))
    suggested = ""
    cut_off = today
    if chosen:
        taken = await rounds_where(await page.engine.pool(), {"council": {"council_id": chosen}})
        suggested = _suggested_round_id(chosen, len(taken))
        council = next((c for c in councils if c.council_id == chosen), None)
        if council is not None and not council.extra_rounds_allowed:
            # Its regulation provides for no extra rounds (qd26-2026 Art. 5): the calendar's next.
            cut_off = off_calendar(council.level, today, today) or today
    values = {
        "round_id": text(form, "round_id") if form else suggested,
        "name": text(form, "name") if form else "",
        "council_id": text(form, "council_id") if form else chosen,
        "cut_off": text(form, "cut_off") if form else cut_off.isoformat(),
        "meeting_date": text(form, "meeting_date")
        if form
        else add_working_days(cut_off, SUGGESTED_MEETING_AFTER).isoformat(),
    }
    return page.render(
        "round_new.html", status=status, values=values, councils=councils, refusal=refusal, here="/rounds/new"
    )


@router.get("/rounds/new")
async def open_round_page(
    page: SignedIn, council: Annotated[str | None, Query(max_length=100)] = None
) -> Response:
    """The "open a round" form: name, council, cut-off, meeting date (and the round's id, suggested)."""
    return await _render_open(page, council, None)


@router.post("/rounds")
async def open_round_form(page: SignedIn, form: PostedForm) -> Response:
    """Open the round as ``POST /v1/rounds`` does."""
    fields = {
        name: text(form, name) for name in ("round_id", "name", "council_id", "cut_off", "meeting_date")
    }
    try:
        # An empty cut-off: the round takes the national calendar's (qd26-2026 Art. 5).
        body = OpenRoundBody.model_validate({k: v for k, v in fields.items() if v or k != "cut_off"})
        run = await rounds.open_a_round(page.engine, page.me, body, request_id(page.request))
        await run(update_key(text(form, "key"), body))
    except REFUSALS as error:
        refusal = refusal_of(error)
        return await _render_open(page, fields["council_id"] or None, form, refusal, refusal.status)
    return page.redirect(f"/rounds/{fields['round_id']}?done=opened")


@dataclass
class Enrolment:
    """What became of one product the officer chose to enrol."""

    journey_id: str
    name: str
    refusal: Refusal | None = None


@dataclass
class RoundPage:
    state: RoundState
    rows: list[ResultRow]
    waiting: list[JourneyState] = field(default_factory=list)
    others: list[RoundState] = field(default_factory=list)
    may_run: bool = False


async def _round_page(page: Page, round_id: str) -> RoundPage:
    state = await rounds.round_for(page.engine, page.me, round_id)
    pool = await page.engine.pool()
    rows = await round_results(pool, round_id) or []
    may_run = _may_run_rounds(page.me, state.level, state.jurisdiction)
    waiting: list[JourneyState] = []
    if may_run and state.status == RoundStatus.OPEN and state.enrolment_open:
        wanted = {"status": Status.AWAITING_ROUND.value, "level": state.level.value}
        waiting = [j for j in await every_scoped_journey(page, wanted) if j.journey_id not in state.journeys]
    others = [
        other
        for other in await rounds_where(
            pool, {"council": {"council_id": state.council.council_id}, "status": RoundStatus.OPEN.value}
        )
        if other.round_id != round_id
    ]
    return RoundPage(state, rows, waiting, others, may_run)


def _render_round(
    page: Page,
    view: RoundPage,
    *,
    done: str | None = None,
    enrolments: list[Enrolment] | None = None,
    refusal: Refusal | None = None,
    status: int = 200,
) -> Response:
    return page.render(
        "round.html",
        status=status,
        view=view,
        round=view.state,
        done=done,
        enrolments=enrolments or [],
        refusal=refusal,
        here=f"/rounds/{view.state.round_id}",
    )


@router.get("/rounds/{round_id}")
async def round_page(
    round_id: PageId,
    page: SignedIn,
    done: Annotated[str | None, Query(max_length=40)] = None,
    n: Annotated[int | None, Query(ge=0, le=10_000)] = None,
) -> Response:
    """The round as ``GET /v1/rounds/{id}`` answers it, its products by name, and, for its officer,
    the products waiting for a round of its council's level to enrol (several at once)."""
    view = await _round_page(page, round_id)
    message = (
        page.t(f"rounds.done.{done}", n=n or 0)
        if done in ("opened", "enrolled", "closed", "published")
        else None
    )
    return _render_round(page, view, done=message)


@router.post("/rounds/{round_id}/enrol")
async def enrol_form(round_id: PageId, page: SignedIn, form: PostedForm) -> Response:
    """Enrol each chosen product as ``POST /v1/rounds/{id}/enrollments`` does, one after the other;
    each refusal is shown beside its product, the others are enrolled."""
    chosen = [value for value in form.getlist("journey_id") if isinstance(value, str) and value.strip()]
    if not chosen:
        view = await _round_page(page, round_id)
        refusal = Refusal(message=page.t("rounds.enrol.none"), code="InvalidRequest")
        return _render_round(page, view, refusal=refusal, status=422)
    outcomes: list[Enrolment] = []
    for journey_id in dict.fromkeys(chosen):
        outcome = Enrolment(journey_id, journey_id)
        try:
            body = EnrolJourneyBody.model_validate({"journey_id": journey_id.strip()})
            key = update_key(text(form, "key"), body)
            run = await rounds.enrol(page.engine, page.me, round_id, body, request_id(page.request))
            await run(key)
        except REFUSALS as error:
            outcome.refusal = refusal_of(error)
        outcomes.append(outcome)
    refused = [outcome for outcome in outcomes if outcome.refusal is not None]
    if not refused:
        return page.redirect(f"/rounds/{round_id}?done=enrolled&n={len(outcomes)}")
    view = await _round_page(page, round_id)
    known = {row.journey_id: row.product_name for row in view.rows} | {
        journey.journey_id: journey.product_name for journey in view.waiting
    }
    for outcome in outcomes:
        outcome.name = known.get(outcome.journey_id, outcome.journey_id)
    first = refused[0].refusal
    assert first is not None
    return _render_round(page, view, enrolments=outcomes, status=first.status)


async def _round_step(
    page: Page,
    round_id: str,
    form: FormData,
    step: str,
    body_model: type[Body],
    fields: dict[str, Any],
) -> Response:
    """Close or publish: checked (the round's officer, the body), confirmed, then sent."""
    try:
        state = await rounds.round_for(page.engine, page.me, round_id)
        access.check_run_round(page.me, state.level, state.jurisdiction)
        body = body_model.model_validate(fields)
        if not confirmed(form):
            return _confirm_round_step(page, state, step, form, fields)
        key = update_key(text(form, "key"), body)
        if step == "close":
            run = await rounds.close(page.engine, page.me, round_id, body, request_id(page.request))
            await run(key)
        else:
            run = await rounds.publish(page.engine, page.me, round_id, body, request_id(page.request))
            await run(key)
    except REFUSALS as error:
        refusal = refusal_of(error)
        view = await _round_page(page, round_id)
        return _render_round(page, view, refusal=refusal, status=refusal.status)
    return page.redirect(f"/rounds/{round_id}?done={DONE[step]}")


DONE = {"close": "closed", "publish": "published"}


def _confirm_round_step(
    page: Page, state: RoundState, step: str, form: FormData, fields: dict[str, Any]
) -> Response:
    t = page.t
    facts = [
        Fact(t("common.round"), state.name),
        Fact(t("common.council"), state.council.name),
        Fact(t("rounds.meeting"), date_text(state.meeting_date)),
        Fact(t("rounds.products"), str(len(state.journeys))),
    ]
    if step == "close":
        facts.append(Fact(t("rounds.carry_over"), fields.get("carry_over_to") or t("common.none")))
    path = f"/rounds/{state.round_id}"
    return confirmation(
        page,
        title=t(f"rounds.confirm.{step}", name=state.name),
        facts=facts,
        action=f"{path}/{step}",
        fields=carried(form, [name for name in fields if fields[name]]),
        key=text(form, "key"),
        back=path,
    )


@router.post("/rounds/{round_id}/close")
async def close_form(round_id: PageId, page: SignedIn, form: PostedForm) -> Response:
    """Close the round as ``POST /v1/rounds/{id}/close`` does, after a confirmation; unfinished
    products go to the chosen open round of the council."""
    carry = text(form, "carry_over_to")
    return await _round_step(page, round_id, form, "close", CloseRoundBody, {"carry_over_to": carry or None})


@router.post("/rounds/{round_id}/publish")
async def publish_form(round_id: PageId, page: SignedIn, form: PostedForm) -> Response:
    """Publish the round's results as ``POST /v1/rounds/{id}/publish`` does, after a confirmation."""
    return await _round_step(page, round_id, form, "publish", PublishResultsBody, {})
