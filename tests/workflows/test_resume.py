"""``ocop resume`` after Temporal's state is lost: journeys and a round run to several stages on one
time-skipping server, that server is shut down (its state gone with it), a fresh one is started
on the same log, and resume starts each open process's workflow from the log. The timers then fire
on the new server and the next steps are accepted; the resume itself records nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

import asyncpg
import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner, Result

from cli import app
from resume import resume
from schemas.commands import ImportCertified, ResubmitDossier, ReturnDossier
from schemas.events import Deadline
from schemas.journey import Status
from schemas.log import Actor
from schemas.round import EnrolJourney
from schemas.rulebook import Level
from settings import get_settings
from store import EventStore
from tests.factories import COMMUNE_OFFICER, DISTRICT_NAME, HAC_THANH, PRODUCER, PROVINCIAL_OFFICER, THANH_HOA
from tests.workflows.harness import TEST_SERVER, TemporalJourney, running_worker
from tests.workflows.rounds_harness import RoundDriver
from tests.workflows.test_round import (
    PROVINCE,
    appoint,
    awaiting_round,
    dossier_submitted,
    open_command,
    registration,
    today,
)
from worker import build_worker
from workflows.calendar import add_months, end_of_day

pytestmark = pytest.mark.usefixtures("fresh_settings_and_logging")


def ocop_resume(*args: str, url: str, temporal: str, task_queue: str) -> Result:
    get_settings.cache_clear()
    env = {
        "OCOP_DATABASE_URL": url,
        "TEMPORAL_ADDRESS": temporal,
        "OCOP_TASK_QUEUE": task_queue,
        "OCOP_LOG_LEVEL": "WARNING",
    }
    return CliRunner().invoke(app, ["resume", *args], env=env)


async def event_count(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM events"))


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("never happened")


def imported(journey_id: str, decided: date) -> ImportCertified:
    return ImportCertified(
        actor=Actor(id="admin-1", role="administrator"),
        journey_id=journey_id,
        producer_id=PRODUCER.id,
        product_name="Chè lam Phủ Quảng",
        product_group="food",
        province_code=THANH_HOA,
        commune_code=HAC_THANH,
        district=DISTRICT_NAME,
        rulebook_id="qd148-2023",
        level=Level.DISTRICT,
        stars=3,
        decision_number="QĐ 768/QĐ-UBND",
        decision_date=decided,
    )


async def test_resume_on_a_fresh_server_continues_timers_and_steps_and_records_nothing(
    store_pool: asyncpg.Pool, migrated_database_url: str
) -> None:
    store = EventStore(store_pool)
    await appoint(store, PROVINCE, "Hội đồng OCOP tỉnh Thanh Hóa", PROVINCIAL_OFFICER)

    # -- the first Temporal server: journeys and a round at several stages ----------------------
    first = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
    )
    try:
        async with running_worker(first.client, store_pool) as task_queue:
            day0 = await today(first)
            returned = TemporalJourney(first.client, task_queue, "J-RETURNED")  # lapses by itself
            resubmitting = TemporalJourney(first.client, task_queue, "J-RESUBMIT")  # its producer goes on
            for driver in (returned, resubmitting):
                await dossier_submitted(driver, registration(driver.journey_id, "Nem chua Hạc Thành"))
                await driver.do(ReturnDossier(actor=COMMUNE_OFFICER, missing_items=["Mẫu 02"]))
            lapse_due = (await returned.state()).deadlines[Deadline.DOSSIER_COMPLETION].due
            certified = TemporalJourney(first.client, task_queue, "J-CERT")
            # A certificate whose 36 months end in 50 days: the notice falls due in 20.
            await certified.start(imported("J-CERT", add_months(day0, -36) + timedelta(days=50)))
            waiting = TemporalJourney(first.client, task_queue, "J-WAIT")
            await awaiting_round(waiting, registration("J-WAIT", "Mật ong Như Xuân"))
            cut_off = day0 + timedelta(days=5)
            await RoundDriver(first.client, task_queue, "R-1").open(
                open_command("R-1", "Đợt 1", PROVINCE, cut_off, day0 + timedelta(days=9))
            )
            states = {d.journey_id: await d.state() for d in (returned, resubmitting, certified, waiting)}
    finally:
        await first.shutdown()  # the Temporal server and everything it knew are gone
    recorded = await event_count(store_pool)

    # -- a fresh server: nothing runs there; resume starts each open process from the log -------
    second = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
    )
    try:
        address = second.client.service_client.config.target_host
        listed = await asyncio.to_thread(
            ocop_resume, "--dry-run", url=migrated_database_url, temporal=address, task_queue=task_queue
        )
        assert listed.exit_code == 0, listed.output
        would = [line for line in listed.stdout.splitlines() if line.startswith("would start")]
        assert len(would) == 5, listed.stdout
        for name in ("journey J-RETURNED (DOSSIER_RETURNED", "journey J-CERT (CERTIFIED", "round R-1 (open"):
            assert any(name in line for line in would), listed.stdout
        assert "0 running, 5 to start (dry run)" in listed.stdout

        started = await asyncio.to_thread(
            ocop_resume, url=migrated_database_url, temporal=address, task_queue=task_queue
        )
        assert started.exit_code == 0, started.output
        assert "open in the log: 5 (journeys and rounds); 0 running, 5 started" in started.stdout
        again = await resume(store, second.client, task_queue)
        assert (len(again.started), len(again.running)) == (0, 5)  # idempotent
        assert await event_count(store_pool) == recorded  # resume recorded nothing

        async with build_worker(second.client, store_pool, task_queue):
            drivers = {
                journey_id: TemporalJourney(second.client, task_queue, journey_id) for journey_id in states
            }
            for journey_id, driver in drivers.items():
                assert await driver.state() == states[journey_id]  # the very state the lost run had
            assert await event_count(store_pool) == recorded

            # The next steps are accepted: the round enrols a product (the journey's own update, on
            # its resumed workflow), a producer completes the returned dossier.
            round_driver = RoundDriver(second.client, task_queue, "R-1")
            enrolled = await round_driver.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J-WAIT"))
            assert enrolled.event_types == ["journey_enrolled"]
            assert (await drivers["J-WAIT"].state()).status == Status.IN_EVALUATION
            resubmitted = await drivers["J-RESUBMIT"].do(
                ResubmitDossier(actor=PRODUCER, documents=["sha256:form02-b"])
            )
            assert resubmitted.state.status == Status.DOSSIER_SUBMITTED

            # The timers fire on the new server: the cut-off, the expiry notice, the lapse, the expiry.
            await second.sleep(end_of_day(cut_off) - await second.get_current_time() + timedelta(hours=1))

            async def enrolment_closed() -> bool:
                return not (await round_driver.state()).enrolment_open

            await eventually(enrolment_closed)
            await second.sleep(timedelta(days=30))
            await eventually(lambda: _notice_sent(drivers["J-CERT"]))
            assert lapse_due < (await second.get_current_time()).date()
            lapsed = await drivers["J-RETURNED"].handle.result()
            assert lapsed is not None
            assert lapsed.status == Status.WITHDRAWN
            await second.sleep(timedelta(days=25))
            expired = await drivers["J-CERT"].handle.result()
            assert expired is not None
            assert expired.status == Status.EXPIRED
    finally:
        await second.shutdown()


async def _notice_sent(driver: TemporalJourney) -> bool:
    # Under qd26-2026 the re-evaluation window's notices (T−180, T−120) replace the 30-day notice
    # for a certificate whose window opens from 22 May 2026 on (ocop.md §7; both past here).
    state = await driver.state()
    window = state.re_evaluation_window
    return state.expiry_notice_sent or (window is not None and window.closed)
