"""An administrator creates an actor on the page /actors/new (tạo tác nhân): the account is the
API's (``POST /v1/actors``), its token is shown once and works; refused values are told beside
their field in the page's language, and nothing is created."""

from __future__ import annotations

import html
import re

from schemas.roles import Role
from tests.api.harness import Api, Caller
from tests.factories import HAC_THANH
from tests.web.test_http import Visitor


def _beside(response_text: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', response_text, re.S)
    return html.unescape(found.group(1)) if found else ""


async def _actor_rows(api: Api) -> int:
    count: int = await api.pool.fetchval("SELECT count(*) FROM actors")
    return count


async def test_an_administrator_creates_an_actor_and_sees_its_token_once(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "38", "admin-thanh-hoa")
    visitor = Visitor(api.http)
    await visitor.sign_in(admin.token)
    listing = await visitor.get("/actors")
    assert 'href="/actors/new"' in listing.text
    form = await visitor.get("/actors/new")
    assert form.status_code == 200
    assert "Tạo tác nhân mới" in form.text
    key = re.search(r'name="key" value="([^"]+)"', form.text)
    assert key is not None
    fields = {"role": "commune_officer", "jurisdiction": str(HAC_THANH), "id": "cb-moi", "key": key.group(1)}
    before = await _actor_rows(api)
    asked = await visitor.post("/actors", fields)
    assert asked.status_code == 200
    assert "Xác nhận tạo tác nhân" in asked.text
    assert "xã 14797" in asked.text or f"xã {HAC_THANH}" in asked.text
    assert await _actor_rows(api) == before  # nothing before the confirmation
    fields["confirmed"] = "yes"
    created = await visitor.post("/actors", fields)
    assert created.status_code == 200, created.text
    token = re.search(r'id="once-value">([^<]+)</code>', created.text)
    assert token is not None, created.text
    new = Caller(api.http, "cb-moi", Role.COMMUNE_OFFICER, html.unescape(token.group(1)))
    me = await new.get("/v1/me")
    assert me.status_code == 200
    assert me.json()["jurisdiction"] == {"kind": "commune", "value": str(HAC_THANH)}
    assert me.json()["created_by"] == "admin-thanh-hoa"
    # The same form sent again (a double click): one actor, and the token is not shown again.
    again = await visitor.post("/actors", fields)
    assert again.status_code == 303
    assert again.headers["location"] == "/actors/cb-moi?done=true"
    shown = await visitor.get("/actors/cb-moi")
    assert token.group(1) not in shown.text


async def test_refused_values_are_told_beside_their_field_and_nothing_is_created(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "38")
    visitor = Visitor(api.http)
    await visitor.sign_in(admin.token)
    await visitor.get("/actors/new")
    before = await _actor_rows(api)
    # A commune officer needs a commune code, not a province's.
    wrong_place = await visitor.post(
        "/actors", {"role": "commune_officer", "jurisdiction": "38", "id": "cb-sai"}
    )
    assert wrong_place.status_code == 422
    assert "không hợp với vai trò" in _beside(wrong_place.text, "jurisdiction")
    assert 'value="38"' in wrong_place.text  # kept as typed
    bad_id = await visitor.post(
        "/actors", {"role": "auditor", "jurisdiction": "38", "id": "có dấu cách"}
    )
    assert bad_id.status_code == 422
    assert "Mã bắt đầu bằng chữ hoặc số" in _beside(bad_id.text, "id")
    # Another province's officer: the API's access rule refuses it, in Vietnamese.
    outside = await visitor.post(
        "/actors", {"role": "provincial_officer", "jurisdiction": "1", "id": "cb-ha-noi"}
    )
    assert outside.status_code == 403
    assert 'role="alert"' in outside.text
    taken = await visitor.post(
        "/actors", {"role": "auditor", "jurisdiction": "38", "id": admin.id, "confirmed": "yes"}
    )
    assert taken.status_code == 409
    assert await _actor_rows(api) == before


async def test_only_administrators_have_the_form(api: Api) -> None:
    officer = await api.actor(Role.PROVINCIAL_OFFICER, "38")
    visitor = Visitor(api.http)
    await visitor.sign_in(officer.token)
    assert (await visitor.get("/actors/new")).status_code == 403
    await visitor.get("/")
    refused = await visitor.post(
        "/actors", {"role": "auditor", "jurisdiction": "38", "id": "kt-1", "confirmed": "yes"}
    )
    assert refused.status_code == 403


def _jurisdiction_shown(response_text: str) -> str:
    found = re.search(r"<dt>(?:Địa bàn|Jurisdiction)</dt><dd>(.*?)</dd>", response_text, re.S)
    assert found is not None, response_text
    return html.unescape(found.group(1)).strip()


async def test_the_actor_page_names_the_jurisdictions_kind_in_the_pages_language(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "38")
    await api.actor(Role.COMMUNE_OFFICER, str(HAC_THANH), "cb-xa-1")
    await api.actor(Role.PROVINCIAL_OFFICER, "38", "cb-tinh-1")
    visitor = Visitor(api.http)
    await visitor.sign_in(admin.token)
    assert _jurisdiction_shown((await visitor.get("/actors/cb-xa-1")).text) == f"xã {HAC_THANH}"
    assert _jurisdiction_shown((await visitor.get("/actors/cb-tinh-1")).text) == "tỉnh 38"
    switched = await visitor.post("/lang", {"lang": "en", "next": "/actors/cb-xa-1"})
    assert switched.status_code == 303
    assert _jurisdiction_shown((await visitor.get("/actors/cb-xa-1")).text) == f"commune {HAC_THANH}"
