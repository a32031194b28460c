"""Round results (kết quả đợt đánh giá) and plan progress (tiến độ kế hoạch), from the store's
reports: ``round_results`` and ``progress_of_plan``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Path, Response

from api.errors import NotFound
from schemas.errors import DomainError
from schemas.plan import StarProgress
from store.reports import progress_of_plan, round_results, round_state
from web.board import BoardId
from web.pages import SignedIn, router
from web.reads import readable_journey
from workflows import places

# Geometry of the plan chart (an inline SVG): one bar pair per star rank.
BAR_WIDTH = 480
BAR_HEIGHT = 22
ROW_HEIGHT = 64
LABEL_WIDTH = 96


@router.get("/rounds/{round_id:path}/results")
async def round_results_page(round_id: BoardId, page: SignedIn) -> Response:
    """The round's results table: the published one once it is, else as the journeys stand. Each
    line shows only if the actor may read its journey (the API's read policy)."""
    pool = await page.engine.pool()
    state = await round_state(pool, round_id)
    rows = await round_results(pool, round_id)
    if state is None or rows is None:
        raise NotFound(f"no round {round_id}")
    visible = [row for row in rows if await readable_journey(page, row.journey_id) is not None]
    return page.render("round_results.html", round=state, rows=visible)


@dataclass
class Bar:
    """One star rank of the chart: the target's bar and the new recognitions' bar, in pixels."""

    progress: StarProgress
    y: int
    target_width: int
    new_width: int


def bars(by_star: list[StarProgress]) -> list[Bar]:
    scale = max([1, *(p.target or 0 for p in by_star), *(p.new for p in by_star)])
    return [
        Bar(
            progress=p,
            y=index * ROW_HEIGHT,
            target_width=round(BAR_WIDTH * (p.target or 0) / scale),
            new_width=round(BAR_WIDTH * p.new / scale),
        )
        for index, p in enumerate(by_star)
    ]


@router.get("/plans/{province_code}/{year}")
async def plan_page(
    province_code: Annotated[int, Path(ge=1, le=999)],
    year: Annotated[int, Path(ge=2018, le=2100)],
    page: SignedIn,
) -> Response:
    """A province-year plan against the recognitions dated in its year (aggregates, no personal
    data: every signed-in actor may see them)."""
    try:
        province = places.province_name(province_code)
    except DomainError:
        raise NotFound(f"no province {province_code}") from None
    progress = await progress_of_plan(await page.engine.pool(), province_code, year)
    if progress is None:
        raise NotFound(f"no plan for province {province_code} in {year}")
    return page.render(
        "plan.html",
        progress=progress,
        province=province,
        bars=bars(progress.by_star),
        chart_width=LABEL_WIDTH + BAR_WIDTH + 80,
        chart_height=ROW_HEIGHT * len(progress.by_star),
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
    )
