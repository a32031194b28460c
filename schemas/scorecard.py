"""Scorecard sheets (phiếu đánh giá): what a council member scores, criterion by criterion.

The one home of the sheet (DESIGN.md, "new homes"): a tree of parts → groups → criteria, each
criterion scored by choosing one of its options, as Phụ lục II of QĐ 26/2026/QĐ-TTg prints it; and
the product sets (bộ sản phẩm, Phụ lục I) whose set picks the sheet. Everything is read from the data
shipped in ``schemas/scorecards/<sheet family>/`` and validated when this module is imported: a file
that breaks a rule refuses to load, naming the file and the criterion.

Rulebooks before QĐ 26/2026 score the three parts directly. Their sheet is *flat* (``flat_sheet``):
derived from the rulebook's part maxima (``Rulebook.scorecard``), one continuous criterion per part
coded like the part (``A``, ``B``, ``C``), so the ``parts`` of their commands and recorded events are
that sheet's answers as they stand and nothing recorded changes.

Pure data and the rules that read it; scoring a filled sheet and the council's result are in
``workflows/sheets.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from importlib import resources
from importlib.abc import Traversable
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from schemas.errors import InvalidCommand
from schemas.numbers import HUNDREDTH, CanonicalScore
from schemas.rulebook import PARTS, Part, Rulebook
from schemas.rulebooks import RULEBOOKS

TREE_SCHEMA: Final = "ocop-criteria-tree/1"
# A note of the law that makes a criterion conditional starts with these words; each such note must
# be read by an entry of the family's conditions.json.
CONDITION_PREFIX: Final = "Chỉ áp dụng khi"
STAR_RANKS: Final = (3, 4, 5)
"""The ranks a star marker (***, ****, *****) can name."""

# The parts' names (Điều 3 of QĐ 26/2026), shown on flat sheets, which have no data of their own.
PART_LABELS: Final[Mapping[Part, str]] = {
    "A": "Sản phẩm và sức mạnh cộng đồng",
    "B": "Khả năng tiếp thị",
    "C": "Chất lượng sản phẩm",
}


class SheetDataError(ValueError):
    """A shipped sheet or product-set file breaks a rule of the data; the message names the file and
    the criterion."""


def _points(value: Decimal) -> Decimal:
    if value != value.quantize(HUNDREDTH):
        raise ValueError(f"points have at most two decimals; got {value}")
    return value.quantize(HUNDREDTH)


Points = Annotated[Decimal, Field(ge=0, le=100), AfterValidator(_points)]
StarRank = Literal[3, 4, 5]
StrRank = Literal["3", "4", "5"]


class Option(BaseModel):
    """One option of a criterion (phương án): its text as printed and the points it is worth. A star
    marker is the source's ***, **** or *****: the lowest option the criterion must reach for that
    rank ("Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ sao")."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    text: str = Field(min_length=1)
    points: Points
    star_marker: StarRank | None = Field(default=None, alias="min_star_marker")
    variant: str | None = Field(default=None, description="Code of the variant (trường hợp) it belongs to.")
    # Provenance of the transcription (README of qd26-2026): kept, never read by a rule.
    synthesized: bool = False
    points_blank_in_source: bool = False
    points_as_printed: Decimal | None = None


class Variant(BaseModel):
    """One of a criterion's mutually exclusive cases (trường hợp): the member picks the case that
    applies, then one option in it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(min_length=1, description='The letter it is printed with ("a", "b").')
    label: str = Field(min_length=1)


class Condition(BaseModel):
    """Chỉ áp dụng khi …: the criterion is scored only when ``criterion`` was answered with an option
    other than those listed in ``unless_chosen`` (by their text as printed)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    note: str = Field(min_length=1)
    criterion: str = Field(min_length=1)
    unless_chosen: tuple[str, ...] = Field(min_length=1)


class TranscribedMinimum(BaseModel):
    """A star minimum as the transcription derived it; the sheet derives its own from the markers and
    refuses to load if the two disagree."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_points: Decimal
    min_option_index: int = Field(ge=0)


def _variant_code(label: str) -> str:
    """ "a. Trường hợp 1: …" → "a"."""
    head, dot, _ = label.partition(".")
    return head.strip() if dot and head.strip() else label


class Criterion(BaseModel):
    """A scored criterion (tiêu chí): one option is chosen, and its points are the criterion's score.
    A flat sheet's criterion is ``continuous``: any points from 0 to the maximum with ``decimals``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["criterion"] = "criterion"
    code: str = Field(pattern=r"^[A-Z0-9]+(\.[0-9]+)*$")
    label: str = Field(min_length=1)
    max_points: Points
    notes: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    variants: tuple[Variant, ...] = ()
    condition: Condition | None = None
    continuous: bool = False
    decimals: int = Field(default=2, ge=0, le=2)
    transcribed_minimums: dict[StrRank, TranscribedMinimum] | None = Field(
        default=None, alias="star_minimums"
    )
    data_quality: tuple[str, ...] = Field(
        default=(), description="What was odd in the source, how it was read."
    )
    max_points_as_printed: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _variants_by_code(cls, data: Any) -> Any:
        # The transcription prints a variant as its full label, on the criterion and on each option.
        if not isinstance(data, dict) or not data.get("variants"):
            return data
        if not all(isinstance(variant, str) for variant in data["variants"]):
            return data
        codes = {label: _variant_code(label) for label in data["variants"]}
        options = [
            {**option, "variant": codes.get(option["variant"], option["variant"])}
            if isinstance(option, dict) and isinstance(option.get("variant"), str)
            else option
            for option in data.get("options", [])
        ]
        variants = [{"code": code, "label": label} for label, code in codes.items()]
        return {**data, "variants": variants, "options": options}

    @model_validator(mode="after")
    def _consistent(self) -> Criterion:
        where = f"criterion {self.code}"
        if self.continuous:
            if self.options or self.variants:
                raise ValueError(f"{where}: a continuous criterion has no options")
            return self
        if not self.options:
            raise ValueError(f"{where}: no options")
        best = max(option.points for option in self.options)
        if best != self.max_points:
            raise ValueError(f"{where}: its best option is worth {best}, not its maximum {self.max_points}")
        texts = [option.text for option in self.options]
        if len(set(zip(texts, [o.variant for o in self.options], strict=True))) != len(texts):
            raise ValueError(f"{where}: two options read the same")
        self._check_variants(where)
        self._check_markers(where)
        return self

    def _check_variants(self, where: str) -> None:
        codes = [variant.code for variant in self.variants]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{where}: two variants share the code of {codes}")
        for option in self.options:
            if bool(self.variants) != (option.variant is not None) or (
                option.variant is not None and option.variant not in codes
            ):
                raise ValueError(f"{where}: option {option.text!r} is in no variant of {codes}")
        for code in codes:
            if not any(option.variant == code for option in self.options):
                raise ValueError(f"{where}: variant {code} has no option")

    def _check_markers(self, where: str) -> None:
        marked = [(o.star_marker, o.points) for o in self.options if o.star_marker is not None]
        if len({stars for stars, _ in marked}) != len(marked):
            raise ValueError(f"{where}: two options carry the same star marker")
        for low_stars, low_points in marked:
            for high_stars, high_points in marked:
                if low_stars < high_stars and low_points > high_points:
                    raise ValueError(
                        f"{where}: the {high_stars}★ minimum ({high_points} points) is below the "
                        f"{low_stars}★ minimum ({low_points} points)"
                    )
        if self.transcribed_minimums is not None:
            derived = {str(stars): points for stars, points in self.star_minimums.items()}
            given = {stars: minimum.min_points for stars, minimum in self.transcribed_minimums.items()}
            if derived != given:
                raise ValueError(
                    f"{where}: the star minimums {given} do not follow from its markers {derived}"
                )

    def minimum(self, stars: int) -> Decimal | None:
        """The points this criterion must reach for rank ``stars`` (None: no minimum): the best of
        its options marked for that rank or a lower one."""
        marked = [o.points for o in self.options if o.star_marker is not None and o.star_marker <= stars]
        return max(marked) if marked else None

    @property
    def star_minimums(self) -> dict[int, Decimal]:
        """Rank → minimum points, for the ranks this criterion imposes a minimum on."""
        found = {stars: self.minimum(stars) for stars in STAR_RANKS}
        return {stars: points for stars, points in found.items() if points is not None}

    def variant_options(self, variant: str | None) -> list[int]:
        """Positions (from 0) of the options a member may choose in ``variant`` (None: no variants)."""
        return [index for index, option in enumerate(self.options) if option.variant == variant]


def _check_sum(what: str, children: tuple[Group | Criterion, ...], maximum: Decimal) -> None:
    """A group's or part's maximum is the sum of its children's."""
    total = sum((child.max_points for child in children), Decimal(0))
    if total != maximum:
        raise ValueError(f"{what} sum to {total}, not its maximum {maximum}")


class Group(BaseModel):
    """A group of criteria (nhóm tiêu chí), e.g. ``1`` TỔ CHỨC SẢN XUẤT, or of sub-criteria (``6.1``
    Ngoại hình: ``6.1.1``, ``6.1.2``); its maximum is the sum of its children's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["group"] = "group"
    code: str = Field(pattern=r"^[0-9]+(\.[0-9]+)*$")
    label: str = Field(min_length=1)
    max_points: Points
    notes: tuple[str, ...] = ()
    children: tuple[SheetNode, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _sums(self) -> Group:
        _check_sum(f"group {self.code}: its criteria", self.children, self.max_points)
        return self


SheetNode = Annotated[Group | Criterion, Field(discriminator="kind")]
Group.model_rebuild()


class SheetPart(BaseModel):
    """A part of the sheet (phần A, B, C); a group without criteria of its own is itself a criterion."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["part"] = "part"
    code: Part
    label: str = Field(min_length=1)
    max_points: Points
    children: tuple[SheetNode, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _sums(self) -> SheetPart:
        _check_sum(f"part {self.code}: its groups", self.children, self.max_points)
        return self

    def criteria(self) -> Iterator[Criterion]:
        """Its scored criteria (the leaves), in print order."""
        return (node for node in _nodes(self.children) if isinstance(node, Criterion))


class ScorecardSheet(BaseModel):
    """One scorecard sheet (phiếu đánh giá): the criteria of one product set under one rulebook's
    sheets, or a rulebook's flat sheet of three parts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, description='"qd26-2026/I.1.a"; a flat sheet has its rulebook\'s id.')
    family: str = Field(min_length=1, description="The sheets it belongs to (Rulebook.scorecard_sheet).")
    product_set: str | None = Field(default=None, description="Code of its product set (Phụ lục I).")
    set_no: int | None = Field(default=None, description="Its number in Phụ lục II.")
    name: str = Field(min_length=1)
    classification_line: str | None = None
    flat: bool = False
    max_total: Points
    disqualifiers: tuple[str, ...] = Field(default=(), description="Hồ sơ bị loại khi …")
    product_code_template: str | None = None
    product_code_note: str | None = None
    star_marker_rule: str | None = None
    footer_notes: tuple[str, ...] = ()
    parts: tuple[SheetPart, ...]

    @model_validator(mode="after")
    def _consistent(self) -> ScorecardSheet:
        if tuple(part.code for part in self.parts) != PARTS:
            raise ValueError(f"a sheet has the parts {', '.join(PARTS)} in that order")
        total = sum((part.max_points for part in self.parts), Decimal(0))
        if total != self.max_total:
            raise ValueError(f"the parts sum to {total}, not the sheet's maximum {self.max_total}")
        codes = [node.code for part in self.parts for node in _nodes(part.children)]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"codes appear twice: {', '.join(duplicates)}")
        seen: dict[str, Criterion] = {}
        for criterion in self.criteria:
            if criterion.condition is not None:
                self._check_condition(criterion, seen)
            seen[criterion.code] = criterion
        return self

    @staticmethod
    def _check_condition(criterion: Criterion, earlier: Mapping[str, Criterion]) -> None:
        assert criterion.condition is not None
        where = f"criterion {criterion.code}"
        basis = earlier.get(criterion.condition.criterion)
        if basis is None:
            raise ValueError(
                f"{where}: its condition names {criterion.condition.criterion}, not a criterion before it"
            )
        if basis.condition is not None or basis.continuous:
            raise ValueError(
                f"{where}: its condition rests on {basis.code}, itself conditional or continuous"
            )
        texts = {option.text for option in basis.options}
        missing = [text for text in criterion.condition.unless_chosen if text not in texts]
        if missing:
            raise ValueError(f"{where}: its condition names options {basis.code} does not have: {missing}")

    @cached_property
    def criteria(self) -> tuple[Criterion, ...]:
        """The scored criteria, in the order the sheet prints them."""
        return tuple(criterion for part in self.parts for criterion in part.criteria())

    @cached_property
    def _by_code(self) -> dict[str, tuple[Part, Criterion]]:
        return {
            criterion.code: (part.code, criterion) for part in self.parts for criterion in part.criteria()
        }

    def criterion(self, code: str) -> Criterion | None:
        found = self._by_code.get(code)
        return found[1] if found else None

    def part_of(self, code: str) -> Part:
        return self._by_code[code][0]

    @cached_property
    def star_ranks(self) -> tuple[int, ...]:
        """The ranks some criterion of this sheet imposes a minimum on."""
        return tuple(
            stars for stars in STAR_RANKS if any(c.minimum(stars) is not None for c in self.criteria)
        )

    def minimums(self, stars: int) -> list[tuple[Criterion, Decimal]]:
        """The criteria with a minimum for rank ``stars``, with that minimum, in print order."""
        found = [(criterion, criterion.minimum(stars)) for criterion in self.criteria]
        return [(criterion, points) for criterion, points in found if points is not None]


def _nodes(children: tuple[Group | Criterion, ...]) -> Iterator[Group | Criterion]:
    """Groups and criteria under ``children``, depth first, in print order."""
    for child in children:
        yield child
        if isinstance(child, Group):
            yield from _nodes(child.children)


# -- product sets (Phụ lục I) -------------------------------------------------------------------


class ProductSet(BaseModel):
    """A product set (bộ sản phẩm; a phân nhóm, or a nhóm without phân nhóm): it picks the sheet."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[IVX]+\.[0-9]+(\.[a-z])?$", description='Its place in Phụ lục I: "I.1.a".')
    sheet_no: int = Field(gt=0, description="Number of its scorecard in Phụ lục II.")
    name_vi: str = Field(min_length=1)
    lead_agencies: tuple[str, ...] = Field(min_length=1, description="Cơ quan chủ trì quản lý.")


class ProductGroupOfSets(BaseModel):
    """A group (nhóm) of a sector, holding its product sets."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[IVX]+\.[0-9]+$")
    name_vi: str = Field(min_length=1)
    sets: tuple[ProductSet, ...] = Field(min_length=1)


class Sector(BaseModel):
    """A sector (ngành sản phẩm); ``older_groups`` are the product-group codes of the older rulebooks
    that fall in it, so that older journeys find their sector."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[IVX]+$")
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    older_groups: tuple[str, ...] = ()
    needs_samples: bool = True
    groups: tuple[ProductGroupOfSets, ...] = Field(min_length=1)


class ProductClassification(BaseModel):
    """Danh mục phân loại sản phẩm: sectors → groups → product sets of one family of sheets."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rulebook: str = Field(min_length=1, description="The family of sheets it classifies for.")
    source: str
    sectors: tuple[Sector, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ProductClassification:
        sets = self.sets
        numbers = sorted(product_set.sheet_no for product_set in sets)
        if numbers != list(range(1, len(sets) + 1)):
            raise ValueError(f"the sets' sheet numbers are 1 to {len(sets)} once each; got {numbers}")
        for sector in self.sectors:
            for group in sector.groups:
                if not group.code.startswith(f"{sector.code}."):
                    raise ValueError(f"group {group.code} is not numbered under sector {sector.code}")
                for product_set in group.sets:
                    if product_set.code != group.code and not product_set.code.startswith(f"{group.code}."):
                        raise ValueError(f"set {product_set.code} is not numbered under group {group.code}")
        for kind, codes in (
            ("sector", [sector.code for sector in self.sectors]),
            ("group", [group.code for sector in self.sectors for group in sector.groups]),
            ("product set", [product_set.code for product_set in sets]),
        ):
            if len(set(codes)) != len(codes):
                raise ValueError(f"a {kind} code appears twice")
        older = [code for sector in self.sectors for code in sector.older_groups]
        if len(set(older)) != len(older):
            raise ValueError("an older product group falls in two sectors")
        return self

    @cached_property
    def sets(self) -> tuple[ProductSet, ...]:
        """The product sets in the order of Phụ lục I."""
        return tuple(
            product_set for sector in self.sectors for group in sector.groups for product_set in group.sets
        )

    def product_set(self, code: str) -> ProductSet | None:
        return next((product_set for product_set in self.sets if product_set.code == code), None)

    def sector_of(self, set_code: str) -> Sector | None:
        """The sector a product set belongs to."""
        return next(
            (
                sector
                for sector in self.sectors
                for group in sector.groups
                if any(product_set.code == set_code for product_set in group.sets)
            ),
            None,
        )

    def sector_for_group(self, older_group: str) -> Sector | None:
        """The sector an older rulebook's product group (``food``, ``tourism`` …) falls in."""
        return next((sector for sector in self.sectors if older_group in sector.older_groups), None)

    def sets_of_sector(self, sector_code: str) -> list[ProductSet]:
        return [
            product_set
            for sector in self.sectors
            if sector.code == sector_code
            for group in sector.groups
            for product_set in group.sets
        ]


class _ConditionTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rulebook: str
    source: str
    conditions: tuple[Condition, ...]


# -- answers and scores (the shapes workflows/sheets.py computes with) -------------------------------


class Choice(BaseModel):
    """Lựa chọn: the answer to one criterion. On a sheet of options, the option chosen by its position
    as printed (from 0) and, where the criterion has variants, the variant's code (``"a"``); on a
    flat sheet, the points given."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # What is not given is left out of what is stored and sent (a sheet of 32 choices is about a third
    # smaller: every scorecard event, and every journey state Temporal carries during an evaluation).
    option: int | None = Field(default=None, ge=0, le=99, exclude_if=lambda value: value is None)
    variant: str | None = Field(
        default=None, min_length=1, max_length=10, exclude_if=lambda value: value is None
    )
    points: CanonicalScore | None = Field(default=None, exclude_if=lambda value: value is None)


class ScorecardProblem(StrEnum):
    """Why a scorecard does not fit its sheet (``InvalidScorecard.problem``)."""

    UNKNOWN_CRITERION = "unknown_criterion"
    MISSING = "missing"
    NOT_AN_OPTION = "not_an_option"
    NOT_APPLICABLE = "not_applicable"
    VARIANT = "variant"
    OUT_OF_RANGE = "out_of_range"


class SheetScore(BaseModel):
    """A filled sheet, scored: the points of each applicable criterion, the part totals and the
    total (the sums of what was chosen)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sheet: str
    points: dict[str, Decimal] = Field(description="Criterion code → points, applicable criteria only.")
    not_applicable: tuple[str, ...] = Field(default=(), description="Criteria whose condition did not hold.")
    parts: dict[Part, Decimal]
    total: Decimal


class MinimumJudgement(StrEnum):
    """How a council judges a star minimum (ocop.md §7, product decision; a council parameter)."""

    CRITERION_MEAN = "criterion_mean"
    """The mean of the voting members' points for the criterion reaches the minimum (default)."""
    MAJORITY_OF_SHEETS = "majority_of_sheets"
    """More than half of the voting members' sheets reach the minimum."""


class Shortfall(BaseModel):
    """A criterion that fell short of a rank's minimum on the council, and by how much."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    criterion: str
    label: str
    minimum: Decimal
    council_points: Decimal = Field(
        description="Mean of the members' points for it, rounded down to two decimals (so that it never "
        "reads as reaching a minimum it missed); a sheet where it did not apply counts 0."
    )
    sheets_meeting: int = Field(ge=0)
    sheets: int = Field(gt=0)
    points_short: Decimal | None = Field(
        default=None, description="Criterion mean: minimum minus the mean, rounded up to two decimals."
    )
    sheets_short: int | None = Field(
        default=None, description="Majority of sheets: how many more sheets had to reach it."
    )


class RankHeldBack(BaseModel):
    """A rank the band allowed but the minimums did not: the criteria that fell short of it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stars: int
    shortfalls: tuple[Shortfall, ...] = Field(min_length=1)


class SheetCouncilResult(BaseModel):
    """The council's result on its members' sheets: the mean and its band, and the awarded rank, the
    highest one the band allows whose minimums all hold (``held_back``: each higher rank the band
    allowed, highest first, with what fell short)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sheet: str
    judged_by: MinimumJudgement
    scorecards: int = Field(gt=0)
    mean: Decimal
    band_stars: int
    stars: int
    held_back: tuple[RankHeldBack, ...] = ()

    @property
    def capped(self) -> bool:
        return self.stars < self.band_stars


# -- loading ----------------------------------------------------------------------------------


def _described(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(place) for place in problem['loc']) or 'file'}: {problem['msg']}"
        for problem in error.errors()
    )


def _read(entry: Traversable) -> Any:
    return json.loads(entry.read_text(encoding="utf-8"))


def _with_conditions(node: dict[str, Any], conditions: Mapping[str, Condition], where: str) -> dict[str, Any]:
    """The transcribed node with each "Chỉ áp dụng khi …" note read into its condition."""
    if node.get("kind") == "criterion":
        notes = [note for note in node.get("notes", []) if note.startswith(CONDITION_PREFIX)]
        if len(notes) > 1:
            raise SheetDataError(f"{where}: criterion {node.get('code')} has two conditions")
        if notes:
            condition = conditions.get(notes[0])
            if condition is None:
                raise SheetDataError(
                    f"{where}: criterion {node.get('code')}: "
                    f"no entry of conditions.json reads its note {notes[0]!r}"
                )
            return {**node, "condition": condition.model_dump()}
        return node
    return {
        **node,
        "children": [_with_conditions(child, conditions, where) for child in node.get("children", [])],
    }


def load_family(
    folder: Traversable, rulebooks: Iterable[Rulebook] = RULEBOOKS.values()
) -> tuple[ProductClassification, dict[str, ScorecardSheet]]:
    """Read and check one family of sheets (a folder of ``schemas/scorecards``): its product sets, its
    conditions and one sheet per set; ``SheetDataError`` names the file and the criterion at fault."""
    family = folder.name
    where = f"schemas/scorecards/{family}"
    try:
        classification = ProductClassification.model_validate(_read(folder / "product_sets.json"))
        conditions_file = folder / "conditions.json"
        table = _ConditionTable.model_validate(_read(conditions_file)) if conditions_file.is_file() else None
    except ValidationError as error:
        raise SheetDataError(f"{where}: {_described(error)}") from None
    if classification.rulebook != family or (table is not None and table.rulebook != family):
        raise SheetDataError(f"{where}: its product sets and conditions are those of {family}")
    conditions = {condition.note: condition for condition in (table.conditions if table else ())}
    by_number = {product_set.sheet_no: product_set for product_set in classification.sets}
    sheets: dict[str, ScorecardSheet] = {}
    files = sorted(
        (
            entry
            for entry in folder.iterdir()
            if entry.name.startswith("criteria_") and entry.name.endswith(".json")
        ),
        key=lambda entry: entry.name,
    )
    for entry in files:
        here = f"{where}/{entry.name}"
        raw = _read(entry)
        if raw.get("schema") != TREE_SCHEMA:
            raise SheetDataError(f"{here}: not an {TREE_SCHEMA} file")
        product_set = by_number.get(raw.get("set_no"))
        if product_set is None or product_set.code in sheets:
            raise SheetDataError(
                f"{here}: set number {raw.get('set_no')} is no product set's, or two sheets'"
            )
        parts = [_with_conditions(part, conditions, here) for part in raw["parts"]]
        try:
            sheet = ScorecardSheet.model_validate(
                {
                    "id": f"{family}/{product_set.code}",
                    "family": family,
                    "product_set": product_set.code,
                    "set_no": raw["set_no"],
                    "name": raw["name"],
                    "classification_line": raw.get("classification_line"),
                    "max_total": raw["max_total"],
                    "disqualifiers": raw.get("disqualifiers", []),
                    "product_code_template": raw.get("product_code_template"),
                    "product_code_note": raw.get("product_code_note"),
                    "star_marker_rule": raw.get("star_marker_rule"),
                    "footer_notes": raw.get("footer_notes", []),
                    "parts": parts,
                }
            )
        except ValidationError as error:
            raise SheetDataError(f"{here}: {_described(error)}") from None
        sheets[product_set.code] = sheet
    missing = [product_set.code for product_set in classification.sets if product_set.code not in sheets]
    if missing:
        raise SheetDataError(f"{where}: no sheet for the product sets {', '.join(missing)}")
    _check_against_rulebooks(family, sheets, rulebooks)
    return classification, sheets


def _check_against_rulebooks(
    family: str, sheets: Mapping[str, ScorecardSheet], rulebooks: Iterable[Rulebook]
) -> None:
    """Every rulebook scored on this family has the sheets' part maxima (the rulebook's data holds
    40/25/35 for qd26-2026; the sheets must agree with it, not with a literal)."""
    for book in rulebooks:
        if book.scorecard_sheet != family:
            continue
        for sheet in sheets.values():
            maxima = {part.code: part.max_points for part in sheet.parts}
            if maxima != dict(book.scorecard):
                raise SheetDataError(
                    f"schemas/scorecards/{family}: sheet {sheet.id} has part maxima {maxima}, "
                    f"rulebook {book.id} {dict(book.scorecard)}"
                )


def _load() -> tuple[dict[str, ProductClassification], dict[str, dict[str, ScorecardSheet]]]:
    classifications: dict[str, ProductClassification] = {}
    families: dict[str, dict[str, ScorecardSheet]] = {}
    root = resources.files("schemas") / "scorecards"
    for folder in sorted(root.iterdir(), key=lambda entry: entry.name):
        if folder.is_dir() and (folder / "product_sets.json").is_file():
            classifications[folder.name], families[folder.name] = load_family(folder)
    return classifications, families


PRODUCT_SETS, SHEETS = _load()
"""Each family's product classification, and its sheets by product-set code."""


# -- which sheet ----------------------------------------------------------------------------------


def flat_sheet(rulebook: Rulebook) -> ScorecardSheet:
    """The sheet of a rulebook scored part by part: parts A, B, C with the rulebook's maxima, each a
    single continuous criterion coded like its part, scored with the rulebook's decimals. A recorded
    scorecard's ``parts`` are its answers unchanged."""
    parts = [
        SheetPart(
            code=part,
            label=PART_LABELS[part],
            max_points=rulebook.scorecard[part],
            children=(
                Criterion(
                    code=part,
                    label=PART_LABELS[part],
                    max_points=rulebook.scorecard[part],
                    continuous=True,
                    decimals=rulebook.score_decimals,
                ),
            ),
        )
        for part in PARTS
    ]
    return ScorecardSheet(
        id=rulebook.id,
        family=rulebook.id,
        name=rulebook.title,
        flat=True,
        max_total=sum(rulebook.scorecard.values(), Decimal(0)),
        parts=tuple(parts),
    )


def classification_for(rulebook: Rulebook) -> ProductClassification | None:
    """The product sets of the rulebook's sheets; None for a rulebook scored part by part."""
    if rulebook.scorecard_sheet is None:
        return None
    return PRODUCT_SETS.get(rulebook.scorecard_sheet)


def sheet_for(rulebook: Rulebook, product_set: str | None = None) -> ScorecardSheet:
    """The sheet a product of ``product_set`` is scored on under ``rulebook``: its set's sheet where
    the rulebook scores by option, else the rulebook's flat sheet (whatever set is named)."""
    family = rulebook.scorecard_sheet
    if family is None:
        return flat_sheet(rulebook)
    sheets = SHEETS.get(family)
    if sheets is None:
        raise LookupError(f"rulebook {rulebook.id} is scored on sheets {family!r}, which are not shipped")
    if product_set is None:
        raise InvalidCommand(
            f"under {rulebook.id} a product names its product set (bộ sản phẩm) to be scored"
        )
    sheet = sheets.get(product_set)
    if sheet is None:
        raise InvalidCommand(
            f"unknown product set {product_set!r}; {rulebook.id} has {', '.join(sorted(sheets))}"
        )
    return sheet


def sheet_by_id(sheet_id: str) -> ScorecardSheet:
    """The sheet a recorded scorecard names (``ScorecardSubmitted.sheet``: "qd26-2026/I.1.a"), or a
    rulebook's flat sheet by the rulebook's id; LookupError when no such sheet ships."""
    family, _, product_set = sheet_id.partition("/")
    if product_set:
        sheet = SHEETS.get(family, {}).get(product_set)
    else:
        sheet = flat_sheet(RULEBOOKS[sheet_id]) if sheet_id in RULEBOOKS else None
    if sheet is None:
        raise LookupError(f"no sheet {sheet_id!r} ships")
    return sheet
