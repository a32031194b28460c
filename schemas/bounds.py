"""Bounds on what enters the engine (giới hạn dữ liệu đầu vào): dates within a sensible range of
today, numbers and texts of a sensible size, and the characters a text may hold. One table, read
by the API's request bodies (schemas/api.py) and the commands that are only built from them.

Why: a value the engine accepts is recorded forever and then processed by workflows for years. A
round cut-off of 9999-12-31 was recorded and then broke its workflow (the day after it is not a
date); a name of only spaces showed as an empty link. What a caller may send is refused at entry
(422) instead, so that no workflow ever meets a value it cannot handle.

The bounds of a date are relative to today at the API (the wall clock, in UTC: the bounds are
years wide, a day of time zone changes nothing); the journey's and the round's own rules (a
cut-off not passed, a dossier not accepted in the future) are checked by the workflows after.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final


@dataclass(frozen=True)
class DateBound:
    """A date a caller gives must fall from ``earliest`` (or ``years_back`` before today) to
    ``years_ahead`` after today."""

    what: str
    years_back: int | None = None
    years_ahead: int = 0
    earliest: date | None = None

    def window(self, today: date) -> tuple[date, date]:
        first = self.earliest if self.earliest is not None else _years_from(today, -(self.years_back or 0))
        return first, _years_from(today, self.years_ahead)

    def check(self, day: date, today: date) -> date:
        first, last = self.window(today)
        if not first <= day <= last:
            raise ValueError(
                f"{self.what} must be from {first.isoformat()} to {last.isoformat()}; got {day.isoformat()}"
            )
        return day

    def describe(self) -> str:
        start = (
            self.earliest.isoformat()
            if self.earliest is not None
            else f"{self.years_back} years before today"
        )
        end = "today" if self.years_ahead == 0 else f"{self.years_ahead} years after today"
        return f"From {start} to {end}."


# OCOP started with Quyết định 490/QĐ-TTg of 7 May 2018: no certificate is older.
PROGRAMME_START: Final = date(2018, 1, 1)

# Dates callers give, by the field of the command that holds them.
ROUND_CUT_OFF: Final = DateBound("the cut-off", years_back=2, years_ahead=3)
ROUND_MEETING: Final = DateBound("the meeting date", years_back=2, years_ahead=3)
# A paper decision entered later: not older than two years; the journey refuses a future date, the
# year of slack here only keeps the API from judging by a clock other than the workflow's.
DOSSIER_ACCEPTED: Final = DateBound("the date of acceptance", years_back=2, years_ahead=1)
RECOGNITION_DECISION: Final = DateBound("the decision date", years_back=2, years_ahead=1)
# A certificate imported from the old register: issued since the programme began.
IMPORTED_DECISION: Final = DateBound("the decision date", earliest=PROGRAMME_START, years_ahead=1)

DATE_BOUNDS: Final[dict[tuple[str, str], DateBound]] = {
    ("open-round", "cut_off"): ROUND_CUT_OFF,
    ("open-round", "meeting_date"): ROUND_MEETING,
    ("accept-dossier", "accepted_on"): DOSSIER_ACCEPTED,
    ("recognize", "decision_date"): RECOGNITION_DECISION,
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
BIDI_CONTROLS: Final = frozenset(
    "\u061c\u200e\u200f"
    + "".join(chr(c) for c in range(0x202A, 0x202F))
    + "".join(chr(c) for c in range(0x2066, 0x206A))
)
# The same as a JSON Schema pattern for the OpenAPI document (ECMA-262; means the same in Python).
# Lone surrogates are left out of it: an ECMA pattern without the u flag reads a character beyond
# U+FFFF (an emoji) as two surrogates, and JSON text cannot hold a lone one but as an escape.
TEXT_PATTERN: Final = (
    r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
    r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$"
)


def text_problem(text: str) -> str | None:
    """Why ``text`` may not be recorded (a character it may not hold), or None."""
    for character in text:
        if character in ALLOWED_CONTROLS:
            continue
        point = ord(character)
        if point == 0:
            return "text may not contain U+0000"
        if 0xD800 <= point <= 0xDFFF:
            return "text is not valid Unicode (lone surrogate)"
        if unicodedata.category(character) == "Cc":
            return f"text may not contain the control character U+{point:04X}"
        if character in BIDI_CONTROLS:
            return f"text may not contain the bidirectional control U+{point:04X}"
    return None


def is_blank(text: str) -> bool:
    """Nothing a reader would see: only spaces and invisible format characters (U+200B, U+FEFF)."""
    return all(character.isspace() or unicodedata.category(character) == "Cf" for character in text)


def today() -> date:
    """Today at the API, for the date bounds (the only clock the bounds read)."""
    return datetime.now(UTC).date()


def last_plan_year(on: date) -> int:
    return on.year + PLAN_YEARS_AHEAD


def _years_from(day: date, years: int) -> date:
    year = day.year + years
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=year, day=28)
