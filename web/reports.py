"""Round results (kết quả đợt đánh giá) and plan progress (tiến độ kế hoạch): the API's own reads
(``GET /v1/rounds/{id}``, ``.../results``, ``GET /v1/plans/{province}/{year}/progress``), with their
access checks, drawn as a table and a chart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Path, Response

from api.errors import NotFound
from api.routers.plans import plan_progress
from api.routers.rounds import get_results, get_round
from schemas.errors import DomainError
from schemas.journey import Status
from schemas.plan import Bound, GoalProgress, PlanGoal, Scope, StarProgress
from web.board import BoardId
from web.i18n import Translator, stars_text
from web.pages import SignedIn, page_router
from web.reads import every_scoped_journey
from workflows import places

router = page_router()  # this module's pages; web/__init__.py includes them

# Statuses in which a round's next step for the product is still to come (else the row shows the
# journey's status now).
STILL_PENDING = frozenset(
    {Status.AWAITING_ROUND, Status.IN_EVALUATION, Status.AWAITING_RECOGNITION, Status.AWAITING_APPROVAL}
)

# Geometry of the plan chart (an inline SVG): one bar pair per star rank.
BAR_WIDTH = 480
BAR_HEIGHT = 22
ROW_HEIGHT = 64
LABEL_WIDTH = 96


@router.get("/rounds/{round_id:path}/results")
async def round_results_page(round_id: BoardId, page: SignedIn) -> Response:
    """The round's results table, as ``GET /v1/rounds/{id}/results`` answers it (the published one
    once it is, else as the journeys stand), for those the API lets read the round."""
    state = await get_round(round_id, page.me, page.engine)
    results = await get_results(round_id, page.me, page.engine)
    # The journeys as they stand now, as far as the reader may list them: a row whose journey has
    # moved on (recognized since, not ranked...) shows where it is, not the step it was left with.
    current = {
        journey.journey_id: journey.status
        for wanted in ({"results": [{"round_id": round_id}]}, {"round_id": round_id})
        for journey in await every_scoped_journey(page, wanted)
    }
    return page.render(
        "round_results.html", round=state, rows=results.rows, now=current, pending=STILL_PENDING
    )


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


@dataclass
class GoalRow:
    """One goal of the plan as the page writes it: what it counts and where, how many, and how far."""

    progress: GoalProgress
    what: str
    amount: str


def goal_what(goal: PlanGoal, t: Translator) -> str:
    """What a goal counts, in the reader's language: "Sản phẩm mới được công nhận 3★ trở lên, cấp tỉnh"."""
    words = [t.code("goal.kind", goal.kind)]
    if goal.stars is not None:
        words.append(
            t("goal.rank_or_higher" if goal.or_higher else "goal.rank", stars=stars_text(goal.stars))
        )
    if goal.level is not None:
        words.append(t.code("level", goal.level))
    if goal.scope == Scope.COMMUNE and goal.commune_code is not None:
        words.append(t("goal.in_commune", name=places.commune_name(goal.commune_code)))
    elif goal.scope == Scope.DISTRICT:
        words.append(t("goal.in_district", name=goal.district))
    elif goal.scope != Scope.PROVINCE:
        words.append(t.code("goal.scope", goal.scope))
    return " ".join(words)


def goal_amount(goal: PlanGoal, t: Translator) -> str:
    """How many, as the plan writes it: "160", "ít nhất 120", "từ 10 đến 15"."""
    if goal.bound == Bound.RANGE:
        return t("goal.range", value=goal.value, up_to=goal.up_to)
    return t("goal.at_least", value=goal.value) if goal.bound == Bound.AT_LEAST else str(goal.value)


@router.get("/plans/{province_code}/{year}")
async def plan_page(
    province_code: Annotated[int, Path(ge=1, le=999)],
    year: Annotated[int, Path(ge=2018, le=2100)],
    page: SignedIn,
) -> Response:
    """A province-year plan against the recognitions dated in its year, as
    ``GET /v1/plans/{province}/{year}/progress`` answers it."""
    try:
        province = places.province_name(province_code)
    except DomainError:
        raise NotFound(f"no province {province_code}") from None
    progress = await plan_progress(province_code, year, page.me, page.engine)
    return page.render(
        "plan.html",
        progress=progress,
        province=province,
        bars=bars(progress.by_star),
        chart_width=LABEL_WIDTH + BAR_WIDTH + 80,
        chart_height=ROW_HEIGHT * len(progress.by_star),
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        goals=[
            GoalRow(row, goal_what(row.goal, page.t), goal_amount(row.goal, page.t)) for row in progress.goals
        ],
    )
