"""Recorded histories must still replay: a change that would break running journeys or rounds fails.

The journey histories under tests/replay/ were recorded by the journey tests with
OCOP_RECORD_HISTORIES=1, the rounds' (``round_*.json``) by
``python -m tests.workflows.record_round_histories``.
A deliberate change of the command sequence goes behind ``workflow.patched`` and the old histories
stay here; re-record only to add new ones.
"""

from __future__ import annotations

import json
from collections import Counter

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


def _workflow_type(history: str) -> str:
    started = json.loads(history)["events"][0]["workflowExecutionStartedEventAttributes"]
    return str(started["workflowType"]["name"])


def test_histories_of_both_workflows_are_committed() -> None:
    # Rounds: opened, enrolled, closed by the cut-off timer, carried over, taken in, published.
    kinds = Counter(_workflow_type(history) for history in HISTORIES.values())
    assert kinds["ProductJourney"] >= 6, kinds
    assert kinds["EvaluationRound"] >= 3, kinds


@pytest.mark.parametrize("name", sorted(HISTORIES))
async def test_recorded_history_replays(name: str) -> None:
    history = WorkflowHistory.from_json(f"replay-{name}", json.loads(HISTORIES[name]))
    replayer = Replayer(
        workflows=list(WORKFLOWS), data_converter=pydantic_data_converter, workflow_runner=workflow_runner()
    )
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
