"""Products due an inspection (sản phẩm đến kỳ kiểm tra định kỳ, qd26-2026 Art. 9.2.a): the
provincial agency's planning list, paged, filtered by commune and star, with a link to each
product's journey page, where the inspection is recorded.

The rows are ``GET /v1/inspections/due``'s (``api.services.inspections.inspections_due``), read with
its own access rule and the caller's jurisdiction; the page adds the names of the places.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from api.services.inspections import inspections_due
from schemas.api import JurisdictionKind
from web.pages import SignedIn, page_router, query_string
from web.statistics import default_province
from workflows import places

router = page_router()  # this module's pages; web/__init__.py includes them

LIMIT = 50
# What the page offers to look ahead (days), besides what is due today: the agency plans its rounds.
AHEAD = (0, 30, 90, 180, 365)

Param = Annotated[str | None, Query(max_length=400)]


def _choice(text: str | None, allowed: tuple[int, ...]) -> int | None:
    """A whole number of the filter form among ``allowed``; anything else reads as "any"."""
    if text is None or not text.strip().isdigit():
        return None
    value = int(text.strip())
    return value if value in allowed else None


@router.get("/inspections/due")
async def inspections_due_page(
    page: SignedIn,
    commune: Param = None,
    stars: Param = None,
    ahead: Param = None,
    cursor: Param = None,
) -> Response:
    """The certified products of the reader's jurisdiction due their periodic inspection."""
    province = default_province(page)
    communes = places.communes_of(province) if province is not None else []
    chosen_commune = _choice(commune, tuple(code for code, _ in communes))
    if page.me.jurisdiction.kind == JurisdictionKind.COMMUNE and page.me.jurisdiction.value.isdigit():
        chosen_commune = int(page.me.jurisdiction.value)
    chosen_stars = _choice(stars, (3, 4, 5))
    within = _choice(ahead, AHEAD) or 0
    listed = await inspections_due(
        page.engine,
        page.me,
        commune=chosen_commune,
        stars=chosen_stars,
        within_days=within,
        cursor=cursor or None,
        limit=LIMIT,
    )
    filters = {
        "commune": str(chosen_commune) if chosen_commune is not None else None,
        "stars": str(chosen_stars) if chosen_stars is not None else None,
        "ahead": str(within) if within else None,
    }
    more = (
        f"/inspections/due{query_string({**filters, 'cursor': listed.next_cursor})}"
        if listed.next_cursor
        else None
    )
    return page.render(
        "inspections_due.html",
        listed=listed,
        province_name=places.province_name(province) if province is not None else None,
        communes=communes,
        commune=chosen_commune,
        stars=chosen_stars,
        ahead=within,
        aheads=AHEAD,
        first_page=f"/inspections/due{query_string(filters)}" if cursor else None,
        more=more,
    )
