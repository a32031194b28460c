"""The journey's and the round's own refusals in the reader's language (issue 17 item 2): workflows/
lifecycle.py and round_rules.py give each refusal as a template of schemas/refusals.py, so the API's
problem+json tells it by Accept-Language and a page in its own language — codes in words, a date
dd/mm/yyyy in Vietnamese — while the English message stays as it always was."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Mapping
from datetime import date, timedelta

import httpx

from tests.api.cast import COUNCIL_ID, ROUND_ID, make_cast, upload_pdf
from tests.api.harness import Api, Caller
from tests.web.test_http import Visitor


async def _post(caller: Caller, path: str, body: Mapping[str, object], language: str) -> httpx.Response:
    headers = {**caller.auth, "Idempotency-Key": str(uuid.uuid4()), "Accept-Language": language}
    return await caller.http.post(path, headers=headers, json=body)


async def test_a_step_in_the_wrong_state_is_told_with_its_statuses_in_words(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.register()
    plan = await upload_pdf(cast.producer, journey_id, "plan")
    before = await api.event_count()
    path = f"/v1/journeys/{journey_id}/submit-plan"
    for language, expected in (
        ("vi", "hành trình đang ở trạng thái “Đã đăng ký ý tưởng”; bước này cần Chờ phương án SXKD"),
        ("en", "the journey is IDEA_REGISTERED; this step needs PLAN_PENDING"),
    ):
        response = await _post(cast.producer, path, {"document": plan}, language)
        assert response.status_code == 409, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.headers["content-language"] == language
        assert (response.json()["code"], response.json()["detail"]) == ("WrongState", expected)
    assert await api.event_count() == before


async def test_a_rounds_refusals_name_their_journey_and_write_their_date_as_the_reader_does(
    api: Api,
) -> None:
    cast = await make_cast(api)
    journey_id = await cast.to_awaiting_round()
    await cast.enrol(journey_id)
    before = await api.event_count()
    again = f"/v1/rounds/{ROUND_ID}/enrollments"
    for language, expected in (
        ("vi", f"hành trình sản phẩm {journey_id} đã được xếp vào đợt đánh giá này"),
        ("en", f"journey {journey_id} is enrolled in this round already"),
    ):
        response = await _post(cast.provincial_officer, again, {"journey_id": journey_id}, language)
        assert response.status_code == 409, response.text
        assert response.json()["detail"] == expected

    today = date.fromisoformat(await cast.today())
    past = today - timedelta(days=3)
    late = {
        "round_id": "round-late",
        "name": "Đợt muộn",
        "council_id": COUNCIL_ID,
        "cut_off": past.isoformat(),
        "meeting_date": (today + timedelta(days=5)).isoformat(),
    }
    for language, expected in (
        ("vi", f"hạn chót tiếp nhận hồ sơ {past:%d/%m/%Y} đã qua"),
        ("en", f"the cut-off {past.isoformat()} has passed already"),
    ):
        response = await _post(cast.provincial_officer, "/v1/rounds", late, language)
        assert response.status_code == 409, response.text
        assert (response.json()["code"], response.json()["detail"]) == ("AfterCutOff", expected)
    assert await api.event_count() == before


async def test_a_page_tells_the_journeys_refusal_in_vietnamese(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.register()
    officer = Visitor(api.http)
    await officer.sign_in(cast.commune_officer.token)
    await officer.get(f"/journeys/{journey_id}")
    before = await api.event_count()
    # A step the page does not offer in this state, asked for by hand: the journey refuses it.
    refused = await officer.post(f"/journeys/{journey_id}/steps/approve-plan", {"key": ""})
    assert refused.status_code == 409, refused.text
    box = re.search(r'<div class="refusal" role="alert" id="refusal">(.*?)</div>', refused.text, re.S)
    assert box is not None, refused.text
    shown = html.unescape(box.group(1))
    assert "hành trình đang ở trạng thái “Đã đăng ký ý tưởng”; bước này cần Đã nộp phương án SXKD" in shown
    assert "the journey is" not in shown
    assert await api.event_count() == before
