"""The event store: append with expected version and idempotency key, hash-chained streams, a
gap-free global feed, and the read models written in the same transaction as the events."""

from __future__ import annotations

import gc
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg
import structlog
from asyncpg.pool import PoolConnectionProxy

import metrics
from schemas.log import AppendReceipt, NewEvent, RecordedEvent, Snapshot, StreamRef
from store.canonical import dumps_normalized, event_content_json, normalize
from store.db import fetch_planned_for_its_arguments
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

# The whole append, one round trip: migrations/0002_append_function.sql.
_APPEND = "SELECT append_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"

# SQLSTATE append_events raises when the stream is not at the expected version.
_WRONG_VERSION = "OC409"

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


def _recorded(row: asyncpg.Record) -> RecordedEvent:
    # One validation of the whole envelope (nested models included) costs less than building
    # the stream and the metadata first; model_construct, a Python loop, costs more.
    return RecordedEvent.model_validate(
        {
            "position": row["position"],
            "stream": {"type": row["stream_type"], "id": row["stream_id"]},
            "version": row["version"],
            "event_id": row["event_id"],
            "type": row["type"],
            "data": row["data"],
            "metadata": row["metadata"],
            "idempotency_key": row["idempotency_key"],
            "recorded_at": row["recorded_at"],
            "prev_hash": row["prev_hash"],
            "hash": row["hash"],
        }
    )


def _page(rows: list[asyncpg.Record]) -> list[RecordedEvent]:
    """The events of a feed page, built with the cyclic collector paused: the tens of thousands of
    objects a page of 500 makes (each event's dicts, strings and models) set off collections that
    walk them again and again while they are being built, a third of the page's CPU (bench/README.md).
    Nothing awaits meanwhile, so no other task runs with it paused; it is left as it was found."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return [_recorded(row) for row in rows]
    finally:
        if collecting:
            gc.enable()


def read_model_filters(
    contains: Mapping[str, Any] | None, after_id: str | None, *, first: int
) -> tuple[str, list[Any]]:
    """The conditions of a listing of read models (`` AND state @> $n AND id > $m``, only those
    given) and their arguments, numbered from ``$first``. Only the conditions given are written: a
    statement with ``$n IS NULL OR state @> $n`` in it, once PostgreSQL plans it generically (after
    five runs of a prepared statement), can no longer use the GIN index on ``state`` and walks the
    journeys in id order, unpacking each one's state, until it has found a page."""
    where: list[str] = []
    args: list[Any] = []
    if contains is not None:
        args.append(dict(contains))
        where.append(f"state @> ${first + len(args) - 1}::jsonb")
    if after_id is not None:
        args.append(after_id)
        where.append(f"id > ${first + len(args) - 1}")
    return "".join(f" AND {condition}" for condition in where), args


def _count_recorded(stream: StreamRef, events: Sequence[NewEvent], started: float) -> None:
    """Count the events an append wrote and its duration (metrics.py); a replayed append wrote none."""
    metrics.observe_append(stream.type, [event.type for event in events], time.perf_counter() - started)


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
        *,
        connection: Connection | None = None,
    ) -> AppendReceipt:
        """Append ``events`` to ``stream`` if it is at ``expected_version``, in one transaction.

        ``snapshot`` (a read model written in the same transaction) may be a function of the time
        the store records on the events. A key already used for this stream returns the first
        append's receipt (``replayed``) and writes nothing. With ``connection`` (inside the
        caller's transaction) the append joins that transaction, so the caller's own rows commit
        with the events or not at all; the feed lock is then held until the caller commits."""
        if not events:
            raise ValueError("an append needs at least one event")
        if not idempotency_key or "\x00" in idempotency_key:
            raise ValueError("the idempotency key must be a non-empty string without U+0000")
        if len(events) > 32767:
            raise ValueError("at most 32,767 events in one append")
        started = time.perf_counter()
        recorded_at = datetime.now(UTC)
        recorded_text = normalize(recorded_at)
        if callable(snapshot):
            snapshot = snapshot(recorded_at)
        datas, metas, contents = [], [], []
        for offset, event in enumerate(events, start=1):
            data = dumps_normalized(normalize(event.data))
            metadata = dumps_normalized(normalize(event.metadata))
            datas.append(data)
            metas.append(metadata)
            contents.append(
                event_content_json(
                    stream_type=stream.type,
                    stream_id=stream.id,
                    version=expected_version + offset,
                    event_id=str(event.event_id),
                    type=event.type,
                    data_json=data,
                    metadata_json=metadata,
                    idempotency_key=idempotency_key,
                    recorded_at=recorded_text,
                )
            )
        event_ids = [event.event_id for event in events]
        args = (
            stream.type,
            stream.id,
            expected_version,
            idempotency_key,
            recorded_at,
            event_ids,
            [event.type for event in events],
            datas,
            metas,
            contents,
            snapshot.kind if snapshot else None,
            snapshot.id if snapshot else None,
            dumps_normalized(normalize(snapshot.state)) if snapshot else None,
            FEED_LOCK_KEY,
        )
        if connection is not None:
            try:
                # A savepoint: a refused append leaves the caller's transaction usable.
                async with connection.transaction():
                    positions = await connection.fetchval(_APPEND, *args)
            except asyncpg.PostgresError as exc:
                return await self._refused(connection, exc, stream, expected_version, idempotency_key)
            _count_recorded(stream, events, started)
            return self._receipt_of(
                stream, event_ids, positions, expected_version, idempotency_key, recorded_at
            )
        async with self.pool.acquire() as conn:
            try:
                if self._before_commit is None:
                    # One statement is one transaction: the events, the head and the snapshot
                    # commit together or not at all.
                    positions = await conn.fetchval(_APPEND, *args)
                else:
                    async with conn.transaction():
                        positions = await conn.fetchval(_APPEND, *args)
                        await self._before_commit()
            except asyncpg.PostgresError as exc:
                return await self._refused(conn, exc, stream, expected_version, idempotency_key)
        _count_recorded(stream, events, started)
        return self._receipt_of(stream, event_ids, positions, expected_version, idempotency_key, recorded_at)

    @staticmethod
    def _receipt_of(
        stream: StreamRef,
        event_ids: list[UUID],
        positions: list[int],
        expected_version: int,
        idempotency_key: str,
        recorded_at: datetime,
    ) -> AppendReceipt:
        return AppendReceipt(
            stream=stream,
            event_ids=event_ids,
            positions=positions,
            first_version=expected_version + 1,
            stream_version=expected_version + len(event_ids),
            idempotency_key=idempotency_key,
            recorded_at=recorded_at,
        )

    async def _refused(
        self, conn: Connection, exc: asyncpg.PostgresError, stream: StreamRef, expected: int, key: str
    ) -> AppendReceipt:
        """Explain a refused append, or return the stored receipt if it was a retry."""
        wrong_version = exc.sqlstate == _WRONG_VERSION
        constraint = getattr(exc, "constraint_name", None)
        if wrong_version or constraint == "events_idempotency_key_key":
            # A new statement, after the refused one: it sees every append committed meanwhile,
            # including the one that used this key first.
            found = await self._receipt(conn, key)
            if found is not None:
                if found.stream != stream:
                    raise IdempotencyKeyReused(key, str(found.stream)) from exc
                return found
            if wrong_version:
                actual = int(getattr(exc, "detail", None) or -1)
                raise WrongExpectedVersion(str(stream), expected, actual) from exc
        if constraint == "events_event_id_key":
            raise DuplicateEventId(getattr(exc, "detail", None) or str(exc)) from exc
        raise StoreError(f"append to {stream} failed: {exc}") from exc

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

    async def read_stream(
        self, stream: StreamRef, to_version: int | None = None, as_of: datetime | None = None
    ) -> list[RecordedEvent]:
        """A stream's events in version order, up to ``to_version`` and/or recorded at or before ``as_of``.

        "As of" is always a prefix of the stream: it stops before the first event recorded after
        ``as_of``. (Times are stamped by each writer's clock before it takes the stream's lock, so
        with two writers a later version could carry an earlier time; a state folds from a prefix.)"""
        rows = await self.pool.fetch(
            f"""SELECT {_COLUMNS} FROM events
            WHERE stream_type = $1 AND stream_id = $2
              AND ($3::int IS NULL OR version <= $3)
              AND ($4::timestamptz IS NULL OR version < coalesce(
                    (SELECT min(later.version) FROM events later
                     WHERE later.stream_type = $1 AND later.stream_id = $2 AND later.recorded_at > $4),
                    2147483647))
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
        # shared mode from before it draws positions until it commits or rolls back (append_events).
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
        return _page(rows)

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
        where, args = read_model_filters(contains, after_id, first=2)
        rows = await fetch_planned_for_its_arguments(
            self.pool,
            f"""SELECT kind, id, version, state, updated_at FROM read_models
            WHERE kind = $1{where} ORDER BY id LIMIT ${len(args) + 2}""",
            kind,
            *args,
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
