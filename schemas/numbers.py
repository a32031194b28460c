"""Numbers as programs and people write them: a part score (điểm thành phần) read from the API and
from a scoring page, and the one canonical form it is recorded in (pure, no I/O).

The API reads a score only as a plain decimal: a JSON string such as ``"32.50"`` (the documented
``SCORE_PATTERN``) or a JSON number such as ``32.5``, from 0 to ``SCORE_CEILING`` with at most
``SCORE_PLACES`` decimals. No exponent (``"1e1"``), no third decimal even if it is zero
(``"40.000"``), no sign, no whitespace, no leading zero (``"05"``), no NaN or infinity. A JSON number
is read by its value, since the JSON parser keeps no spelling: it is accepted when the shortest
decimal form of the float (``repr``) is plain with at most two decimals (``32.5`` yes,
``0.30000000000000004`` and ``1e-05`` no). The part maxima and the rulebook's own number of decimals
are the journey's rules (``ScoreOutOfRange``), checked after this.

A page reads what a person types (``read_typed_score``): the Vietnamese decimal comma (``3,5``) or
the point (``3.5``), spaces around it ignored; anything else is refused with a reason the page
words in the person's language.

Either way the score is recorded quantized to two decimals (``Decimal("32.50")``): the log never
holds ``1E+1`` or ``40.000``.
"""

from __future__ import annotations

import math
import re
from decimal import Context, Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any, Final

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from schemas.refusals import Reason

SCORE_PLACES: Final = 2
# The API's cap on any score-like number (a part, a dispersion limit): a scorecard totals at most
# 100 points under every rulebook. The part maxima themselves are the rulebook's.
SCORE_CEILING: Final = Decimal(100)
HUNDREDTH: Final = Decimal(1).scaleb(-SCORE_PLACES)

# What the parser reads, before the ceiling: digits without a leading zero, then 1–2 decimals.
_PLAIN: Final = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]{1,2})?")
# The same language with the ceiling, as the OpenAPI document states it (JSON Schema patterns are
# ECMA-262 regular expressions; this one means the same in Python and is tested against the parser).
SCORE_PATTERN: Final = r"^(100(\.0{1,2})?|[1-9]?[0-9](\.[0-9]{1,2})?)$"
SCORE_EXAMPLES: Final = ["32.50", "20", "28.25", "0"]
# A person's typing: digits, then a comma or a point and digits (the number of decimals is checked
# apart, to say so).
_TYPED: Final = re.compile(r"([0-9]+)(?:[.,]([0-9]+))?")
_TYPED_EXPONENT: Final = re.compile(r"(?=.*[0-9])[0-9]*(?:[.,][0-9]*)?[eE][+-]?[0-9]*")
_TYPED_MAX_LENGTH: Final = 12
# Room for any score and far beyond, so that quantizing never rounds or overflows silently.
_EXACT: Final = Context(prec=60)


class NotPlainScore(ValueError):
    """A value the API does not read as a score; the message says what is accepted, ``why`` its
    reason (schemas/refusals.py), which the API tells in the caller's language."""

    def __init__(self, message: Reason) -> None:
        super().__init__(message.message)
        self.why = message


def parse_score(value: object) -> Decimal:
    """The API's reading of a part score: a plain decimal (string or JSON number) from 0 to 100 with
    at most two decimals, returned quantized to two decimals; anything else raises ``NotPlainScore``."""
    if isinstance(value, bool):
        raise NotPlainScore(Reason("numbers.not_boolean"))
    if isinstance(value, str):
        spelled = value
    elif isinstance(value, int):
        spelled = str(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise NotPlainScore(Reason("numbers.finite"))
        spelled = repr(value)
    elif isinstance(value, Decimal):
        # A Decimal made by the engine itself (no spelling of its own): its plain form.
        if not value.is_finite():
            raise NotPlainScore(Reason("numbers.finite"))
        spelled = format(value, "f")
    else:
        raise NotPlainScore(Reason("numbers.kind"))
    if _PLAIN.fullmatch(spelled) is None:
        raise NotPlainScore(Reason("numbers.plain", places=SCORE_PLACES))
    number = Decimal(spelled)
    if number > SCORE_CEILING:
        raise NotPlainScore(Reason("numbers.ceiling", ceiling=SCORE_CEILING))
    return number.quantize(HUNDREDTH, context=_EXACT)


def canonical_score(value: Decimal) -> Decimal:
    """``value`` with exactly two decimals when that is the same number (``1E+1`` → ``10.00``,
    ``40.000`` → ``40.00``), else unchanged for the journey to refuse (``32.555``, NaN).

    Commands use this rather than ``parse_score``: an update recorded in a workflow's history
    before the API read scores strictly must still parse when the history is replayed."""
    if not value.is_finite():
        return value
    try:
        quantized = value.quantize(HUNDREDTH, context=_EXACT)
    except InvalidOperation:  # beyond 60 digits: no score, left for the journey to refuse
        return value
    return quantized if quantized == value else value


class TypedScoreProblem(StrEnum):
    """Why what a person typed is not a score (the page words each one)."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    EXPONENT = "exponent"
    TOO_MANY_DECIMALS = "too_many_decimals"


class NotATypedScore(ValueError):
    """What a person typed is not a score; ``problem`` says why."""

    def __init__(self, problem: TypedScoreProblem, typed: str) -> None:
        super().__init__(f"{problem.value}: {typed!r}")
        self.problem = problem
        self.typed = typed


def read_typed_score(typed: str) -> Decimal:
    """A score as a person types it on a page: ``3,5`` (Vietnamese decimal comma) or ``3.5``, at
    most two decimals, spaces around it ignored; quantized to two decimals. Thousands separators,
    exponents, signs, a second separator or letters raise ``NotATypedScore``."""
    text = typed.strip()
    if not text:
        raise NotATypedScore(TypedScoreProblem.EMPTY, typed)
    match = _TYPED.fullmatch(text) if len(text) <= _TYPED_MAX_LENGTH else None
    if match is None:
        if _TYPED_EXPONENT.fullmatch(text) is not None:
            raise NotATypedScore(TypedScoreProblem.EXPONENT, typed)
        raise NotATypedScore(TypedScoreProblem.NOT_A_NUMBER, typed)
    whole, decimals = match.group(1), match.group(2) or ""
    if len(decimals) > SCORE_PLACES:  # 3,555 — or 1.000 written with a thousands separator
        raise NotATypedScore(TypedScoreProblem.TOO_MANY_DECIMALS, typed)
    number = Decimal(f"{whole}.{decimals}" if decimals else whole)
    return number.quantize(HUNDREDTH, context=_EXACT)


def score_text(value: Decimal) -> str:
    """The canonical spelling of a score, as the log records it: ``32.50``."""
    return f"{value.quantize(HUNDREDTH, context=_EXACT):f}"


def _read_score(value: Any) -> Decimal:
    try:
        return parse_score(value)
    except NotPlainScore as problem:
        raise problem from None  # a ValueError to pydantic, its reason kept (api.errors.field_errors)


# A score in an API body: validated by ``parse_score``, documented exactly as it reads.
PlainScore = Annotated[
    Decimal,
    BeforeValidator(_read_score),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "string",
                    "pattern": SCORE_PATTERN,
                    "maxLength": 6,
                    "examples": SCORE_EXAMPLES,
                },
                {"type": "number", "minimum": 0, "maximum": float(SCORE_CEILING), "multipleOf": 0.01},
            ],
            "description": "A plain decimal from 0 to 100 with at most two decimals, as a string "
            '("32.50", "20") or a JSON number (32.5); no exponent, sign, spaces or third decimal. '
            "Recorded with two decimals.",
        }
    ),
]
# A score in a command (also an update argument in recorded workflow histories): any decimal, with
# two decimals where that is the same number.
CanonicalScore = Annotated[Decimal, AfterValidator(canonical_score)]
