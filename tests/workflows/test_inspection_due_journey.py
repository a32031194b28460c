"""The periodic inspection's due day (qd26-2026 Art. 9.2.a) on Temporal's time-skipping server with a
real PostgreSQL log: a certified product is due its inspection when the rulebook's interval (the
programme's setting) has passed since its recognition — not a moment before — and a recorded
inspection pushes the day back to the interval after it."""

from __future__ import annotations

from datetime import date, timedelta

import asyncpg
from temporalio.testing import WorkflowEnvironment

from schemas.commands import ImportCertified, RecordInspection
from schemas.log import Actor, StreamRef
from schemas.rulebook import InspectionCheck, InspectionKind, Level
from schemas.rulebooks import get_rulebook
from store import EventStore
from tests.factories import DISTRICT_NAME, HAC_THANH, PRODUCER, PROVINCIAL_OFFICER, THANH_HOA
from tests.workflows.harness import TemporalJourney, running_worker
from tests.workflows.test_journey import eventually, today
from tests.workflows.test_re_evaluation_journey import _sleep_until

_RULES = get_rulebook("qd26-2026").inspection
assert _RULES is not None
assert _RULES.periodic_interval_days is not None
INTERVAL = timedelta(days=_RULES.periodic_interval_days)
ADMIN = Actor(id="admin-1", role="administrator")


def _imported(journey_id: str, decided: date) -> ImportCertified:
    return ImportCertified(
        actor=ADMIN,
        journey_id=journey_id,
        producer_id=PRODUCER.id,
        product_name="Nem chua Thanh Hóa",
        product_group="food",
        province_code=THANH_HOA,
        commune_code=HAC_THANH,
        district=DISTRICT_NAME,
        rulebook_id="qd26-2026",
        level=Level.PROVINCE,
        stars=4,
        decision_number="QĐ 1021/QĐ-UBND",
        decision_date=decided,
    )


def _inspection(on: date) -> RecordInspection:
    return RecordInspection(
        actor=PROVINCIAL_OFFICER,
        authority="Cơ quan quản lý OCOP tỉnh Thanh Hóa",
        kind=InspectionKind.PERIODIC,
        inspected_on=on,
        checked=list(InspectionCheck),
        findings="Duy trì các tiêu chí theo hồ sơ",
        meets_criteria=True,
        conclusion="sha256:" + "c1" * 32,
    )


async def _due_events(store_pool: asyncpg.Pool, driver: TemporalJourney) -> list[dict[str, object]]:
    events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id=driver.journey_id))
    return [event.data for event in events if event.type == "inspection_due"]


async def test_the_inspection_falls_due_after_the_interval_not_before_and_an_inspection_pushes_it_back(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        recognized = await today(env)
        plain = TemporalJourney(env.client, task_queue, "J-QD26-DUE")
        inspected = TemporalJourney(env.client, task_queue, "J-QD26-DUE-INSPECTED")
        await plain.start(_imported(plain.journey_id, recognized))
        await inspected.start(_imported(inspected.journey_id, recognized))

        await env.sleep(timedelta(days=100))
        inspected_on = await today(env)
        receipt = await inspected.do(_inspection(inspected_on))
        assert receipt.event_types == ["inspection_recorded"]

        # Not a moment before the interval has passed since the recognition.
        due_on = recognized + INTERVAL
        await _sleep_until(env, due_on, after=-timedelta(hours=1))
        assert (await plain.state()).inspection_due_on is None
        assert await _due_events(store_pool, plain) == []

        # Then the product is due: recorded once, counted from the recognition.
        await env.sleep(timedelta(hours=2))
        state = await eventually(plain, lambda s: s.inspection_due_on is not None)
        assert state.inspection_due_on == due_on
        [due] = await _due_events(store_pool, plain)
        assert due["due_on"] == due_on.isoformat()
        assert (due["counted_from"], due["since"]) == ("recognition", recognized.isoformat())
        assert due["interval_days"] == INTERVAL.days
        # The inspected product is not due: its inspection pushed the day back.
        assert (await inspected.state()).inspection_due_on is None
        assert await _due_events(store_pool, inspected) == []

        pushed = inspected_on + INTERVAL
        await _sleep_until(env, pushed, after=-timedelta(hours=1))
        assert await _due_events(store_pool, inspected) == []
        await env.sleep(timedelta(hours=2))
        state = await eventually(inspected, lambda s: s.inspection_due_on is not None)
        assert state.inspection_due_on == pushed
        [due] = await _due_events(store_pool, inspected)
        assert (due["counted_from"], due["since"]) == ("inspection", inspected_on.isoformat())
        # The first product was told once: its flag does not fire again while nothing is inspected.
        assert len(await _due_events(store_pool, plain)) == 1
        await inspected.save_history("qd26_inspection_due_pushed_back_by_an_inspection")
