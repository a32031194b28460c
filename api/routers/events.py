"""The decision log as a whole: the gap-free global feed and its verification."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import access, visibility
from api.deps import CurrentActor, EngineDep, Events, Pool
from api.routers.common import READ, problems
from api.services import log
from schemas.api import EventsPage, VerificationView
from store.reports import evaluations_open_since

router = APIRouter(prefix="/v1", tags=["decision log"])


@router.get(
    "/events",
    response_model=EventsPage,
    summary="The global feed of events",
    responses=problems(*READ),
)
async def events_feed(
    actor: CurrentActor,
    store: Events,
    pool: Pool,
    after: Annotated[
        int, Query(ge=0, le=2**63 - 1, description="Give events with a position above this one.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many events.")] = 100,
) -> EventsPage:
    """Every stream's events in position order. Gap-free: a follower that asks again with
    ``after = next_after`` never misses an event, even one that committed late. While a product's
    council evaluation is open, its members' scores are withheld (named in `sealed`)."""
    access.check_read_log(actor)
    events = await store.read_all(after, limit)
    # Independent scoring: scores of an evaluation still open are withheld (``sealed``).
    scored = {e.stream.id for e in events if e.stream.type == "journey" and e.type in visibility.SCORE_FIELDS}
    open_since = await evaluations_open_since(pool, scored)
    sealed = visibility.seal_feed(actor, events, open_since)
    return EventsPage(events=sealed, next_after=events[-1].position if events else after)


@router.get(
    "/verify",
    response_model=VerificationView,
    summary="Verify the whole decision log",
    responses=problems(*READ),
)
async def verify_log(actor: CurrentActor, engine: EngineDep) -> VerificationView:
    """Recompute every stream's hash chain; name the first broken link of each broken stream."""
    return await log.verification(engine, actor)
