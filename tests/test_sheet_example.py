"""The OpenAPI examples of submit-scorecard show both bodies: the three parts (a flat sheet) and a
whole sheet of options (QĐ 26/2026, set I.1.a), which the API's body accepts and the engine scores."""

from __future__ import annotations

from schemas.api import ACTION_BODIES
from schemas.rulebooks import get_rulebook
from schemas.scorecard import SHEETS, Choice
from workflows.sheets import score_sheet


def test_the_scorecard_examples_hold_a_whole_sheet_of_choices_the_engine_scores() -> None:
    body = ACTION_BODIES["submit-scorecard"]
    examples = body.model_json_schema()["examples"]
    assert [sorted(example) for example in examples] == [["parts"], ["choices"]]
    sheet = SHEETS["qd26-2026"]["I.1.a"]
    validated = body.model_validate(examples[1])
    choices = {code: Choice.model_validate(choice) for code, choice in examples[1]["choices"].items()}
    assert validated.model_dump()["choices"].keys() == choices.keys()
    score = score_sheet(sheet, choices, get_rulebook("qd26-2026"))  # refuses an incomplete sheet
    assert score.not_applicable == ()
    assert score.total == sheet.max_total  # each criterion at its best option
