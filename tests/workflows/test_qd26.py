"""QĐ 26/2026/QĐ-TTg (ocop.md §7) in the pure lifecycle: which rulebook a dossier pins across the
cut-over of 22 May 2026, the passage of Art. 12, the commune's 15 working days (Art. 7.2)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from api import access
from schemas.commands import ApplyReEvaluation, ApproveResult, EvaluateAgain, SubmitDossier
from schemas.errors import InvalidCommand, NotAllowed, NotDue, WrongState
from schemas.events import (
    CouncilFinalized,
    Deadline,
    DeadlineMissed,
    DossierSubmitted,
    Outcome,
    ResultApproved,
    SentBackForEvaluation,
)
from schemas.journey import Status
from schemas.roles import Role
from schemas.rulebook import Level
from schemas.rulebooks import get_rulebook
from tests.factories import (
    AUTHORITY,
    PRODUCER,
    PROVINCIAL_OFFICER,
    JourneyDriver,
    accept,
    apply_re_evaluation,
    certified,
    flag_missed,
    intake_to_dossier,
    last_instant,
    recognize,
    vn,
)
from workflows.calendar import end_of_day
from workflows.lifecycle import route
from workflows.timers import due_steps

PASSAGE = Deadline.PASSAGE_COMPLETION


def _submitted_on(day: date) -> JourneyDriver:
    """A Thanh Hóa journey (no district: both rulebooks are two-level) whose dossier the producer
    submits on ``day`` at 10:00."""
    driver = JourneyDriver(now=vn(day - timedelta(days=7)))
    driver.register(district=None)
    driver.run_all(intake_to_dossier()[:-1])
    driver.at(vn(day))
    driver.run(intake_to_dossier()[-1])
    return driver


def _passage_steps(driver: JourneyDriver) -> list[object]:
    return [
        step.at for step in due_steps(driver.journey) if getattr(step.command, "deadline", None) == PASSAGE
    ]


# -- 21 May and 22 May 2026 -----------------------------------------------------------------------


def test_a_dossier_submitted_on_21_may_2026_keeps_qd148_1489_2025_though_accepted_later() -> None:
    driver = _submitted_on(date(2026, 5, 21))
    assert driver.journey.submitted_on == date(2026, 5, 21)
    # Submitted under qd148-1489-2025: the commune had 10 working days (Fri 22 May .. Thu 4 June).
    assert driver.journey.deadlines[Deadline.COMMUNE_REPORT].due == date(2026, 6, 4)
    driver.at(vn(date(2026, 6, 1)))
    assert driver.rulebook().id == "qd148-1489-2025"  # its intake rules too, after the cut-over
    driver.run(driver.accept())
    assert (driver.journey.rulebook, driver.journey.accepted_on) == ("qd148-1489-2025", date(2026, 6, 1))
    # ...and so the province still certifies 4★ while forwarding a potential 5★ (qd148-1489-2025).
    driver.evaluate(["92"] * 8)
    assert driver.journey.pending_recognition is not None
    assert (driver.journey.pending_recognition.stars, driver.journey.pending_recognition.forward_to) == (
        4,
        Level.CENTRAL,
    )


def test_a_dossier_submitted_on_22_may_2026_pins_qd26_2026() -> None:
    driver = _submitted_on(date(2026, 5, 22))
    # qd26-2026 Art. 7.2: the commune has 15 working days (Mon 25 May .. Fri 12 June).
    assert driver.journey.deadlines[Deadline.COMMUNE_REPORT].due == date(2026, 6, 12)
    driver.expect_refused(accept(report=None), InvalidCommand)  # its Mẫu 03 report is required
    driver.run(driver.accept())
    assert (driver.journey.rulebook, driver.journey.level) == ("qd26-2026", Level.PROVINCE)
    assert _passage_steps(driver) == []  # not in a passage


def test_a_paper_dossier_dated_21_may_entered_in_june_keeps_the_old_rulebook() -> None:
    driver = JourneyDriver(now=vn(date(2026, 5, 1)))
    driver.register(district=None)
    driver.run_all(intake_to_dossier()[:-1])
    driver.at(vn(date(2026, 6, 3)))
    driver.expect_refused(
        SubmitDossier(actor=PRODUCER, documents=["sha256:form01"], submitted_on=date(2026, 6, 4)),
        InvalidCommand,  # a paper date in the future
    )
    events = driver.run(
        SubmitDossier(actor=PRODUCER, documents=["sha256:form01"], submitted_on=date(2026, 5, 21))
    )
    # The commune's days run from the paper date, under the rulebook of that day (10 working days).
    assert events == [
        DossierSubmitted(
            variant="new",
            documents=["sha256:form01"],
            commune_report_due=date(2026, 6, 4),
            submitted_on=date(2026, 5, 21),
        )
    ]
    driver.run(driver.accept())
    assert driver.journey.rulebook == "qd148-1489-2025"


# -- the passage deadline (Art. 12.2) -------------------------------------------------------------


def test_a_kept_first_evaluation_escalates_past_60_days_after_the_cut_over_and_is_not_withdrawn() -> None:
    driver = _submitted_on(date(2026, 5, 21))
    driver.at(vn(date(2026, 6, 1))).run(driver.accept())
    # 60 days from 22 May 2026: 21 July 2026 is the last day.
    assert _passage_steps(driver) == [end_of_day(date(2026, 7, 21))]
    driver.at(last_instant(date(2026, 7, 21)))
    driver.expect_refused(flag_missed(PASSAGE.value), NotDue)
    driver.at(end_of_day(date(2026, 7, 21)))
    events = driver.run(flag_missed(PASSAGE.value))
    assert events == [DeadlineMissed(deadline=PASSAGE, due=date(2026, 7, 21), due_from="provincial_officer")]
    # Escalated, not withdrawn: the dossier still awaits its round, and is flagged only once.
    assert driver.status() == Status.AWAITING_ROUND
    assert driver.journey.deadlines[PASSAGE].missed
    assert _passage_steps(driver) == []
    driver.expect_refused(flag_missed(PASSAGE.value), WrongState)
    # Finished later all the same: recognition closes the application and its passage mark.
    driver.evaluate(["80"] * 8)
    driver.recognize()
    assert driver.status() == Status.CERTIFIED
    assert PASSAGE not in driver.journey.deadlines


def test_a_kept_dossier_not_yet_accepted_escalates_too() -> None:
    driver = _submitted_on(date(2026, 5, 20))
    assert _passage_steps(driver) == [end_of_day(date(2026, 7, 21))]


def test_a_kept_re_evaluation_must_finish_within_30_days_of_the_cut_over() -> None:
    driver = certified()  # recognized 2 March 2026 under qd148-1489-2025
    driver.at(vn(date(2026, 5, 20))).run(apply_re_evaluation())
    driver.at(vn(date(2026, 5, 25))).run(driver.accept())
    assert driver.journey.rulebook == "qd148-1489-2025"  # submitted before the cut-over
    assert _passage_steps(driver) == [end_of_day(date(2026, 6, 21))]


def test_a_kept_dossier_finished_in_time_never_escalates() -> None:
    driver = _submitted_on(date(2026, 5, 21))
    driver.at(vn(date(2026, 6, 1))).run(driver.accept())
    driver.evaluate(["60"] * 8)
    driver.recognize()
    assert driver.status() == Status.CERTIFIED
    assert _passage_steps(driver) == []


def test_a_certificate_recognized_before_the_cut_over_keeps_its_term_and_its_re_evaluation_follows_qd26() -> (
    None
):
    driver = certified()  # 4★, recognized 2 March 2026 under qd148-1489-2025, valid until 1 March 2029
    certificate = driver.journey.certificate
    assert certificate is not None
    assert (certificate.rulebook, certificate.valid_until) == ("qd148-1489-2025", date(2029, 3, 1))
    driver.at(vn(date(2028, 10, 2))).run(apply_re_evaluation())
    assert driver.journey.certificate_in_force == certificate  # its term is untouched meanwhile
    driver.run(driver.accept())
    assert driver.journey.rulebook == "qd26-2026"
    assert _passage_steps(driver) == []


# -- the commune's 15 working days ----------------------------------------------------------------


def test_the_commune_has_15_working_days_across_tet_under_qd26() -> None:
    # Friday 29 January 2027; Tết 2027 closes offices from Thursday 4 to Wednesday 10 February:
    # 1-3 Feb (3), 11-12 (5), 15-19 (10), 22-26 (15).
    driver = _submitted_on(date(2027, 1, 29))
    assert driver.journey.deadlines[Deadline.COMMUNE_REPORT].due == date(2027, 2, 26)
    driver.at(last_instant(date(2027, 2, 26)))
    driver.expect_refused(flag_missed(Deadline.COMMUNE_REPORT.value), NotDue)
    driver.at(end_of_day(date(2027, 2, 26)))
    [event] = driver.run(flag_missed(Deadline.COMMUNE_REPORT.value))
    assert event == DeadlineMissed(
        deadline=Deadline.COMMUNE_REPORT, due=date(2027, 2, 26), due_from="commune_officer"
    )


@pytest.mark.parametrize(
    ("day", "rulebook"), [(date(2026, 5, 21), "qd148-1489-2025"), (date(2026, 5, 22), "qd26-2026")]
)
def test_an_idea_registered_on_the_eve_or_the_day_of_the_cut_over(day: date, rulebook: str) -> None:
    driver = JourneyDriver(now=vn(day)).register(district=None)
    assert driver.journey.rulebook == rulebook


# -- potential 5★ under qd26-2026 (Art. 7.3.e, 7.4.g) ---------------------------------------------


def _qd26_at_the_province() -> JourneyDriver:
    """A journey whose dossier was submitted and accepted in June 2026: qd26-2026."""
    driver = _submitted_on(date(2026, 6, 1))
    driver.run(driver.accept())
    assert driver.journey.rulebook == "qd26-2026"
    return driver


def _approve(number: str = "QĐ-PD") -> ApproveResult:
    return ApproveResult(actor=AUTHORITY, decision_number=number, decision_date=date(2026, 6, 1))


def test_a_potential_five_star_is_approved_by_the_chairman_without_a_certificate_then_raised_centrally() -> (
    None
):
    driver = _qd26_at_the_province()
    [finalized] = driver.evaluate(["92", "93", "91", "94", "92", "90", "95", "92"])  # 92.38
    assert isinstance(finalized, CouncilFinalized)
    assert (finalized.outcome, finalized.recognize_stars, finalized.next_level) == (
        Outcome.APPROVE_THEN_FORWARD,
        None,
        Level.CENTRAL,
    )
    assert driver.status() == Status.AWAITING_APPROVAL
    assert driver.journey.certificate is None  # no provincial 4★ meanwhile (certify_while_forwarding false)
    # The chairman's approval is a decision of its own, due like a recognition.
    assert driver.journey.deadlines[Deadline.RECOGNITION].due == finalized.recognition_due
    driver.expect_refused(recognize(Level.PROVINCE, driver.today), WrongState)
    driver.expect_refused(
        ApproveResult(actor=PROVINCIAL_OFFICER, decision_number="x", decision_date=driver.today), NotAllowed
    )
    [approved] = driver.run(_approve())
    assert approved == ResultApproved(
        level=Level.PROVINCE,
        mean=Decimal("92.38"),
        stars=5,
        decision_number="QĐ-PD",
        decision_date=date(2026, 6, 1),
        forward_to=Level.CENTRAL,
    )
    state = driver.journey
    assert (state.status, state.level, state.certificate, state.pending_approval) == (
        Status.AWAITING_ROUND,
        Level.CENTRAL,
        None,
        None,
    )
    assert Deadline.RECOGNITION not in state.deadlines
    driver.evaluate(["91", "92", "90", "93", "94"])  # 92.00 at the central council
    events = driver.recognize(number="QĐ-TW")
    assert [event.type for event in events] == ["recognized"]  # nothing to supersede
    certificate = driver.journey.certificate
    assert certificate is not None
    assert (driver.status(), certificate.stars, certificate.level, certificate.rulebook) == (
        Status.CERTIFIED,
        5,
        Level.CENTRAL,
        "qd26-2026",
    )


def test_below_ninety_centrally_the_chairman_recognizes_four_stars_on_the_central_result() -> None:
    driver = _qd26_at_the_province()
    driver.evaluate(["92"] * 8)
    driver.run(_approve())
    [finalized] = driver.evaluate(["88", "89", "87", "90", "86"])  # 88.00 -> 4★ band
    assert isinstance(finalized, CouncilFinalized)
    assert (finalized.outcome, finalized.recognize_stars, finalized.next_level) == (
        Outcome.RETURNED_FOR_DECISION,
        4,
        Level.PROVINCE,
    )
    pending = driver.journey.pending_recognition
    assert pending is not None
    assert (driver.status(), pending.level, pending.stars, pending.evaluate_again_at) == (
        Status.AWAITING_RECOGNITION,
        Level.PROVINCE,
        4,
        Level.PROVINCE,
    )
    driver.recognize(number="QĐ-P")
    certificate = driver.journey.certificate
    assert certificate is not None
    assert (driver.status(), certificate.stars, certificate.level) == (Status.CERTIFIED, 4, Level.PROVINCE)


def test_below_ninety_centrally_the_chairman_may_have_the_province_evaluate_again() -> None:
    driver = _qd26_at_the_province()
    driver.evaluate(["92"] * 8)
    driver.run(_approve())
    driver.evaluate(["60"] * 5)  # 60.00 -> 3★ band
    driver.expect_refused(EvaluateAgain(actor=PRODUCER), NotAllowed)
    [sent] = driver.run(EvaluateAgain(actor=AUTHORITY, decision_number="QĐ-ĐGL"))
    assert sent == SentBackForEvaluation(level=Level.PROVINCE, decision_number="QĐ-ĐGL")
    state = driver.journey
    assert (state.status, state.level, state.pending_recognition) == (
        Status.AWAITING_ROUND,
        Level.PROVINCE,
        None,
    )
    assert Deadline.RECOGNITION not in state.deadlines
    driver.evaluate(["75"] * 8, round_id="R-2")  # the province's new evaluation: 4★, recognized there
    driver.recognize()
    assert (driver.status(), driver.journey.stars) == (Status.CERTIFIED, 4)


def test_an_ordinary_provincial_result_offers_no_new_evaluation_instead_of_recognition() -> None:
    driver = _qd26_at_the_province()
    driver.evaluate(["80"] * 8)
    driver.expect_refused(EvaluateAgain(actor=AUTHORITY), WrongState)
    driver.expect_refused(_approve(), WrongState)


def test_a_central_result_below_fifty_under_qd26_ranks_nothing() -> None:
    driver = _qd26_at_the_province()
    driver.evaluate(["92"] * 8)
    driver.run(_approve())
    [finalized, *_] = driver.evaluate(["45"] * 5)
    assert isinstance(finalized, CouncilFinalized)
    assert finalized.outcome == Outcome.NOT_RANKED
    assert driver.status() == Status.NOT_RANKED


def test_a_missed_approval_escalates_like_a_recognition() -> None:
    driver = _qd26_at_the_province()
    [finalized] = driver.evaluate(["95"] * 8)
    assert isinstance(finalized, CouncilFinalized)
    assert finalized.recognition_due is not None
    driver.at(end_of_day(finalized.recognition_due))
    [missed] = driver.run(flag_missed(Deadline.RECOGNITION.value))
    assert missed == DeadlineMissed(
        deadline=Deadline.RECOGNITION, due=finalized.recognition_due, due_from="recognition_authority"
    )
    assert driver.status() == Status.AWAITING_APPROVAL


@pytest.mark.parametrize(
    ("rulebook_id", "mean", "expected"),
    [
        # qd148-1489-2025: the province certifies 4★ while forwarding.
        ("qd148-1489-2025", "90", (Outcome.RECOGNIZE_THEN_FORWARD, 4, Level.CENTRAL)),
        ("qd148-1489-2025", "89.99", (Outcome.RECOGNIZE, 4, None)),
        # qd26-2026: the chairman approves, no certificate; below 90 a 4★ is recognized as ever.
        ("qd26-2026", "90", (Outcome.APPROVE_THEN_FORWARD, None, Level.CENTRAL)),
        ("qd26-2026", "89.99", (Outcome.RECOGNIZE, 4, None)),
    ],
)
def test_the_provincial_route_of_a_potential_five_star_is_each_rulebooks(
    rulebook_id: str, mean: str, expected: tuple[Outcome, int | None, Level | None]
) -> None:
    book = get_rulebook(rulebook_id)
    assert route(book, Level.PROVINCE, Decimal(mean), book.stars_for(Decimal(mean)), False) == expected


@pytest.mark.parametrize(
    ("rulebook_id", "mean", "expected"),
    [
        ("qd148-1489-2025", "89.99", (Outcome.NOT_RANKED, None, None)),
        ("qd26-2026", "89.99", (Outcome.RETURNED_FOR_DECISION, 4, Level.PROVINCE)),
        ("qd26-2026", "50", (Outcome.RETURNED_FOR_DECISION, 3, Level.PROVINCE)),
        ("qd26-2026", "49.99", (Outcome.NOT_RANKED, None, None)),
        ("qd26-2026", "90", (Outcome.RECOGNIZE, 5, None)),
    ],
)
def test_the_central_route_below_ninety_is_each_rulebooks(
    rulebook_id: str, mean: str, expected: tuple[Outcome, int | None, Level | None]
) -> None:
    book = get_rulebook(rulebook_id)
    assert route(book, Level.CENTRAL, Decimal(mean), book.stars_for(Decimal(mean)), False) == expected


def test_only_the_provincial_authority_approves_a_provincial_result() -> None:
    driver = _qd26_at_the_province()
    driver.evaluate(["92"] * 8)
    assert access.required_authority_level(driver.journey, "approve-result") == Level.PROVINCE
    minister = access.Principal(
        id="minister-1",
        role=Role.RECOGNITION_AUTHORITY,
        jurisdiction=access.parse_jurisdiction(Role.RECOGNITION_AUTHORITY, "VN"),
    )
    with pytest.raises(access.AccessDenied, match="province"):
        access.check_authority(minister, driver.journey, "approve-result")


def test_an_applications_paper_date_is_not_older_than_its_certificate() -> None:
    driver = certified()  # recognized 2 March 2026
    driver.at(vn(date(2026, 6, 1)))
    early = ApplyReEvaluation(actor=PRODUCER, documents=["sha256:r"], submitted_on=date(2026, 3, 1))
    driver.expect_refused(early, InvalidCommand)
    driver.run(early.model_copy(update={"submitted_on": date(2026, 5, 21)}))
    driver.run(driver.accept())
    assert driver.journey.rulebook == "qd148-1489-2025"  # handed in before the cut-over
