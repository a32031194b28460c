"""Vietnamese working days, deadline instants and certificate terms (ocop.md §2–§3)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from schemas.rulebook import DeadlineRule, DeadlineUnit
from workflows.calendar import (
    VIETNAM,
    add_months,
    add_working_days,
    certificate_valid_until,
    due_date,
    end_of_day,
    is_working_day,
    local_date,
    start_of_day,
)

TET_2026 = [date(2026, 2, day) for day in range(16, 21)]  # Mon 16 – Fri 20 February 2026


@pytest.mark.parametrize("day", TET_2026)
def test_tet_2026_days_are_not_working_days(day: date) -> None:
    assert day.weekday() < 5  # they fall on weekdays: only the holiday calendar makes them off
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),  # New Year's Day (Thursday)
        date(2026, 4, 27),  # Hùng Kings' day observed (Monday)
        date(2026, 4, 30),  # Reunification Day (Thursday)
        date(2026, 5, 1),  # Labour Day (Friday)
        date(2026, 9, 2),  # National Day (Wednesday)
    ],
)
def test_other_public_holidays_are_not_working_days(day: date) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day)


def test_weekends_are_not_working_days_and_ordinary_weekdays_are() -> None:
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert not is_working_day(date(2026, 3, 8))  # Sunday
    assert is_working_day(date(2026, 3, 2))  # Monday
    assert is_working_day(date(2026, 2, 13))  # Friday before Tết


def test_fifteen_working_days_from_10_february_2026_cross_tet() -> None:
    # Returned Tue 10 Feb 2026. Working days after it:
    #   11, 12, 13 Feb (1–3); 14–15 weekend; 16–20 Tết; 21–22 weekend;
    #   23, 24, 25, 26, 27 Feb (4–8); 28 Feb–1 Mar weekend; 2, 3, 4, 5, 6 Mar (9–13);
    #   7–8 weekend; 9 Mar (14), 10 Mar (15).
    assert add_working_days(date(2026, 2, 10), 15) == date(2026, 3, 10)
    # Without the five Tết days it would be five working days earlier: 3 March.
    assert add_working_days(date(2026, 2, 10), 10) == date(2026, 3, 3)


def test_ten_working_days_from_monday_2_march_2026() -> None:
    # 3, 4, 5, 6 (1–4); 9–13 (5–9); 16 (10).
    assert add_working_days(date(2026, 3, 2), 10) == date(2026, 3, 16)


def test_a_start_on_a_holiday_counts_from_the_next_working_day() -> None:
    # From Tuesday 17 Feb (Tết): 18–20 off, 21–22 weekend, Monday 23 is the first working day.
    assert add_working_days(date(2026, 2, 17), 1) == date(2026, 2, 23)


def test_due_date_in_working_or_calendar_days() -> None:
    start = date(2026, 2, 10)
    assert due_date(start, DeadlineRule(amount=15, unit=DeadlineUnit.WORKING_DAYS)) == date(2026, 3, 10)
    # 15 calendar days: 10 Feb + 15 = 25 Feb, holidays or not.
    assert due_date(start, DeadlineRule(amount=15, unit=DeadlineUnit.CALENDAR_DAYS)) == date(2026, 2, 25)


def test_days_are_counted_in_vietnam_time() -> None:
    # 17:00 UTC on 1 March is midnight on 2 March in Vietnam (UTC+7).
    assert local_date(datetime(2026, 3, 1, 16, 59, tzinfo=UTC)) == date(2026, 3, 1)
    assert local_date(datetime(2026, 3, 1, 17, 0, tzinfo=UTC)) == date(2026, 3, 2)


def test_a_deadline_passes_at_midnight_after_its_day_vietnam_time() -> None:
    passes = end_of_day(date(2026, 3, 10))
    assert passes == datetime(2026, 3, 11, 0, 0, tzinfo=VIETNAM)
    assert passes == datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
    assert local_date(passes - timedelta(microseconds=1)) == date(2026, 3, 10)
    assert start_of_day(date(2026, 3, 11)) == passes


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 2), 36, date(2029, 3, 2)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),  # across a year end
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # clamped to the end of a leap February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),  # clamped to the end of a common February
        (date(2024, 2, 29), 36, date(2027, 2, 28)),  # 29 Feb 2027 does not exist
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # 2028 is a leap year again
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("decision", "valid_until"),
    [
        # decision date + 36 months − 1 day
        (date(2026, 3, 2), date(2029, 3, 1)),  # 2029-03-02 − 1 day
        (date(2026, 1, 1), date(2028, 12, 31)),  # 2029-01-01 − 1 day, across the year
        (date(2027, 3, 1), date(2030, 2, 28)),  # 2030-03-01 − 1 day
        # 2024-02-29 + 36 months = "2027-02-29", clamped to 2027-02-28, − 1 day = 2027-02-27
        (date(2024, 2, 29), date(2027, 2, 27)),
    ],
)
def test_certificate_valid_until_is_36_months_less_a_day(decision: date, valid_until: date) -> None:
    assert certificate_valid_until(decision, 36) == valid_until
