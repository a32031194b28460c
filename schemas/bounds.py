"""Bounds on what enters the engine (giới hạn dữ liệu đầu vào): dates within a sensible range of
today, numbers and texts of a sensible size, and the characters a text may hold. One table, read
by the API's request bodies (schemas/api.py) and the commands that are only built from them.

Why: a value the engine accepts is recorded forever and then processed by workflows for years. A
round cut-off of 9999-12-31 was recorded and then broke its workflow (the day after it is not a
date); a name of only spaces showed as an empty link. What a caller may send is refused at entry
(422) instead, so that no workflow ever meets a value it cannot handle.

The bounds of a date are whole calendar years around this year at the API (the wall clock, in
UTC: the bounds are years wide, a day of time zone changes nothing), e.g. a round's cut-off and
meeting date from two years back to three years ahead, a historic import from 2018 on, a plan for
a year from 2018 to five years ahead; the journey's and the round's own rules (a
cut-off not passed, a dossier not accepted in the future) are checked by the workflows after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final


@dataclass(frozen=True)
class DateBound:
    """A date a caller gives must fall in a window of whole calendar years: from 1 January of
    ``years_back`` years before this year (or of ``earliest_year``) to 31 December of ``years_ahead``
    years after it. Whole years, so that the OpenAPI document can state the window exactly (a
    pattern on the year, ``year_pattern``)."""

    what: str
    years_back: int | None = None
    years_ahead: int = 0
    earliest_year: int | None = None

    def years(self, today: date) -> range:
        first = self.earliest_year if self.earliest_year is not None else today.year - (self.years_back or 0)
        return range(first, today.year + self.years_ahead + 1)

    def window(self, today: date) -> tuple[date, date]:
        years = self.years(today)
        return date(years[0], 1, 1), date(years[-1], 12, 31)

    def check(self, day: date, today: date) -> date:
        first, last = self.window(today)
        if not first <= day <= last:
            raise ValueError(
                f"{self.what} must be from {first.isoformat()} to {last.isoformat()}; got {day.isoformat()}"
            )
        return day

    def year_pattern(self, today: date) -> str:
        """The window as a JSON Schema pattern on an ISO date (with ``format: date``)."""
        return "^(" + "|".join(str(year) for year in self.years(today)) + ")-[0-9]{2}-[0-9]{2}$"

    def describe(self) -> str:
        if self.earliest_year is not None:
            start = f"1 January {self.earliest_year}"
        else:
            start = f"1 January of the year {self.years_back} years before this one"
        ahead = {0: "of this year", 1: "of next year"}.get(
            self.years_ahead, f"of the year {self.years_ahead} years after this one"
        )
        return f"From {start} to 31 December {ahead}."


# OCOP started with Quyết định 490/QĐ-TTg of 7 May 2018: no certificate is older.
PROGRAMME_START: Final = date(2018, 1, 1)

# Dates callers give, by the field of the command that holds them.
ROUND_CUT_OFF: Final = DateBound("the cut-off", years_back=2, years_ahead=3)
ROUND_MEETING: Final = DateBound("the meeting date", years_back=2, years_ahead=3)
# A paper decision entered later: not older than two years; the journey refuses a future date, the
# year of slack here only keeps the API from judging by a clock other than the workflow's.
DOSSIER_ACCEPTED: Final = DateBound("the date of acceptance", years_back=2, years_ahead=1)
DOSSIER_SUBMITTED: Final = DateBound("the date of submission", years_back=2, years_ahead=1)
RECOGNITION_DECISION: Final = DateBound("the decision date", years_back=2, years_ahead=1)
# A certificate imported from the old register: issued since the programme began.
IMPORTED_DECISION: Final = DateBound("the decision date", earliest_year=PROGRAMME_START.year, years_ahead=1)

DATE_BOUNDS: Final[dict[tuple[str, str], DateBound]] = {
    ("open-round", "cut_off"): ROUND_CUT_OFF,
    ("open-round", "meeting_date"): ROUND_MEETING,
    ("accept-dossier", "accepted_on"): DOSSIER_ACCEPTED,
    ("submit-dossier", "submitted_on"): DOSSIER_SUBMITTED,
    ("apply-upgrade", "submitted_on"): DOSSIER_SUBMITTED,
    ("apply-re-evaluation", "submitted_on"): DOSSIER_SUBMITTED,
    ("recognize", "decision_date"): RECOGNITION_DECISION,
    ("approve-result", "decision_date"): RECOGNITION_DECISION,
    ("import-certified", "decision_date"): IMPORTED_DECISION,
}

# A plan's year: from the programme's first year to five years ahead.
PLAN_FIRST_YEAR: Final = PROGRAMME_START.year
PLAN_YEARS_AHEAD: Final = 5

# Numbers.
PROVINCE_CODES: Final = (1, 99)  # mã tỉnh: two digits
COMMUNE_CODES: Final = (1, 99_999)  # mã xã: five digits
PLAN_TARGET_MAX: Final = 100_000  # products a province may plan for a star in a year
PLAN_TOTAL_MAX: Final = 3 * PLAN_TARGET_MAX
QUORUM_MAX: Final = 1_000  # numerator, denominator or fixed count of a quorum override

# Texts: the longest of each kind (characters); a name must hold more than spaces.
NAME_MAX: Final = 300  # a product's or a council's name
ROUND_NAME_MAX: Final = 200
REASON_MAX: Final = 2_000
CODE_MAX: Final = 100  # an id, a decision number, a rulebook id, a product group
DOCUMENT_MAX: Final = 200  # a document's hash or reference
ITEM_MAX: Final = 500  # one missing item of a returned dossier
# Any text anywhere in a request body: none is longer than this.
TEXT_MAX: Final = 10_000 - 1

# Characters no text may hold: U+0000 (PostgreSQL cannot store it), other control characters but
# tab and line breaks, and the bidirectional controls that make a text read otherwise than it is
# stored (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069).
ALLOWED_CONTROLS: Final = frozenset("\t\n\r")
CONTROLS: Final = frozenset(chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]) - ALLOWED_CONTROLS
BIDI_CONTROLS: Final = frozenset(
    ["\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]
)
FORBIDDEN: Final = CONTROLS | BIDI_CONTROLS
# What a reader does not see: a name made only of these is blank. Spaces (those of ECMA-262's \s,
# less the controls refused anyway) and the invisible fillers (soft hyphen, zero-width characters,
# word joiners, byte-order mark, Hangul fillers).
SPACES: Final = frozenset("\t\n\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000") | frozenset(
    map(chr, range(0x2000, 0x200B))
)
INVISIBLE: Final = frozenset("\u00ad\u115f\u1160\u180e\u200b\u200c\u200d\u3164\ufeff\uffa0") | frozenset(
    map(chr, range(0x2060, 0x2065))
)


def _character_class(characters: frozenset[str]) -> str:
    """The characters as the inside of a regular-expression class, in ranges of \\uXXXX escapes."""
    points = sorted(map(ord, characters))
    ranges: list[tuple[int, int]] = []
    for point in points:
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    return "".join(
        f"\\u{first:04x}" if first == last else f"\\u{first:04x}-\\u{last:04x}" for first, last in ranges
    )


# The same as JSON Schema patterns for the OpenAPI document (ECMA-262, and the same in Python): any
# text, and a text that is not blank (a name). Lone surrogates are left out of them: an ECMA pattern
# without the u flag reads a character beyond U+FFFF (an emoji) as two surrogates, and JSON text
# cannot hold a lone one but as an escape.
_NOT_FORBIDDEN: Final = f"[^{_character_class(FORBIDDEN)}]"
_VISIBLE: Final = f"[^{_character_class(FORBIDDEN | SPACES | INVISIBLE)}]"
TEXT_PATTERN: Final = f"^{_NOT_FORBIDDEN}*$"
VISIBLE_TEXT_PATTERN: Final = f"^{_NOT_FORBIDDEN}*{_VISIBLE}{_NOT_FORBIDDEN}*$"


def text_problem(text: str) -> str | None:
    """Why ``text`` may not be recorded (a character it may not hold), or None."""
    for character in text:
        point = ord(character)
        if point == 0:
            return "text may not contain U+0000"
        if 0xD800 <= point <= 0xDFFF:
            return "text is not valid Unicode (lone surrogate)"
        if character in CONTROLS:
            return f"text may not contain the control character U+{point:04X}"
        if character in BIDI_CONTROLS:
            return f"text may not contain the bidirectional control U+{point:04X}"
    return None


def is_blank(text: str) -> bool:
    """Nothing a reader would see: only spaces and invisible characters (``SPACES``, ``INVISIBLE``)."""
    return all(character in SPACES or character in INVISIBLE for character in text)


def today() -> date:
    """Today at the API, for the date bounds (the only clock the bounds read)."""
    return datetime.now(UTC).date()


def last_plan_year(on: date) -> int:
    return on.year + PLAN_YEARS_AHEAD
