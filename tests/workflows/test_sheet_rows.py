"""A filled sheet line by line as Phụ lục II prints it (``workflows.sheets.sheet_rows``): the rows the
printable page and the PDF both lay out."""

from __future__ import annotations

from decimal import Decimal as D

from schemas.journey import Scorecard
from schemas.rulebooks import get_rulebook
from schemas.scorecard import SHEETS, Choice, flat_sheet
from tests.factories import parts
from tests.scoresheets import filled
from workflows.sheets import SheetRow, score_sheet, scorecard_rows, sheet_rows

QD26 = get_rulebook("qd26-2026")
FOOD = SHEETS["qd26-2026"]["I.1.a"]
TOURISM = SHEETS["qd26-2026"]["VI.1"]


def _row(rows: list[SheetRow], kind: str, code: str) -> SheetRow:
    return next(row for row in rows if row.kind == kind and row.code == code)


def test_a_filled_food_sheet_prints_its_parts_groups_criteria_options_and_total() -> None:
    # No story (5.1 option 0, 0 of 5) and so no 5.2: part B is 25 − 5 − 2 = 18, group 5 12 − 7 = 5,
    # the total 100 − 7 = 93.
    choices = filled(FOOD, {"5.1": Choice(option=0)})
    rows = sheet_rows(FOOD, score_sheet(FOOD, choices, QD26), choices)
    assert [row.kind for row in rows][:2] == ["part", "group"]
    assert [row.code for row in rows if row.kind == "part"] == ["A", "B", "C"]
    assert (rows[-1].kind, rows[-1].points, rows[-1].max_points) == ("total", D(93), D(100))
    assert (_row(rows, "part", "B").points, _row(rows, "part", "B").max_points) == (D(18), D(25))
    assert (_row(rows, "group", "5").points, _row(rows, "group", "5").max_points) == (D(5), D(12))
    story = _row(rows, "criterion", "5.1")
    assert (story.points, story.max_points, story.depth) == (D(0), D(5), 2)
    options = rows[rows.index(story) + 1 : rows.index(story) + 6]
    assert [row.kind for row in options] == ["option"] * 5
    assert [row.chosen for row in options] == [True, False, False, False, False]
    assert [row.star_marker for row in options] == [None, None, None, None, 4]  # **** kept
    assert options[0].text == "Không có câu chuyện sản phẩm"
    structure = _row(rows, "criterion", "5.2")
    assert (structure.not_applicable, structure.points) == (True, None)
    # Every criterion of the sheet is printed once, in the sheet's order.
    assert [row.code for row in rows if row.kind == "criterion"] == [c.code for c in FOOD.criteria]


def test_a_tourism_sheet_prints_each_case_of_a_criterion_with_its_options_the_chosen_case_marked() -> None:
    choices = filled(TOURISM, {"8": Choice(option=2, variant="b")})
    rows = sheet_rows(TOURISM, score_sheet(TOURISM, choices, QD26), choices)
    at = rows.index(_row(rows, "criterion", "8"))
    block = rows[at + 1 : at + 7]
    assert [(row.kind, row.code) for row in block] == [
        ("variant", "a"),
        ("option", None),
        ("option", None),
        ("variant", "b"),
        ("option", None),
        ("option", None),
    ]
    assert [row.chosen for row in block] == [False, False, False, True, True, False]
    assert _row(rows, "criterion", "8").points == D(1)


def test_a_recorded_scorecard_is_printed_from_what_was_recorded() -> None:
    choices = filled(FOOD)
    score = score_sheet(FOOD, choices, QD26)
    card = Scorecard(
        member_id="m1",
        parts=score.parts,
        total=score.total,
        sheet=FOOD.id,
        choices=choices,
        points=score.points,
        not_applicable=list(score.not_applicable),
    )
    assert scorecard_rows(FOOD, card) == sheet_rows(FOOD, score, choices)
    assert scorecard_rows(FOOD, card)[-1].points == D(100)


def test_a_part_by_part_scorecard_prints_its_three_parts_and_total() -> None:
    sheet = flat_sheet(get_rulebook("qd148-1489-2025"))
    card = Scorecard(member_id="m1", parts=parts("30", "20", "25.5"), total=D("75.5"))
    rows = scorecard_rows(sheet, card)
    assert [(row.kind, row.code, row.points) for row in rows] == [
        ("part", "A", D(30)),
        ("part", "B", D(20)),
        ("part", "C", D("25.5")),
        ("total", None, D("75.5")),
    ]
