"""Vietnamese calendar arithmetic for deadlines and certificate terms (pure, no clock).

Working days skip weekends and Vietnam's public holidays from the ``holidays`` package. Days are
counted in Vietnam's time zone (UTC+7), and a deadline on day D ends at midnight after D.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

import holidays

from schemas.rulebook import DeadlineRule, DeadlineUnit

VIETNAM = timezone(timedelta(hours=7), "ICT")


# Computed once, when the module is imported (outside any workflow sandbox: the package loads its
# translations lazily through gettext, which a workflow may not call), for the programme's years.
_TABLE_YEARS = range(2019, 2051)
_HOLIDAYS: frozenset[date] = frozenset(holidays.country_holidays("VN", years=_TABLE_YEARS).keys())


@lru_cache(maxsize=16)
def _holidays_of(year: int) -> frozenset[date]:
    if year in _TABLE_YEARS:
        return _HOLIDAYS
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def local_date(moment: datetime) -> date:
    """The date in Vietnam at ``moment``."""
    return moment.astimezone(VIETNAM).date()


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (no later than the last representable day)."""
    day = start
    remaining = days
    while remaining > 0 and day < date.max:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def add_days(day: date, days: int) -> date:
    """``day`` moved by ``days``, held within the dates a ``date`` can represent."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def due_date(start: date, rule: DeadlineRule) -> date:
    """Last day allowed by ``rule`` for a step that became due on ``start``."""
    if rule.unit == DeadlineUnit.WORKING_DAYS:
        return add_working_days(start, rule.amount)
    return add_days(start, rule.amount)


# The last instant a datetime can hold: where a day's end (the midnight after 9999-12-31) is not
# a datetime, deadlines end here instead of raising OverflowError inside a workflow.
LAST_INSTANT = datetime.combine(date.max, time.max, tzinfo=VIETNAM)


def end_of_day(day: date) -> datetime:
    """The instant a deadline on ``day`` passes: midnight after it, Vietnam time (for the last
    representable day, its last instant)."""
    if day == date.max:
        return LAST_INSTANT
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=VIETNAM)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=VIETNAM)


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the end of a shorter month, and to the dates a
    ``date`` can represent (a term that would end after 9999 ends on 9999-12-31)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def certificate_valid_until(decision_date: date, months: int) -> date:
    """Last day of a certificate valid ``months`` calendar months from its decision date."""
    index = decision_date.month - 1 + months
    if decision_date.year + index // 12 > date.max.year:  # a term beyond 9999 ends on its last day
        return date.max
    return add_days(add_months(decision_date, months), -1)
