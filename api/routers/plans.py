"""Plans (kế hoạch phát triển sản phẩm OCOP): a province's targets of new recognized products for a
year, per star, and its progress against the recognitions dated in that year."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from activities.direct import PlanCommands
from api import access
from api.deps import CurrentActor, EngineDep, IdempotencyKey
from api.errors import NotFound
from api.idempotency import Outcome, idempotent
from api.routers.common import COMMAND, READ, problems
from api.routers.councils import command_fields
from schemas.api import PlanReceipt, SetPlanBody
from schemas.plan import PlanProgress, SetPlan
from schemas.refusals import Reason
from store.reports import progress_of_plan

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
async def set_plan(
    province: Province,
    year: Year,
    body: SetPlanBody,
    request: Request,
    actor: CurrentActor,
    key: IdempotencyKey,
    engine: EngineDep,
) -> Response:
    """Set (or revise) the province's plan for the year: its targets of new recognized products per
    star (3, 4, 5) and optionally a total, or its goals as the plan writes them (``goals``: new,
    upgraded, re-evaluated or evaluated products, products proposed to the central level, producer
    organisations taking part, new or consolidated, provincial rounds held; each exact, at least or
    a range; for the province, a commune, a former district or each of them). Given by the
    provincial officer of the province or an administrator whose jurisdiction holds it. A PUT, and
    still needs an Idempotency-Key: a retry with the same key records nothing twice."""
    access.check_set_plan(actor, province)

    async def work() -> Outcome:
        fields = {**command_fields(body, actor), "province_code": province, "year": year}
        command = SetPlan.model_validate(fields)
        receipt = await PlanCommands(await engine.events()).handle(command, str(key))
        return Outcome(
            200,
            PlanReceipt(
                province_code=province,
                year=year,
                event_ids=receipt.event_ids,
                event_types=receipt.event_types,
                stream_version=receipt.stream_version,
                replayed=receipt.replayed,
                state=receipt.state,
            ),
        )

    return await idempotent(request, engine, actor, key, body, work)


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
    access.check_read_province(actor, province)
    progress = await progress_of_plan(await engine.pool(), province, year)
    if progress is None:
        raise NotFound(Reason("plans.none", province=province, year=year))
    return progress
