"""Council arithmetic (ocop.md §3–§4): parts, totals, mean, bands, quorum and dispersion."""

from __future__ import annotations

from decimal import Decimal

import pytest

from schemas.errors import DispersionTooWide, QuorumNotMet, ScoreOutOfRange
from schemas.rulebook import Level, Part, Quorum, Rulebook
from schemas.rulebooks import get_rulebook
from tests.factories import central_council, council, district_council, parts, province_council
from workflows.scoring import (
    check_finalizable,
    check_parts,
    council_mean,
    dispersion,
    dispersion_limit,
    quorum_required,
)

QD148 = get_rulebook("qd148-1489-2025")
QD148_2023 = get_rulebook("qd148-2023")
QD1048 = get_rulebook("qd1048-2019")
ALL = [QD1048, QD148_2023, QD148]


def _d(values: list[str]) -> list[Decimal]:
    return [Decimal(value) for value in values]


# -- parts and totals ---------------------------------------------------------------------------


def test_a_total_is_the_sum_of_the_parts() -> None:
    assert check_parts(parts("38.25", "20.5", "30.01"), QD148) == Decimal("88.76")


@pytest.mark.parametrize("book", ALL, ids=lambda book: str(book.id))
def test_each_part_may_be_scored_from_zero_to_its_maximum(book: Rulebook) -> None:
    assert check_parts(dict(book.scorecard), book) == 100
    assert check_parts(parts("0", "0", "0"), book) == 0


@pytest.mark.parametrize(
    ("scores", "book_id"),
    [
        (("40.01", "0", "0"), "qd148-1489-2025"),  # A above 40
        (("0", "25.01", "0"), "qd148-1489-2025"),  # B above 25
        (("0", "0", "35.01"), "qd148-1489-2025"),  # C above 35
        (("35.01", "0", "0"), "qd1048-2019"),  # A above 35
        (("0", "0", "40.01"), "qd1048-2019"),  # C above 40
        (("-0.01", "10", "10"), "qd148-1489-2025"),  # negative
        (("10.125", "10", "10"), "qd148-1489-2025"),  # three decimals
        (("10", "10", "NaN"), "qd148-1489-2025"),  # not a number
        (("10", "10", "Infinity"), "qd148-1489-2025"),
    ],
)
def test_a_part_out_of_range_is_refused(scores: tuple[str, str, str], book_id: str) -> None:
    with pytest.raises(ScoreOutOfRange):
        check_parts(parts(*scores), get_rulebook(book_id))


def test_a_value_with_trailing_zero_decimals_is_still_two_decimals() -> None:
    assert check_parts(parts("10.500", "10", "10"), QD148) == Decimal("30.5")


def test_a_missing_part_is_refused() -> None:
    scores: dict[Part, Decimal] = {"A": Decimal(30), "B": Decimal(20)}
    with pytest.raises(ScoreOutOfRange):
        check_parts(scores, QD148)


def test_the_maxima_differ_between_qd148_and_qd1048() -> None:
    # A = 38 is within qd148's A40 but above qd1048's A35; C = 38 the other way round (C35 / C40).
    assert check_parts(parts("38", "20", "30"), QD148) == 88
    with pytest.raises(ScoreOutOfRange):
        check_parts(parts("38", "20", "30"), QD1048)
    assert check_parts(parts("30", "20", "38"), QD1048) == 88
    with pytest.raises(ScoreOutOfRange):
        check_parts(parts("30", "20", "38"), QD148)


# -- mean and bands -----------------------------------------------------------------------------


def test_the_mean_is_rounded_half_up_to_two_decimals() -> None:
    # (49.99 + 50.00) / 2 = 49.995 → 50.00 (truncation would give 49.99).
    assert council_mean(_d(["49.99", "50.00"])) == Decimal("50.00")
    # (70.00 + 70.01) / 2 = 70.005 → 70.01 (half-even would give 70.00).
    assert council_mean(_d(["70.00", "70.01"])) == Decimal("70.01")
    # (80 + 80 + 81) / 3 = 80.3333… → 80.33; (80 + 81 + 81) / 3 = 80.6666… → 80.67.
    assert council_mean(_d(["80", "80", "81"])) == Decimal("80.33")
    assert council_mean(_d(["80", "81", "81"])) == Decimal("80.67")


def test_rounding_happens_before_banding() -> None:
    mean = council_mean(_d(["49.99", "50.00"]))
    assert QD148.stars_for(mean) == 3  # 50.00 is 3★; the unrounded 49.995 would be 2★
    assert QD148.stars_for(Decimal("49.995")) == 2


def test_no_scorecards_no_mean() -> None:
    with pytest.raises(QuorumNotMet):
        council_mean([])


@pytest.mark.parametrize("book", ALL, ids=lambda book: str(book.id))
@pytest.mark.parametrize(
    ("mean", "stars"),
    [
        ("0", 1),
        ("29.99", 1),
        ("30", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("70", 4),
        ("89.99", 4),
        ("90", 5),
        ("100", 5),
    ],
)
def test_star_bands_are_half_open_at_30_50_70_90(book: Rulebook, mean: str, stars: int) -> None:
    assert book.stars_for(Decimal(mean)) == stars


# -- quorum -----------------------------------------------------------------------------------


def test_quorum_of_nine_seats_with_a_secretary_is_six() -> None:
    # 9 seats − secretary = 8 voting members; ⌈8 × 2/3⌉ = ⌈5.33⌉ = 6.
    roster = province_council()
    assert len(roster.voting_member_ids) == 8
    assert quorum_required(roster, QD148) == 6


def test_members_with_a_declared_conflict_leave_the_quorum_base() -> None:
    # 8 voting members − 2 with a conflict = 6 eligible; ⌈6 × 2/3⌉ = 4.
    assert quorum_required(province_council(conflicts=(3, 4)), QD148) == 4


def test_the_central_council_needs_five_whatever_its_size() -> None:
    assert quorum_required(central_council(), QD148) == 5  # 5 of 7
    # A 9-seat central council: two thirds would be 6, the rulebook says 5.
    assert quorum_required(central_council(size=9), QD148) == 5


def test_a_council_may_override_the_quorum() -> None:
    roster = council("HD-X", Level.PROVINCE, "38", size=9, quorum=Quorum(numerator=1, denominator=2))
    assert quorum_required(roster, QD148) == 4  # ⌈8 / 2⌉


def test_district_councils_use_two_thirds() -> None:
    # 7 seats − secretary = 6 voting; ⌈4⌉ = 4.
    assert quorum_required(district_council(), QD148_2023) == 4


def _totals(roster_ids: list[str], values: list[str]) -> dict[str, Decimal]:
    return dict(zip(roster_ids, _d(values), strict=False))


def test_finalizable_with_quorum_chair_and_narrow_dispersion() -> None:
    roster = province_council()
    check_finalizable(roster, _totals(roster.voting_member_ids, ["80"] * 6), QD148)


def test_quorum_not_met_with_five_of_six() -> None:
    roster = province_council()
    with pytest.raises(QuorumNotMet):
        check_finalizable(roster, _totals(roster.voting_member_ids, ["80"] * 5), QD148)


def test_the_chair_must_be_among_those_present() -> None:
    roster = province_council()
    without_chair = roster.voting_member_ids[1:]  # seven members, the chair left out
    with pytest.raises(QuorumNotMet, match="chair"):
        check_finalizable(roster, _totals(without_chair, ["80"] * 7), QD148)


# -- dispersion -------------------------------------------------------------------------------


def test_dispersion_is_highest_minus_lowest() -> None:
    assert dispersion(_d(["80", "90.01", "85"])) == Decimal("10.01")
    assert dispersion([]) == 0


@pytest.mark.parametrize(
    ("values", "allowed"),
    [
        (["80", "90", "85", "85", "85", "85"], True),  # exactly 10
        (["80", "90.01", "85", "85", "85", "85"], False),  # 10.01
        (["79.99", "90", "85", "85", "85", "85"], False),
    ],
)
def test_the_chair_cannot_finalize_while_totals_differ_by_more_than_ten(
    values: list[str], allowed: bool
) -> None:
    roster = province_council()
    totals = _totals(roster.voting_member_ids, values)
    if allowed:
        check_finalizable(roster, totals, QD148)
    else:
        with pytest.raises(DispersionTooWide):
            check_finalizable(roster, totals, QD148)


def test_a_council_may_override_the_dispersion_limit() -> None:
    roster = province_council().model_copy(update={"dispersion_limit": Decimal(5)})
    assert dispersion_limit(roster, QD148) == 5
    assert dispersion_limit(province_council(), QD148) == 10
    with pytest.raises(DispersionTooWide):
        check_finalizable(roster, _totals(roster.voting_member_ids, ["80", "86", *["83"] * 4]), QD148)


def test_quorum_is_checked_before_dispersion() -> None:
    roster = province_council()
    with pytest.raises(QuorumNotMet):
        check_finalizable(roster, _totals(roster.voting_member_ids, ["40", "90"]), QD148)
