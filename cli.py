"""The ``ocop`` command: run, migrate and audit the OCOP evaluation engine.

Each command is a thin shell over a package; shared helpers (database URL, running a coroutine
with a pool, turning store errors into exit codes) sit at the top. Exit codes: 0 success,
1 the check failed (or nothing found), 2 the command could not run (configuration, database).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, TypeVar

import asyncpg
import typer

import store
from rebuild import RebuildReport, rebuild_read_models
from schemas.log import RecordedEvent, StreamRef, VerificationReport
from settings import configure_logging, get_settings
from store.documents import DocumentsReport, verify_documents

T = TypeVar("T")

app = typer.Typer(
    name="ocop",
    help="OCOP evaluation engine: the decision log, its workflows and its audit tools.",
    no_args_is_help=True,
    add_completion=False,
)

# --- shared helpers ---------------------------------------------------------------------------

DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="PostgreSQL URL of the decision log; defaults to OCOP_DATABASE_URL.",
        show_default=False,
    ),
]


def _database_url(option: str | None) -> str:
    url = option or get_settings().database_url
    if not url:
        typer.echo("error: no database: set OCOP_DATABASE_URL or pass --database-url", err=True)
        raise typer.Exit(2)
    return url


def _run(work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine; store and database errors become a message and an exit code."""
    try:
        return asyncio.run(work)
    except store.StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    except (asyncpg.UndefinedTableError, asyncpg.UndefinedFunctionError) as exc:
        typer.echo(
            f"error: the decision log's schema is missing or old ({exc}): run `ocop migrate`", err=True
        )
        raise typer.Exit(2) from exc
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        typer.echo(f"error: cannot use the database: {exc}", err=True)
        raise typer.Exit(2) from exc


async def _with_pool(url: str, use: Callable[[asyncpg.Pool], Awaitable[T]]) -> T:
    pool = await store.create_pool(url, min_size=1, max_size=2)
    try:
        return await use(pool)
    finally:
        await pool.close()


def _stream(text: str) -> StreamRef:
    try:
        return StreamRef.parse(text)
    except ValueError as exc:
        raise typer.BadParameter(f"a stream is written type:id, e.g. journey:J-1 ({text!r})") from exc


def _instant(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"not an ISO date or time: {text!r}") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@app.callback()
def main() -> None:
    """OCOP evaluation engine."""
    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level, cache=False)


def _configure_long_running() -> None:
    """A server process (API, worker, notifier): its loggers may freeze their configuration."""
    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level, cache=True)


# --- decision log -----------------------------------------------------------------------------


@app.command()
def migrate(database_url: DatabaseUrlOption = None) -> None:
    """Create or upgrade the decision log's schema (safe to run again, or twice at once)."""
    applied = _run(store.migrate(_database_url(database_url)))
    for name in applied:
        typer.echo(f"applied {name}")
    if not applied:
        typer.echo("schema up to date")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _print_report(report: VerificationReport) -> None:
    counts = f"{_count(report.events_checked, 'event')} in {_count(report.streams_checked, 'stream')}"
    if report.ok:
        typer.echo(f"intact: {counts} verified")
        return
    typer.echo(f"BROKEN: {len(report.broken)} of {report.streams_checked} streams ({counts} checked)")
    for link in report.broken:
        typer.echo(f"  {link.stream} version {link.version}: {link.problem}")


@app.command()
def verify(
    stream: Annotated[
        str | None,
        typer.Argument(
            help="One stream, written type:id (e.g. journey:J-1); the whole log if omitted.",
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseUrlOption = None,
    documents: Annotated[
        bool,
        typer.Option(
            "--documents",
            help="Also check that every document the journeys cite is in the document store and "
            "matches its hash (erased ones are reported as erased, not missing).",
        ),
    ] = False,
) -> None:
    """Recompute the hash chains; exit 1 and name each broken link if the log was altered."""
    url = _database_url(database_url)
    ref = _stream(stream) if stream is not None else None

    async def check(pool: asyncpg.Pool) -> VerificationReport:
        return await (store.verify(pool, ref) if ref is not None else store.verify_all(pool))

    report = _run(_with_pool(url, check))
    _print_report(report)
    intact = report.ok
    if documents:
        root = get_settings().documents_root
        found = _run(_with_pool(url, lambda pool: verify_documents(pool, root)))
        _print_documents(found)
        intact = intact and found.ok
    if not intact:
        raise typer.Exit(1)


def _print_documents(report: DocumentsReport) -> None:
    verdict = "documents intact" if report.ok else "DOCUMENTS BROKEN"
    typer.echo(
        f"{verdict}: {_count(report.checked, 'cited document')}: {report.present} present and matching, "
        f"{len(report.erased)} erased, {len(report.missing)} missing, {len(report.corrupt)} not matching "
        f"their hash, {len(report.not_uploaded)} never uploaded (cited before the document store)"
    )
    for label, references in (
        ("missing", report.missing),
        ("not matching its hash", report.corrupt),
        ("erased on a legal request", report.erased),
    ):
        for reference in references:
            typer.echo(f"  {reference}: {label}")


def _history_table(events: list[RecordedEvent]) -> str:
    header = ("version", "position", "time (UTC)", "type", "actor", "authority", "reason", "hash")
    rows = [
        (
            str(e.version),
            str(e.position),
            e.recorded_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            e.type,
            f"{e.metadata.actor.id}/{e.metadata.actor.role}",
            e.metadata.authority or "-",
            e.metadata.reason or "-",
            e.hash[:12],
        )
        for e in events
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines)


@app.command()
def history(
    stream: Annotated[
        str, typer.Argument(help="The stream, written type:id (e.g. journey:J-1).", show_default=False)
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the events as a JSON array, one event a line.")
    ] = False,
    to_version: Annotated[
        int | None, typer.Option("--to-version", help="Stop at this version.", show_default=False)
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Only events recorded at or before this ISO time (UTC if no zone).",
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Show a stream's decisions: who decided what, when, for which body and why."""
    url = _database_url(database_url)
    ref = _stream(stream)
    moment = _instant(as_of)

    async def read(pool: asyncpg.Pool) -> list[RecordedEvent]:
        return await store.EventStore(pool).read_stream(ref, to_version=to_version, as_of=moment)

    events = _run(_with_pool(url, read))
    if as_json:
        # canonical_json keeps numbers exact (Decimal) where json.dumps would refuse or round them.
        typer.echo("[\n" + ",\n".join(store.canonical_json(e) for e in events) + "\n]" if events else "[]")
    elif events:
        typer.echo(_history_table(events))
    else:
        typer.echo(f"{ref} has no events", err=True)
    if not events:
        raise typer.Exit(1)


@app.command()
def rebuild(
    check: Annotated[
        bool, typer.Option("--check", help="Only report differences (exit 1 if any); write nothing.")
    ] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Recompute every read model (journeys, rounds, councils, plans) from the log; report differences."""
    url = _database_url(database_url)

    def progress(events: int) -> None:
        typer.echo(f"  read {events} events", err=True)

    async def run(pool: asyncpg.Pool) -> RebuildReport:
        return await rebuild_read_models(store.EventStore(pool), write=not check, progress=progress)

    report = _run(_with_pool(url, run))
    folded = ", ".join(_count(n, kind) for kind, n in sorted(report.read_models.items())) or "nothing"
    typer.echo(f"{folded} folded from {_count(report.events_read, 'event')}")
    for name in report.differing:
        typer.echo(f"  {name}: stored read model differed from the log" + ("" if check else "; rewritten"))
    if not report.differing:
        typer.echo("every read model matches the log")
    if check and report.differing:
        raise typer.Exit(1)


# --- operations: backup, restore, resume ------------------------------------------------------

DocumentsDirOption = Annotated[
    Path | None,
    typer.Option(
        "--documents-dir",
        help="The document store's directory; defaults to OCOP_DOCUMENTS_DIR (else <data dir>/documents).",
        show_default=False,
    ),
]


def _run_operation(work: Coroutine[Any, Any, T]) -> T:
    """Run a backup or restore: a damaged backup or a restore that differs is exit 1, anything
    that kept it from running (tools, a non-empty target) exit 2; other errors as ``_run``."""
    from store.backup import BackupCorrupt, BackupError, RestoreMismatch

    async def guarded() -> T | BackupError:
        try:
            return await work
        except BackupError as exc:
            return exc

    outcome = _run(guarded())
    if isinstance(outcome, BackupError):
        typer.echo(f"error: {outcome}", err=True)
        raise typer.Exit(1 if isinstance(outcome, BackupCorrupt | RestoreMismatch) else 2)
    return outcome


def _progress(line: str) -> None:
    typer.echo(line, err=True)


@app.command()
def backup(
    directory: Annotated[
        Path, typer.Argument(help="A new (or empty) directory to write the backup into.", show_default=False)
    ],
    database_url: DatabaseUrlOption = None,
    documents_dir: DocumentsDirOption = None,
) -> None:
    """Back up the decision log, its read models and the document store into DIR: a pg_dump of one
    snapshot, the documents (hashes checked) and manifest.json (versions, counts, every stream's
    chain head, every file's SHA-256). Safe while the engine runs."""
    from store.backup import backup as make_backup

    url = _database_url(database_url)
    root = documents_dir or get_settings().documents_root
    report = _run_operation(make_backup(url, root, directory, _progress))
    typer.echo(
        f"backed up {_count(report.events, 'event')} in {_count(report.streams, 'stream')} and "
        f"{_count(report.documents, 'document')} to {report.directory}"
    )


@app.command()
def restore(
    directory: Annotated[Path, typer.Argument(help="A backup written by `ocop backup`.", show_default=False)],
    database_url: DatabaseUrlOption = None,
    documents_dir: DocumentsDirOption = None,
) -> None:
    """Restore a backup into an EMPTY database and document store, then check them against the
    manifest (counts, chain heads, documents) and recompute every hash chain as `ocop verify` does.

    Exit 2 if the database has any table or the store any document; exit 1 if a file of the backup
    is damaged (it is named) or the restored engine differs from the manifest."""
    from store.backup import restore as run_restore

    url = _database_url(database_url)
    root = documents_dir or get_settings().documents_root
    report = _run_operation(run_restore(url, root, directory, _progress))
    typer.echo(
        f"restored {_count(report.events, 'event')} in {_count(report.streams, 'stream')} and "
        f"{_count(report.documents, 'document')}: every count and chain head matches the manifest, "
        f"every chain intact, {report.documents_report.present} cited documents present"
    )


@app.command()
def resume(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only list the workflows that would be started.")
    ] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Start, from the log, the workflow of every journey and round that is open in the log but has
    none running in the Temporal namespace (TEMPORAL_ADDRESS, OCOP_TEMPORAL_NAMESPACE): its timers
    and pending steps go on as before. Records nothing; a second run starts nothing. This is how the
    engine moves to a new Temporal server (from `ocop dev` to a cluster) or survives a lost one."""
    from resume import ResumeReport
    from resume import resume as run_resume
    from workflows.client import connect_temporal

    settings = get_settings()
    url = _database_url(database_url)

    async def go(pool: asyncpg.Pool) -> ResumeReport:
        client = await connect_temporal(settings)
        return await run_resume(
            store.EventStore(pool), client, settings.task_queue, dry_run=dry_run, progress=_progress
        )

    try:
        report = _run(_with_pool(url, go))
    except RuntimeError as exc:  # no TEMPORAL_ADDRESS, or Temporal does not answer
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if dry_run:
        for process in report.to_start:
            typer.echo(f"would start {process}")
    typer.echo(
        f"open in the log: {report.open_in_log} (journeys and rounds); {len(report.running)} running, "
        + (f"{len(report.to_start)} to start (dry run)" if dry_run else f"{len(report.started)} started")
    )


# --- running the engine -----------------------------------------------------------------------


@app.command()
def worker() -> None:
    """Run a worker: the journey workflows and the recording activities (stop with Ctrl-C/SIGTERM).

    Needs TEMPORAL_ADDRESS and OCOP_DATABASE_URL; applies migrations first."""
    from worker import leave_process, run_worker

    _configure_long_running()
    try:
        asyncio.run(run_worker(get_settings()))
    except RuntimeError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    leave_process(0)  # stopped and flushed: no interpreter teardown for Temporal's threads to race


@app.command()
def notifier(database_url: DatabaseUrlOption = None) -> None:
    """Run the notifier: turn the log's events into notices (the pages' inbox, and e-mail) until
    Ctrl-C/SIGTERM; applies migrations first.

    E-mail goes to OCOP_SMTP_HOST (port, TLS, sender: OCOP_SMTP_PORT, OCOP_SMTP_TLS, OCOP_MAIL_SENDER);
    without it, each message is written as a .eml file to OCOP_MAIL_DIR (default <data dir>/mail)."""
    from notifier.service import run as run_notifier

    _configure_long_running()
    settings = get_settings()
    url = _database_url(database_url)

    async def follow() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(stop_signal, stop.set)
        await store.migrate(url)
        await run_notifier(settings, url, stop)

    _run(follow())


def _stop_requested(signal_number: int, frame: FrameType | None) -> None:
    """SIGTERM/SIGINT outside uvicorn's own handling (before it serves, or raised again by it once
    it has shut down): the stop that was asked for, an exit with 0."""
    raise SystemExit(0)


@app.command()
def api(
    port: Annotated[
        int | None, typer.Option("--port", help="Port to listen on; defaults to OCOP_API_PORT (8000).")
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
) -> None:
    """Serve the HTTP API (uvicorn). Needs TEMPORAL_ADDRESS and OCOP_DATABASE_URL; /health says
    whether both answer."""
    import uvicorn

    from worker import leave_process

    _configure_long_running()
    settings = get_settings()
    # Once shut down, uvicorn raises the signal that stopped it again, for the handler that was
    # there before its own: this one turns it into an exit with 0 (below), where the default
    # handler would have the process killed by its own SIGTERM.
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, _stop_requested)
    # The app factory reads the same settings; our logging set-up renders uvicorn's records too.
    try:
        uvicorn.run(
            "api.app:create_served_app",
            factory=True,
            host=host,
            port=port or settings.api_port,
            log_config=None,
            access_log=False,
        )
    except SystemExit as exc:  # stopped (0), or uvicorn could not start (its exit code)
        leave_process(exc.code if isinstance(exc.code, int) else 1)
    # Served and shut down (the lifespan closed the engine's Temporal client and pool): leave
    # without the interpreter's teardown, as the worker does.
    leave_process(0)


@app.command()
def dev(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Where the embedded PostgreSQL, Temporal's state, logs and the lock live; defaults to "
            "OCOP_DATA_DIR (~/.local/share/ocop).",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option("--port", help="The API's port; defaults to OCOP_API_PORT (8000).", show_default=False),
    ] = None,
    temporal_port: Annotated[
        int, typer.Option("--temporal-port", help="The Temporal dev server's gRPC port (0: a free one).")
    ] = 7233,
    ui_port: Annotated[
        int | None,
        typer.Option(
            "--ui-port",
            help="The Temporal web UI's port (0: a free one); defaults to the Temporal port + 1000.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run the whole engine here: PostgreSQL, Temporal, the worker and the API (stop with Ctrl-C).

    PostgreSQL is embedded unless OCOP_DATABASE_URL is set, Temporal a dev server unless
    TEMPORAL_ADDRESS is set. The first start prints an administrator's token. Exit code 2: the data
    directory or a port is taken; 1: a part failed."""
    from devstack import DevOptions, run_dev

    settings = get_settings()
    options = DevOptions(
        data_dir=data_dir or settings.data_dir,
        api_port=settings.api_port if port is None else port,
        temporal_port=temporal_port,
        ui_port=ui_port,
    )
    raise typer.Exit(run_dev(settings, options))


@app.command()
def demo(
    api_url: Annotated[
        str | None,
        typer.Option(
            "--api",
            help="The running engine's API; defaults to OCOP_API_URL, else http://127.0.0.1:<OCOP_API_PORT>.",
            show_default=False,
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="An administrator's bearer token; defaults to OCOP_ADMIN_TOKEN.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Load a demonstration into a running engine, through its API: Thanh Hóa's plan, its people,
    a provincial council and a round of twelve products evaluated, two recognized. Prints the
    demo actors' tokens and where to look. Safe to run again (nothing is recorded twice)."""
    import logging

    import httpx

    from demo import DemoError, load_demo

    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request

    settings = get_settings()
    url = (api_url or settings.api_url or f"http://127.0.0.1:{settings.api_port}").rstrip("/")
    admin_token = token or settings.admin_token
    if not admin_token:
        typer.echo("error: give an administrator's token: --token or OCOP_ADMIN_TOKEN", err=True)
        raise typer.Exit(2)

    async def load() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60.0) as http:
            await load_demo(http, admin_token, typer.echo)

    typer.echo(f"ocop demo: loading into {url}")
    try:
        asyncio.run(load())
    except DemoError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    except httpx.HTTPError as exc:
        typer.echo(f"error: cannot reach the API at {url}: {exc}", err=True)
        raise typer.Exit(2) from exc


# --- actors of the API ------------------------------------------------------------------------

actor_app = typer.Typer(help="Actors of the HTTP API (who may call it).", no_args_is_help=True)
app.add_typer(actor_app, name="actor")


@actor_app.command("add")
def actor_add(
    role: Annotated[str, typer.Option("--role", help="producer, commune_officer, ..., administrator.")],
    jurisdiction: Annotated[
        str,
        typer.Option(
            "--jurisdiction",
            help="VN, a province code, a commune code or a district name (read by the role; prefix "
            "commune:, province: or district: to say which).",
        ),
    ],
    actor_id: Annotated[
        str | None,
        typer.Option("--id", help="The actor's id (as council rosters name it); a new UUID if omitted."),
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Create an actor and print its bearer token, once (this is how the first administrator is made)."""
    import re
    import uuid

    from api.access import parse_jurisdiction
    from schemas.api import ACTOR_ID_PATTERN
    from schemas.roles import Role
    from store.actors import ActorStore

    url = _database_url(database_url)
    try:
        parsed_role = Role(role)
        place = parse_jurisdiction(parsed_role, jurisdiction)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    new_id = actor_id or str(uuid.uuid4())
    if not re.match(ACTOR_ID_PATTERN, new_id):
        raise typer.BadParameter(
            f"an actor id is letters, digits and . _ : @ - (at most 100), not {new_id!r}"
        )

    async def add(pool: asyncpg.Pool) -> str:
        _, token = await ActorStore(pool).add(new_id, parsed_role.value, place.kind.value, place.value)
        return token

    token = _run(_with_pool(url, add))
    typer.echo(f"actor {new_id}: {parsed_role.value}, {place.kind.value} {place.value}", err=True)
    typer.echo("token (shown once; only its SHA-256 is kept):", err=True)
    typer.echo(token)


ActorIdArgument = Annotated[str, typer.Argument(help="The actor's id.", show_default=False)]


def _account_change(url: str, change: Callable[[Any], Awaitable[T]]) -> T:
    """Run one change of ``store.accounts`` (recorded on the actor's stream as decided by the
    command line); a refusal or an unknown actor (store errors) is exit 1 with its reason."""
    from store.accounts import AccountStore

    async def run(pool: asyncpg.Pool) -> T:
        return await change(AccountStore(pool))

    return _run(_with_pool(url, run))


def _cli_actor() -> Any:
    from schemas.log import Actor

    # Who decided, in the log: the operator at the command line (no personal data).
    return Actor(id="ocop-cli", role="system")


@actor_app.command("deactivate")
def actor_deactivate(actor_id: ActorIdArgument, database_url: DatabaseUrlOption = None) -> None:
    """Stop an actor: its token and its open page sessions are refused from the next request."""
    import uuid

    url = _database_url(database_url)
    _account_change(url, lambda accounts: accounts.deactivate(actor_id, _cli_actor(), str(uuid.uuid4())))
    typer.echo(f"actor {actor_id} deactivated", err=True)


@actor_app.command("reactivate")
def actor_reactivate(actor_id: ActorIdArgument, database_url: DatabaseUrlOption = None) -> None:
    """Let a deactivated actor act again (its token works again if it has not expired)."""
    import uuid

    url = _database_url(database_url)
    _account_change(url, lambda accounts: accounts.reactivate(actor_id, _cli_actor(), str(uuid.uuid4())))
    typer.echo(f"actor {actor_id} reactivated", err=True)


@actor_app.command("rotate-token")
def actor_rotate_token(actor_id: ActorIdArgument, database_url: DatabaseUrlOption = None) -> None:
    """Give an actor a new bearer token and print it, once; the old token is refused at once."""
    import uuid

    url = _database_url(database_url)
    _, token = _account_change(
        url, lambda accounts: accounts.rotate_token(actor_id, _cli_actor(), str(uuid.uuid4()))
    )
    lifetime = get_settings().token_lifetime_days
    typer.echo(
        f"actor {actor_id}: new token, valid {lifetime} days (shown once; only its SHA-256 is kept):",
        err=True,
    )
    typer.echo(token)


@actor_app.command("set-password")
def actor_set_password(
    actor_id: ActorIdArgument,
    user_name: Annotated[
        str | None,
        typer.Option(
            "--user-name", help="Give the actor a page sign-in with this user name (first time only)."
        ),
    ] = None,
    clear_second_factor: Annotated[
        bool, typer.Option("--clear-second-factor", help="Also remove the TOTP second factor (a lost phone).")
    ] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Print a first password, once: for a new page sign-in (with --user-name) or as a reset of
    an existing one (which also lifts a lock-out and ends open sessions). It must be changed at
    the next sign-in."""
    import uuid

    from store.accounts import AccountStore

    url = _database_url(database_url)

    async def change(accounts: AccountStore) -> tuple[Any, str | None]:
        key = str(uuid.uuid4())
        if await accounts.signs_in(actor_id):
            if user_name is not None:
                raise typer.BadParameter("the actor has a sign-in already: leave out --user-name to reset it")
            return await accounts.reset_password(
                actor_id, _cli_actor(), key, clear_second_factor=clear_second_factor
            )
        if user_name is None:
            raise typer.BadParameter("the actor has no sign-in yet: give it one with --user-name")
        return await accounts.open_sign_in(actor_id, user_name, _cli_actor(), key)

    _, password = _account_change(url, change)
    typer.echo(f"actor {actor_id}: first password (shown once; changed at the next sign-in):", err=True)
    typer.echo(password)


@actor_app.command("link-contact")
def actor_link_contact(
    actor_id: ActorIdArgument,
    email: Annotated[str | None, typer.Option("--email", help="Where their notices' e-mails go.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Their name, as the pages show it.")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Their phone number.")] = None,
    party: Annotated[
        str | None, typer.Option("--party", help="A party already recorded (its id), instead of the details.")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="vi or en: the language of their e-mails.")
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Send an actor's notices to their contact details (a new party, or --party), their e-mails in
    --language; recorded on the actor's stream as contact_linked (the party's id only)."""
    import uuid

    from pydantic import ValidationError

    from schemas.accounts import LinkContact
    from store.accounts import AccountStore
    from store.parties import PartyStore

    try:
        body = LinkContact.model_validate(
            {"party_id": party, "display_name": name, "email": email, "phone": phone, "language": language}
        )
    except ValidationError as exc:
        raise typer.BadParameter("; ".join(error["msg"] for error in exc.errors())) from None
    url = _database_url(database_url)

    async def change(accounts: AccountStore) -> uuid.UUID:
        record = await accounts.actor(actor_id)
        if record is None:
            raise typer.BadParameter(f"no actor {actor_id!r}")
        party_id = body.party_id or await PartyStore(accounts.pool).add(
            record.role, display_name=body.display_name, email=body.email, phone=body.phone
        )
        await accounts.link_contact(actor_id, party_id, body.language, _cli_actor(), str(uuid.uuid4()))
        return party_id

    party_id = _account_change(url, change)
    typer.echo(f"actor {actor_id}: notices go to party {party_id} ({body.language or 'default language'})")


# --- producers (chủ thể OCOP) and the stock import ------------------------------------------------

producers_app = typer.Typer(help="Producer organisations (chủ thể OCOP).", no_args_is_help=True)
app.add_typer(producers_app, name="producers")
import_app = typer.Typer(help="Bring existing records into the engine.", no_args_is_help=True)
app.add_typer(import_app, name="import")


@producers_app.command("erase")
def producers_erase(
    producer_id: Annotated[str, typer.Argument(help="The producer's id.", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", help="Erase without asking for a confirmation.")] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Erase the representative's personal data (name, phone, e-mail, gender, ethnicity,
    disability) and the address of a producer, on request. The log keeps ids only: it still verifies."""
    import uuid

    from store.producers import ProducerStore

    url = _database_url(database_url)
    if not yes and not typer.confirm(
        f"Xóa vĩnh viễn dữ liệu cá nhân người đại diện của {producer_id}? / Erase for good?", default=False
    ):
        typer.echo("nothing erased", err=True)
        raise typer.Exit(1)

    async def erase(pool: asyncpg.Pool) -> bool:
        return await ProducerStore(pool).erase_representative(producer_id, _cli_actor(), str(uuid.uuid4()))

    _run(_with_pool(url, erase))
    typer.echo(f"producer {producer_id}: the representative's personal data is erased")


@import_app.command("stock")
def import_stock(
    file: Annotated[Path, typer.Argument(help="The province's sheet (.xlsx).", exists=True, dir_okay=False)],
    province: Annotated[
        int | None,
        typer.Option("--province", help="The sheet's province; read from its communes' codes if omitted."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and list the refused ones; import nothing.")
    ] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Import a province's certified products from its Excel sheet (STT, product, group, producer
    type, producer, commune, address, representative, phone, current rank, expiry, recognitions),
    creating the producers; each product becomes a certified journey with its expiry timers.
    A second run imports nothing again. The dry run names every refused row, column and value."""
    from api.commands import start_journey
    from api.engine import Engine
    from schemas.commands import ImportCertified
    from schemas.log import Actor
    from store import stock_import

    settings = get_settings()
    url = _database_url(database_url)
    try:
        rows = stock_import.read_stock(file.read_bytes())
    except stock_import.StockFileError as exc:
        typer.echo(f"lỗi: {exc}", err=True)
        raise typer.Exit(2) from exc
    province_code = province or stock_import.province_of(rows)
    if province_code is None:
        typer.echo("lỗi: không xác định được tỉnh: ghi --province", err=True)
        raise typer.Exit(2)
    # The operator at the command line imports as the national administrator (no personal data).
    by = Actor(id="ocop-cli", role="administrator")
    plan = stock_import.check_stock(
        rows, province_code=province_code, actor=by, covers=lambda p, c: True, now=datetime.now(UTC)
    )

    async def go() -> stock_import.StockReport:
        engine = Engine(settings.model_copy(update={"database_url": url}))
        try:
            pool = await engine.pool()

            async def start(journey_id: str, command: ImportCertified, key: Any) -> Any:
                return await start_journey(engine, journey_id, "import-certified", command, key)

            return await stock_import.import_stock(
                pool, plan, start, by, dry_run=dry_run, progress=lambda line: typer.echo(line, err=True)
            )
        finally:
            await engine.close()

    report = _run(go())
    for problem in report.problems + report.failures:
        typer.echo(f"dòng {problem.row}, cột {problem.column}, giá trị {problem.value!r}: {problem.problem}")
    typer.echo(stock_import.summary(report), err=True)
    if report.failures:
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
