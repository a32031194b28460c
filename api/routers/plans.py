"""Plans (kế hoạch phát triển sản phẩm OCOP): the routes over ``api.services.plans`` (a province's
targets of new recognized products for a year, per star, and its progress)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from api.deps import CurrentActor, EngineDep, Idempotent
from api.idempotency import Outcome
from api.routers.common import COMMAND, READ, problems
from api.services import plans
from schemas.api import PlanReceipt, SetPlanBody
from schemas.plan import PlanProgress

router = APIRouter(prefix="/v1/plans", tags=["plans"])

Province = Annotated[
    int, Path(ge=1, le=999, description="The province's code (mã tỉnh, 2025 codes).", examples=[38])
]
Year = Annotated[int, Path(ge=2018, le=2100, description="The plan's year.", examples=[2025])]


@router.put(
    "/{province}/{year}",
    response_model=PlanReceipt,
    summary="Set a province's plan for a year",
    responses=problems(*COMMAND),
)
async def set_plan(province: Province, year: Year, body: SetPlanBody, once: Idempotent) -> Response:
    """Set (or revise) the province's plan for the year: its targets of new recognized products per
    star (3, 4, 5) and optionally a total, or its goals as the plan writes them (``goals``: new,
    upgraded, re-evaluated or evaluated products, products proposed to the central level, producer
    organisations taking part, new or consolidated, provincial rounds held; each exact, at least or
    a range; for the province, a commune, a former district or each of them). Given by the
    provincial officer of the province or an administrator whose jurisdiction holds it. A PUT, and
    still needs an Idempotency-Key: a retry with the same key records nothing twice."""
    run = plans.set_plan(once.engine, once.actor, province, year, body)

    async def work() -> Outcome:
        return Outcome(200, await run(once.key))

    return await once(body, work)


@router.get(
    "/{province}/{year}/progress",
    response_model=PlanProgress,
    summary="A plan's progress",
    responses=problems(404, *READ),
)
async def plan_progress(
    province: Province, year: Year, actor: CurrentActor, engine: EngineDep
) -> PlanProgress:
    """Per star: the target, the new products recognized in the year (and upgrades and
    re-evaluations, which do not count towards it), and what remains; and each goal of the plan
    with what the log holds for it in the year, what remains to its lower end, whether it is met
    (per commune or district for a goal of each). Read by officers, auditors,
    authorities and administrators whose jurisdiction holds the province."""
    return await plans.plan_progress(engine, actor, province, year)
