"""The national round calendar of qd26-2026 (Art. 5), pure: the rulebook's four rounds a year, the
cut-off a round opened without one takes, the end date a round's results are due by, and the
escalation (``deadline_missed``) of a round whose results are not published by then."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from schemas.council import Council, CouncilAppointed
from schemas.errors import InvalidCommand, NotDue
from schemas.log import Actor
from schemas.round import (
    FlagResultsOverdue,
    OpenRound,
    PublishResults,
    RoundClosed,
    RoundDeadlineMissed,
    RoundState,
)
from schemas.rulebook import Level
from schemas.rulebooks import get_rulebook
from tests.factories import CENTRAL_OFFICER, PROVINCIAL_OFFICER
from tests.recognitions import PROVINCE_ROSTER
from workflows.calendar import end_of_day
from workflows.council_rules import evolve_council
from workflows.round_rules import RoundFacts, decide_round, fold_round, results_deadline

QD26 = get_rulebook("qd26-2026")
SYSTEM = Actor(id="system", role="system")


def _council(level: Level, *, extra_rounds_allowed: bool = True) -> Council:
    return Council(
        council_id=f"HD-{level.value}",
        name="Hội đồng OCOP",
        level=level,
        jurisdiction="38" if level == Level.PROVINCE else "VN",
        seats=PROVINCE_ROSTER.seats,
        extra_rounds_allowed=extra_rounds_allowed,
        version=1,
    )


def _vn(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 7, tzinfo=UTC)


def _open(
    level: Level,
    today: date,
    cut_off: date | None,
    meeting: date,
    *,
    calendar: bool = True,
    extra_rounds: bool = True,
    allowed: bool = True,
) -> RoundState:
    officer = PROVINCIAL_OFFICER if level == Level.PROVINCE else CENTRAL_OFFICER
    command = OpenRound(
        actor=officer,
        round_id="R-1",
        name="Đợt",
        council_id=f"HD-{level.value}",
        cut_off=cut_off,
        meeting_date=meeting,
    )
    council = _council(level, extra_rounds_allowed=allowed)
    facts = RoundFacts(council=council, calendar=calendar, extra_rounds=extra_rounds)
    events = decide_round(None, command, _vn(today), facts)
    state = fold_round(None, events, _vn(today))
    assert state is not None
    return state


def test_the_rulebook_holds_two_provincial_and_two_central_rounds_a_year() -> None:
    rounds = {(entry.level, entry.cut_off_in(2027), entry.ends_in(2027)) for entry in QD26.calendar}
    assert rounds == {
        (Level.PROVINCE, date(2027, 4, 30), date(2027, 6, 30)),
        (Level.PROVINCE, date(2027, 10, 30), date(2027, 12, 30)),
        (Level.CENTRAL, date(2027, 7, 30), date(2027, 9, 30)),
        (Level.CENTRAL, date(2027, 1, 30), date(2027, 3, 30)),
    }
    assert get_rulebook("qd148-1489-2025").calendar == []


@pytest.mark.parametrize(
    ("level", "today", "cut_off", "ends"),
    [
        (Level.PROVINCE, date(2026, 6, 1), date(2026, 10, 30), date(2026, 12, 30)),
        (Level.PROVINCE, date(2026, 10, 30), date(2026, 10, 30), date(2026, 12, 30)),  # its last day
        (Level.PROVINCE, date(2026, 11, 2), date(2027, 4, 30), date(2027, 6, 30)),
        (Level.CENTRAL, date(2026, 6, 1), date(2026, 7, 30), date(2026, 9, 30)),
        (Level.CENTRAL, date(2026, 8, 1), date(2027, 1, 30), date(2027, 3, 30)),
    ],
)
def test_a_round_opened_without_a_cut_off_takes_the_calendars_next_one_and_its_end_date(
    level: Level, today: date, cut_off: date, ends: date
) -> None:
    state = _open(level, today, None, cut_off + timedelta(days=10))
    assert (state.cut_off, state.results_due) == (cut_off, ends)


def test_a_round_with_its_own_cut_off_is_due_by_the_end_of_the_calendar_round_it_falls_in() -> None:
    state = _open(Level.PROVINCE, date(2026, 6, 1), date(2026, 9, 15), date(2026, 9, 25))
    assert (state.cut_off, state.results_due) == (date(2026, 9, 15), date(2026, 12, 30))


def test_without_a_calendar_a_round_names_its_cut_off_and_has_no_end_date() -> None:
    # qd148-1489-2025 in force on 2 March 2026: no calendar.
    with pytest.raises(InvalidCommand):
        _open(Level.PROVINCE, date(2026, 3, 2), None, date(2026, 3, 20))
    state = _open(Level.PROVINCE, date(2026, 3, 2), date(2026, 3, 6), date(2026, 3, 12))
    assert state.results_due is None
    assert results_deadline(state) is None
    # A round opened before the calendar shipped (its workflow replays without it) has none either.
    with pytest.raises(InvalidCommand):
        _open(Level.PROVINCE, date(2026, 6, 1), None, date(2026, 11, 20), calendar=False)
    old = _open(Level.PROVINCE, date(2026, 6, 1), date(2026, 9, 15), date(2026, 9, 25), calendar=False)
    assert old.results_due is None


def test_results_not_published_by_the_calendars_end_date_escalate_once_to_the_standing_agency() -> None:
    state = _open(Level.PROVINCE, date(2026, 6, 1), None, date(2026, 11, 10))
    assert state.results_due == date(2026, 12, 30)
    overdue = results_deadline(state)
    assert overdue == end_of_day(date(2026, 12, 30))
    flag = FlagResultsOverdue(actor=SYSTEM)
    with pytest.raises(NotDue):
        decide_round(state, flag, overdue - timedelta(seconds=1))
    [missed] = decide_round(state, flag, overdue)
    assert missed == RoundDeadlineMissed(due=date(2026, 12, 30), due_from="provincial_officer")
    flagged = fold_round(state, [missed], overdue)
    assert flagged is not None
    assert flagged.results_overdue
    assert results_deadline(flagged) is None  # once
    assert decide_round(flagged, flag, overdue + timedelta(days=1)) == []
    # The council may still close and publish afterwards.
    closed = fold_round(flagged, [RoundClosed(carried_over=0)], overdue)
    assert closed is not None
    assert decide_round(closed, PublishResults(actor=PROVINCIAL_OFFICER), overdue)


def test_published_results_are_never_overdue() -> None:
    state = _open(Level.CENTRAL, date(2026, 6, 1), None, date(2026, 8, 10))
    published = state.model_copy(update={"status": "results_published"})
    assert results_deadline(published) is None


def test_a_round_off_the_calendar_opens_only_where_the_councils_regulation_allows_extra_rounds() -> None:
    # Art. 5.1: "UBND cấp tỉnh có thể tổ chức thêm các đợt đánh giá trong năm, nhưng phải được quy
    # định trong Quyết định ban hành Quy chế hoạt động của Hội đồng cấp tỉnh".
    with pytest.raises(InvalidCommand) as refused:
        _open(Level.PROVINCE, date(2026, 6, 1), date(2026, 9, 15), date(2026, 9, 25), allowed=False)
    why = refused.value.why
    assert why is not None
    assert why.key == "round.extra_not_allowed"
    assert why.params == {"council": "HD-province", "cut_off": "2026-09-15", "calendar": "2026-10-30"}
    assert "không quy định tổ chức thêm đợt" in why.text("vi")
    assert "30/10/2026" in why.text("vi")
    # The calendar's own rounds open on any council, named or taken from the calendar.
    named = _open(Level.PROVINCE, date(2026, 6, 1), date(2026, 10, 30), date(2026, 11, 10), allowed=False)
    assert (named.cut_off, named.results_due) == (date(2026, 10, 30), date(2026, 12, 30))
    taken = _open(Level.CENTRAL, date(2026, 6, 1), None, date(2026, 8, 10), allowed=False)
    assert taken.cut_off == date(2026, 7, 30)
    # A council whose regulation provides for extra rounds opens one.
    extra = _open(Level.PROVINCE, date(2026, 6, 1), date(2026, 9, 15), date(2026, 9, 25), allowed=True)
    assert extra.results_due == date(2026, 12, 30)


def test_extra_rounds_are_free_without_a_calendar_and_for_rounds_opened_before_the_rule_shipped() -> None:
    # qd148-1489-2025 (in force on 2 March 2026) has no calendar: any cut-off is a round.
    _open(Level.PROVINCE, date(2026, 3, 2), date(2026, 3, 6), date(2026, 3, 12), allowed=False)
    # A round opened off the calendar before the rule shipped replays as it ran (the patch unasked).
    _open(
        Level.PROVINCE,
        date(2026, 6, 1),
        date(2026, 9, 15),
        date(2026, 9, 25),
        extra_rounds=False,
        allowed=False,
    )


def test_the_councils_setting_is_recorded_at_appointment_and_absent_from_older_events() -> None:
    appointed = CouncilAppointed(
        council_id="HD-TH",
        name="Hội đồng",
        level=Level.PROVINCE,
        jurisdiction="38",
        seats=PROVINCE_ROSTER.seats,
    )
    assert "extra_rounds_allowed" not in appointed.model_dump(mode="json")  # stored events unchanged
    council = evolve_council(None, appointed, _vn(date(2026, 6, 1)))
    assert council.extra_rounds_allowed is False
    allowing = appointed.model_copy(update={"extra_rounds_allowed": True})
    assert allowing.model_dump(mode="json")["extra_rounds_allowed"] is True
    assert evolve_council(None, allowing, _vn(date(2026, 6, 1))).extra_rounds_allowed is True
