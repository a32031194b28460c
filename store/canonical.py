"""Canonical JSON and the hash chain of the decision log.

Equal content must give equal text, whatever Python types built it and whatever PostgreSQL hands
back: keys sorted, no spaces, numbers printed by value (85 == 85.0 == Decimal("85.00") -> ``85``),
aware datetimes in UTC. An event's hash covers the previous event's hash and this text.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from pydantic import BaseModel

GENESIS = "0" * 64
"""The ``prev_hash`` of the first event of every stream."""

# Numbers with a decimal exponent beyond this are refused rather than expanded digit by digit.
_MAX_EXPONENT = 4000

_fast_dumps = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode


class _Number:
    """Canonical text of a non-integral number that a float would not print the same way.

    Not a ``str``: the C encoder refuses it, which sends the value down the slow path."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _number_text(d: Decimal) -> str:
    if not d.is_finite():
        raise ValueError(f"JSON has no {d}")
    if abs(d.adjusted()) > _MAX_EXPONENT:
        raise ValueError(f"number too large to canonicalize: {d}")
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _number(d: Decimal) -> int | float | _Number:
    text = _number_text(d)
    if "." not in text:
        return int(text)
    # A float goes through the C encoder exactly when its repr is this text.
    as_float = float(text)
    if repr(as_float) == text:
        return as_float
    return _Number(text)


def _key(key: Any) -> str:
    if isinstance(key, enum.Enum):
        key = key.value
    if not isinstance(key, str):
        raise TypeError(f"JSON object keys must be strings, not {type(key).__name__}")
    text = str.__str__(key)
    if "\x00" in text:
        raise ValueError("PostgreSQL jsonb cannot hold the character U+0000")
    return text


def normalize(value: Any) -> Any:
    """Turn ``value`` into plain JSON types whose C-encoder text is the canonical text."""
    kind = type(value)
    if kind is str:
        if "\x00" in value:
            raise ValueError("PostgreSQL jsonb cannot hold the character U+0000")
        return value
    if kind is dict:
        return {
            (k if type(k) is str and "\x00" not in k else _key(k)): normalize(v) for k, v in value.items()
        }
    if kind is int or kind is bool or value is None:
        return value
    if kind is list:
        return [normalize(item) for item in value]
    if kind is float:
        return _float(value)
    if kind is Decimal:
        return _decimal(value)
    return _normalize_other(value)


def _float(value: float) -> int | float | _Number:
    text = repr(value)
    if "e" in text or "n" in text:  # exponent, inf or nan
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"JSON has no {value}")
        return _number(Decimal(text))
    # Without an exponent, repr is already the shortest text: only an integral value changes.
    return int(value) if text.endswith(".0") else value


def _decimal(value: Decimal) -> int | float | _Number:
    text = str(value)
    if "E" in text or "n" in text or "N" in text or ("." in text and text[-1] == "0"):
        return _number(value)
    if "." not in text:
        return int(text)
    as_float = float(text)
    return as_float if repr(as_float) == text else _Number(text)


def _normalize_other(value: Any) -> Any:
    """The rarer types, including subclasses of the common ones."""
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, enum.Enum):
        return normalize(value.value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _float(float(value))
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, str):
        return normalize(str.__str__(value))
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"datetime {value.isoformat()} has no time zone")
        # isoformat pads the year to four digits, which strftime("%Y") does not do everywhere.
        return value.astimezone(UTC).isoformat(timespec="microseconds").removesuffix("+00:00") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, BaseModel):
        return normalize(value.model_dump(mode="python"))
    if isinstance(value, Mapping):
        return {_key(k): normalize(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalize(item) for item in value]
    raise TypeError(f"cannot put {type(value).__name__} into canonical JSON")


def _slow_dumps(value: Any) -> str:
    """Encoder for values holding a ``_Number``; otherwise the same output as the C encoder."""
    if isinstance(value, _Number):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(f"{_fast_dumps(k)}:{_slow_dumps(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_slow_dumps(v) for v in value) + "]"
    return _fast_dumps(value)


def canonical_json(value: Any) -> str:
    """The one JSON text of ``value``: what the log stores and what its hashes cover."""
    return dumps_normalized(normalize(value))


def dumps_normalized(value: Any) -> str:
    """Canonical JSON of a value already passed through ``normalize`` or ``parse_normalized``."""
    try:
        return _fast_dumps(value)
    except TypeError:
        # After normalize or parse_normalized, only a _Number makes the C encoder give up.
        return _slow_dumps(value)


def _parse_number(text: str) -> int | float | _Number:
    as_float = float(text)
    # repr equal to the text rules out exponents other than Python's own, and excess digits.
    if repr(as_float) != text or "e" in text or text[-2:] == ".0":
        return _number(Decimal(text))
    return as_float


_decode_normalized = json.JSONDecoder(parse_float=_parse_number).decode


def parse_normalized(text: str) -> Any:
    """Decode JSON text (from jsonb) straight into values that encode canonically as they are.

    Only for hashing: non-integral numbers come back as floats when that is exact, else as an
    opaque number. Skips the walk ``canonical_json`` makes, which is most of ``verify``'s time."""
    return _decode_normalized(text)


def link_hash(prev_hash: str, content_json: str) -> str:
    """Hex SHA-256 of the previous hash, a newline and an event's canonical content text."""
    return hashlib.sha256(f"{prev_hash}\n{content_json}".encode()).hexdigest()


def event_hash(prev_hash: str, content: Mapping[str, Any], *, normalized: bool = False) -> str:
    """The hash of an event whose content is ``content`` and whose predecessor's hash is ``prev_hash``.

    ``normalized``: the content is already made of normalized values (``parse_normalized``, plain str
    and int), so the normalizing walk is skipped."""
    return link_hash(prev_hash, dumps_normalized(content) if normalized else canonical_json(content))


def event_content_json(
    *,
    stream_type: str,
    stream_id: str,
    version: int,
    event_id: str,
    type: str,
    data_json: str,
    metadata_json: str,
    idempotency_key: str,
    recorded_at: str,
) -> str:
    """``canonical_json`` of an event's hashed content, built from the already-canonical texts of
    its data and metadata (saves encoding them twice on the append path)."""
    # Keys in sorted order, as canonical_json writes them.
    return (
        f'{{"data":{data_json},"event_id":{_fast_dumps(event_id)},'
        f'"idempotency_key":{_fast_dumps(idempotency_key)},"metadata":{metadata_json},'
        f'"recorded_at":{_fast_dumps(recorded_at)},"stream_id":{_fast_dumps(stream_id)},'
        f'"stream_type":{_fast_dumps(stream_type)},"type":{_fast_dumps(type)},"version":{int(version)}}}'
    )


def holds_float(value: Any) -> bool:
    """Whether orjson read any number of this value as a float (a fraction, an exponent, or an
    integer beyond 64 bits): such a float may not be exactly the number written."""
    kind = type(value)
    if kind is dict:
        value = value.values()
    elif kind is not list:
        return kind is float
    for item in value:
        # Most items are strings: skip them without a call.
        if type(item) is str or type(item) is int or item is None:
            continue
        if holds_float(item):
            return True
    return False


def fast_event_hash(
    prev_hash: str,
    *,
    stream_type: str,
    stream_id: str,
    version: int,
    event_id: str,
    type: str,
    data_text: str,
    metadata_text: str,
    idempotency_key: str,
    recorded_at: str,
) -> str | None:
    """The event's hash via orjson, from the JSON texts of its data and metadata (as jsonb prints
    them), or None when orjson could read a number in them inexactly (it reads every integer of
    at most 64 bits as an int, exactly, and every other number as a float).

    Its content text is a faithful JSON encoding of exactly the stored values, keys sorted; it is
    the canonical text whenever orjson spells every value as ``canonical_json`` does. So a hash
    equal to the stored one proves the content is what was hashed at append time, and a differing
    hash proves nothing: the caller must then recompute the hash the exact way (``event_hash``)."""
    try:
        data_value = orjson.loads(data_text)
        metadata_value = orjson.loads(metadata_text)
        if holds_float(data_value) or holds_float(metadata_value):
            return None
        data = orjson.dumps(data_value, option=orjson.OPT_SORT_KEYS)
        metadata = orjson.dumps(metadata_value, option=orjson.OPT_SORT_KEYS)
        # Keys in sorted order, as canonical_json writes them.
        content = orjson.dumps(
            {
                "data": orjson.Fragment(data),
                "event_id": event_id,
                "idempotency_key": idempotency_key,
                "metadata": orjson.Fragment(metadata),
                "recorded_at": recorded_at,
                "stream_id": stream_id,
                "stream_type": stream_type,
                "type": type,
                "version": version,
            }
        )
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return None
    return hashlib.sha256(prev_hash.encode() + b"\n" + content).hexdigest()
