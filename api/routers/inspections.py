"""Products due an inspection (sản phẩm đến kỳ kiểm tra định kỳ, qd26-2026 Art. 9): the route over
``api.services.inspections``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CurrentActor, EngineDep
from api.routers.common import READ, problems
from api.services.inspections import inspections_due
from schemas.inspections import InspectionsDuePage

router = APIRouter(prefix="/v1/inspections", tags=["inspections"])


@router.get(
    "/due",
    response_model=InspectionsDuePage,
    summary="Products due an inspection",
    responses=problems(*READ),
)
async def list_inspections_due(
    actor: CurrentActor,
    engine: EngineDep,
    province: Annotated[int | None, Query(ge=1, le=999, description="Province code (mã tỉnh).")] = None,
    commune: Annotated[int | None, Query(ge=1, le=99999, description="Commune code (mã xã).")] = None,
    stars: Annotated[int | None, Query(ge=1, le=5, description="Stars of the certificate in force.")] = None,
    within_days: Annotated[
        int, Query(ge=0, le=366, description="Also the products falling due within this many days.")
    ] = 0,
    cursor: Annotated[
        str | None, Query(max_length=400, description="`next_cursor` of the previous page.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="At most this many products.")] = 50,
) -> InspectionsDuePage:
    """Kiểm tra định kỳ (qd26-2026 Art. 9.2.a): the certified products of the caller's jurisdiction
    whose periodic inspection is due — the rulebook's interval (the programme's setting) passed since
    the recognition or the last recorded inspection, whichever is later — the longest overdue first.
    Read by the officers, authorities, auditors and administrators of the jurisdiction; a province
    outside it lists nothing. Computed from the engine's read models only."""
    return await inspections_due(
        engine,
        actor,
        province=province,
        commune=commune,
        stars=stars,
        within_days=within_days,
        cursor=cursor,
        limit=limit,
    )
