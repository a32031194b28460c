"""verify's fast path (``fast_event_hash``): a hash it gives is the exact hash, it steps aside when a
number could be read inexactly, and tampering is found whichever path an event takes."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.log import Actor, EventMetadata, NewEvent
from store import GENESIS, EventStore, canonical_json, event_hash, verify_all
from store.canonical import fast_event_hash, parse_normalized
from store.events import Connection
from tests.store.helpers import journey, key
from tests.store.test_canonical import contents, texts


def _hashes(data_text: str, metadata_text: str, prev: str = GENESIS) -> tuple[str | None, str]:
    """The fast hash (or None) and the exact hash of one event with these data and metadata texts."""
    fields: dict[str, Any] = {
        "stream_type": "journey",
        "stream_id": "J-1",
        "version": 3,
        "event_id": str(uuid.UUID(int=7)),
        "type": "scorecard_submitted",
        "idempotency_key": "k-1",
        "recorded_at": "2026-03-02T03:00:00.000000Z",
    }
    fast = fast_event_hash(prev, data_text=data_text, metadata_text=metadata_text, **fields)
    content = {**fields, "data": parse_normalized(data_text), "metadata": parse_normalized(metadata_text)}
    return fast, event_hash(prev, content, normalized=True)


@given(data=contents, metadata=contents)
def test_a_fast_hash_is_the_exact_hash(data: dict[str, Any], metadata: dict[str, Any]) -> None:
    # As jsonb prints them: keys reordered, spaces after separators.
    for text_of in (canonical_json, lambda v: json.dumps(json.loads(canonical_json(v)), sort_keys=False)):
        fast, exact = _hashes(text_of(data), text_of(metadata))
        assert fast is None or fast == exact


@given(data=st.dictionaries(texts, st.one_of(texts, st.integers(-(2**63), 2**63 - 1)), max_size=6))
def test_strings_and_integers_take_the_fast_path(data: dict[str, Any]) -> None:
    fast, exact = _hashes(canonical_json(data), canonical_json({"actor": {"id": "p-1", "role": "expert"}}))
    assert fast == exact


@pytest.mark.parametrize(
    "number",
    [
        "0.1000000000000000055511151231257827",  # reads as the float 0.1
        "123456789012345678901234567890",  # beyond 64 bits: orjson reads a float
        "85.0",  # canonically 85
        "1e2",
    ],
)
def test_a_number_that_could_be_read_inexactly_takes_the_exact_path(number: str) -> None:
    fast, _ = _hashes(f'{{"score": {number}, "member": "m-1"}}', '{"reason": "ok"}')
    assert fast is None


@pytest.fixture
async def integer_log(event_store: EventStore) -> AsyncIterator[tuple[EventStore, Connection]]:
    """A stream of events with integer and string data only (the fast path), and an attacker."""
    for version in range(3):
        event = NewEvent(
            event_id=uuid.uuid4(),
            type="scorecard_submitted",
            data={
                "member_id": f"m-{version}",
                "score": 80 + version,
                "total": "80.00",
                "at": datetime.now(UTC),
            },
            metadata=EventMetadata(actor=Actor(id="m-1", role="council_member"), rulebook="qd148-1489-2025"),
        )
        await event_store.append(journey("J-INT"), version, [event], key())
    async with event_store.pool.acquire() as conn:
        await conn.execute("SET session_replication_role = replica")
        yield event_store, conn
        await conn.execute("RESET session_replication_role")


_WHERE = "stream_type = 'journey' AND stream_id = 'J-INT' AND version = 2"


@pytest.mark.parametrize(
    "value",
    [
        "81.0000000000000000000001",  # the float 81.0: the fast path must not take it for 81
        "81.5",
        "82",
        '"81"',
    ],
)
async def test_an_edited_number_is_found(integer_log: tuple[EventStore, Connection], value: str) -> None:
    store, attacker = integer_log
    assert (await verify_all(store)).ok
    await attacker.execute(f"UPDATE events SET data = jsonb_set(data, '{{score}}', '{value}') WHERE {_WHERE}")

    report = await verify_all(store)

    assert [(str(link.stream), link.version, link.problem) for link in report.broken] == [
        ("journey:J-INT", 2, "hash does not match content (edited?)")
    ]


async def test_the_same_number_spelled_otherwise_is_not_an_edit(
    integer_log: tuple[EventStore, Connection],
) -> None:
    store, attacker = integer_log
    await attacker.execute(f"UPDATE events SET data = jsonb_set(data, '{{score}}', '81.000') WHERE {_WHERE}")

    assert (await verify_all(store)).ok
