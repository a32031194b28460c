"""Parties: personal data lives apart from the events and can be erased without breaking the log."""

from __future__ import annotations

import uuid

import asyncpg

from store import EventStore, PartyStore, verify_all
from tests.store.helpers import journey, key, new_event


async def test_erasing_a_party_removes_its_personal_data_and_the_log_still_verifies(
    event_store: EventStore, store_pool: asyncpg.Pool
) -> None:
    parties = PartyStore(store_pool)
    producer = await parties.add(
        "producer",
        display_name="Nguyễn Thị Lan",
        phone="+84 912 345 678",
        address="Thôn 3, xã Tân Lập",
        email="lan@example.vn",
    )
    await event_store.append(journey("J-1"), 0, [new_event(producer_id=str(producer))], key())

    stored = await parties.get(producer)
    assert stored is not None
    assert stored.display_name == "Nguyễn Thị Lan"
    assert await parties.erase(producer)

    erased = await parties.get(producer)
    assert erased is not None
    assert (erased.display_name, erased.phone, erased.address, erased.email) == (None, None, None, None)
    assert erased.erased_at is not None
    assert (await verify_all(event_store)).ok
    # The events still name the producer by id, and nothing personal was ever in them.
    [event] = await event_store.read_stream(journey("J-1"))
    assert event.data["producer_id"] == str(producer)
    dump = await store_pool.fetchval("SELECT string_agg(data::text || metadata::text, '') FROM events")
    assert "Lan" not in dump
    # (The whole phone number: its digits alone could turn up in a random uuid.)
    assert "912 345 678" not in dump
    assert "Tân Lập" not in dump


async def test_erasing_an_unknown_party_says_so(store_pool: asyncpg.Pool) -> None:
    assert not await PartyStore(store_pool).erase(uuid.uuid4())
    assert await PartyStore(store_pool).get(uuid.uuid4()) is None
