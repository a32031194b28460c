"""Scoring by option (chấm điểm theo phiếu) and the council's result with star minimums (ocop.md §7).

Pure functions over the sheets of ``schemas.scorecard``: a filled sheet is one choice per applicable
criterion; its part totals and total are the sums of the chosen options' points. The council's mean
and bands are those of ``workflows.scoring``; a rank is awarded only if every minimum it imposes
holds on the council.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.errors import InvalidCommand, InvalidScorecard
from schemas.journey import Scorecard
from schemas.numbers import HUNDREDTH
from schemas.refusals import Reason
from schemas.rulebook import PARTS, Part, Rulebook
from schemas.scorecard import (
    PRODUCT_SETS,
    Choice,
    Criterion,
    Group,
    MinimumJudgement,
    RankHeldBack,
    ScorecardProblem,
    ScorecardSheet,
    SheetCouncilResult,
    SheetScore,
    Shortfall,
    classification_for,
    flat_sheet,
    sheet_for,
)
from workflows.scoring import check_parts, council_mean


def _refuse(criterion: str, problem: ScorecardProblem, why: Reason) -> InvalidScorecard:
    """A refused sheet, naming the criterion (``why`` names it too: "criterion 4.2: ...")."""
    return InvalidScorecard(why, criterion=criterion, problem=problem.value)


def applies(criterion: Criterion, sheet: ScorecardSheet, choices: Mapping[str, Choice]) -> bool:
    """Whether ``criterion`` is to be scored, given the answers so far (its condition holds)."""
    condition = criterion.condition
    if condition is None:
        return True
    basis = sheet.criterion(condition.criterion)
    chosen = choices.get(condition.criterion)
    if basis is None or chosen is None or chosen.option is None or chosen.option >= len(basis.options):
        return False  # the basis is itself refused (missing, not an option) before this is asked
    return basis.options[chosen.option].text not in condition.unless_chosen


def _option_points(criterion: Criterion, choice: Choice) -> Decimal:
    code = criterion.code
    if choice.points is not None or choice.option is None:
        raise _refuse(code, ScorecardProblem.NOT_AN_OPTION, Reason("sheets.choose_option", criterion=code))
    if criterion.variants:
        codes = [variant.code for variant in criterion.variants]
        if choice.variant not in codes:
            raise _refuse(
                code, ScorecardProblem.VARIANT, Reason("sheets.choose_case", criterion=code, cases=codes)
            )
    elif choice.variant is not None:
        raise _refuse(code, ScorecardProblem.VARIANT, Reason("sheets.no_variants", criterion=code))
    allowed = criterion.variant_options(choice.variant)
    if choice.option not in allowed:
        why = (
            Reason(
                "sheets.not_an_option_in_case",
                criterion=code,
                option=choice.option,
                allowed=allowed,
                case=choice.variant,
            )
            if choice.variant
            else Reason("sheets.not_an_option", criterion=code, option=choice.option, allowed=allowed)
        )
        raise _refuse(code, ScorecardProblem.NOT_AN_OPTION, why)
    return criterion.options[choice.option].points


def score_sheet(sheet: ScorecardSheet, choices: Mapping[str, Choice], rulebook: Rulebook) -> SheetScore:
    """Score a filled sheet: refuse it (``InvalidScorecard`` naming the criterion) for an unknown
    criterion, a missing applicable one, an option not in its list (or not in the chosen variant), or
    an answer to a criterion whose condition does not hold; else the points, part totals and total.

    A flat sheet is scored exactly as the part scores always were (``check_parts``: the same refusals,
    ``ScoreOutOfRange``), so older journeys answer as before."""
    unknown = sorted(code for code in choices if sheet.criterion(code) is None)
    if unknown:
        why = Reason("sheets.not_a_criterion", criterion=unknown[0], sheet=sheet.id)
        raise _refuse(unknown[0], ScorecardProblem.UNKNOWN_CRITERION, why)
    if sheet.flat:
        return _score_flat(sheet, choices, rulebook)
    points: dict[str, Decimal] = {}
    not_applicable: list[str] = []
    for criterion in sheet.criteria:  # print order: a condition's basis comes before it
        choice = choices.get(criterion.code)
        if not applies(criterion, sheet, choices):
            if choice is not None:
                assert criterion.condition is not None
                why = Reason(
                    "sheets.not_applicable", criterion=criterion.code, condition=criterion.condition.note
                )
                raise _refuse(criterion.code, ScorecardProblem.NOT_APPLICABLE, why)
            not_applicable.append(criterion.code)
            continue
        if choice is None:
            raise _refuse(
                criterion.code,
                ScorecardProblem.MISSING,
                Reason("sheets.not_answered", criterion=criterion.code),
            )
        points[criterion.code] = _option_points(criterion, choice)
    return _totals(sheet, points, tuple(not_applicable))


def _totals(
    sheet: ScorecardSheet, points: Mapping[str, Decimal], not_applicable: tuple[str, ...]
) -> SheetScore:
    parts: dict[Part, Decimal] = {part: Decimal("0.00") for part in PARTS}
    for code, value in points.items():
        parts[sheet.part_of(code)] += value
    return SheetScore(
        sheet=sheet.id,
        points=dict(points),
        not_applicable=not_applicable,
        parts=parts,
        total=sum(parts.values(), Decimal("0.00")),
    )


def _score_flat(sheet: ScorecardSheet, choices: Mapping[str, Choice], rulebook: Rulebook) -> SheetScore:
    parts: dict[Part, Decimal] = {}
    for part in PARTS:
        choice = choices.get(part)
        if choice is None:
            raise _refuse(part, ScorecardProblem.MISSING, Reason("sheets.not_answered", criterion=part))
        if choice.points is None or choice.option is not None or choice.variant is not None:
            raise _refuse(part, ScorecardProblem.OUT_OF_RANGE, Reason("sheets.give_points", criterion=part))
        parts[part] = choice.points
    check_parts(parts, rulebook)
    return flat_score(sheet, parts)


def flat_score(sheet: ScorecardSheet, parts: Mapping[Part, Decimal]) -> SheetScore:
    """A recorded part-by-part scorecard (``parts`` of ScorecardSubmitted) read as its flat sheet."""
    assert sheet.flat
    return _totals(sheet, {part: parts[part] for part in PARTS}, ())


# -- the council's result -------------------------------------------------------------------------


def _shortfall(
    criterion: Criterion, minimum: Decimal, scores: Sequence[SheetScore], judged_by: MinimumJudgement
) -> Shortfall | None:
    """How ``criterion`` fell short of ``minimum`` on the council, or None if it holds. A sheet on
    which the criterion did not apply gave it no points."""
    given = [score.points.get(criterion.code, Decimal(0)) for score in scores]
    sheets, meeting = len(given), sum(1 for value in given if value >= minimum)
    total = sum(given, Decimal(0))
    if judged_by == MinimumJudgement.CRITERION_MEAN:
        # Compared without rounding: the mean reaches the minimum iff the sum reaches n × minimum.
        if total >= minimum * sheets:
            return None
        points_short: Decimal | None = ((minimum * sheets - total) / sheets).quantize(
            HUNDREDTH, ROUND_CEILING
        )
        sheets_short: int | None = None
    else:
        needed = sheets // 2 + 1  # more than half
        if meeting >= needed:
            return None
        points_short, sheets_short = None, needed - meeting
    return Shortfall(
        criterion=criterion.code,
        label=criterion.label,
        minimum=minimum,
        council_points=(total / sheets).quantize(HUNDREDTH, ROUND_FLOOR),
        sheets_meeting=meeting,
        sheets=sheets,
        points_short=points_short,
        sheets_short=sheets_short,
    )


def shortfalls(
    sheet: ScorecardSheet, scores: Sequence[SheetScore], stars: int, judged_by: MinimumJudgement
) -> list[Shortfall]:
    """The criteria whose minimum for rank ``stars`` does not hold on the council, in print order."""
    found = [
        _shortfall(criterion, minimum, scores, judged_by) for criterion, minimum in sheet.minimums(stars)
    ]
    return [shortfall for shortfall in found if shortfall is not None]


def council_result(
    sheet: ScorecardSheet,
    scores: Sequence[SheetScore],
    rulebook: Rulebook,
    judged_by: MinimumJudgement = MinimumJudgement.CRITERION_MEAN,
) -> SheetCouncilResult:
    """The council's result (ocop.md §7): the mean of the members' totals rounded half-up to two
    decimals, its band, and the awarded rank, the highest rank at or below the band whose minimums
    all hold; each higher rank the band allowed is recorded with the criteria that fell short."""
    if any(score.sheet != sheet.id for score in scores):
        raise ValueError(f"every scorecard of this result is on sheet {sheet.id}")
    mean = council_mean([score.total for score in scores])  # QuorumNotMet when there is none
    band = rulebook.stars_for(mean)
    held_back: list[RankHeldBack] = []
    stars = band
    while stars > rulebook.star_bands[0].stars:
        missed = shortfalls(sheet, scores, stars, judged_by)
        if not missed:
            break
        held_back.append(RankHeldBack(stars=stars, shortfalls=tuple(missed)))
        stars -= 1
    return SheetCouncilResult(
        sheet=sheet.id,
        judged_by=judged_by,
        scorecards=len(scores),
        mean=mean,
        band_stars=band,
        stars=stars,
        held_back=tuple(held_back),
    )


# -- the journey's sheet (wired into workflows/lifecycle.py) ----------------------------------------


def journey_sheet(rulebook: Rulebook, product_set: str | None) -> ScorecardSheet:
    """The sheet a journey's members score on: its product set's sheet where the rulebook scores by
    option and the journey has named its set, else the rulebook's flat sheet (parts A, B, C).

    A journey under a rulebook with sheets that names no product set keeps the flat sheet: every
    journey and recorded history from before the sheets shipped goes on exactly as it ran."""
    if rulebook.scorecard_sheet is None or product_set is None:
        return flat_sheet(rulebook)
    return sheet_for(rulebook, product_set)


def check_product_set(rulebook: Rulebook, product_group: str, product_set: str) -> None:
    """Refuse a product set that is not one of Phụ lục I, or not of the product's sector (its
    product group: the older groups map onto sectors). Under a rulebook scored part by part the set
    is checked against the shipped classifications, to be ready when a rulebook with sheets applies."""
    own = classification_for(rulebook)
    classifications = [own] if own is not None else list(PRODUCT_SETS.values())
    for classification in classifications:
        if classification.product_set(product_set) is None:
            continue
        sector = classification.sector_of(product_set)
        if sector is not None and product_group not in sector.older_groups:
            raise InvalidCommand(
                Reason(
                    "sheets.set_sector",
                    product_set=product_set,
                    sector=sector.code,
                    sector_name=sector.name_vi,
                    product_group=product_group,
                )
            )
        return
    codes = sorted({ps.code for c in classifications for ps in c.sets})
    raise InvalidCommand(Reason("sheets.unknown_set", product_set=product_set, sets=codes))


class ScoredCard(BaseModel):
    """What a submitted or amended scorecard records: the parts and the total, and on a sheet of
    options the sheet, the choices, each applicable criterion's points and those that did not apply."""

    model_config = ConfigDict(frozen=True)

    parts: dict[Part, Decimal]
    total: Decimal
    sheet: str | None = None
    choices: dict[str, Choice] | None = None
    points: dict[str, Decimal] | None = None
    not_applicable: list[str] | None = None

    def facts(self) -> dict[str, Any]:
        """The event's fields (the by-option ones only when scored by option)."""
        return self.model_dump(exclude_none=True)


def score_card(
    sheet: ScorecardSheet,
    parts: Mapping[Part, Decimal] | None,
    choices: Mapping[str, Choice] | None,
    rulebook: Rulebook,
) -> ScoredCard:
    """Score a scorecard given as ``parts`` (a flat sheet: ``check_parts`` exactly as always) or as
    ``choices`` (a sheet of options: ``score_sheet``, refusing with the criterion named)."""
    if sheet.flat:
        if parts is None:
            raise InvalidCommand(Reason("sheets.give_parts", rulebook=rulebook.id))
        return ScoredCard(parts=dict(parts), total=check_parts(parts, rulebook))
    if choices is None:
        raise InvalidCommand(Reason("sheets.give_choices", sheet=sheet.id))
    score = score_sheet(sheet, choices, rulebook)
    return ScoredCard(
        parts=score.parts,
        total=score.total,
        sheet=sheet.id,
        choices=dict(choices),
        points=score.points,
        not_applicable=list(score.not_applicable),
    )


def recorded_score(sheet: ScorecardSheet, card: Scorecard) -> SheetScore:
    """A scorecard of the journey's state read as a scored sheet (``points`` recorded by option)."""
    if card.points is None or card.sheet != sheet.id:
        raise ValueError(f"scorecard of {card.member_id} is not on sheet {sheet.id}")
    return SheetScore(
        sheet=sheet.id,
        points=dict(card.points),
        not_applicable=tuple(card.not_applicable or ()),
        parts=dict(card.parts),
        total=card.total,
    )


def council_sheet_result(
    sheet: ScorecardSheet, cards: Sequence[Scorecard], rulebook: Rulebook, judged_by: MinimumJudgement | None
) -> SheetCouncilResult | None:
    """The council's result with the star minimums, for a journey scored by option; None on a
    flat sheet (the band is the rank, as always)."""
    if sheet.flat:
        return None
    scores = [recorded_score(sheet, card) for card in cards]
    return council_result(sheet, scores, rulebook, judged_by or MinimumJudgement.CRITERION_MEAN)


# -- a filled sheet as Phụ lục II prints it (the printable view and the PDF read the same rows) ------


class SheetRow(BaseModel):
    """One line of a filled sheet laid out like Phụ lục II (dòng của phiếu): a part, a group, a
    criterion, a case (variant) or an option of a criterion, then the total.

    ``points`` is what the line scored: a part's or group's subtotal, a criterion's chosen points
    (None where it did not apply or was not answered), an option's own points; ``chosen`` marks the
    option ticked (and the case it is in)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["part", "group", "criterion", "variant", "option", "total"]
    depth: int = Field(ge=0, description="0 for a part and the total; children one deeper.")
    code: str | None = None
    text: str
    max_points: Decimal | None = None
    points: Decimal | None = None
    star_marker: int | None = None
    chosen: bool = False
    not_applicable: bool = False
    notes: tuple[str, ...] = ()


def _criterion_rows(
    criterion: Criterion, depth: int, score: SheetScore, choices: Mapping[str, Choice]
) -> Iterator[SheetRow]:
    choice = choices.get(criterion.code)
    yield SheetRow(
        kind="criterion",
        depth=depth,
        code=criterion.code,
        text=criterion.label,
        max_points=criterion.max_points,
        points=score.points.get(criterion.code),
        not_applicable=criterion.code in score.not_applicable,
        notes=criterion.notes,
    )
    chosen_option = choice.option if choice is not None else None

    def options(variant: str | None, at: int) -> Iterator[SheetRow]:
        for index in criterion.variant_options(variant):
            option = criterion.options[index]
            yield SheetRow(
                kind="option",
                depth=at,
                text=option.text,
                points=option.points,
                star_marker=option.star_marker,
                chosen=index == chosen_option,
            )

    if not criterion.variants:
        yield from options(None, depth + 1)
        return
    for variant in criterion.variants:
        yield SheetRow(
            kind="variant",
            depth=depth + 1,
            code=variant.code,
            text=variant.label,
            chosen=choice is not None and choice.variant == variant.code,
        )
        yield from options(variant.code, depth + 2)


def _node_rows(
    node: Group | Criterion, depth: int, score: SheetScore, choices: Mapping[str, Choice]
) -> Iterator[SheetRow]:
    if isinstance(node, Criterion):
        yield from _criterion_rows(node, depth, score, choices)
        return
    codes = [leaf.code for leaf in _leaves(node)]
    yield SheetRow(
        kind="group",
        depth=depth,
        code=node.code,
        text=node.label,
        max_points=node.max_points,
        points=sum((score.points.get(code, Decimal("0.00")) for code in codes), Decimal("0.00")),
        notes=node.notes,
    )
    for child in node.children:
        yield from _node_rows(child, depth + 1, score, choices)


def _leaves(group: Group) -> Iterator[Criterion]:
    for child in group.children:
        if isinstance(child, Criterion):
            yield child
        else:
            yield from _leaves(child)


def sheet_rows(sheet: ScorecardSheet, score: SheetScore, choices: Mapping[str, Choice]) -> list[SheetRow]:
    """A filled sheet line by line as Phụ lục II prints it: each part with its total, its groups with
    their subtotals, each criterion with its points and its options (the chosen one marked, star
    markers kept), then the total. A flat sheet prints its three parts and their points."""
    if score.sheet != sheet.id:
        raise ValueError(f"the score is on sheet {score.sheet}, not {sheet.id}")
    rows: list[SheetRow] = []
    for part in sheet.parts:
        rows.append(
            SheetRow(
                kind="part",
                depth=0,
                code=part.code,
                text=part.label,
                max_points=part.max_points,
                points=score.parts[part.code],
            )
        )
        if sheet.flat:
            continue
        for child in part.children:
            rows.extend(_node_rows(child, 1, score, choices))
    rows.append(
        SheetRow(kind="total", depth=0, text="Tổng điểm", max_points=sheet.max_total, points=score.total)
    )
    return rows


def scorecard_rows(sheet: ScorecardSheet, card: Scorecard) -> list[SheetRow]:
    """One member's recorded scorecard as the rows of its sheet (``sheet_rows``); a part-by-part
    scorecard is read as its flat sheet."""
    if sheet.flat:
        return sheet_rows(sheet, flat_score(sheet, card.parts), {})
    return sheet_rows(sheet, recorded_score(sheet, card), card.choices or {})


# -- the producer's gap to the next star (issue 14 item 5: what the self-assessment still lacks) ----


class MinimumGap(BaseModel):
    """A criterion below a rank's minimum on a self-assessment: its points, the minimum, and the
    lowest option that reaches it (its position and text)."""

    model_config = ConfigDict(frozen=True)

    criterion: str
    label: str
    points: Decimal
    minimum: Decimal
    option: int
    option_text: str


class NextStar(BaseModel):
    """What a self-assessed product lacks for the next rank above the one its own sheet would get:
    the points its total is short of that rank's band, and the criteria below that rank's minimums."""

    model_config = ConfigDict(frozen=True)

    stars: int
    band_lower: Decimal
    points_short: Decimal = Field(description="0 when the total is in the band already.")
    minimums: tuple[MinimumGap, ...] = ()


def next_star(sheet: ScorecardSheet, score: SheetScore, rulebook: Rulebook) -> tuple[int, NextStar | None]:
    """The rank one sheet would be awarded on its own (``council_result`` of it alone: the band of its
    total, capped by its minimums) and the gap to the next rank; None above the last rank."""
    awarded = council_result(sheet, [score], rulebook).stars
    bands = {band.stars: band.lower for band in rulebook.star_bands}
    target = awarded + 1
    if target not in bands:
        return awarded, None
    gaps = []
    for criterion, minimum in sheet.minimums(target):
        points = score.points.get(criterion.code, Decimal("0.00"))
        if points >= minimum:
            continue
        reaching = [index for index, option in enumerate(criterion.options) if option.points >= minimum]
        option = min(reaching, key=lambda index: criterion.options[index].points)
        gaps.append(
            MinimumGap(
                criterion=criterion.code,
                label=criterion.label,
                points=points,
                minimum=minimum,
                option=option,
                option_text=criterion.options[option].text,
            )
        )
    short = max(bands[target] - score.total, Decimal("0.00"))
    return awarded, NextStar(
        stars=target, band_lower=bands[target], points_short=short.quantize(HUNDREDTH), minimums=tuple(gaps)
    )


# -- a sheet worth a total (demonstrations and tests) -----------------------------------------------


def sheet_worth(sheet: ScorecardSheet, total: Decimal | str) -> dict[str, Choice]:
    """A whole sheet worth exactly ``total`` (for the demo's and the tests' members): every criterion
    that applies at its best option (a criterion with cases in its first case), then lowered from the
    last criterion up, each as far as still needed. A condition's basis keeps its best option, so that
    every criterion applies; the star minimums are kept as high as the total allows (every 5★ minimum
    when the points to take off fit above them, else every 4★, every 3★), so that such a sheet is
    never capped by a minimum it did not have to miss. Raises ValueError if no sheet of whole options
    is worth ``total``."""
    target = Decimal(total)
    choices: dict[str, Choice] = {}
    for criterion in sheet.criteria:  # print order: a condition's basis is answered before it
        if applies(criterion, sheet, choices):
            variant = criterion.variants[0].code if criterion.variants else None
            best = max(criterion.variant_options(variant), key=lambda i: criterion.options[i].points)
            choices[criterion.code] = Choice(option=best, variant=variant)

    def points(code: str, option: int) -> Decimal:
        criterion = sheet.criterion(code)
        assert criterion is not None
        return criterion.options[option].points

    bases = {c.condition.criterion for c in sheet.criteria if c.condition is not None}
    lowered = [c for c in reversed(sheet.criteria) if c.code not in bases and c.code in choices]
    excess = sum((points(code, choice.option or 0) for code, choice in choices.items()), Decimal(0)) - target

    def floor(criterion: Criterion, rank: int) -> Decimal:
        return (criterion.minimum(rank) or Decimal(0)) if rank else Decimal(0)

    def room(rank: int) -> Decimal:
        spare = Decimal(0)
        for c in lowered:
            allowed = [
                c.options[i].points
                for i in c.variant_options(choices[c.code].variant)
                if c.options[i].points >= floor(c, rank)
            ]
            spare += c.max_points - min(allowed, default=c.max_points)
        return spare

    rank = next((r for r in (5, 4, 3) if room(r) >= excess), 0)
    for criterion in lowered:
        if excess <= 0:
            break
        chosen = choices[criterion.code]
        current = points(criterion.code, chosen.option or 0)
        fitting = [
            i
            for i in criterion.variant_options(chosen.variant)
            if max(current - excess, floor(criterion, rank)) <= criterion.options[i].points < current
        ]
        if fitting:
            option = min(fitting, key=lambda i: criterion.options[i].points)
            excess -= current - criterion.options[option].points
            choices[criterion.code] = Choice(option=option, variant=chosen.variant)
    if excess != 0:
        raise ValueError(f"no sheet of whole options of {sheet.id} is worth {target}")
    return choices
