"""A graceful stop always exits cleanly: ``ocop worker`` stopped with SIGTERM under load, twenty
times in a row, exits 0 each time (never -6: Temporal's runtime threads aborting the interpreter's
teardown, temporalio/sdk-python issue 300), and so does ``ocop api``.

The race is rare (once in a full CI run), so each run also checks what removes it: once stopped and
flushed, the process leaves without the interpreter's teardown (an ``atexit`` hook the launcher
registers never runs). One Temporal dev server and one database serve the runs; journeys keep
being started and advanced through Temporal while each worker runs, so every SIGTERM meets work in
flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import socket
import sys
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from tests.factories import intake_to_dossier, register
from tests.workflows.harness import TemporalJourney

ROOT = Path(__file__).resolve().parent.parent
RUNS = 20
LOAD_LOOPS = 4
START_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0  # the worker drains for up to 15 s (worker.GRACEFUL_SHUTDOWN)


# ``python -m cli ARGS`` (the ``ocop`` command), with an atexit hook that says when the interpreter
# tears down: the teardown that Temporal's threads race.
LAUNCHER = (
    "import atexit, runpy, sys; "
    "atexit.register(lambda: print('interpreter_teardown', file=sys.stderr, flush=True)); "
    "sys.argv = ['ocop', *sys.argv[1:]]; "
    "runpy.run_module('cli', run_name='__main__', alter_sys=True)"
)
TEARDOWN = "interpreter_teardown"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def keep_journeys_moving(driver_of: TemporalJourney, stop: asyncio.Event) -> None:
    """Start journeys and take their first steps, one after another, until told to stop."""
    while not stop.is_set():
        driver = TemporalJourney(driver_of.client, driver_of.task_queue, f"J-EXIT-{uuid.uuid4().hex[:10]}")
        # A step whose worker was stopped waits for the next one; a refusal is no concern here.
        with contextlib.suppress(Exception):
            await driver.start(register(driver.journey_id))
            for command in intake_to_dossier():
                await driver.do(command)


async def events_recorded(pool: asyncpg.Pool) -> int:
    count: int = await pool.fetchval("SELECT count(*) FROM events")
    return count


@pytest.mark.slow
async def test_a_worker_stopped_with_sigterm_under_load_exits_0_twenty_times(
    dev_server: WorkflowEnvironment, store_pool: asyncpg.Pool, migrated_database_url: str, tmp_path: Path
) -> None:
    task_queue = f"exit-{uuid.uuid4().hex[:8]}"
    environment = {
        **os.environ,
        "OCOP_DATABASE_URL": migrated_database_url,
        "TEMPORAL_ADDRESS": dev_server.client.service_client.config.target_host,
        "OCOP_TASK_QUEUE": task_queue,
    }
    template = TemporalJourney(dev_server.client, task_queue, "unused")
    codes: list[int] = []
    timings: list[tuple[float, float]] = []
    for run in range(RUNS):
        log_path = tmp_path / f"worker-{run}.log"
        before = await events_recorded(store_pool)
        stop_load = asyncio.Event()
        # Fresh journeys for each worker (the steps left waiting on a stopped worker's sticky queue
        # reach a later worker once Temporal gives up on the stopped one).
        load = [asyncio.create_task(keep_journeys_moving(template, stop_load)) for _ in range(LOAD_LOOPS)]
        try:
            with log_path.open("wb") as log:
                launched = time.monotonic()
                process = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-c",
                    LAUNCHER,
                    "worker",
                    cwd=ROOT,
                    env=environment,
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                )
                # Under load: this worker has recorded decisions and more are on their way.
                deadline = launched + START_TIMEOUT
                while await events_recorded(store_pool) < before + 2:
                    if process.returncode is not None or time.monotonic() > deadline:
                        process.kill()
                        await process.wait()
                        pytest.fail(f"run {run}: the worker did no work\n{log_path.read_text()[-3000:]}")
                    await asyncio.sleep(0.05)
                await asyncio.sleep(random.uniform(0, 0.3))  # a moment before the stop
                stopped = time.monotonic()
                process.send_signal(signal.SIGTERM)
                try:
                    code = await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
                except TimeoutError:
                    process.kill()
                    await process.wait()
                    pytest.fail(f"run {run}: no exit {STOP_TIMEOUT} s after SIGTERM")
                timings.append((stopped - launched, time.monotonic() - stopped))
        finally:
            stop_load.set()
            for task in load:
                task.cancel()
            await asyncio.gather(*load, return_exceptions=True)
        output = log_path.read_text(errors="replace")
        assert code == 0, f"run {run}: exit {code}\n{output[-3000:]}"
        assert "Fatal Python error" not in output, output[-3000:]
        assert "worker_stopped" in output, output[-3000:]  # its logs were flushed before it left
        assert TEARDOWN not in output, f"run {run}: the interpreter tore down after the worker stopped"
        codes.append(code)
    assert codes == [0] * RUNS
    print("(start to stop, stop to exit) in seconds:", [(round(a, 1), round(b, 1)) for a, b in timings])


async def test_the_api_stopped_with_sigterm_exits_0_without_the_interpreters_teardown(
    dev_server: WorkflowEnvironment, migrated_database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    environment = {
        **os.environ,
        "OCOP_DATABASE_URL": migrated_database_url,
        "TEMPORAL_ADDRESS": dev_server.client.service_client.config.target_host,
    }
    log_path = tmp_path / "api.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            LAUNCHER,
            "api",
            "--port",
            str(port),
            cwd=ROOT,
            env=environment,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                with contextlib.suppress(httpx.TransportError):
                    # Its own start-up logged, so that the answer is not another server's.
                    if b"Application startup complete" in log_path.read_bytes() and (
                        (await http.get("/health")).status_code == 200
                    ):
                        break
                if process.returncode is not None or time.monotonic() > deadline:
                    process.kill()
                    await process.wait()
                    pytest.fail(f"the API did not start\n{log_path.read_text()[-3000:]}")
                await asyncio.sleep(0.1)
        if process.returncode is not None:  # another server answered on that port
            pytest.fail(f"the API exited with {process.returncode}\n{log_path.read_text()[-3000:]}")
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
    output = log_path.read_text(errors="replace")
    assert code == 0, output[-3000:]
    assert "Application shutdown complete" in output, output[-3000:]  # uvicorn's last log line
    assert TEARDOWN not in output
