"""One recognition decision for several products (web/authority.py), over HTTP: the authority lists
what awaits its signature, chooses several, confirms, and each journey is recognized through the
API's command path with the one decision number and date, each with a certificate of its own; a
form sent twice records nothing more; a product the engine refuses is shown with its refusal while
the others are recognized."""

from __future__ import annotations

import re
import uuid

import httpx

from schemas.roles import Role
from tests.api.cast import make_cast
from tests.api.harness import Api
from tests.factories import THANH_HOA
from tests.web.test_http import Visitor

DECISION = "QĐ 321/QĐ-UBND"


async def post_pairs(visitor: Visitor, path: str, pairs: list[tuple[str, str]]) -> httpx.Response:
    """POST a form whose fields may repeat (several journey_id), with the session's CSRF token."""
    body: dict[str, list[str]] = {"csrf": [visitor.csrf]}
    for name, value in pairs:
        body.setdefault(name, []).append(value)
    response = await visitor.http.post(path, data=body, headers=visitor._headers())
    return visitor._keep(response)  # the cookies and CSRF token, as Visitor.post keeps them


def listed(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="journey_id" value="([^"]+)"', page)


async def test_the_authority_signs_one_decision_for_several_products(api: Api) -> None:
    cast = await make_cast(api)
    journeys = [await cast.to_awaiting_round() for _ in range(3)]
    for journey_id in journeys:
        await cast.evaluate(journey_id)
    today = await cast.today()
    authority = Visitor(api.http)
    await authority.sign_in(cast.authority.token)

    work = await authority.get("/")
    assert 'href="/recognitions"' in work.text
    page = await authority.get("/recognitions")
    assert page.status_code == 200, page.text
    assert sorted(listed(page.text)) == sorted(journeys)
    assert f'name="decision_date" value="{today}"' in page.text

    chosen = journeys[:2]
    key = str(uuid.uuid4())
    form = {"key": key, "decision_number": DECISION, "decision_date": today}
    fields = [*(("journey_id", j) for j in chosen), *form.items()]
    before = await api.event_count()
    asked = await post_pairs(authority, "/recognitions", fields)
    assert asked.status_code == 200, asked.text
    assert "Ký quyết định công nhận 2 sản phẩm" in asked.text
    assert asked.text.count("★★★★ — cấp tỉnh") == 2
    assert await api.event_count() == before  # nothing recorded before the confirmation

    confirmed = [*fields, ("confirmed", "yes")]
    signed = await post_pairs(authority, "/recognitions", confirmed)
    assert signed.status_code == 303, signed.text
    states = [(await cast.authority.get(f"/v1/journeys/{j}")).json() for j in chosen]
    assert [state["status"] for state in states] == ["CERTIFIED", "CERTIFIED"]
    certificates = [state["certificate"] for state in states]
    assert {c["decision_number"] for c in certificates} == {DECISION}
    assert {c["decision_date"] for c in certificates} == {today}
    assert len({c["number"] for c in certificates}) == 2  # a certificate each
    after = await api.event_count()
    done = await authority.get(signed.headers["location"])
    assert f"Đã ghi nhận quyết định {DECISION}: 2 sản phẩm được công nhận." in done.text
    assert listed(done.text) == [journeys[2]]

    # The same form again (a double click, a reload): one decision, nothing more recorded.
    again = await post_pairs(authority, "/recognitions", confirmed)
    assert again.status_code == 303, again.text
    assert await api.event_count() == after

    # A product the engine refuses (certified already) beside one it accepts: the one is recognized,
    # the other shown with the engine's refusal.
    mixed = [("journey_id", chosen[0]), ("journey_id", journeys[2]), *form.items(), ("confirmed", "yes")]
    mixed = [(name, str(uuid.uuid4()) if name == "key" else value) for name, value in mixed]
    answer = await post_pairs(authority, "/recognitions", mixed)
    assert answer.status_code == 409, answer.text
    assert "1 trong 2 sản phẩm không được ghi nhận" in answer.text
    assert re.search(rf'data-journey="{chosen[0]}">.*?Không được ghi nhận: ', answer.text, re.S)
    third = (await cast.authority.get(f"/v1/journeys/{journeys[2]}")).json()
    assert third["status"] == "CERTIFIED"

    # Nothing chosen: said so; someone else's form: refused as the API refuses them.
    empty = await post_pairs(authority, "/recognitions", list(form.items()))
    assert empty.status_code == 422
    assert "Hãy chọn ít nhất một sản phẩm." in empty.text
    officer = Visitor(api.http)
    await officer.sign_in((await api.actor(Role.PROVINCIAL_OFFICER, str(THANH_HOA))).token)
    await officer.get("/")
    refused = await post_pairs(officer, "/recognitions", [("journey_id", journeys[0]), *form.items()])
    assert refused.status_code == 403
