"""Drive journeys through Temporal the way the API does: start the workflow, then one update a step."""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import asyncpg
from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy

from schemas.commands import (
    JOURNEY_ACTIONS,
    Command,
    ImportCertified,
    RegisterIdea,
    SubmitScorecard,
    update_name,
)
from schemas.journey import CommandReceipt, JourneyState
from schemas.rulebooks import CURRENT, get_rulebook
from tests.factories import accept, advice_before_council
from worker import build_worker
from workflows.ids import journey_workflow_id
from workflows.journey import JourneyStart, ProductJourney

BIN = Path(sys.executable).parent
TEST_SERVER = BIN / "temporal-test-server"
DEV_SERVER = BIN / "temporal"
REPLAY_DIR = Path(__file__).resolve().parent.parent / "replay"

ACTION_OF: dict[type[Command], str] = {command: action for action, command in JOURNEY_ACTIONS.items()}


@asynccontextmanager
async def running_worker(client: Client, pool: asyncpg.Pool) -> AsyncIterator[str]:
    """A worker on a task queue of its own; yields the task queue."""
    task_queue = f"test-{uuid.uuid4().hex[:8]}"
    async with build_worker(client, pool, task_queue):
        yield task_queue


class TemporalJourney:
    """One journey, advanced step by step through Temporal updates (the pure driver, which runs
    ``decide`` and ``evolve`` without Temporal, is tests.factories.JourneyDriver)."""

    def __init__(self, client: Client, task_queue: str, journey_id: str) -> None:
        self.client = client
        self.task_queue = task_queue
        self.journey_id = journey_id
        self.handle: WorkflowHandle[ProductJourney, JourneyState | None] = client.get_workflow_handle_for(
            ProductJourney.run, journey_workflow_id(journey_id)
        )

    async def start(
        self, register: RegisterIdea | ImportCertified, update_id: str | None = None
    ) -> CommandReceipt:
        self.handle = await self.client.start_workflow(
            ProductJourney.run,
            JourneyStart(journey_id=self.journey_id),
            id=journey_workflow_id(self.journey_id),
            task_queue=self.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
        return await self.do(register, update_id)

    async def do(
        self, command: Command, update_id: str | None = None, *, advise: bool = True
    ) -> CommandReceipt:
        """Run one step; ``update_id`` plays the HTTP Idempotency-Key. Before a scorecard the
        advisory team's review the rulebook asks for is recorded first, as the agency does before
        its council meets (``advise``; False to see the council refused without it)."""
        if advise and isinstance(command, SubmitScorecard):
            await self.advise()
        receipt: CommandReceipt = await self.handle.execute_update(
            update_name(ACTION_OF[type(command)]),
            command,
            id=update_id or str(uuid.uuid4()),
            result_type=CommandReceipt,
        )
        return receipt

    async def accept(
        self,
        accepted_on: date | None = None,
        report: str | None = "sha256:commune-report",
        update_id: str | None = None,
    ) -> CommandReceipt:
        """The commune accepts the dossier, with what the rulebook it pins requires of the acceptance
        (qd26-2026: the Mẫu 03 assessment and the proposal). The pinned rulebook is judged on the
        acceptance day, or else the submission day (a test accepts within the commune's 15 days)."""
        state = await self.state()
        day = accepted_on or state.submitted_on
        review = day is not None and bool(CURRENT.for_dossier(state.submitted_on, day).acceptance_requires)
        return await self.do(accept(accepted_on, report, review=review), update_id)

    async def advise(self) -> JourneyState:
        """The advisory team's steps the pinned rulebook puts before the council at the journey's
        level (qd26-2026 Art. 7.3.c: its review), recorded by the level's agency if not yet; the
        journey's state after them."""
        state = await self.state()
        for command in advice_before_council(state, get_rulebook(state.rulebook)):
            state = (await self.do(command)).state
        return state

    async def state(self) -> JourneyState:
        state = await self.handle.query(ProductJourney.state)
        assert state is not None
        return state

    async def save_history(self, name: str) -> None:
        """With OCOP_RECORD_HISTORIES=1, keep the workflow history for the replay test."""
        if os.environ.get("OCOP_RECORD_HISTORIES") != "1":
            return
        history = await self.handle.fetch_history()
        REPLAY_DIR.mkdir(exist_ok=True)
        (REPLAY_DIR / f"{name}.json").write_text(
            json.dumps(json.loads(history.to_json()), indent=1) + "\n", encoding="utf-8"
        )
