"""A plan's progress as ``store.reports.progress_of_plan`` reads it from PostgreSQL: the plan set
through ``PlanCommands`` (the log), the province's journeys and its provincial rounds from the read
models. The journeys and rounds of Tây Ninh 2022 are those of tests/workflows/test_plan_written.py
(folded purely with fixed clocks, since the log stamps the present), put as read models."""

from __future__ import annotations

from datetime import date

import asyncpg

from activities.direct import PlanCommands
from schemas.plan import SetPlan
from schemas.plans import WRITTEN_PLANS
from schemas.round import RoundState, RoundStatus
from store import EventStore
from store.reports import progress_of_plan
from tests.recognitions import ADMINISTRATOR
from tests.workflows.test_plan_written import TAY_NINH, Products, provincial_round


async def put_round(store: EventStore, state: RoundState) -> None:
    await store.put_read_model("round", state.round_id, 1, state.model_dump(mode="json"))


async def test_progress_reads_the_plan_the_journeys_and_the_provincial_rounds_of_its_province(
    store_pool: asyncpg.Pool,
) -> None:
    store = EventStore(store_pool)
    products = Products(TAY_NINH)
    products.new(
        "TN-1", "htx-1", "Huyện Hòa Thành", ["60", "62"], date(2022, 6, 20), registered=date(2022, 3, 1)
    )
    products.new(
        "TN-2", "htx-2", "Huyện Hòa Thành", ["75", "78"], date(2022, 11, 25), registered=date(2022, 9, 1)
    )
    for journey_id, journey in products.journeys.items():
        await store.put_read_model("journey", journey_id, journey.version, journey.model_dump(mode="json"))
    for state in (
        provincial_round("TN-1/2022", TAY_NINH, date(2022, 6, 15), RoundStatus.RESULTS_PUBLISHED),
        provincial_round("TN-2/2022", TAY_NINH, date(2022, 11, 20), RoundStatus.CLOSED),
        provincial_round("TN-3/2022", TAY_NINH, date(2022, 12, 28), RoundStatus.OPEN),  # not held
        provincial_round("HN-1/2022", 1, date(2022, 6, 15), RoundStatus.RESULTS_PUBLISHED),  # Hà Nội
    ):
        await put_round(store, state)
    plan = WRITTEN_PLANS["tay-ninh-2022"]
    assert await progress_of_plan(store_pool, TAY_NINH, 2022) is None  # not set yet
    command = SetPlan.model_validate(
        {**plan.body(), "actor": ADMINISTRATOR, "province_code": TAY_NINH, "year": 2022}
    )
    receipt = await PlanCommands(store).handle(command, "plan-tay-ninh-2022")
    assert receipt.event_types == ["plan_set"]
    progress = await progress_of_plan(store_pool, TAY_NINH, 2022)
    assert progress is not None
    assert [
        (row.goal.kind.value, row.achieved, row.remaining, row.status.value) for row in progress.goals
    ] == [
        ("new_products", 2, 8, "below"),  # 10 to 15 certified at provincial level
        ("provincial_rounds", 2, 0, "met"),  # the open round and Hà Nội's do not count
    ]
    # The plan as the log keeps it, folded again: the same goals.
    stored = await PlanCommands(store).get(TAY_NINH, 2022)
    assert stored is not None
    assert stored.goals == plan.goals
