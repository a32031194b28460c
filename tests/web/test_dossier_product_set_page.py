"""The dossier names its product set (issue 14; QĐ 26/2026 Phụ lục I) — over HTTP with a real worker.

Under qd26-2026 a product is scored on its set's sheet, so a dossier without a set is refused: the
API answers 422 at ``["body", "product_set"]`` in the reader's language, nothing recorded; the
journey page of a product whose idea named no set offers a choice among the sets of its sector with
the dossier, tells the refusal beside that field, and records the set chosen."""

from __future__ import annotations

import re
import uuid

from tests.api.cast import IDEA, Cast, make_cast, upload_pdf
from tests.api.harness import Api
from tests.web.test_http import Visitor

NO_SET = {key: value for key, value in IDEA.items() if key != "product_set"}
SELECT = re.compile(r'<select id="submit-dossier-product_set" name="product_set"[^>]*>(.*?)</select>', re.S)


async def in_development(cast: Cast, idea: dict[str, object]) -> str:
    response = await cast.producer.post("/v1/journeys", idea)
    assert response.status_code == 201, response.text
    journey_id: str = response.json()["journey_id"]
    await cast.commune_officer.act(journey_id, "accept-idea")
    plan = await upload_pdf(cast.producer, journey_id, "plan")
    await cast.producer.act(journey_id, "submit-plan", {"document": plan})
    await cast.commune_officer.act(journey_id, "approve-plan")
    return journey_id


async def submissions(api: Api, journey_id: str) -> int:
    count: int = await api.pool.fetchval(
        "SELECT count(*) FROM events WHERE stream_id = $1 AND type = 'dossier_submitted'", journey_id
    )
    return count


async def test_the_api_refuses_a_dossier_without_a_set_naming_the_field(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await in_development(cast, NO_SET)
    form = await upload_pdf(cast.producer, journey_id, "form01")
    path = f"/v1/journeys/{journey_id}/submit-dossier"
    for language, words in (("en", "name the product set"), ("vi", "hãy chọn bộ sản phẩm")):
        headers = {**cast.producer.auth, "Idempotency-Key": str(uuid.uuid4()), "Accept-Language": language}
        response = await api.http.post(path, headers=headers, json={"documents": [form]})
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["code"] == "ProductSetRequired"
        assert words in problem["detail"]
        assert [error["loc"] for error in problem["errors"]] == [["body", "product_set"]]
    assert await submissions(api, journey_id) == 0
    receipt = await cast.producer.act(
        journey_id, "submit-dossier", {"documents": [form], "product_set": "I.1.a"}
    )
    assert receipt["state"]["product_set"] == "I.1.a"
    assert await submissions(api, journey_id) == 1


async def test_the_page_offers_the_sets_of_the_sector_tells_the_refusal_beside_it_and_records_the_set(
    api: Api,
) -> None:
    cast = await make_cast(api)
    journey_id = await in_development(cast, NO_SET)
    form = await upload_pdf(cast.producer, journey_id, "form01")
    producer = Visitor(api.http)
    await producer.sign_in(cast.producer.token)
    page = await producer.get(f"/journeys/{journey_id}")
    assert page.status_code == 200, page.text
    offered = SELECT.search(page.text)
    assert offered is not None, "the dossier's form offers no product set"
    assert "Bộ sản phẩm (Phụ lục I)" in page.text
    options = re.findall(r'<option value="([^"]*)"', offered.group(1))
    # Food (sector I of Phụ lục I) only: its sets, none of drinks (II) or the others.
    assert "I.1.a" in options
    assert all(code == "" or code.startswith("I.") for code in options), options

    step = f"/journeys/{journey_id}/steps/submit-dossier"
    refused = await producer.post(step, {"documents": form, "product_set": "", "key": "k-1"})
    assert refused.status_code == 422, refused.text
    beside = re.search(r'<p class="error" id="submit-dossier-product_set-error">([^<]*)</p>', refused.text)
    assert beside is not None, "the refusal is not told beside the product set"
    assert "hãy chọn bộ sản phẩm" in beside.group(1)
    assert await submissions(api, journey_id) == 0

    done = await producer.post(step, {"documents": form, "product_set": "I.1.a", "key": "k-2"})
    assert done.status_code == 303, done.text
    assert await submissions(api, journey_id) == 1
    journey = await cast.producer.get(f"/v1/journeys/{journey_id}")
    assert journey.json()["product_set"] == "I.1.a"


async def test_a_product_whose_idea_named_its_set_is_not_asked_again(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await in_development(cast, IDEA)
    producer = Visitor(api.http)
    await producer.sign_in(cast.producer.token)
    page = await producer.get(f"/journeys/{journey_id}")
    assert page.status_code == 200, page.text
    assert 'id="step-submit-dossier"' in page.text
    assert SELECT.search(page.text) is None
