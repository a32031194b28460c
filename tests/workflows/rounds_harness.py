"""Drive evaluation rounds like the API does: one update per round command."""

from __future__ import annotations

import uuid

from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy

from schemas.round import OpenRound, RoundCommand, RoundReceipt, RoundState
from workflows.ids import round_workflow_id
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
