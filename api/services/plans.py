"""Plans (kế hoạch phát triển sản phẩm OCOP) for a caller: a province's targets of new recognized
products for a year, per star, and its progress against the recognitions dated in that year."""

from __future__ import annotations

import uuid

from activities.direct import PlanCommands
from api import access
from api.engine import Engine
from api.errors import NotFound
from api.services import Checked
from api.services.councils import command_fields
from schemas.api import PlanReceipt, SetPlanBody
from schemas.plan import PlanProgress, SetPlan
from schemas.refusals import Reason
from store.reports import progress_of_plan


def set_plan(
    engine: Engine, actor: access.Principal, province: int, year: int, body: SetPlanBody
) -> Checked[PlanReceipt]:
    """Set (or revise) the province's plan for the year; given by the provincial officer of the
    province or an administrator whose jurisdiction holds it."""
    access.check_set_plan(actor, province)

    async def run(key: uuid.UUID) -> PlanReceipt:
        fields = {**command_fields(body, actor), "province_code": province, "year": year}
        command = SetPlan.model_validate(fields)
        receipt = await PlanCommands(await engine.events()).handle(command, str(key))
        return PlanReceipt(
            province_code=province,
            year=year,
            event_ids=receipt.event_ids,
            event_types=receipt.event_types,
            stream_version=receipt.stream_version,
            replayed=receipt.replayed,
            state=receipt.state,
        )

    return run


async def plan_progress(engine: Engine, reader: access.Principal, province: int, year: int) -> PlanProgress:
    """Per star and per goal of the plan, what the log holds for it in the year and what remains;
    read by officers, auditors, authorities and administrators whose jurisdiction holds the province."""
    access.check_read_province(reader, province)
    progress = await progress_of_plan(await engine.pool(), province, year)
    if progress is None:
        raise NotFound(Reason("plans.none", province=province, year=year))
    return progress
