"""Listing journeys for a reader: one service that ``GET /v1/journeys`` and the pages share.

A reader lists the journeys ``access.list_scope`` allows: their own (producers), their
jurisdiction's (officers, authorities, auditors) or those their councils evaluate (council
members, a seat query of the actor store), narrowed by ``wanted`` (jsonb containment: the API's
query parameters, or a page's finer filters). Each journey is sealed as every read seals it
(``api.visibility``): a reader who may not see the other members' scores yet gets who has scored,
not what.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from api import access, visibility
from api.access import Principal
from api.engine import Engine
from schemas.journey import JourneyState


@dataclass(frozen=True)
class JourneyListing:
    """One page of a reader's journeys: ``items`` sealed for them, in id order; ``rows`` how many
    were read and ``last_id`` the last one's id (the next page starts after it)."""

    items: list[JourneyState]
    rows: int
    last_id: str | None


async def scoped_journeys(
    reader: Principal, engine: Engine, wanted: Mapping[str, Any], *, limit: int, after_id: str | None = None
) -> JourneyListing:
    """Up to ``limit`` journeys ``reader`` may list that contain ``wanted``, after ``after_id``."""
    scope = access.list_scope(reader)
    contains = access.merge_filters(scope or {}, wanted)
    if contains is None:
        return JourneyListing(items=[], rows=0, last_id=None)
    if scope is None:
        actors = await engine.actors()
        rows = await actors.journeys_seating(
            reader.id, contains=contains or None, after_id=after_id, limit=limit
        )
    else:
        store = await engine.events()
        rows = await store.list_read_models(
            "journey", contains=contains or None, after_id=after_id, limit=limit
        )
    items = [visibility.seal_state(reader, JourneyState.model_validate(row.state)) for row in rows]
    return JourneyListing(items=items, rows=len(rows), last_id=rows[-1].id if rows else None)
