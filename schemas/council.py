"""Councils (Hội đồng đánh giá, phân hạng) as a journey sees them: the roster fixed when a round opened."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.rulebook import Level, Quorum


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
