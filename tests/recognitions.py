"""Journeys with dated recognitions, folded purely (``decide`` then ``evolve``) on clocks of their own.

Plans and statistics count recognitions by their decision date, and dated decisions in a past year
cannot be produced through Temporal's test server (its clock starts at today's real date and only
moves on). These journeys go through the same rules as the workflow, each step at a moment the
test chooses; they never touch the log, so tests put them as read models when a report needs them.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import cast

from schemas.commands import (
    ApplyReEvaluation,
    ApplyUpgrade,
    Command,
    ImportCertified,
    JourneyCommand,
    RegisterIdea,
)
from schemas.council import CouncilRoster
from schemas.events import JourneyEvent
from schemas.journey import JourneyState, Status
from schemas.log import Actor
from schemas.rulebook import PARTS, Level
from tests.factories import (
    CENTRAL_OFFICER,
    DISTRICT_NAME,
    DISTRICT_OFFICER,
    HAC_THANH,
    PRODUCER,
    PROVINCIAL_OFFICER,
    THANH_HOA,
    accept,
    council,
    enrol,
    finalize,
    intake_to_dossier,
    recognize,
    score_all,
    set_of_group,
)
from workflows.calendar import VIETNAM, local_date
from workflows.lifecycle import applicable_rulebook, decide, evolve
from workflows.sheets import journey_sheet

HANOI = 1
HOAN_KIEM = 70  # Phường Hoàn Kiếm, Hà Nội
ADMINISTRATOR = Actor(id="admin-1", role="administrator")

PROVINCE_ROSTER = council()  # HD-TH-2025: 9 seats, 8 voting
DISTRICT_ROSTER = council("HD-TX", Level.DISTRICT, DISTRICT_NAME, size=7)
CENTRAL_ROSTER = council("HD-TW", Level.CENTRAL, "VN", size=7, secretary=False)
OFFICERS = {
    Level.DISTRICT: DISTRICT_OFFICER,
    Level.PROVINCE: PROVINCIAL_OFFICER,
    Level.CENTRAL: CENTRAL_OFFICER,
}


def vn(day: date, hour: int = 10) -> datetime:
    """``day`` at ``hour`` o'clock in Vietnam."""
    return datetime.combine(day, time(hour), tzinfo=VIETNAM)


class PureJourney:
    """One journey driven through ``decide`` and ``evolve`` with the clock set before each step."""

    def __init__(self, journey_id: str) -> None:
        self.journey_id = journey_id
        self.state: JourneyState | None = None
        self.now = vn(date(2000, 1, 1))

    def at(self, day: date) -> PureJourney:
        moment = vn(day)
        assert moment >= self.now, "the clock only moves on"
        self.now = moment
        return self

    def run(self, command: Command) -> list[JourneyEvent]:
        # Every command given here is a member of the JourneyCommand union.
        journey_command = cast(JourneyCommand, command)
        events = decide(self.state, journey_command, applicable_rulebook(self.state, self.now), self.now)
        for event in events:
            self.state = evolve(self.state, event, self.now)
        return events

    @property
    def journey(self) -> JourneyState:
        assert self.state is not None
        return self.state

    def register(
        self,
        name: str,
        group: str = "food",
        province: int = THANH_HOA,
        commune: int = HAC_THANH,
        district: str | None = None,
    ) -> PureJourney:
        self.run(
            RegisterIdea(
                actor=PRODUCER,
                journey_id=self.journey_id,
                producer_id=PRODUCER.id,
                product_name=name,
                product_group=group,
                province_code=province,
                commune_code=commune,
                district=district,
                product_set=set_of_group(group),  # a dossier under qd26-2026 needs it
            )
        )
        for command in intake_to_dossier():
            self.run(command)
        return self

    def evaluate(
        self, total: str, roster: CouncilRoster | None = None, round_id: str | None = None
    ) -> PureJourney:
        """Enrol at the journey's own level, every voting member scores ``total``, the chair finalizes."""
        level = self.journey.level
        assert level is not None
        if roster is None and level == Level.PROVINCE and self.journey.province_code != THANH_HOA:
            province = self.journey.province_code
            roster = council(f"HD-{province}", Level.PROVINCE, str(province))
        roster = (
            roster
            or {
                Level.DISTRICT: DISTRICT_ROSTER,
                Level.PROVINCE: PROVINCE_ROSTER,
                Level.CENTRAL: CENTRAL_ROSTER,
            }[level]
        )
        round_id = round_id or f"R-{level.value}-{local_date(self.now).isoformat()}"
        self.run(enrol(roster, round_id, OFFICERS[level]))
        rulebook = applicable_rulebook(self.state, self.now)
        a, b, c = (int(rulebook.scorecard[part]) for part in PARTS)
        voting = len(roster.voting_member_ids)
        sheet = journey_sheet(rulebook, self.journey.product_set)  # its set's, or the flat sheet
        for command in score_all(roster, [total] * voting, (a, b, c), sheet):
            self.run(command)
        self.run(finalize(roster))
        return self

    def accept(self) -> list[JourneyEvent]:
        """The commune accepts, with what the rulebook the dossier will pin requires of it."""
        review = bool(applicable_rulebook(self.state, self.now).acceptance_requires)
        return self.run(accept(review=review))

    def recognize(self, decision_date: date, number: str) -> PureJourney:
        pending = self.journey.pending_recognition
        assert pending is not None, f"nothing awaits recognition in {self.journey.status}"
        self.run(recognize(pending.level, decision_date, number))
        return self


def recognized_new(
    journey_id: str,
    total: str,
    finalized: date,
    decided: date,
    *,
    accepted: date | None = None,
    group: str = "food",
    province: int = THANH_HOA,
    commune: int = HAC_THANH,
    district: str | None = None,
) -> PureJourney:
    """A new product accepted on ``accepted`` (the pinned rulebook follows from it), evaluated at its
    first level on ``finalized`` with every member scoring ``total``, recognized on ``decided``."""
    driver = PureJourney(journey_id).at(accepted or finalized)
    driver.register(f"Sản phẩm {journey_id}", group, province, commune, district)
    driver.accept()
    driver.at(finalized).evaluate(total)
    return driver.at(max(decided, finalized)).recognize(decided, f"QĐ-{journey_id}")


def imported(
    journey_id: str, stars: int, decided: date, rulebook_id: str, today: date, group: str = "food"
) -> PureJourney:
    """A product certified before the engine (provincial ``stars``★ decided on ``decided``)."""
    driver = PureJourney(journey_id).at(today)
    driver.run(
        ImportCertified(
            actor=ADMINISTRATOR,
            journey_id=journey_id,
            producer_id=PRODUCER.id,
            product_name=f"Sản phẩm {journey_id}",
            product_group=group,
            province_code=THANH_HOA,
            commune_code=HAC_THANH,
            rulebook_id=rulebook_id,
            level=Level.PROVINCE,
            stars=stars,
            decision_number=f"QĐ-cũ-{journey_id}",
            decision_date=decided,
        )
    )
    return driver


def reapplied(driver: PureJourney, upgrade: bool, applied: date, total: str, decided: date) -> PureJourney:
    """An upgrade (or re-evaluation) dossier on ``applied``, evaluated at once, recognized on ``decided``."""
    assert driver.journey.status == Status.CERTIFIED
    driver.at(applied)
    documents = ["sha256:new-dossier"]
    driver.run(
        ApplyUpgrade(actor=PRODUCER, documents=documents)
        if upgrade
        else ApplyReEvaluation(actor=PRODUCER, documents=documents)
    )
    driver.accept()
    driver.evaluate(total)
    return driver.at(max(decided, applied)).recognize(decided, f"QĐ-{driver.journey_id}-2")


def plan_journeys() -> dict[str, JourneyState]:
    """Recognitions around Thanh Hóa's 2025 plan, by journey id (the comments give each one's count).

    Years change on the decision date: 31 December 2024 and 1 January 2026 fall outside 2025,
    1 January 2025 and 31 December 2025 inside it."""
    journeys = {
        # qd148-2023 (accepted in December 2024): the district council certifies 3★.
        "N-2024-12-31": recognized_new(  # new 3★, 2024: outside
            "N-2024-12-31", "60", date(2024, 12, 20), date(2024, 12, 31),
            accepted=date(2024, 12, 2), district=DISTRICT_NAME,
        ),
        "N-2025-01-01": recognized_new(  # new 3★ (district), 2025: counts
            "N-2025-01-01", "60", date(2024, 12, 26), date(2025, 1, 1),
            accepted=date(2024, 12, 2), district=DISTRICT_NAME,
        ),
        # qd148-1489-2025 (accepted from 6 July 2025): the province certifies 3★ and 4★.
        "N-2025-12-31": recognized_new(  # new 3★, 2025: counts
            "N-2025-12-31", "60", date(2025, 12, 15), date(2025, 12, 31), accepted=date(2025, 12, 1)
        ),
        "N-2026-01-01": recognized_new(  # new 4★, 2026: outside
            "N-2026-01-01", "80", date(2025, 12, 29), date(2026, 1, 1), accepted=date(2025, 12, 1)
        ),
        "N-4STAR": recognized_new(  # new 4★, 2025: counts
            "N-4STAR", "80", date(2025, 9, 10), date(2025, 9, 15), accepted=date(2025, 8, 4)
        ),
        "N-HANDICRAFT": recognized_new(  # new 3★ handicraft, 2025: counts
            "N-HANDICRAFT", "55", date(2025, 8, 20), date(2025, 8, 29),
            accepted=date(2025, 8, 4), group="handicrafts",
        ),
        "HN-NEW": recognized_new(  # new 3★ in Hà Nội: another province
            "HN-NEW", "60", date(2025, 10, 1), date(2025, 10, 10),
            accepted=date(2025, 8, 4), province=HANOI, commune=HOAN_KIEM,
        ),
    }  # fmt: skip
    # A potential 5★: the province recognizes 4★ (new) and forwards; the central council's 5★
    # answers the same new application (RecognitionRecord.kind new), superseding the certificate.
    five = recognized_new("N-5STAR", "92", date(2025, 9, 10), date(2025, 10, 1), accepted=date(2025, 8, 4))
    assert five.journey.level == Level.CENTRAL
    five.at(date(2025, 11, 10)).evaluate("92").at(date(2025, 11, 20)).recognize(date(2025, 11, 20), "QĐ-TW")
    journeys["N-5STAR"] = five
    # 3★ since 2023, upgraded to 4★ in September 2025: an upgrade.
    journeys["U-3TO4"] = reapplied(
        imported("U-3TO4", 3, date(2023, 5, 10), "qd148-2023", today=date(2025, 8, 1)),
        upgrade=True, applied=date(2025, 8, 4), total="80", decided=date(2025, 9, 20),
    )  # fmt: skip
    # 4★ since 2022, re-evaluated in August 2025 at 60 points: a re-evaluation, downgraded to 3★.
    journeys["R-4TO3"] = reapplied(
        imported("R-4TO3", 4, date(2022, 10, 3), "qd1048-2019", today=date(2025, 8, 1)),
        upgrade=False, applied=date(2025, 8, 5), total="60", decided=date(2025, 8, 25),
    )  # fmt: skip
    return {journey_id: driver.journey for journey_id, driver in journeys.items()}
