"""Drive evaluation rounds like the API does: one update per round command."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterable

import pytest
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError

from rebuild import PROJECTIONS, RebuildReport, rebuild_read_models
from schemas.journey import JourneyState
from schemas.log import RecordedEvent, StreamRef
from schemas.round import OpenRound, RoundCommand, RoundReceipt, RoundState
from store import EventStore
from workflows.ids import journey_workflow_id, round_workflow_id
from workflows.journey import ProductJourney
from workflows.round import EvaluationRound, RoundStart

UPDATE_OF: dict[str, str] = {
    "OpenRound": "open_round",
    "EnrolJourney": "enrol_journey",
    "CloseRound": "close_round",
    "PublishResults": "publish_results",
}


class RoundDriver:
    def __init__(self, client: Client, task_queue: str, round_id: str) -> None:
        self.client = client
        self.task_queue = task_queue
        self.round_id = round_id
        self.handle: WorkflowHandle[EvaluationRound, RoundState | None] = client.get_workflow_handle_for(
            EvaluationRound.run, round_workflow_id(round_id)
        )

    async def open(self, command: OpenRound) -> RoundReceipt:
        self.handle = await self.client.start_workflow(
            EvaluationRound.run,
            RoundStart(round_id=self.round_id),
            id=round_workflow_id(self.round_id),
            task_queue=self.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
        return await self.do(command)

    async def do(self, command: RoundCommand, update_id: str | None = None) -> RoundReceipt:
        receipt: RoundReceipt = await self.handle.execute_update(
            UPDATE_OF[type(command).__name__],
            command,
            id=update_id or str(uuid.uuid4()),
            result_type=RoundReceipt,
        )
        return receipt

    async def state(self) -> RoundState:
        state = await self.handle.query(EvaluationRound.state)
        assert state is not None
        return state


# -- checks shared by the round tests ----------------------------------------------------------


async def refused(action: Awaitable[object], error_type: str) -> ApplicationError:
    """``action`` (an update) fails with the domain error ``error_type``, as the API would map it."""
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await action
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError), cause
    assert cause.type == error_type, f"refused with {cause.type} ({cause.message}), expected {error_type}"
    return cause


async def versions(store: EventStore, *streams: tuple[str, str]) -> list[int]:
    """Stream versions of ``(type, id)`` streams, to show a refused step recorded nothing."""
    return [await store.stream_version(StreamRef(type=kind, id=ident)) for kind, ident in streams]


async def round_state_when(
    driver: RoundDriver, predicate: Callable[[RoundState], bool], seconds: float = 10.0
) -> RoundState:
    """The round's state once ``predicate`` holds (a timer's step records through an activity)."""
    for _ in range(int(seconds / 0.05)):
        state = await driver.state()
        if predicate(state):
            return state
        await asyncio.sleep(0.05)
    raise AssertionError(f"the round never reached the expected state: {await driver.state()}")


def rounds_in_journey_log(events: list[RecordedEvent]) -> list[str]:
    """The rounds a journey's own log puts it in: each enrolment, and each round it was carried to."""
    return [
        str(event.data["round_id"] if event.type == "enrolled_in_round" else event.data["to_round"])
        for event in events
        if event.type in ("enrolled_in_round", "carried_over")
    ]


async def assert_rounds_and_journeys_agree(
    store: EventStore, client: Client, round_ids: Iterable[str], journey_ids: Iterable[str]
) -> None:
    """The round's list of journeys and the journeys' own record of their round never disagree.

    For every round: its read model equals its workflow's state, and lists exactly the journeys
    whose log enrolled them there or carried them there, once each. For every journey: its read
    model equals its workflow's state; the round it names now (``round_id``, its evaluation's
    round) lists it and did not carry it out; each of its council results names a round that lists
    it; each carry-over recorded by a round is recorded alike by the journey and the next round."""
    rounds: dict[str, RoundState] = {}
    for round_id in round_ids:
        stored = await store.get_read_model("round", round_id)
        assert stored is not None, round_id
        rounds[round_id] = RoundState.model_validate(stored)
        live = await RoundDriver(client, "", round_id).state()
        assert live == rounds[round_id], f"round {round_id}: workflow and read model differ"
        assert len(set(rounds[round_id].journeys)) == len(rounds[round_id].journeys), round_id
    listed_by_journeys: dict[str, set[str]] = {round_id: set() for round_id in rounds}
    for journey_id in journey_ids:
        events = await store.read_stream(StreamRef(type="journey", id=journey_id))
        stored = await store.get_read_model("journey", journey_id)
        assert stored is not None, journey_id
        journey = JourneyState.model_validate(stored)
        handle = client.get_workflow_handle_for(ProductJourney.run, journey_workflow_id(journey_id))
        assert await handle.query(ProductJourney.state) == journey, (
            f"journey {journey_id}: workflow and read model differ"
        )
        in_log = rounds_in_journey_log(events)
        assert len(in_log) == len(set(in_log)), f"{journey_id} entered a round twice: {in_log}"
        for round_id in in_log:
            assert round_id in rounds, f"{journey_id} names round {round_id}, which the test does not know"
            listed_by_journeys[round_id].add(journey_id)
        if journey.round_id is not None:
            current = rounds[journey.round_id]
            assert journey_id in current.journeys, journey_id
            assert journey_id not in current.carried_out, journey_id
        if journey.evaluation is not None:
            assert journey.evaluation.round_id == journey.round_id, journey_id
        for result in journey.results:
            assert journey_id in rounds[result.round_id].journeys, (journey_id, result.round_id)
            assert journey_id not in rounds[result.round_id].carried_out, (journey_id, result.round_id)
        carried = [
            (str(event.data["from_round"]), str(event.data["to_round"]))
            for event in events
            if event.type == "carried_over"
        ]
        for from_round, to_round in carried:
            assert rounds[from_round].carried_out.get(journey_id) == to_round, (journey_id, from_round)
            assert rounds[to_round].carried_in.get(journey_id) == from_round, (journey_id, to_round)
    for round_id, state in rounds.items():
        assert set(state.journeys) == listed_by_journeys[round_id], (
            f"round {round_id} lists {sorted(state.journeys)}, its journeys name it in "
            f"{sorted(listed_by_journeys[round_id])}"
        )
        for journey_id, to_round in state.carried_out.items():
            assert rounds[to_round].carried_in.get(journey_id) == round_id, (journey_id, round_id)


async def assert_rebuild_reproduces_every_read_model(store: EventStore) -> RebuildReport:
    """``rebuild_read_models`` folds the log into exactly the stored read models, of every kind."""
    report = await rebuild_read_models(store, write=False)
    assert report.differing == [], report.differing
    for kind, projection in PROJECTIONS.items():
        stored = await store.list_read_models(kind, limit=10_000)
        assert report.read_models.get(kind, 0) == len(stored), (kind, report.read_models)
        for model in stored:
            state = None
            for event in await store.read_stream(StreamRef(type=kind, id=model.id)):
                state = projection.fold(state, event.type, event.data, event.recorded_at)
            assert state is not None, f"{kind}:{model.id} has no events"
            folded = state.model_dump(mode="json")
            assert folded == model.state, f"{kind}:{model.id} differs from its log"
            assert model.version == folded["version"], f"{kind}:{model.id}"
    return report
