"""Reports over the read models: statistics of recognitions (thống kê sản phẩm OCOP)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api import access
from api.deps import CurrentActor, EngineDep
from api.routers.common import READ, problems
from store.reports import StatisticsRow, statistics

router = APIRouter(prefix="/v1", tags=["reports"])


class Statistics(BaseModel):
    """Recognitions counted by province, level, star, product group, year and kind."""

    province_code: int | None
    year: int | None
    rows: list[StatisticsRow]


@router.get(
    "/statistics",
    response_model=Statistics,
    summary="Statistics of recognitions",
    responses=problems(*READ),
)
async def get_statistics(
    actor: CurrentActor,
    engine: EngineDep,
    province: Annotated[
        int | None,
        Query(ge=1, le=999, description="Province code; every province if omitted (national readers)."),
    ] = None,
    year: Annotated[
        int | None, Query(ge=2000, le=2100, description="Year of the recognition decisions.")
    ] = None,
) -> Statistics:
    """Recognitions (new, upgrade, re-evaluation) by province, level, star rank, product group and
    year of the decision. Read by auditors, officers, authorities and administrators for their
    jurisdiction; every province at once only by national readers."""
    access.check_read_province(actor, province)
    rows = await statistics(await engine.pool(), province, year)
    return Statistics(province_code=province, year=year, rows=rows)
