"""The score parsers (schemas/numbers.py) and the text bounds (schemas/bounds.py), property-based:
every accepted string reads back to the same canonical decimal, no exponent is ever accepted, at
most two decimals; the documented patterns accept exactly what the parsers accept."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from schemas import bounds
from schemas.commands import SubmitScorecard
from schemas.log import Actor
from schemas.numbers import (
    SCORE_CEILING,
    SCORE_PATTERN,
    NotATypedScore,
    NotPlainScore,
    TypedScoreProblem,
    canonical_score,
    parse_score,
    read_typed_score,
    score_text,
)

HUNDREDTH = Decimal("0.01")
PLAIN_SHAPE = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]{1,2})?")
# Strings near the grammar: digits, separators, signs, exponents, spaces, other digits.
near_numbers = st.text(alphabet="0123456789.,eE+- _x\t\u00a0٣", max_size=9)
plain_strings = st.from_regex(r"\A(0|[1-9][0-9]{0,2})(\.[0-9]{1,2})?\Z")


def accepted(value: object) -> Decimal | None:
    try:
        return parse_score(value)
    except NotPlainScore:
        return None


@given(plain_strings | near_numbers | st.text(max_size=8))
@example("1e1")
@example("1E+1")
@example("40.000")
@example("40.00")
@example("100.00")
@example("100.01")
@example("05")
def test_an_accepted_string_is_plain_and_reads_back_to_the_same_canonical_decimal(text: str) -> None:
    value = accepted(text)
    if value is None:
        return
    assert PLAIN_SHAPE.fullmatch(text), text
    assert "e" not in text.lower()
    assert value == Decimal(text)  # the number written, not another
    assert value.as_tuple().exponent == -2  # recorded with exactly two decimals
    assert 0 <= value <= SCORE_CEILING
    assert parse_score(score_text(value)) == value  # the canonical form reads back to itself
    assert score_text(value) == f"{Decimal(text):.2f}"


@given(st.text(max_size=12))
@example("1e1")
@example("2.5e0")
@example("0E-2")
def test_no_exponent_is_ever_accepted(text: str) -> None:
    if "e" in text.lower():
        assert accepted(text) is None
        with pytest.raises(NotATypedScore):
            read_typed_score(text)


@given(plain_strings | near_numbers | st.text(max_size=8))
def test_the_documented_pattern_accepts_exactly_what_the_api_reads(text: str) -> None:
    assert (re.fullmatch(SCORE_PATTERN, text) is not None) == (accepted(text) is not None), text


@given(st.floats(allow_nan=True, allow_infinity=True))
@example(32.5)
@example(40.0)
@example(1e16)
@example(0.30000000000000004)
def test_a_json_number_is_read_by_its_shortest_decimal_form(number: float) -> None:
    value = accepted(number)
    if value is None:
        return
    assert value == Decimal(repr(number))
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "recorded"),
    [("32.5", "32.50"), ("20", "20.00"), (32.5, "32.50"), (40, "40.00"), ("0", "0.00"), ("100", "100.00")],
)
def test_scores_are_recorded_with_two_decimals(value: object, recorded: str) -> None:
    assert score_text(parse_score(value)) == recorded
    assert str(parse_score(value)) == recorded


@pytest.mark.parametrize(
    "value",
    [
        "1e1",
        "40.000",
        "",
        " 40",
        "40 ",
        "+1",
        "-0",
        "05",
        ".5",
        "5.",
        "NaN",
        "inf",
        "1,5",
        "٣",
        True,
        None,
        [1],
    ],
)
def test_what_the_api_refuses(value: object) -> None:
    with pytest.raises(NotPlainScore):
        parse_score(value)


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        ("3,5", "3.50"),
        ("3.5", "3.50"),
        (" 2,5 ", "2.50"),
        ("3,0", "3.00"),
        ("12,25", "12.25"),
        ("40", "40.00"),
    ],
)
def test_a_person_types_a_comma_or_a_point(typed: str, recorded: str) -> None:
    assert score_text(read_typed_score(typed)) == recorded


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", TypedScoreProblem.EMPTY),
        ("   ", TypedScoreProblem.EMPTY),
        ("3.5.1", TypedScoreProblem.NOT_A_NUMBER),
        ("1e1", TypedScoreProblem.EXPONENT),
        ("2,5E+1", TypedScoreProblem.EXPONENT),
        ("3,555", TypedScoreProblem.TOO_MANY_DECIMALS),
        ("1.000", TypedScoreProblem.TOO_MANY_DECIMALS),  # a thousands separator, or three decimals
        ("1.000,5", TypedScoreProblem.NOT_A_NUMBER),
        ("1 000", TypedScoreProblem.NOT_A_NUMBER),
        ("abc", TypedScoreProblem.NOT_A_NUMBER),
        ("-3", TypedScoreProblem.NOT_A_NUMBER),
        ("3, 5", TypedScoreProblem.NOT_A_NUMBER),
        (",5", TypedScoreProblem.NOT_A_NUMBER),
        ("٣,٥", TypedScoreProblem.NOT_A_NUMBER),
    ],
)
def test_what_a_page_refuses_and_why(typed: str, problem: TypedScoreProblem) -> None:
    with pytest.raises(NotATypedScore) as refused:
        read_typed_score(typed)
    assert refused.value.problem == problem


@given(near_numbers)
def test_what_a_page_reads_the_api_reads_alike(typed: str) -> None:
    """A typed score, once read, goes to the API in its canonical form, which the API reads as the
    same number: the page never records a number other than the one shown."""
    try:
        value = read_typed_score(typed)
    except NotATypedScore:
        return
    assert "e" not in typed.lower()
    assert value == Decimal(typed.strip().replace(",", "."))
    if value <= SCORE_CEILING:
        assert parse_score(score_text(value)) == value


@given(st.decimals(allow_nan=True, allow_infinity=True) | st.sampled_from([Decimal("1E+1"), Decimal("4E+1")]))
def test_a_command_keeps_the_number_and_gives_it_two_decimals_when_that_is_exact(value: Decimal) -> None:
    """Commands read from recorded workflow histories still parse (any decimal), and their value
    never changes: only its spelling, to two decimals where that is exact."""
    canonical = canonical_score(value)
    if value.is_nan():
        assert canonical.is_nan()
        return
    assert canonical == value
    if value.is_finite() and abs(value) < 10**20 and value == value.quantize(HUNDREDTH):
        assert canonical.as_tuple().exponent == -2


def test_a_stored_scorecard_command_still_parses_and_reads_canonically() -> None:
    actor = Actor(id="m1", role="council_member")
    command = SubmitScorecard.model_validate(
        {"actor": actor.model_dump(), "parts": {"A": "1E+1", "B": "40.000", "C": "28.125"}}
    )
    assert command.parts is not None
    assert {part: str(value) for part, value in command.parts.items()} == {
        "A": "10.00",
        "B": "40.00",
        "C": "28.125",  # left for the journey to refuse (ScoreOutOfRange)
    }


# -- texts ----------------------------------------------------------------------------------------


@given(st.text(max_size=20))
@example("Nem chua\u202eauH")
@example("\u200f")
@example("a\x00b")
@example("\ud800")
@example("Nem chua Thanh Hóa 🍖")
def test_the_documented_text_pattern_refuses_what_the_api_refuses(text: str) -> None:
    refused = bounds.text_problem(text) is not None
    surrogate = any(0xD800 <= ord(character) <= 0xDFFF for character in text)
    assert (re.fullmatch(bounds.TEXT_PATTERN, text) is None) == (refused and not surrogate), ascii(text)


@given(st.text(max_size=12) | st.text(alphabet=" \t\u00a0\u200b\u3000\ufeffx\x00\u200f", max_size=6))
@example("   ")
@example("\u3000")
@example("\u200b")
@example(" Nem ")
def test_the_documented_name_pattern_accepts_exactly_a_storable_text_that_is_not_blank(text: str) -> None:
    if any(0xD800 <= ord(character) <= 0xDFFF for character in text):
        return  # refused by the text check, outside what a JSON Schema pattern can say (see bounds)
    accepted = bounds.text_problem(text) is None and not bounds.is_blank(text.strip())
    assert (re.fullmatch(bounds.VISIBLE_TEXT_PATTERN, text) is not None) == accepted, ascii(text)


@pytest.mark.parametrize("blank", ["", " ", "\t\n", "\u3000", "\u00a0", "\u200b", "\ufeff "])
def test_blank_is_what_a_reader_would_not_see(blank: str) -> None:
    assert bounds.is_blank(blank)
    assert not bounds.is_blank(f"{blank}Nem{blank}")
