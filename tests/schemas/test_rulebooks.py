"""The shipped rulebooks against the tables of ocop.md §3 and §7, and the model that validates them."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources
from itertools import pairwise
from typing import Any

import pytest
from pydantic import ValidationError

from schemas.rulebook import AuthorityAction, DeadlineUnit, Level, Quorum, Rulebook
from schemas.rulebooks import (
    BEFORE_QD26,
    CURRENT,
    DEFAULT_RULEBOOK_ID,
    RULEBOOKS,
    RulebookTable,
    UnknownRulebook,
    get_rulebook,
    rulebook_in_force,
)
from workflows.calendar import due_date

IDS = ["qd1048-2019", "qd148-2023", "qd148-1489-2025", "qd26-2026"]


def _data(rulebook_id: str) -> dict[str, Any]:
    """The shipped JSON of a rulebook, as a dict to alter for invalid variants."""
    text = resources.files("schemas.rulebooks").joinpath(f"{rulebook_id}.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# -- the three ship and validate -----------------------------------------------------------------


def test_exactly_the_rulebooks_of_sections_3_and_7_ship() -> None:
    assert sorted(RULEBOOKS) == sorted(IDS)


@pytest.mark.parametrize("rulebook_id", IDS)
def test_each_shipped_file_validates_and_names_itself(rulebook_id: str) -> None:
    book = Rulebook.model_validate(_data(rulebook_id))
    assert book.id == rulebook_id
    assert book == get_rulebook(rulebook_id)


def test_the_default_for_new_journeys_is_qd26_2026_and_has_no_end() -> None:
    assert DEFAULT_RULEBOOK_ID == "qd26-2026"
    assert get_rulebook(DEFAULT_RULEBOOK_ID).in_force_until is None
    assert rulebook_in_force(date.today()).id == DEFAULT_RULEBOOK_ID


def test_an_unknown_rulebook_id_is_refused() -> None:
    with pytest.raises(UnknownRulebook):
        get_rulebook("qd999-2030")


# -- the table of §3 ----------------------------------------------------------------------------

# id: (in force from, until, intake level, commune report required, first council level)
PERIODS = {
    "qd1048-2019": (date(2019, 8, 21), date(2023, 2, 23), Level.DISTRICT, False),
    "qd148-2023": (date(2023, 2, 24), date(2025, 7, 5), Level.COMMUNE, False),
    "qd148-1489-2025": (date(2025, 7, 6), date(2026, 5, 21), Level.COMMUNE, True),
    "qd26-2026": (date(2026, 5, 22), None, Level.COMMUNE, True),
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
    # §7: the province no longer certifies 4★ while the central council decides.
    "qd26-2026": [
        (Level.PROVINCE, [3, 4], Decimal(90), False),
        (Level.CENTRAL, [5], None, False),
    ],
}

# id: part maxima A, B, C (§3 notes).
PARTS_MAX = {
    "qd1048-2019": (Decimal(35), Decimal(25), Decimal(40)),
    "qd148-2023": (Decimal(40), Decimal(25), Decimal(35)),
    "qd148-1489-2025": (Decimal(40), Decimal(25), Decimal(35)),
    "qd26-2026": (Decimal(40), Decimal(25), Decimal(35)),
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


@pytest.mark.parametrize("rulebook_id", IDS[:3])
def test_default_deadlines_are_15_10_15_working_days(rulebook_id: str) -> None:
    # The three older rulebooks (§3); qd26-2026 gives the commune 15 (below).
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
    # qd26-2026 keeps them until its 26 product sets come with the criterion sheets.
    for rulebook_id in ("qd148-2023", "qd148-1489-2025", "qd26-2026"):
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
        (date(2026, 5, 21), "qd148-1489-2025"),
        (date(2026, 5, 22), "qd26-2026"),
        (date(2040, 1, 1), "qd26-2026"),
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
    while day <= date(2026, 12, 31):
        assert sum(book.in_force_on(day) for book in RULEBOOKS.values()) == 1, day
        day = date.fromordinal(day.toordinal() + 1)


def test_shipped_ranges_follow_one_another_without_gap_or_overlap() -> None:
    # Over every shipped rulebook, by start: each ends the day before the next starts; only the
    # last is open-ended (ocop.md §7: qd148-1489-2025 runs 2025-07-06 -> 2026-05-21).
    books = sorted(RULEBOOKS.values(), key=lambda book: book.in_force_from)
    for earlier, later in pairwise(books):
        assert earlier.in_force_until is not None, earlier.id
        assert date.fromordinal(earlier.in_force_until.toordinal() + 1) == later.in_force_from, earlier.id
    assert books[-1].in_force_until is None


def test_a_table_of_overlapping_rulebooks_is_refused() -> None:
    open_ended = get_rulebook("qd148-1489-2025").model_copy(update={"in_force_until": None})
    with pytest.raises(ValueError, match="in force on the same days"):
        RulebookTable({**RULEBOOKS, open_ended.id: open_ended})


def test_the_table_before_qd26_is_the_one_running_journeys_were_decided_with() -> None:
    # Before qd26-2026 shipped, qd148-1489-2025 had no end: a journey whose steps were recorded
    # then replays with it (workflows/journey.py, QD26_RULEBOOK_TABLE).
    assert "qd26-2026" not in BEFORE_QD26.books
    assert BEFORE_QD26.in_force(date(2026, 11, 23)).id == "qd148-1489-2025"
    assert BEFORE_QD26.in_force(date(2024, 1, 1)).id == "qd148-2023"
    assert CURRENT.in_force(date(2026, 11, 23)).id == "qd26-2026"


# -- QĐ 26/2026 (ocop.md §7) -------------------------------------------------------------------


def test_qd26_commune_has_15_working_days_and_its_report_is_required() -> None:
    book = get_rulebook("qd26-2026")
    assert book.intake_level == Level.COMMUNE
    assert book.commune_report_required
    rule = book.deadlines.commune_report
    assert (rule.amount, rule.unit) == (15, DeadlineUnit.WORKING_DAYS)


def test_qd26_authorities_recognize_approve_and_revoke_by_level() -> None:
    book = get_rulebook("qd26-2026")
    recognize, approve, revoke = AuthorityAction.RECOGNIZE, AuthorityAction.APPROVE, AuthorityAction.REVOKE
    assert book.authority_level(recognize, level=Level.PROVINCE, stars=4) == Level.PROVINCE
    assert book.authority_level(recognize, level=Level.CENTRAL, stars=5) == Level.CENTRAL
    assert book.authority_level(approve, level=Level.PROVINCE, stars=5) == Level.PROVINCE
    assert [book.authority_level(revoke, level=Level.CENTRAL, stars=k) for k in (3, 4, 5)] == [
        Level.PROVINCE,
        Level.PROVINCE,
        Level.CENTRAL,
    ]
    province = book.level_rules(Level.PROVINCE)
    assert province.approve_before_forwarding
    assert not province.certify_while_forwarding
    assert book.level_rules(Level.CENTRAL).unrecognized_returns_to == Level.PROVINCE
    assert book.scorecard_sheet == "qd26-2026"  # its sheets of Phụ lục II (schemas.scorecard)


@pytest.mark.parametrize(
    ("submitted", "accepted", "pinned"),
    [
        # Art. 12.2: the submission day decides, not the acceptance.
        (date(2026, 5, 21), date(2026, 5, 21), "qd148-1489-2025"),
        (date(2026, 5, 21), date(2026, 6, 10), "qd148-1489-2025"),
        (date(2026, 5, 22), date(2026, 5, 22), "qd26-2026"),
        (None, date(2026, 6, 10), "qd26-2026"),
        # Submitted under qd148-2023 and still not accepted: the 2021-2025 rules as they stood.
        (date(2025, 3, 3), date(2026, 6, 10), "qd148-1489-2025"),
        # Accepted before the cut-over: the day's rulebook, as always.
        (date(2025, 3, 3), date(2025, 7, 10), "qd148-1489-2025"),
    ],
)
def test_a_dossier_pins_by_its_submission_day_across_the_passage(
    submitted: date | None, accepted: date, pinned: str
) -> None:
    assert CURRENT.for_dossier(submitted, accepted).id == pinned


def test_the_passage_deadlines_are_60_and_30_days_from_2026_05_22() -> None:
    passage = get_rulebook("qd26-2026").passage
    assert passage is not None
    assert passage.cut_over == date(2026, 5, 22)
    assert set(passage.succeeds) == {"qd148-2023", "qd148-1489-2025"}
    assert due_date(passage.cut_over, passage.first_evaluation) == date(2026, 7, 21)
    assert due_date(passage.cut_over, passage.re_evaluation) == date(2026, 6, 21)


def test_a_passage_cuts_over_on_its_rulebooks_first_day() -> None:
    data = _data("qd26-2026")
    data["passage"]["cut_over"] = "2026-05-21"
    with pytest.raises(ValidationError, match="first day"):
        Rulebook.model_validate(data)


def test_approving_before_forwarding_needs_a_level_that_simply_forwards() -> None:
    data = _data("qd26-2026")
    data["levels"][0]["certify_while_forwarding"] = True
    with pytest.raises(ValidationError, match="does not simply forward"):
        Rulebook.model_validate(data)


def test_old_rulebook_files_load_without_the_new_fields() -> None:
    # The fields qd26-2026 added are optional: a rulebook file written before them still loads.
    data = _data("qd148-1489-2025")
    assert "passage" not in data
    assert "scorecard_sheet" not in data
    assert "approve" not in data["authorities"]
    book = Rulebook.model_validate(data)
    assert book.passage is None
    assert not book.levels[0].approve_before_forwarding


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
