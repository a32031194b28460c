"""The document store on real PostgreSQL and a real filesystem: a process killed (SIGKILL) while a
file streams in, or between the file's rename and its metadata row, leaves no half file visible."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg

from store.documents import CHUNK, STALE_STAGING_SECONDS, DocumentStore

# Streams a PDF into the store at argv[2] and kills itself: "staging" after the first megabyte
# was written to the staging file, "placed" once the file is renamed to its address, before the
# metadata row. It prints the content's SHA-256 first.
CRASHING_UPLOAD = """
import asyncio, hashlib, os, signal, sys
from pathlib import Path
from store.db import create_pool
from store.documents import CHUNK, DocumentStore

url, root, mode = sys.argv[1:]
content = b"%PDF-1.4\\n" + b"x" * CHUNK + b"y" * 1000
print(hashlib.sha256(content).hexdigest(), flush=True)

async def main():
    store = DocumentStore(await create_pool(url), Path(root))
    async def chunks():
        yield content[: CHUNK + 1]
        await asyncio.sleep(0.2)  # the first megabyte is handed to its thread and written
        if mode == "staging":
            os.kill(os.getpid(), signal.SIGKILL)
        yield content[CHUNK + 1 :]
    staging = await store.stage(chunks(), 10 * CHUNK)
    store._place(staging, staging.hash.hexdigest())
    os.kill(os.getpid(), signal.SIGKILL)

asyncio.run(main())
"""


def crash(url: str, root: Path, mode: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_UPLOAD, url, str(root), mode],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert done.returncode == -9, done.stderr
    return done.stdout.strip()


def addressed_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file() and ".staging" not in path.parts]


async def chunks_of(content: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(content), 65536):
        yield content[start : start + 65536]


async def test_a_crash_while_streaming_leaves_only_a_staging_file_which_is_cleared(
    store_pool: asyncpg.Pool, migrated_database_url: str, tmp_path: Path
) -> None:
    digest = crash(migrated_database_url, tmp_path, "staging")
    store = DocumentStore(store_pool, tmp_path)
    assert addressed_files(tmp_path) == []
    leftovers = list((tmp_path / ".staging").glob("*.part"))
    assert len(leftovers) == 1
    assert leftovers[0].stat().st_size >= CHUNK  # it was being written
    assert await store.unusable("J-1", [f"sha256:{digest}"])
    # A fresh one may be an upload in progress in another process: kept. An old one is cleared.
    store.open_store()
    assert leftovers[0].exists()
    old = time.time() - STALE_STAGING_SECONDS - 1
    os.utime(leftovers[0], (old, old))
    store.open_store()
    assert list((tmp_path / ".staging").iterdir()) == []


async def test_a_crash_between_the_file_and_its_row_shows_nothing_and_a_retry_adopts_the_file(
    store_pool: asyncpg.Pool, migrated_database_url: str, tmp_path: Path
) -> None:
    digest = crash(migrated_database_url, tmp_path, "placed")
    store = DocumentStore(store_pool, tmp_path)
    # The complete file is at its address, but nothing points to it: no record, no citation.
    assert addressed_files(tmp_path) == [store.path_of(digest)]
    assert await store_pool.fetchval("SELECT count(*) FROM documents") == 0
    assert await store.record("J-1", digest) is None
    reference = f"sha256:{digest}"
    assert await store.unusable("J-1", [reference]) == {
        reference: "no document with this hash was uploaded for this journey"
    }
    # The upload retried: the same bytes find the file, and the row makes it a document.
    content = store.path_of(digest).read_bytes()
    staging = await store.stage(chunks_of(content), 10 * CHUNK)
    stored = await store.keep(
        staging, journey_id="J-1", uploaded_by="producer-1", file_name="mau01.pdf", claimed_type=None
    )
    assert (stored.created, stored.record.sha256, stored.record.size) == (True, digest, len(content))
    served = b"".join([chunk async for chunk in await store.read(stored.record)])
    assert served == content
    assert await store.unusable("J-1", [reference]) == {}
    assert list((tmp_path / ".staging").iterdir()) == []
