"""Evaluation rounds (đợt đánh giá): a batch of dossiers evaluated by one council (ocop.md §4)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from schemas.council import Council
from schemas.events import Outcome
from schemas.log import Actor
from schemas.rulebook import Level


def _unset(value: Any) -> bool:
    return value is None


class RoundStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    RESULTS_PUBLISHED = "results_published"


class ResultRow(BaseModel):
    """One line of a round's published results: the product, its mean, band and next step."""

    model_config = ConfigDict(frozen=True)

    journey_id: str
    product_name: str
    mean: Decimal | None
    stars: int | None
    outcome: Outcome | None
    next_step: str


class RoundState(BaseModel):
    """A round's state (stream ``round:{id}``) and its read model."""

    model_config = ConfigDict(frozen=True)

    round_id: str
    name: str
    council: Council = Field(description="The council as it stood when the round opened.")
    level: Level
    jurisdiction: str
    cut_off: date
    meeting_date: date
    results_due: date | None = Field(
        default=None, exclude_if=_unset, description="The calendar's end date (qd26-2026 Art. 5)."
    )
    results_overdue: bool = Field(default=False, exclude_if=lambda value: not value)
    status: RoundStatus = RoundStatus.OPEN
    enrolment_open: bool = True
    journeys: list[str] = Field(default_factory=list, description="Enrolled and carried-in journeys.")
    carried_in: dict[str, str] = Field(default_factory=dict, description="Journey -> round it came from.")
    carried_out: dict[str, str] = Field(default_factory=dict, description="Journey -> round it went to.")
    results: list[ResultRow] = Field(default_factory=list)
    version: int = 0
    opened_at: datetime
    updated_at: datetime


# -- commands (each the body of one HTTP action and the argument of one round update) -------------


class _RoundCommand(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: Actor
    request_id: str | None = None


class OpenRound(_RoundCommand):
    """Open a round of a council with a submission cut-off and a meeting date; without a cut-off,
    the round takes the next one of the national calendar for the council's level (qd26-2026 Art. 5)."""

    round_id: str = Field(min_length=1, max_length=100, pattern=r"^[\w./-]+$")
    name: str = Field(min_length=1, max_length=200, examples=["Đợt 1/2025"])
    council_id: str = Field(min_length=1)
    cut_off: date | None = Field(
        default=None,
        description="Dossiers accepted on or before this day may be enrolled until then; omitted: the "
        "calendar's next cut-off for the council's level (rulebooks with a calendar).",
    )
    meeting_date: date


class EnrolJourney(_RoundCommand):
    """Enrol a journey that awaits a round at this council's level and jurisdiction."""

    journey_id: str = Field(min_length=1)


class CloseRound(_RoundCommand):
    """Close the round; products not finalized move to ``carry_over_to``, the council's next round."""

    carry_over_to: str | None = Field(default=None, description="An open round of the same council.")


class PublishResults(_RoundCommand):
    """Publish the results of a closed round."""


class TakeCarriedOver(_RoundCommand):
    """(Between rounds) receive a journey carried over from the council's previous round."""

    journey_id: str
    from_round: str


class CloseEnrolment(_RoundCommand):
    """(Timer) the cut-off passed: enrolment closes."""


class FlagResultsOverdue(_RoundCommand):
    """(Timer) the calendar's end date passed without published results: escalate."""


RoundCommand = (
    OpenRound
    | EnrolJourney
    | CloseRound
    | PublishResults
    | TakeCarriedOver
    | CloseEnrolment
    | FlagResultsOverdue
)


# -- events -------------------------------------------------------------------------------------


# Events of this stream: the evolution rule of schemas/events.py holds for them (the permanent record).
class _RoundEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RoundOpened(_RoundEvent):
    """A standing agency opened a round (đợt đánh giá) of a council: its roster, cut-off and meeting date."""

    type: Literal["round_opened"] = "round_opened"
    round_id: str
    name: str
    council: Council
    cut_off: date
    meeting_date: date
    results_due: date | None = Field(
        default=None,
        exclude_if=_unset,
        description="The end date of the national calendar's round it belongs to (qd26-2026 Art. 5).",
    )


class JourneyEnrolled(_RoundEvent):
    """A journey awaiting a round at the council's level and jurisdiction was enrolled."""

    type: Literal["journey_enrolled"] = "journey_enrolled"
    journey_id: str


class JourneyCarriedIn(_RoundEvent):
    """A journey carried over from the council's previous round joined this one."""

    type: Literal["journey_carried_in"] = "journey_carried_in"
    journey_id: str
    from_round: str


class EnrolmentClosed(_RoundEvent):
    """The cut-off passed: no more journeys enrol (the round's timer records it)."""

    type: Literal["enrolment_closed"] = "enrolment_closed"


class JourneyCarriedOver(_RoundEvent):
    """On closing, an unfinished journey was carried to the council's next round."""

    type: Literal["journey_carried_over"] = "journey_carried_over"
    journey_id: str
    to_round: str


class RoundClosed(_RoundEvent):
    """The round closed; ``carried_over`` journeys went on to the council's next round."""

    type: Literal["round_closed"] = "round_closed"
    carried_over: int


class ResultsPublished(_RoundEvent):
    """The round's results were published (công bố kết quả): one row per product."""

    type: Literal["results_published"] = "results_published"
    results: list[ResultRow]


class RoundDeadlineMissed(_RoundEvent):
    """The council had not published the round's results by the calendar's end date (qd26-2026
    Art. 5): escalated to the role that owed them (the round's own timer records it)."""

    type: Literal["deadline_missed"] = "deadline_missed"
    deadline: Literal["results_publication"] = "results_publication"
    due: date
    due_from: str = Field(description="Role that owed the step.")


RoundEvent = Annotated[
    RoundOpened
    | JourneyEnrolled
    | JourneyCarriedIn
    | EnrolmentClosed
    | JourneyCarriedOver
    | RoundClosed
    | ResultsPublished
    | RoundDeadlineMissed,
    Field(discriminator="type"),
]
ROUND_EVENT: TypeAdapter[RoundEvent] = TypeAdapter(RoundEvent)


class RoundReceipt(BaseModel):
    """Acknowledgement of a committed round decision, with the round's new state."""

    model_config = ConfigDict(frozen=True)

    round_id: str
    event_ids: list[str]
    event_types: list[str]
    stream_version: int
    recorded_at: datetime
    state: RoundState
