"""Re-evaluation under qd26-2026 (Art. 7.6.c–d, 10.1.b) as pure decisions: the council evaluates by
written opinion and meets in person only where the members' totals spread past its limit or a member
asks (the mode is recorded); the agency's site-check choice (only where production changed much or
the evidence is unclear); and the ministry's request that a province redo an improper evaluation,
which opens the revocation file for the province."""

from __future__ import annotations

from datetime import date, timedelta

from schemas.commands import (
    DecideSiteCheck,
    FinalizeResult,
    OpenReEvaluationWindow,
    RequestMeeting,
    RequireRedo,
    Revoke,
)
from schemas.errors import (
    DispersionTooWide,
    InvalidCommand,
    NotAllowed,
    NotAVotingMember,
    NotCertified,
    SecretaryCannotScore,
    WrongState,
)
from schemas.events import (
    CouncilFinalized,
    Deadline,
    EvaluationMode,
    MeetingRequested,
    RedoRequired,
    RevocationOpened,
    Revoked,
    SiteCheckDecided,
)
from schemas.journey import Status
from schemas.log import Actor
from schemas.rulebook import Level, RevocationGround, SiteCheckGround
from schemas.rulebooks import get_rulebook
from tests.factories import (
    AUTHORITY,
    CENTRAL_OFFICER,
    PROVINCIAL_OFFICER,
    JourneyDriver,
    amend,
    apply_re_evaluation,
    certified,
    council_for,
    enrol,
    journey_in,
    score_all,
    vn,
)
from workflows.calendar import end_of_day
from workflows.timers import SYSTEM

QD26 = get_rulebook("qd26-2026")
ROSTER = council_for(Level.PROVINCE)  # 9 seats: 8 voting members (m1 chair), m9 secretary
CHAIR = Actor(id=ROSTER.chair_id, role="council_member")
LIMIT = QD26.level_rules(Level.PROVINCE).dispersion_limit
DOCUMENT = "sha256:" + "d0" * 32


def _member(index: int) -> Actor:
    return Actor(id=ROSTER.voting_member_ids[index], role="council_member")


def _re_evaluation() -> JourneyDriver:
    """A qd148-1489-2025 certificate (valid until 2029-03-01) re-evaluated in its window: the
    dossier accepted on 1 October 2028 pins qd26-2026; the product awaits the provincial round."""
    driver = certified()
    driver.at(end_of_day(date(2028, 9, 1))).run(OpenReEvaluationWindow(actor=SYSTEM))
    driver.at(vn(date(2028, 10, 1))).run(apply_re_evaluation())
    driver.run(driver.accept())
    assert (driver.journey.rulebook, driver.status()) == ("qd26-2026", Status.AWAITING_ROUND)
    return driver


def _in_evaluation(totals: list[str]) -> JourneyDriver:
    driver = _re_evaluation()
    driver.run(enrol(ROSTER))
    driver.run_all(score_all(ROSTER, totals, sheet=driver.sheet()))
    return driver


def _finalized(driver: JourneyDriver, command: FinalizeResult) -> CouncilFinalized:
    finalized = next(e for e in driver.run(command) if isinstance(e, CouncilFinalized))
    return finalized


def test_the_rulebook_evaluates_re_evaluations_by_written_opinion_with_two_grounds_for_a_site_survey() -> (
    None
):
    assert QD26.re_evaluation is not None
    assert QD26.re_evaluation.written_opinion  # Art. 7.6.d
    assert set(QD26.re_evaluation.site_check_grounds) == set(SiteCheckGround)  # Art. 7.6.c
    assert QD26.revocation is not None
    assert QD26.revocation.redo_ground == RevocationGround.E  # Art. 10.1.b, 8.1.e


def test_written_opinions_within_the_limit_are_finalized_without_a_meeting_and_the_mode_is_recorded() -> None:
    driver = _in_evaluation(["80", "82", "78", "81", "79", "80", "83", "77"])
    finalized = _finalized(driver, FinalizeResult(actor=CHAIR))
    assert finalized.evaluation_mode == EvaluationMode.WRITTEN_OPINION
    assert (finalized.met_on, finalized.meeting_grounds) == (None, None)
    assert driver.status() == Status.AWAITING_RECOGNITION


def test_totals_spread_past_the_limit_send_the_re_evaluation_to_a_meeting_where_members_amend() -> None:
    wide = ["90", "80", "80", "80", "80", "80", "80", "70"]  # 20 points apart
    assert max(map(int, wide)) - min(map(int, wide)) > LIMIT
    driver = _in_evaluation(wide)
    error = driver.expect_refused(FinalizeResult(actor=CHAIR), WrongState)
    assert "meets in person" in error.message
    met = FinalizeResult(actor=CHAIR, met_on=driver.today)
    driver.expect_refused(met, DispersionTooWide)  # at the meeting the totals still come within the limit
    driver.run(amend(_member(0), "82", sheet=driver.sheet()))
    driver.run(amend(_member(7), "78", sheet=driver.sheet()))
    finalized = _finalized(driver, met)
    assert (finalized.evaluation_mode, finalized.met_on) == (EvaluationMode.MEETING, driver.today)


def test_a_member_who_asks_for_a_meeting_takes_the_re_evaluation_to_one() -> None:
    driver = _in_evaluation(["80"] * 8)
    [requested] = driver.run(RequestMeeting(actor=_member(3), reason="Tiêu chí 2.2: minh chứng mâu thuẫn"))
    assert requested == MeetingRequested(member_id=_member(3).id)
    assert driver.journey.evaluation is not None
    assert driver.journey.evaluation.meeting_requested_by == [_member(3).id]
    driver.expect_refused(RequestMeeting(actor=_member(3), reason="lần nữa"), WrongState)  # once
    driver.expect_refused(FinalizeResult(actor=CHAIR), WrongState)
    driver.expect_refused(
        FinalizeResult(actor=CHAIR, met_on=driver.today + timedelta(days=1)), InvalidCommand
    )
    finalized = _finalized(driver, FinalizeResult(actor=CHAIR, met_on=driver.today))
    assert finalized.evaluation_mode == EvaluationMode.MEETING
    assert finalized.meeting_grounds == ["requested"]


def test_only_a_voting_member_of_a_written_opinion_council_asks_for_a_meeting() -> None:
    driver = _in_evaluation(["80"] * 8)
    secretary = Actor(id=ROSTER.seats[-1].member_id, role="council_member")
    driver.expect_refused(RequestMeeting(actor=secretary, reason="x"), SecretaryCannotScore)
    driver.expect_refused(
        RequestMeeting(actor=Actor(id="HD-other-m1", role="council_member"), reason="x"), NotAVotingMember
    )
    # A first evaluation is decided as always: a council that meets, nothing to ask for.
    first = journey_in(Status.AWAITING_ROUND)
    first.run(enrol(ROSTER))
    first.expect_refused(RequestMeeting(actor=_member(3), reason="x"), WrongState)
    first.run_all(score_all(ROSTER, ["80"] * 8, sheet=first.sheet()))
    assert _finalized(first, FinalizeResult(actor=CHAIR)).evaluation_mode is None


def test_the_agency_records_its_site_check_choice_once_with_grounds_only_for_a_survey() -> None:
    driver = _re_evaluation()
    survey = DecideSiteCheck(
        actor=PROVINCIAL_OFFICER, survey=True, survey_grounds=[SiteCheckGround.PRODUCTION_CHANGED]
    )
    driver.expect_refused(survey.model_copy(update={"actor": CENTRAL_OFFICER}), NotAllowed)  # not its level
    driver.expect_refused(
        survey.model_copy(update={"survey_grounds": []}), InvalidCommand
    )  # a survey needs a ground
    driver.expect_refused(
        survey.model_copy(update={"survey": False}), InvalidCommand
    )  # no survey, no grounds
    [decided] = driver.run(survey)
    assert decided == SiteCheckDecided(
        level=Level.PROVINCE, survey=True, grounds=[SiteCheckGround.PRODUCTION_CHANGED]
    )
    assert driver.journey.site_checks == {Level.PROVINCE: True}
    driver.expect_refused(DecideSiteCheck(actor=PROVINCIAL_OFFICER, survey=False), WrongState)  # once
    # A first evaluation has no such choice.
    journey_in(Status.AWAITING_ROUND).expect_refused(
        DecideSiteCheck(actor=PROVINCIAL_OFFICER, survey=False), WrongState
    )


def test_no_survey_is_a_recorded_choice_too() -> None:
    driver = _re_evaluation()
    [decided] = driver.run(DecideSiteCheck(actor=PROVINCIAL_OFFICER, survey=False, reason="Hồ sơ rõ ràng"))
    assert decided == SiteCheckDecided(level=Level.PROVINCE, survey=False, grounds=[])


def _qd26_provincial_certificate() -> JourneyDriver:
    driver = certified(now=vn(date(2026, 6, 1)))
    assert driver.journey.rulebook == "qd26-2026"
    driver.at(vn(date(2026, 11, 25)))
    return driver


def _redo(concluded_on: date = date(2026, 11, 20)) -> RequireRedo:
    return RequireRedo(
        actor=CENTRAL_OFFICER,
        findings="Hội đồng chấm tiêu chí 1.1 không theo hồ sơ",
        conclusion=DOCUMENT,
        concluded_on=concluded_on,
    )


def test_the_ministrys_request_to_redo_an_improper_evaluation_opens_the_provinces_revocation_file() -> None:
    driver = _qd26_provincial_certificate()
    redo, opened = driver.run(_redo())
    assert isinstance(redo, RedoRequired)
    assert (redo.findings, redo.conclusion, redo.concluded_on) == (
        _redo().findings,
        DOCUMENT,
        date(2026, 11, 20),
    )
    assert isinstance(opened, RevocationOpened)
    assert (opened.ground, opened.decision_due) == (RevocationGround.E, date(2026, 12, 5))
    assert driver.journey.deadlines[Deadline.REVOCATION_DECISION].due_from == "recognition_authority"
    assert driver.journey.redo_required
    driver.expect_refused(_redo(), WrongState)  # once
    # The provincial chairman (the authority of a 4★) revokes on the ministry's ground and document.
    [revoked] = driver.run(Revoke(actor=AUTHORITY, grounds="Theo đề nghị của Bộ"))
    assert isinstance(revoked, Revoked)
    assert (revoked.ground, revoked.conclusion) == (RevocationGround.E, DOCUMENT)


def test_only_the_ministry_asks_and_only_about_a_provincial_certificate_in_force() -> None:
    driver = _qd26_provincial_certificate()
    driver.expect_refused(_redo().model_copy(update={"actor": PROVINCIAL_OFFICER}), NotAllowed)
    driver.expect_refused(_redo(date(2026, 11, 26)), InvalidCommand)  # dated after today
    five = _qd26_provincial_certificate()
    assert five.state is not None
    assert five.state.certificate is not None
    certificate = five.state.certificate.model_copy(update={"level": Level.CENTRAL, "stars": 5})
    five.state = five.state.model_copy(update={"certificate": certificate})
    five.expect_refused(_redo(), InvalidCommand)  # the Minister's own 5★
    journey_in(Status.AWAITING_ROUND).expect_refused(_redo(), NotCertified)
    old = certified()  # qd148-1489-2025: no such request
    old.at(vn(date(2026, 11, 25)))
    old.expect_refused(_redo(), InvalidCommand)
