"""A new journey's steps are appended by a local activity (workflows/journey.py, LOCAL_RECORDING).

The server then neither schedules nor records an activity task (with its whole input, the prior
state and every scorecard) for a step: it is what halved the Temporal server's CPU of an import
(bench/national.py, issue 22). Histories recorded before the patch, with the recording as an
activity task, still replay (tests/replay/, test_replay.py); the ones recorded with it are kept as
``*_recorded_locally.json``."""

from __future__ import annotations

import asyncpg
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from tests.factories import intake_to_dossier, register
from tests.workflows.harness import REPLAY_DIR, TemporalJourney, running_worker
from tests.workflows.test_journey import assert_log_matches


async def test_a_new_journeys_steps_are_recorded_without_an_activity_task(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-LOCAL-1")
        await driver.start(register(driver.journey_id))
        *first, last = intake_to_dossier()
        for command in first:
            await driver.do(command)
        # A retried update (an HTTP retry) is answered with the first one's receipt, recorded once.
        once = await driver.do(last, update_id="submit-twice")
        again = await driver.do(last, update_id="submit-twice")
        assert again.event_ids == once.event_ids

        history = await driver.handle.fetch_history()
        scheduled = [
            event.activity_task_scheduled_event_attributes.activity_type.name
            for event in history.events
            if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
        ]
        assert "record_journey_events" not in scheduled
        local = [
            event
            for event in history.events
            if event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
            and event.marker_recorded_event_attributes.marker_name == "core_local_activity"
        ]
        assert len(local) == len(first) + 2  # the registration, the steps, the last one once
        await assert_log_matches(store_pool, driver)


def test_histories_recorded_with_the_local_recording_are_kept() -> None:
    # The replay test must cover the new path as well as the old one.
    kept = sorted(path.name for path in REPLAY_DIR.glob("*_recorded_locally.json"))
    assert len(kept) >= 2, kept
    for name in kept:
        assert '"core_local_activity"' in (REPLAY_DIR / name).read_text(encoding="utf-8"), name
