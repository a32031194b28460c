"""The pure rules of an evaluation round: decide what a round command means, evolve the round.

Facts that live outside the round (the council, which journeys are unfinished, their results) are
read by activities and passed in as ``RoundFacts``, so these functions stay free of I/O.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, assert_never

from pydantic import BaseModel, ConfigDict, Field

from schemas.council import Council
from schemas.errors import AfterCutOff, InvalidCommand, NotAllowed, NotDue, WrongState
from schemas.events import Outcome
from schemas.journey import JourneyState, Status
from schemas.refusals import Reason
from schemas.roles import OFFICER_OF_LEVEL, Role
from schemas.round import (
    CloseEnrolment,
    CloseRound,
    EnrolJourney,
    EnrolmentClosed,
    FlagResultsOverdue,
    JourneyCarriedIn,
    JourneyCarriedOver,
    JourneyEnrolled,
    OpenRound,
    PublishResults,
    ResultRow,
    ResultsPublished,
    RoundClosed,
    RoundCommand,
    RoundDeadlineMissed,
    RoundEvent,
    RoundOpened,
    RoundState,
    RoundStatus,
    TakeCarriedOver,
)
from schemas.rulebook import Level
from schemas.rulebooks import CURRENT, UnknownRulebook, get_rulebook
from workflows.calendar import end_of_day, local_date


class RoundFacts(BaseModel):
    """What activities found outside the round, for the command being decided."""

    model_config = ConfigDict(frozen=True)

    council: Council | None = None
    unfinished: list[str] = Field(default_factory=list, description="Enrolled journeys not finalized here.")
    results: list[ResultRow] = Field(default_factory=list)
    calendar: bool = Field(
        default=False,
        description="The round follows the national calendar (qd26-2026 Art. 5; the workflow's patch).",
    )
    extra_rounds: bool = Field(
        default=False,
        description=(
            "Under a calendar, a round off it opens only where the council's regulation allows extra "
            "rounds (qd26-2026 Art. 5; the workflow's patch)."
        ),
    )


def enrolment_deadline(state: RoundState) -> datetime:
    """When enrolment closes: the end of the cut-off day, Vietnam time."""
    return end_of_day(state.cut_off)


def results_deadline(state: RoundState) -> datetime | None:
    """When the round's results are overdue: the end of the calendar's end date, Vietnam time;
    None once they are published or flagged, or for a round without a calendar."""
    if state.results_due is None or state.results_overdue or state.status == RoundStatus.RESULTS_PUBLISHED:
        return None
    return end_of_day(state.results_due)


def calendar_dates(level: Level, cut_off: date | None, today: date) -> tuple[date, date | None]:
    """The round's cut-off and the date its results are due (qd26-2026 Art. 5): a named cut-off
    belongs to the first calendar round of the level whose cut-off is on or after it; without one
    the round takes the calendar's next cut-off. The calendar is that of the rulebook in force on
    the opening day; without a calendar a round names its cut-off and has no end date."""
    try:
        rulebook = CURRENT.in_force(today)
    except UnknownRulebook:
        rulebook = None
    calendar = rulebook.calendar_round(level, cut_off or today) if rulebook is not None else None
    if cut_off is not None:
        return cut_off, calendar[1] if calendar is not None else None
    if calendar is None:
        raise InvalidCommand(Reason("round.no_calendar"))
    return calendar


def off_calendar(level: Level, cut_off: date, today: date) -> date | None:
    """Where a round named with ``cut_off`` is an extra round (qd26-2026 Art. 5: "tổ chức thêm các
    đợt đánh giá"), the calendar's next cut-off for ``level`` it falls short of; None for a calendar
    round, or where the rulebook in force on ``today`` has no calendar for the level."""
    try:
        rulebook = CURRENT.in_force(today)
    except UnknownRulebook:
        return None
    calendar = rulebook.calendar_round(level, cut_off)
    if calendar is None or calendar[0] == cut_off:
        return None
    return calendar[0]


def _officer(state_level_officer: Role, command: Any) -> None:
    if command.actor.role not in (state_level_officer.value, Role.SYSTEM.value):
        raise NotAllowed(Reason("round.runner", officer=state_level_officer, role=command.actor.role))


def decide_round(
    state: RoundState | None, command: RoundCommand, now: datetime, facts: RoundFacts | None = None
) -> list[RoundEvent]:
    """The events a round command produces, or a ``DomainError`` saying why it is refused."""
    facts = facts or RoundFacts()
    if isinstance(command, OpenRound):
        if state is not None:
            raise WrongState(Reason("round.open_already", round=state.round_id))
        council = facts.council
        if council is None:
            raise InvalidCommand(Reason("round.no_council", council=command.council_id))
        _officer(OFFICER_OF_LEVEL[council.level], command)
        if facts.calendar:
            last_day, results_due = calendar_dates(council.level, command.cut_off, local_date(now))
            regular = off_calendar(council.level, last_day, local_date(now)) if facts.extra_rounds else None
            if regular is not None and not council.extra_rounds_allowed:
                raise InvalidCommand(
                    Reason(
                        "round.extra_not_allowed",
                        council=council.council_id,
                        cut_off=last_day,
                        calendar=regular,
                    )
                )
        elif command.cut_off is not None:
            last_day, results_due = command.cut_off, None
        else:
            raise InvalidCommand(Reason("round.name_cut_off"))
        if command.meeting_date < last_day:
            raise InvalidCommand(Reason("round.meeting_before_cut_off"))
        if last_day < local_date(now):
            raise AfterCutOff(Reason("round.cut_off_passed", cut_off=last_day))
        return [
            RoundOpened(
                round_id=command.round_id,
                name=command.name,
                council=council,
                cut_off=last_day,
                meeting_date=command.meeting_date,
                results_due=results_due,
            )
        ]
    if state is None:
        raise WrongState(Reason("round.not_opened"))
    officer = OFFICER_OF_LEVEL[state.level]
    match command:
        case EnrolJourney():
            _officer(officer, command)
            _expect_open(state)
            if not state.enrolment_open or now >= enrolment_deadline(state):
                raise AfterCutOff(Reason("round.enrolment_closed", name=state.name, cut_off=state.cut_off))
            if command.journey_id in state.journeys:
                raise WrongState(Reason("round.enrolled_already", journey=command.journey_id))
            return [JourneyEnrolled(journey_id=command.journey_id)]
        case TakeCarriedOver():
            _officer(officer, command)
            _expect_open(state)
            if command.journey_id in state.journeys:
                return []  # taken already (a retried carry-over)
            return [JourneyCarriedIn(journey_id=command.journey_id, from_round=command.from_round)]
        case CloseEnrolment():
            if not state.enrolment_open:
                return []
            return [EnrolmentClosed()]
        case FlagResultsOverdue():
            overdue = results_deadline(state)
            if overdue is None or state.results_due is None:
                return []
            if now < overdue:
                raise NotDue(Reason("round.results_due", due=state.results_due))
            return [RoundDeadlineMissed(due=state.results_due, due_from=officer.value)]
        case CloseRound():
            _officer(officer, command)
            _expect_open(state)
            if command.carry_over_to == state.round_id:
                raise InvalidCommand(Reason("round.carry_to_itself"))
            if facts.unfinished and command.carry_over_to is None:
                raise WrongState(Reason("round.unfinished", count=len(facts.unfinished)))
            events: list[RoundEvent] = [
                JourneyCarriedOver(journey_id=journey_id, to_round=command.carry_over_to)
                for journey_id in facts.unfinished
                if command.carry_over_to is not None
            ]
            events.append(RoundClosed(carried_over=len(events)))
            return events
        case PublishResults():
            _officer(officer, command)
            if state.status != RoundStatus.CLOSED:
                raise WrongState(Reason("round.publish_closed", status=state.status))
            return [ResultsPublished(results=facts.results)]
    raise InvalidCommand(Reason("round.not_a_command", command=type(command).__name__))


def _expect_open(state: RoundState) -> None:
    if state.status != RoundStatus.OPEN:
        raise WrongState(Reason("round.status", status=state.status))


def evolve_round(state: RoundState | None, event: RoundEvent, at: datetime) -> RoundState:
    """Fold one event into the round."""
    if state is None:
        if not isinstance(event, RoundOpened):
            raise ValueError(f"a round starts with round_opened, not {event.type}")
        return RoundState(
            round_id=event.round_id,
            name=event.name,
            council=event.council,
            level=event.council.level,
            jurisdiction=event.council.jurisdiction,
            cut_off=event.cut_off,
            meeting_date=event.meeting_date,
            results_due=event.results_due,
            version=1,
            opened_at=at,
            updated_at=at,
        )
    changes: dict[str, Any]
    match event:
        case RoundOpened():
            raise ValueError("a round opens once")
        case JourneyEnrolled():
            changes = {"journeys": [*state.journeys, event.journey_id]}
        case JourneyCarriedIn():
            changes = {
                "journeys": [*state.journeys, event.journey_id],
                "carried_in": {**state.carried_in, event.journey_id: event.from_round},
            }
        case EnrolmentClosed():
            changes = {"enrolment_open": False}
        case JourneyCarriedOver():
            changes = {"carried_out": {**state.carried_out, event.journey_id: event.to_round}}
        case RoundClosed():
            changes = {"status": RoundStatus.CLOSED, "enrolment_open": False}
        case ResultsPublished():
            changes = {"status": RoundStatus.RESULTS_PUBLISHED, "results": event.results}
        case RoundDeadlineMissed():
            changes = {"results_overdue": True}
        case _:  # every event type has its case above: mypy reports here the one a new event forgot
            assert_never(event)
    return state.model_copy(update={**changes, "version": state.version + 1, "updated_at": at})


def fold_round(state: RoundState | None, events: list[RoundEvent], at: datetime) -> RoundState | None:
    for event in events:
        state = evolve_round(state, event, at)
    return state


def unfinished_here(journey: JourneyState, round_id: str) -> bool:
    """A journey still being evaluated in this round (not finalized, not withdrawn)."""
    return journey.status == Status.IN_EVALUATION and journey.round_id == round_id


def _next_level(journey: JourneyState, level: Level) -> str:
    """The level after ``level`` in the journey's rulebook (where the product went, even once it
    has moved on from there)."""
    try:
        following = get_rulebook(journey.rulebook).next_level(level)
    except (UnknownRulebook, ValueError):
        following = None
    return following.value if following is not None else "?"


def result_row(journey: JourneyState, round_state: RoundState) -> ResultRow:
    """The journey's line in the round's results: its result in this round and what comes next.

    ``next_step`` is a code for the pages to translate: recognize:<level>:<stars>,
    recognize_then_forward:<level>:<stars>:<next level>, forward:<next level>, not_ranked,
    keep_certificate, carried_over:<round>, withdrawn, pending."""
    result = next((r for r in reversed(journey.results) if r.round_id == round_state.round_id), None)
    if journey.journey_id in round_state.carried_out:
        step = f"carried_over:{round_state.carried_out[journey.journey_id]}"
    elif result is None:
        step = "withdrawn" if journey.status == Status.WITHDRAWN else "pending"
    elif result.outcome in (Outcome.RECOGNIZE, Outcome.RECOGNIZE_THEN_FORWARD):
        stars = next(
            (
                pending.stars
                for pending in [journey.pending_recognition]
                if pending is not None and pending.level == result.level
            ),
            None,
        )
        recognized = next(
            (rec.stars for rec in reversed(journey.recognitions) if rec.level == result.level), None
        )
        step = f"{result.outcome.value}:{result.level.value}:{stars or recognized}"
        if result.outcome == Outcome.RECOGNIZE_THEN_FORWARD:
            step += f":{_next_level(journey, result.level)}"
    elif result.outcome == Outcome.FORWARD:
        step = f"forward:{_next_level(journey, result.level)}"
    else:
        step = result.outcome.value
    return ResultRow(
        journey_id=journey.journey_id,
        product_name=journey.product_name,
        mean=result.mean if result else None,
        stars=result.stars if result else None,
        outcome=result.outcome if result else None,
        next_step=step,
    )
