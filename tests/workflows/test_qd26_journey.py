"""QĐ 26/2026 on Temporal's time-skipping server with a real PostgreSQL log: a dossier submitted
today pins qd26-2026, one handed in on paper before 22 May 2026 keeps qd148-1489-2025 and escalates
past its passage deadline (Art. 12.2), and the potential 5★ path of qd26-2026 (Art. 7.3.e)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import asyncpg
import holidays
from temporalio.testing import WorkflowEnvironment

from schemas.commands import ApproveResult, SubmitDossier
from schemas.events import Deadline, Outcome
from schemas.journey import Status
from schemas.log import StreamRef
from schemas.rulebook import Level
from store import EventStore
from tests.factories import (
    AUTHORITY,
    CENTRAL_OFFICER,
    PRODUCER,
    PROVINCIAL_OFFICER,
    intake_to_dossier,
    recognize,
    register,
)
from tests.workflows.harness import TemporalJourney, running_worker
from tests.workflows.test_journey import (
    CENTRAL_COUNCIL,
    PROVINCE_COUNCIL,
    assert_log_matches,
    evaluate,
    eventually,
    today,
)
from tests.workflows.test_sheet_journey import FOOD_SET
from workflows.calendar import add_working_days


async def _submitted(driver: TemporalJourney, submitted_on: date | None = None) -> None:
    await driver.start(register(driver.journey_id))
    for command in intake_to_dossier()[:-1]:
        await driver.do(command)
    await driver.do(SubmitDossier(actor=PRODUCER, documents=["sha256:form01"], submitted_on=submitted_on))


async def test_a_dossier_submitted_today_pins_qd26_and_one_handed_in_on_21_may_keeps_the_old_rulebook(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        new = TemporalJourney(env.client, task_queue, "J-QD26-NEW")
        await _submitted(new)
        assert (await new.accept()).state.rulebook == "qd26-2026"

        kept = TemporalJourney(env.client, task_queue, "J-QD26-KEPT")
        await _submitted(kept, submitted_on=date(2026, 5, 21))
        state = (await kept.accept()).state
        assert (state.rulebook, state.submitted_on) == ("qd148-1489-2025", date(2026, 5, 21))
        # Its passage deadline (21 July 2026, 60 days after the cut-over) is long past: the journey
        # escalates by itself, and is not withdrawn.
        state = await eventually(kept, lambda s: "passage_completion" in s.deadlines)
        assert state.deadlines["passage_completion"].missed  # type: ignore[index]
        assert state.deadlines["passage_completion"].due == date(2026, 7, 21)  # type: ignore[index]
        assert state.status == Status.AWAITING_ROUND
        events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id="J-QD26-KEPT"))
        # The escalation is recorded by the system, once (later timers may add events after it while
        # the time-skipping server runs ahead, as it did on a loaded CI machine).
        missed = [
            (event.data["deadline"], event.metadata.actor.role)
            for event in events
            if event.type == "deadline_missed" and event.data.get("deadline") == "passage_completion"
        ]
        assert missed == [("passage_completion", "system")], [event.type for event in events]
        await assert_log_matches(store_pool, kept)
        await assert_log_matches(store_pool, new)
        await kept.save_history("qd26_passage_deadline_missed")


async def test_a_qd26_potential_five_star_is_approved_without_a_certificate_then_raised_centrally(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-QD26-5STAR")
        await _submitted(driver)
        await driver.accept()
        state = await evaluate(
            driver,
            PROVINCE_COUNCIL,
            "R-P1",
            ["92", "93", "91", "94", "92", "90", "95", "92"],
            PROVINCIAL_OFFICER,
        )
        assert (state.results[-1].mean, state.results[-1].outcome) == (
            Decimal("92.38"),
            Outcome.APPROVE_THEN_FORWARD,
        )
        assert (state.status, state.certificate) == (Status.AWAITING_APPROVAL, None)
        approval = ApproveResult(actor=AUTHORITY, decision_number="QĐ-PD", decision_date=await today(env))
        receipt = await driver.do(approval)
        assert receipt.event_types == ["result_approved"]
        assert (receipt.state.status, receipt.state.level, receipt.state.stars) == (
            Status.AWAITING_ROUND,
            Level.CENTRAL,
            None,
        )
        await evaluate(driver, CENTRAL_COUNCIL, "R-TW1", ["91", "92", "90", "93", "94"], CENTRAL_OFFICER)
        receipt = await driver.do(recognize(Level.CENTRAL, await today(env), "QĐ-TW"))
        assert receipt.event_types == ["recognized"]
        assert (receipt.state.status, receipt.state.stars) == (Status.CERTIFIED, 5)
        await assert_log_matches(store_pool, driver)
        await driver.save_history("qd26_potential_five_stars_approved_then_raised")


async def test_the_communes_15_working_days_run_across_tet_then_its_missing_report_escalates(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    """qd26-2026 Art. 7.2: the commune has 15 working days from receiving the dossier (Tết's days
    off do not count); on the day after, the missing report escalates to the commune's officer and
    the dossier stays with the commune (not withdrawn)."""
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        now_day = await today(env)
        tet = min(
            day
            for day, name in holidays.country_holidays("VN", years=[now_day.year, now_day.year + 1]).items()
            if "Lunar New Year" in name and day > now_day + timedelta(days=7)
        )
        start = tet - timedelta(days=5)
        while start.weekday() >= 5:
            start -= timedelta(days=1)
        await env.sleep(timedelta(days=(start - now_day).days))

        driver = TemporalJourney(env.client, task_queue, "J-TET-26")
        await driver.start(register(driver.journey_id))
        for command in intake_to_dossier()[:-1]:
            await driver.do(command)
        received_on = await today(env)
        dossier = SubmitDossier(actor=PRODUCER, documents=["sha256:form01"], product_set=FOOD_SET)
        deadline = (await driver.do(dossier)).state.deadlines[Deadline.COMMUNE_REPORT]
        assert deadline.due == add_working_days(received_on, 15)
        weekdays_only = received_on
        for _ in range(15):
            weekdays_only += timedelta(days=1)
            while weekdays_only.weekday() >= 5:
                weekdays_only += timedelta(days=1)
        assert deadline.due > weekdays_only + timedelta(days=3)  # Tết pushes it past a weekday count

        await env.sleep(timedelta(days=(deadline.due - received_on).days))
        assert not (await driver.state()).deadlines[Deadline.COMMUNE_REPORT].missed  # its day is allowed
        await env.sleep(timedelta(days=2))
        state = await eventually(driver, lambda s: s.deadlines[Deadline.COMMUNE_REPORT].missed)
        assert state.status == Status.DOSSIER_SUBMITTED
        assert state.deadlines[Deadline.COMMUNE_REPORT].due_from == "commune_officer"
        await assert_log_matches(store_pool, driver)
