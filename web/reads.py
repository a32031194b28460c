"""Journey reads for the pages, through the listing service ``GET /v1/journeys`` uses
(``api.services.listing``): scoped and sealed exactly as the API scopes and seals them. The pages add finer
JSON-containment filters than the API's query parameters offer (a council, a round's results),
nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.services.listing import scoped_journeys as listing_for
from schemas.journey import JourneyState
from web.pages import Page

PAGE_SIZE = 200


async def scoped_journeys(
    page: Page, wanted: Mapping[str, Any], *, limit: int, after_id: str | None = None
) -> tuple[list[JourneyState], bool]:
    """Up to ``limit`` journeys the actor may list that contain ``wanted``, in id order; and
    whether more follow (the API's listing service, one row more)."""
    listing = await listing_for(page.me, page.engine, wanted, limit=limit + 1, after_id=after_id)
    return listing.items[:limit], len(listing.items) > limit


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
