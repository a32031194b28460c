"""Filled scorecard sheets for tests: one choice per applicable criterion, read from the sheet data."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from schemas.scorecard import Choice, Criterion, ScorecardSheet
from workflows.sheets import applies, sheet_worth


def best_choice(criterion: Criterion) -> Choice:
    """The option worth the criterion's maximum (in its first variant where it has variants)."""
    variant = criterion.variants[0].code if criterion.variants else None
    allowed = criterion.variant_options(variant)
    option = max(allowed, key=lambda index: criterion.options[index].points)
    return Choice(option=option, variant=variant)


def option_worth(criterion: Criterion, points: str) -> Choice:
    """The option of ``criterion`` worth ``points``."""
    found = [index for index, option in enumerate(criterion.options) if str(option.points) == points]
    assert found, f"{criterion.code} has no option worth {points}"
    option = criterion.options[found[0]]
    return Choice(option=found[0], variant=option.variant)


def filled(sheet: ScorecardSheet, overrides: Mapping[str, Choice] | None = None) -> dict[str, Choice]:
    """A full sheet: the best option of every criterion that applies, but ``overrides`` where given."""
    choices: dict[str, Choice] = {}
    for criterion in sheet.criteria:  # print order: a condition's basis is answered before it
        if applies(criterion, sheet, choices):
            choices[criterion.code] = (overrides or {}).get(criterion.code) or best_choice(criterion)
    return choices


def total_of(sheet: ScorecardSheet, choices: Mapping[str, Choice]) -> Decimal:
    """The sum of the chosen options' points, added up here apart from the engine's scoring."""
    total = Decimal(0)
    for code, choice in choices.items():
        criterion = sheet.criterion(code)
        assert criterion is not None
        assert choice.option is not None
        total += criterion.options[choice.option].points
    return total


def sheet_for_total(sheet: ScorecardSheet, total: Decimal | str) -> dict[str, Choice]:
    """A full sheet worth exactly ``total`` (``workflows.sheets.sheet_worth``: the star minimums kept
    as high as the total allows), its total added up again here apart from the engine."""
    choices = sheet_worth(sheet, total)
    assert total_of(sheet, choices) == Decimal(total)
    return choices


def sheet_body(sheet: ScorecardSheet, total: Decimal | str) -> dict[str, dict[str, object]]:
    """``sheet_for_total`` as the API's body takes it: criterion code → the choice as JSON."""
    return {
        code: choice.model_dump(mode="json", exclude_none=True)
        for code, choice in sheet_for_total(sheet, total).items()
    }
