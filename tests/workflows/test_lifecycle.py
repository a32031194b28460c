"""The journey state machine of ocop.md §2–§4, driven through ``decide`` then ``evolve``.

Every refused step is checked with ``JourneyDriver.expect_refused``: the exact error type, and a
journey left exactly as it was. Dates: ``NOW`` is Monday 2 March 2026, 10:00 in Vietnam.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest

from schemas.commands import (
    AcceptDossier,
    AcceptIdea,
    AmendScorecard,
    Command,
    EnrolInRound,
    FinalizeResult,
    Recognize,
    RegisterIdea,
    SubmitScorecard,
)
from schemas.errors import (
    AlreadyScored,
    ConflictOfInterest,
    DispersionTooWide,
    DomainError,
    InvalidCommand,
    NoScorecard,
    NotAllowed,
    NotAVotingMember,
    NotCertified,
    NotDue,
    QuorumNotMet,
    ScoreOutOfRange,
    SecretaryCannotScore,
    WrongLevel,
    WrongState,
)
from schemas.events import (
    CentralResultBelowThreshold,
    CertificateExpired,
    CertificateSuperseded,
    CouncilFinalized,
    Deadline,
    DeadlineMissed,
    DossierAccepted,
    ExpiryNoticeSent,
    Outcome,
    Recognized,
    Revoked,
    ScorecardAmended,
    UpgradeApplied,
    Variant,
    Withdrawn,
)
from schemas.journey import OPEN, TERMINAL, Status
from schemas.log import Actor
from schemas.rulebook import Level
from schemas.rulebooks import get_rulebook
from tests.factories import (
    AUTHORITY,
    CENTRAL_OFFICER,
    COMMUNE_OFFICER,
    DISTRICT_NAME,
    DISTRICT_OFFICER,
    HAC_THANH,
    HOAN_KIEM,
    NOW,
    OTHER_DISTRICT,
    OTHER_PRODUCER,
    OTHER_PROVINCE,
    PRODUCER,
    PROVINCIAL_OFFICER,
    SYSTEM_ACTOR,
    JourneyDriver,
    accept,
    amend,
    apply_re_evaluation,
    apply_upgrade,
    approve_plan,
    central_council,
    certified,
    council,
    district_council,
    enrol,
    expire_certificate,
    finalize,
    flag_missed,
    journey_in,
    lapse_dossier,
    last_instant,
    member,
    parts,
    province_council,
    recognize,
    register,
    resubmit_dossier,
    resubmit_idea,
    return_dossier,
    return_idea,
    return_plan,
    revoke,
    score_all,
    scorecard,
    send_expiry_notice,
    submit_dossier,
    submit_plan,
    vn,
    withdraw,
)
from workflows.calendar import end_of_day
from workflows.lifecycle import route

PROVINCE_ID = "HD-TH-2025"


def chair_of_province() -> Actor:
    return member(PROVINCE_ID, 1)


# -- registration and places ----------------------------------------------------------------------


def test_register_starts_the_journey_under_the_rulebook_in_force() -> None:
    driver = JourneyDriver().register()
    state = driver.journey
    assert state.status == Status.IDEA_REGISTERED
    assert state.rulebook == "qd148-1489-2025"
    assert (state.producer_id, state.province_code, state.commune_code) == ("producer-1", 38, HAC_THANH)
    assert state.version == 1


def test_a_journey_is_registered_once() -> None:
    driver = JourneyDriver().register()
    driver.expect_refused(register(), WrongState)


def test_nothing_happens_to_an_unregistered_journey() -> None:
    JourneyDriver().expect_refused(AcceptIdea(actor=COMMUNE_OFFICER), WrongState)


def _registration(**changes: object) -> RegisterIdea:
    return register().model_copy(update=changes)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"province_code": 99}, InvalidCommand),  # no such province in 2025
        ({"commune_code": 999999}, InvalidCommand),  # no such commune
        ({"commune_code": HOAN_KIEM}, InvalidCommand),  # Hoàn Kiếm is in Hà Nội, not Thanh Hóa
        ({"province_code": OTHER_PROVINCE}, InvalidCommand),  # Hạc Thành is not in Hà Nội
        ({"product_group": "cars"}, InvalidCommand),  # not a product group
        ({"product_group": "textiles"}, InvalidCommand),  # a qd1048 group, not one of qd148's six
        ({"producer_id": OTHER_PRODUCER.id}, NotAllowed),  # registering for someone else
        ({"actor": COMMUNE_OFFICER, "producer_id": COMMUNE_OFFICER.id}, NotAllowed),
    ],
)
def test_registration_is_refused_for_bad_places_groups_and_producers(
    changes: dict[str, object], error: type[DomainError]
) -> None:
    driver = JourneyDriver()
    driver.expect_refused(_registration(**changes), error)
    assert driver.state is None


def test_a_commune_of_another_province_registers_with_its_own_province() -> None:
    driver = JourneyDriver()
    driver.run(_registration(province_code=OTHER_PROVINCE, commune_code=HOAN_KIEM))
    assert (driver.journey.province_code, driver.journey.commune_code) == (OTHER_PROVINCE, HOAN_KIEM)


# -- idea and business plan -------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [PRODUCER, DISTRICT_OFFICER, PROVINCIAL_OFFICER, AUTHORITY])
def test_only_the_commune_intake_officer_accepts_an_idea_under_qd148_1489(actor: Actor) -> None:
    driver = JourneyDriver().register()
    driver.expect_refused(AcceptIdea(actor=actor), NotAllowed)
    driver.run(AcceptIdea(actor=COMMUNE_OFFICER))
    assert driver.journey.status == Status.PLAN_PENDING


def test_under_qd1048_the_intake_officer_is_the_districts() -> None:
    driver = JourneyDriver(now=vn(date(2020, 5, 4))).register()
    assert driver.journey.rulebook == "qd1048-2019"
    driver.expect_refused(AcceptIdea(actor=COMMUNE_OFFICER), NotAllowed)
    driver.run(AcceptIdea(actor=DISTRICT_OFFICER))
    assert driver.journey.status == Status.PLAN_PENDING


def test_an_idea_is_returned_with_a_reason_and_resubmitted_by_its_producer() -> None:
    driver = JourneyDriver().register()
    driver.expect_refused(return_idea().model_copy(update={"actor": PRODUCER}), NotAllowed)
    driver.run(return_idea())
    assert driver.status() == Status.IDEA_RETURNED
    driver.expect_refused(AcceptIdea(actor=COMMUNE_OFFICER), WrongState)
    driver.expect_refused(resubmit_idea(OTHER_PRODUCER), NotAllowed)
    driver.run(resubmit_idea())
    assert driver.status() == Status.IDEA_REGISTERED
    driver.expect_refused(resubmit_idea(), WrongState)
    driver.run(AcceptIdea(actor=COMMUNE_OFFICER))
    assert driver.status() == Status.PLAN_PENDING


def test_the_plan_is_submitted_by_the_producer_and_approved_by_the_intake_officer() -> None:
    driver = JourneyDriver().register()
    driver.expect_refused(submit_plan(), WrongState)  # the idea is not accepted yet
    driver.run(AcceptIdea(actor=COMMUNE_OFFICER))
    driver.expect_refused(submit_plan(OTHER_PRODUCER), NotAllowed)
    driver.expect_refused(submit_plan(COMMUNE_OFFICER), NotAllowed)
    driver.run(submit_plan())
    assert driver.status() == Status.PLAN_SUBMITTED
    assert driver.journey.documents == ["sha256:plan"]
    driver.expect_refused(submit_dossier(), WrongState)
    driver.expect_refused(approve_plan(PRODUCER), NotAllowed)
    driver.run(approve_plan())
    assert driver.status() == Status.IN_DEVELOPMENT


def test_a_returned_plan_goes_back_to_pending_and_can_be_submitted_again() -> None:
    driver = JourneyDriver().register()
    driver.run_all([AcceptIdea(actor=COMMUNE_OFFICER), submit_plan()])
    driver.expect_refused(return_plan().model_copy(update={"actor": DISTRICT_OFFICER}), NotAllowed)
    driver.run(return_plan())
    assert driver.status() == Status.PLAN_PENDING
    driver.expect_refused(approve_plan(), WrongState)
    driver.run(submit_plan())
    assert driver.status() == Status.PLAN_SUBMITTED


# -- dossier --------------------------------------------------------------------------------------


def test_the_dossier_is_submitted_returned_resubmitted_and_accepted() -> None:
    driver = JourneyDriver().register()
    driver.run_all([AcceptIdea(actor=COMMUNE_OFFICER), submit_plan(), approve_plan()])
    driver.expect_refused(submit_dossier(OTHER_PRODUCER), NotAllowed)
    driver.run(submit_dossier())
    assert driver.status() == Status.DOSSIER_SUBMITTED
    assert driver.journey.variant == Variant.NEW
    driver.expect_refused(return_dossier().model_copy(update={"actor": PRODUCER}), NotAllowed)
    driver.run(return_dossier(("phiếu kiểm nghiệm", "nhãn sản phẩm")))
    assert driver.status() == Status.DOSSIER_RETURNED
    assert driver.journey.missing_items == ["phiếu kiểm nghiệm", "nhãn sản phẩm"]
    driver.expect_refused(accept(), WrongState)
    driver.expect_refused(resubmit_dossier(OTHER_PRODUCER), NotAllowed)
    driver.run(resubmit_dossier())
    assert driver.status() == Status.DOSSIER_SUBMITTED
    assert driver.journey.missing_items == []
    driver.run(driver.accept())
    assert driver.status() == Status.AWAITING_ROUND
    assert driver.journey.level == Level.PROVINCE


def test_under_qd148_1489_the_dossier_needs_the_commune_report() -> None:
    driver = JourneyDriver().to_dossier_submitted()
    driver.expect_refused(accept(report=None), InvalidCommand)
    events = driver.run(driver.accept())
    assert events == [
        DossierAccepted(
            rulebook="qd148-1489-2025",
            accepted_on=date(2026, 3, 2),
            level=Level.PROVINCE,
            commune_report="sha256:commune-report",
        )
    ]
    assert driver.journey.rulebook == "qd148-1489-2025"


def test_only_the_intake_officer_accepts_a_dossier() -> None:
    driver = JourneyDriver().to_dossier_submitted()
    for actor in (PRODUCER, DISTRICT_OFFICER, PROVINCIAL_OFFICER):
        driver.expect_refused(accept().model_copy(update={"actor": actor}), NotAllowed)


def test_a_dossier_accepted_on_a_2024_date_pins_qd148_2023_and_goes_to_the_district() -> None:
    driver = JourneyDriver().to_dossier_submitted()
    driver.run(accept(date(2024, 5, 15), report=None))  # qd148-2023 asks no commune report
    state = driver.journey
    assert (state.status, state.rulebook, state.level) == (
        Status.AWAITING_ROUND,
        "qd148-2023",
        Level.DISTRICT,
    )
    assert driver.rulebook().id == "qd148-2023"  # every later step applies the pinned rulebook


def test_a_dossier_accepted_on_a_2020_date_pins_qd1048() -> None:
    driver = JourneyDriver().to_dossier_submitted()
    # The intake rules before acceptance are today's (qd148-1489: the commune), although qd1048's
    # intake was the district's: the step is taken now, the paper decision is dated 2020.
    driver.expect_refused(
        AcceptDossier(actor=DISTRICT_OFFICER, accepted_on=date(2020, 5, 15)),
        NotAllowed,
    )
    driver.run(accept(date(2020, 5, 15), report=None))
    state = driver.journey
    assert (state.rulebook, state.level) == ("qd1048-2019", Level.DISTRICT)


@pytest.mark.parametrize(
    ("accepted_on", "rulebook_id", "level", "needs_report"),
    [
        (date(2023, 2, 23), "qd1048-2019", Level.DISTRICT, False),
        (date(2023, 2, 24), "qd148-2023", Level.DISTRICT, False),
        (date(2025, 7, 5), "qd148-2023", Level.DISTRICT, False),
        (date(2025, 7, 6), "qd148-1489-2025", Level.PROVINCE, True),
    ],
)
def test_acceptance_pins_the_rulebook_in_force_on_its_date(
    accepted_on: date, rulebook_id: str, level: Level, needs_report: bool
) -> None:
    driver = JourneyDriver().to_dossier_submitted()
    if needs_report:
        driver.expect_refused(accept(accepted_on, report=None), InvalidCommand)
        driver.run(accept(accepted_on))
    else:
        driver.run(accept(accepted_on, report=None))
    assert (driver.journey.rulebook, driver.journey.level) == (rulebook_id, level)


@pytest.mark.parametrize("accepted_on", [date(2026, 3, 3), date(2019, 8, 20)])
def test_acceptance_in_the_future_or_before_any_rulebook_is_refused(accepted_on: date) -> None:
    driver = JourneyDriver().to_dossier_submitted()
    driver.expect_refused(accept(accepted_on), InvalidCommand)


# -- enrolment ------------------------------------------------------------------------------------


def test_the_provincial_standing_agency_enrols_in_a_round_of_its_council() -> None:
    driver = journey_in(Status.AWAITING_ROUND)
    roster = province_council()
    driver.run(enrol(roster, "Đợt 1/2026"))
    state = driver.journey
    assert state.status == Status.IN_EVALUATION
    assert state.evaluation is not None
    assert (state.evaluation.round_id, state.evaluation.level, state.evaluation.council) == (
        "Đợt 1/2026",
        Level.PROVINCE,
        roster,
    )
    driver.expect_refused(enrol(roster, "Đợt 2/2026"), WrongState)


def test_enrolment_at_another_level_is_refused() -> None:
    driver = journey_in(Status.AWAITING_ROUND)
    driver.expect_refused(enrol(district_council(), officer=DISTRICT_OFFICER), WrongLevel)
    driver.expect_refused(enrol(central_council(), officer=CENTRAL_OFFICER), WrongLevel)
    # The command's level and its council's level must both be the journey's.
    mixed = EnrolInRound(
        actor=PROVINCIAL_OFFICER, round_id="R-1", level=Level.PROVINCE, council=central_council()
    )
    driver.expect_refused(mixed, WrongLevel)


def test_a_council_of_another_province_cannot_enrol_the_product() -> None:
    driver = journey_in(Status.AWAITING_ROUND)
    hanoi = council("HD-HN-2025", Level.PROVINCE, str(OTHER_PROVINCE))
    driver.expect_refused(enrol(hanoi), NotAllowed)


@pytest.mark.parametrize("officer", [COMMUNE_OFFICER, DISTRICT_OFFICER, CENTRAL_OFFICER, PRODUCER, AUTHORITY])
def test_only_the_standing_agency_of_the_level_enrols(officer: Actor) -> None:
    driver = journey_in(Status.AWAITING_ROUND)
    driver.expect_refused(enrol(province_council(), officer=officer), NotAllowed)


def test_a_district_journey_is_enrolled_by_its_own_district_only() -> None:
    driver = JourneyDriver().to_awaiting_round(date(2024, 5, 15), report=None)
    driver.expect_refused(enrol(district_council(OTHER_DISTRICT), officer=DISTRICT_OFFICER), NotAllowed)
    driver.expect_refused(enrol(district_council(), officer=PROVINCIAL_OFFICER), NotAllowed)
    driver.run(enrol(district_council(), officer=DISTRICT_OFFICER))
    assert driver.journey.status == Status.IN_EVALUATION


def test_a_journey_without_a_district_cannot_be_enrolled_by_any_district_council() -> None:
    driver = JourneyDriver().to_dossier_submitted(district=None)
    driver.run(accept(date(2024, 5, 15), report=None))
    assert driver.journey.level == Level.DISTRICT
    driver.expect_refused(enrol(district_council(DISTRICT_NAME), officer=DISTRICT_OFFICER), NotAllowed)
    driver.expect_refused(enrol(district_council(OTHER_DISTRICT), officer=DISTRICT_OFFICER), NotAllowed)


# -- scorecards -----------------------------------------------------------------------------------


def test_a_voting_member_submits_one_scorecard() -> None:
    driver = journey_in(Status.IN_EVALUATION)
    m3 = member(PROVINCE_ID, 3)
    driver.run(scorecard(m3, "38", "20", "30"))
    state = driver.journey
    assert state.status == Status.IN_EVALUATION
    assert state.evaluation is not None
    assert state.evaluation.scorecards[m3.id].total == Decimal(88)
    driver.expect_refused(scorecard(m3, "30", "20", "30"), AlreadyScored)


def test_someone_off_the_council_cannot_score() -> None:
    driver = journey_in(Status.IN_EVALUATION)
    driver.expect_refused(
        scorecard(Actor(id="HD-HN-m3", role="council_member"), "30", "20", "30"), NotAVotingMember
    )


def test_the_secretary_never_scores() -> None:
    driver = journey_in(Status.IN_EVALUATION)
    driver.expect_refused(scorecard(member(PROVINCE_ID, 9), "30", "20", "30"), SecretaryCannotScore)


def test_a_member_with_a_declared_conflict_cannot_score() -> None:
    driver = journey_in(Status.AWAITING_ROUND)
    driver.run(enrol(province_council(conflicts=(4,))))
    driver.expect_refused(scorecard(member(PROVINCE_ID, 4), "30", "20", "30"), ConflictOfInterest)
    driver.run(scorecard(member(PROVINCE_ID, 5), "30", "20", "30"))


def test_a_member_acting_in_another_role_cannot_score() -> None:
    driver = journey_in(Status.IN_EVALUATION)
    as_officer = Actor(id=member(PROVINCE_ID, 3).id, role="provincial_officer")
    driver.expect_refused(scorecard(as_officer, "30", "20", "30"), NotAllowed)


def test_no_scoring_outside_an_evaluation() -> None:
    driver = journey_in(Status.AWAITING_ROUND)
    driver.expect_refused(scorecard(member(PROVINCE_ID, 3), "30", "20", "30"), WrongState)


@pytest.mark.parametrize(
    "scores",
    [
        ("40.01", "20", "30"),  # A above its maximum of 40
        ("30", "25.01", "30"),  # B above 25
        ("30", "20", "35.01"),  # C above 35
        ("-0.01", "20", "30"),  # negative
        ("30.125", "20", "30"),  # three decimals
    ],
)
def test_a_part_out_of_range_is_refused_under_qd148(scores: tuple[str, str, str]) -> None:
    driver = journey_in(Status.IN_EVALUATION)
    driver.expect_refused(scorecard(member(PROVINCE_ID, 3), *scores), ScoreOutOfRange)


def test_a_scorecard_without_part_c_is_refused() -> None:
    driver = journey_in(Status.IN_EVALUATION)
    card = SubmitScorecard(actor=member(PROVINCE_ID, 3), parts={"A": Decimal(30), "B": Decimal(20)})
    driver.expect_refused(card, ScoreOutOfRange)


def _qd1048_district_evaluation() -> JourneyDriver:
    driver = JourneyDriver().to_awaiting_round(date(2020, 5, 15), report=None)
    driver.run(enrol(district_council(), officer=DISTRICT_OFFICER))
    return driver


def test_part_maxima_follow_the_pinned_rulebook() -> None:
    # A = 38 is within qd148's A40, above qd1048's A35; C = 38 is within qd1048's C40, above qd148's C35.
    qd148 = journey_in(Status.IN_EVALUATION)
    qd148.run(scorecard(member(PROVINCE_ID, 3), "38", "20", "30"))
    qd148.expect_refused(scorecard(member(PROVINCE_ID, 4), "30", "20", "38"), ScoreOutOfRange)
    qd1048 = _qd1048_district_evaluation()
    district_member = member(f"HD-{DISTRICT_NAME}", 3)
    qd1048.expect_refused(scorecard(district_member, "38", "20", "30"), ScoreOutOfRange)
    qd1048.run(scorecard(district_member, "30", "20", "38"))


def test_amending_without_a_scorecard_is_refused() -> None:
    driver = journey_in(Status.IN_EVALUATION)
    driver.expect_refused(amend(member(PROVINCE_ID, 3), "80"), NoScorecard)


def test_an_amendment_replaces_the_total() -> None:
    driver = journey_in(Status.IN_EVALUATION)
    m3 = member(PROVINCE_ID, 3)
    driver.run(scorecard(m3, "38", "20", "30"))
    events = driver.run(AmendScorecard(actor=m3, parts=parts("36", "20", "29.5")))
    assert isinstance(events[0], ScorecardAmended)
    assert (events[0].previous_total, events[0].total) == (Decimal(88), Decimal("85.5"))
    assert driver.journey.evaluation is not None
    card = driver.journey.evaluation.scorecards[m3.id]
    assert (card.total, card.amendments) == (Decimal("85.5"), 1)
    assert len(driver.journey.evaluation.scorecards) == 1
    driver.expect_refused(AmendScorecard(actor=m3, parts=parts("41", "20", "29.5")), ScoreOutOfRange)


# -- finalization: who, quorum, dispersion ------------------------------------------------------------


def _scored(totals: list[str], roster_conflicts: tuple[int, ...] = ()) -> JourneyDriver:
    driver = journey_in(Status.AWAITING_ROUND)
    roster = province_council(conflicts=roster_conflicts)
    driver.run(enrol(roster))
    driver.run_all(score_all(roster, totals))
    return driver


@pytest.mark.parametrize(
    "actor",
    [
        member(PROVINCE_ID, 2),  # vice-chair
        member(PROVINCE_ID, 5),
        member(PROVINCE_ID, 9),  # secretary
        Actor(id=member(PROVINCE_ID, 1).id, role="provincial_officer"),  # the chair's id, another role
        PROVINCIAL_OFFICER,
    ],
)
def test_only_the_chair_finalizes(actor: Actor) -> None:
    driver = _scored(["80"] * 6)
    driver.expect_refused(FinalizeResult(actor=actor), NotAllowed)
    driver.run(finalize(province_council()))
    assert driver.journey.status == Status.AWAITING_RECOGNITION


def test_quorum_is_two_thirds_of_the_voting_members_rounded_up() -> None:
    # 9 seats with a secretary → 8 voting members → ⌈16/3⌉ = 6 scorecards needed.
    driver = _scored(["80"] * 5)
    driver.expect_refused(finalize(province_council()), QuorumNotMet)
    driver.run(score_all(province_council(), ["80"] * 6)[5])
    driver.run(finalize(province_council()))
    assert driver.journey.status == Status.AWAITING_RECOGNITION


def test_members_with_a_conflict_are_left_out_of_the_quorum_base() -> None:
    # 8 voting − 2 conflicted (m3, m4) = 6 eligible → ⌈12/3⌉ = 4 needed (6 without the exclusion).
    roster = province_council(conflicts=(3, 4))
    driver = journey_in(Status.AWAITING_ROUND)
    driver.run(enrol(roster))
    scorers = [member(PROVINCE_ID, index) for index in (1, 2, 5, 6)]
    driver.run_all([scorecard(actor, "32", "20", "28") for actor in scorers[:3]])
    driver.expect_refused(finalize(roster), QuorumNotMet)
    driver.run(scorecard(scorers[3], "32", "20", "28"))
    events = driver.run(finalize(roster))
    assert isinstance(events[0], CouncilFinalized)
    assert (events[0].scorecards, events[0].mean, events[0].stars) == (4, Decimal(80), 4)


def test_the_chair_must_have_scored() -> None:
    roster = province_council()
    driver = journey_in(Status.AWAITING_ROUND)
    driver.run(enrol(roster))
    cards = score_all(roster, ["80"] * 8)
    driver.run_all(cards[1:8])  # seven members, not the chair: more than the quorum of six
    driver.expect_refused(finalize(roster), QuorumNotMet)
    driver.run(cards[0])
    driver.run(finalize(roster))
    assert driver.journey.status == Status.AWAITING_RECOGNITION


def test_the_central_council_needs_five_of_seven() -> None:
    driver = certified(["92"] * 8)  # provincial 4★, forwarded to the centre
    assert (driver.journey.status, driver.journey.level) == (Status.AWAITING_ROUND, Level.CENTRAL)
    roster = central_council()
    driver.run(enrol(roster, "R-TW", CENTRAL_OFFICER))
    cards = score_all(roster, ["93"] * 5)
    driver.run_all(cards[:4])
    driver.expect_refused(finalize(roster), QuorumNotMet)
    driver.run(cards[4])
    driver.run(finalize(roster))
    assert driver.journey.status == Status.AWAITING_RECOGNITION


def test_dispersion_above_ten_is_refused_until_a_member_amends() -> None:
    # 90.01 − 80 = 10.01 > 10.
    driver = _scored(["80", "90.01", "85", "85", "85", "85"])
    driver.expect_refused(finalize(province_council()), DispersionTooWide)
    driver.run(amend(member(PROVINCE_ID, 2), "90"))  # now 90 − 80 = 10, allowed
    events = driver.run(finalize(province_council()))
    assert isinstance(events[0], CouncilFinalized)
    # (80 + 90 + 4 × 85) / 6 = 510 / 6 = 85.00
    assert events[0].mean == Decimal("85.00")


def test_a_dispersion_of_exactly_ten_is_allowed() -> None:
    driver = _scored(["80", "90", "85", "85", "85", "85"])
    driver.run(finalize(province_council()))
    assert driver.journey.status == Status.AWAITING_RECOGNITION


# -- the mean and its band ------------------------------------------------------------------------


def _finalized(totals: list[str], failed: list[str] | None = None) -> tuple[JourneyDriver, CouncilFinalized]:
    driver = _scored(totals)
    events = driver.run(finalize(province_council(), failed))
    assert isinstance(events[0], CouncilFinalized)
    return driver, events[0]


def test_the_mean_is_rounded_half_up_before_banding() -> None:
    # (3 × 49.99 + 3 × 50.00) / 6 = 299.97 / 6 = 49.995 → 50.00 → 3★.
    # Truncating would give 49.99 → 2★ and NOT_RANKED.
    driver, event = _finalized(["49.99"] * 3 + ["50.00"] * 3)
    assert (event.mean, event.stars) == (Decimal("50.00"), 3)
    assert driver.journey.status == Status.AWAITING_RECOGNITION
    assert driver.journey.pending_recognition is not None
    assert driver.journey.pending_recognition.stars == 3


def test_a_half_hundredth_rounds_up_not_to_even() -> None:
    # (3 × 70.00 + 3 × 70.01) / 6 = 420.03 / 6 = 70.005 → 70.01 (half-even would give 70.00).
    driver, event = _finalized(["70.00"] * 3 + ["70.01"] * 3)
    assert event.mean == Decimal("70.01")
    assert driver.journey.results[-1].mean == Decimal("70.01")


@pytest.mark.parametrize(
    ("total", "status", "stars"),
    [
        ("49.99", Status.NOT_RANKED, None),
        ("50", Status.AWAITING_RECOGNITION, 3),
        ("69.99", Status.AWAITING_RECOGNITION, 3),
        ("70", Status.AWAITING_RECOGNITION, 4),
        ("89.99", Status.AWAITING_RECOGNITION, 4),
        ("90", Status.AWAITING_RECOGNITION, 4),  # 5★ band: the province recognizes 4★ and forwards
    ],
)
def test_band_boundaries_at_the_province(total: str, status: Status, stars: int | None) -> None:
    driver, _ = _finalized([total] * 6)
    assert driver.journey.status == status
    pending = driver.journey.pending_recognition
    assert (pending.stars if pending else None) == stars


def test_a_failed_mandatory_criterion_is_not_ranked_whatever_the_mean() -> None:
    driver, event = _finalized(["95"] * 6, failed=["an toàn thực phẩm"])
    assert (event.mean, event.stars, event.outcome) == (Decimal(95), 5, Outcome.NOT_RANKED)
    state = driver.journey
    assert state.status == Status.NOT_RANKED
    assert (state.pending_recognition, state.certificate, state.deadlines) == (None, None, {})


def test_not_ranked_is_terminal() -> None:
    driver = journey_in(Status.NOT_RANKED)
    driver.expect_refused(enrol(province_council(), "R-2"), WrongState)
    driver.expect_refused(submit_dossier(), WrongState)
    driver.expect_refused(withdraw(), WrongState)


# -- routing: route() for the three rulebooks ---------------------------------------------------------


@pytest.mark.parametrize(
    ("rulebook_id", "level", "mean", "expected"),
    [
        # qd1048-2019: the district certifies nothing and forwards from 50.
        ("qd1048-2019", Level.DISTRICT, "49.99", (Outcome.NOT_RANKED, None, None)),
        ("qd1048-2019", Level.DISTRICT, "50", (Outcome.FORWARD, None, Level.PROVINCE)),
        ("qd1048-2019", Level.DISTRICT, "75", (Outcome.FORWARD, None, Level.PROVINCE)),
        ("qd1048-2019", Level.DISTRICT, "95", (Outcome.FORWARD, None, Level.PROVINCE)),
        ("qd1048-2019", Level.PROVINCE, "50", (Outcome.RECOGNIZE, 3, None)),
        ("qd1048-2019", Level.PROVINCE, "70", (Outcome.RECOGNIZE, 4, None)),
        ("qd1048-2019", Level.PROVINCE, "89.99", (Outcome.RECOGNIZE, 4, None)),
        ("qd1048-2019", Level.PROVINCE, "90", (Outcome.RECOGNIZE_THEN_FORWARD, 4, Level.CENTRAL)),
        ("qd1048-2019", Level.CENTRAL, "90", (Outcome.RECOGNIZE, 5, None)),
        ("qd1048-2019", Level.CENTRAL, "89.99", (Outcome.NOT_RANKED, None, None)),
        # qd148-2023: the district certifies 3★ and forwards from 70.
        ("qd148-2023", Level.DISTRICT, "49.99", (Outcome.NOT_RANKED, None, None)),
        ("qd148-2023", Level.DISTRICT, "50", (Outcome.RECOGNIZE, 3, None)),
        ("qd148-2023", Level.DISTRICT, "69.99", (Outcome.RECOGNIZE, 3, None)),
        ("qd148-2023", Level.DISTRICT, "70", (Outcome.FORWARD, None, Level.PROVINCE)),
        ("qd148-2023", Level.DISTRICT, "92", (Outcome.FORWARD, None, Level.PROVINCE)),
        ("qd148-2023", Level.PROVINCE, "55", (Outcome.RECOGNIZE, 3, None)),
        ("qd148-2023", Level.PROVINCE, "80", (Outcome.RECOGNIZE, 4, None)),
        ("qd148-2023", Level.PROVINCE, "90", (Outcome.RECOGNIZE_THEN_FORWARD, 4, Level.CENTRAL)),
        ("qd148-2023", Level.CENTRAL, "95", (Outcome.RECOGNIZE, 5, None)),
        ("qd148-2023", Level.CENTRAL, "85", (Outcome.NOT_RANKED, None, None)),
        # qd148-1489-2025: no district; the province certifies 3★ 4★, ≥90 recognizes 4★ and forwards.
        ("qd148-1489-2025", Level.PROVINCE, "49.99", (Outcome.NOT_RANKED, None, None)),
        ("qd148-1489-2025", Level.PROVINCE, "50", (Outcome.RECOGNIZE, 3, None)),
        ("qd148-1489-2025", Level.PROVINCE, "70", (Outcome.RECOGNIZE, 4, None)),
        ("qd148-1489-2025", Level.PROVINCE, "89.99", (Outcome.RECOGNIZE, 4, None)),
        ("qd148-1489-2025", Level.PROVINCE, "90", (Outcome.RECOGNIZE_THEN_FORWARD, 4, Level.CENTRAL)),
        ("qd148-1489-2025", Level.PROVINCE, "100", (Outcome.RECOGNIZE_THEN_FORWARD, 4, Level.CENTRAL)),
        ("qd148-1489-2025", Level.CENTRAL, "90", (Outcome.RECOGNIZE, 5, None)),
        ("qd148-1489-2025", Level.CENTRAL, "89.99", (Outcome.NOT_RANKED, None, None)),
    ],
)
def test_route_follows_the_table_of_section_2(
    rulebook_id: str, level: Level, mean: str, expected: tuple[Outcome, int | None, Level | None]
) -> None:
    book = get_rulebook(rulebook_id)
    value = Decimal(mean)
    assert route(book, level, value, book.stars_for(value), False) == expected


@pytest.mark.parametrize("rulebook_id", ["qd1048-2019", "qd148-2023", "qd148-1489-2025"])
def test_route_a_failed_mandatory_criterion_at_every_level(rulebook_id: str) -> None:
    book = get_rulebook(rulebook_id)
    for rules in book.levels:
        assert route(book, rules.level, Decimal(95), 5, True) == (Outcome.NOT_RANKED, None, None)


# -- routing: full journeys ---------------------------------------------------------------------------


def test_qd148_1489_province_then_central_five_stars() -> None:
    driver = JourneyDriver().to_awaiting_round()
    events = driver.evaluate(["92"] * 8)
    assert isinstance(events[0], CouncilFinalized)
    assert (events[0].outcome, events[0].recognize_stars, events[0].next_level) == (
        Outcome.RECOGNIZE_THEN_FORWARD,
        4,
        Level.CENTRAL,
    )
    driver.recognize(number="QĐ-TH")
    state = driver.journey
    # A potential 5★ product holds a provincial 4★ certificate while the central council decides.
    assert (state.status, state.level, state.stars) == (Status.AWAITING_ROUND, Level.CENTRAL, 4)
    assert state.certificate is not None
    assert state.certificate.level == Level.PROVINCE
    driver.expect_refused(enrol(province_council(), "R-2"), WrongLevel)
    driver.expect_refused(enrol(central_council(), "R-TW", PROVINCIAL_OFFICER), NotAllowed)
    events = driver.evaluate(["93"] * 5)
    assert isinstance(events[0], CouncilFinalized)
    assert (events[0].outcome, events[0].recognize_stars) == (Outcome.RECOGNIZE, 5)
    assert (driver.journey.status, driver.journey.level) == (Status.AWAITING_RECOGNITION, Level.CENTRAL)
    events = driver.recognize(number="QĐ-TW")
    assert [event.type for event in events] == ["certificate_superseded", "recognized"]
    state = driver.journey
    assert (state.status, state.stars, state.level) == (Status.CERTIFIED, 5, None)
    assert state.certificate is not None
    assert (state.certificate.level, state.certificate.number) == (Level.CENTRAL, "QĐ-TW/J-1")
    assert [certificate.number for certificate in state.past_certificates] == ["QĐ-TH/J-1"]


def test_central_result_below_90_returns_to_certified_with_the_provincial_certificate() -> None:
    driver = certified(["92"] * 8)
    provincial = driver.journey.certificate
    assert provincial is not None
    events = driver.evaluate(["85"] * 5)
    assert isinstance(events[0], CouncilFinalized)
    assert events[0].outcome == Outcome.KEEP_CERTIFICATE
    assert events[1] == CentralResultBelowThreshold(
        mean=Decimal("85.00"), stars=4, certificate_number=provincial.number
    )
    state = driver.journey
    assert (state.status, state.level, state.stars, state.certificate) == (
        Status.CERTIFIED,
        None,
        4,
        provincial,
    )
    assert state.past_certificates == []


def test_qd1048_district_forwards_from_50_and_certifies_nothing() -> None:
    driver = JourneyDriver().to_awaiting_round(date(2020, 5, 15), report=None)
    events = driver.evaluate(["60"] * 4)  # district council: 6 voting members, quorum 4
    assert isinstance(events[0], CouncilFinalized)
    assert (events[0].outcome, events[0].recognize_stars) == (Outcome.FORWARD, None)
    state = driver.journey
    assert (state.status, state.level, state.certificate, state.pending_recognition) == (
        Status.AWAITING_ROUND,
        Level.PROVINCE,
        None,
        None,
    )
    driver.evaluate(["75"] * 6)
    assert driver.journey.status == Status.AWAITING_RECOGNITION
    driver.recognize()
    state = driver.journey
    assert state.certificate is not None
    assert (state.status, state.stars, state.certificate.rulebook) == (Status.CERTIFIED, 4, "qd1048-2019")


def test_qd1048_district_does_not_certify_even_a_high_score() -> None:
    driver = JourneyDriver().to_awaiting_round(date(2020, 5, 15), report=None)
    driver.evaluate(["95"] * 4)
    assert (driver.journey.status, driver.journey.level) == (Status.AWAITING_ROUND, Level.PROVINCE)
    driver2 = JourneyDriver().to_awaiting_round(date(2020, 5, 15), report=None)
    driver2.evaluate(["45"] * 4)
    assert driver2.journey.status == Status.NOT_RANKED


def test_qd148_2023_district_certifies_three_stars() -> None:
    driver = JourneyDriver().to_awaiting_round(date(2024, 5, 15), report=None)
    driver.evaluate(["60"] * 4)
    pending = driver.journey.pending_recognition
    assert pending is not None
    assert (pending.level, pending.stars, pending.forward_to) == (Level.DISTRICT, 3, None)
    driver.expect_refused(recognize(Level.PROVINCE, driver.today), WrongLevel)
    driver.run(recognize(Level.DISTRICT, driver.today))
    state = driver.journey
    assert state.certificate is not None
    assert (state.status, state.stars, state.certificate.level) == (Status.CERTIFIED, 3, Level.DISTRICT)


@pytest.mark.parametrize(("province_total", "stars"), [("60", 3), ("80", 4)])
def test_qd148_2023_district_forwards_from_70_and_the_province_certifies(
    province_total: str, stars: int
) -> None:
    driver = JourneyDriver().to_awaiting_round(date(2024, 5, 15), report=None)
    driver.evaluate(["75"] * 4)
    state = driver.journey
    assert (state.status, state.level, state.certificate) == (Status.AWAITING_ROUND, Level.PROVINCE, None)
    driver.evaluate([province_total] * 6)
    pending = driver.journey.pending_recognition
    assert pending is not None
    assert (pending.level, pending.stars, pending.forward_to) == (Level.PROVINCE, stars, None)
    driver.recognize()
    assert (driver.journey.status, driver.journey.stars) == (Status.CERTIFIED, stars)


def test_qd148_2023_province_at_90_recognizes_four_stars_and_forwards() -> None:
    driver = JourneyDriver().to_awaiting_round(date(2024, 5, 15), report=None)
    driver.evaluate(["92"] * 4)
    driver.evaluate(["92"] * 6)
    pending = driver.journey.pending_recognition
    assert pending is not None
    assert (pending.stars, pending.forward_to) == (4, Level.CENTRAL)
    driver.recognize()
    assert (driver.journey.status, driver.journey.level, driver.journey.stars) == (
        Status.AWAITING_ROUND,
        Level.CENTRAL,
        4,
    )


# -- recognition ----------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [PRODUCER, PROVINCIAL_OFFICER, COMMUNE_OFFICER, member(PROVINCE_ID, 1)])
def test_only_the_recognition_authority_recognizes(actor: Actor) -> None:
    driver = journey_in(Status.AWAITING_RECOGNITION)
    driver.expect_refused(
        Recognize(actor=actor, level=Level.PROVINCE, decision_number="QĐ-1", decision_date=driver.today),
        NotAllowed,
    )


def test_recognition_at_another_level_is_refused() -> None:
    driver = journey_in(Status.AWAITING_RECOGNITION)
    driver.expect_refused(recognize(Level.CENTRAL, driver.today), WrongLevel)


def test_a_recognition_dated_in_the_future_or_before_the_result_is_refused() -> None:
    driver = journey_in(Status.AWAITING_RECOGNITION)
    driver.expect_refused(recognize(Level.PROVINCE, date(2026, 3, 3)), InvalidCommand)
    driver.expect_refused(recognize(Level.PROVINCE, date(2026, 3, 1)), InvalidCommand)


def test_a_certificate_is_valid_36_months_from_its_decision_date() -> None:
    driver = journey_in(Status.AWAITING_RECOGNITION)
    events = driver.recognize()
    assert isinstance(events[0], Recognized)
    certificate = events[0].certificate
    # 2026-03-02 + 36 months = 2029-03-02, less a day = 2029-03-01.
    assert (certificate.decision_date, certificate.valid_until) == (date(2026, 3, 2), date(2029, 3, 1))
    assert (certificate.number, certificate.stars, certificate.level) == ("QĐ-1/J-1", 4, Level.PROVINCE)
    state = driver.journey
    assert (state.status, state.stars, state.level, state.deadlines) == (Status.CERTIFIED, 4, None, {})
    driver.expect_refused(recognize(Level.PROVINCE, driver.today), WrongState)


def test_a_decision_dated_after_the_result_counts_from_its_own_date() -> None:
    driver = journey_in(Status.AWAITING_RECOGNITION)
    driver.at(vn(date(2026, 3, 9)))
    driver.run(recognize(Level.PROVINCE, date(2026, 3, 5)))
    assert driver.journey.certificate is not None
    assert driver.journey.certificate.valid_until == date(2029, 3, 4)


def test_a_certificate_of_29_february_is_clamped_at_the_month_end() -> None:
    driver = JourneyDriver(now=vn(date(2024, 2, 1))).to_awaiting_round(report=None)
    assert (driver.journey.rulebook, driver.journey.level) == ("qd148-2023", Level.DISTRICT)
    driver.evaluate(["60"] * 4)
    driver.at(vn(date(2024, 2, 29)))
    driver.recognize()
    assert driver.journey.certificate is not None
    # 2024-02-29 + 36 months → 29 Feb 2027 does not exist → 2027-02-28; less a day → 2027-02-27.
    assert driver.journey.certificate.valid_until == date(2027, 2, 27)


def test_the_recognition_deadline_is_escalated_only_after_15_working_days() -> None:
    driver = journey_in(Status.AWAITING_RECOGNITION)  # finalized Monday 2 March 2026
    # 15 working days after 2 March: 3–6 (4), 9–13 (9), 16–20 (14), 23 (15) → 23 March 2026.
    deadline = driver.journey.deadlines[Deadline.RECOGNITION]
    assert (deadline.due, deadline.due_from, deadline.missed) == (
        date(2026, 3, 23),
        "recognition_authority",
        False,
    )
    driver.at(last_instant(date(2026, 3, 23)))
    driver.expect_refused(flag_missed("recognition"), NotDue)
    driver.at(end_of_day(date(2026, 3, 23)))
    events = driver.run(flag_missed("recognition"))
    assert events == [
        DeadlineMissed(deadline=Deadline.RECOGNITION, due=date(2026, 3, 23), due_from="recognition_authority")
    ]
    assert driver.journey.status == Status.AWAITING_RECOGNITION  # an escalation, not an ending
    assert driver.journey.deadlines[Deadline.RECOGNITION].missed
    driver.expect_refused(flag_missed("recognition"), WrongState)
    driver.advance(days=2)
    driver.recognize()
    assert (driver.journey.status, driver.journey.deadlines) == (Status.CERTIFIED, {})


def test_only_the_system_flags_a_missed_deadline_and_only_a_known_one() -> None:
    driver = journey_in(Status.AWAITING_RECOGNITION).at(vn(date(2026, 4, 1)))
    driver.expect_refused(flag_missed("recognition", PRODUCER), NotAllowed)
    driver.expect_refused(flag_missed("coffee_break"), InvalidCommand)
    driver.expect_refused(flag_missed("commune_report"), WrongState)  # none is open


# -- certified life: notice, expiry -----------------------------------------------------------------


def test_the_expiry_notice_is_sent_30_days_before_the_term_ends() -> None:
    driver = certified()  # valid until 2029-03-01; the term is over at 2029-03-02 00:00 Vietnam time
    # 2029-03-02 00:00 − 30 days = 2029-01-31 00:00 (February 2029 has 28 days: 1 + 28 + 1).
    driver.at(last_instant(date(2029, 1, 30)))
    driver.expect_refused(send_expiry_notice(), NotDue)
    driver.at(vn(date(2029, 1, 31), 0))
    events = driver.run(send_expiry_notice())
    assert events == [ExpiryNoticeSent(certificate_number="QĐ-1/J-1", valid_until=date(2029, 3, 1))]
    assert (driver.journey.status, driver.journey.expiry_notice_sent, driver.journey.stars) == (
        Status.CERTIFIED,
        True,
        4,
    )
    driver.expect_refused(send_expiry_notice(), WrongState)  # once


def test_the_certificate_expires_at_the_end_of_its_term_not_before() -> None:
    driver = certified()
    driver.at(last_instant(date(2029, 3, 1)))
    driver.expect_refused(expire_certificate(), NotDue)
    driver.expect_refused(expire_certificate(PRODUCER), NotAllowed)
    driver.at(end_of_day(date(2029, 3, 1)))
    events = driver.run(expire_certificate())
    assert events == [CertificateExpired(certificate_number="QĐ-1/J-1", valid_until=date(2029, 3, 1))]
    state = driver.journey
    assert (state.status, state.stars, state.certificate_in_force) == (Status.EXPIRED, None, None)
    for command in (apply_upgrade(), apply_re_evaluation(), withdraw()):
        driver.expect_refused(command, WrongState)
    driver.expect_refused(revoke(), NotCertified)
    driver.expect_refused(expire_certificate(), NotCertified)


# -- certified life: upgrade, re-evaluation ---------------------------------------------------------


def test_an_upgrade_keeps_the_certificate_meanwhile_then_supersedes_it() -> None:
    driver = certified(["60"] * 6)  # 3★, valid until 2029-03-01
    old = driver.journey.certificate
    assert old is not None
    driver.at(vn(date(2027, 1, 4)))
    driver.expect_refused(apply_upgrade(OTHER_PRODUCER), NotAllowed)
    events = driver.run(apply_upgrade())
    # Filed under qd26-2026 (in force in 2027): the commune has 15 working days after Monday
    # 4 Jan 2027: 5–8 (4), 11–15 (9), 18–22 (14), 25 (15).
    assert events == [UpgradeApplied(documents=["sha256:upgrade"], commune_report_due=date(2027, 1, 25))]
    state = driver.journey
    assert (state.status, state.variant, state.stars) == (Status.DOSSIER_SUBMITTED, Variant.UPGRADE, 3)
    driver.run(driver.accept())
    assert (driver.journey.level, driver.journey.rulebook) == (Level.PROVINCE, "qd26-2026")
    driver.evaluate(["80"] * 6)
    assert driver.journey.stars == 3  # still the old certificate until the new decision
    events = driver.recognize(number="QĐ-2")
    assert events[0] == CertificateSuperseded(certificate_number="QĐ-1/J-1", by_certificate_number="QĐ-2/J-1")
    state = driver.journey
    assert state.certificate is not None
    assert (state.status, state.stars, state.certificate.valid_until) == (
        Status.CERTIFIED,
        4,
        date(2030, 1, 3),  # 2027-01-04 + 36 months − 1 day
    )
    assert state.past_certificates == [old]


def test_a_five_star_product_cannot_be_upgraded() -> None:
    driver = certified(["92"] * 8)
    driver.evaluate(["95"] * 5)
    driver.recognize(number="QĐ-TW")
    assert driver.journey.stars == 5
    driver.expect_refused(apply_upgrade(), InvalidCommand)
    driver.run(apply_re_evaluation())  # a re-evaluation is still possible
    assert driver.journey.status == Status.DOSSIER_SUBMITTED


@pytest.mark.parametrize("status", [Status.IN_DEVELOPMENT, Status.AWAITING_RECOGNITION])
def test_an_upgrade_needs_a_certified_product(status: Status) -> None:
    driver = journey_in(status)
    driver.expect_refused(apply_upgrade(), WrongState)
    driver.expect_refused(apply_re_evaluation(), WrongState)


def test_a_re_evaluation_can_downgrade_and_starts_a_new_term() -> None:
    driver = certified(["80"] * 6)  # 4★, valid until 2029-03-01
    driver.at(vn(date(2028, 12, 4)))
    driver.run(apply_re_evaluation())
    assert (driver.journey.variant, driver.journey.stars) == (Variant.RE_EVALUATION, 4)
    driver.run(driver.accept())
    driver.evaluate(["60"] * 6)
    events = driver.recognize(number="QĐ-3")
    assert [event.type for event in events] == ["certificate_superseded", "recognized"]
    state = driver.journey
    assert state.certificate is not None
    # New term: 2028-12-04 + 36 months − 1 day = 2031-12-03.
    assert (state.status, state.stars, state.certificate.valid_until) == (
        Status.CERTIFIED,
        3,
        date(2031, 12, 3),
    )
    assert [certificate.stars for certificate in state.past_certificates] == [4]


def _re_evaluation_in_evaluation() -> JourneyDriver:
    driver = certified(["80"] * 6)  # valid until 2029-03-01
    driver.at(vn(date(2029, 2, 1)))
    driver.run(apply_re_evaluation())
    driver.run(driver.accept())
    driver.run(enrol(province_council(), "R-2029"))
    return driver


def test_no_expiry_while_a_re_evaluation_is_in_evaluation_it_expires_if_that_fails() -> None:
    driver = _re_evaluation_in_evaluation()
    driver.at(end_of_day(date(2029, 3, 1)))
    driver.expect_refused(expire_certificate(), WrongState)
    assert driver.journey.stars == 4
    driver.run_all(score_all(province_council(), ["40"] * 6, sheet=driver.sheet()))
    events = driver.run(finalize(province_council()))
    assert isinstance(events[0], CouncilFinalized)
    assert events[0].outcome == Outcome.KEEP_CERTIFICATE
    assert (driver.journey.status, driver.journey.evaluation) == (Status.CERTIFIED, None)
    driver.run(expire_certificate())
    expired = driver.journey
    assert (expired.status, expired.stars) == (Status.EXPIRED, None)


def test_a_passing_re_evaluation_renews_instead_of_expiring() -> None:
    driver = _re_evaluation_in_evaluation()
    driver.at(end_of_day(date(2029, 3, 1)))
    driver.run_all(score_all(province_council(), ["82"] * 6, sheet=driver.sheet()))
    driver.run(finalize(province_council()))
    driver.recognize(number="QĐ-R")
    state = driver.journey
    assert state.certificate is not None
    assert (state.status, state.stars, state.certificate.valid_until) == (
        Status.CERTIFIED,
        4,
        date(2032, 3, 1),  # decided 2029-03-02 + 36 months − 1 day
    )
    driver.expect_refused(expire_certificate(), NotDue)


def test_the_certificate_expires_during_an_upgrade_and_the_upgrade_goes_on() -> None:
    driver = certified(["60"] * 6)  # 3★ until 2029-03-01
    driver.at(vn(date(2029, 2, 20)))
    driver.run(apply_upgrade())
    driver.run(driver.accept())
    driver.at(end_of_day(date(2029, 3, 1)))
    driver.run(expire_certificate())
    state = driver.journey
    assert (state.status, state.stars, state.certificate_expired) == (Status.AWAITING_ROUND, None, True)
    driver.evaluate(["80"] * 6)
    events = driver.recognize(number="QĐ-4")
    assert [event.type for event in events] == ["recognized"]  # nothing in force to supersede
    assert (driver.journey.status, driver.journey.stars) == (Status.CERTIFIED, 4)


def test_a_failed_upgrade_after_the_certificate_lapsed_ends_expired_not_unranked() -> None:
    driver = certified(["60"] * 6)  # 3★ until 2029-03-01
    driver.at(vn(date(2029, 2, 20)))
    driver.run(apply_upgrade())
    driver.run(driver.accept())
    driver.at(end_of_day(date(2029, 3, 1)))
    driver.run(expire_certificate())
    events = driver.evaluate(["45"] * 6)  # 45.00: nothing to recognize
    finalized = events[-1]
    assert isinstance(finalized, CouncilFinalized)
    assert finalized.outcome == Outcome.KEEP_CERTIFICATE
    # The product's standing is its lapsed certificate, not "never ranked".
    assert (driver.journey.status, driver.journey.stars) == (Status.EXPIRED, None)


# -- revocation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [PRODUCER, PROVINCIAL_OFFICER, COMMUNE_OFFICER, SYSTEM_ACTOR])
def test_only_the_recognition_authority_revokes(actor: Actor) -> None:
    driver = certified()
    driver.expect_refused(revoke(actor), NotAllowed)


def test_revocation_is_terminal() -> None:
    driver = certified()
    events = driver.run(revoke())
    assert events == [Revoked(certificate_number="QĐ-1/J-1", grounds="Vi phạm an toàn thực phẩm")]
    state = driver.journey
    assert (state.status, state.stars, state.certificate_in_force) == (Status.REVOKED, None, None)
    driver.expect_refused(revoke(), NotCertified)
    for command in (apply_upgrade(), apply_re_evaluation(), withdraw()):
        driver.expect_refused(command, WrongState)
    driver.at(vn(date(2029, 2, 1)))
    driver.expect_refused(send_expiry_notice(), WrongState)
    driver.at(vn(date(2029, 3, 5)))
    driver.expect_refused(expire_certificate(), NotCertified)


@pytest.mark.parametrize("status", [Status.IN_DEVELOPMENT, Status.AWAITING_RECOGNITION, Status.NOT_RANKED])
def test_nothing_to_revoke_without_a_certificate_in_force(status: Status) -> None:
    journey_in(status).expect_refused(revoke(), NotCertified)


# -- withdrawal -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(OPEN))
def test_the_producer_may_withdraw_from_any_open_state(status: Status) -> None:
    driver = journey_in(status)
    driver.expect_refused(withdraw(OTHER_PRODUCER), NotAllowed)
    events = driver.run(withdraw())
    assert events == [Withdrawn(lapsed=False, application_only=False)]
    state = driver.journey
    assert (state.status, state.deadlines, state.evaluation, state.pending_recognition) == (
        Status.WITHDRAWN,
        {},
        None,
        None,
    )


@pytest.mark.parametrize("status", [Status.CERTIFIED, *sorted(TERMINAL)])
def test_no_withdrawal_from_certified_or_terminal_states(status: Status) -> None:
    journey_in(status).expect_refused(withdraw(), WrongState)


def test_withdrawing_an_upgrade_returns_to_the_certificate() -> None:
    driver = certified(["60"] * 6)
    certificate = driver.journey.certificate
    driver.advance(days=100)
    driver.run(apply_upgrade())
    driver.run(driver.accept())
    driver.run(enrol(province_council(), "R-2"))
    events = driver.run(withdraw())
    assert events == [Withdrawn(lapsed=False, application_only=True)]
    state = driver.journey
    assert (state.status, state.certificate, state.stars, state.evaluation, state.deadlines) == (
        Status.CERTIFIED,
        certificate,
        3,
        None,
        {},
    )


def test_withdrawing_from_the_central_round_keeps_the_provincial_certificate() -> None:
    driver = certified(["92"] * 8)
    driver.run(withdraw())
    assert (driver.journey.status, driver.journey.stars, driver.journey.level) == (Status.CERTIFIED, 4, None)


# -- dossier completion and commune report deadlines -----------------------------------------------------


def _returned_on_10_february() -> JourneyDriver:
    driver = JourneyDriver(now=vn(date(2026, 2, 10))).to_dossier_submitted()
    driver.run(return_dossier())
    return driver


def test_a_returned_dossier_is_due_15_working_days_later_across_tet() -> None:
    driver = _returned_on_10_february()
    # 11–13 Feb (3); 16–20 Feb Tết; 23–27 Feb (8); 2–6 Mar (13); 9, 10 Mar (15) → 10 March 2026.
    deadline = driver.journey.deadlines[Deadline.DOSSIER_COMPLETION]
    assert (deadline.due, deadline.due_from) == (date(2026, 3, 10), "producer")
    assert Deadline.COMMUNE_REPORT not in driver.journey.deadlines  # the commune waits for the dossier


def test_a_returned_dossier_lapses_only_after_its_deadline() -> None:
    driver = _returned_on_10_february()
    driver.at(last_instant(date(2026, 3, 10)))
    driver.expect_refused(lapse_dossier(), NotDue)
    driver.expect_refused(lapse_dossier(PRODUCER), NotAllowed)
    driver.at(end_of_day(date(2026, 3, 10)))
    events = driver.run(lapse_dossier())
    assert events == [Withdrawn(lapsed=True, application_only=False)]
    assert (driver.journey.status, driver.journey.deadlines) == (Status.WITHDRAWN, {})


def test_the_completion_deadline_is_not_escalated_it_lapses() -> None:
    driver = _returned_on_10_february().at(vn(date(2026, 3, 20)))
    driver.expect_refused(flag_missed("dossier_completion"), InvalidCommand)
    driver.run(lapse_dossier())
    assert driver.journey.status == Status.WITHDRAWN


def test_a_resubmitted_dossier_no_longer_lapses() -> None:
    driver = _returned_on_10_february()
    driver.at(vn(date(2026, 3, 9)))
    driver.run(resubmit_dossier())
    assert Deadline.DOSSIER_COMPLETION not in driver.journey.deadlines
    # The commune report is due again, 10 working days from Monday 9 March: 10–13 (4), 16–20 (9), 23 (10).
    assert driver.journey.deadlines[Deadline.COMMUNE_REPORT].due == date(2026, 3, 23)
    driver.at(vn(date(2026, 3, 20)))
    driver.expect_refused(lapse_dossier(), WrongState)


def test_a_lapsed_upgrade_dossier_leaves_the_certificate_in_force() -> None:
    driver = certified(["60"] * 6)
    driver.at(vn(date(2027, 1, 4)))
    driver.run(apply_upgrade())
    driver.run(return_dossier())
    driver.at(vn(date(2027, 3, 1)))
    events = driver.run(lapse_dossier())
    assert events == [Withdrawn(lapsed=True, application_only=True)]
    assert (driver.journey.status, driver.journey.stars) == (Status.CERTIFIED, 3)


def test_the_commune_report_is_escalated_after_10_working_days() -> None:
    driver = JourneyDriver().to_dossier_submitted()  # submitted Monday 2 March 2026
    # 3–6 Mar (4), 9–13 (9), 16 (10) → 16 March 2026.
    deadline = driver.journey.deadlines[Deadline.COMMUNE_REPORT]
    assert (deadline.due, deadline.due_from) == (date(2026, 3, 16), "commune_officer")
    driver.at(last_instant(date(2026, 3, 16)))
    driver.expect_refused(flag_missed("commune_report"), NotDue)
    driver.at(end_of_day(date(2026, 3, 16)))
    events = driver.run(flag_missed("commune_report"))
    assert events == [
        DeadlineMissed(deadline=Deadline.COMMUNE_REPORT, due=date(2026, 3, 16), due_from="commune_officer")
    ]
    assert driver.journey.status == Status.DOSSIER_SUBMITTED  # escalated, the journey goes on
    driver.expect_refused(flag_missed("commune_report"), WrongState)
    driver.run(driver.accept())
    assert (driver.journey.status, driver.journey.deadlines) == (Status.AWAITING_ROUND, {})


def test_no_commune_report_deadline_where_the_rulebook_has_no_report() -> None:
    driver = JourneyDriver(now=vn(date(2024, 5, 6))).to_dossier_submitted()
    assert driver.rulebook().id == "qd148-2023"
    assert driver.journey.deadlines == {}


def test_an_upgrade_follows_todays_intake_rules_not_the_old_rulebook() -> None:
    # Certified under qd148-2023 (no commune report); the upgrade is filed in 2027 under qd26-2026,
    # whose acceptance needs the commune's report, so its deadline (15 working days) runs.
    driver = JourneyDriver().to_awaiting_round(date(2024, 5, 15), report=None)
    driver.evaluate(["60"] * 4)
    driver.recognize()
    assert driver.journey.rulebook == "qd148-2023"
    driver.at(vn(date(2027, 1, 4)))
    driver.run(apply_upgrade())
    assert driver.journey.deadlines[Deadline.COMMUNE_REPORT].due == date(2027, 1, 25)
    driver.expect_refused(accept(report=None), InvalidCommand)
    driver.run(driver.accept())
    assert (driver.journey.rulebook, driver.journey.level) == ("qd26-2026", Level.PROVINCE)


# -- another producer, and the clock ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "command"),
    [
        (Status.IDEA_RETURNED, lambda: resubmit_idea(OTHER_PRODUCER)),
        (Status.PLAN_PENDING, lambda: submit_plan(OTHER_PRODUCER)),
        (Status.IN_DEVELOPMENT, lambda: submit_dossier(OTHER_PRODUCER)),
        (Status.DOSSIER_RETURNED, lambda: resubmit_dossier(OTHER_PRODUCER)),
        (Status.IN_EVALUATION, lambda: withdraw(OTHER_PRODUCER)),
        (Status.CERTIFIED, lambda: apply_upgrade(OTHER_PRODUCER)),
        (Status.CERTIFIED, lambda: apply_re_evaluation(OTHER_PRODUCER)),
    ],
)
def test_another_producer_cannot_act_on_the_journey(status: Status, command: Callable[[], Command]) -> None:
    journey_in(status).expect_refused(command(), NotAllowed)


def test_the_state_records_versions_and_times() -> None:
    driver = JourneyDriver().register()
    driver.advance(hours=3)
    driver.run(AcceptIdea(actor=COMMUNE_OFFICER))
    state = driver.journey
    assert (state.version, state.registered_at, state.updated_at) == (2, NOW, NOW + timedelta(hours=3))
