"""Actors, councils and commands for tests, with real Thanh Hóa places."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from schemas.commands import (
    AcceptDossier,
    AcceptIdea,
    ApprovePlan,
    EnrolInRound,
    FinalizeResult,
    Recognize,
    RegisterIdea,
    SubmitDossier,
    SubmitPlan,
    SubmitScorecard,
)
from schemas.council import CouncilRoster, Seat, SeatRole
from schemas.log import Actor
from schemas.rulebook import Level, Part, Quorum

THANH_HOA = 38
HAC_THANH = 14797  # Phường Hạc Thành, Thanh Hóa
OTHER_PROVINCE = 1  # Hà Nội

PRODUCER = Actor(id="producer-1", role="producer")
OTHER_PRODUCER = Actor(id="producer-2", role="producer")
COMMUNE_OFFICER = Actor(id="commune-officer-1", role="commune_officer")
DISTRICT_OFFICER = Actor(id="district-officer-1", role="district_officer")
PROVINCIAL_OFFICER = Actor(id="provincial-officer-1", role="provincial_officer")
CENTRAL_OFFICER = Actor(id="central-officer-1", role="central_officer")
AUTHORITY = Actor(id="authority-1", role="recognition_authority")

DISTRICT_NAME = "Huyện Thọ Xuân"


def member(council_id: str, index: int) -> Actor:
    """Seat ``index`` of a council built by ``council``: 1 is the chair."""
    return Actor(id=f"{council_id}-m{index}", role="council_member")


def council(
    council_id: str = "HD-TH-2025",
    level: Level = Level.PROVINCE,
    jurisdiction: str = str(THANH_HOA),
    size: int = 9,
    secretary: bool = True,
    conflicts: tuple[int, ...] = (),
    quorum: Quorum | None = None,
) -> CouncilRoster:
    """A council of ``size`` seats: m1 chairs, m2 is vice-chair, the last is the secretary."""
    seats = []
    for index in range(1, size + 1):
        if index == 1:
            role = SeatRole.CHAIR
        elif index == size and secretary:
            role = SeatRole.SECRETARY
        elif index == 2:
            role = SeatRole.VICE_CHAIR
        else:
            role = SeatRole.MEMBER
        seats.append(Seat(member_id=f"{council_id}-m{index}", role=role))
    return CouncilRoster(
        council_id=council_id,
        level=level,
        jurisdiction=jurisdiction,
        seats=seats,
        conflicts=[f"{council_id}-m{index}" for index in conflicts],
        quorum=quorum,
    )


def parts(a: str, b: str, c: str) -> dict[Part, Decimal]:
    return {"A": Decimal(a), "B": Decimal(b), "C": Decimal(c)}


def parts_for_total(total: str, rulebook_maxima: tuple[int, int, int] = (40, 25, 35)) -> dict[Part, Decimal]:
    """Split ``total`` over A, B, C in proportion to the part maxima (exact to the cent)."""
    value = Decimal(total)
    a = (value * rulebook_maxima[0] / 100).quantize(Decimal("0.01"))
    b = (value * rulebook_maxima[1] / 100).quantize(Decimal("0.01"))
    return {"A": a, "B": b, "C": value - a - b}


def register(journey_id: str = "J-1", district: str | None = None, group: str = "food") -> RegisterIdea:
    return RegisterIdea(
        actor=PRODUCER,
        journey_id=journey_id,
        producer_id=PRODUCER.id,
        product_name="Nem chua Thanh Hóa",
        product_group=group,
        province_code=THANH_HOA,
        commune_code=HAC_THANH,
        district=district,
    )


def intake_to_dossier() -> list[object]:
    """Commands from an accepted idea to a submitted dossier (commune intake)."""
    return [
        AcceptIdea(actor=COMMUNE_OFFICER),
        SubmitPlan(actor=PRODUCER, document="sha256:plan"),
        ApprovePlan(actor=COMMUNE_OFFICER),
        SubmitDossier(actor=PRODUCER, documents=["sha256:form01", "sha256:form02"]),
    ]


def accept(accepted_on: date | None = None, report: str | None = "sha256:commune-report") -> AcceptDossier:
    return AcceptDossier(actor=COMMUNE_OFFICER, commune_report=report, accepted_on=accepted_on)


def enrol(roster: CouncilRoster, round_id: str = "R-1", officer: Actor = PROVINCIAL_OFFICER) -> EnrolInRound:
    return EnrolInRound(actor=officer, round_id=round_id, level=roster.level, council=roster)


def score_all(
    roster: CouncilRoster, totals: list[str], maxima: tuple[int, int, int] = (40, 25, 35)
) -> list[SubmitScorecard]:
    """One scorecard per voting member, in seat order, with the given totals."""
    voting = roster.voting_member_ids
    assert len(totals) <= len(voting)
    return [
        SubmitScorecard(
            actor=Actor(id=member_id, role="council_member"), parts=parts_for_total(total, maxima)
        )
        for member_id, total in zip(voting, totals, strict=False)
    ]


def finalize(roster: CouncilRoster, failed: list[str] | None = None) -> FinalizeResult:
    return FinalizeResult(
        actor=Actor(id=roster.chair_id, role="council_member"), failed_mandatory_criteria=failed or []
    )


def recognize(level: Level, decision_date: date, number: str = "QĐ-1") -> Recognize:
    return Recognize(actor=AUTHORITY, level=level, decision_number=number, decision_date=decision_date)
