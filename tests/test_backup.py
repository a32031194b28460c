"""``ocop backup`` and ``ocop restore`` against the machine's PostgreSQL: a backup taken while
journeys keep recording restores into a fresh database and document store, where every count,
chain head, event and document matches; a damaged backup, a non-empty target and a missing
PostgreSQL client are refused clearly."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from typer.testing import CliRunner, Result

from cli import app
from schemas.log import Actor
from settings import get_settings
from store import EventStore
from store.backup import BackupError, find_toolchain
from store.documents import DocumentStore
from tests.conftest import create_database, drop_database
from tests.store.helpers import journey, key, new_event

ADMIN = Actor(id="ocop-admin", role="administrator")


pytestmark = pytest.mark.usefixtures("fresh_settings_and_logging")


def ocop(*args: str, url: str, documents: Path) -> Result:
    get_settings.cache_clear()  # each invocation reads its own environment
    env = {"OCOP_DATABASE_URL": url, "OCOP_DOCUMENTS_DIR": str(documents), "OCOP_LOG_LEVEL": "WARNING"}
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture
async def empty_target() -> AsyncIterator[str]:
    name, url = await create_database()
    try:
        yield url
    finally:
        await drop_database(name)


async def _upload(documents: DocumentStore, journey_id: str, body: bytes) -> str:
    async def chunks() -> AsyncIterator[bytes]:
        yield body

    staging = await documents.stage(chunks(), max_bytes=1 << 30)
    stored = await documents.keep(
        staging, journey_id=journey_id, uploaded_by="producer-1", file_name="hồ sơ.pdf", claimed_type=None
    )
    return stored.record.sha256


@pytest.fixture
async def engine_with_documents(
    event_store: EventStore, store_pool: asyncpg.Pool, migrated_database_url: str, tmp_path: Path
) -> tuple[str, Path, list[str], str]:
    """A log of a few journeys citing four uploaded PDFs, one of them later erased."""
    root = tmp_path / "documents"
    documents = DocumentStore(store_pool, root)
    documents.open_store()
    digests = [
        await _upload(documents, f"J-{n}", b"%PDF-1.7\n" + os.urandom(3000 + n) + b"\n%%EOF\n")
        for n in range(4)
    ]
    for n, digest in enumerate(digests):
        await event_store.append(
            journey(f"J-{n}"), 0, [new_event("DossierSubmitted", documents=[f"sha256:{digest}"])], key()
        )
    await documents.erase(digests[3], ADMIN, "yêu cầu xoá theo luật", key())
    return migrated_database_url, root, digests, digests[3]


async def _keep_recording(store: EventStore, stop: asyncio.Event) -> int:
    """Journeys recording steps as fast as they can until told to stop; returns how many."""
    versions: dict[str, int] = {}
    recorded = 0
    while not stop.is_set():
        stream = f"L-{recorded % 7}"
        version = versions.get(stream, 0)
        await store.append(journey(stream), version, [new_event("DossierScored", score=recorded)], key())
        versions[stream] = version + 1
        recorded += 1
    return recorded


async def _events(url: str) -> dict[str, tuple[str, int, str]]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT event_id::text, stream_type || ':' || stream_id AS stream, version, hash FROM events"
        )
    finally:
        await conn.close()
    return {row["event_id"]: (row["stream"], row["version"], row["hash"]) for row in rows}


async def test_a_backup_under_load_restores_every_event_and_document(
    engine_with_documents: tuple[str, Path, list[str], str],
    event_store: EventStore,
    empty_target: str,
    tmp_path: Path,
) -> None:
    url, root, digests, erased = engine_with_documents
    stop = asyncio.Event()
    load = asyncio.create_task(_keep_recording(event_store, stop))
    await asyncio.sleep(0.5)  # the load is under way before the snapshot
    made = await asyncio.to_thread(ocop, "backup", str(tmp_path / "backup"), url=url, documents=root)
    await asyncio.sleep(0.3)  # and goes on after it
    stop.set()
    recorded_under_load = await load
    assert made.exit_code == 0, made.output
    assert "dumping…" in made.stderr
    assert "copying documents… 3/3" in made.stderr

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    source_events = await _events(url)
    assert recorded_under_load > 0
    # The load went on after the snapshot: the backup holds less than the source does now.
    assert manifest["events"]["count"] < len(source_events)
    assert {d["sha256"] for d in manifest["documents"] if not d["erased"]} == set(digests) - {erased}

    restored_root = tmp_path / "restored-documents"
    done = await asyncio.to_thread(
        ocop, "restore", str(tmp_path / "backup"), url=empty_target, documents=restored_root
    )
    assert done.exit_code == 0, done.output
    assert "every count and chain head matches the manifest" in done.stdout

    restored = await _events(empty_target)
    assert len(restored) == manifest["events"]["count"]
    # Each restored event is the source's own (same stream, version and hash), and each stream is
    # restored up to the version its chain head in the manifest names.
    assert all(source_events[event_id] == row for event_id, row in restored.items())
    heads: dict[str, int] = {}
    for stream, version, _ in restored.values():
        heads[stream] = max(heads.get(stream, 0), version)
    assert heads == {stream: head["version"] for stream, head in manifest["streams"].items()}
    for digest in set(digests) - {erased}:
        assert (restored_root / digest[:2] / digest[2:4] / digest).read_bytes() == (
            root / digest[:2] / digest[2:4] / digest
        ).read_bytes()
    assert not (restored_root / erased[:2] / erased[2:4] / erased).exists()

    verified = await asyncio.to_thread(
        ocop, "verify", "--documents", url=empty_target, documents=restored_root
    )
    assert verified.exit_code == 0, verified.output
    assert "3 present and matching, 1 erased, 0 missing" in verified.stdout


async def test_a_damaged_backup_is_refused_naming_the_file(
    engine_with_documents: tuple[str, Path, list[str], str], empty_target: str, tmp_path: Path
) -> None:
    url, root, digests, _ = engine_with_documents
    backup = tmp_path / "backup"
    made = await asyncio.to_thread(ocop, "backup", str(backup), url=url, documents=root)
    assert made.exit_code == 0, made.output

    for damaged in (
        backup / "database.dump",
        backup / "documents" / digests[1][:2] / digests[1][2:4] / digests[1],
    ):
        copy = tmp_path / f"copy-{uuid.uuid4().hex}"
        shutil.copytree(backup, copy)
        target = copy / damaged.relative_to(backup)
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0x01
        target.write_bytes(bytes(data))

        refused = await asyncio.to_thread(
            ocop, "restore", str(copy), url=empty_target, documents=tmp_path / f"store-{copy.name}"
        )
        assert refused.exit_code == 1, refused.output
        assert str(target) in refused.stderr
        assert "does not match its SHA-256" in refused.stderr

    # Nothing was restored from the damaged copies: the target is still empty.
    conn = await asyncpg.connect(empty_target)
    try:
        assert await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 0
    finally:
        await conn.close()


async def test_restore_refuses_a_database_or_store_that_is_not_empty(
    engine_with_documents: tuple[str, Path, list[str], str], empty_target: str, tmp_path: Path
) -> None:
    url, root, _, _ = engine_with_documents
    backup = tmp_path / "backup"
    assert (await asyncio.to_thread(ocop, "backup", str(backup), url=url, documents=root)).exit_code == 0
    before = await _events(url)

    over_source = await asyncio.to_thread(ocop, "restore", str(backup), url=url, documents=tmp_path / "new")
    assert over_source.exit_code == 2, over_source.output
    assert "target database is not empty" in over_source.stderr
    assert await _events(url) == before

    over_store = await asyncio.to_thread(ocop, "restore", str(backup), url=empty_target, documents=root)
    assert over_store.exit_code == 2, over_store.output
    assert "already holds files" in over_store.stderr

    again = await asyncio.to_thread(ocop, "backup", str(backup), url=url, documents=root)
    assert again.exit_code == 2
    assert "is not empty" in again.stderr


async def test_no_pg_dump_new_enough_is_refused_clearly() -> None:
    with pytest.raises(BackupError, match=r"no pg_dump of PostgreSQL 99 or newer .*found: \d+"):
        await find_toolchain(99)
    chosen = await find_toolchain(15)
    assert chosen.major >= 15


async def test_a_restore_that_differs_from_the_manifest_fails(
    engine_with_documents: tuple[str, Path, list[str], str], empty_target: str, tmp_path: Path
) -> None:
    url, root, _, _ = engine_with_documents
    backup = tmp_path / "backup"
    assert (await asyncio.to_thread(ocop, "backup", str(backup), url=url, documents=root)).exit_code == 0
    manifest = json.loads((backup / "manifest.json").read_text())
    stream = next(iter(manifest["streams"]))
    manifest["streams"][stream]["version"] += 1  # the manifest claims an event the dump lacks
    (backup / "manifest.json").write_text(json.dumps(manifest))

    done = await asyncio.to_thread(ocop, "restore", str(backup), url=empty_target, documents=tmp_path / "s")
    assert done.exit_code == 1, done.output
    assert "streams differ" in done.stderr
    assert stream in done.stderr
