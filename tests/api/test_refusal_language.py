"""A refusal in the reader's language (issue 17 item 2): the API tells it by Accept-Language (vi or
en; English when it names neither), the pages in the page's language. The case the issue quotes: a
council member's part A of 45 where the rulebook scores it from 0 to 40, refused by the journey's
own rule inside Temporal, its reason carried back in the ApplicationError's details."""

from __future__ import annotations

import html
import re
import uuid

import httpx

from tests.api.cast import ROUND_ID, make_cast
from tests.api.harness import Api, Caller
from tests.web.test_http import Visitor
from web.session import LANG_COOKIE

OVER_40 = {"A": "45", "B": "20", "C": "28"}
VI = "phần A được chấm từ 0 đến 40; đã nhập 45"
EN = "part A is scored from 0 to 40; got 45"


async def _score(member: Caller, journey_id: str, language: str | None) -> httpx.Response:
    headers = {**member.auth, "Idempotency-Key": str(uuid.uuid4())}
    if language is not None:
        headers["Accept-Language"] = language
    return await member.http.post(
        f"/v1/journeys/{journey_id}/submit-scorecard", headers=headers, json={"parts": OVER_40}
    )


async def test_the_same_refused_request_is_answered_in_vietnamese_or_english(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.to_awaiting_round(scored_by_parts=True)
    await cast.enrol(journey_id)
    before = await api.event_count()

    vietnamese = await _score(cast.member, journey_id, "vi-VN,vi;q=0.9,en;q=0.5")
    assert vietnamese.status_code == 422, vietnamese.text
    problem = vietnamese.json()
    assert (problem["code"], problem["detail"]) == ("ScoreOutOfRange", VI)
    assert problem["errors"][0]["msg"] == VI  # beside the field too
    assert vietnamese.headers["content-language"] == "vi"

    english = await _score(cast.member, journey_id, "en")
    assert (english.status_code, english.json()["detail"]) == (422, EN)
    assert english.headers["content-language"] == "en"
    # Neither vi nor en asked (or no header): English, the API's default.
    for asked in (None, "fr-FR, de;q=0.8"):
        other = await _score(cast.member, journey_id, asked)
        assert (other.status_code, other.json()["detail"]) == (422, EN)
    # English preferred over Vietnamese by weight.
    weighed = await _score(cast.member, journey_id, "vi;q=0.3, en;q=0.8")
    assert weighed.json()["detail"] == EN
    assert await api.event_count() == before


async def test_a_page_tells_the_engines_refusal_in_the_pages_language(api: Api) -> None:
    # The scoring page words part A's range itself (web.scoring.out_of_range) before it sends
    # anything; the chair's board shows the engine's own refusal: finalizing with no scorecard.
    cast = await make_cast(api)
    journey_id = await cast.to_awaiting_round()
    await cast.enrol(journey_id)
    chair = Visitor(api.http)
    await chair.sign_in(cast.chair.token)
    board = f"/rounds/{ROUND_ID}/board"
    await chair.get(board)
    before = await api.event_count()

    refused = await chair.post(board, {"journey_id": journey_id, "confirmed": "yes", "key": ""})
    assert refused.status_code == 409, refused.text
    shown = _refusal(refused)
    assert re.search(r"mới có 0 trên \d+ phiếu đánh giá cần để đủ số thành viên", shown), shown
    assert "scorecards" not in shown

    chair.cookies[LANG_COOKIE] = "en"  # the same page in English tells it in English
    await chair.get(board)
    refused = await chair.post(board, {"journey_id": journey_id, "confirmed": "yes", "key": ""})
    assert re.search(r"0 of the \d+ scorecards needed for a quorum have been submitted", _refusal(refused))
    assert await api.event_count() == before


def _refusal(response: httpx.Response) -> str:
    box = re.search(r'<div class="refusal" role="alert" id="refusal">(.*?)</div>', response.text, re.S)
    assert box is not None, response.text
    return html.unescape(box.group(1))


async def test_an_access_refusal_tells_its_codes_in_words_in_vietnamese_and_as_codes_in_english(
    api: Api,
) -> None:
    cast = await make_cast(api)
    journey_id = await cast.register()
    path = f"/v1/journeys/{journey_id}/submit-plan"
    for language, expected in (
        ("vi", "Cán bộ cấp xã không được thực hiện bước “Nộp phương án SXKD”"),
        ("en", "a commune_officer cannot submit-plan"),
    ):
        headers = {**cast.commune_officer.auth, "Accept-Language": language}
        headers["Idempotency-Key"] = str(uuid.uuid4())
        response = await api.http.post(path, headers=headers, json={"document": "sha256:plan"})
        assert response.status_code == 403, response.text
        assert (response.json()["code"], response.json()["detail"]) == ("AccessDenied", expected)


async def test_a_score_the_api_cannot_read_is_refused_beside_its_field_in_vietnamese(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.to_awaiting_round(scored_by_parts=True)
    await cast.enrol(journey_id)
    for language, expected in (
        ("vi", "điểm là một số, không phải true hay false"),
        ("en", "Value error, a score is a number, not true or false"),  # as pydantic words it
    ):
        headers = {**cast.member.auth, "Accept-Language": language, "Idempotency-Key": str(uuid.uuid4())}
        response = await api.http.post(
            f"/v1/journeys/{journey_id}/submit-scorecard",
            headers=headers,
            json={"parts": {"A": True, "B": "20", "C": "28"}},
        )
        assert response.status_code == 422, response.text
        errors = response.json()["errors"]
        assert [(error["loc"], error["msg"]) for error in errors] == [(["body", "parts", "A"], expected)]
