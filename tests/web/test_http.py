"""The pages over HTTP without a browser: the session cookie, CSRF, redirects, security headers, a
step taken and a step refused through a form."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi.routing import iter_route_contexts

from schemas.roles import Role
from tests.api.cast import make_cast, upload_pdf
from tests.api.harness import Api
from web.session import LANG_COOKIE, SESSION_COOKIE

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Visitor:
    """A browser without a browser: it keeps the cookies itself (httpx sends no Secure cookie over
    plain http, and the pages' cookies are all Secure)."""

    http: httpx.AsyncClient
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""

    def _headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def _keep(self, response: httpx.Response) -> httpx.Response:
        for raw in response.headers.get_list("set-cookie"):
            name, _, rest = raw.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        found = _CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    async def get(self, path: str) -> httpx.Response:
        return self._keep(await self.http.get(path, headers=self._headers()))

    async def post(self, path: str, data: dict[str, str], *, csrf: str | None = None) -> httpx.Response:
        body = {"csrf": self.csrf if csrf is None else csrf, **data}
        return self._keep(await self.http.post(path, data=body, headers=self._headers()))

    async def sign_in(self, token: str) -> None:
        await self.get("/signin")
        response = await self.post("/signin", {"token": token, "next": "/"})
        assert response.status_code == 303, response.text


async def test_the_session_cookie_is_host_only_secure_http_only_and_strict(api: Api) -> None:
    visitor = Visitor(api.http)
    response = await visitor.get("/")
    assert (response.status_code, response.headers["location"]) == (303, "/signin?next=%2F")
    page = await visitor.get("/signin")
    assert page.status_code == 200
    assert '<html lang="vi">' in page.text
    cookie = next(c for c in page.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite=strict", "path=/"} <= attributes
    assert not any(a.startswith(("domain", "expires", "max-age")) for a in attributes)  # a session cookie
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"


async def test_sign_in_checks_the_token_and_the_form_and_starts_a_new_session(api: Api) -> None:
    producer = await api.actor(Role.PRODUCER, "38")
    visitor = Visitor(api.http)
    await visitor.get("/signin")
    anonymous = visitor.cookies[SESSION_COOKIE]

    forged = await visitor.post("/signin", {"token": producer.token}, csrf="not-the-token")
    assert forged.status_code == 403
    assert SESSION_COOKIE + "=" not in "".join(forged.headers.get_list("set-cookie"))

    wrong = await visitor.post("/signin", {"token": "not-a-token"})
    assert wrong.status_code == 401
    assert "Mã truy cập không hợp lệ." in wrong.text

    signed = await visitor.post("/signin", {"token": producer.token, "next": "//evil.example/x"})
    assert (signed.status_code, signed.headers["location"]) == (303, "/")  # never another origin
    assert visitor.cookies[SESSION_COOKIE] != anonymous  # a new nonce, so a new CSRF token
    assert visitor.cookies[SESSION_COOKIE].endswith("." + producer.token)
    work = await visitor.get("/")
    assert work.status_code == 200
    assert f"Đăng nhập: {producer.id}" in work.text

    await visitor.post("/lang", {"lang": "en", "next": "/"})
    assert visitor.cookies[LANG_COOKIE] == "en"
    assert "My work" in (await visitor.get("/")).text

    out = await visitor.post("/signout", {})
    assert out.headers["location"] == "/signin?out=true"
    assert "." not in visitor.cookies[SESSION_COOKIE]  # the token is gone from the browser
    assert (await visitor.get("/")).status_code == 303


async def test_a_step_through_a_form_and_its_refusal_beside_the_form(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.register()
    officer = Visitor(api.http)
    await officer.sign_in(cast.commune_officer.token)
    page = await officer.get(f"/journeys/{journey_id}")
    assert 'id="step-accept-idea"' in page.text

    before = await api.event_count()
    forged = await officer.post(f"/journeys/{journey_id}/steps/accept-idea", {"key": "x"}, csrf="forged")
    assert forged.status_code == 403
    assert await api.event_count() == before

    # A form that claims another body is not believed: the body acted for is the engine's.
    done = await officer.post(
        f"/journeys/{journey_id}/steps/accept-idea", {"key": "", "authority": "Bộ Nông nghiệp và Môi trường"}
    )
    assert (done.status_code, done.headers["location"]) == (303, f"/journeys/{journey_id}?done=accept-idea")
    assert await api.event_count() == before + 1
    history = (await cast.producer.get(f"/v1/journeys/{journey_id}/history")).json()["events"]
    assert (history[-1]["type"], history[-1]["authority"]) == ("idea_accepted", "UBND Phường Hạc Thành")
    assert history[-1]["actor"] == {"id": cast.commune_officer.id, "role": "commune_officer"}

    # The dossier's steps: the engine's refusal shows beside the form that asked for it.
    plan = await upload_pdf(cast.producer, journey_id, "plan")
    await cast.producer.act(journey_id, "submit-plan", {"document": plan})
    await cast.commune_officer.act(journey_id, "approve-plan")
    form = await upload_pdf(cast.producer, journey_id, "form01")
    await cast.producer.act(journey_id, "submit-dossier", {"documents": [form]})
    before = await api.event_count()
    await officer.get(f"/journeys/{journey_id}")
    refused = await officer.post(f"/journeys/{journey_id}/steps/accept-dossier", {"key": ""})
    assert refused.status_code == 422
    box = re.search(
        r'<div class="refusal" role="alert" id="refusal-accept-dossier">(.*?)</div>', refused.text, re.S
    )
    assert box is not None
    # In the page's language (it showed the engine's English until issue 17 item 2's refusals).
    assert "hồ sơ được tiếp nhận kèm báo cáo của UBND cấp xã" in html.unescape(box.group(1))
    assert re.search(r'<details class="step" open>\s*<summary>Tiếp nhận hồ sơ</summary>', refused.text)
    # A field the body model refuses: the message stands beside that field.
    empty = await officer.post(
        f"/journeys/{journey_id}/steps/return-dossier", {"key": "", "missing_items": " "}
    )
    assert empty.status_code == 422
    assert 'id="return-dossier-missing_items-error"' in empty.text
    assert 'aria-describedby="return-dossier-missing_items-error"' in empty.text
    # A step the page does not offer in this state, asked for by hand: refused by the journey.
    stray = await officer.post(f"/journeys/{journey_id}/steps/return-idea", {"key": "", "reason": "x"})
    assert stray.status_code == 409
    assert "WrongState" in stray.text
    assert 'id="refusal"' in stray.text
    assert await api.event_count() == before

    # A producer's step is not offered to the officer, and the access policy refuses it if forced.
    forced = await officer.post(f"/journeys/{journey_id}/steps/submit-plan", {"key": "", "document": "h"})
    assert forced.status_code == 403
    assert "Cán bộ cấp xã không được thực hiện bước “Nộp phương án SXKD”" in html.unescape(forced.text)


async def test_pages_stay_out_of_the_openapi_schema_and_static_files_are_a_fixed_set(api: Api) -> None:
    schema = (await api.http.get("/openapi.json")).json()
    assert all(path.startswith(("/v1", "/health")) for path in schema["paths"])
    css = await api.http.get("/static/app.css")
    assert (css.status_code, css.headers["content-type"]) == (200, "text/css; charset=utf-8")
    assert (await api.http.get("/static/pages.py")).status_code == 404
    assert (await api.http.get("/static/..%2Fpages.py")).status_code == 404


# --- malformed forms: Starlette's 4xx, as the Vietnamese error page, on every page form ----------

_BOUNDARY = "b"
# What the page says (in Vietnamese, the default language) of a form it cannot read.
FORM_REFUSED = {
    400: "Không đọc được biểu mẫu đã gửi",
    403: "Bạn không có quyền xem trang này",
    413: "Biểu mẫu đã gửi quá lớn",
}


def _multipart(parts: list[str]) -> bytes:
    """A multipart body of ``parts`` (each a part's header lines and value), tight enough that a
    thousand and one of them stay under the body limit."""
    return ("".join(f"--{_BOUNDARY}\r\n{part}" for part in parts) + f"--{_BOUNDARY}--\r\n").encode()


def _malformed_forms(csrf: str) -> list[tuple[str, str, bytes | None, int]]:
    """(what, Content-Type, body, the status Starlette or the body limit gives); ``None``: a body
    over the limit sent in chunks, without a Content-Length."""
    many_fields = "&".join([f"csrf={csrf}", *(f"f{i}=1" for i in range(1001))])
    many_files = _multipart(["content-disposition:form-data;name=f;filename=x\r\n\r\n\r\n"] * 1001)
    assert len(many_files) < 64 * 1024  # the files are refused for their number, not the body's size
    huge = f"csrf={csrf}&reason=" + "x" * (70 * 1024)
    return [
        ("too many fields", "application/x-www-form-urlencoded", many_fields.encode(), 400),
        ("too many files", f"multipart/form-data; boundary={_BOUNDARY}", many_files, 400),
        ("multipart without a boundary", "multipart/form-data", b"--x\r\nname=a\r\n\r\nb\r\n--x--\r\n", 400),
        (
            "a part without a name",
            f"multipart/form-data; boundary={_BOUNDARY}",
            _multipart(["content-disposition:form-data\r\n\r\nx\r\n"]),
            400,
        ),
        # Starlette reads any urlencoded body leniently: what it reads holds no CSRF token.
        ("invalid urlencoded", "application/x-www-form-urlencoded", b"%zz=%G1&\xff\xfe=\x00&&=&csrf", 403),
        ("a huge field", "application/x-www-form-urlencoded", huge.encode(), 413),
        ("a huge field in chunks", "application/x-www-form-urlencoded", None, 413),
    ]


def _page_forms(journey_id: str) -> list[str]:
    """Every POST route of the pages, its path filled with a real journey and council."""
    import web

    values = {
        "journey_id": journey_id,
        "action": "accept-idea",
        "kind": "councils",
        "ident": "HD-TH-2025",
        "actor_id": "nobody",
        "step": "deactivate",
        "round_id": "R-2025-1",  # the agency's round forms (web/rounds.py)
        "council_id": "HD-TH-2025",  # a council's membership forms (web/membership.py)
        "notice_id": "00000000-0000-0000-0000-000000000000",  # the inbox's (web/inbox.py)
        "province_code": "38",  # the plan page's form (web/reports.py)
        "year": "2026",
    }

    def sample(found: re.Match[str]) -> str:
        if found.group(1) not in values:
            pytest.fail(f"a page form with a new path parameter {found.group(0)}: give it a value here")
        return values[found.group(1)]

    paths = []
    for route in iter_route_contexts(web.router.routes):  # each module's router is included in web.router
        if "POST" in (route.methods or ()) and route.path is not None:
            if route.path == "/journeys/{journey_id}/documents":
                continue  # a streamed upload, not a form: tests/web/test_document_pages.py asks it
            paths.append(re.sub(r"\{(\w+)(:\w+)?\}", sample, route.path))
    assert {"/signin", "/lang"} <= set(paths)
    return paths


async def test_a_malformed_form_gets_starlettes_4xx_as_a_page_on_every_page_form(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.register()
    member = Visitor(api.http)
    await member.sign_in(cast.chair.token)
    await member.get("/")
    before = await api.event_count()
    wrong: list[str] = []
    for path in _page_forms(journey_id):
        for what, content_type, body, status in _malformed_forms(member.csrf):
            content: Any = body
            if body is None:
                chunk = f"csrf={member.csrf}&reason=".encode() + b"x" * 8192

                async def chunks(chunk: bytes = chunk) -> Any:  # no Content-Length
                    for _ in range(10):
                        yield chunk

                content = chunks()
            headers = {**member._headers(), "Content-Type": content_type}
            response = await api.http.post(path, content=content, headers=headers)
            page = response.text
            if not (
                response.status_code == status
                and response.headers["content-type"] == "text/html; charset=utf-8"
                and '<html lang="vi">' in page
                and f"<h1>{FORM_REFUSED[status]}</h1>" in page
            ):
                wrong.append(f"{what} on {path}: {response.status_code} {response.headers['content-type']}")
    assert not wrong, "\n".join(wrong)
    assert await api.event_count() == before
