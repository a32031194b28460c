"""What the store reads back from jsonb: every number exactly as written (fractions as Decimal,
integers as int, however large), whichever way the codec decoded the text."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given

from store import EventStore
from store.db import _loads
from tests.store.helpers import journey, key, new_event
from tests.store.test_canonical import contents


def _typed(value: Any) -> Any:
    """The value with the type of every scalar beside it, so 1 and 1.0 and Decimal(1) differ."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


@given(contents)
def test_the_codec_reads_what_the_exact_decoder_reads(content: dict[str, Any]) -> None:
    # As jsonb prints a document: spaces after separators.
    text = json.dumps(json.loads(json.dumps(content, default=str)))
    assert _typed(_loads(text)) == _typed(json.loads(text, parse_float=Decimal))


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("0.1000000000000000055511151231257827", Decimal("0.1000000000000000055511151231257827")),
        ("70.10", Decimal("70.10")),
        ("123456789012345678901234567890", 123456789012345678901234567890),
        ("-9223372036854775809", -9223372036854775809),
        ("42", 42),
    ],
)
def test_a_number_a_fast_decoder_would_round_is_read_exactly(number: str, expected: Any) -> None:
    value = _loads(f'{{"scores": [{{"total": {number}}}], "member": "m-1"}}')
    assert _typed(value["scores"][0]["total"]) == _typed(expected)


async def test_the_feed_and_the_history_give_back_exact_numbers(event_store: EventStore) -> None:
    stream = journey("J-exact")
    scored = new_event(
        "scorecard_submitted",
        score=Decimal("69.995"),
        parts={"A": Decimal("27.60"), "B": 18},
        serial=123456789012345678901234567890,
    )
    plain = new_event("dossier_submitted", score=85, note="no fraction here: 1.5 is text")
    await event_store.append(stream, 0, [scored, plain], key())

    for events in (await event_store.read_stream(stream), await event_store.read_all(0, 10)):
        first, second = events
        assert _typed(first.data) == _typed(
            {
                "dossier_id": "D-1",
                "score": Decimal("69.995"),
                "parts": {"A": Decimal("27.60"), "B": 18},
                "serial": 123456789012345678901234567890,
            }
        )
        assert _typed(second.data) == _typed(
            {"dossier_id": "D-1", "score": 85, "note": "no fraction here: 1.5 is text"}
        )
