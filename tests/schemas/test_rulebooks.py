"""The three shipped rulebooks against the table of ocop.md §3, and the model that validates them."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources
from itertools import pairwise
from typing import Any

import pytest
from pydantic import ValidationError

from schemas.rulebook import Level, Quorum, Rulebook
from schemas.rulebooks import (
    DEFAULT_RULEBOOK_ID,
    RULEBOOKS,
    UnknownRulebook,
    get_rulebook,
    rulebook_in_force,
)

IDS = ["qd1048-2019", "qd148-2023", "qd148-1489-2025"]


def _data(rulebook_id: str) -> dict[str, Any]:
    """The shipped JSON of a rulebook, as a dict to alter for invalid variants."""
    text = resources.files("schemas.rulebooks").joinpath(f"{rulebook_id}.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# -- the three ship and validate -----------------------------------------------------------------


def test_exactly_the_three_rulebooks_of_section_3_ship() -> None:
    assert sorted(RULEBOOKS) == sorted(IDS)


@pytest.mark.parametrize("rulebook_id", IDS)
def test_each_shipped_file_validates_and_names_itself(rulebook_id: str) -> None:
    book = Rulebook.model_validate(_data(rulebook_id))
    assert book.id == rulebook_id
    assert book == get_rulebook(rulebook_id)


def test_the_default_for_new_journeys_is_qd148_1489_2025_and_has_no_end() -> None:
    assert DEFAULT_RULEBOOK_ID == "qd148-1489-2025"
    assert get_rulebook(DEFAULT_RULEBOOK_ID).in_force_until is None


def test_an_unknown_rulebook_id_is_refused() -> None:
    with pytest.raises(UnknownRulebook):
        get_rulebook("qd999-2030")


# -- the table of §3 ----------------------------------------------------------------------------

# id: (in force from, until, intake level, commune report required, first council level)
PERIODS = {
    "qd1048-2019": (date(2019, 8, 21), date(2023, 2, 23), Level.DISTRICT, False),
    "qd148-2023": (date(2023, 2, 24), date(2025, 7, 5), Level.COMMUNE, False),
    "qd148-1489-2025": (date(2025, 7, 6), None, Level.COMMUNE, True),
}

# id: [(level, certifies, forward_at, certify_while_forwarding), ...] lowest level first (§2 and §3).
LEVELS: dict[str, list[tuple[Level, list[int], Decimal | None, bool]]] = {
    "qd1048-2019": [
        (Level.DISTRICT, [], Decimal(50), False),
        (Level.PROVINCE, [3, 4], Decimal(90), True),
        (Level.CENTRAL, [5], None, False),
    ],
    "qd148-2023": [
        (Level.DISTRICT, [3], Decimal(70), False),
        (Level.PROVINCE, [3, 4], Decimal(90), True),
        (Level.CENTRAL, [5], None, False),
    ],
    "qd148-1489-2025": [
        (Level.PROVINCE, [3, 4], Decimal(90), True),
        (Level.CENTRAL, [5], None, False),
    ],
}

# id: part maxima A, B, C (§3 notes).
PARTS_MAX = {
    "qd1048-2019": (Decimal(35), Decimal(25), Decimal(40)),
    "qd148-2023": (Decimal(40), Decimal(25), Decimal(35)),
    "qd148-1489-2025": (Decimal(40), Decimal(25), Decimal(35)),
}


@pytest.mark.parametrize("rulebook_id", IDS)
def test_dates_in_force_intake_and_commune_report_match_the_table(rulebook_id: str) -> None:
    book = get_rulebook(rulebook_id)
    start, until, intake, report = PERIODS[rulebook_id]
    assert (book.in_force_from, book.in_force_until) == (start, until)
    assert book.intake_level == intake
    assert book.commune_report_required is report


@pytest.mark.parametrize("rulebook_id", IDS)
def test_levels_what_they_certify_and_where_they_forward_match_the_table(rulebook_id: str) -> None:
    book = get_rulebook(rulebook_id)
    rows = [
        (rules.level, rules.certifies, rules.forward_at, rules.certify_while_forwarding)
        for rules in book.levels
    ]
    assert rows == LEVELS[rulebook_id]
    assert book.first_level == LEVELS[rulebook_id][0][0]


def test_qd148_1489_2025_has_no_district_level() -> None:
    book = get_rulebook("qd148-1489-2025")
    with pytest.raises(KeyError):
        book.level_rules(Level.DISTRICT)


@pytest.mark.parametrize("rulebook_id", IDS)
def test_next_level_follows_the_order_of_the_table(rulebook_id: str) -> None:
    book = get_rulebook(rulebook_id)
    names = [row[0] for row in LEVELS[rulebook_id]]
    for lower, upper in pairwise(names):
        assert book.next_level(lower) == upper
    assert book.next_level(Level.CENTRAL) is None


@pytest.mark.parametrize("rulebook_id", IDS)
def test_part_maxima_match_the_table_and_sum_to_100(rulebook_id: str) -> None:
    book = get_rulebook(rulebook_id)
    assert (book.scorecard["A"], book.scorecard["B"], book.scorecard["C"]) == PARTS_MAX[rulebook_id]
    assert sum(book.scorecard.values()) == 100
    assert book.score_decimals == 2


@pytest.mark.parametrize("rulebook_id", IDS)
def test_common_rules_bands_recognizable_ranks_validity_and_notice(rulebook_id: str) -> None:
    book = get_rulebook(rulebook_id)
    # [0,30) 1★, [30,50) 2★, [50,70) 3★, [70,90) 4★, [90,100] 5★; only 3★–5★ recognized.
    assert [(band.stars, band.lower) for band in book.star_bands] == [
        (1, Decimal(0)),
        (2, Decimal(30)),
        (3, Decimal(50)),
        (4, Decimal(70)),
        (5, Decimal(90)),
    ]
    assert book.recognizable_stars == [3, 4, 5]
    assert book.certificate_validity_months == 36
    assert book.expiry_notice_days == 30


@pytest.mark.parametrize("rulebook_id", IDS)
def test_default_deadlines_are_15_10_15_working_days(rulebook_id: str) -> None:
    deadlines = get_rulebook(rulebook_id).deadlines
    assert (deadlines.dossier_completion.amount, deadlines.dossier_completion.unit) == (15, "working_days")
    assert (deadlines.commune_report.amount, deadlines.commune_report.unit) == (10, "working_days")
    assert (deadlines.recognition.amount, deadlines.recognition.unit) == (15, "working_days")


@pytest.mark.parametrize("rulebook_id", IDS)
def test_quorum_is_two_thirds_with_the_chair_and_five_centrally_dispersion_ten(rulebook_id: str) -> None:
    book = get_rulebook(rulebook_id)
    for rules in book.levels:
        assert rules.dispersion_limit == 10
        assert rules.quorum.chair_required
        if rules.level == Level.CENTRAL:
            assert rules.quorum.min_present == 5
        else:
            quorum = rules.quorum
            assert (quorum.numerator, quorum.denominator, quorum.min_present) == (2, 3, None)


@pytest.mark.parametrize("rulebook_id", IDS)
def test_six_product_groups_and_only_tourism_services_need_no_samples(rulebook_id: str) -> None:
    groups = get_rulebook(rulebook_id).product_groups
    assert len(groups) == 6
    assert len({group.code for group in groups}) == 6
    without_samples = [group.code for group in groups if not group.needs_samples]
    assert without_samples == [groups[-1].code]
    assert "tourism" in without_samples[0]


def test_qd148_groups_are_the_six_of_the_2023_decision() -> None:
    for rulebook_id in ("qd148-2023", "qd148-1489-2025"):
        codes = [group.code for group in get_rulebook(rulebook_id).product_groups]
        assert codes == ["food", "drinks", "herbal", "handicrafts", "ornamental", "tourism"]


# -- which rulebook a day pins -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2019, 8, 21), "qd1048-2019"),
        (date(2023, 2, 23), "qd1048-2019"),
        (date(2023, 2, 24), "qd148-2023"),
        (date(2025, 7, 5), "qd148-2023"),
        (date(2025, 7, 6), "qd148-1489-2025"),
        (date(2040, 1, 1), "qd148-1489-2025"),
    ],
)
def test_rulebook_in_force_on_boundary_days(day: date, expected: str) -> None:
    assert rulebook_in_force(day).id == expected


def test_no_rulebook_before_the_first_one() -> None:
    with pytest.raises(UnknownRulebook):
        rulebook_in_force(date(2019, 8, 20))


def test_periods_do_not_overlap() -> None:
    # Each day from the first rulebook to a day after the last boundary is covered by exactly one.
    day = date(2019, 8, 21)
    while day <= date(2025, 7, 31):
        assert sum(book.in_force_on(day) for book in RULEBOOKS.values()) == 1, day
        day = date.fromordinal(day.toordinal() + 1)


# -- invalid rulebooks are rejected ----------------------------------------------------------------


def test_parts_not_summing_to_100_are_rejected() -> None:
    data = _data("qd148-1489-2025")
    data["scorecard"] = {"A": "40", "B": "25", "C": "34"}
    with pytest.raises(ValidationError, match="summing to 100"):
        Rulebook.model_validate(data)


def test_a_missing_part_is_rejected() -> None:
    data = _data("qd148-1489-2025")
    data["scorecard"] = {"A": "75", "B": "25"}
    with pytest.raises(ValidationError, match="parts A, B, C"):
        Rulebook.model_validate(data)


def test_a_last_level_that_forwards_is_rejected() -> None:
    data = _data("qd148-1489-2025")
    data["levels"][-1]["forward_at"] = "95"
    with pytest.raises(ValidationError, match="last level cannot forward"):
        Rulebook.model_validate(data)


def test_a_last_level_that_certifies_while_forwarding_is_rejected() -> None:
    data = _data("qd148-1489-2025")
    data["levels"][-1]["certify_while_forwarding"] = True
    with pytest.raises(ValidationError, match="last level cannot forward"):
        Rulebook.model_validate(data)


def test_certifying_an_unrecognizable_rank_is_rejected() -> None:
    data = _data("qd148-1489-2025")
    data["levels"][0]["certifies"] = [2, 3, 4]
    with pytest.raises(ValidationError, match="cannot be recognized"):
        Rulebook.model_validate(data)


def test_certifying_while_forwarding_without_certifying_is_rejected() -> None:
    data = _data("qd148-1489-2025")
    data["levels"][0]["certifies"] = []
    with pytest.raises(ValidationError, match="certifies nothing"):
        Rulebook.model_validate(data)


def test_a_level_twice_is_rejected() -> None:
    data = _data("qd148-1489-2025")
    data["levels"] = [data["levels"][0], data["levels"][0], data["levels"][1]]
    with pytest.raises(ValidationError, match="a level appears once"):
        Rulebook.model_validate(data)


def test_star_bands_out_of_order_or_not_from_zero_are_rejected() -> None:
    data = _data("qd148-1489-2025")
    data["star_bands"][0]["lower"] = "5"
    with pytest.raises(ValidationError, match="start at 0"):
        Rulebook.model_validate(data)
    data = _data("qd148-1489-2025")
    data["star_bands"][2]["lower"] = "80"
    with pytest.raises(ValidationError, match="ascend"):
        Rulebook.model_validate(data)


def test_a_rulebook_is_frozen() -> None:
    book = get_rulebook("qd148-1489-2025")
    with pytest.raises(ValidationError):
        book.expiry_notice_days = 1  # type: ignore[misc]  # the point: frozen models refuse this


@pytest.mark.parametrize(
    ("voting", "required"),
    # ceil(2/3 × n): 8 → 16/3 = 5.33 → 6; 9 → 6; 7 → 14/3 = 4.67 → 5; 6 → 4; 3 → 2; 1 → 1.
    [(8, 6), (9, 6), (7, 5), (6, 4), (3, 2), (1, 1)],
)
def test_quorum_is_two_thirds_rounded_up(voting: int, required: int) -> None:
    assert Quorum().required(voting) == required


def test_a_fixed_quorum_ignores_the_council_size() -> None:
    assert Quorum(min_present=5).required(7) == 5
    assert Quorum(min_present=5).required(12) == 5
