"""A council's membership page (kiện toàn Hội đồng, xung đột lợi ích): its seats and roles by name,
the change of its membership (new seats, with the reason; rounds opened earlier keep the roster
they opened with) and the conflicts of interest declared on it, with the form that declares one.

Each command is the API's own route function (``change_membership``, ``declare_conflict``) called
with the signed-in actor, the page's request and an Idempotency-Key drawn from the form: the access
checks (the officer of the council's level; a member for their own conflict), the seat checks and
the Idempotency handling are those of ``/v1/councils/{id}/membership`` and ``/conflicts``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response
from starlette.datastructures import FormData

from api import access
from api.access import AccessDenied
from api.services import councils
from schemas.api import ChangeMembershipBody, DeclareConflictBody
from schemas.council import Council, SeatRole
from schemas.journey import JourneyState
from store.parties import PartyStore
from store.reports import rounds_where
from web.pages import Page, PostedForm, SignedIn, page_router, text, ticked
from web.reads import every_scoped_journey
from web.rounds import PageId, SeatRow
from web.steps import REFUSALS, Refusal, refusal_of, update_key

router = page_router()  # this module's pages; web/__init__.py includes them

# Rows the membership form offers beyond the current seats (a council of the rulebooks has 5 to 9).
EXTRA_ROWS = 3
DONE = ("changed", "conflict")


def _may_manage(page: Page, council: Council) -> bool:
    try:
        access.check_manage_council(page.me, council.level, council.jurisdiction)
    except AccessDenied:
        return False
    return True


def seat_rows(council: Council, form: FormData | None) -> list[SeatRow]:
    """The form's seat rows: as sent, else the council's seats and a few empty rows."""
    count = len(council.seats) + EXTRA_ROWS
    if form is not None:
        return [
            SeatRow(index, text(form, f"seat_{index}_member"), text(form, f"seat_{index}_role"))
            for index in range(1, count + 1)
        ]
    rows = [SeatRow(index, seat.member_id, seat.role.value) for index, seat in enumerate(council.seats, 1)]
    return rows + [SeatRow(index) for index in range(len(rows) + 1, count + 1)]


async def _products(page: Page, council: Council) -> list[JourneyState]:
    """The products of the council's rounds the reader may list (what a conflict can be declared on)."""
    rounds = await rounds_where(await page.engine.pool(), {"council": {"council_id": council.council_id}})
    wanted = {journey for state in rounds for journey in state.journeys}
    if not wanted:
        return []
    found = []
    for state in rounds:
        found += await every_scoped_journey(page, {"round_id": state.round_id})
        found += await every_scoped_journey(page, {"results": [{"round_id": state.round_id}]})
    by_id = {journey.journey_id: journey for journey in found if journey.journey_id in wanted}
    return sorted(by_id.values(), key=lambda journey: journey.product_name)


async def _render(
    page: Page,
    council_id: str,
    *,
    form: FormData | None = None,
    which: str | None = None,
    refusal: Refusal | None = None,
    done: str | None = None,
    status: int = 200,
) -> Response:
    view = await councils.council_view(page.engine, page.me, council_id)
    council = view.council
    products = await _products(page, council)
    names = await PartyStore(await page.engine.pool()).names_of_actors(
        [seat.member_id for seat in council.seats] + [c.member_id for c in council.conflicts]
    )
    product_names = {journey.journey_id: journey.product_name for journey in products}
    me_seated = any(seat.member_id == page.me.id for seat in council.seats)
    return page.render(
        "membership.html",
        status=status,
        council=council,
        names=names,
        product_names=product_names,
        products=products,
        seats=seat_rows(council, form if which == "membership" else None),
        seat_roles=[role.value for role in SeatRole],
        may_manage=_may_manage(page, council),
        may_declare=_may_manage(page, council) or me_seated,
        me_seated=me_seated,
        reason=text(form, "reason") if form is not None and which == "membership" else "",
        extra_rounds_allowed=ticked(form, "extra_rounds_allowed")
        if form is not None and which == "membership"
        else council.extra_rounds_allowed,
        conflict={
            name: text(form, name) if form is not None and which == "conflict" else ""
            for name in ("member_id", "journey_id", "reason")
        },
        which=which,
        refusal=refusal,
        done=page.t(f"membership.done.{done}") if done in DONE else None,
        here=f"/councils/{council_id}/membership",
    )


@router.get("/councils/{council_id}/membership")
async def membership_page(
    council_id: PageId, page: SignedIn, done: Annotated[str | None, Query(max_length=40)] = None
) -> Response:
    """The council's seats and conflicts as ``GET /v1/councils/{id}`` answers them, with the forms."""
    return await _render(page, council_id, done=done)


@router.post("/councils/{council_id}/membership")
async def membership_form(council_id: PageId, page: SignedIn, form: PostedForm) -> Response:
    """Change the council's membership as ``POST /v1/councils/{id}/membership`` does."""
    rows = [
        SeatRow(index, text(form, f"seat_{index}_member"), text(form, f"seat_{index}_role"))
        for index in range(1, 51)
    ]
    seats = [
        {"member_id": row.member_id, "role": row.role or SeatRole.MEMBER.value}
        for row in rows
        if row.member_id
    ]
    fields = {
        "seats": seats,
        "extra_rounds_allowed": ticked(form, "extra_rounds_allowed"),
        "reason": text(form, "reason") or None,
    }
    try:
        body = ChangeMembershipBody.model_validate(fields)
        key = update_key(text(form, "key"), body)
        run = await councils.change_membership(page.engine, page.me, council_id, body)
        await run(key)
    except REFUSALS as error:
        refusal = refusal_of(error)
        return await _render(
            page, council_id, form=form, which="membership", refusal=refusal, status=refusal.status
        )
    return page.redirect(f"/councils/{council_id}/membership?done=changed")


@router.post("/councils/{council_id}/conflicts")
async def conflict_form(council_id: PageId, page: SignedIn, form: PostedForm) -> Response:
    """Declare a conflict of interest as ``POST /v1/councils/{id}/conflicts`` does."""
    fields = {
        "member_id": text(form, "member_id"),
        "journey_id": text(form, "journey_id"),
        "reason": text(form, "reason") or None,
    }
    try:
        body = DeclareConflictBody.model_validate(fields)
        key = update_key(text(form, "key"), body)
        run = await councils.declare_conflict(page.engine, page.me, council_id, body)
        await run(key)
    except REFUSALS as error:
        refusal = refusal_of(error)
        return await _render(
            page, council_id, form=form, which="conflict", refusal=refusal, status=refusal.status
        )
    return page.redirect(f"/councils/{council_id}/membership?done=conflict")
