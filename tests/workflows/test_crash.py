"""A worker killed while a decision is being recorded loses nothing and records nothing twice.

Runs on the Temporal dev server with the worker in a separate process, killed with SIGKILL.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from temporalio.testing import WorkflowEnvironment

from schemas.commands import SubmitScorecard
from schemas.log import AppendReceipt, StreamRef
from schemas.scorecard import SHEETS
from store import EventStore, verify
from tests.factories import (
    PROVINCIAL_OFFICER,
    council,
    enrol,
    intake_to_dossier,
    member,
    register,
    set_of_group,
)
from tests.scoresheets import sheet_for_total
from tests.workflows.harness import TemporalJourney

ROSTER = council()
HERE = Path(__file__).resolve().parent


@contextmanager
def worker_process(
    env: WorkflowEnvironment, database_url: str, task_queue: str, **extra: str
) -> Iterator[subprocess.Popen[bytes]]:
    environment = {
        **os.environ,
        "OCOP_DATABASE_URL": database_url,
        "TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
        "OCOP_TASK_QUEUE": task_queue,
        **extra,
    }
    process = subprocess.Popen(
        [sys.executable, str(HERE / "crashing_worker.py")], env=environment, cwd=HERE.parent.parent
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


async def journey_in_evaluation(driver: TemporalJourney) -> None:
    await driver.start(register(driver.journey_id))
    for command in intake_to_dossier():
        await driver.do(command)
    await driver.accept()
    await driver.do(enrol(ROSTER, "R-1", PROVINCIAL_OFFICER))


async def scorecards_in_log(store_pool: asyncpg.Pool, journey_id: str) -> list[str]:
    events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id=journey_id))
    assert (await verify(store_pool, StreamRef(type="journey", id=journey_id))).ok
    return [str(event.event_id) for event in events if event.type == "scorecard_submitted"]


async def wait_for(predicate_check: object, seconds: float = 30.0) -> None:
    for _ in range(int(seconds / 0.1)):
        if await predicate_check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)
    raise AssertionError("timed out")


# A whole sheet of the journey's set (qd26-2026 scores by option), worth 80.
SCORECARD = SubmitScorecard(
    actor=member("HD-TH-2025", 3),
    choices=sheet_for_total(SHEETS["qd26-2026"][set_of_group("food")], "80"),
)


async def test_worker_killed_before_the_decision_commits(
    dev_server: WorkflowEnvironment, store_pool: asyncpg.Pool, database_url: str
) -> None:
    task_queue = f"crash-{uuid.uuid4().hex[:8]}"
    driver = TemporalJourney(dev_server.client, task_queue, "J-CRASH-1")
    with worker_process(dev_server, database_url, task_queue) as first:
        await journey_in_evaluation(driver)
        # Hold the journey's stream head so that the recording activity blocks inside its append.
        blocker = await asyncpg.connect(database_url)
        transaction = blocker.transaction()
        await transaction.start()
        await blocker.execute("SELECT 1 FROM streams WHERE stream_id = $1 FOR UPDATE", "J-CRASH-1")
        update = asyncio.create_task(driver.do(SCORECARD, update_id=str(uuid.uuid4())))

        async def append_is_waiting() -> bool:
            waiting = await blocker.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            return bool(waiting)

        await wait_for(append_is_waiting)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        await transaction.rollback()
        await blocker.close()
        assert not update.done()

    with worker_process(dev_server, database_url, task_queue) as second:
        receipt = await asyncio.wait_for(update, timeout=90)
        recorded = await scorecards_in_log(store_pool, "J-CRASH-1")
        assert recorded == receipt.event_ids  # recorded once, and the caller got its receipt
        assert receipt.state.evaluation is not None
        assert list(receipt.state.evaluation.scorecards) == [SCORECARD.actor.id]
        second.send_signal(signal.SIGTERM)  # a graceful stop exits cleanly
        assert second.wait(timeout=30) == 0


async def test_worker_killed_after_the_decision_commits_but_before_temporal_knows(
    dev_server: WorkflowEnvironment, store_pool: asyncpg.Pool, database_url: str, tmp_path: Path
) -> None:
    task_queue = f"crash-{uuid.uuid4().hex[:8]}"
    marker = tmp_path / "committed.json"
    driver = TemporalJourney(dev_server.client, task_queue, "J-CRASH-2")
    with worker_process(dev_server, database_url, task_queue, CRASH_MARKER=str(marker)) as first:
        await journey_in_evaluation(driver)
        update = asyncio.create_task(driver.do(SCORECARD, update_id=str(uuid.uuid4())))

        async def committed() -> bool:
            return marker.exists() and marker.stat().st_size > 0

        await wait_for(committed)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    first_receipt = AppendReceipt.model_validate_json(marker.read_text(encoding="utf-8"))
    assert not update.done()

    with worker_process(dev_server, database_url, task_queue):
        receipt = await asyncio.wait_for(update, timeout=90)
    assert receipt.replayed  # the retried activity found its decision already recorded
    assert receipt.event_ids == [str(event_id) for event_id in first_receipt.event_ids]
    assert await scorecards_in_log(store_pool, "J-CRASH-2") == receipt.event_ids
