"""The producer's self-assessment page (Mẫu 02 phần III) over HTTP with a real worker: the producer
scores the product on its sheet, ticks the uploaded documents that support a criterion, sees the
parts and total the engine computes, confirms; the journey records it; a document never uploaded for
the journey is refused with nothing recorded; the council member scoring the product sees the
producer's choice and its document beside that criterion, and the member's own scores are theirs."""

from __future__ import annotations

import re
from decimal import Decimal

from schemas.scorecard import SHEETS, Choice
from tests.api.cast import IDEA, Cast, acceptance, make_cast, upload_pdf
from tests.api.harness import Api
from tests.scoresheets import filled, option_worth
from tests.web.test_http import Visitor

FOOD_SET = "I.1.a"
SHEET = SHEETS["qd26-2026"][FOOD_SET]
PACKAGING = "2.2"


def sheet_fields(choices: dict[str, Choice]) -> dict[str, str]:
    fields = {f"c-{code}": str(choice.option) for code, choice in choices.items()}
    fields |= {f"v-{code}": choice.variant for code, choice in choices.items() if choice.variant}
    return fields


async def in_development(cast: Cast) -> str:
    response = await cast.producer.post("/v1/journeys", {**IDEA, "product_set": FOOD_SET})
    assert response.status_code == 201, response.text
    journey_id: str = response.json()["journey_id"]
    await cast.commune_officer.act(journey_id, "accept-idea")
    plan = await upload_pdf(cast.producer, journey_id, "plan")
    await cast.producer.act(journey_id, "submit-plan", {"document": plan})
    await cast.commune_officer.act(journey_id, "approve-plan")
    return journey_id


async def recorded(api: Api) -> int:
    count: int = await api.pool.fetchval(
        "SELECT count(*) FROM events WHERE type = 'self_assessment_submitted'"
    )
    return count


async def test_the_producer_self_assesses_with_evidence_and_the_member_sees_it_beside_the_criterion(
    api: Api,
) -> None:
    cast = await make_cast(api)
    journey_id = await in_development(cast)
    label = await upload_pdf(cast.producer, journey_id, "nhan-bao-bi")
    path = f"/journeys/{journey_id}/self-assessment"
    producer = Visitor(api.http)
    await producer.sign_in(cast.producer.token)

    page = await producer.get(path)
    assert page.status_code == 200, page.text
    assert "Tự đánh giá sản phẩm" in page.text
    assert 'name="e-2.2"' in page.text  # the uploaded document offered beside each criterion

    criterion = SHEET.criterion(PACKAGING)
    assert criterion is not None
    # 2.2 at its 1-point option (of 3): part A 40 − 2 = 38, the total 98.
    choices = filled(SHEET, {PACKAGING: option_worth(criterion, "1.00")})
    fields = {**sheet_fields(choices), f"e-{PACKAGING}": label, "step": "preview", "key": ""}
    preview = await producer.post(path, fields)
    assert preview.status_code == 200, preview.text
    assert "A 38,00 · B 25,00 · C 35,00 — tổng 98,00" in preview.text
    assert await recorded(api) == 0  # a preview records nothing

    # A document that was never uploaded for this journey: refused, nothing recorded.
    stranger = "sha256:" + "0" * 64
    refused = await producer.post(path, {**fields, f"e-{PACKAGING}": stranger, "step": "confirm"})
    assert refused.status_code == 422, refused.text
    assert await recorded(api) == 0

    done = await producer.post(path, {**fields, "step": "confirm"})
    assert done.status_code == 303, done.text
    assert await recorded(api) == 1
    journey = (await cast.producer.get(f"/v1/journeys/{journey_id}")).json()
    assessment = journey["self_assessment"]
    assert Decimal(assessment["total"]) == Decimal(98)
    assert assessment["criterion_evidence"] == {PACKAGING: [label]}
    # The gap to the next star, on the producer's own sheet: 2.2 at 1 point misses its 3★ minimum
    # (2 points, its *** option), so the sheet alone would get 2★ whatever its 98 points.
    again = await producer.get(path)
    assert "Theo phiếu tự đánh giá, sản phẩm đạt 2 sao." in again.text
    assert "Tổng điểm đã đủ cho 3 sao." in again.text
    gap = re.search(r'<li data-code="2.2">(.*?)</li>', again.text, re.S)
    assert gap is not None
    assert "mức tối thiểu 2" in gap.group(1)

    # The dossier goes in, is accepted and enrolled; a council member opens the scoring page.
    form01 = await upload_pdf(cast.producer, journey_id, "form01")
    await cast.producer.act(journey_id, "submit-dossier", {"documents": [form01]})
    report = await upload_pdf(cast.commune_officer, journey_id, "report")
    body = await acceptance(cast.commune_officer, journey_id, report)
    await cast.commune_officer.act(journey_id, "accept-dossier", body)
    await cast.enrol(journey_id)
    member = Visitor(api.http)
    await member.sign_in(cast.member.token)
    scoring = await member.get(f"/journeys/{journey_id}/score")
    assert scoring.status_code == 200, scoring.text
    beside = re.search(r'<div class="self-note" id="self-2_2">(.*?)</div>', scoring.text, re.S)
    assert beside is not None
    chosen_text = criterion.options[choices[PACKAGING].option or 0].text
    assert chosen_text in beside.group(1)
    assert "1 điểm" in beside.group(1)
    assert f"/journeys/{journey_id}/documents/{label.removeprefix('sha256:')}" in beside.group(1)
    # The member reads the self-assessment; they cannot change it (it is the producer's step).
    attempt = await member.post(path, {**fields, "step": "confirm"})
    assert attempt.status_code in (403, 409), attempt.text
    assert await recorded(api) == 1
