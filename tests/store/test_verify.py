"""Tamper detection: an attacker with superuser rights edits the log with SQL; verify names the
stream and the version where the chain breaks."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from schemas.log import StreamRef
from store import EventStore, event_hash, verify, verify_all
from store.events import Connection
from tests.store.helpers import journey, key, new_event


@pytest.fixture
async def log_with_streams(event_store: EventStore) -> EventStore:
    """Three journeys of 1, 3 and 4 events, plus a round."""
    await event_store.append(journey("J-1"), 0, [new_event()], key())
    await event_store.append(journey("J-2"), 0, [new_event(), new_event()], key())
    await event_store.append(journey("J-2"), 2, [new_event(step=3)], key())
    for version in range(4):
        await event_store.append(journey("J-3"), version, [new_event(step=version + 1)], key())
    await event_store.append(StreamRef(type="round", id="R-2025-1"), 0, [new_event("RoundOpened")], key())
    return event_store


@pytest.fixture
async def attacker(log_with_streams: EventStore) -> AsyncIterator[Connection]:
    """A superuser connection with the append-only trigger switched off."""
    async with log_with_streams.pool.acquire() as conn:
        await conn.execute("SET session_replication_role = replica")
        yield conn
        await conn.execute("RESET session_replication_role")


def _where(version: int, stream: str = "J-2") -> str:
    return f"stream_type = 'journey' AND stream_id = '{stream}' AND version = {version}"


async def test_an_intact_log_verifies(log_with_streams: EventStore) -> None:
    report = await verify_all(log_with_streams)

    assert report.ok
    assert (report.streams_checked, report.events_checked) == (4, 9)
    one = await verify(log_with_streams, journey("J-3"))
    assert one.ok
    assert (one.streams_checked, one.events_checked) == (1, 4)


async def test_an_empty_log_verifies(event_store: EventStore) -> None:
    report = await verify_all(event_store)
    assert report.ok
    assert report.events_checked == 0


async def _broken(store: EventStore, stream: str = "J-2") -> list[tuple[str, int, str]]:
    full = await verify_all(store)
    one = await verify(store, journey(stream))
    assert [link.model_dump() for link in one.broken] == [
        link.model_dump() for link in full.broken if link.stream == journey(stream)
    ]
    return [(str(link.stream), link.version, link.problem) for link in full.broken]


async def test_an_edited_field_is_found(log_with_streams: EventStore, attacker: Connection) -> None:
    await attacker.execute(f"UPDATE events SET data = jsonb_set(data, '{{score}}', '99') WHERE {_where(2)}")

    assert await _broken(log_with_streams) == [("journey:J-2", 2, "hash does not match content (edited?)")]


async def test_an_equal_number_written_differently_is_not_an_edit(
    log_with_streams: EventStore, attacker: Connection
) -> None:
    await attacker.execute(
        f"UPDATE events SET data = jsonb_set(data, '{{score}}', '85.50') WHERE {_where(2)}"
    )

    assert (await verify_all(log_with_streams)).ok


async def test_edited_metadata_is_found(log_with_streams: EventStore, attacker: Connection) -> None:
    await attacker.execute(
        f"""UPDATE events SET metadata = jsonb_set(metadata, '{{actor,role}}', '"chair"')
        WHERE {_where(1, "J-3")}"""
    )

    assert await _broken(log_with_streams, "J-3") == [
        ("journey:J-3", 1, "hash does not match content (edited?)")
    ]


async def test_a_deleted_middle_event_is_found(log_with_streams: EventStore, attacker: Connection) -> None:
    await attacker.execute(f"DELETE FROM events WHERE {_where(2)}")

    assert await _broken(log_with_streams) == [("journey:J-2", 2, "version 2 missing (deleted?)")]


async def test_a_deleted_last_event_is_found(log_with_streams: EventStore, attacker: Connection) -> None:
    await attacker.execute(f"DELETE FROM events WHERE {_where(4, 'J-3')}")

    assert await _broken(log_with_streams, "J-3") == [("journey:J-3", 4, "version 4 missing (deleted?)")]


async def test_swapped_versions_are_found(log_with_streams: EventStore, attacker: Connection) -> None:
    async with attacker.transaction():
        await attacker.execute(f"UPDATE events SET version = -1 WHERE {_where(2, 'J-3')}")
        await attacker.execute(f"UPDATE events SET version = 2 WHERE {_where(3, 'J-3')}")
        await attacker.execute(f"UPDATE events SET version = 3 WHERE {_where(-1, 'J-3')}")

    assert await _broken(log_with_streams, "J-3") == [
        ("journey:J-3", 2, "prev_hash does not link to version 1")
    ]


async def test_a_forged_event_is_found(log_with_streams: EventStore, attacker: Connection) -> None:
    # A forged fourth event that copies the third's hash as its link but cannot fake the head.
    await attacker.execute(
        f"""INSERT INTO events (event_id, stream_type, stream_id, version, type, data, metadata,
            idempotency_key, batch_index, recorded_at, prev_hash, hash)
        SELECT gen_random_uuid(), stream_type, stream_id, 4, 'RecognitionGranted', '{{"stars": 5}}', metadata,
            'forged', 0, recorded_at, hash, repeat('f', 64)
        FROM events WHERE {_where(3)}"""
    )

    assert await _broken(log_with_streams) == [
        ("journey:J-2", 4, "hash does not match content (edited?)"),
    ]


async def test_a_well_hashed_forgery_without_the_head_is_found(
    log_with_streams: EventStore, attacker: Connection
) -> None:
    # The attacker recomputes a correct hash (the algorithm is public) but does not move the head.
    [last] = await log_with_streams.read_stream(journey("J-1"))
    content = {
        "stream_type": "journey",
        "stream_id": "J-1",
        "version": 2,
        "event_id": "00000000-0000-0000-0000-000000000001",
        "type": "RecognitionGranted",
        "data": {"stars": 5},
        "metadata": last.metadata,
        "idempotency_key": "forged",
        "recorded_at": last.recorded_at,
    }
    await attacker.execute(
        """INSERT INTO events (event_id, stream_type, stream_id, version, type, data, metadata,
            idempotency_key, batch_index, recorded_at, prev_hash, hash)
        VALUES ($1::uuid, 'journey', 'J-1', 2, 'RecognitionGranted', '{"stars": 5}', $2::jsonb,
            'forged', 0, $3, $4, $5)""",
        content["event_id"],
        last.metadata.model_dump(mode="json"),
        last.recorded_at,
        last.hash,
        event_hash(last.hash, content),
    )

    assert await _broken(log_with_streams, "J-1") == [
        ("journey:J-1", 2, "version 2 is beyond the stream head at 1 (forged?)"),
    ]


async def test_events_of_a_stream_without_head_and_a_head_without_events(
    log_with_streams: EventStore, attacker: Connection
) -> None:
    await attacker.execute("DELETE FROM streams WHERE stream_type = 'round'")
    await attacker.execute("DELETE FROM events WHERE stream_id = 'J-1'")

    report = await verify_all(log_with_streams)

    assert [(str(b.stream), b.version, b.problem) for b in report.broken] == [
        ("journey:J-1", 1, "the stream head is at version 1 but the stream has no events (deleted?)"),
        ("round:R-2025-1", 1, "events without a stream head (head deleted?)"),
    ]
    assert report.streams_checked == 4


async def test_every_broken_stream_is_reported_once(
    log_with_streams: EventStore, attacker: Connection
) -> None:
    await attacker.execute(f"DELETE FROM events WHERE {_where(1)}")
    await attacker.execute(f"UPDATE events SET type = 'Other' WHERE {_where(2)}")
    await attacker.execute(f"UPDATE events SET type = 'Other' WHERE {_where(3, 'J-3')}")

    report = await verify_all(log_with_streams)

    assert [(str(b.stream), b.version, b.problem) for b in report.broken] == [
        ("journey:J-2", 1, "version 1 missing (deleted?)"),
        ("journey:J-3", 3, "hash does not match content (edited?)"),
    ]
    assert report.events_checked == 8


@pytest.mark.parametrize("page_size", [1, 2, 3, 7])
async def test_small_pages_give_the_same_report(
    log_with_streams: EventStore, attacker: Connection, page_size: int
) -> None:
    await log_with_streams.append(journey("J-4"), 0, [new_event()], key())
    await attacker.execute(f"DELETE FROM events WHERE {_where(1)}")
    await attacker.execute("DELETE FROM events WHERE stream_id = 'J-1'")
    await attacker.execute("DELETE FROM streams WHERE stream_id = 'J-4'")
    await attacker.execute(f"UPDATE events SET type = 'Other' WHERE {_where(4, 'J-3')}")

    paged = await verify_all(log_with_streams, page_size=page_size)

    assert paged == await verify_all(log_with_streams)
    assert [(str(b.stream), b.version) for b in paged.broken] == [
        ("journey:J-1", 1),
        ("journey:J-2", 1),
        ("journey:J-3", 4),
        ("journey:J-4", 1),
    ]
    assert (paged.streams_checked, paged.events_checked) == (5, 8)


async def _move_to_the_end(attacker: Connection, where: str) -> None:
    """Delete an event and insert it again unchanged: it gets a new, last position (the log is read
    in position order, so its stream's events no longer come in version order)."""
    async with attacker.transaction():
        row = await attacker.fetchrow(f"SELECT * FROM events WHERE {where}")
        assert row is not None
        await attacker.execute(f"DELETE FROM events WHERE {where}")
        columns = [name for name in dict(row) if name != "position"]
        await attacker.execute(
            f"INSERT INTO events ({', '.join(columns)}) "
            f"VALUES ({', '.join(f'${n}' for n in range(1, len(columns) + 1))})",
            *(row[name] for name in columns),
        )


async def test_events_out_of_position_order_are_checked_in_version_order(
    log_with_streams: EventStore, attacker: Connection
) -> None:
    # Only the positions changed: every link and hash is as appended, as verify of the stream says.
    await _move_to_the_end(attacker, _where(2, "J-3"))
    assert (await verify(log_with_streams, journey("J-3"))).ok

    report = await verify_all(log_with_streams)

    assert report.ok, report.broken
    assert (report.streams_checked, report.events_checked) == (4, 9)


async def test_an_edit_in_a_stream_out_of_position_order_is_found(
    log_with_streams: EventStore, attacker: Connection
) -> None:
    await _move_to_the_end(attacker, _where(1, "J-3"))
    await attacker.execute(f"UPDATE events SET type = 'Other' WHERE {_where(3, 'J-3')}")

    assert await _broken(log_with_streams, "J-3") == [
        ("journey:J-3", 3, "hash does not match content (edited?)")
    ]


async def test_a_version_removed_and_the_rest_renumbered_is_found(
    log_with_streams: EventStore, attacker: Connection
) -> None:
    # Versions 1, 2, 4 renumbered 1, 2, 3 and the head moved back: version 3's link is to the
    # removed event, so the chain breaks there.
    async with attacker.transaction():
        await attacker.execute(f"DELETE FROM events WHERE {_where(3, 'J-3')}")
        await attacker.execute(f"UPDATE events SET version = 3 WHERE {_where(4, 'J-3')}")
        await attacker.execute(
            "UPDATE streams SET version = 3 WHERE stream_type = 'journey' AND stream_id = 'J-3'"
        )

    assert await _broken(log_with_streams, "J-3") == [
        ("journey:J-3", 3, "prev_hash does not link to version 2")
    ]
