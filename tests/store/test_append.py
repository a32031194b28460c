"""Contract of EventStore.append and the stream reads, on a real PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from decimal import Decimal

import asyncpg
import pytest

from schemas.log import Snapshot
from store import (
    GENESIS,
    DuplicateEventId,
    EventStore,
    IdempotencyKeyReused,
    WrongExpectedVersion,
    event_hash,
)
from tests.store.helpers import journey, key, new_event


async def test_append_and_read_back(event_store: EventStore) -> None:
    stream = journey("J-1")
    first, second = new_event("DossierSubmitted"), new_event("DossierScored", score=Decimal("91.25"))

    receipt = await event_store.append(stream, 0, [first, second], "k-1")

    assert receipt.stream == stream
    assert receipt.event_ids == [first.event_id, second.event_id]
    assert receipt.first_version == 1
    assert receipt.stream_version == 2
    assert receipt.positions[0] < receipt.positions[1]
    assert not receipt.replayed
    events = await event_store.read_stream(stream)
    assert [e.event_id for e in events] == [first.event_id, second.event_id]
    assert [e.version for e in events] == [1, 2]
    assert [e.position for e in events] == receipt.positions
    assert events[1].type == "DossierScored"
    assert events[1].data == {"dossier_id": "D-1", "score": Decimal("91.25")}
    assert events[0].metadata == first.metadata
    assert all(e.recorded_at == receipt.recorded_at for e in events)
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert await event_store.stream_version(stream) == 2
    assert await event_store.stream_version(journey("nobody")) == 0


async def test_hash_covers_the_documented_content(event_store: EventStore) -> None:
    stream = journey("J-hash")
    event = new_event()
    receipt = await event_store.append(stream, 0, [event], "k-hash")
    [stored] = await event_store.read_stream(stream)

    content = {
        "stream_type": "journey",
        "stream_id": "J-hash",
        "version": 1,
        "event_id": event.event_id,
        "type": event.type,
        "data": event.data,
        "metadata": event.metadata,
        "idempotency_key": "k-hash",
        "recorded_at": receipt.recorded_at,
    }
    assert stored.hash == event_hash(GENESIS, content)


async def test_wrong_expected_version_writes_nothing(event_store: EventStore) -> None:
    stream = journey("J-2")
    await event_store.append(stream, 0, [new_event()], key())

    with pytest.raises(WrongExpectedVersion) as caught:
        await event_store.append(stream, 0, [new_event()], key())

    assert (caught.value.expected, caught.value.actual) == (0, 1)
    assert len(await event_store.read_stream(stream)) == 1
    assert await event_store.stream_version(stream) == 1


async def test_expected_version_on_a_missing_stream_creates_no_head(event_store: EventStore) -> None:
    with pytest.raises(WrongExpectedVersion):
        await event_store.append(journey("J-ghost"), 3, [new_event()], key())

    assert await event_store.pool.fetchval("SELECT count(*) FROM streams") == 0
    assert await event_store.read_all() == []


async def test_same_key_twice_returns_the_first_receipt(event_store: EventStore) -> None:
    stream = journey("J-3")
    batch = [new_event(), new_event()]
    first = await event_store.append(stream, 0, batch, "decide-once")

    # A retry with the same expected version, and one that re-read the (moved) version.
    again = await event_store.append(stream, 0, [new_event(), new_event()], "decide-once")
    reread = await event_store.append(stream, 2, [new_event()], "decide-once")

    for replay in (again, reread):
        assert replay.replayed
        assert replay.model_dump(exclude={"replayed"}) == first.model_dump(exclude={"replayed"})
    assert [e.event_id for e in await event_store.read_stream(stream)] == [e.event_id for e in batch]


async def test_key_reused_for_another_stream_is_refused(event_store: EventStore) -> None:
    await event_store.append(journey("J-4"), 0, [new_event()], "shared-key")

    with pytest.raises(IdempotencyKeyReused) as caught:
        await event_store.append(journey("J-5"), 0, [new_event()], "shared-key")

    assert caught.value.stream == "journey:J-4"
    assert await event_store.stream_version(journey("J-5")) == 0


async def test_empty_append_is_refused(event_store: EventStore) -> None:
    with pytest.raises(ValueError, match="at least one event"):
        await event_store.append(journey("J-6"), 0, [], key())


async def test_twenty_concurrent_appenders_one_winner(event_store: EventStore) -> None:
    stream = journey("J-race")
    await event_store.append(stream, 0, [new_event()], key())

    results = await asyncio.gather(
        *(event_store.append(stream, 1, [new_event()], key()) for _ in range(20)), return_exceptions=True
    )

    winners = [r for r in results if not isinstance(r, BaseException)]
    conflicts = [r for r in results if isinstance(r, WrongExpectedVersion)]
    assert len(winners) == 1
    assert len(conflicts) == 19
    assert all(c.actual == 2 for c in conflicts)
    events = await event_store.read_stream(stream)
    assert [e.version for e in events] == [1, 2]
    assert events[1].event_id == winners[0].event_ids[0]


async def test_concurrent_retries_of_one_key_write_once(event_store: EventStore) -> None:
    stream = journey("J-retry")

    receipts = await asyncio.gather(
        *(event_store.append(stream, 0, [new_event()], "retry") for _ in range(10))
    )

    assert sum(not r.replayed for r in receipts) == 1
    assert len({tuple(r.event_ids) for r in receipts}) == 1
    assert len(await event_store.read_stream(stream)) == 1


async def test_snapshot_is_written_with_the_events(event_store: EventStore) -> None:
    stream = journey("J-snap")
    state = {"status": "submitted", "score": Decimal("85.5")}

    await event_store.append(
        stream, 0, [new_event(), new_event()], key(), Snapshot(kind="journey", id="J-snap", state=state)
    )

    assert await event_store.get_read_model("journey", "J-snap") == state
    [model] = await event_store.list_read_models("journey")
    assert model.version == 2


async def test_snapshot_can_depend_on_the_recorded_time(event_store: EventStore) -> None:
    def snapshot(recorded_at: datetime) -> Snapshot:
        return Snapshot(kind="journey", id="J-at", state={"since": recorded_at.isoformat()})

    receipt = await event_store.append(journey("J-at"), 0, [new_event()], key(), snapshot)

    assert await event_store.get_read_model("journey", "J-at") == {"since": receipt.recorded_at.isoformat()}


async def test_snapshot_is_not_written_when_the_append_conflicts(event_store: EventStore) -> None:
    stream = journey("J-snap2")
    await event_store.append(
        stream, 0, [new_event()], key(), Snapshot(kind="journey", id="J-snap2", state={"v": 1})
    )

    with pytest.raises(WrongExpectedVersion):
        await event_store.append(
            stream, 0, [new_event()], key(), Snapshot(kind="journey", id="J-snap2", state={"v": 2})
        )

    assert await event_store.get_read_model("journey", "J-snap2") == {"v": 1}


async def test_a_failed_event_write_leaves_no_snapshot_and_no_head(event_store: EventStore) -> None:
    taken = new_event()
    await event_store.append(journey("J-a"), 0, [taken], key())

    with pytest.raises(DuplicateEventId):
        await event_store.append(
            journey("J-b"), 0, [taken], key(), Snapshot(kind="journey", id="J-b", state={"x": 1})
        )

    assert await event_store.get_read_model("journey", "J-b") is None
    assert await event_store.stream_version(journey("J-b")) == 0


async def test_read_stream_to_version_and_as_of(event_store: EventStore) -> None:
    stream = journey("J-time")
    first = await event_store.append(stream, 0, [new_event(), new_event()], key())
    await asyncio.sleep(0.01)
    second = await event_store.append(stream, 2, [new_event()], key())

    assert [e.version for e in await event_store.read_stream(stream, to_version=2)] == [1, 2]
    assert [e.version for e in await event_store.read_stream(stream, as_of=first.recorded_at)] == [1, 2]
    assert [e.version for e in await event_store.read_stream(stream, as_of=second.recorded_at)] == [1, 2, 3]
    before = first.recorded_at - timedelta(microseconds=1)
    assert await event_store.read_stream(stream, as_of=before) == []
    assert [
        e.version for e in await event_store.read_stream(stream, to_version=1, as_of=second.recorded_at)
    ] == [1]


async def test_events_cannot_be_updated_or_deleted(event_store: EventStore) -> None:
    await event_store.append(journey("J-ro"), 0, [new_event()], key())

    async with event_store.pool.acquire() as conn:
        # CASCADE: other tables (the notifier's notices) reference events; the append-only rule
        # must refuse even a truncation that would take them along.
        for statement in ("UPDATE events SET type = 'X'", "DELETE FROM events", "TRUNCATE events CASCADE"):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
                await conn.execute(statement)

    assert len(await event_store.read_stream(journey("J-ro"))) == 1


async def test_read_models_list_filter_and_put(event_store: EventStore) -> None:
    for ident, status in [("J-1", "certified"), ("J-2", "submitted"), ("J-3", "certified")]:
        await event_store.put_read_model("journey", ident, 1, {"status": status, "id": ident})
    await event_store.put_read_model("journey", "J-2", 2, {"status": "certified", "id": "J-2"})

    certified = await event_store.list_read_models("journey", contains={"status": "certified"})
    assert [m.id for m in certified] == ["J-1", "J-2", "J-3"]
    page = await event_store.list_read_models("journey", after_id="J-1", limit=1)
    assert [(m.id, m.version) for m in page] == [("J-2", 2)]
    assert await event_store.list_read_models("round") == []
