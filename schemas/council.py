"""Councils (Hội đồng đánh giá, phân hạng) as a journey sees them: the roster fixed when a round opened."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from schemas.log import Actor
from schemas.rulebook import Level, Quorum
from schemas.scorecard import MinimumJudgement

# How the council judges a star minimum (ocop.md §7): None is the engine's default, the criterion's
# mean (MinimumJudgement.CRITERION_MEAN). Left out of stored data while None.
_JUDGEMENT_DESCRIPTION = "How a star minimum is judged: criterion_mean (default) or majority_of_sheets."
_EXTRA_ROUNDS_DESCRIPTION = (
    "The council's regulation (Quy chế hoạt động) provides for rounds beyond the national calendar's "
    "(qd26-2026 Art. 5); without it a round under a calendar opens on a calendar cut-off only."
)


class SeatRole(StrEnum):
    """A member's role on the council."""

    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"
    SECRETARY = "secretary"


class Seat(BaseModel):
    """One member of a council, by party id."""

    model_config = ConfigDict(frozen=True)

    member_id: str = Field(min_length=1)
    role: SeatRole


class CouncilRoster(BaseModel):
    """A council's membership as it stood when the round opened, with the overrides it declared."""

    model_config = ConfigDict(frozen=True)

    council_id: str = Field(min_length=1)
    level: Level
    jurisdiction: str = Field(description="Province code, a district name under older rulebooks, or VN.")
    seats: list[Seat] = Field(min_length=1)
    quorum: Quorum | None = Field(default=None, description="Overrides the rulebook's quorum.")
    dispersion_limit: Decimal | None = Field(default=None, description="Overrides the rulebook's limit.")
    minimum_judgement: MinimumJudgement | None = Field(
        default=None, exclude_if=lambda value: value is None, description=_JUDGEMENT_DESCRIPTION
    )
    conflicts: list[str] = Field(
        default_factory=list, description="Members who declared a conflict of interest with this product."
    )

    @model_validator(mode="after")
    def _one_chair(self) -> CouncilRoster:
        chairs = [seat for seat in self.seats if seat.role == SeatRole.CHAIR]
        if len(chairs) != 1:
            raise ValueError("a council has exactly one chair")
        ids = [seat.member_id for seat in self.seats]
        if len(set(ids)) != len(ids):
            raise ValueError("a member holds one seat")
        return self

    @property
    def chair_id(self) -> str:
        return next(seat.member_id for seat in self.seats if seat.role == SeatRole.CHAIR)

    @property
    def voting_member_ids(self) -> list[str]:
        """Members who score: everyone but the secretary."""
        return [seat.member_id for seat in self.seats if seat.role != SeatRole.SECRETARY]

    def seat_of(self, member_id: str) -> Seat | None:
        return next((seat for seat in self.seats if seat.member_id == member_id), None)


class Conflict(BaseModel):
    """A member's declared conflict of interest with one product (journey)."""

    model_config = ConfigDict(frozen=True)

    member_id: str
    journey_id: str


class Council(BaseModel):
    """A council's own state (stream ``council:{id}``): its membership and declared conflicts."""

    model_config = ConfigDict(frozen=True)

    council_id: str
    name: str
    level: Level
    jurisdiction: str
    seats: list[Seat]
    quorum: Quorum | None = None
    dispersion_limit: Decimal | None = None
    minimum_judgement: MinimumJudgement | None = Field(default=None, exclude_if=lambda value: value is None)
    extra_rounds_allowed: bool = Field(
        default=False, exclude_if=lambda value: not value, description=_EXTRA_ROUNDS_DESCRIPTION
    )
    conflicts: list[Conflict] = Field(default_factory=list)
    version: int = 0

    def roster_for(self, journey_id: str) -> CouncilRoster:
        """The roster a journey is evaluated with, with the conflicts declared on that journey."""
        return CouncilRoster(
            council_id=self.council_id,
            level=self.level,
            jurisdiction=self.jurisdiction,
            seats=self.seats,
            quorum=self.quorum,
            dispersion_limit=self.dispersion_limit,
            minimum_judgement=self.minimum_judgement,
            conflicts=sorted({c.member_id for c in self.conflicts if c.journey_id == journey_id}),
        )


class AppointCouncil(BaseModel):
    """Quyết định thành lập Hội đồng: appoint a council for a level and a jurisdiction."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: Actor
    council_id: str = Field(min_length=1, max_length=100, pattern=r"^[\w.-]+$")
    name: str = Field(min_length=1, max_length=300)
    level: Level
    jurisdiction: str = Field(min_length=1, max_length=200)
    seats: list[Seat] = Field(min_length=1, max_length=50)
    quorum: Quorum | None = None
    dispersion_limit: Decimal | None = Field(default=None, ge=0)
    minimum_judgement: MinimumJudgement | None = Field(default=None, description=_JUDGEMENT_DESCRIPTION)
    extra_rounds_allowed: bool = Field(default=False, description=_EXTRA_ROUNDS_DESCRIPTION)
    reason: str | None = Field(default=None, max_length=2000)


class ChangeMembership(BaseModel):
    """Kiện toàn Hội đồng: the council's new seats; rounds opened earlier keep their roster."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: Actor
    seats: list[Seat] = Field(min_length=1, max_length=50)
    extra_rounds_allowed: bool | None = Field(
        default=None,
        description="The decision also amends the regulation's provision for extra rounds (qd26-2026 "
        "Art. 5); None keeps it as it is.",
    )
    reason: str | None = Field(default=None, max_length=2000)


class DeclareConflict(BaseModel):
    """A member declares a conflict of interest with a product; they cannot score it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: Actor
    member_id: str = Field(min_length=1)
    journey_id: str = Field(min_length=1)
    reason: str | None = Field(default=None, max_length=2000)


CouncilCommand = AppointCouncil | ChangeMembership | DeclareConflict


# Events of this stream: the evolution rule of schemas/events.py holds for them (the permanent record).
class CouncilAppointed(BaseModel):
    """A council was appointed (quyết định thành lập Hội đồng) for a level and a jurisdiction."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["council_appointed"] = "council_appointed"
    council_id: str
    name: str
    level: Level
    jurisdiction: str
    seats: list[Seat]
    quorum: Quorum | None = None
    dispersion_limit: Decimal | None = None
    minimum_judgement: MinimumJudgement | None = Field(default=None, exclude_if=lambda value: value is None)
    extra_rounds_allowed: bool = Field(default=False, exclude_if=lambda value: not value)


class MembershipChanged(BaseModel):
    """The council's seats changed (kiện toàn Hội đồng); rounds opened earlier keep their roster."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["membership_changed"] = "membership_changed"
    seats: list[Seat]
    added: list[str]
    removed: list[str]
    extra_rounds_allowed: bool | None = Field(default=None, exclude_if=lambda value: value is None)


class ConflictDeclared(BaseModel):
    """A member declared a conflict of interest with a product: they cannot score it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["conflict_declared"] = "conflict_declared"
    member_id: str
    journey_id: str


CouncilEvent = Annotated[CouncilAppointed | MembershipChanged | ConflictDeclared, Field(discriminator="type")]
COUNCIL_EVENT: TypeAdapter[CouncilEvent] = TypeAdapter(CouncilEvent)
