"""The event store: append with expected version and idempotency key, hash-chained streams, a
gap-free global feed, and the read models written in the same transaction as the events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import structlog
from asyncpg.pool import PoolConnectionProxy

from schemas.log import AppendReceipt, EventMetadata, NewEvent, RecordedEvent, Snapshot, StreamRef
from store.canonical import GENESIS, dumps_normalized, event_hash, normalize
from store.errors import (
    DuplicateEventId,
    FeedBusy,
    IdempotencyKeyReused,
    StoreError,
    WrongExpectedVersion,
)

log = structlog.get_logger(__name__)

Connection = asyncpg.Connection | PoolConnectionProxy
# A read model that depends on the time the events are recorded at (which the store stamps).
SnapshotAt = Callable[[datetime], Snapshot]

# Advisory lock guarding the global feed ("ocop-fee" in ASCII); see read_all.
FEED_LOCK_KEY = 0x6F636F702D666565

# Takes the feed lock in shared mode, then creates or locks the stream head, in one round trip.
# The lock is in FROM, so it is held before the row is touched and before any position is drawn.
_LOCK_HEAD = """
INSERT INTO streams (stream_type, stream_id, version, last_hash)
SELECT $1, $2, 0, $3 FROM (SELECT pg_advisory_xact_lock_shared($4)) AS feed_lock
ON CONFLICT (stream_type, stream_id) DO UPDATE SET version = streams.version
RETURNING version, last_hash, updated_at
"""

# Events, stream head and snapshot in one statement. Positions are drawn in batch order.
_WRITE = """
WITH new_events AS (
    INSERT INTO events (event_id, stream_type, stream_id, version, type, data, metadata,
                        idempotency_key, batch_index, recorded_at, prev_hash, hash)
    SELECT e.event_id, $1, $2, $3 + e.ord, e.type, e.data::jsonb, e.metadata::jsonb,
           $4, e.ord - 1, $5, e.prev_hash, e.hash
    FROM unnest($6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         WITH ORDINALITY AS e(event_id, type, data, metadata, prev_hash, hash, ord)
    ORDER BY e.ord
    RETURNING position, batch_index
), head AS (
    UPDATE streams SET version = $12, last_hash = $13, updated_at = $5
    WHERE stream_type = $1 AND stream_id = $2
), snapshot AS (
    INSERT INTO read_models (kind, id, version, state, updated_at)
    SELECT $14, $15, $12, $16::text::jsonb, $5 WHERE $14::text IS NOT NULL
    ON CONFLICT (kind, id) DO UPDATE
        SET version = EXCLUDED.version, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at
)
SELECT position FROM new_events ORDER BY batch_index
"""

_RECEIPT = """
SELECT stream_type, stream_id, event_id, position, version, recorded_at
FROM events WHERE idempotency_key = $1 ORDER BY batch_index
"""

_COLUMNS = """position, stream_type, stream_id, version, event_id, type, data, metadata,
idempotency_key, recorded_at, prev_hash, hash"""


@dataclass(frozen=True)
class ReadModel:
    """One stored read model (a projection of a stream's events)."""

    kind: str
    id: str
    version: int
    state: dict[str, Any]
    updated_at: datetime


class _Replay(Exception):
    """Internal: the idempotency key was already used; carries the stored receipt."""

    def __init__(self, receipt: AppendReceipt) -> None:
        self.receipt = receipt


def _recorded(row: asyncpg.Record) -> RecordedEvent:
    return RecordedEvent(
        position=row["position"],
        stream=StreamRef.model_validate({"type": row["stream_type"], "id": row["stream_id"]}),
        version=row["version"],
        event_id=row["event_id"],
        type=row["type"],
        data=row["data"],
        metadata=EventMetadata.model_validate(row["metadata"]),
        idempotency_key=row["idempotency_key"],
        recorded_at=row["recorded_at"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


class EventStore:
    """The decision log (nhật ký quyết định) on PostgreSQL; the only writer of events."""

    def __init__(self, pool: asyncpg.Pool, *, feed_lock_timeout: float = 5.0) -> None:
        self.pool = pool
        self.feed_lock_timeout = feed_lock_timeout
        # Test hook: awaited after the events are written and before COMMIT.
        self._before_commit: Callable[[], Awaitable[None]] | None = None

    async def append(
        self,
        stream: StreamRef,
        expected_version: int,
        events: Sequence[NewEvent],
        idempotency_key: str,
        snapshot: Snapshot | SnapshotAt | None = None,
    ) -> AppendReceipt:
        """Append ``events`` to ``stream`` if it is at ``expected_version``, in one transaction.

        A key already used for this stream returns the first append's receipt (``replayed``)."""
        if not events:
            raise ValueError("an append needs at least one event")
        if not idempotency_key or "\x00" in idempotency_key:
            raise ValueError("the idempotency key must be a non-empty string without U+0000")
        if len(events) > 32767:
            raise ValueError("at most 32,767 events in one append")
        async with self.pool.acquire() as conn:
            tx = conn.transaction()
            await tx.start()
            try:
                receipt = await self._append_in(
                    conn, stream, expected_version, events, idempotency_key, snapshot
                )
                if self._before_commit is not None:
                    await self._before_commit()
            except _Replay as replay:
                await tx.rollback()
                return replay.receipt
            except asyncpg.UniqueViolationError as exc:
                await tx.rollback()
                if exc.constraint_name == "events_idempotency_key_key":
                    # The key was committed by another append after our head check.
                    return await self._replay_or_raise(conn, idempotency_key, stream, exc)
                if exc.constraint_name == "events_event_id_key":
                    raise DuplicateEventId(exc.detail or str(exc)) from exc
                raise StoreError(f"append to {stream} refused: {exc}") from exc
            except asyncpg.PostgresError as exc:
                await tx.rollback()
                raise StoreError(f"append to {stream} failed: {exc}") from exc
            except BaseException:
                await tx.rollback()
                raise
            try:
                await tx.commit()
            except asyncpg.PostgresError as exc:
                raise StoreError(f"append to {stream} failed at commit: {exc}") from exc
        log.debug("events appended", stream=str(stream), version=receipt.stream_version)
        return receipt

    async def _append_in(
        self,
        conn: Connection,
        stream: StreamRef,
        expected: int,
        events: Sequence[NewEvent],
        key: str,
        snapshot: Snapshot | SnapshotAt | None,
    ) -> AppendReceipt:
        head = await conn.fetchrow(_LOCK_HEAD, stream.type, stream.id, GENESIS, FEED_LOCK_KEY)
        assert head is not None  # an upsert with RETURNING always returns its row
        if head["version"] != expected:
            # A new statement: it sees what was committed while we waited for the head's row lock.
            found = await self._receipt(conn, key)
            if found is not None:
                if found.stream == stream:
                    raise _Replay(found)
                raise IdempotencyKeyReused(key, str(found.stream))
            raise WrongExpectedVersion(str(stream), expected, head["version"])

        now = datetime.now(UTC)
        # Times within a stream never go backwards, so "as of" a time is always a prefix.
        last_time: datetime | None = head["updated_at"]
        recorded_at = now if last_time is None or now >= last_time else last_time
        recorded_text = normalize(recorded_at)
        prev = head["last_hash"]
        ids, types, datas, metas, prevs, hashes = [], [], [], [], [], []
        for offset, event in enumerate(events, start=1):
            data = normalize(event.data)
            metadata = normalize(event.metadata)
            content = {
                "stream_type": stream.type,
                "stream_id": stream.id,
                "version": expected + offset,
                "event_id": str(event.event_id),
                "type": event.type,
                "data": data,
                "metadata": metadata,
                "idempotency_key": key,
                "recorded_at": recorded_text,
            }
            digest = event_hash(prev, content, normalized=True)
            ids.append(event.event_id)
            types.append(event.type)
            datas.append(dumps_normalized(data))
            metas.append(dumps_normalized(metadata))
            prevs.append(prev)
            hashes.append(digest)
            prev = digest
        new_version = expected + len(events)
        if callable(snapshot):
            snapshot = snapshot(recorded_at)
        rows = await conn.fetch(
            _WRITE,
            stream.type,
            stream.id,
            expected,
            key,
            recorded_at,
            ids,
            types,
            datas,
            metas,
            prevs,
            hashes,
            new_version,
            prev,
            snapshot.kind if snapshot else None,
            snapshot.id if snapshot else None,
            dumps_normalized(normalize(snapshot.state)) if snapshot else None,
        )
        return AppendReceipt(
            stream=stream,
            event_ids=ids,
            positions=[row["position"] for row in rows],
            first_version=expected + 1,
            stream_version=new_version,
            idempotency_key=key,
            recorded_at=recorded_at,
        )

    async def _receipt(self, conn: Connection, key: str) -> AppendReceipt | None:
        rows = await conn.fetch(_RECEIPT, key)
        if not rows:
            return None
        return AppendReceipt(
            stream=StreamRef.model_validate({"type": rows[0]["stream_type"], "id": rows[0]["stream_id"]}),
            event_ids=[row["event_id"] for row in rows],
            positions=[row["position"] for row in rows],
            first_version=rows[0]["version"],
            stream_version=rows[-1]["version"],
            idempotency_key=key,
            recorded_at=rows[0]["recorded_at"],
            replayed=True,
        )

    async def _replay_or_raise(
        self, conn: Connection, key: str, stream: StreamRef, cause: Exception
    ) -> AppendReceipt:
        found = await self._receipt(conn, key)
        if found is None:
            raise StoreError(f"idempotency key {key!r} conflicted but is not in the log") from cause
        if found.stream != stream:
            raise IdempotencyKeyReused(key, str(found.stream)) from cause
        return found

    async def read_stream(
        self, stream: StreamRef, to_version: int | None = None, as_of: datetime | None = None
    ) -> list[RecordedEvent]:
        """A stream's events in version order, up to ``to_version`` and/or recorded at or before ``as_of``."""
        rows = await self.pool.fetch(
            f"""SELECT {_COLUMNS} FROM events
            WHERE stream_type = $1 AND stream_id = $2
              AND ($3::int IS NULL OR version <= $3) AND ($4::timestamptz IS NULL OR recorded_at <= $4)
            ORDER BY version""",
            stream.type,
            stream.id,
            to_version,
            as_of,
        )
        return [_recorded(row) for row in rows]

    async def stream_version(self, stream: StreamRef) -> int:
        """The stream's current version; 0 when it has no events."""
        version = await self.pool.fetchval(
            "SELECT version FROM streams WHERE stream_type = $1 AND stream_id = $2", stream.type, stream.id
        )
        return int(version or 0)

    async def read_all(self, after_position: int = 0, limit: int = 500) -> list[RecordedEvent]:
        """Events of every stream with a position above ``after_position``, in position order.

        Gap-free for readers: a follower that asks again from the last position it saw never
        skips an event, even one whose transaction drew a lower position and committed later."""
        # Positions come from the identity sequence when a row is inserted, so a transaction that
        # drew 10 may commit after one that drew 11; reading "position > 9" in between would show
        # 11 and a follower would then skip 10 forever. Every appender holds the feed lock in
        # shared mode from before it draws positions until it commits or rolls back (_LOCK_HEAD).
        # feed_horizon() takes the same lock in exclusive mode, in a transaction of its own: it is
        # granted only when no appender is between drawing and finishing, and while it is held it
        # reads the sequence's last value H. Every position <= H is then settled (committed, or
        # rolled back for good), so reading up to H after that transaction ends cannot miss one.
        # The exclusive hold lasts one statement; appenders never lock each other out (shared).
        async with self.pool.acquire() as conn:
            try:
                horizon = await conn.fetchval(
                    "SELECT feed_horizon($1, $2)", FEED_LOCK_KEY, int(self.feed_lock_timeout * 1000)
                )
            except asyncpg.LockNotAvailableError as exc:
                raise FeedBusy(f"appenders held the feed for more than {self.feed_lock_timeout:g} s") from exc
            if horizon <= after_position:
                return []
            rows = await conn.fetch(
                f"""SELECT {_COLUMNS} FROM events WHERE position > $1 AND position <= $2
                ORDER BY position LIMIT $3""",
                after_position,
                horizon,
                limit,
            )
        return [_recorded(row) for row in rows]

    async def get_read_model(self, kind: str, id: str) -> dict[str, Any] | None:
        """The state of one read model, or None."""
        state: dict[str, Any] | None = await self.pool.fetchval(
            "SELECT state FROM read_models WHERE kind = $1 AND id = $2", kind, id
        )
        return state

    async def list_read_models(
        self,
        kind: str,
        *,
        contains: Mapping[str, Any] | None = None,
        after_id: str | None = None,
        limit: int = 100,
    ) -> list[ReadModel]:
        """Read models of one kind in id order; ``contains`` filters on a JSON subset of the state
        (``{"status": "certified"}``), ``after_id`` pages on."""
        rows = await self.pool.fetch(
            """SELECT kind, id, version, state, updated_at FROM read_models
            WHERE kind = $1 AND ($2::jsonb IS NULL OR state @> $2) AND ($3::text IS NULL OR id > $3)
            ORDER BY id LIMIT $4""",
            kind,
            dict(contains) if contains is not None else None,
            after_id,
            limit,
        )
        return [ReadModel(**dict(row)) for row in rows]

    async def put_read_model(self, kind: str, id: str, version: int, state: Mapping[str, Any]) -> None:
        """Write one read model (used by rebuilds; appends write theirs with the events)."""
        await self.pool.execute(
            """INSERT INTO read_models (kind, id, version, state, updated_at) VALUES ($1, $2, $3, $4, now())
            ON CONFLICT (kind, id) DO UPDATE
                SET version = EXCLUDED.version, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at""",
            kind,
            id,
            version,
            dict(state),
        )
