"""A journey's first step starts its workflow in the same request (api.commands.start_journey,
update-with-start), on whichever Temporal server the tests run: the receipt names events that are
in the log, the same request sent again answers the same receipt, and a journey whose workflow has
closed is never started again — its step is answered from the log, or refused as closed."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from api.commands import start_journey
from api.engine import Engine
from api.errors import Conflict
from schemas.log import StreamRef
from settings import Settings
from store import EventStore
from tests.factories import register
from tests.workflows.harness import running_worker
from workflows.ids import journey_workflow_id


async def test_the_first_step_starts_the_journey_and_a_closed_journey_is_not_started_again(
    workflow_environment: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = workflow_environment
    async with running_worker(env.client, store_pool) as task_queue:
        engine = Engine(Settings(task_queue=task_queue), temporal_client=env.client, pool=store_pool)
        journey_id = f"J-START-{uuid.uuid4().hex[:6]}"
        key = uuid.uuid4()
        receipt = await start_journey(engine, journey_id, "register-idea", register(journey_id), key)
        assert receipt.event_types == ["idea_registered"]
        assert receipt.state.journey_id == journey_id
        events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id=journey_id))
        assert [str(event.event_id) for event in events] == receipt.event_ids
        again = await start_journey(engine, journey_id, "register-idea", register(journey_id), key)
        assert again.event_ids == receipt.event_ids

        handle = env.client.get_workflow_handle(journey_workflow_id(journey_id))
        history = await handle.fetch_history()
        started = [
            e for e in history.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
        ]
        assert len(started) == 1  # one run, started once

        await handle.terminate(reason="the test closes it")
        # The same request after the workflow closed: answered with the step it took.
        replayed = await start_journey(engine, journey_id, "register-idea", register(journey_id), key)
        assert replayed.event_ids == receipt.event_ids
        # Another request for the closed journey: refused, and no second run started.
        with pytest.raises(Conflict) as refused:
            await start_journey(engine, journey_id, "register-idea", register(journey_id), uuid.uuid4())
        assert refused.value.code == "JourneyClosed"
        described = await handle.describe()
        assert (
            described.run_id
            == history.events[0].workflow_execution_started_event_attributes.original_execution_run_id
        )
        await engine.close()
