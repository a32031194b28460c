"""The shipped sheets of QĐ 26/2026 (Phụ lục II) and its product sets (Phụ lục I), checked as data.

The sums and markers are recomputed here from the files as transcribed (read as plain JSON), not
from the model that loads them; a second group of tests breaks one rule in a copy of the files and
expects the load to refuse it, naming the criterion.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from schemas.errors import InvalidCommand
from schemas.rulebook import Part, Rulebook
from schemas.rulebooks import RULEBOOKS, get_rulebook
from schemas.scorecard import (
    CONDITION_PREFIX,
    PRODUCT_SETS,
    SHEETS,
    STAR_RANKS,
    Choice,
    Criterion,
    ScorecardSheet,
    SheetDataError,
    flat_sheet,
    load_family,
    sheet_for,
)
from workflows.scoring import check_parts
from workflows.sheets import applies, flat_score, score_sheet

FAMILY = "qd26-2026"
FOLDER = resources.files("schemas") / "scorecards" / FAMILY
RAW: dict[str, dict[str, Any]] = {
    entry.name: json.loads(entry.read_text(encoding="utf-8"))
    for entry in FOLDER.iterdir()
    if entry.name.startswith("criteria_")
}
QD26 = get_rulebook(FAMILY)
OLDER = [book for book in RULEBOOKS.values() if book.scorecard_sheet is None]


def _leaves(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if node["kind"] == "criterion":
        yield node
        return
    for child in node["children"]:
        yield from _leaves(child)


def _d(value: float) -> Decimal:
    return Decimal(str(value))


def _criteria(raw: dict[str, Any]) -> list[dict[str, Any]]:
    return [leaf for part in raw["parts"] for leaf in _leaves(part)]


# -- the sums, as the decision prints them --------------------------------------------------------


def test_every_product_set_of_annex_one_has_one_sheet_of_annex_two() -> None:
    classification = PRODUCT_SETS[FAMILY]
    assert len(classification.sets) == len(RAW) == 26
    assert sorted(SHEETS[FAMILY]) == sorted(product_set.code for product_set in classification.sets)
    by_number = {raw["set_no"]: raw for raw in RAW.values()}
    for product_set in classification.sets:
        sheet = SHEETS[FAMILY][product_set.code]
        assert sheet.set_no == product_set.sheet_no
        assert sheet.name == by_number[product_set.sheet_no]["name"]


@pytest.mark.parametrize("name", sorted(RAW))
def test_the_parts_have_the_rulebooks_maxima_and_sum_to_the_total(name: str) -> None:
    raw = RAW[name]
    maxima = {part["code"]: _d(part["max_points"]) for part in raw["parts"]}
    assert maxima == dict(QD26.scorecard)  # 40 / 25 / 35 in the rulebook's data
    assert sum(maxima.values()) == _d(raw["max_total"]) == 100


@pytest.mark.parametrize("name", sorted(RAW))
def test_each_group_is_the_sum_of_its_children_and_each_best_option_is_the_maximum(name: str) -> None:
    def check(node: dict[str, Any]) -> None:
        if node["kind"] == "criterion":
            best = max(_d(option["points"]) for option in node["options"])
            assert best == _d(node["max_points"]), node["code"]
            return
        for child in node["children"]:
            check(child)
        assert sum(_d(child["max_points"]) for child in node["children"]) == _d(node["max_points"]), node[
            "code"
        ]

    for part in RAW[name]["parts"]:
        check(part)


@pytest.mark.parametrize("name", sorted(RAW))
def test_the_counts_agree_with_the_transcriptions_own_statistics(name: str) -> None:
    raw = RAW[name]
    sheet = SHEETS[FAMILY][next(s.code for s in PRODUCT_SETS[FAMILY].sets if s.sheet_no == raw["set_no"])]
    for part, stats in zip(sheet.parts, raw["stats"]["by_part"], strict=True):
        criteria = list(part.criteria())
        assert len(criteria) == stats["scored_criteria"]
        assert sum(len(criterion.options) for criterion in criteria) == stats["options"]
        assert (
            sum(1 for criterion in criteria if criterion.star_minimums) == stats["criteria_with_star_minimum"]
        )


def test_the_decision_has_787_criteria_and_574_star_marked_options() -> None:
    # The counts the transcription's README gives for the 26 sets.
    criteria = [criterion for raw in RAW.values() for criterion in _criteria(raw)]
    assert len(criteria) == 787
    assert sum(1 for c in criteria for option in c["options"] if option.get("min_star_marker")) == 574
    assert sum(len(sheet.criteria) for sheet in SHEETS[FAMILY].values()) == 787


# -- star markers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RAW))
def test_a_higher_ranks_minimum_is_never_below_a_lower_ranks(name: str) -> None:
    for criterion in _criteria(RAW[name]):
        marked = [
            (o["min_star_marker"], _d(o["points"])) for o in criterion["options"] if o.get("min_star_marker")
        ]
        assert len({stars for stars, _ in marked}) == len(marked), f"{criterion['code']}: a marker twice"
        for low, low_points in marked:
            for high, high_points in marked:
                if low < high:
                    assert high_points >= low_points, f"{criterion['code']}: {high}★ below {low}★"
        # The minimum a rank imposes (the best option marked for it or below) never falls as the rank
        # rises, and once a rank imposes one every higher rank does.
        minimums = [max((p for s, p in marked if s <= stars), default=None) for stars in STAR_RANKS]
        imposed = [m for m in minimums if m is not None]
        assert imposed == sorted(imposed), criterion["code"]
        assert minimums[len(minimums) - len(imposed) :] == imposed, criterion["code"]


@pytest.mark.parametrize("name", sorted(RAW))
def test_the_sheets_minimums_are_the_transcriptions(name: str) -> None:
    raw = RAW[name]
    sheet = next(s for s in SHEETS[FAMILY].values() if s.set_no == raw["set_no"])
    for criterion in _criteria(raw):
        given = {int(k): _d(v["min_points"]) for k, v in (criterion.get("star_minimums") or {}).items()}
        loaded = sheet.criterion(criterion["code"])
        assert loaded is not None
        assert loaded.star_minimums == given, criterion["code"]


# -- every option can be chosen ---------------------------------------------------------------------


def _baseline(sheet: ScorecardSheet) -> dict[str, Choice]:
    """The best option of every criterion (in its first variant): a card every condition holds on."""
    card: dict[str, Choice] = {}
    for criterion in sheet.criteria:
        variant = criterion.variants[0].code if criterion.variants else None
        options = criterion.variant_options(variant)
        best = max(options, key=lambda index: criterion.options[index].points)
        card[criterion.code] = Choice(option=best, variant=variant)
    return card


def _reaching(sheet: ScorecardSheet, criterion: Criterion, index: int) -> dict[str, Choice]:
    card = _baseline(sheet)
    card[criterion.code] = Choice(option=index, variant=criterion.options[index].variant)
    for later in sheet.criteria:  # a choice that makes a later criterion not apply: leave it out
        if not applies(later, sheet, card):
            card.pop(later.code, None)
    return card


@pytest.mark.parametrize("code", sorted(SHEETS[FAMILY]))
def test_every_option_of_every_criterion_can_be_chosen_and_scores_its_points(code: str) -> None:
    sheet = SHEETS[FAMILY][code]
    for criterion in sheet.criteria:
        for index, option in enumerate(criterion.options):
            card = _reaching(sheet, criterion, index)
            score = score_sheet(sheet, card, QD26)
            assert score.points[criterion.code] == option.points, (criterion.code, index)
            assert score.total == sum(score.points.values())


def test_best_options_everywhere_score_the_maximum_on_every_sheet() -> None:
    for sheet in SHEETS[FAMILY].values():
        score = score_sheet(sheet, _baseline(sheet), QD26)
        assert score.total == sheet.max_total
        assert score.parts == {part.code: part.max_points for part in sheet.parts}


# -- conditions and variants ------------------------------------------------------------------------


def test_every_conditional_note_is_read_as_a_condition() -> None:
    conditional = {
        (sheet.product_set, criterion.code)
        for sheet in SHEETS[FAMILY].values()
        for criterion in sheet.criteria
        if criterion.condition is not None
    }
    noted = {
        (next(s.code for s in PRODUCT_SETS[FAMILY].sets if s.sheet_no == raw["set_no"]), criterion["code"])
        for raw in RAW.values()
        for criterion in _criteria(raw)
        if any(note.startswith(CONDITION_PREFIX) for note in criterion.get("notes", []))
    }
    assert conditional == noted
    assert len(noted) == 25  # 5.2 "Cấu trúc câu chuyện sản phẩm" on every sheet but tourism's


def test_the_tourism_sheet_has_its_three_criteria_with_two_cases() -> None:
    tourism = SHEETS[FAMILY]["VI.1"]
    with_variants = {c.code: [v.code for v in c.variants] for c in tourism.criteria if c.variants}
    assert with_variants == {"8": ["a", "b"], "9": ["a", "b"], "15": ["a", "b"]}
    for code in with_variants:
        criterion = tourism.criterion(code)
        assert criterion is not None
        for variant in criterion.variants:  # each case can reach the criterion's maximum
            best = max(criterion.options[i].points for i in criterion.variant_options(variant.code))
            assert best == criterion.max_points


# -- product sets and the older groups ------------------------------------------------------------


def test_the_classification_is_six_sectors_of_annex_one() -> None:
    classification = PRODUCT_SETS[FAMILY]
    assert [sector.code for sector in classification.sectors] == ["I", "II", "III", "IV", "V", "VI"]
    assert [len(classification.sets_of_sector(s.code)) for s in classification.sectors] == [13, 4, 3, 2, 3, 1]
    assert classification.sector_of("I.3.d") == classification.sectors[0]
    assert classification.product_set("VI.1") is not None
    assert classification.product_set("VI.2") is None


@pytest.mark.parametrize("book", list(RULEBOOKS.values()), ids=lambda book: str(book.id))
def test_each_older_product_group_falls_in_one_sector_that_agrees_on_samples(book: Rulebook) -> None:
    classification = PRODUCT_SETS[FAMILY]
    for group in book.product_groups:
        sector = classification.sector_for_group(group.code)
        assert sector is not None, group.code
        assert sector.needs_samples == group.needs_samples, group.code


def test_a_product_set_picks_its_sheet_under_a_rulebook_scored_by_option() -> None:
    by_option = QD26.model_copy(update={"scorecard_sheet": FAMILY})
    assert sheet_for(by_option, "II.1.a").name == "Rượu trắng"
    with pytest.raises(InvalidCommand, match="product set"):
        sheet_for(by_option, None)
    with pytest.raises(InvalidCommand, match=re.escape("unknown product set 'II.9'")):
        sheet_for(by_option, "II.9")


# -- flat sheets of the older rulebooks ---------------------------------------------------------


@pytest.mark.parametrize("book", OLDER, ids=lambda book: str(book.id))
def test_an_older_rulebooks_sheet_is_flat_with_its_part_maxima(book: Rulebook) -> None:
    sheet = sheet_for(book, "I.1.a")  # whatever set is named, the rulebook scores three parts
    assert sheet.flat
    assert sheet == flat_sheet(book)
    assert [(p.code, p.max_points) for p in sheet.parts] == list(book.scorecard.items())
    assert [c.code for c in sheet.criteria] == ["A", "B", "C"]
    assert all(c.continuous and c.decimals == book.score_decimals for c in sheet.criteria)


@pytest.mark.parametrize("book", OLDER, ids=lambda book: str(book.id))
def test_a_recorded_part_scorecard_reads_as_its_flat_sheet_unchanged(book: Rulebook) -> None:
    parts: dict[Part, Decimal] = {"A": Decimal("30.25"), "B": Decimal("20.00"), "C": Decimal("25.50")}
    sheet = flat_sheet(book)
    read = flat_score(sheet, parts)
    typed = score_sheet(sheet, {part: Choice(points=value) for part, value in parts.items()}, book)
    assert read == typed
    assert read.parts == parts
    assert read.total == check_parts(parts, book) == Decimal("75.75")


# -- a broken file refuses to load, naming the criterion ------------------------------------------


def _broken_copy(tmp_path: Path, name: str, breaks: Callable[[dict[str, Any]], None]) -> Path:
    folder = tmp_path / FAMILY
    shutil.copytree(str(FOLDER), folder)
    path = folder / name
    data = json.loads(path.read_text(encoding="utf-8"))
    breaks(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def _criterion(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(c for part in data.get("parts", []) for c in _leaves(part) if c["code"] == code)


FOOD = "criteria_01_rau-cu-qua-hat-tuoi.json"


def _best_below_maximum(data: dict[str, Any]) -> None:
    _criterion(data, "1.3")["options"][2]["points"] = 2.5


def _group_sum(data: dict[str, Any]) -> None:
    data["parts"][0]["children"][0]["max_points"] = 19.0


def _markers_reversed(data: dict[str, Any]) -> None:
    options = _criterion(data, "4.1")["options"]  # *** on 2 points, **** on 3: swap the markers
    options[1]["min_star_marker"], options[2]["min_star_marker"] = 4, 3
    _criterion(data, "4.1").pop("star_minimums")


def _unread_condition(data: dict[str, Any]) -> None:
    _criterion(data, "4.3").setdefault("notes", []).append("Chỉ áp dụng khi có website")


def _minimums_disagree(data: dict[str, Any]) -> None:
    _criterion(data, "1.5")["star_minimums"]["4"]["min_points"] = 1.0


def _set_without_sheet(data: dict[str, Any]) -> None:
    data["set_no"] = 27


@pytest.mark.parametrize(
    ("breaks", "named"),
    [
        (_best_below_maximum, "criterion 1.3: its best option is worth 2.50, not its maximum 3.00"),
        (_group_sum, "group 1: its criteria sum to 18.00, not its maximum 19.00"),
        (_markers_reversed, "criterion 4.1: the 4★ minimum (2.00 points) is below the 3★ minimum (3.00"),
        (_unread_condition, "criterion 4.3: no entry of conditions.json reads its note"),
        (_minimums_disagree, "criterion 1.5: the star minimums"),
        (_set_without_sheet, "set number 27 is no product set's"),
    ],
    ids=lambda value: getattr(value, "__name__", "message"),
)
def test_a_file_that_breaks_a_rule_refuses_to_load_naming_the_criterion(
    tmp_path: Path, breaks: Callable[[dict[str, Any]], None], named: str
) -> None:
    folder = _broken_copy(tmp_path, FOOD, breaks)
    with pytest.raises(SheetDataError, match=re.escape(FOOD)) as refused:
        load_family(folder)
    assert named in str(refused.value)


def test_a_rulebook_whose_maxima_differ_from_its_sheets_refuses_them(tmp_path: Path) -> None:
    folder = _broken_copy(tmp_path, FOOD, lambda data: None)
    other = QD26.model_copy(update={"scorecard_sheet": FAMILY, "scorecard": {"A": 35, "B": 25, "C": 40}})
    with pytest.raises(SheetDataError, match="part maxima"):
        load_family(folder, [other])
    load_family(folder, [QD26.model_copy(update={"scorecard_sheet": FAMILY})])  # the real maxima load
