"""Actors, councils and commands for tests, with real Thanh Hóa places."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import cast

import pytest

from schemas.commands import (
    AcceptDossier,
    AcceptIdea,
    AmendScorecard,
    ApplyReEvaluation,
    ApplyUpgrade,
    ApprovePlan,
    Command,
    EnrolInRound,
    ExpireCertificate,
    FinalizeResult,
    FlagMissedDeadline,
    JourneyCommand,
    LapseDossier,
    Recognize,
    RecordAdvisoryStep,
    RegisterIdea,
    ResubmitDossier,
    ResubmitIdea,
    ReturnDossier,
    ReturnIdea,
    ReturnPlan,
    Revoke,
    SendExpiryNotice,
    SubmitDossier,
    SubmitPlan,
    SubmitScorecard,
    Withdraw,
)
from schemas.council import CouncilRoster, Seat, SeatRole
from schemas.errors import DomainError
from schemas.events import JourneyEvent
from schemas.journey import JourneyState, Status
from schemas.log import Actor
from schemas.procedure import AdvisoryStep
from schemas.rulebook import PARTS, Level, Part, Quorum, Rulebook
from schemas.rulebooks import get_rulebook
from schemas.scorecard import PRODUCT_SETS, ScorecardSheet
from tests.scoresheets import sheet_for_total
from workflows.calendar import VIETNAM, end_of_day, local_date
from workflows.lifecycle import applicable_rulebook, decide, evolve
from workflows.sheets import journey_sheet

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


def set_of_group(group: str) -> str:
    """The product set (QĐ 26/2026 Phụ lục I) a product of an older ``group`` names: the first set of
    the group's sector (food: I.1.a, Rau, củ, quả, hạt tươi)."""
    classification = PRODUCT_SETS["qd26-2026"]
    sector = classification.sector_for_group(group)
    assert sector is not None, f"no sector for the product group {group}"
    return classification.sets_of_sector(sector.code)[0].code


def register(
    journey_id: str = "J-1", district: str | None = None, group: str = "food", product_set: str | None = ""
) -> RegisterIdea:
    """The producer registers the idea, naming its product set (by default its group's first set:
    under a rulebook that scores by option a dossier needs one; older rulebooks record it only);
    ``product_set=None`` names none."""
    return RegisterIdea(
        actor=PRODUCER,
        journey_id=journey_id,
        producer_id=PRODUCER.id,
        product_name="Nem chua Thanh Hóa",
        product_group=group,
        province_code=THANH_HOA,
        commune_code=HAC_THANH,
        district=district,
        product_set=set_of_group(group) if product_set == "" else product_set,
    )


def intake_to_dossier() -> list[Command]:
    """Commands from an accepted idea to a submitted dossier (commune intake)."""
    return [
        AcceptIdea(actor=COMMUNE_OFFICER),
        SubmitPlan(actor=PRODUCER, document="sha256:plan"),
        ApprovePlan(actor=COMMUNE_OFFICER),
        SubmitDossier(actor=PRODUCER, documents=["sha256:form01", "sha256:form02"]),
    ]


# The commune's Mẫu 03 assessment of the four items of qd26-2026 Art. 7.2.a.
COMMUNE_ASSESSMENT = {
    "local_raw_material": "Nếp cái hoa vàng của xã",
    "local_labour": "12 lao động trong xã",
    "idea_origin": "Sản phẩm truyền thống",
    "local_identity": "Men lá theo kinh nghiệm cộng đồng",
}


def accept(
    accepted_on: date | None = None, report: str | None = "sha256:commune-report", *, review: bool = False
) -> AcceptDossier:
    """The commune accepts the dossier; ``review``: with its Mẫu 03 assessment and its proposal, as
    qd26-2026 requires (Art. 6.2, 7.2.b; older rulebooks refuse the assessment)."""
    return AcceptDossier(
        actor=COMMUNE_OFFICER,
        commune_report=report,
        accepted_on=accepted_on,
        commune_assessment=COMMUNE_ASSESSMENT if review else None,
        proposal="sha256:commune-proposal" if review else None,
    )


def enrol(roster: CouncilRoster, round_id: str = "R-1", officer: Actor = PROVINCIAL_OFFICER) -> EnrolInRound:
    return EnrolInRound(actor=officer, round_id=round_id, level=roster.level, council=roster)


def score_all(
    roster: CouncilRoster,
    totals: list[str],
    maxima: tuple[int, int, int] = (40, 25, 35),
    sheet: ScorecardSheet | None = None,
) -> list[SubmitScorecard]:
    """One scorecard per voting member, in seat order, with the given totals: whole sheets of
    options worth each total where the journey scores on a ``sheet`` of options, else part totals."""
    voting = roster.voting_member_ids
    assert len(totals) <= len(voting)
    if sheet is not None and not sheet.flat:
        return [
            SubmitScorecard(
                actor=Actor(id=member_id, role="council_member"), choices=sheet_for_total(sheet, total)
            )
            for member_id, total in zip(voting, totals, strict=False)
        ]
    return [
        SubmitScorecard(
            actor=Actor(id=member_id, role="council_member"), parts=parts_for_total(total, maxima)
        )
        for member_id, total in zip(voting, totals, strict=False)
    ]


def sheet_of(state: JourneyState) -> ScorecardSheet:
    """The sheet an accepted journey's council scores on: its set's under its pinned rulebook where
    that rulebook scores by option, else the rulebook's flat sheet (parts A, B, C)."""
    return journey_sheet(get_rulebook(state.rulebook), state.product_set)


def finalize(roster: CouncilRoster, failed: list[str] | None = None) -> FinalizeResult:
    return FinalizeResult(
        actor=Actor(id=roster.chair_id, role="council_member"), failed_mandatory_criteria=failed or []
    )


def recognize(level: Level, decision_date: date, number: str = "QĐ-1") -> Recognize:
    return Recognize(actor=AUTHORITY, level=level, decision_number=number, decision_date=decision_date)


# -- Additions for the pure lifecycle suite (tests/workflows/test_lifecycle*.py) -------------------
# A driver that runs decide then evolve with its own clock, the remaining commands of ocop.md §2,
# and councils of every level.

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
"""Monday 2 March 2026, 10:00 in Vietnam: a working day under qd148-1489-2025."""

OTHER_DISTRICT = "Huyện Triệu Sơn"
HOAN_KIEM = 70  # Phường Hoàn Kiếm, Hà Nội: a real commune outside Thanh Hóa
SYSTEM_ACTOR = Actor(id="system", role="system")
PROVINCE_COUNCIL_ID = "HD-TH-2025"


def vn(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """``day`` at ``hour:minute`` in Vietnam (UTC+7)."""
    return datetime.combine(day, time(hour, minute), tzinfo=VIETNAM)


def last_instant(day: date) -> datetime:
    """The last microsecond of ``day`` in Vietnam: a deadline on ``day`` has not passed yet."""
    return end_of_day(day) - timedelta(microseconds=1)


def maxima_of(rulebook: Rulebook) -> tuple[int, int, int]:
    """The rulebook's part maxima as ``score_all`` and ``parts_for_total`` take them."""
    a, b, c = (int(rulebook.scorecard[part]) for part in PARTS)
    return a, b, c


def advisory_review(
    held_on: date, officer: Actor = PROVINCIAL_OFFICER, step: AdvisoryStep = AdvisoryStep.REVIEW
) -> RecordAdvisoryStep:
    """A step of the advisory team (qd26-2026 Art. 7.3.c; its review of the dossier by default),
    recorded by ``officer``."""
    return RecordAdvisoryStep(actor=officer, step=step, held_on=held_on, documents=["sha256:review"])


def advice_before_council(state: JourneyState, rulebook: Rulebook) -> list[RecordAdvisoryStep]:
    """The advisory team's steps ``rulebook`` puts before the council at the journey's level
    (qd26-2026 Art. 7.3.c: its review of a first or upgrade dossier) that are not recorded yet,
    recorded by the level's agency on the day the dossier was accepted; none under older rulebooks."""
    level = state.level
    check = rulebook.dossier_check
    if level is None or check is None or level not in check.advisory_at:
        return []
    if state.variant not in check.before_council_variants or state.accepted_on is None:
        return []
    done = {record.step for record in state.advisory if record.level == level}
    awaited = [step for step in check.before_council if step not in done]
    return [advisory_review(state.accepted_on, officer_of(level), step) for step in awaited]


def officer_of(level: Level) -> Actor:
    return {
        Level.COMMUNE: COMMUNE_OFFICER,
        Level.DISTRICT: DISTRICT_OFFICER,
        Level.PROVINCE: PROVINCIAL_OFFICER,
        Level.CENTRAL: CENTRAL_OFFICER,
    }[level]


def province_council(size: int = 9, conflicts: tuple[int, ...] = ()) -> CouncilRoster:
    """Thanh Hóa's provincial council: m1 chairs, the last seat is the secretary."""
    return council(PROVINCE_COUNCIL_ID, Level.PROVINCE, str(THANH_HOA), size=size, conflicts=conflicts)


def district_council(district: str = DISTRICT_NAME, size: int = 7) -> CouncilRoster:
    return council(f"HD-{district}", Level.DISTRICT, district, size=size)


def central_council(size: int = 7, conflicts: tuple[int, ...] = ()) -> CouncilRoster:
    """The central council: national, no secretary in its seats here."""
    return council("HD-TW", Level.CENTRAL, "VN", size=size, secretary=False, conflicts=conflicts)


def council_for(level: Level) -> CouncilRoster:
    """This product's own council of ``level``."""
    if level == Level.DISTRICT:
        return district_council()
    if level == Level.CENTRAL:
        return central_council()
    return province_council()


def return_idea(reason: str = "Ý tưởng chưa rõ nguyên liệu") -> ReturnIdea:
    return ReturnIdea(actor=COMMUNE_OFFICER, reason=reason)


def resubmit_idea(actor: Actor = PRODUCER) -> ResubmitIdea:
    return ResubmitIdea(actor=actor)


def submit_plan(actor: Actor = PRODUCER) -> SubmitPlan:
    return SubmitPlan(actor=actor, document="sha256:plan")


def approve_plan(actor: Actor = COMMUNE_OFFICER) -> ApprovePlan:
    return ApprovePlan(actor=actor)


def return_plan(reason: str = "Thiếu phương án tiêu thụ") -> ReturnPlan:
    return ReturnPlan(actor=COMMUNE_OFFICER, reason=reason)


def submit_dossier(actor: Actor = PRODUCER) -> SubmitDossier:
    return SubmitDossier(actor=actor, documents=["sha256:form01", "sha256:form02"])


def return_dossier(items: tuple[str, ...] = ("phiếu kiểm nghiệm",)) -> ReturnDossier:
    return ReturnDossier(actor=COMMUNE_OFFICER, missing_items=list(items))


def resubmit_dossier(actor: Actor = PRODUCER) -> ResubmitDossier:
    return ResubmitDossier(actor=actor, documents=["sha256:form01", "sha256:form02", "sha256:test-report"])


def apply_upgrade(actor: Actor = PRODUCER) -> ApplyUpgrade:
    return ApplyUpgrade(actor=actor, documents=["sha256:upgrade"])


def apply_re_evaluation(actor: Actor = PRODUCER) -> ApplyReEvaluation:
    return ApplyReEvaluation(actor=actor, documents=["sha256:re-evaluation"])


def revoke(actor: Actor = AUTHORITY, grounds: str = "Vi phạm an toàn thực phẩm") -> Revoke:
    return Revoke(actor=actor, grounds=grounds)


def withdraw(actor: Actor = PRODUCER) -> Withdraw:
    return Withdraw(actor=actor)


def send_expiry_notice(actor: Actor = SYSTEM_ACTOR) -> SendExpiryNotice:
    return SendExpiryNotice(actor=actor)


def expire_certificate(actor: Actor = SYSTEM_ACTOR) -> ExpireCertificate:
    return ExpireCertificate(actor=actor)


def lapse_dossier(actor: Actor = SYSTEM_ACTOR) -> LapseDossier:
    return LapseDossier(actor=actor)


def flag_missed(deadline: str, actor: Actor = SYSTEM_ACTOR) -> FlagMissedDeadline:
    return FlagMissedDeadline(actor=actor, deadline=deadline)


def scorecard(actor: Actor, a: str, b: str, c: str) -> SubmitScorecard:
    return SubmitScorecard(actor=actor, parts=parts(a, b, c))


def amend(
    actor: Actor, total: str, maxima: tuple[int, int, int] = (40, 25, 35), sheet: ScorecardSheet | None = None
) -> AmendScorecard:
    """An amended scorecard worth ``total``: a whole sheet of options on a ``sheet`` of options, else
    part totals."""
    if sheet is not None and not sheet.flat:
        return AmendScorecard(actor=actor, choices=sheet_for_total(sheet, total))
    return AmendScorecard(actor=actor, parts=parts_for_total(total, maxima))


class JourneyDriver:
    """Runs commands through ``decide`` then ``evolve`` on one journey, with a clock of its own.

    ``run`` applies an accepted step; ``expect_refused`` checks that a step is refused with exactly
    the given error and that the journey is left as it was.
    """

    def __init__(self, now: datetime = NOW) -> None:
        self.state: JourneyState | None = None
        self.now = now
        self.events: list[JourneyEvent] = []

    # -- clock --

    def at(self, moment: datetime) -> JourneyDriver:
        """Move the clock to ``moment`` (never backwards: the log's time only moves on)."""
        assert moment >= self.now, f"the clock cannot go back from {self.now} to {moment}"
        self.now = moment
        return self

    def advance(self, **delta: float) -> JourneyDriver:
        return self.at(self.now + timedelta(**delta))

    @property
    def today(self) -> date:
        return local_date(self.now)

    # -- steps --

    @property
    def journey(self) -> JourneyState:
        assert self.state is not None, "the journey has not been registered"
        return self.state

    def status(self) -> Status:
        """The journey's status now (a call, so that type checkers do not pin it between steps)."""
        return self.journey.status

    def rulebook(self) -> Rulebook:
        return applicable_rulebook(self.state, self.now)

    def sheet(self) -> ScorecardSheet:
        """The sheet the journey's council scores on (its set's, or the rulebook's flat one)."""
        return journey_sheet(self.rulebook(), self.journey.product_set)

    def decide(self, command: Command) -> list[JourneyEvent]:
        # Every factory builds a member of the JourneyCommand union; decide refuses any other.
        return decide(self.state, cast(JourneyCommand, command), self.rulebook(), self.now)

    def run(self, command: Command) -> list[JourneyEvent]:
        events = self.decide(command)
        assert events, f"{type(command).__name__} was accepted but produced no event"
        for event in events:
            self.state = evolve(self.state, event, self.now)
            self.events.append(event)
        return events

    def run_all(self, commands: Iterable[Command]) -> list[JourneyEvent]:
        return [event for command in commands for event in self.run(command)]

    def expect_refused(self, command: Command, error: type[DomainError]) -> DomainError:
        """``command`` is refused with exactly ``error`` (not a subclass) and nothing changes."""
        before = self.state.model_copy(deep=True) if self.state is not None else None
        events_before = len(self.events)
        with pytest.raises(DomainError) as info:
            self.decide(command)
        assert type(info.value) is error, (
            f"{type(command).__name__} refused with {type(info.value).__name__} "
            f"({info.value.message}), expected {error.__name__}"
        )
        assert self.state == before, "a refused step changed the journey"
        assert len(self.events) == events_before
        return info.value

    # -- whole stretches of §2 --

    def register(self, district: str | None = DISTRICT_NAME, group: str = "food") -> JourneyDriver:
        self.run(register(district=district, group=group))
        return self

    def to_dossier_submitted(self, district: str | None = DISTRICT_NAME) -> JourneyDriver:
        """Register, then idea accepted, plan submitted and approved, dossier submitted."""
        self.register(district=district)
        self.run_all(intake_to_dossier())
        return self

    def to_awaiting_round(
        self, accepted_on: date | None = None, report: str | None = "sha256:commune-report"
    ) -> JourneyDriver:
        self.to_dossier_submitted()
        self.run(self.accept(accepted_on, report))
        return self

    def accept(
        self, accepted_on: date | None = None, report: str | None = "sha256:commune-report"
    ) -> AcceptDossier:
        """The commune's acceptance, with what the rulebook the dossier will pin requires of it."""
        return accept(accepted_on, report, review=bool(self.rulebook().acceptance_requires))

    def evaluate(
        self,
        totals: list[str],
        roster: CouncilRoster | None = None,
        round_id: str = "R-1",
        failed: list[str] | None = None,
    ) -> list[JourneyEvent]:
        """Enrol in the journey's own council of its level, score ``totals``, finalize."""
        level = self.journey.level
        assert level is not None
        roster = roster or council_for(level)
        self.run(enrol(roster, round_id, officer_of(level)))
        self.run_all(self.advise_before_council())
        self.run_all(score_all(roster, totals, maxima_of(self.rulebook()), self.sheet()))
        return self.run(finalize(roster, failed))

    def advise_before_council(self) -> list[RecordAdvisoryStep]:
        """The advisory steps the rulebook puts before this journey's council (``advice_before_council``)."""
        return advice_before_council(self.journey, self.rulebook())

    def recognize(self, decision_date: date | None = None, number: str = "QĐ-1") -> list[JourneyEvent]:
        pending = self.journey.pending_recognition
        assert pending is not None, f"nothing awaits recognition in {self.journey.status}"
        return self.run(recognize(pending.level, decision_date or self.today, number))

    def certify(self, totals: list[str], number: str = "QĐ-1") -> JourneyDriver:
        """From AWAITING_ROUND at the province: evaluate ``totals`` and recognize today."""
        self.evaluate(totals)
        self.recognize(number=number)
        return self


def certified(totals: list[str] | None = None, now: datetime = NOW) -> JourneyDriver:
    """A qd148-1489-2025 journey certified by Thanh Hóa on ``now``'s date (4★ by default)."""
    driver = JourneyDriver(now).to_awaiting_round()
    return driver.certify(totals or ["80"] * 8)


def journey_in(status: Status) -> JourneyDriver:
    """A qd148-1489-2025 journey of Thanh Hóa brought to ``status`` by the shortest ordinary path."""
    driver = JourneyDriver()
    if status in (Status.IDEA_REGISTERED, Status.IDEA_RETURNED, Status.WITHDRAWN):
        driver.register()
        if status == Status.IDEA_RETURNED:
            driver.run(return_idea())
        if status == Status.WITHDRAWN:
            driver.run(withdraw())
        return driver
    if status in (Status.PLAN_PENDING, Status.PLAN_SUBMITTED, Status.IN_DEVELOPMENT):
        driver.register()
        steps = {Status.PLAN_PENDING: 1, Status.PLAN_SUBMITTED: 2, Status.IN_DEVELOPMENT: 3}[status]
        driver.run_all(intake_to_dossier()[:steps])
        return driver
    if status in (Status.DOSSIER_SUBMITTED, Status.DOSSIER_RETURNED):
        driver.to_dossier_submitted()
        if status == Status.DOSSIER_RETURNED:
            driver.run(return_dossier())
        return driver
    if status in (Status.AWAITING_ROUND, Status.IN_EVALUATION):
        driver.to_awaiting_round()
        if status == Status.IN_EVALUATION:
            driver.run(enrol(province_council()))
        return driver
    if status == Status.AWAITING_APPROVAL:
        # Only qd26-2026 has it (a potential 5★ awaiting the chairman's approval): a June 2026 journey.
        driver = JourneyDriver(vn(date(2026, 6, 1))).to_awaiting_round()
        driver.evaluate(["92"] * 8)
        return driver
    if status in (Status.AWAITING_RECOGNITION, Status.NOT_RANKED):
        driver.to_awaiting_round().evaluate(["80" if status == Status.AWAITING_RECOGNITION else "40"] * 6)
        return driver
    driver = certified()
    if status == Status.EXPIRED:
        certificate = driver.journey.certificate
        assert certificate is not None
        driver.at(end_of_day(certificate.valid_until)).run(expire_certificate())
    elif status == Status.REVOKED:
        driver.run(revoke())
    return driver
