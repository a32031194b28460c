"""Round results (kết quả đợt đánh giá) and plan progress (tiến độ kế hoạch): the API's own reads
(``GET /v1/rounds/{id}``, ``.../results``, ``GET /v1/plans/{province}/{year}/progress``), with their
access checks, drawn as a table and a chart. The plan's officer sets its per-star targets and total
there too (đặt kế hoạch), after a confirmation, as ``PUT /v1/plans/{province}/{year}`` does (its
route function: the access rule, Idempotency, the plan's rules); a plan's goals as written are set
through the API only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Path, Query, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from api import access
from api.access import AccessDenied
from api.errors import NotFound, field_message
from api.services import plans, rounds
from schemas.api import SetPlanBody
from schemas.errors import DomainError
from schemas.journey import Status
from schemas.plan import Bound, GoalProgress, PlanGoal, PlanProgress, Scope, StarProgress
from web.board import BoardId
from web.confirm import Fact, carried, confirmation, confirmed
from web.i18n import Translator, stars_text
from web.pages import Page, PostedForm, SignedIn, page_router, text
from web.reads import every_scoped_journey
from web.steps import REFUSALS, Refusal, refusal_of, update_key
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
    state = await rounds.round_for(page.engine, page.me, round_id)
    results = await rounds.results(page.engine, page.me, round_id)
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


ProvinceCode = Annotated[int, Path(ge=1, le=999)]
PlanYear = Annotated[int, Path(ge=2018, le=2100)]
# The plan form's fields: a target per star, the total, the plan's document.
STARS = (3, 4, 5)
PLAN_FIELDS = (*(f"target_{stars}" for stars in STARS), "total", "reference")


def _may_set_plan(page: Page, province_code: int) -> bool:
    try:
        access.check_set_plan(page.me, province_code)
    except AccessDenied:
        return False
    return True


def _plan_values(progress: PlanProgress | None, form: FormData | None) -> dict[str, str]:
    """The plan form's values: as typed if sent, else the plan's targets in force (none yet: empty)."""
    if form is not None or progress is None:
        return {name: text(form, name) if form is not None else "" for name in PLAN_FIELDS}
    values = {f"target_{p.stars}": "" if p.target is None else str(p.target) for p in progress.by_star}
    values["total"] = "" if progress.total_target is None else str(progress.total_target)
    values["reference"] = progress.reference or ""
    return values


@router.get("/plans/{province_code}/{year}")
async def plan_page(
    province_code: ProvinceCode, year: PlanYear, page: SignedIn, done: Annotated[str | None, Query()] = None
) -> Response:
    """A province-year plan against the recognitions dated in its year, as
    ``GET /v1/plans/{province}/{year}/progress`` answers it; the form setting it for its officer."""
    return await _render_plan(page, province_code, year, done=done == "set")


async def _render_plan(
    page: Page,
    province_code: int,
    year: int,
    *,
    form: FormData | None = None,
    refusal: Refusal | None = None,
    status: int = 200,
    done: bool = False,
) -> Response:
    try:
        province = places.province_name(province_code)
    except DomainError:
        raise NotFound(f"no province {province_code}") from None
    may_set = _may_set_plan(page, province_code)
    progress: PlanProgress | None = None
    try:
        progress = await plans.plan_progress(page.engine, page.me, province_code, year)
    except NotFound:
        if not may_set:  # a year with no plan yet: only its officer has a page, to set it
            raise
    by_star = progress.by_star if progress is not None else []
    return page.render(
        "plan.html",
        status=status,
        progress=progress,
        province=province,
        province_code=province_code,
        year=year,
        bars=bars(by_star),
        chart_width=LABEL_WIDTH + BAR_WIDTH + 80,
        chart_height=ROW_HEIGHT * len(by_star),
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        goals=[
            GoalRow(row, goal_what(row.goal, page.t), goal_amount(row.goal, page.t))
            for row in (progress.goals if progress is not None else [])
        ],
        may_set=may_set,
        values=_plan_values(progress, form) if may_set else {},
        refusal=refusal,
        done=done,
        here=f"/plans/{province_code}/{year}",
    )


# A count as a Vietnamese officer types it: digits, grouped by thousands with dots or spaces ("1.234").
_GROUPED_COUNT = re.compile(r"-?\d{1,3}(?:[. \u00a0]\d{3})+")


def _count(typed: str) -> int | str:
    """A count as typed: a whole number, its thousands grouped or not, is sent as one; anything else
    (a decimal comma "2,5" included) as typed, for the body to refuse."""
    if _GROUPED_COUNT.fullmatch(typed):
        typed = re.sub(r"[. \u00a0]", "", typed)
    return int(typed) if re.fullmatch(r"-?\d{1,9}", typed) else typed


def _plan_body(form: FormData) -> dict[str, object]:
    """What the form sends, as ``PUT /v1/plans/...`` takes it: the targets given, the total, the document."""
    typed = {stars: text(form, f"target_{stars}") for stars in STARS}
    targets = {str(stars): _count(value) for stars, value in typed.items() if value}
    body: dict[str, object] = {"targets": targets}
    if text(form, "total"):
        body["total"] = _count(text(form, "total"))
    if text(form, "reference"):
        body["reference"] = text(form, "reference")
    return body


def _plan_refusal(error: Exception, t: Translator) -> Refusal:
    """The refusal with each refused value beside its field (a star's target, the total)."""
    if isinstance(error, ValidationError):
        refusal = Refusal(code="InvalidRequest")
        for item in error.errors():
            loc = [str(part) for part in item.get("loc", ())]
            name = f"target_{loc[1]}" if loc[:1] == ["targets"] and len(loc) > 1 else (loc[0] if loc else "")
            if name in PLAN_FIELDS and name != "reference":
                # A count the body refuses (negative, not whole, too large): said in the page's words.
                refusal.fields.setdefault(name, t("plan.count_bad"))
            elif name in PLAN_FIELDS:
                refusal.fields.setdefault(name, field_message(item, t.lang))
            else:
                refusal.message = field_message(item, t.lang)
        return refusal
    refusal = refusal_of(error)
    why = error.why if isinstance(error, DomainError) else None
    if isinstance(error, DomainError) and why is not None and why.key == "plan.total_below_targets":
        refusal.fields["total"] = error.told(t.lang, t.code)
    return refusal


@router.post("/plans/{province_code}/{year}")
async def plan_form(
    province_code: ProvinceCode, year: PlanYear, page: SignedIn, form: PostedForm
) -> Response:
    """Set the plan's per-star targets and total as ``PUT /v1/plans/{province}/{year}`` does, after
    a confirmation that says what will be recorded."""
    t = page.t
    path = f"/plans/{province_code}/{year}"
    try:
        access.check_set_plan(page.me, province_code)
        body = SetPlanBody.model_validate(_plan_body(form))
        if not confirmed(form):
            facts = [
                Fact(t("plan.target_of", stars=stars_text(stars)), text(form, f"target_{stars}") or "—")
                for stars in STARS
            ]
            facts.append(Fact(t("plan.total"), text(form, "total") or "—"))
            if text(form, "reference"):
                facts.append(Fact(t("plan.document"), text(form, "reference")))
            return confirmation(
                page,
                title=t("plan.confirm", year=year, province=places.province_name(province_code)),
                facts=facts,
                action=path,
                fields=carried(form, PLAN_FIELDS),
                key=text(form, "key"),
                back=path,
                warning=t("plan.confirm_warning"),
            )
        key = update_key(text(form, "key"), body)
        await plans.set_plan(page.engine, page.me, province_code, year, body)(key)
    except AccessDenied:
        raise  # the refusal's own page (403): a plan not set yet has no page to show it on
    except REFUSALS as error:
        refusal = _plan_refusal(error, t)
        status = refusal.status
        return await _render_plan(page, province_code, year, form=form, refusal=refusal, status=status)
    return page.redirect(f"{path}?done=set")
