"""Scoring by option over HTTP (QĐ 26/2026 Phụ lục II): a sheet with a criterion missing or unknown is
answered 422 naming that criterion as the field at fault, and nothing is recorded."""

from __future__ import annotations

from functools import partial
from typing import Any

from schemas.scorecard import SHEETS
from tests.api.cast import IDEA, Cast, acceptance, upload_pdf
from tests.api.harness import Api
from tests.api.test_refusals import refused
from tests.scoresheets import filled, total_of

FOOD_SET = "I.1.a"
SHEET = SHEETS["qd26-2026"][FOOD_SET]


async def _enrolled_food_product(cast: Cast) -> str:
    response = await cast.producer.post("/v1/journeys", {**IDEA, "product_set": FOOD_SET})
    assert response.status_code == 201, response.text
    journey_id: str = response.json()["journey_id"]
    await cast.commune_officer.act(journey_id, "accept-idea")
    plan = await upload_pdf(cast.producer, journey_id, "plan")
    await cast.producer.act(journey_id, "submit-plan", {"document": plan})
    await cast.commune_officer.act(journey_id, "approve-plan")
    form = await upload_pdf(cast.producer, journey_id, "form01")
    await cast.producer.act(journey_id, "submit-dossier", {"documents": [form]})
    report = await upload_pdf(cast.commune_officer, journey_id, "report")
    body = await acceptance(cast.commune_officer, journey_id, report)
    await cast.commune_officer.act(journey_id, "accept-dossier", body)
    await cast.advise(journey_id)
    await cast.enrol(journey_id)
    return journey_id


def _choices(choices: dict[str, Any]) -> dict[str, Any]:
    return {code: choice.model_dump(exclude_none=True) for code, choice in choices.items()}


async def test_a_missing_or_unknown_criterion_is_refused_naming_it_and_nothing_is_recorded(
    api: Api, cast: Cast
) -> None:
    journey_id = await _enrolled_food_product(cast)
    sheet = _choices(filled(SHEET))
    missing = {code: choice for code, choice in sheet.items() if code != "5.1"}
    unknown = {**sheet, "99.9": {"option": 0}}
    path = f"/v1/journeys/{journey_id}/submit-scorecard"
    for body, criterion, problem_kind in ((missing, "5.1", "missing"), (unknown, "99.9", "unknown")):
        problem = await refused(api, partial(cast.member.post, path, {"choices": body}), 422)
        assert problem["code"] == "InvalidScorecard", problem_kind
        assert problem["errors"] == [
            {"loc": ["body", "choices", criterion], "msg": problem["detail"], "type": "InvalidScorecard"}
        ]
        assert problem["detail"].startswith(f"criterion {criterion}:")
    # Parts are not a sheet of options: refused as well.
    await refused(api, partial(cast.member.post, path, {"parts": {"A": "32", "B": "20", "C": "28"}}), 422)

    receipt = await cast.member.act(journey_id, "submit-scorecard", {"choices": sheet})
    card = receipt["state"]["evaluation"]["scorecards"][cast.member.id]
    assert card["sheet"] == SHEET.id
    assert card["total"] == str(total_of(SHEET, filled(SHEET)))
