"""The national round calendar (qd26-2026 Art. 5) on Temporal's time-skipping server with a real
PostgreSQL log: a provincial round opened without a cut-off takes the calendar's, closes enrolment
at it, and escalates (``deadline_missed`` on the round) when its results are not published by the
calendar's end date — not a moment before; the council can still close and publish afterwards."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from datetime import timedelta

import asyncpg
from temporalio.testing import WorkflowEnvironment

from schemas.log import StreamRef
from schemas.round import CloseRound, OpenRound, PublishResults, RoundState, RoundStatus
from schemas.rulebooks import CURRENT
from store import EventStore
from tests.factories import PROVINCIAL_OFFICER
from tests.workflows.harness import REPLAY_DIR, running_worker
from tests.workflows.rounds_harness import RoundDriver, refused
from tests.workflows.test_re_evaluation_journey import _sleep_until
from tests.workflows.test_round import PROVINCE, appoint, today


async def _until(driver: RoundDriver, done: Callable[[RoundState], bool]) -> RoundState:
    for _ in range(200):
        state = await driver.state()
        if done(state):
            return state
        await asyncio.sleep(0.05)
    raise AssertionError("the round's timer did not fire")


async def test_a_round_without_a_cut_off_takes_the_calendars_and_escalates_unpublished_results(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    store = EventStore(store_pool)
    await appoint(store, PROVINCE, "Hội đồng OCOP tỉnh Thanh Hóa", PROVINCIAL_OFFICER)
    async with running_worker(env.client, store_pool) as task_queue:
        day0 = await today(env)
        calendar = CURRENT.in_force(day0).calendar_round(PROVINCE.level, day0)
        assert calendar is not None, "the test runs while qd26-2026 is in force"
        cut_off, ends = calendar
        driver = RoundDriver(env.client, task_queue, "R-CAL-1")
        opened = await driver.open(
            OpenRound(
                actor=PROVINCIAL_OFFICER,
                round_id="R-CAL-1",
                name="Đợt theo lịch",
                council_id=PROVINCE.council_id,
                meeting_date=cut_off + timedelta(days=10),
            )
        )
        assert (opened.state.cut_off, opened.state.results_due) == (cut_off, ends)
        assert (cut_off.month, cut_off.day) in {(4, 30), (10, 30)}  # provincial rounds 1 and 2

        await _sleep_until(env, cut_off + timedelta(days=1), after=timedelta(hours=1))
        await _until(driver, lambda s: not s.enrolment_open)
        await driver.do(CloseRound(actor=PROVINCIAL_OFFICER))

        # The end date's last hour: not yet overdue.
        await _sleep_until(env, ends, after=timedelta(hours=23))
        assert not (await driver.state()).results_overdue
        await env.sleep(timedelta(hours=2))
        state = await _until(driver, lambda s: s.results_overdue)
        assert state.status == RoundStatus.CLOSED

        published = await driver.do(PublishResults(actor=PROVINCIAL_OFFICER))
        assert published.state.status == RoundStatus.RESULTS_PUBLISHED
        await driver.handle.result()
        events = await store.read_stream(StreamRef(type="round", id="R-CAL-1"))
        assert [event.type for event in events] == [
            "round_opened",
            "enrolment_closed",
            "round_closed",
            "deadline_missed",
            "results_published",
        ]
        assert events[0].data["cut_off"] == cut_off.isoformat()
        assert events[0].data["results_due"] == ends.isoformat()
        assert events[3].data == {
            "deadline": "results_publication",
            "due": ends.isoformat(),
            "due_from": "provincial_officer",
        }
        if os.environ.get("OCOP_RECORD_HISTORIES") == "1":
            history = await driver.handle.fetch_history()
            (REPLAY_DIR / "round_calendar_results_overdue_then_published.json").write_text(
                json.dumps(json.loads(history.to_json()), indent=1) + "\n", encoding="utf-8"
            )


async def test_a_council_whose_regulation_provides_for_no_extra_rounds_opens_calendar_rounds_only(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    # Art. 5: extra rounds only where the council's regulation (Quy chế hoạt động) provides for them.
    env = time_skipping
    store = EventStore(store_pool)
    roster = PROVINCE.model_copy(update={"council_id": "HD-TH-LICH"})
    await appoint(
        store, roster, "Hội đồng theo lịch", PROVINCIAL_OFFICER, extra_rounds_allowed=False
    )
    async with running_worker(env.client, store_pool) as task_queue:
        day0 = await today(env)
        calendar = CURRENT.in_force(day0).calendar_round(roster.level, day0)
        assert calendar is not None, "the test runs while qd26-2026 is in force"
        cut_off, _ = calendar
        extra = day0 + timedelta(days=3)
        assert extra != cut_off
        driver = RoundDriver(env.client, task_queue, "R-EXTRA-1")
        command = OpenRound(
            actor=PROVINCIAL_OFFICER,
            round_id="R-EXTRA-1",
            name="Đợt bổ sung",
            council_id=roster.council_id,
            cut_off=extra,
            meeting_date=extra + timedelta(days=2),
        )
        cause = await refused(driver.open(command), "InvalidCommand")
        assert "30/" not in cause.message  # the API's English message names ISO dates
        assert cut_off.isoformat() in cause.message
        assert await store.read_stream(StreamRef(type="round", id="R-EXTRA-1")) == []
        # The calendar's round opens on the same council.
        on_calendar = RoundDriver(env.client, task_queue, "R-EXTRA-2")
        opened = await on_calendar.open(
            command.model_copy(
                update={
                    "round_id": "R-EXTRA-2",
                    "cut_off": cut_off,
                    "meeting_date": cut_off + timedelta(days=5),
                }
            )
        )
        assert opened.state.cut_off == cut_off
