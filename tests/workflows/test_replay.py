"""Recorded journey histories must still replay: a change that would break running journeys fails.

The histories under tests/replay/ were recorded by the journey tests with OCOP_RECORD_HISTORIES=1.
A deliberate change of the command sequence goes behind ``workflow.patched`` and the old histories
stay here; re-record only to add new ones.
"""

from __future__ import annotations

import json

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from tests.workflows.harness import REPLAY_DIR
from worker import WORKFLOWS, workflow_runner

HISTORIES = {path.stem: path.read_text(encoding="utf-8") for path in sorted(REPLAY_DIR.glob("*.json"))}


def test_histories_are_committed() -> None:
    # The replay test below must never pass vacuously.
    assert len(HISTORIES) >= 6, HISTORIES


@pytest.mark.parametrize("name", sorted(HISTORIES))
async def test_recorded_history_replays(name: str) -> None:
    history = WorkflowHistory.from_json(f"replay-{name}", json.loads(HISTORIES[name]))
    replayer = Replayer(
        workflows=list(WORKFLOWS), data_converter=pydantic_data_converter, workflow_runner=workflow_runner()
    )
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
