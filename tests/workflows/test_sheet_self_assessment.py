"""The producer's self-assessment (tự đánh giá, Mẫu 02 phần III; ocop.md §7): scored on the sheet the
council will use, before the dossier is submitted and while it is with the producer, with evidence
per criterion; part of the dossier, never counted in the council's result."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from schemas.commands import AcceptIdea, SubmitScorecard, SubmitSelfAssessment
from schemas.errors import InvalidCommand, InvalidScorecard, NotAllowed, WrongState
from schemas.events import CouncilFinalized, SelfAssessmentSubmitted
from schemas.journey import Status
from schemas.log import Actor
from schemas.rulebooks import get_rulebook
from schemas.scorecard import SHEETS, Choice
from tests.factories import (
    COMMUNE_OFFICER,
    PRODUCER,
    PROVINCIAL_OFFICER,
    JourneyDriver,
    approve_plan,
    council,
    enrol,
    finalize,
    recognize,
    register,
    resubmit_dossier,
    return_dossier,
    submit_dossier,
    submit_plan,
    vn,
)
from tests.scoresheets import filled, option_worth
from workflows.sheets import applies, next_star, score_sheet

FOOD_SET = "I.1.a"
SHEET = SHEETS["qd26-2026"][FOOD_SET]
QD26 = get_rulebook("qd26-2026")
DAY = date(2026, 9, 1)  # under qd26-2026
PACKAGING = "sha256:" + "a" * 64


def _assess(
    choices: dict[str, Choice] | None = None,
    evidence: dict[str, list[str]] | None = None,
    actor: Actor = PRODUCER,
    product_set: str | None = None,
) -> SubmitSelfAssessment:
    return SubmitSelfAssessment(
        actor=actor,
        choices=choices if choices is not None else filled(SHEET),
        criterion_evidence=evidence or {},
        product_set=product_set,
    )


def _in_development(product_set: str | None = FOOD_SET) -> JourneyDriver:
    driver = JourneyDriver(now=vn(DAY))
    idea = register(district=None).model_copy(update={"product_set": product_set})
    driver.run(idea)
    driver.run_all([AcceptIdea(actor=COMMUNE_OFFICER), submit_plan(), approve_plan()])
    assert driver.status() == Status.IN_DEVELOPMENT
    return driver


def test_the_producer_assesses_the_product_on_its_sheet_with_evidence_per_criterion() -> None:
    driver = _in_development()
    # Every criterion at its best but 2.2 (packaging, part A) at its 1-point option: 100 − (3 − 1) = 98.
    criterion = SHEET.criterion("2.2")
    assert criterion is not None
    assert criterion.max_points == Decimal(3)
    choices = filled(SHEET, {"2.2": option_worth(criterion, "1.00")})
    (event,) = driver.run(_assess(choices, {"2.2": [PACKAGING]}))
    assert isinstance(event, SelfAssessmentSubmitted)
    assert (event.sheet, event.total, event.points["2.2"], event.revision) == (
        SHEET.id,
        Decimal(98),
        Decimal(1),
        0,
    )
    assessment = driver.journey.self_assessment
    assert assessment is not None
    assert (assessment.total, assessment.parts["A"]) == (Decimal(98), Decimal(38))
    assert assessment.criterion_evidence == {"2.2": [PACKAGING]}
    # Revised before the dossier goes in: the new one stands, counted as a revision.
    driver.run(_assess())
    assert driver.journey.self_assessment is not None
    assert (driver.journey.self_assessment.total, driver.journey.self_assessment.revision) == (
        Decimal(100),
        1,
    )


def test_it_is_refused_as_a_members_sheet_would_be_naming_the_criterion() -> None:
    driver = _in_development()
    missing = {code: choice for code, choice in filled(SHEET).items() if code != "3.3"}
    refused = driver.expect_refused(_assess(missing), InvalidScorecard)
    assert isinstance(refused, InvalidScorecard)
    assert refused.criterion == "3.3"
    # Evidence for a criterion it does not score (5.2 does not apply without a story) is refused.
    no_story = filled(SHEET, {"5.1": Choice(option=0)})
    driver.expect_refused(_assess(no_story, {"5.2": [PACKAGING]}), InvalidCommand)
    driver.expect_refused(_assess(evidence={"99": [PACKAGING]}), InvalidCommand)


def test_only_the_products_own_producer_and_only_while_the_dossier_is_with_them() -> None:
    driver = _in_development()
    other = Actor(id="htx-khac", role="producer")
    driver.expect_refused(_assess(actor=other), NotAllowed)
    driver.run(submit_dossier())
    driver.expect_refused(_assess(), WrongState)  # with the commune now
    driver.run(return_dossier())
    driver.run(_assess())  # returned for completion: the producer may revise it
    driver.run(resubmit_dossier())
    driver.expect_refused(_assess(), WrongState)


def test_the_product_set_is_named_first_or_with_it() -> None:
    driver = _in_development(product_set=None)
    driver.expect_refused(_assess(), InvalidCommand)
    (event,) = driver.run(_assess(product_set=FOOD_SET))
    assert isinstance(event, SelfAssessmentSubmitted)
    assert event.product_set == FOOD_SET
    assert driver.journey.product_set == FOOD_SET
    driver.expect_refused(_assess(product_set="II.1.a"), InvalidCommand)  # named already


def test_under_a_rulebook_without_sheets_there_is_nothing_to_assess_on() -> None:
    driver = JourneyDriver(now=vn(date(2025, 9, 1)))  # qd148-1489-2025: three part totals
    driver.run(register(district=None).model_copy(update={"product_set": FOOD_SET}))
    driver.run_all([AcceptIdea(actor=COMMUNE_OFFICER), submit_plan(), approve_plan()])
    driver.expect_refused(_assess(), InvalidCommand)


def _finalized_with(assessment_choices: dict[str, Choice] | None) -> CouncilFinalized:
    driver = _in_development()
    if assessment_choices is not None:
        driver.run(_assess(assessment_choices))
    driver.run(submit_dossier())
    driver.run(driver.accept())
    roster = council()
    driver.run(enrol(roster, "R-1", PROVINCIAL_OFFICER))
    driver.run_all(driver.advise_before_council())
    criterion = SHEET.criterion("1.5")
    assert criterion is not None
    member_sheet = filled(SHEET, {"1.5": option_worth(criterion, "2.00")})  # 99, below the 5★ minimum
    for member in roster.voting_member_ids[:6]:
        driver.run(SubmitScorecard(actor=Actor(id=member, role="council_member"), choices=member_sheet))
    events = driver.run(finalize(roster))
    result = next(event for event in events if isinstance(event, CouncilFinalized))
    assert (driver.journey.self_assessment is not None) == (assessment_choices is not None)
    return result


def test_the_self_assessment_is_never_counted_in_the_result() -> None:
    # Six members at 99 with 1.5 at 2 points (the 5★ minimum is 3): mean 99.00, band 5★, awarded 4★.
    # The producer's own sheet at its best (1.5 at 3, total 100) or at its worst changes nothing: not
    # the mean, not the count of scorecards, not the minimums.
    without = _finalized_with(None)
    best = _finalized_with(filled(SHEET))
    worst_choices = {
        code: Choice(option=min(range(len(c.options)), key=lambda i: c.options[i].points))
        for code, c in ((c.code, c) for c in SHEET.criteria)
        if c.condition is None
    }
    worst = _finalized_with(worst_choices)
    assert (without.mean, without.stars, without.band_stars) == (Decimal("99.00"), 4, 5)
    for other in (best, worst):
        assert (other.mean, other.stars, other.band_stars, other.held_back) == (
            without.mean,
            without.stars,
            without.band_stars,
            without.held_back,
        )


def test_a_recognition_closes_the_application_and_its_self_assessment() -> None:
    driver = _in_development()
    driver.run(_assess())
    driver.run(submit_dossier())
    driver.run(driver.accept())
    roster = council()
    driver.run(enrol(roster, "R-1", PROVINCIAL_OFFICER))
    driver.run_all(driver.advise_before_council())
    criterion = SHEET.criterion("1.5")
    assert criterion is not None
    for member in roster.voting_member_ids[:6]:
        sheet = filled(SHEET, {"1.5": option_worth(criterion, "2.00")})
        driver.run(SubmitScorecard(actor=Actor(id=member, role="council_member"), choices=sheet))
    driver.run(finalize(roster))
    assert driver.journey.self_assessment is not None  # shown until the decision
    pending = driver.journey.pending_recognition
    assert pending is not None
    driver.run(recognize(pending.level, driver.today))
    assert driver.status() == Status.CERTIFIED
    assert driver.journey.self_assessment is None
    # An upgrade brings its own (filed from the certificate under the day's rulebook).
    driver.run(_assess())
    assert driver.journey.self_assessment is not None


# -- the gap to the next star (what the producer sees of their own sheet) ----------------------


def test_the_producer_sees_which_minimum_holds_back_the_next_star() -> None:
    # No story (5.1 at option 0, 0 of 5; 5.2 then does not apply): 100 − 5 − 2 = 93, the 5★ band;
    # 5.1 must reach 5 points (its **** option, the last) for 4★ and 5★: 3★ on this sheet alone.
    choices = filled(SHEET, {"5.1": Choice(option=0)})
    awarded, gap = next_star(SHEET, score_sheet(SHEET, choices, QD26), QD26)
    assert awarded == 3
    assert gap is not None
    assert (gap.stars, gap.points_short) == (4, Decimal(0))  # 93 is in the 4★ band and above
    assert [(m.criterion, m.points, m.minimum, m.option) for m in gap.minimums] == [
        ("5.1", Decimal(0), Decimal(5), 4)
    ]
    story = SHEET.criterion("5.1")
    assert story is not None
    assert gap.minimums[0].option_text == story.options[4].text


def test_the_best_sheet_has_no_next_star_and_a_low_one_is_short_of_points() -> None:
    best, gap = next_star(SHEET, score_sheet(SHEET, filled(SHEET), QD26), QD26)
    assert (best, gap) == (5, None)
    # Every criterion at its lowest option, but those with a 3★ minimum at it: far below 50.
    low: dict[str, Choice] = {}
    for criterion in SHEET.criteria:
        floor = criterion.minimum(3) or Decimal(0)
        index = min(
            (i for i, o in enumerate(criterion.options) if o.points >= floor),
            key=lambda i: criterion.options[i].points,
        )
        low[criterion.code] = Choice(option=index)
    low = {c.code: low[c.code] for c in SHEET.criteria if applies(c, SHEET, low)}
    score = score_sheet(SHEET, low, QD26)
    awarded, gap = next_star(SHEET, score, QD26)
    assert score.total < 50
    assert gap is not None
    assert awarded == QD26.stars_for(score.total)  # no minimum caps a rank below 3★
    lower = next(band.lower for band in QD26.star_bands if band.stars == awarded + 1)
    assert gap.points_short == lower - score.total
