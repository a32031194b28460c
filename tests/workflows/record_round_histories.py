"""Record EvaluationRound histories for the replay test: ``python -m tests.workflows.record_round_histories``.

Runs three rounds of one provincial council on Temporal's time-skipping server with a real worker and
a fresh database, and writes each round's workflow history to ``tests/replay/round_*.json``. The
histories are committed and replayed by ``tests/workflows/test_replay.py``; re-run this only to add
histories (a change that breaks the old ones goes behind ``workflow.patched``, and they stay).
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from activities.direct import CouncilCommands
from schemas.commands import SubmitScorecard
from schemas.council import AppointCouncil, CouncilRoster
from schemas.round import CloseRound, EnrolJourney, OpenRound, PublishResults, RoundState
from store.db import create_pool
from store.events import EventStore
from store.migrations import migrate
from tests.conftest import create_database, drop_database
from tests.factories import (
    PROVINCIAL_OFFICER,
    council,
    finalize,
    intake_to_dossier,
    member,
    parts_for_total,
)
from tests.factories import register as registration
from tests.workflows.harness import REPLAY_DIR, TEST_SERVER, TemporalJourney, running_worker
from tests.workflows.rounds_harness import RoundDriver
from workflows.calendar import local_date

ROSTER = council()  # HD-TH-2025: m1 chair, m2 vice-chair, m3..m8 members, m9 secretary


async def _save(driver: RoundDriver, name: str) -> None:
    history = await driver.handle.fetch_history()
    path = REPLAY_DIR / f"{name}.json"
    path.write_text(json.dumps(json.loads(history.to_json()), indent=1) + "\n", encoding="utf-8")
    print(f"recorded {path} ({len(history.events)} events)")


async def _scored(
    journey: TemporalJourney, roster: CouncilRoster, totals: list[str], first_seat: int = 1
) -> None:
    for index, total in enumerate(totals, start=first_seat):
        await journey.do(
            SubmitScorecard(actor=member(roster.council_id, index), parts=parts_for_total(total))
        )


async def _until(driver: RoundDriver, enrolment_open: bool) -> RoundState:
    for _ in range(200):
        state = await driver.state()
        if state.enrolment_open == enrolment_open:
            return state
        await asyncio.sleep(0.05)
    raise AssertionError("the round's cut-off timer did not close enrolment")


async def record(env: WorkflowEnvironment, store: EventStore, task_queue: str) -> None:
    await CouncilCommands(store).handle(
        ROSTER.council_id,
        AppointCouncil(
            actor=PROVINCIAL_OFFICER,
            council_id=ROSTER.council_id,
            name="Hội đồng OCOP tỉnh Thanh Hóa",
            level=ROSTER.level,
            jurisdiction=ROSTER.jurisdiction,
            seats=ROSTER.seats,
            extra_rounds_allowed=True,  # rounds off the calendar (Art. 5)
        ),
        "appoint-HD-TH-2025",
    )
    journeys = {key: TemporalJourney(env.client, task_queue, key) for key in ("J-1", "J-2", "J-A", "J-B")}
    for key, journey in journeys.items():
        await journey.start(registration(key))
        for command in intake_to_dossier():
            await journey.do(command)
        await journey.accept()
    day0 = local_date(await env.get_current_time())

    def opening(round_id: str, name: str, cut_off: int, meeting: int) -> OpenRound:
        return OpenRound(
            actor=PROVINCIAL_OFFICER,
            round_id=round_id,
            name=name,
            council_id=ROSTER.council_id,
            cut_off=day0 + timedelta(days=cut_off),
            meeting_date=day0 + timedelta(days=meeting),
        )

    # 1. Opened, two products enrolled, both finalized, closed, results published.
    first = RoundDriver(env.client, task_queue, "R-2026-1")
    await first.open(opening("R-2026-1", "Đợt 1/2026", 5, 9))
    for key in ("J-1", "J-2"):
        await first.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id=key))
    await _scored(journeys["J-1"], ROSTER, ["82", "80", "81", "79", "83", "80", "78", "81"])
    await _scored(journeys["J-2"], ROSTER, ["64", "66", "65", "63", "67", "65", "64", "66"])
    for key in ("J-1", "J-2"):
        await journeys[key].do(finalize(ROSTER))
    await first.do(CloseRound(actor=PROVINCIAL_OFFICER))
    await first.do(PublishResults(actor=PROVINCIAL_OFFICER))
    await _save(first, "round_opened_enrolled_closed_published")

    # 2. The cut-off closes enrolment (the round's timer); closing carries the unfinished product
    #    to the council's next round, which takes it in; then the results are published.
    second = RoundDriver(env.client, task_queue, "R-2026-2")
    await second.open(opening("R-2026-2", "Đợt 2/2026", 3, 9))
    for key in ("J-A", "J-B"):
        await second.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id=key))
    await env.sleep(timedelta(days=4))
    await _until(second, enrolment_open=False)
    await _scored(journeys["J-A"], ROSTER, ["70", "72", "71", "73", "74"])  # 5 of 8: no quorum
    await _scored(journeys["J-B"], ROSTER, ["80"] * 8)
    await journeys["J-B"].do(finalize(ROSTER))
    third = RoundDriver(env.client, task_queue, "R-2026-3")
    await third.open(opening("R-2026-3", "Đợt 3/2026", 30, 35))
    await second.do(CloseRound(actor=PROVINCIAL_OFFICER, carry_over_to="R-2026-3"))
    await second.do(PublishResults(actor=PROVINCIAL_OFFICER))
    await _save(second, "round_cut_off_then_carry_over_and_publish")

    # 3. The next round: the carried product keeps its five scorecards; the other three members
    #    score it and it is finalized.
    await _scored(journeys["J-A"], ROSTER, ["72", "71", "70"], first_seat=6)
    await journeys["J-A"].do(finalize(ROSTER))
    await third.do(CloseRound(actor=PROVINCIAL_OFFICER))
    await third.do(PublishResults(actor=PROVINCIAL_OFFICER))
    await _save(third, "round_takes_a_carried_over_product_and_publishes")


async def main() -> None:
    name, url = await create_database()
    try:
        await migrate(url)
        pool = await create_pool(url, min_size=1, max_size=25)
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
        )
        try:
            async with running_worker(env.client, pool) as task_queue:
                await record(env, EventStore(pool), task_queue)
        finally:
            await env.shutdown()
            await pool.close()
    finally:
        await drop_database(name)


if __name__ == "__main__":
    asyncio.run(main())
