"""Journey reads for the pages, scoped exactly as ``GET /v1/journeys`` scopes them.

A caller lists the journeys ``access.list_scope`` allows: their own (producers), their
jurisdiction's (officers, authorities, auditors) or those their councils evaluate (council
members, a seat query of the actor store). The pages add finer JSON-containment filters than the
API's query parameters offer (a council, a round's results), nothing else. Each journey is sealed
as the API seals it (``api.visibility``): a reader who may not see the other members' scores yet
gets who has scored, not what.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api import access, visibility
from schemas.journey import JourneyState
from web.pages import Page

PAGE_SIZE = 200


async def scoped_journeys(
    page: Page, wanted: Mapping[str, Any], *, limit: int, after_id: str | None = None
) -> tuple[list[JourneyState], bool]:
    """Up to ``limit`` journeys the actor may list that contain ``wanted``, in id order; and
    whether more follow."""
    actor = page.me
    scope = access.list_scope(actor)
    contains = access.merge_filters(scope or {}, wanted)
    if contains is None:
        return [], False
    if scope is None:
        rows = await (await page.engine.actors()).journeys_seating(
            actor.id, contains=contains or None, after_id=after_id, limit=limit + 1
        )
    else:
        rows = await (await page.engine.events()).list_read_models(
            "journey", contains=contains or None, after_id=after_id, limit=limit + 1
        )
    items = [visibility.seal_state(actor, JourneyState.model_validate(row.state)) for row in rows]
    return items[:limit], len(items) > limit


async def every_scoped_journey(page: Page, wanted: Mapping[str, Any], cap: int = 2000) -> list[JourneyState]:
    """Every journey the actor may list that contains ``wanted`` (up to ``cap``), a page at a time."""
    found: list[JourneyState] = []
    after: str | None = None
    while len(found) < cap:
        batch, more = await scoped_journeys(page, wanted, limit=PAGE_SIZE, after_id=after)
        found.extend(batch)
        if not more or not batch:
            break
        after = batch[-1].journey_id
    return found[:cap]
