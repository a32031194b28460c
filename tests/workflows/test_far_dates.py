"""A far date that reached a workflow before the API bounded dates (issue 12, item 9) no longer breaks
it: the calendar holds its arithmetic within the dates Python can represent, so a round opened with
a cut-off of 9999-12-31 keeps running and takes its next steps."""

from __future__ import annotations

from datetime import date, timedelta

import asyncpg
from temporalio.testing import WorkflowEnvironment

from schemas.commands import ImportCertified
from schemas.journey import Status
from schemas.round import CloseRound, OpenRound, RoundStatus
from schemas.rulebook import DeadlineRule, DeadlineUnit, Level
from schemas.rulebooks import get_rulebook
from store import EventStore
from tests.factories import HAC_THANH, PRODUCER, PROVINCIAL_OFFICER, THANH_HOA, council
from tests.recognitions import ADMINISTRATOR
from tests.workflows.harness import TemporalJourney, running_worker
from tests.workflows.rounds_harness import RoundDriver
from tests.workflows.test_round import appoint
from workflows.calendar import (
    LAST_INSTANT,
    add_months,
    certificate_valid_until,
    due_date,
    end_of_day,
    local_date,
    start_of_day,
)
from workflows.journey import ProductJourney
from workflows.round_rules import calendar_dates


def test_the_calendar_holds_the_last_and_first_days() -> None:
    assert end_of_day(date.max) == LAST_INSTANT
    assert end_of_day(date.max - timedelta(days=1)) == start_of_day(date.max)
    assert end_of_day(date.min) == start_of_day(date.min + timedelta(days=1))
    assert add_months(date(9999, 6, 30), 36) == date.max
    assert certificate_valid_until(date(9999, 12, 31), 36) == date.max
    assert certificate_valid_until(date(9998, 12, 31), 12) == date(9999, 12, 30)
    assert due_date(date(9999, 12, 30), DeadlineRule(amount=30, unit=DeadlineUnit.CALENDAR_DAYS)) == date.max


def test_the_calendar_has_no_round_past_the_last_day() -> None:
    """A cut-off late in year 9999: the calendar's next round would fall in year 10000, which no
    ``date`` holds — there is none, and the round keeps the cut-off it named (it used to raise
    ValueError inside the round workflow, whose task then failed for ever)."""
    calendar = get_rulebook("qd26-2026")
    assert calendar.calendar_round(Level.PROVINCE, date.max) is None
    assert calendar.calendar_round(Level.CENTRAL, date(9999, 11, 1)) is None
    second_round = (date(9999, 10, 30), date(9999, 12, 30))
    assert calendar.calendar_round(Level.PROVINCE, date(9999, 5, 1)) == second_round
    assert calendar_dates(Level.PROVINCE, date.max, date(2026, 12, 2)) == (date.max, None)


async def test_a_round_opened_with_the_last_day_as_its_cut_off_keeps_working(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    roster = council("HD-TH-FAR")
    await appoint(EventStore(store_pool), roster, "Hội đồng thử ngày xa", PROVINCIAL_OFFICER)
    async with running_worker(env.client, store_pool) as task_queue:
        driver = RoundDriver(env.client, task_queue, "R-FAR-1")
        opened = await driver.open(
            OpenRound(
                actor=PROVINCIAL_OFFICER,
                round_id="R-FAR-1",
                name="Đợt ngày xa",
                council_id=roster.council_id,
                cut_off=date.max,
                meeting_date=date.max,
            )
        )
        assert opened.state.enrolment_open
        await env.sleep(timedelta(days=2))  # the round's loop waits for a timer, without failing
        state = await driver.state()
        assert state.enrolment_open
        assert state.status == RoundStatus.OPEN
        closed = await driver.do(CloseRound(actor=PROVINCIAL_OFFICER))
        assert closed.state.status == RoundStatus.CLOSED
        assert local_date(await env.get_current_time()) < date.max


async def test_a_certificate_imported_with_the_first_day_as_its_decision_date_keeps_its_journey_working(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    """0001-01-01 as a decision date (a future one the journey refuses itself): the term and its
    timers are computed without leaving the dates a ``date`` can represent, the certificate runs
    out at once, and the journey still answers its next step."""
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "TH-FAR-FIRST")
        imported = await driver.start(
            ImportCertified(
                actor=ADMINISTRATOR,
                journey_id="TH-FAR-FIRST",
                producer_id=PRODUCER.id,
                product_name="Nem chua",
                product_group="food",
                province_code=THANH_HOA,
                commune_code=HAC_THANH,
                rulebook_id="qd148-2023",
                level=Level.PROVINCE,
                stars=4,
                decision_number="QĐ-FAR",
                decision_date=date.min,
            )
        )
        assert imported.state.certificate is not None
        await env.sleep(timedelta(days=1))
        state = await driver.handle.query(ProductJourney.state)
        assert state is not None
        assert state.status == Status.EXPIRED
