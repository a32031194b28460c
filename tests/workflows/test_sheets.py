"""Scoring by option and the council's result with star minimums (ocop.md §7), on the shipped sheets.

Hand-checked cases on three sets (a food set, a drink, the tourism set with its variants) carry their
arithmetic in comments; the properties run over all 26 sheets.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.errors import DOMAIN_ERRORS, InvalidScorecard, QuorumNotMet, ScoreOutOfRange
from schemas.rulebooks import get_rulebook
from schemas.scorecard import (
    SHEETS,
    Choice,
    MinimumJudgement,
    ScorecardProblem,
    ScorecardSheet,
    SheetScore,
    flat_sheet,
)
from workflows.scoring import check_parts
from workflows.sheets import applies, council_result, flat_score, score_sheet, shortfalls

QD26 = get_rulebook("qd26-2026")
FOOD = SHEETS["qd26-2026"]["I.1.a"]  # Rau, củ, quả, hạt tươi
DRINK = SHEETS["qd26-2026"]["II.1.a"]  # Rượu trắng
TOURISM = SHEETS["qd26-2026"]["VI.1"]  # Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch
MEAN, MAJORITY = MinimumJudgement.CRITERION_MEAN, MinimumJudgement.MAJORITY_OF_SHEETS

Answer = int | tuple[str, int]


def card(
    sheet: ScorecardSheet, changes: Mapping[str, Answer] | None = None, without: tuple[str, ...] = ()
) -> dict[str, Choice]:
    """The best option of every criterion (case ``a`` where there are cases), then ``changes``: an
    option's position, or (case, position); ``without`` leaves criteria out."""
    answers: dict[str, Choice] = {}
    for criterion in sheet.criteria:
        variant = criterion.variants[0].code if criterion.variants else None
        best = max(criterion.variant_options(variant), key=lambda index: criterion.options[index].points)
        answers[criterion.code] = Choice(option=best, variant=variant)
    for code, answer in (changes or {}).items():
        variant, option = answer if isinstance(answer, tuple) else (None, answer)
        answers[code] = Choice(option=option, variant=variant)
    for code in without:
        del answers[code]
    return answers


def scored(
    sheet: ScorecardSheet, changes: Mapping[str, Answer] | None = None, **kw: tuple[str, ...]
) -> SheetScore:
    return score_sheet(sheet, card(sheet, changes, **kw), QD26)


def refused(sheet: ScorecardSheet, answers: Mapping[str, Choice]) -> InvalidScorecard:
    with pytest.raises(InvalidScorecard) as refusal:
        score_sheet(sheet, answers, QD26)
    return refusal.value


# -- refusals, each naming the criterion ------------------------------------------------------------


def test_an_unknown_criterion_is_refused_by_its_code() -> None:
    error = refused(FOOD, {**card(FOOD), "13": Choice(option=0)})  # the food sheet ends at 12
    assert (error.criterion, error.problem) == ("13", ScorecardProblem.UNKNOWN_CRITERION)
    assert error.http_status == 422


def test_a_missing_applicable_criterion_is_refused_by_its_code() -> None:
    error = refused(FOOD, card(FOOD, without=("4.2",)))
    assert (error.criterion, error.problem) == ("4.2", ScorecardProblem.MISSING)


def test_an_option_not_in_the_list_is_refused_by_its_code() -> None:
    error = refused(FOOD, card(FOOD, {"1.1": 3}))  # 1.1 has three options, 0 to 2
    assert (error.criterion, error.problem) == ("1.1", ScorecardProblem.NOT_AN_OPTION)
    error = refused(FOOD, {**card(FOOD), "1.2": Choice(points=Decimal(2))})  # points, not an option
    assert (error.criterion, error.problem) == ("1.2", ScorecardProblem.NOT_AN_OPTION)


def test_an_answer_to_a_criterion_whose_condition_does_not_hold_is_refused_by_its_code() -> None:
    # 5.1 option 0 "Không có câu chuyện sản phẩm": 5.2 "Chỉ áp dụng khi có câu chuyện sản phẩm".
    error = refused(FOOD, card(FOOD, {"5.1": 0}))
    assert (error.criterion, error.problem) == ("5.2", ScorecardProblem.NOT_APPLICABLE)
    # With a story (option 1), 5.2 applies and must be answered.
    error = refused(FOOD, card(FOOD, {"5.1": 1}, without=("5.2",)))
    assert (error.criterion, error.problem) == ("5.2", ScorecardProblem.MISSING)


def test_a_criterion_with_cases_takes_its_case_first_and_an_option_of_that_case() -> None:
    error = refused(TOURISM, {**card(TOURISM), "8": Choice(option=1)})
    assert (error.criterion, error.problem) == ("8", ScorecardProblem.VARIANT)
    error = refused(TOURISM, card(TOURISM, {"8": ("c", 1)}))
    assert (error.criterion, error.problem) == ("8", ScorecardProblem.VARIANT)
    error = refused(TOURISM, card(TOURISM, {"9": ("a", 3)}))  # option 3 is case b's
    assert (error.criterion, error.problem) == ("9", ScorecardProblem.NOT_AN_OPTION)
    error = refused(TOURISM, card(TOURISM, {"6": ("a", 1)}))  # 6 has no cases
    assert (error.criterion, error.problem) == ("6", ScorecardProblem.VARIANT)


def test_the_refusal_crosses_temporal_by_its_name_and_keeps_its_status() -> None:
    # api/commands.refusal rebuilds a domain error from its ApplicationError type and message alone.
    rebuilt = DOMAIN_ERRORS["InvalidScorecard"]("criterion 4.2: not answered")
    assert isinstance(rebuilt, InvalidScorecard)
    assert rebuilt.http_status == 422


# -- totals -------------------------------------------------------------------------------------


def test_the_tourism_sheet_is_scored_in_the_cases_chosen() -> None:
    # Best everywhere is 100; 8 in case b option 2 (1 point of 3), 9 in case b option 3 (2 of 2), 15 in
    # case a option 0 (1 of 3): 100 − 2 − 0 − 2 = 96; all three in part C: 35 − 4 = 31.
    score = scored(TOURISM, {"8": ("b", 2), "9": ("b", 3), "15": ("a", 0)})
    assert (score.points["8"], score.points["9"], score.points["15"]) == (D(1), D(2), D(1))
    assert score.parts == {"A": 40, "B": 25, "C": 31}
    assert score.total == 96


def test_a_conditional_criterion_not_applicable_scores_nothing_and_is_recorded_so() -> None:
    # No story (5.1 option 0, 0 of 5 points) and so no 5.2 (worth 2): 100 − 5 − 2 = 93; part B 25 − 7.
    score = scored(FOOD, {"5.1": 0}, without=("5.2",))
    assert score.not_applicable == ("5.2",)
    assert "5.2" not in score.points
    assert (score.parts["B"], score.total) == (D(18), D(93))
    # The council: mean 93.00, band 5★; 5.1 must reach 5 points for 4★ and 5★ (its **** option), so
    # the rank is 3★, whose minimums (2.2, 2.3, 3.5, 4.1, 5.3, 9, 10 at their *** options) all hold.
    result = council_result(FOOD, [score] * 3, QD26)
    assert (result.mean, result.band_stars, result.stars) == (Decimal("93.00"), 5, 3)
    assert [(rank.stars, [s.criterion for s in rank.shortfalls]) for rank in result.held_back] == [
        (5, ["5.1"]),
        (4, ["5.1"]),
    ]


# -- the council's result: capped by a missed minimum ----------------------------------------------


def test_a_food_product_is_capped_from_5_to_4_stars_by_one_missed_minimum() -> None:
    # 8 members, every criterion at its best but 1.3 "Gia tăng giá trị" (5★ minimum: 3 points, its
    # ***** option; no 4★ minimum): five give it 3, three give it 2 (option 1).
    # Totals 5 × 100 + 3 × 99 = 797; mean 797 / 8 = 99.625 → 99.63: band 5★.
    # 1.3 on the council: (5 × 3 + 3 × 2) / 8 = 21 / 8 = 2.625 < 3: 5★ held back, short by 0.375 → 0.38
    # (rounded up), the criterion's mean shown as 2.62 (rounded down). 4★ imposes nothing on 1.3: 4★.
    scores = [scored(FOOD)] * 5 + [scored(FOOD, {"1.3": 1})] * 3
    result = council_result(FOOD, scores, QD26)
    assert (result.mean, result.band_stars, result.stars) == (Decimal("99.63"), 5, 4)
    (held,) = result.held_back
    (short,) = held.shortfalls
    assert (held.stars, short.criterion, short.minimum) == (5, "1.3", D(3))
    assert (short.council_points, short.points_short, short.sheets_meeting, short.sheets) == (
        Decimal("2.62"),
        Decimal("0.38"),
        5,
        8,
    )
    # Judged by a majority of sheets instead, 5 of 8 sheets reach 3 (more than half): 5★.
    assert council_result(FOOD, scores, QD26, MAJORITY).stars == 5
    # With only four sheets reaching it (4 of 8 is not more than half), one sheet more was needed.
    fewer = [scored(FOOD)] * 4 + [scored(FOOD, {"1.3": 1})] * 4
    (held,) = council_result(FOOD, fewer, QD26, MAJORITY).held_back
    assert (held.stars, held.shortfalls[0].sheets_short, held.shortfalls[0].points_short) == (5, 1, None)


def test_a_food_product_is_capped_from_4_to_3_stars_by_one_missed_minimum() -> None:
    # Best everywhere but 4.3 option 0 (−5), 4.2 option 0 (−3), 6.3 and 6.4 option 0 (−3 each), none of
    # them star-marked, and 2.1 "Nguồn gốc ý tưởng sản phẩm" option 1 (1 point of 3, −2):
    # 100 − 5 − 3 − 3 − 3 − 2 = 84: band 4★. 2.1's 4★ minimum is 3 (its **** option): held back;
    # 2.1 has no 3★ minimum and every 3★ minimum is at its best: 3★.
    score = scored(FOOD, {"4.3": 0, "4.2": 0, "6.3": 0, "6.4": 0, "2.1": 1})
    assert score.total == 84
    result = council_result(FOOD, [score] * 8, QD26)
    assert (result.mean, result.band_stars, result.stars) == (Decimal("84.00"), 4, 3)
    assert [(r.stars, [(s.criterion, s.points_short) for s in r.shortfalls]) for r in result.held_back] == [
        (4, [("2.1", Decimal("2.00"))])
    ]


def test_a_drink_is_capped_from_5_to_4_stars_by_one_missed_minimum() -> None:
    # Rượu trắng: best everywhere but 7 "TÍNH ĐỘC ĐÁO" option 2 (3 points of 5): 100 − 2 = 98, band 5★.
    # 7 needs 5 for 5★ (*****) and 3 for 4★ (****): 5★ held back by 2 points, 4★ holds.
    score = scored(DRINK, {"7": 2})
    result = council_result(DRINK, [score] * 7, QD26)
    assert (result.mean, result.band_stars, result.stars) == (Decimal("98.00"), 5, 4)
    assert [(r.stars, [(s.criterion, s.points_short) for s in r.shortfalls]) for r in result.held_back] == [
        (5, [("7", Decimal("2.00"))])
    ]


def test_a_drinks_mean_on_the_5_star_edge() -> None:
    # Each member drops 10 points on criteria without minimums: 1.2 and 1.3 option 0 (1 of 3: −2
    # each), 4.3 option 0 (0 of 5: −5), 1.6 option 0 (0 of 1: −1): 100 − 10 = 90.
    ninety = {"1.2": 0, "1.3": 0, "4.3": 0, "1.6": 0}
    assert scored(DRINK, ninety).total == 90
    # 8 × 90 = 720; 720 / 8 = 90.00: the 5★ band starts at 90 (half-open, lower edge in): 5★.
    assert council_result(DRINK, [scored(DRINK, ninety)] * 8, QD26).stars == 5
    # One member 1 point lower (4.2 option 2, 2 of 3): 719 / 8 = 89.875 → 89.88 half-up: 4★.
    lower = [scored(DRINK, ninety)] * 7 + [scored(DRINK, {**ninety, "4.2": 2})]
    result = council_result(DRINK, lower, QD26)
    assert (result.mean, result.band_stars, result.stars, result.held_back) == (Decimal("89.88"), 4, 4, ())


# The tourism sheet at 70 points: 1.2, 2.1, 2.3, 4.1 option 0 (1 of 5: −4 each), 1.3, 4.4, 13 option 0
# (1 of 4: −3 each), 14 option 0 (1 of 4: −3), 3.3 option 1 (2 of 4: −2): 100 − 16 − 9 − 3 − 2 = 70.
# 3.4 (3 of 3) and 3.5 (3 of 3) keep the only two minimums of this sheet.
SEVENTY: dict[str, Answer] = {
    "1.2": 0,
    "2.1": 0,
    "2.3": 0,
    "4.1": 0,
    "1.3": 0,
    "4.4": 0,
    "13": 0,
    "14": 0,
    "3.3": 1,
}


def test_a_tourism_mean_on_the_4_star_edge() -> None:
    seventy = scored(TOURISM, SEVENTY)
    sixty_nine = scored(TOURISM, {**SEVENTY, "17": 0})  # 17 option 0: 1 of 2, −1
    seventy_one = scored(TOURISM, {**SEVENTY, "3.3": 2, "17": 0})  # 3.3 back to 4 (+2), 17 −1
    assert (seventy.total, sixty_nine.total, seventy_one.total) == (D(70), D(69), D(71))
    # (71 + 70 + 69) / 3 = 70.00: the 4★ band starts at 70: 4★.
    result = council_result(TOURISM, [seventy_one, seventy, sixty_nine], QD26)
    assert (result.mean, result.stars) == (Decimal("70.00"), 4)
    # (70 + 70 + 69) / 3 = 69.666… → 69.67: 3★.
    result = council_result(TOURISM, [seventy, seventy, sixty_nine], QD26)
    assert (result.mean, result.stars) == (Decimal("69.67"), 3)


def test_a_tourism_service_is_capped_from_4_to_3_stars_by_one_missed_minimum() -> None:
    # The 70-point sheet with its cases chosen at their best (8 case b option 3: 3, 9 case b option 3:
    # 2, 15 case a option 1: 3), 3.4 "Tăng trưởng sản xuất kinh doanh" at option 0 (1 of 3: −2) and 3.3
    # back to its best (4 instead of 2: +2): 70 − 2 + 2 = 70, band 4★. 3.4 needs 3 for 4★; it has no
    # 3★ minimum, and 3.5 (3) meets its 3★ minimum of 1: 3★.
    score = scored(TOURISM, {**SEVENTY, "8": ("b", 3), "9": ("b", 3), "15": ("a", 1), "3.4": 0, "3.3": 2})
    assert score.total == 70
    result = council_result(TOURISM, [score] * 5, QD26)
    assert (result.band_stars, result.stars) == (4, 3)
    assert [(r.stars, [s.criterion for s in r.shortfalls]) for r in result.held_back] == [(4, ["3.4"])]


def test_two_criteria_below_the_4_star_minimum() -> None:
    # The example of the chair's board: 2.1 at option 1 (1 of 3, −2) and 5.1 at option 3 (3 of 5, −2):
    # 100 − 4 = 96, band 5★; both need their best for 4★ and 5★: 5★ and 4★ held back, 3★ awarded.
    result = council_result(FOOD, [scored(FOOD, {"2.1": 1, "5.1": 3})] * 7, QD26)
    assert (result.band_stars, result.stars) == (5, 3)
    assert [(r.stars, [s.criterion for s in r.shortfalls]) for r in result.held_back] == [
        (5, ["2.1", "5.1"]),
        (4, ["2.1", "5.1"]),
    ]


def test_a_council_without_scorecards_has_no_result() -> None:
    with pytest.raises(QuorumNotMet):
        council_result(FOOD, [], QD26)


# -- flat sheets: the older rulebooks ---------------------------------------------------------------


def test_a_flat_sheet_refuses_and_totals_exactly_as_the_part_scores_did() -> None:
    book = get_rulebook("qd148-1489-2025")
    sheet = flat_sheet(book)
    over = {
        "A": Choice(points=Decimal("41")),
        "B": Choice(points=Decimal(20)),
        "C": Choice(points=Decimal(30)),
    }
    with pytest.raises(ScoreOutOfRange) as flat:
        score_sheet(sheet, over, book)
    with pytest.raises(ScoreOutOfRange) as parts:
        # As SubmitScorecard records them (CanonicalScore: two decimals).
        check_parts({"A": Decimal("41.00"), "B": Decimal("20.00"), "C": Decimal("30.00")}, book)
    assert flat.value.message == parts.value.message
    error = refused(sheet, {"A": Choice(points=Decimal(1)), "B": Choice(points=Decimal(1))})
    assert (error.criterion, error.problem) == ("C", ScorecardProblem.MISSING)
    # No minimums on a flat sheet: the rank is the band, as before. Mean (75.75 + 69.5) / 2 = 72.625
    # → 72.63: 4★.
    scores = [
        flat_score(sheet, {"A": Decimal("30.25"), "B": Decimal(20), "C": Decimal("25.50")}),
        flat_score(sheet, {"A": Decimal(30), "B": Decimal("19.5"), "C": Decimal(20)}),
    ]
    result = council_result(sheet, scores, book)
    assert (result.mean, result.band_stars, result.stars) == (Decimal("72.63"), 4, 4)


# -- properties -----------------------------------------------------------------------------------


ALL_SHEETS = sorted(SHEETS["qd26-2026"].values(), key=lambda sheet: sheet.id)


@st.composite
def filled(draw: st.DrawFn, sheet: ScorecardSheet) -> dict[str, Choice]:
    """A sheet filled in as a member might: each applicable criterion answered, leaning more or less
    to the best options so that every band and the minimums of each rank come up."""
    answers: dict[str, Choice] = {}
    lean = draw(st.integers(0, 10))  # how often (in tenths) this member picks a criterion's best option
    for criterion in sheet.criteria:
        if not applies(criterion, sheet, answers):
            continue
        variant = draw(st.sampled_from([v.code for v in criterion.variants])) if criterion.variants else None
        options = criterion.variant_options(variant)
        best = max(options, key=lambda index: criterion.options[index].points)
        pick = best if draw(st.integers(0, 9)) < lean else draw(st.sampled_from(options))
        answers[criterion.code] = Choice(option=pick, variant=variant)
    return answers


@st.composite
def councils(draw: st.DrawFn) -> tuple[ScorecardSheet, list[dict[str, Choice]]]:
    sheet = draw(st.sampled_from(ALL_SHEETS))
    return sheet, draw(st.lists(filled(sheet), min_size=1, max_size=5))


PROPERTIES = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTIES
@given(councils())
def test_the_total_is_the_sum_of_the_chosen_options(
    council: tuple[ScorecardSheet, list[dict[str, Choice]]],
) -> None:
    sheet, answers = council
    for answer in answers:
        score = score_sheet(sheet, answer, QD26)
        chosen = {
            criterion.code: criterion.options[answer[criterion.code].option or 0]
            for criterion in sheet.criteria
            if criterion.code in answer
        }
        assert score.total == sum(option.points for option in chosen.values())
        for part in sheet.parts:
            assert score.parts[part.code] == sum(
                option.points for code, option in chosen.items() if sheet.part_of(code) == part.code
            )


@PROPERTIES
@given(councils(), st.sampled_from(list(MinimumJudgement)))
def test_the_awarded_rank_never_exceeds_the_band_and_its_minimums_hold(
    council: tuple[ScorecardSheet, list[dict[str, Choice]]], judged_by: MinimumJudgement
) -> None:
    sheet, answers = council
    scores = [score_sheet(sheet, answer, QD26) for answer in answers]
    result = council_result(sheet, scores, QD26, judged_by)
    assert result.band_stars == QD26.stars_for(result.mean)
    assert result.stars <= result.band_stars
    assert [rank.stars for rank in result.held_back] == list(range(result.band_stars, result.stars, -1))
    assert shortfalls(sheet, scores, result.stars, judged_by) == []


def _raised(sheet: ScorecardSheet, answer: dict[str, Choice], code: str, option: int) -> dict[str, Choice]:
    """``answer`` with ``code`` raised to ``option``; a criterion that now applies gets its lowest
    option, one that no longer applies is left out."""
    raised = {**answer, code: Choice(option=option, variant=answer[code].variant)}
    for criterion in sheet.criteria:
        if not applies(criterion, sheet, raised):
            raised.pop(criterion.code, None)
        elif criterion.code not in raised:
            variant = criterion.variants[0].code if criterion.variants else None
            lowest = min(
                criterion.variant_options(variant), key=lambda index: criterion.options[index].points
            )
            raised[criterion.code] = Choice(option=lowest, variant=variant)
    return raised


@PROPERTIES
@given(councils(), st.data())
def test_raising_any_option_never_lowers_the_rank(
    council: tuple[ScorecardSheet, list[dict[str, Choice]]], data: st.DataObject
) -> None:
    # One member raises answers one at a time, in a drawn order, each to a drawn higher option, until
    # none can be raised: along the way the member's total rises at each step and the council's
    # rank never falls, however the minimums are judged (the chain crosses every band it reaches).
    sheet, answers = council
    member = data.draw(st.integers(0, len(answers) - 1), label="member")
    scores = [score_sheet(sheet, answer, QD26) for answer in answers]
    ranks = {
        judged_by: council_result(sheet, scores, QD26, judged_by).stars for judged_by in MinimumJudgement
    }
    answer = answers[member]
    for code in data.draw(st.permutations([criterion.code for criterion in sheet.criteria]), label="order"):
        choice, criterion = answer.get(code), sheet.criterion(code)
        assert criterion is not None
        if choice is None or choice.option is None:
            continue  # not applicable (yet)
        now = criterion.options[choice.option].points
        higher = [i for i in criterion.variant_options(choice.variant) if criterion.options[i].points > now]
        if not higher:
            continue
        answer = _raised(sheet, answer, code, data.draw(st.sampled_from(higher), label=code))
        raised = score_sheet(sheet, answer, QD26)
        assert raised.total > scores[member].total
        scores[member] = raised
        for judged_by in MinimumJudgement:
            stars = council_result(sheet, scores, QD26, judged_by).stars
            assert stars >= ranks[judged_by], (code, judged_by)
            ranks[judged_by] = stars
