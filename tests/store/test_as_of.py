"""State "as of" a time folds a prefix of the stream, even if a later version carries an earlier time."""

from __future__ import annotations

from datetime import timedelta

import asyncpg

from store import EventStore
from tests.store.helpers import journey, key, new_event


async def test_as_of_stops_at_the_first_event_recorded_later(
    event_store: EventStore, migrated_database_url: str
) -> None:
    stream = journey("J-ASOF")
    for version in range(3):
        await event_store.append(stream, version, [new_event(step=version + 1)], key())
    v1, _, v3 = await event_store.read_stream(stream)

    # Two writers' clocks disagree: version 2 carries a time an hour before version 1's.
    conn = await asyncpg.connect(migrated_database_url)
    try:
        await conn.execute("SET session_replication_role = replica")  # past the append-only trigger
        await conn.execute(
            "UPDATE events SET recorded_at = $1 WHERE stream_id = 'J-ASOF' AND version = 2",
            v1.recorded_at - timedelta(hours=1),
        )
    finally:
        await conn.close()

    half_hour_before_v1 = v1.recorded_at - timedelta(minutes=30)
    assert await event_store.read_stream(stream, as_of=half_hour_before_v1) == []
    assert [e.version for e in await event_store.read_stream(stream, as_of=v1.recorded_at)] == [1, 2]
    assert [e.version for e in await event_store.read_stream(stream, as_of=v3.recorded_at)] == [1, 2, 3]
