"""Canonical JSON and the event hash: equal content, equal text; any change, another hash."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.log import Actor, EventMetadata
from store import GENESIS, canonical_json, event_hash
from store.canonical import dumps_normalized, event_content_json, parse_normalized

# Text PostgreSQL's jsonb can hold: no U+0000, no lone surrogates.
texts = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.decimals(min_value=Decimal("-1e40"), max_value=Decimal("1e40"), allow_nan=False, allow_infinity=False),
)
scalars = st.one_of(st.none(), st.booleans(), texts, numbers)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=20,
)
contents = st.dictionaries(texts, json_values, min_size=1, max_size=6)


def _reordered(value: Any) -> Any:
    """The same value with every dict's keys inserted in reverse order."""
    if isinstance(value, dict):
        return {k: _reordered(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reordered(v) for v in value]
    return value


def _as_other_numbers(value: Any) -> Any:
    """The same value with every number built another way (int <-> float <-> Decimal)."""
    if isinstance(value, dict):
        return {k: _as_other_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_other_numbers(v) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value).quantize(Decimal("0.00")) if abs(value) < 10**20 else Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) * 1  # an equal Decimal, whatever its exponent
    if isinstance(value, Decimal):
        as_float = float(value)
        if Decimal(repr(as_float)) == value:
            return as_float
        sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        return Decimal((sign, (*digits, 0, 0, 0), exponent - 3))  # equal, three more zeros
    return value


@given(contents)
def test_key_order_does_not_matter(content: dict[str, Any]) -> None:
    assert canonical_json(_reordered(content)) == canonical_json(content)
    assert event_hash(GENESIS, _reordered(content)) == event_hash(GENESIS, content)


@given(contents)
def test_how_a_number_was_built_does_not_matter(content: dict[str, Any]) -> None:
    assert canonical_json(_as_other_numbers(content)) == canonical_json(content)
    assert event_hash(GENESIS, _as_other_numbers(content)) == event_hash(GENESIS, content)


def test_equal_numbers_give_one_text() -> None:
    assert canonical_json([85, 85.0, Decimal("85.00"), Decimal("8.5E+1")]) == "[85,85,85,85]"
    assert canonical_json([85.5, Decimal("85.50")]) == "[85.5,85.5]"
    assert canonical_json([-0.0, Decimal("-0"), 1e-7, 1e22]) == "[0,0,0.0000001,10000000000000000000000]"
    assert canonical_json([True, False, 1, 0]) == "[true,false,1,0]"


def test_other_types_have_one_text() -> None:
    hanoi = timezone(timedelta(hours=7))
    value = {
        "z": "Hà Nội",
        "at": datetime(2025, 7, 1, 9, 30, tzinfo=hanoi),
        "on": date(2025, 7, 1),
        "id": uuid.UUID(int=1),
        "pair": (1, 2),
        "actor": Actor(id="p-1", role="chair"),
    }
    assert canonical_json(value) == (
        '{"actor":{"id":"p-1","role":"chair"},"at":"2025-07-01T02:30:00.000000Z",'
        '"id":"00000000-0000-0000-0000-000000000001","on":"2025-07-01","pair":[1,2],"z":"Hà Nội"}'
    )


@pytest.mark.parametrize(
    "bad", [float("nan"), float("inf"), Decimal("NaN"), "a\x00b", {"k\x00": 1}, datetime(2025, 1, 1)]
)
def test_values_jsonb_cannot_hold_exactly_are_refused(bad: Any) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - several messages, one contract
        canonical_json({"v": bad})


def test_non_string_keys_are_refused() -> None:
    with pytest.raises(TypeError, match="keys must be strings"):
        canonical_json({1: "a"})


@st.composite
def content_and_change(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A content and a different content: one value replaced by an unequal one, a key added or removed."""
    content = draw(contents)
    changed = dict(content)
    name = draw(st.sampled_from(sorted(content)))
    action = draw(st.sampled_from(["replace", "add", "remove"]))
    if action == "replace":
        old = json.loads(canonical_json(content[name]))
        new = draw(json_values.filter(lambda v: json.loads(canonical_json(v)) != old))
        changed[name] = new
    elif action == "add":
        changed[draw(texts.filter(lambda k: k not in content))] = draw(json_values)
    else:
        del changed[name]
    return content, changed


@given(content_and_change())
def test_any_change_changes_the_hash(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    content, changed = pair
    assert event_hash(GENESIS, changed) != event_hash(GENESIS, content)


@given(contents, st.text(alphabet="0123456789abcdef", min_size=64, max_size=64))
def test_the_previous_hash_is_part_of_the_hash(content: dict[str, Any], prev: str) -> None:
    if prev != GENESIS:
        assert event_hash(prev, content) != event_hash(GENESIS, content)


@given(contents)
def test_the_fast_parse_gives_the_canonical_text(content: dict[str, Any]) -> None:
    text = canonical_json(content)
    assert dumps_normalized(parse_normalized(text)) == text


def test_the_fast_parse_makes_other_spellings_canonical() -> None:
    text = '{"b": 85.50, "a": [1.0e1, -0.0, 0.10000000000000000001, 2.5E-3]}'
    assert dumps_normalized(parse_normalized(text)) == '{"a":[10,0,0.10000000000000000001,0.0025],"b":85.5}'


@given(
    data=contents,
    metadata=contents,
    ident=texts.filter(bool),
    type_=texts.filter(bool),
    key=texts.filter(bool),
    version=st.integers(1, 10**6),
)
def test_the_append_path_builds_the_same_content_text(
    data: dict[str, Any], metadata: dict[str, Any], ident: str, type_: str, key: str, version: int
) -> None:
    event_id, recorded_at = uuid.uuid4(), datetime.now(UTC)
    content = {
        "stream_type": "journey",
        "stream_id": ident,
        "version": version,
        "event_id": event_id,
        "type": type_,
        "data": data,
        "metadata": metadata,
        "idempotency_key": key,
        "recorded_at": recorded_at,
    }
    built = event_content_json(
        stream_type="journey",
        stream_id=ident,
        version=version,
        event_id=str(event_id),
        type=type_,
        data_json=canonical_json(data),
        metadata_json=canonical_json(metadata),
        idempotency_key=key,
        recorded_at=canonical_json(recorded_at).strip('"'),
    )
    assert built == canonical_json(content)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(content=contents)
async def test_a_round_trip_through_jsonb_keeps_the_hash(
    store_pool: asyncpg.Pool, content: dict[str, Any]
) -> None:
    metadata = EventMetadata(actor=Actor(id="p-1", role="expert"), reason="ok")
    stored = await store_pool.fetchrow("SELECT $1::jsonb AS data, $2::jsonb AS metadata", content, metadata)
    assert stored is not None
    recorded_at = datetime.now(UTC)

    def full(data: Any, meta: Any) -> dict[str, Any]:
        return {"version": 1, "data": data, "metadata": meta, "recorded_at": recorded_at}

    assert event_hash(GENESIS, full(stored["data"], stored["metadata"])) == event_hash(
        GENESIS, full(content, metadata)
    )
    # The text path verify takes gives the same hash.
    as_text = await store_pool.fetchval("SELECT ($1::jsonb)::text", content)
    assert dumps_normalized(parse_normalized(as_text)) == canonical_json(content)
