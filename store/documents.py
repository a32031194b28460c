"""The document store (kho hồ sơ): dossier files kept by their SHA-256, behind one small interface.

Files live under one root directory, each at ``<root>/<aa>/<bb>/<sha256>``; what each is (size,
media type, original name, who uploaded it for which journey, when, whether it was erased) lives
in PostgreSQL (``migrations/0005_documents.sql``). A content is

- written while it streams in (never whole in memory), into ``<root>/.staging/`` on the same
  filesystem, fsynced, renamed into place (atomic) and its directory fsynced — only then is its
  metadata row inserted. A crash before the rename leaves a staging file nobody reads (removed the
  next time a store is opened); a crash after it leaves a complete file no row points to, which a
  retried upload adopts. No reader ever sees a half file: every read starts from a row.
- verified on every read: the whole file is hashed before the first byte is served, and hashed
  again as it is served (a change in between aborts the response); a mismatch is an error.
- erased on a legal request by removing the file; its rows, hash and metadata stay.

A second API process on another machine shares the store through a shared filesystem mounted at
the same root (rename and fsync are what it needs), or an object store behind this same interface.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
import time
import uuid
import zipfile
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import asyncpg

from schemas.documents import DOCUMENT_KINDS, DocumentErased
from schemas.log import Actor, EventMetadata, NewEvent, StreamRef
from schemas.refusals import Reason
from store.errors import StoreError
from store.events import EventStore

# A document as commands cite it: ``sha256:`` and 64 lowercase hex digits.
REFERENCE = re.compile(r"^sha256:([0-9a-f]{64})$")
# What is handed to a thread at once to hash and write (and what a read yields at once).
CHUNK = 1 << 20
STAGING = ".staging"
# A staging file older than this belongs to an upload that died: removed when a store opens.
STALE_STAGING_SECONDS = 3600.0
# The fields of commands (and of the journey events that record them) that cite documents.
REFERENCE_FIELDS = (
    "document",
    "documents",
    "commune_report",
    "evidence",
    "conclusion",
    "proposal",  # the commune's written proposal to the province (qd26-2026 Art. 7.2.b)
    # The self-assessment's evidence per criterion: criterion code -> documents.
    "criterion_evidence",
    # A dossier's documents by item of its checklist: item -> documents.
    "contents",
)

_COLUMNS = """d.sha256, d.size, d.media_type, d.stored_at, d.erased_at, d.erased_by, d.erased_why,
    u.journey_id, u.file_name, u.uploaded_by, u.uploaded_at"""


class DocumentError(StoreError):
    """Base of the document store's refusals; ``why`` its reason (schemas/refusals.py)."""

    def __init__(self, message: str | Reason) -> None:
        self.why = message if isinstance(message, Reason) else None
        super().__init__(self.why.message if self.why is not None else message)


class DocumentTooLarge(DocumentError):
    """The file (or the dossier with it) is larger than the limit."""

    def __init__(self, limit: int, what: str) -> None:
        super().__init__(Reason("documents.too_large", what=what, limit=limit))
        self.limit = limit


class UnsupportedDocument(DocumentError):
    """The content is none of the accepted kinds, or not the kind it claims to be."""


class DocumentGone(DocumentError):
    """The content was erased on a legal request."""


class DocumentCorrupt(DocumentError):
    """The file on disk no longer matches its hash (or is missing): it is never served."""


@dataclass(frozen=True)
class DocumentRecord:
    """One document uploaded for one journey."""

    sha256: str
    size: int
    media_type: str
    stored_at: datetime
    journey_id: str
    file_name: str
    uploaded_by: str
    uploaded_at: datetime
    erased_at: datetime | None = None
    erased_by: str | None = None
    erased_why: str | None = None

    @property
    def reference(self) -> str:
        return f"sha256:{self.sha256}"

    @property
    def kind(self) -> str:
        return DOCUMENT_KINDS.get(self.media_type, self.media_type)


@dataclass(frozen=True)
class Stored:
    """An upload's outcome: its record, and whether this upload created it (False: already there)."""

    record: DocumentRecord
    created: bool


def digest_of(reference: str) -> str | None:
    """The hex digest a reference cites, or None when it is not of the form ``sha256:<64 hex>``."""
    match = REFERENCE.match(reference)
    return match.group(1) if match else None


def references_in(fields: dict[str, Any]) -> list[str]:
    """Every document a command (or an event's data) cites, in order, without repeats."""
    found: list[str] = []
    for name in REFERENCE_FIELDS:
        value = fields.get(name)
        if isinstance(value, dict):  # by criterion: each criterion's list
            value = [item for items in value.values() if isinstance(items, list) for item in items]
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item not in found:
                found.append(item)
    return found


# -- what a content is, by its bytes ------------------------------------------------------------

_ZIP_KINDS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    ),
}
ODT = "application/vnd.oasis.opendocument.text"


def sniff(path: Path) -> str | None:
    """The media type of the file by its content (magic bytes; for ZIP containers, the entry that
    names the office format), or None when it is none of the accepted kinds."""
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    return None


def _sniff_zip(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            # ODF: the first entry is an uncompressed ``mimetype`` holding the media type.
            if names[:1] == ["mimetype"]:
                if archive.read("mimetype").strip() == ODT.encode():
                    return ODT
                return None
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > 1 << 20:
                    return None
                types = archive.read(info)
                for media_type, main in _ZIP_KINDS.items():
                    if main.encode() in types:
                        return media_type
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, NotImplementedError):
        return None
    return None


# -- the files ------------------------------------------------------------------------------------


class Staging:
    """A file being written: hashed and counted as its bytes arrive (called from a thread)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / f"{uuid.uuid4().hex}.part"
        self._handle: BinaryIO = self.path.open("xb")
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, pieces: list[bytes]) -> None:
        for piece in pieces:
            self.hash.update(piece)
            self._handle.write(piece)
            self.size += len(piece)

    def finish(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()

    def discard(self) -> None:
        if not self._handle.closed:
            self._handle.close()
        self.path.unlink(missing_ok=True)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


class DocumentStore:
    """Content-addressed files under ``root`` and their metadata in PostgreSQL."""

    def __init__(self, pool: asyncpg.Pool, root: Path) -> None:
        self.pool = pool
        self.root = root
        self.staging = root / STAGING

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def open_store(self) -> None:
        """Make the directories and remove staging files left by uploads that died."""
        self.staging.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - STALE_STAGING_SECONDS
        for leftover in self.staging.glob("*.part"):
            try:
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()
            except FileNotFoundError:
                pass

    # -- writing --------------------------------------------------------------------------------

    async def stage(self, chunks: AsyncIterable[bytes], max_bytes: int, what: str = "file") -> Staging:
        """Stream ``chunks`` into a staging file (hashed as written, fsynced): DocumentTooLarge past
        ``max_bytes``. The caller places or discards it."""
        self.staging.mkdir(parents=True, exist_ok=True)
        staging = await asyncio.to_thread(Staging, self.staging)
        pending: list[bytes] = []
        held = 0
        received = 0
        # One block at a time is hashed and written in a thread (both release the GIL) while the
        # next one is received: at most two blocks are held, whatever the file's size.
        writing: asyncio.Future[None] | None = None
        try:
            async for chunk in chunks:
                received += len(chunk)
                if received > max_bytes:
                    raise DocumentTooLarge(max_bytes, what)
                pending.append(chunk)
                held += len(chunk)
                if held >= CHUNK:
                    if writing is not None:
                        await writing
                    block, pending, held = pending, [], 0
                    writing = asyncio.ensure_future(asyncio.to_thread(staging.write, block))
            if writing is not None:
                await writing
            if pending:
                await asyncio.to_thread(staging.write, pending)
            await asyncio.to_thread(staging.finish)
        except BaseException:
            if writing is not None and not writing.done():
                with contextlib.suppress(Exception):
                    await asyncio.shield(writing)
            await asyncio.to_thread(staging.discard)
            raise
        return staging

    def _place(self, staging: Staging, sha256: str) -> None:
        """Rename the staging file to its address (atomic on one filesystem) and fsync its
        directory, so that the name survives a crash before the metadata row is written."""
        target = self.path_of(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and _hash_file(target) == sha256:
            staging.discard()  # the same bytes are there already (a retry, or another journey's)
            return
        os.replace(staging.path, target)
        # The new name is durable once its directory is; the staging name's removal need not be.
        _fsync_directory(target.parent)

    async def keep(
        self,
        staging: Staging,
        *,
        journey_id: str,
        uploaded_by: str,
        file_name: str,
        claimed_type: str | None,
    ) -> Stored:
        """Keep a staged file as a document uploaded for ``journey_id`` (or discard it, refused).
        Naturally idempotent: the same bytes for the same journey find the first upload's record
        (``created`` False)."""
        try:
            media_type = await asyncio.to_thread(sniff, staging.path)
            if media_type is None:
                raise UnsupportedDocument(Reason("documents.unknown_kind"))
            if claimed_type not in (None, "", "application/octet-stream", media_type):
                raise UnsupportedDocument(
                    Reason(
                        "documents.not_as_sent",
                        kind=DOCUMENT_KINDS[media_type],
                        media_type=media_type,
                        claimed=claimed_type,
                    )
                )
            sha256 = staging.hash.hexdigest()
            erased = await self.pool.fetchval("SELECT erased_at FROM documents WHERE sha256 = $1", sha256)
            if erased is not None:
                raise DocumentGone(Reason("documents.erased_content"))
            await asyncio.to_thread(self._place, staging, sha256)
        except BaseException:
            await asyncio.to_thread(staging.discard)
            raise
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                """INSERT INTO documents (sha256, size, media_type) VALUES ($1, $2, $3)
                   ON CONFLICT (sha256) DO NOTHING""",
                sha256,
                staging.size,
                media_type,
            )
            created = await conn.fetchval(
                """INSERT INTO document_uploads (journey_id, sha256, file_name, uploaded_by)
                   VALUES ($1, $2, $3, $4) ON CONFLICT (journey_id, sha256) DO NOTHING
                   RETURNING true""",
                journey_id,
                sha256,
                file_name,
                uploaded_by,
            )
            # An erasure committed between the check above and here: the file it removed may be
            # the one just placed; refuse rather than keep a row whose content is gone.
            if await conn.fetchval("SELECT erased_at FROM documents WHERE sha256 = $1", sha256):
                raise DocumentGone(Reason("documents.erased_content"))
        record = await self.record(journey_id, sha256)
        assert record is not None
        return Stored(record, created=bool(created))

    # -- reading --------------------------------------------------------------------------------

    async def record(self, journey_id: str, sha256: str) -> DocumentRecord | None:
        row = await self.pool.fetchrow(
            f"""SELECT {_COLUMNS} FROM document_uploads u JOIN documents d USING (sha256)
                WHERE u.journey_id = $1 AND u.sha256 = $2""",
            journey_id,
            sha256,
        )
        return DocumentRecord(**dict(row)) if row is not None else None

    async def for_journey(self, journey_id: str) -> list[DocumentRecord]:
        rows = await self.pool.fetch(
            f"""SELECT {_COLUMNS} FROM document_uploads u JOIN documents d USING (sha256)
                WHERE u.journey_id = $1 ORDER BY u.uploaded_at, u.sha256""",
            journey_id,
        )
        return [DocumentRecord(**dict(row)) for row in rows]

    async def journey_bytes(self, journey_id: str) -> int:
        """The size of the dossier so far: every document kept for the journey and not erased."""
        total = await self.pool.fetchval(
            """SELECT coalesce(sum(d.size), 0) FROM document_uploads u JOIN documents d USING (sha256)
               WHERE u.journey_id = $1 AND d.erased_at IS NULL""",
            journey_id,
        )
        return int(total)

    async def check_content(self, sha256: str) -> None:
        """DocumentCorrupt unless the file is there and matches its hash."""
        path = self.path_of(sha256)
        try:
            actual = await asyncio.to_thread(_hash_file, path)
        except FileNotFoundError:
            raise DocumentCorrupt(Reason("documents.content_missing", sha256=sha256)) from None
        if actual != sha256:
            raise DocumentCorrupt(Reason("documents.content_changed", sha256=sha256))

    async def read(self, record: DocumentRecord) -> AsyncIterator[bytes]:
        """The content, verified: checked whole before the first byte, and hashed again as it is
        served (a file changed in between raises DocumentCorrupt before its last chunk)."""
        if record.erased_at is not None:
            raise DocumentGone(Reason("documents.erased"))
        await self.check_content(record.sha256)
        return self._stream(record.sha256)

    async def _stream(self, sha256: str) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(self.path_of(sha256).open, "rb")
        digest = hashlib.sha256()
        try:
            block = await asyncio.to_thread(handle.read, CHUNK)
            while block:
                digest.update(block)
                following = await asyncio.to_thread(handle.read, CHUNK)
                if not following and digest.hexdigest() != sha256:
                    raise DocumentCorrupt(Reason("documents.changed_while_read", sha256=sha256))
                yield block
                block = following
        finally:
            handle.close()

    # -- references -----------------------------------------------------------------------------

    async def unusable(self, journey_id: str, references: list[str]) -> dict[str, str]:
        """Of ``references``, those a command on ``journey_id`` may not cite, each with why: not of
        the form sha256:<64 hex>, never uploaded for this journey, or erased."""
        problems: dict[str, str] = {}
        digests: dict[str, str] = {}
        for reference in references:
            digest = digest_of(reference)
            if digest is None:
                problems[reference] = "not a document reference (sha256: and 64 lowercase hex digits)"
            else:
                digests[reference] = digest
        if digests:
            rows = await self.pool.fetch(
                """SELECT u.sha256, d.erased_at FROM document_uploads u JOIN documents d USING (sha256)
                   WHERE u.journey_id = $1 AND u.sha256 = ANY($2::text[])""",
                journey_id,
                list(digests.values()),
            )
            found = {row["sha256"]: row["erased_at"] for row in rows}
            for reference, digest in digests.items():
                if digest not in found:
                    problems[reference] = "no document with this hash was uploaded for this journey"
                elif found[digest] is not None:
                    problems[reference] = "this document was erased on a legal request"
        return problems

    # -- erasure --------------------------------------------------------------------------------

    async def erase(self, sha256: str, by: Actor, reason: str, key: str) -> bool:
        """Erase a content on a legal request: the row records when, by whom and why, an event on
        the stream ``document:<sha256>`` records it in the log (ids only), and the file is removed
        after both commit. Returns whether this call erased it (False: a replayed key)."""
        events = EventStore(self.pool)
        async with self.pool.acquire() as conn:
            transaction = conn.transaction()
            await transaction.start()
            try:
                row = await conn.fetchrow(
                    "SELECT erased_at FROM documents WHERE sha256 = $1 FOR UPDATE", sha256
                )
                if row is None:
                    raise DocumentError(Reason("documents.unknown", sha256=sha256))
                journeys = [
                    r["journey_id"]
                    for r in await conn.fetch(
                        "SELECT journey_id FROM document_uploads WHERE sha256 = $1 ORDER BY journey_id",
                        sha256,
                    )
                ]
                stream = StreamRef(type="document", id=sha256)
                # The content's row lock serializes every writer of this stream.
                version = int(
                    await conn.fetchval(
                        "SELECT version FROM streams WHERE stream_type = 'document' AND stream_id = $1",
                        sha256,
                    )
                    or 0
                )
                if row["erased_at"] is None:
                    await conn.execute(
                        """UPDATE documents SET erased_at = now(), erased_by = $2, erased_why = $3
                           WHERE sha256 = $1""",
                        sha256,
                        by.id,
                        reason,
                    )
                event = DocumentErased(sha256=sha256, journey_ids=journeys)
                receipt = await events.append(
                    stream,
                    version,
                    [
                        NewEvent(
                            event_id=uuid.uuid4(),
                            type=event.type,
                            data=event.model_dump(mode="json", exclude={"type"}),
                            metadata=EventMetadata(actor=by, reason=reason, update_id=key),
                        )
                    ],
                    key,
                    connection=conn,
                )
            except BaseException:
                await transaction.rollback()
                raise
            if receipt.replayed:
                await transaction.rollback()
            else:
                await transaction.commit()
        # After the commit: a crash before this line leaves a file no read serves (the row says
        # erased); the next erasure call or ``ocop verify --documents`` reports it.
        await asyncio.to_thread(self.path_of(sha256).unlink, True)
        return not receipt.replayed


# -- verification ---------------------------------------------------------------------------------


@dataclass
class DocumentsReport:
    """What ``ocop verify --documents`` found for every document the log cites."""

    checked: int = 0
    present: int = 0
    erased: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)
    not_uploaded: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.corrupt


_CITED = """
SELECT DISTINCT ref FROM (
    SELECT jsonb_array_elements_text(data -> 'documents') AS ref FROM events
        WHERE stream_type = 'journey' AND jsonb_typeof(data -> 'documents') = 'array'
    UNION ALL SELECT data ->> 'document' FROM events
        WHERE stream_type = 'journey' AND data ? 'document'
    UNION ALL SELECT data ->> 'commune_report' FROM events
        WHERE stream_type = 'journey' AND data ->> 'commune_report' IS NOT NULL
    UNION ALL SELECT jsonb_array_elements_text(metadata -> 'evidence') FROM events
        WHERE stream_type = 'journey' AND jsonb_typeof(metadata -> 'evidence') = 'array'
) cited WHERE ref IS NOT NULL ORDER BY ref
"""


async def verify_documents(pool: asyncpg.Pool, root: Path) -> DocumentsReport:
    """Check that every document the journeys' events cite is present and matches its hash;
    erased ones are reported as erased, references recorded before the store (not of the form
    sha256:<64 hex>, or never uploaded) as not uploaded."""
    store = DocumentStore(pool, root)
    report = DocumentsReport()
    cited = [str(row["ref"]) for row in await pool.fetch(_CITED)]
    rows = await pool.fetch(
        "SELECT sha256, erased_at FROM documents WHERE sha256 = ANY($1::text[])",
        [digest for digest in map(digest_of, cited) if digest],
    )
    known = {row["sha256"]: row["erased_at"] for row in rows}
    for reference in cited:
        report.checked += 1
        digest = digest_of(reference)
        if digest is None or digest not in known:
            report.not_uploaded.append(reference)
        elif known[digest] is not None:
            report.erased.append(reference)
        else:
            try:
                await store.check_content(digest)
            except DocumentCorrupt:
                if store.path_of(digest).exists():
                    report.corrupt.append(reference)
                else:
                    report.missing.append(reference)
            else:
                report.present += 1
    return report
