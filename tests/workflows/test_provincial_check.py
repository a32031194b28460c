"""The provincial step under qd26-2026 (Art. 7.3), pure: the provincial OCOP agency's check and its
return for completion, the advisory team's recorded steps, and the written notice of a result that
gets no decision (1★, 2★); and the commune's Mẫu 03 assessment and proposal (Art. 7.2)."""

from __future__ import annotations

from datetime import date, timedelta

from schemas.commands import AcceptDossier, RecordAdvisoryStep, SubmitScorecard
from schemas.errors import AdvisoryReviewPending, InvalidCommand, NotAllowed, StepIncomplete, WrongState
from schemas.events import (
    AdvisoryStepRecorded,
    CouncilFinalized,
    Deadline,
    DossierReturned,
    Outcome,
    ResultNoticeIssued,
    ScorecardSubmitted,
    Withdrawn,
)
from schemas.journey import Status
from schemas.log import Actor
from schemas.procedure import AdvisoryStep
from schemas.rulebook import Level
from tests.factories import (
    CENTRAL_OFFICER,
    COMMUNE_OFFICER,
    PRODUCER,
    PROVINCIAL_OFFICER,
    JourneyDriver,
    apply_upgrade,
    council_for,
    enrol,
    intake_to_dossier,
    lapse_dossier,
    maxima_of,
    officer_of,
    resubmit_dossier,
    return_dossier,
    score_all,
    vn,
)
from tests.workflows.test_qd26 import _approve
from tests.workflows.test_written_opinion import _re_evaluation
from web.i18n import Translator
from workflows.calendar import end_of_day
from workflows.timers import due_steps

JUNE = date(2026, 6, 1)
ASSESSMENT = {
    "local_raw_material": "Nếp cái hoa vàng của xã",
    "local_labour": "12 lao động trong xã",
    "idea_origin": "Sản phẩm truyền thống",
    "local_identity": "Men lá theo kinh nghiệm cộng đồng",
}


def _qd26_awaiting_the_province(day: date = JUNE) -> JourneyDriver:
    driver = JourneyDriver(now=vn(day)).register(district=None)
    driver.run_all(intake_to_dossier())
    driver.run(driver.accept())
    assert (driver.journey.rulebook, driver.status(), driver.journey.level) == (
        "qd26-2026",
        Status.AWAITING_ROUND,
        Level.PROVINCE,
    )
    return driver


def _advisory(step: AdvisoryStep, held_on: date, actor: Actor = PROVINCIAL_OFFICER) -> RecordAdvisoryStep:
    return RecordAdvisoryStep(
        actor=actor,
        step=step,
        held_on=held_on,
        documents=["sha256:minutes"],
        findings="Đề nghị bổ sung phiếu kiểm nghiệm vi sinh",
    )


# -- the provincial agency's check (Art. 7.3.a) ---------------------------------------------------


def test_the_provincial_agency_returns_the_communes_file_for_completion_and_the_commune_sends_it_again() -> (
    None
):
    driver = _qd26_awaiting_the_province()
    driver.expect_refused(return_dossier(), NotAllowed)  # the commune sent it; only the province returns it
    [event] = driver.run(return_dossier().model_copy(update={"actor": PROVINCIAL_OFFICER}))
    assert event == DossierReturned(
        missing_items=["phiếu kiểm nghiệm"],
        completion_due=date(2026, 6, 22),  # 15 working days from Mon 1 June 2026
        level=Level.PROVINCE,
    )
    assert (driver.status(), driver.journey.level) == (Status.DOSSIER_RETURNED, None)
    assert driver.journey.deadlines[Deadline.DOSSIER_COMPLETION].due_from == "producer"
    driver.advance(days=3).run(resubmit_dossier())
    # Completed, it is with the commune again, which has its 15 working days to send it on.
    assert driver.status() == Status.DOSSIER_SUBMITTED
    assert Deadline.COMMUNE_REPORT in driver.journey.deadlines
    driver.run(driver.accept())
    assert (driver.status(), driver.journey.level, driver.journey.rulebook) == (
        Status.AWAITING_ROUND,
        Level.PROVINCE,
        "qd26-2026",
    )


def test_a_file_the_province_returned_lapses_when_the_producer_does_not_complete_it() -> None:
    driver = _qd26_awaiting_the_province()
    driver.run(return_dossier().model_copy(update={"actor": PROVINCIAL_OFFICER}))
    driver.at(end_of_day(date(2026, 6, 22)))
    assert [step.at for step in due_steps(driver.journey)][:1] == [end_of_day(date(2026, 6, 22))]
    assert driver.run(lapse_dossier()) == [Withdrawn(lapsed=True)]


def test_under_older_rulebooks_nobody_returns_a_dossier_awaiting_its_round() -> None:
    driver = JourneyDriver().to_awaiting_round()  # qd148-1489-2025, March 2026
    driver.expect_refused(return_dossier().model_copy(update={"actor": PROVINCIAL_OFFICER}), WrongState)


def test_once_in_evaluation_the_dossier_is_not_returned() -> None:
    driver = _qd26_awaiting_the_province()
    driver.evaluate(["80"] * 8)
    driver.expect_refused(return_dossier().model_copy(update={"actor": PROVINCIAL_OFFICER}), WrongState)


# -- the advisory team (Art. 7.3.c) ---------------------------------------------------------------


def test_the_advisory_team_reviews_surveys_asks_for_tests_and_reports_before_the_council_finalizes() -> None:
    driver = _qd26_awaiting_the_province()
    [event] = driver.run(_advisory(AdvisoryStep.REVIEW, JUNE))
    assert event == AdvisoryStepRecorded(
        level=Level.PROVINCE,
        step=AdvisoryStep.REVIEW,
        held_on=JUNE,
        documents=["sha256:minutes"],
        findings="Đề nghị bổ sung phiếu kiểm nghiệm vi sinh",
    )
    driver.advance(days=5)
    driver.run(_advisory(AdvisoryStep.SITE_SURVEY, JUNE + timedelta(days=4)))
    driver.run(_advisory(AdvisoryStep.EXTRA_TESTS, JUNE + timedelta(days=5)))
    assert driver.status() == Status.AWAITING_ROUND  # recorded steps; the journey waits as before
    roster = council_for(Level.PROVINCE)
    driver.run(enrol(roster, "R-1", officer_of(Level.PROVINCE)))
    driver.advance(days=5)
    driver.run(_advisory(AdvisoryStep.TEST_RESULTS, JUNE + timedelta(days=9)))
    driver.run(_advisory(AdvisoryStep.REPORT, JUNE + timedelta(days=10)))
    assert [(step.step, step.held_on) for step in driver.journey.advisory] == [
        (AdvisoryStep.REVIEW, JUNE),
        (AdvisoryStep.SITE_SURVEY, date(2026, 6, 5)),
        (AdvisoryStep.EXTRA_TESTS, date(2026, 6, 6)),
        (AdvisoryStep.TEST_RESULTS, date(2026, 6, 10)),
        (AdvisoryStep.REPORT, date(2026, 6, 11)),
    ]
    assert driver.status() == Status.IN_EVALUATION


def test_advisory_steps_are_the_provincial_agencys_dated_between_acceptance_and_today() -> None:
    driver = _qd26_awaiting_the_province()
    driver.expect_refused(_advisory(AdvisoryStep.REVIEW, JUNE, COMMUNE_OFFICER), NotAllowed)
    driver.expect_refused(_advisory(AdvisoryStep.REVIEW, JUNE, PRODUCER), NotAllowed)
    driver.expect_refused(_advisory(AdvisoryStep.REVIEW, JUNE + timedelta(days=1)), InvalidCommand)
    driver.expect_refused(_advisory(AdvisoryStep.REVIEW, JUNE - timedelta(days=1)), InvalidCommand)


def test_after_the_result_or_under_older_rulebooks_no_advisory_step_is_recorded() -> None:
    driver = _qd26_awaiting_the_province()
    driver.evaluate(["80"] * 8)
    assert driver.status() == Status.AWAITING_RECOGNITION
    driver.expect_refused(_advisory(AdvisoryStep.REPORT, JUNE), WrongState)
    older = JourneyDriver().to_awaiting_round()
    older.expect_refused(_advisory(AdvisoryStep.REVIEW, older.today), InvalidCommand)


def test_the_central_councils_advisory_team_is_recorded_by_the_ministrys_agency() -> None:
    driver = _qd26_awaiting_the_province()
    driver.evaluate(["92"] * 8)
    driver.run(_approve())
    assert (driver.status(), driver.journey.level) == (Status.AWAITING_ROUND, Level.CENTRAL)
    driver.expect_refused(_advisory(AdvisoryStep.SITE_SURVEY, JUNE), NotAllowed)
    [event] = driver.run(_advisory(AdvisoryStep.SITE_SURVEY, JUNE, CENTRAL_OFFICER))
    assert isinstance(event, AdvisoryStepRecorded)
    assert event.level == Level.CENTRAL


def test_a_new_application_starts_with_no_advisory_steps() -> None:
    driver = _qd26_awaiting_the_province()
    driver.run(_advisory(AdvisoryStep.REVIEW, JUNE))
    driver.evaluate(["60"] * 8)
    driver.recognize()
    assert driver.journey.advisory  # kept with the certified product's record
    driver.advance(days=40).run(apply_upgrade())
    assert driver.journey.advisory == []


def _first_sheet(driver: JourneyDriver) -> SubmitScorecard:
    evaluation = driver.journey.evaluation
    assert evaluation is not None
    [first] = score_all(evaluation.council, ["80"], maxima_of(driver.rulebook()), driver.sheet())
    return first


def test_under_qd26_the_council_scores_only_after_its_advisory_team_reviewed_the_dossier() -> None:
    # Art. 7.3.c before 7.3.d: the advisory team reviews the dossier and reports to the council's
    # chair; only then does the council meet and score. A survey alone is not the review.
    driver = _qd26_awaiting_the_province()
    driver.run(_advisory(AdvisoryStep.SITE_SURVEY, JUNE))
    driver.run(enrol(council_for(Level.PROVINCE), "R-1", officer_of(Level.PROVINCE)))
    refused = driver.expect_refused(_first_sheet(driver), AdvisoryReviewPending)
    assert isinstance(refused, StepIncomplete)  # the API's code family for a step lacking its prerequisite
    assert refused.why is not None
    assert refused.why.params == {"level": "province", "missing": ["review"]}
    vietnamese = refused.why.text("vi", Translator("vi").code)
    assert "Tổ tư vấn" in vietnamese, vietnamese
    assert "Đánh giá hồ sơ" in vietnamese, vietnamese
    driver.run(_advisory(AdvisoryStep.REVIEW, JUNE))
    [submitted] = driver.run(_first_sheet(driver))
    assert isinstance(submitted, ScorecardSubmitted)


def test_the_provinces_review_does_not_stand_for_the_central_advisory_teams() -> None:
    # Art. 7.4.c: the central council's own advisory team reviews the dossier the province sends up.
    driver = _qd26_awaiting_the_province()
    driver.evaluate(["92"] * 8)  # reviewed at the province first (the driver records it)
    assert [step.level for step in driver.journey.advisory] == [Level.PROVINCE]
    driver.run(_approve())
    driver.run(enrol(council_for(Level.CENTRAL), "R-C", officer_of(Level.CENTRAL)))
    driver.expect_refused(_first_sheet(driver), AdvisoryReviewPending)
    driver.run(_advisory(AdvisoryStep.REVIEW, JUNE, CENTRAL_OFFICER))
    driver.run(_first_sheet(driver))


def test_a_re_evaluation_or_an_older_rulebooks_council_does_not_wait_for_an_advisory_review() -> None:
    # Art. 7.6.c: the agency itself reports on a re-evaluation's dossier; older rulebooks have no team.
    renewal = _re_evaluation()
    renewal.run(enrol(council_for(Level.PROVINCE)))
    renewal.run(_first_sheet(renewal))
    older = JourneyDriver().to_awaiting_round()
    older.run(enrol(council_for(Level.PROVINCE)))
    older.run(_first_sheet(older))


# -- the written notice of a result that gets no decision (Art. 3, 7.3.g) -------------------------


def test_a_two_star_result_gets_no_decision_but_a_written_notice_to_the_producer_and_the_commune() -> None:
    driver = _qd26_awaiting_the_province()
    events = driver.evaluate(["40"] * 8)
    assert [type(event) for event in events] == [CouncilFinalized, ResultNoticeIssued]
    finalized, notice = events
    assert isinstance(finalized, CouncilFinalized)
    assert (finalized.outcome, finalized.stars, finalized.recognition_due) == (Outcome.NOT_RANKED, 2, None)
    assert notice == ResultNoticeIssued(
        level=Level.PROVINCE,
        mean=finalized.mean,
        stars=2,
        notified=["producer", "commune_officer"],
        commune_code=driver.journey.commune_code,
    )
    assert driver.status() == Status.NOT_RANKED


def test_a_one_star_result_and_a_failed_mandatory_criterion_are_notified_too() -> None:
    one = _qd26_awaiting_the_province()
    assert [event.type for event in one.evaluate(["20"] * 8)] == ["council_finalized", "result_notice_issued"]
    failed = _qd26_awaiting_the_province()
    events = failed.evaluate(["60"] * 8, failed=["A1"])
    assert [event.type for event in events] == ["council_finalized", "result_notice_issued"]


def test_a_recognized_or_forwarded_result_gets_no_notice_nor_does_an_older_rulebook() -> None:
    driver = _qd26_awaiting_the_province()
    assert [event.type for event in driver.evaluate(["60"] * 8)] == ["council_finalized"]
    five = _qd26_awaiting_the_province()
    assert [event.type for event in five.evaluate(["92"] * 8)] == ["council_finalized"]
    older = JourneyDriver().to_awaiting_round()
    assert [event.type for event in older.evaluate(["40"] * 8)] == ["council_finalized"]


# -- the commune's Mẫu 03 (Art. 7.2) ---------------------------------------------------------------


def _submitted_in_june() -> JourneyDriver:
    driver = JourneyDriver(now=vn(JUNE)).register(district=None)
    driver.run_all(intake_to_dossier())
    return driver


def _accept_with(
    assessment: dict[str, str] | None, proposal: str | None = "sha256:proposal"
) -> AcceptDossier:
    return AcceptDossier(
        actor=COMMUNE_OFFICER,
        commune_report="sha256:mau-03",
        commune_assessment=assessment,
        proposal=proposal,
    )


def test_the_commune_accepts_with_its_four_assessments_and_its_proposal() -> None:
    driver = _submitted_in_june()
    [event] = driver.run(_accept_with(ASSESSMENT))
    assert event.type == "dossier_accepted"
    review = driver.journey.commune_review
    assert review is not None
    assert (review.report, review.proposal, review.assessment, review.accepted_on) == (
        "sha256:mau-03",
        "sha256:proposal",
        ASSESSMENT,
        JUNE,
    )


def test_the_communes_assessment_covers_each_item_of_mau_03_and_nothing_else() -> None:
    driver = _submitted_in_june()
    partial = {key: value for key, value in ASSESSMENT.items() if key != "local_labour"}
    driver.expect_refused(_accept_with(partial), InvalidCommand)
    driver.expect_refused(_accept_with({**ASSESSMENT, "price": "rẻ"}), InvalidCommand)
    driver.expect_refused(_accept_with({**ASSESSMENT, "idea_origin": "   "}), InvalidCommand)


def test_under_older_rulebooks_the_report_is_a_document_only() -> None:
    driver = JourneyDriver().to_dossier_submitted()  # qd148-1489-2025
    driver.expect_refused(_accept_with(ASSESSMENT), InvalidCommand)
    driver.run(_accept_with(None, proposal=None))
    assert driver.journey.commune_review is None


def test_under_qd26_the_commune_accepts_only_with_its_mau_03_assessment_and_its_proposal() -> None:
    """Art. 6.2 and 7.2.b: the commune sends the dossier with its Mẫu 03 report (the four items of
    Art. 7.2.a assessed) and its written proposal; the acceptance names what is missing."""
    driver = _submitted_in_june()
    for assessment, proposal, missing in (
        (None, None, ["commune_assessment", "proposal"]),
        (None, "sha256:proposal", ["commune_assessment"]),
        (ASSESSMENT, None, ["proposal"]),
    ):
        error = driver.expect_refused(_accept_with(assessment, proposal=proposal), StepIncomplete)
        assert error.why is not None
        assert (error.why.key, error.why.params["missing"]) == ("journey.acceptance_requires", missing)
        assert error.why.params["rulebook"] == "qd26-2026"
    error = driver.expect_refused(_accept_with(None, proposal=None), StepIncomplete)
    vietnamese = error.told("vi", lambda kind, code: f"<{kind}.{code}>")
    assert "<field.commune_assessment> và <field.proposal>" in vietnamese
    [event] = driver.run(_accept_with(ASSESSMENT))
    assert event.type == "dossier_accepted"
