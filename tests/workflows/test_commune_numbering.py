"""The commune's numbers under qd26-2026 (Phụ lục II–III), on Temporal's time-skipping server with
a real PostgreSQL log and sequence table: each dossier the commune receives gets its registration
receipt ``…/PĐK-(Mã tỉnh)-(Mã xã)-(Năm)``, and the product its code ``(T)-(X)-(STT)-(Năm)`` once,
when the commune accepts it — the commune's next number of the year, never a second one."""

from __future__ import annotations

from datetime import date

import asyncpg
from temporalio.testing import WorkflowEnvironment

from schemas.commands import SubmitDossier
from schemas.log import StreamRef
from store import EventStore
from store.sequences import numbers_of
from tests.factories import (
    HAC_THANH,
    PRODUCER,
    THANH_HOA,
    intake_to_dossier,
    register,
    return_dossier,
)
from tests.factories import resubmit_dossier as resubmit
from tests.workflows.harness import TemporalJourney, running_worker
from tests.workflows.test_journey import assert_log_matches, today


async def _submitted(driver: TemporalJourney, submitted_on: date | None = None) -> None:
    await driver.start(register(driver.journey_id))
    for command in intake_to_dossier()[:-1]:
        await driver.do(command)
    await driver.do(SubmitDossier(actor=PRODUCER, documents=["sha256:form01"], submitted_on=submitted_on))


async def test_each_received_dossier_gets_a_receipt_and_each_accepted_product_the_communes_next_code(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        year = (await today(env)).year
        first = TemporalJourney(env.client, task_queue, "J-CODE-1")
        second = TemporalJourney(env.client, task_queue, "J-CODE-2")
        await _submitted(first)
        await _submitted(second)
        assert (await first.state()).receipt_number == f"001/PĐK-38-14797-{year}"
        assert (await second.state()).receipt_number == f"002/PĐK-38-14797-{year}"
        assert (await first.state()).product_code is None  # not before the commune accepts it

        # The second is accepted first: it takes the commune's first number of the year.
        assert (await second.accept()).state.product_code == f"38-14797-001-{year}"
        # A dossier returned and completed keeps its receipt; its acceptance takes the next code.
        await first.do(return_dossier())
        assert (await first.do(resubmit())).state.receipt_number == f"001/PĐK-38-14797-{year}"
        # The same update asked twice (an HTTP retry) records one acceptance, with one number.
        key = "accept-J-CODE-1"
        receipt = await first.accept(update_id=key)
        again = await first.accept(update_id=key)
        assert receipt.state.product_code == again.state.product_code == f"38-14797-002-{year}"
        assert again.event_ids == receipt.event_ids

        events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id="J-CODE-1"))
        accepted = [event for event in events if event.type == "dossier_accepted"]
        assert [event.data["product_code"] for event in accepted] == [f"38-14797-002-{year}"]
        submitted = [event for event in events if event.type == "dossier_submitted"]
        assert [event.data["receipt_number"] for event in submitted] == [f"001/PĐK-38-14797-{year}"]
        scope = f"product-code/{THANH_HOA}/{HAC_THANH}/{year}"
        assert await numbers_of(store_pool, scope) == {"J-CODE-2": 1, "J-CODE-1": 2}
        await assert_log_matches(store_pool, first)
        await assert_log_matches(store_pool, second)
        await first.save_history("qd26_commune_numbers_receipt_and_product_code")


async def test_a_dossier_kept_under_the_old_rulebook_gets_neither_number(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        kept = TemporalJourney(env.client, task_queue, "J-CODE-OLD")
        await _submitted(kept, submitted_on=date(2026, 5, 21))  # qd148-1489-2025 numbers nothing
        state = (await kept.accept()).state
        assert (state.rulebook, state.receipt_number, state.product_code) == ("qd148-1489-2025", None, None)
        await assert_log_matches(store_pool, kept)
