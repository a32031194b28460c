"""The pages' words and formats: both languages for every message, dd/mm/yyyy, two decimals."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from schemas.events import Deadline, Outcome, Variant
from schemas.journey import Status
from schemas.roles import Role
from schemas.round import RoundStatus
from schemas.rulebook import Level
from web.i18n import MESSAGES, Translator, date_text, datetime_text, score_text
from web.journey import STEP_FIELDS


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    vi, en = MESSAGES[key]
    assert vi.strip()
    assert en.strip()
    assert _placeholders(vi) == _placeholders(en)


def test_every_code_the_engine_gives_is_translated() -> None:
    codes = [
        *(f"status.{s.value}" for s in Status),
        *(f"role.{r.value}" for r in Role),
        *(f"level.{level.value}" for level in Level),
        *(f"outcome.{o.value}" for o in Outcome),
        *(f"variant.{v.value}" for v in Variant),
        *(f"deadline.{d.value}" for d in Deadline),
        *(f"round.{s.value}" for s in RoundStatus),
        *(f"act.{action}" for action in STEP_FIELDS),
        "act.finalize",
    ]
    assert [code for code in codes if code not in MESSAGES] == []


def test_event_types_of_the_journey_are_translated() -> None:
    from typing import get_args

    from schemas.events import JourneyEvent

    union = get_args(JourneyEvent)[0]
    types = [model.model_fields["type"].default for model in get_args(union)]
    assert types
    assert [t for t in types if f"event.{t}" not in MESSAGES] == []


def test_dates_are_day_month_year_in_vietnam_time() -> None:
    assert date_text(date(2025, 9, 5)) == "05/09/2025"
    # 20:30 UTC on the 4th is 03:30 on the 5th in Vietnam (UTC+7).
    assert date_text(datetime(2025, 9, 4, 20, 30, tzinfo=UTC)) == "05/09/2025"
    assert datetime_text(datetime(2025, 9, 4, 20, 30, tzinfo=UTC)) == "05/09/2025 03:30:00"


def test_scores_have_two_decimals_with_a_decimal_comma_in_vietnamese() -> None:
    assert score_text(Decimal("80"), "vi") == "80,00"
    assert score_text(Decimal("80.005"), "en") == "80.01"  # half-up
    assert Translator("en").score(None) == "—"


def test_next_steps_of_round_results_read_in_both_languages() -> None:
    vi, en = Translator("vi"), Translator("en")
    assert vi.next_step("recognize:province:4") == "Chờ công nhận ★★★★ cấp tỉnh"
    assert en.next_step("recognize_then_forward:province:4:central") == (
        "Recognized ★★★★ at the province level, then sent on to the central level"
    )
    assert en.next_step("forward:province") == "Sent on to the province level"
    assert vi.next_step("carried_over:R-2025-2") == "Chuyển sang đợt R-2025-2"
    assert en.next_step("not_ranked") == "Not ranked"
    assert en.next_step("pending") == "No result yet"


def test_an_unknown_language_falls_back_to_vietnamese() -> None:
    assert Translator("fr").lang == "vi"
