"""Evaluation rounds (ocop.md §4), pure: ``decide_round`` / ``evolve_round`` and a round's result rows.

The round decides from its own state and the facts an activity read for it (the council when it
opens, the unfinished journeys when it closes, the rows when it publishes); the journeys' own rules
(level, jurisdiction, state, cut-off against the acceptance date) are the journey's, and are tested
through the workflow in test_round.py and here through ``decide`` where a row needs a journey.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.commands import ApplyUpgrade, Withdraw
from schemas.council import Council
from schemas.errors import AfterCutOff, DomainError, InvalidCommand, NotAllowed, WrongState
from schemas.events import Outcome
from schemas.journey import Status
from schemas.log import Actor
from schemas.round import (
    CloseEnrolment,
    CloseRound,
    EnrolJourney,
    EnrolmentClosed,
    JourneyCarriedIn,
    JourneyCarriedOver,
    JourneyEnrolled,
    OpenRound,
    PublishResults,
    ResultRow,
    ResultsPublished,
    RoundClosed,
    RoundCommand,
    RoundOpened,
    RoundState,
    RoundStatus,
    TakeCarriedOver,
)
from schemas.rulebook import Level
from tests.factories import (
    COMMUNE_OFFICER,
    DISTRICT_NAME,
    DISTRICT_OFFICER,
    PRODUCER,
    PROVINCIAL_OFFICER,
    enrol,
)
from tests.recognitions import PROVINCE_ROSTER, PureJourney, imported
from workflows.calendar import VIETNAM, end_of_day
from workflows.round_rules import (
    RoundFacts,
    decide_round,
    enrolment_deadline,
    evolve_round,
    fold_round,
    result_row,
    unfinished_here,
)

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # Monday 2 March 2026, 10:00 in Vietnam
CUT_OFF = date(2026, 3, 6)
MEETING = date(2026, 3, 12)
SYSTEM = Actor(id="system", role="system")
COUNCIL = Council(
    council_id=PROVINCE_ROSTER.council_id,
    name="Hội đồng OCOP tỉnh Thanh Hóa",
    level=Level.PROVINCE,
    jurisdiction="38",
    seats=PROVINCE_ROSTER.seats,
    version=1,
)


def open_round(
    round_id: str = "R-1", cut_off: date = CUT_OFF, meeting: date = MEETING, actor: Actor = PROVINCIAL_OFFICER
) -> OpenRound:
    return OpenRound(
        actor=actor,
        round_id=round_id,
        name="Đợt 1/2026",
        council_id=COUNCIL.council_id,
        cut_off=cut_off,
        meeting_date=meeting,
    )


def run(
    state: RoundState | None, command: RoundCommand, now: datetime = NOW, facts: RoundFacts | None = None
) -> RoundState:
    events = decide_round(state, command, now, facts)
    folded = fold_round(state, events, now)
    assert folded is not None
    return folded


def opened(round_id: str = "R-1", cut_off: date = CUT_OFF) -> RoundState:
    return run(None, open_round(round_id, cut_off), facts=RoundFacts(council=COUNCIL))


def enrolled(*journey_ids: str, round_id: str = "R-1") -> RoundState:
    state = opened(round_id)
    for journey_id in journey_ids:
        state = run(state, EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id=journey_id))
    return state


# -- opening -----------------------------------------------------------------------------------


def test_a_round_opens_for_a_council_whose_membership_it_keeps() -> None:
    [event] = decide_round(None, open_round(), NOW, RoundFacts(council=COUNCIL))
    assert event == RoundOpened(
        round_id="R-1", name="Đợt 1/2026", council=COUNCIL, cut_off=CUT_OFF, meeting_date=MEETING
    )
    state = evolve_round(None, event, NOW)
    assert (state.level, state.jurisdiction, state.status, state.enrolment_open) == (
        Level.PROVINCE,
        "38",
        RoundStatus.OPEN,
        True,
    )
    assert (state.council, state.version, state.journeys) == (COUNCIL, 1, [])


@pytest.mark.parametrize(
    ("command", "facts", "error"),
    [
        (open_round(), RoundFacts(), InvalidCommand),  # no such council
        (open_round(actor=DISTRICT_OFFICER), RoundFacts(council=COUNCIL), NotAllowed),
        (open_round(meeting=CUT_OFF - timedelta(days=1)), RoundFacts(council=COUNCIL), InvalidCommand),
        (open_round(cut_off=date(2026, 3, 1)), RoundFacts(council=COUNCIL), AfterCutOff),  # yesterday
    ],
)
def test_opening_is_refused(command: OpenRound, facts: RoundFacts, error: type[DomainError]) -> None:
    with pytest.raises(error):
        decide_round(None, command, NOW, facts)


def test_a_round_may_close_its_submissions_today_and_opens_once() -> None:
    state = run(
        None,
        open_round(cut_off=date(2026, 3, 2), meeting=date(2026, 3, 2)),
        facts=RoundFacts(council=COUNCIL),
    )
    assert state.cut_off == date(2026, 3, 2)
    with pytest.raises(WrongState):
        decide_round(state, open_round(), NOW, RoundFacts(council=COUNCIL))
    with pytest.raises(ValueError, match="opens once"):
        evolve_round(
            state,
            RoundOpened(round_id="R-1", name="x", council=COUNCIL, cut_off=CUT_OFF, meeting_date=MEETING),
            NOW,
        )
    with pytest.raises(ValueError, match="starts with round_opened"):
        evolve_round(None, EnrolmentClosed(), NOW)


# -- enrolment and the cut-off -----------------------------------------------------------------


def test_enrolment_closes_at_midnight_after_the_cut_off_day_in_vietnam() -> None:
    state = opened()
    deadline = enrolment_deadline(state)
    assert deadline == datetime(2026, 3, 7, tzinfo=VIETNAM) == datetime(2026, 3, 6, 17, tzinfo=UTC)
    last_moment = deadline - timedelta(microseconds=1)
    assert decide_round(state, EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J-1"), last_moment) == [
        JourneyEnrolled(journey_id="J-1")
    ]
    with pytest.raises(AfterCutOff):
        decide_round(state, EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J-1"), deadline)


def test_once_the_cut_off_timer_closed_enrolment_nothing_more_is_enrolled() -> None:
    state = run(opened(), CloseEnrolment(actor=SYSTEM), end_of_day(CUT_OFF))
    assert (state.enrolment_open, state.status, state.version) == (False, RoundStatus.OPEN, 2)
    assert decide_round(state, CloseEnrolment(actor=SYSTEM), end_of_day(CUT_OFF)) == []  # once
    with pytest.raises(AfterCutOff, match="closed at its cut-off 2026-03-06"):
        decide_round(state, EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J-1"), NOW)


def test_enrolment_is_for_the_officer_of_the_level_in_an_open_round_once_a_journey() -> None:
    state = enrolled("J-1")
    assert state.journeys == ["J-1"]
    with pytest.raises(NotAllowed):
        decide_round(state, EnrolJourney(actor=COMMUNE_OFFICER, journey_id="J-2"), NOW)
    with pytest.raises(WrongState, match="already"):
        decide_round(state, EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J-1"), NOW)
    with pytest.raises(WrongState, match="not been opened"):
        decide_round(None, EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J-1"), NOW)
    closed = run(state, CloseRound(actor=PROVINCIAL_OFFICER))
    with pytest.raises(WrongState, match="closed"):
        decide_round(closed, EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J-2"), NOW)


# -- closing and carrying over -----------------------------------------------------------------


def test_closing_with_unfinished_products_names_the_next_round_and_records_each_carry_over() -> None:
    state = enrolled("J-1", "J-2", "J-3")
    facts = RoundFacts(unfinished=["J-2", "J-3"])
    with pytest.raises(WrongState, match="2 products are not finalized"):
        decide_round(state, CloseRound(actor=PROVINCIAL_OFFICER), NOW, facts)
    events = decide_round(state, CloseRound(actor=PROVINCIAL_OFFICER, carry_over_to="R-2"), NOW, facts)
    assert events == [
        JourneyCarriedOver(journey_id="J-2", to_round="R-2"),
        JourneyCarriedOver(journey_id="J-3", to_round="R-2"),
        RoundClosed(carried_over=2),
    ]
    closed = fold_round(state, events, NOW)
    assert closed is not None
    assert (closed.status, closed.enrolment_open) == (RoundStatus.CLOSED, False)
    assert closed.carried_out == {"J-2": "R-2", "J-3": "R-2"}
    assert closed.journeys == ["J-1", "J-2", "J-3"]  # the round's list keeps them: they were enrolled here
    with pytest.raises(WrongState):
        decide_round(closed, CloseRound(actor=PROVINCIAL_OFFICER, carry_over_to="R-2"), NOW, facts)


def test_a_round_cannot_carry_its_products_over_to_itself() -> None:
    with pytest.raises(InvalidCommand, match="another round"):
        decide_round(enrolled("J-1"), CloseRound(actor=PROVINCIAL_OFFICER, carry_over_to="R-1"), NOW)


def test_a_round_whose_products_are_all_finalized_closes_without_a_next_round() -> None:
    assert decide_round(enrolled("J-1"), CloseRound(actor=PROVINCIAL_OFFICER), NOW, RoundFacts()) == [
        RoundClosed(carried_over=0)
    ]


def test_the_next_round_takes_a_carried_over_product_once_even_after_its_cut_off() -> None:
    state = run(opened("R-2"), CloseEnrolment(actor=SYSTEM), end_of_day(CUT_OFF))
    take = TakeCarriedOver(actor=PROVINCIAL_OFFICER, journey_id="J-2", from_round="R-1")
    assert decide_round(state, take, end_of_day(CUT_OFF)) == [
        JourneyCarriedIn(journey_id="J-2", from_round="R-1")
    ]
    state = run(state, take, end_of_day(CUT_OFF))
    assert (state.journeys, state.carried_in) == (["J-2"], {"J-2": "R-1"})
    assert decide_round(state, take, end_of_day(CUT_OFF)) == []  # a retried carry-over adds nothing
    closed = run(state, CloseRound(actor=PROVINCIAL_OFFICER))
    with pytest.raises(WrongState):
        decide_round(
            closed, TakeCarriedOver(actor=PROVINCIAL_OFFICER, journey_id="J-3", from_round="R-1"), NOW
        )


# -- publishing --------------------------------------------------------------------------------


def test_results_are_published_once_after_the_round_closed() -> None:
    state = enrolled("J-1")
    with pytest.raises(WrongState, match="once the round is closed"):
        decide_round(state, PublishResults(actor=PROVINCIAL_OFFICER), NOW)
    state = run(state, CloseRound(actor=PROVINCIAL_OFFICER))
    row = ResultRow(
        journey_id="J-1", product_name="x", mean=Decimal("80.00"), stars=4, outcome=Outcome.RECOGNIZE,
        next_step="recognize:province:4",
    )  # fmt: skip
    events = decide_round(state, PublishResults(actor=PROVINCIAL_OFFICER), NOW, RoundFacts(results=[row]))
    assert events == [ResultsPublished(results=[row])]
    published = fold_round(state, events, NOW)
    assert published is not None
    assert (published.status, published.results, published.version) == (
        RoundStatus.RESULTS_PUBLISHED,
        [row],
        4,
    )
    with pytest.raises(WrongState):
        decide_round(published, PublishResults(actor=PROVINCIAL_OFFICER), NOW)
    with pytest.raises(NotAllowed):
        decide_round(state, PublishResults(actor=COMMUNE_OFFICER), NOW)


# -- result rows: the product, its mean, band and next step ------------------------------------


def round_of(round_id: str, *journey_ids: str, carried_out: dict[str, str] | None = None) -> RoundState:
    state = enrolled(*journey_ids, round_id=round_id)
    return state.model_copy(update={"carried_out": carried_out or {}})


def new_journey(journey_id: str, accepted: date, district: str | None = None) -> PureJourney:
    driver = PureJourney(journey_id).at(accepted).register(f"Sản phẩm {journey_id}", district=district)
    driver.accept()
    return driver


def test_each_outcome_has_its_next_step() -> None:
    day = date(2026, 3, 2)
    four = new_journey("J-4", day).evaluate("80", round_id="R-1")  # 80.00 -> 4★, recognized here
    five = new_journey("J-5", day).evaluate("92", round_id="R-1")  # 92.00 -> 5★ band
    low = new_journey("J-low", day).evaluate("45", round_id="R-1")  # 45.00 -> 2★
    waiting = new_journey("J-wait", day)
    waiting.run(enrol(PROVINCE_ROSTER, "R-1"))
    gone = new_journey("J-gone", day)
    gone.run(enrol(PROVINCE_ROSTER, "R-1"))
    gone.run(Withdraw(actor=PRODUCER))
    moved = new_journey("J-moved", day)
    moved.run(enrol(PROVINCE_ROSTER, "R-1"))
    state = round_of(
        "R-1", "J-4", "J-5", "J-low", "J-wait", "J-gone", "J-moved", carried_out={"J-moved": "R-2"}
    )

    rows = {
        driver.journey_id: result_row(driver.journey, state)
        for driver in (four, five, low, waiting, gone, moved)
    }
    assert {key: (row.mean, row.stars, row.outcome, row.next_step) for key, row in rows.items()} == {
        "J-4": (Decimal("80.00"), 4, Outcome.RECOGNIZE, "recognize:province:4"),
        # The 5★ band at the province: a provincial 4★ recognition, then the central council.
        "J-5": (
            Decimal("92.00"),
            5,
            Outcome.RECOGNIZE_THEN_FORWARD,
            "recognize_then_forward:province:4:central",
        ),
        "J-low": (Decimal("45.00"), 2, Outcome.NOT_RANKED, "not_ranked"),
        "J-wait": (None, None, None, "pending"),
        "J-gone": (None, None, None, "withdrawn"),
        "J-moved": (None, None, None, "carried_over:R-2"),
    }
    assert rows["J-4"].product_name == "Sản phẩm J-4"
    # Once recognized, the row still names the rank the authority recognized.
    four.recognize(day, "QĐ-1")
    five.recognize(day, "QĐ-2")
    assert result_row(four.journey, state).next_step == "recognize:province:4"
    assert result_row(five.journey, state).next_step == "recognize_then_forward:province:4:central"


def test_a_district_row_keeps_its_own_result_after_the_product_moved_on() -> None:
    # qd148-2023: 75.00 at the district forwards to the province (the district certifies 3★ only).
    driver = new_journey("J-D", date(2024, 5, 2), district=DISTRICT_NAME).at(date(2024, 5, 20))
    driver.evaluate("75", round_id="R-D1")
    district_round = round_of("R-D1", "J-D")
    assert result_row(driver.journey, district_round).next_step == "forward:province"
    driver.at(date(2024, 6, 10)).evaluate("80", round_id="R-P1")
    driver.at(date(2024, 6, 12)).recognize(date(2024, 6, 12), "QĐ-P")
    assert driver.journey.status == Status.CERTIFIED
    row = result_row(driver.journey, district_round)
    assert (row.mean, row.stars, row.outcome, row.next_step) == (
        Decimal("75.00"), 4, Outcome.FORWARD, "forward:province",
    )  # fmt: skip
    provincial = result_row(driver.journey, round_of("R-P1", "J-D"))
    assert (provincial.mean, provincial.next_step) == (Decimal("80.00"), "recognize:province:4")


def test_a_failed_upgrade_keeps_the_certificate() -> None:
    driver = imported("J-UP", 3, date(2024, 5, 10), "qd148-2023", today=date(2026, 3, 2))
    driver.run(ApplyUpgrade(actor=PRODUCER, documents=["sha256:upgrade"]))
    driver.accept()
    driver.evaluate("40", round_id="R-1")  # 40.00: nothing new; the 3★ certificate stays
    row = result_row(driver.journey, round_of("R-1", "J-UP"))
    assert (row.mean, row.stars, row.next_step) == (Decimal("40.00"), 2, "keep_certificate")
    assert driver.journey.status == Status.CERTIFIED


def test_only_a_journey_still_in_evaluation_in_this_round_is_unfinished_here() -> None:
    day = date(2026, 3, 2)
    waiting = new_journey("J-wait", day)
    assert not unfinished_here(waiting.journey, "R-1")  # awaiting a round, not enrolled
    waiting.run(enrol(PROVINCE_ROSTER, "R-1"))
    assert unfinished_here(waiting.journey, "R-1")
    assert not unfinished_here(waiting.journey, "R-2")
    done = new_journey("J-done", day).evaluate("80", round_id="R-1")
    assert not unfinished_here(done.journey, "R-1")


# -- properties --------------------------------------------------------------------------------

STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("enrol"), st.sampled_from(["J-1", "J-2", "J-3"])),
        st.tuples(st.just("take"), st.sampled_from(["J-3", "J-4"])),
        st.tuples(st.just("cut-off"), st.just("")),
        st.tuples(st.just("close"), st.sampled_from(["", "R-2"])),
        st.tuples(st.just("publish"), st.just("")),
        st.tuples(st.just("hours"), st.sampled_from(["1", "30", "100"])),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(STEPS)
def test_a_round_never_lists_a_journey_twice_and_its_status_only_moves_on(
    steps: list[tuple[str, str]],
) -> None:
    now = NOW
    state = opened()
    order = [RoundStatus.OPEN, RoundStatus.CLOSED, RoundStatus.RESULTS_PUBLISHED]
    events_folded = 1
    for step, argument in steps:
        command: RoundCommand
        facts = RoundFacts()
        if step == "hours":
            now += timedelta(hours=int(argument))
            continue
        if step == "enrol":
            command = EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id=argument)
        elif step == "take":
            command = TakeCarriedOver(actor=PROVINCIAL_OFFICER, journey_id=argument, from_round="R-0")
        elif step == "cut-off":
            if now < enrolment_deadline(state):
                continue  # the timer fires only at the deadline
            command = CloseEnrolment(actor=SYSTEM)
        elif step == "close":
            command = CloseRound(actor=PROVINCIAL_OFFICER, carry_over_to=argument or None)
            facts = RoundFacts(unfinished=state.journeys[:1])
        else:
            command = PublishResults(actor=PROVINCIAL_OFFICER)
        try:
            events = decide_round(state, command, now, facts)
        except DomainError:
            continue
        before = state
        folded = fold_round(state, events, now)
        assert folded is not None
        state = folded
        events_folded += len(events)
        assert len(state.journeys) == len(set(state.journeys))
        assert set(state.carried_out) <= set(state.journeys)
        assert set(state.carried_in) <= set(state.journeys)
        assert order.index(state.status) >= order.index(before.status)
        assert before.enrolment_open or not state.enrolment_open  # enrolment never reopens
        if any(isinstance(event, JourneyEnrolled) for event in events):
            assert now < enrolment_deadline(state)
    assert state.version == events_folded
