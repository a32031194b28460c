"""Recompute the hash chains of the decision log and name the first broken link of each stream.

An auditor's check: versions run 1, 2, 3 ... without gaps, each event links to the previous
event's hash, each stored hash matches the event's content, and the stream head (``streams``)
points at the last event, which catches the deletion of the last event.
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import structlog

from schemas.log import BrokenLink, ChainProblem, StreamRef, VerificationReport
from store.canonical import GENESIS, event_hash, fast_event_hash, parse_normalized
from store.events import Connection, EventStore

log = structlog.get_logger(__name__)

# The database formats the time and the id exactly as canonical JSON does, which spares Python
# the work; data and metadata come as text and are parsed straight into canonical values.
_EVENT_COLUMNS = """stream_type, stream_id, version, event_id::text,
    type, data::text, metadata::text, idempotency_key,
    to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    prev_hash, hash"""

# Both orders are byte-wise (the columns are COLLATE "C"), the same order as Python's for str,
# so heads and events can be merged as they stream in.
_ALL_EVENTS = f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY stream_type, stream_id, version"
_ALL_HEADS = "SELECT stream_type, stream_id, version, last_hash FROM streams ORDER BY stream_type, stream_id"
_STREAM_EVENTS = f"""SELECT {_EVENT_COLUMNS} FROM events
    WHERE stream_type = $1 AND stream_id = $2 ORDER BY version"""
_STREAM_HEAD = (
    "SELECT stream_type, stream_id, version, last_hash FROM streams WHERE stream_type = $1 AND stream_id = $2"
)

Key = tuple[str, str]

# Rows checked between two turns of the event loop while the next page streams in.
_SLICE = 200


def _ref(key: Key) -> StreamRef:
    # Not validated: a forged row may carry a stream type the code does not know; report it anyway.
    return StreamRef.model_construct(type=key[0], id=key[1])  # type: ignore[arg-type]


class _Chain:
    """Checks one stream's events as they arrive in version order; keeps the first problem."""

    __slots__ = ("broken", "events", "expected", "first_version", "key", "prev")

    def __init__(self, key: Key) -> None:
        self.key = key
        self.expected = 1
        self.prev = GENESIS
        self.broken: BrokenLink | None = None
        self.events = 0
        self.first_version: int | None = None

    def _break(self, version: int, kind: ChainProblem, problem: str) -> None:
        self.broken = BrokenLink(stream=_ref(self.key), version=version, kind=kind, problem=problem)

    def add(self, row: asyncpg.Record) -> None:
        self.events += 1
        if self.broken is not None:
            return
        stream_type, stream_id, version, event_id, type_, data, metadata, key, recorded_at, prev, stored = row
        if self.first_version is None:
            self.first_version = version
        if version != self.expected:
            if version < self.expected:
                self._break(
                    version, "duplicate_version", f"version {version} appears more than once (forged?)"
                )
            else:
                self._break(self.expected, "missing_version", f"version {self.expected} missing (deleted?)")
            return
        if prev != self.prev:
            if version == 1:
                self._break(version, "not_genesis", "prev_hash of version 1 is not the genesis hash")
            else:
                self._break(version, "unlinked", f"prev_hash does not link to version {version - 1}")
            return
        fast = fast_event_hash(
            prev,
            stream_type=stream_type,
            stream_id=stream_id,
            version=version,
            event_id=event_id,
            type=type_,
            data_text=data,
            metadata_text=metadata,
            idempotency_key=key,
            recorded_at=recorded_at,
        )
        # A fast hash equal to the stored one settles it; otherwise the exact computation decides.
        if fast != stored:
            content: dict[str, Any] = {
                "stream_type": stream_type,
                "stream_id": stream_id,
                "version": version,
                "event_id": event_id,
                "type": type_,
                "data": parse_normalized(data),
                "metadata": parse_normalized(metadata),
                "idempotency_key": key,
                "recorded_at": recorded_at,
            }
            if event_hash(prev, content, normalized=True) != stored:
                self._break(version, "edited", "hash does not match content (edited?)")
                return
        self.prev = stored
        self.expected += 1

    def finish(self, head: asyncpg.Record | None) -> BrokenLink | None:
        """The first broken link, once the head (or its absence) is known."""
        if self.broken is not None:
            return self.broken
        last = self.expected - 1
        if head is None:
            self._break(self.first_version or 1, "no_head", "events without a stream head (head deleted?)")
        elif head["version"] > last:
            self._break(last + 1, "missing_version", f"version {last + 1} missing (deleted?)")
        elif head["version"] < last:
            self._break(
                head["version"] + 1,
                "beyond_head",
                f"version {head['version'] + 1} is beyond the stream head at {head['version']} (forged?)",
            )
        elif head["last_hash"] != self.prev:
            self._break(last, "head_hash", f"the stream head's hash does not match version {last}")
        return self.broken


def _headless(head: asyncpg.Record) -> BrokenLink:
    return BrokenLink(
        stream=_ref((head["stream_type"], head["stream_id"])),
        version=1,
        kind="no_events",
        problem=f"the stream head is at version {head['version']} but the stream has no events (deleted?)",
    )


def _pool(source: EventStore | asyncpg.Pool) -> asyncpg.Pool:
    return source.pool if isinstance(source, EventStore) else source


async def verify(source: EventStore | asyncpg.Pool, stream: StreamRef) -> VerificationReport:
    """Verify one stream's chain and head."""
    async with _pool(source).acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        head = await conn.fetchrow(_STREAM_HEAD, stream.type, stream.id)
        chain = _Chain((stream.type, stream.id))
        for row in await conn.fetch(_STREAM_EVENTS, stream.type, stream.id):
            chain.add(row)
    if chain.events == 0:
        broken = [_headless(head)] if head is not None else []
        return VerificationReport(
            streams_checked=1 if head is not None else 0, events_checked=0, broken=broken
        )
    link = chain.finish(head)
    return VerificationReport(streams_checked=1, events_checked=chain.events, broken=[link] if link else [])


class _Heads:
    """The stream heads in key order, fetched page by page alongside the events."""

    def __init__(self, conn: Connection, page_size: int) -> None:
        self._conn = conn
        self._page_size = page_size
        self._cursor: Any = None
        self._buffer: list[asyncpg.Record] = []
        self._index = 0
        self._done = False

    async def _peek(self) -> asyncpg.Record | None:
        if self._index >= len(self._buffer):
            if self._done:
                return None
            if self._cursor is None:
                self._cursor = await self._conn.cursor(_ALL_HEADS)
            self._buffer = await self._cursor.fetch(self._page_size)
            self._index = 0
            if not self._buffer:
                self._done = True
                return None
        return self._buffer[self._index]

    async def take(self, key: Key, orphans: list[asyncpg.Record]) -> asyncpg.Record | None:
        """The head of ``key``; heads before it (streams with no events) go to ``orphans``."""
        while (head := await self._peek()) is not None:
            head_key = (head["stream_type"], head["stream_id"])
            if head_key > key:
                return None
            self._index += 1
            if head_key == key:
                return head
            orphans.append(head)
        return None

    async def rest(self, orphans: list[asyncpg.Record]) -> None:
        """Move the heads not taken yet (streams with no events) to ``orphans``."""
        while (head := await self._peek()) is not None:
            self._index += 1
            orphans.append(head)


async def verify_all(source: EventStore | asyncpg.Pool, *, page_size: int = 5000) -> VerificationReport:
    """Verify every stream of the log in one pass, from one consistent snapshot."""
    broken: list[BrokenLink] = []
    streams = events = 0
    orphans: list[asyncpg.Record] = []
    # One REPEATABLE READ snapshot: appends running meanwhile cannot make heads and events disagree.
    async with _pool(source).acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        heads = _Heads(conn, page_size)

        async def settle(done: list[_Chain]) -> None:
            nonlocal streams, events
            for finished in done:
                link = finished.finish(await heads.take(finished.key, orphans))
                streams += 1
                events += finished.events
                if link is not None:
                    broken.append(link)

        cursor = await conn.cursor(_ALL_EVENTS)
        chain: _Chain | None = None
        rows = await cursor.fetch(page_size)
        while rows:
            # Ask for the next page before checking this one, so the database works meanwhile. The
            # connection is busy until it arrives: streams finished here meet their heads after.
            ahead = asyncio.ensure_future(cursor.fetch(page_size))
            await asyncio.sleep(0)
            done: list[_Chain] = []
            try:
                for start in range(0, len(rows), _SLICE):
                    for row in rows[start : start + _SLICE]:
                        key = (row[0], row[1])
                        if chain is None or key != chain.key:
                            if chain is not None:
                                done.append(chain)
                            chain = _Chain(key)
                        chain.add(row)
                    # Let the event loop read what the database sent meanwhile: a page is larger
                    # than the socket's buffer, and the server stops sending when that is full.
                    await asyncio.sleep(0)
            finally:
                rows = await ahead  # never leave the connection with a fetch in flight
            await settle(done)
        await settle([chain] if chain is not None else [])
        await heads.rest(orphans)
    broken.extend(_headless(head) for head in orphans)
    broken.sort(key=lambda link: (link.stream.type, link.stream.id))
    streams += len(orphans)
    report = VerificationReport(streams_checked=streams, events_checked=events, broken=broken)
    log.info("log verified", streams=streams, events=events, broken=len(broken))
    return report
