"""``ocop resume`` (tiếp tục từ nhật ký): start again, from the log, the workflows Temporal has lost.

The log is the record; Temporal only runs the process. Every journey and round that is open in the
log (its read model is not in a terminal state, and its state folded from its own stream agrees)
but has no running workflow in the connected namespace gets its workflow started with the state
folded from the log — the very input a workflow hands itself on continue-as-new (``JourneyStart`` /
``RoundStart`` with ``state``). The workflow then computes its timers (deadlines, expiry, the round's
cut-off) from that state, as it would have had it never stopped, and takes the next steps. Nothing
is written to the log: starting a workflow records nothing, and a timer already due when resumed
is taken at once, with the same idempotency key the lost run would have used.

Idempotent: a workflow that runs is left alone, so a second run starts nothing. This is also how
the engine moves from ``ocop dev``'s Temporal to a cluster: point TEMPORAL_ADDRESS at the cluster,
run ``ocop resume``, start the workers there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from schemas.events import parse_event
from schemas.journey import TERMINAL, JourneyState
from schemas.log import StreamRef
from schemas.round import ROUND_EVENT, RoundState, RoundStatus
from store import EventStore
from workflows.ids import journey_workflow_id, round_workflow_id
from workflows.journey import JourneyStart, ProductJourney
from workflows.lifecycle import evolve
from workflows.round import EvaluationRound, RoundStart
from workflows.round_rules import evolve_round

Kind = Literal["journey", "round"]


@dataclass(frozen=True)
class OpenProcess:
    """A journey or a round open in the log, and what its workflow is to start from."""

    kind: Kind
    id: str
    workflow_id: str
    status: str
    version: int
    state: JourneyState | RoundState

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status}, version {self.version}) -> workflow {self.workflow_id}"


@dataclass
class ResumeReport:
    open_in_log: int = 0
    running: list[OpenProcess] = field(default_factory=list)
    started: list[OpenProcess] = field(default_factory=list)
    to_start: list[OpenProcess] = field(default_factory=list)


async def _candidates(store: EventStore, kind: Kind, closed: list[str]) -> list[str]:
    """Ids whose read model is not in a closed status (the log decides below)."""
    rows = await store.pool.fetch(
        """SELECT id FROM read_models
           WHERE kind = $1 AND NOT (state ->> 'status' = ANY($2::text[])) ORDER BY id""",
        kind,
        closed,
    )
    return [str(row["id"]) for row in rows]


async def _journey(store: EventStore, journey_id: str) -> OpenProcess | None:
    state: JourneyState | None = None
    for event in await store.read_stream(StreamRef(type="journey", id=journey_id)):
        state = evolve(state, parse_event(event.type, event.data), event.recorded_at)
    if state is None or state.status in TERMINAL:
        return None
    return OpenProcess(
        "journey", journey_id, journey_workflow_id(journey_id), state.status.value, state.version, state
    )


async def _round(store: EventStore, round_id: str) -> OpenProcess | None:
    state: RoundState | None = None
    for event in await store.read_stream(StreamRef(type="round", id=round_id)):
        state = evolve_round(
            state, ROUND_EVENT.validate_python({**event.data, "type": event.type}), event.recorded_at
        )
    if state is None or state.status == RoundStatus.RESULTS_PUBLISHED:
        return None
    return OpenProcess(
        "round", round_id, round_workflow_id(round_id), state.status.value, state.version, state
    )


async def open_in_log(store: EventStore) -> list[OpenProcess]:
    """Every journey and round the log holds open, each with its state folded from its stream."""
    found: list[OpenProcess] = []
    for journey_id in await _candidates(store, "journey", [status.value for status in TERMINAL]):
        process = await _journey(store, journey_id)
        if process is not None:
            found.append(process)
    for round_id in await _candidates(store, "round", [RoundStatus.RESULTS_PUBLISHED.value]):
        process = await _round(store, round_id)
        if process is not None:
            found.append(process)
    return found


async def _is_running(client: Client, workflow_id: str) -> bool | None:
    """True: it runs; False: it ran and closed; None: the namespace never heard of it."""
    try:
        description = await client.get_workflow_handle(workflow_id).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
    return description.status == WorkflowExecutionStatus.RUNNING


async def _start(client: Client, process: OpenProcess, task_queue: str) -> bool:
    """Start the process's workflow from its folded state; False if one started meanwhile."""
    # A closed run of an open process was terminated or failed: a new run takes over (ALLOW_DUPLICATE);
    # a run that started since we looked is left alone (FAIL, then counted as running).
    try:
        if isinstance(process.state, JourneyState):
            await client.start_workflow(
                ProductJourney.run,
                JourneyStart(journey_id=process.id, state=process.state),
                id=process.workflow_id,
                task_queue=task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
                id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
            )
        else:
            await client.start_workflow(
                EvaluationRound.run,
                RoundStart(round_id=process.id, state=process.state),
                id=process.workflow_id,
                task_queue=task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
                id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
            )
    except WorkflowAlreadyStartedError:
        return False
    return True


async def resume(
    store: EventStore,
    client: Client,
    task_queue: str,
    *,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ResumeReport:
    """Start the workflow of every process open in the log that has none running (none with
    ``dry_run``: only list them)."""
    report = ResumeReport()
    processes = await open_in_log(store)
    report.open_in_log = len(processes)
    for process in processes:
        if await _is_running(client, process.workflow_id):
            report.running.append(process)
            continue
        report.to_start.append(process)
        if dry_run:
            continue
        if await _start(client, process, task_queue):
            report.started.append(process)
            if progress is not None:
                progress(f"started {process}")
        else:
            report.running.append(process)
    return report
