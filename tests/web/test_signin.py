"""Signing in to the pages as people do (issue 12, item 6): a user name and a password, a first
password changed at the first sign-in, lock-out after repeated failures, a TOTP second factor
required of administrators and recognition authorities, and sessions that end at once when an
administrator deactivates the actor. Over HTTP, and once in Chromium."""

from __future__ import annotations

import html
import re
import time
import uuid

import pyotp
import pytest
from playwright.async_api import expect
from structlog.testing import capture_logs

from schemas.roles import Role
from settings import Settings
from tests.api.harness import Api, Caller
from tests.factories import HAC_THANH
from tests.web.conftest import Site
from tests.web.test_http import Visitor
from web.session import SESSION_COOKIE

NEW_PASSWORD = "mật-khẩu-riêng-2025"


async def _with_sign_in(api: Api, admin: Caller, target: Caller, user_name: str) -> str:
    """Open a page sign-in for ``target`` through the API; its first password."""
    response = await admin.post(f"/v1/actors/{target.id}/sign-in", {"user_name": user_name})
    assert response.status_code == 201, response.text
    password: str = response.json()["password"]
    return password


async def _sign_in(visitor: Visitor, user_name: str, password: str, next_path: str = "/") -> str:
    """Post the sign-in form; where it sends the browser."""
    await visitor.get("/signin")
    response = await visitor.post(
        "/signin", {"user_name": user_name, "password": password, "next": next_path}
    )
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    return location


async def _choose_password(visitor: Visitor, next_path: str = "/") -> str:
    """Open the change-of-password form (its CSRF token is the new session's) and send it."""
    await visitor.get(f"/account/password?next={next_path}")
    response = await visitor.post(
        "/account/password",
        {"new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD, "next": next_path},
    )
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    return location


def _error(response_text: str) -> str:
    found = re.search(r'<p class="error"[^>]*>(.*?)</p>', response_text, re.S)
    return html.unescape(found.group(1)) if found else ""


async def test_a_first_password_must_be_changed_before_any_page(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "38")
    officer = await api.actor(Role.PROVINCIAL_OFFICER, "38")
    first = await _with_sign_in(api, admin, officer, "tran.van.b")
    visitor = Visitor(api.http)

    assert await _sign_in(visitor, "Tran.Van.B", first, "/journeys") == "/account/password?next=%2Fjourneys"
    # Until the password is changed, no page opens: every one leads back to the change.
    work = await visitor.get("/")
    assert work.status_code == 303
    assert (await visitor.get(work.headers["location"])).headers["location"].startswith("/account/password")
    form = await visitor.get("/account/password?next=%2Fjourneys")
    assert form.status_code == 200
    assert "Đặt mật khẩu mới" in form.text

    for new, again, message in (
        ("ngắn", "ngắn", "Mật khẩu cần ít nhất 10 ký tự."),
        (first, first, "Hãy chọn mật khẩu khác mật khẩu được cấp."),
        ("tran.van.b", "tran.van.b", "Mật khẩu không được trùng với tên đăng nhập."),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "Hai lần nhập mật khẩu không khớp nhau."),
    ):
        refused = await visitor.post(
            "/account/password", {"new_password": new, "repeat_password": again, "next": "/journeys"}
        )
        assert refused.status_code == 422
        assert _error(refused.text) == message

    changed = await visitor.post(
        "/account/password",
        {"new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD, "next": "/journeys"},
    )
    assert (changed.status_code, changed.headers["location"]) == (303, "/journeys")
    assert f"Đăng nhập: {officer.id}" in (await visitor.get("/")).text

    # The first password no longer opens; the new one opens at once, with nothing left to do.
    returning = Visitor(api.http)
    await returning.get("/signin")
    old = await returning.post("/signin", {"user_name": "tran.van.b", "password": first, "next": "/"})
    assert old.status_code == 401
    assert _error(old.text) == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert await _sign_in(returning, "tran.van.b", NEW_PASSWORD) == "/"


async def test_repeated_failures_lock_the_account_even_for_the_right_password(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "38")
    officer = await api.actor(Role.PROVINCIAL_OFFICER, "38")
    first = await _with_sign_in(api, admin, officer, "le.thi.c")
    limit = Settings().signin_max_failures  # OCOP_SIGNIN_MAX_FAILURES (5 by default)
    visitor = Visitor(api.http)
    await visitor.get("/signin")

    answers = []
    for _ in range(limit):
        answer = await visitor.post(
            "/signin", {"user_name": "le.thi.c", "password": "sai-mat-khau", "next": "/"}
        )
        answers.append((answer.status_code, _error(answer.text)))
    right = await visitor.post("/signin", {"user_name": "le.thi.c", "password": first, "next": "/"})

    assert [status for status, _ in answers] == [401] * (limit - 1) + [429]
    assert answers[-1][1].startswith("Tài khoản tạm khoá do đăng nhập sai nhiều lần.")
    assert right.status_code == 429, "locked: the right password is refused too"
    assert SESSION_COOKIE in visitor.cookies
    assert ":" not in visitor.cookies[SESSION_COOKIE]  # no session was opened

    # The lock ends with its time (15 minutes by default) ...
    locked_until = await api.pool.fetchval(
        "SELECT locked_until FROM accounts WHERE actor_id = $1", officer.id
    )
    assert 14 * 60 < (locked_until - await api.pool.fetchval("SELECT now()")).total_seconds() <= 15 * 60
    await api.pool.execute(
        "UPDATE accounts SET locked_until = now() - interval '1 second' WHERE actor_id = $1", officer.id
    )
    assert (await _sign_in(visitor, "le.thi.c", first)).startswith("/account/password")


async def test_an_administrators_reset_lifts_the_lock_and_gives_a_new_first_password(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "38")
    officer = await api.actor(Role.PROVINCIAL_OFFICER, "38")
    await _with_sign_in(api, admin, officer, "pham.d")
    visitor = Visitor(api.http)
    await visitor.get("/signin")
    for _ in range(5):
        await visitor.post("/signin", {"user_name": "pham.d", "password": "wrong-wrong", "next": "/"})

    reset = await admin.post(f"/v1/actors/{officer.id}/password-reset", {})

    assert reset.status_code == 200, reset.text
    assert (await _sign_in(visitor, "pham.d", reset.json()["password"])).startswith("/account/password")


@pytest.mark.parametrize(
    ("role", "jurisdiction"), [(Role.ADMINISTRATOR, "38"), (Role.RECOGNITION_AUTHORITY, "38")]
)
async def test_administrators_and_authorities_must_enrol_a_second_factor(
    api: Api, role: Role, jurisdiction: str
) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "VN")
    person = await api.actor(role, jurisdiction)
    first = await _with_sign_in(api, admin, person, "nguoi.ky")
    visitor = Visitor(api.http)
    await _sign_in(visitor, "nguoi.ky", first)
    changed = await _choose_password(visitor)

    # Before doing anything: enrol the second factor.
    assert changed == "/account/second-factor?next=%2F"
    assert (await visitor.get("/")).status_code == 303
    enrol = await visitor.get("/account/second-factor?next=%2F")
    secret = re.search(r'data-secret="([A-Z2-7]+)"', enrol.text)
    assert secret is not None
    totp = pyotp.TOTP(secret.group(1))
    not_the_code = f"{(int(totp.now()) + 500_000) % 1_000_000:06d}"
    wrong = await visitor.post(
        "/account/second-factor", {"secret": secret.group(1), "code": not_the_code, "next": "/"}
    )
    assert wrong.status_code == 422
    enrolment_code = totp.now()
    enrolled = await visitor.post(
        "/account/second-factor", {"secret": secret.group(1), "code": enrolment_code, "next": "/"}
    )
    assert (enrolled.status_code, enrolled.headers["location"]) == (303, "/")
    assert f"Đăng nhập: {person.id}" in (await visitor.get("/")).text

    # The next sign-in asks for the code; a code used once is refused; the next one opens.
    later = Visitor(api.http)
    assert await _sign_in(later, "nguoi.ky", NEW_PASSWORD) == "/signin/code?next=%2F"
    assert (await later.get("/")).status_code == 303
    assert "Xác thực hai lớp" in (await later.get("/signin/code?next=%2F")).text
    reused = await later.post("/signin/code", {"code": enrolment_code, "next": "/"})
    assert reused.status_code == 401
    assert _error(reused.text) == "Mã xác thực không đúng hoặc đã được dùng."
    fresh = await later.post("/signin/code", {"code": totp.at(time.time() + totp.interval), "next": "/"})
    assert (fresh.status_code, fresh.headers["location"]) == (303, "/")
    assert f"Đăng nhập: {person.id}" in (await later.get("/")).text

    events = await api.pool.fetch(
        "SELECT type FROM events WHERE stream_type = 'actor' AND stream_id = $1 ORDER BY version", person.id
    )
    assert [e["type"] for e in events] == ["sign_in_opened", "password_changed", "second_factor_enrolled"]
    assert secret.group(1) not in str(await api.pool.fetch("SELECT data, metadata FROM events"))


async def test_deactivation_ends_open_page_sessions_at_the_next_request(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "38")
    officer = await api.actor(Role.COMMUNE_OFFICER, str(HAC_THANH))
    first = await _with_sign_in(api, admin, officer, "cb.xa")
    by_password, by_token = Visitor(api.http), Visitor(api.http)
    await _sign_in(by_password, "cb.xa", first)
    await _choose_password(by_password)
    await by_token.sign_in(officer.token)
    assert (await by_password.get("/")).status_code == 200
    assert (await by_token.get("/")).status_code == 200

    stopped = await admin.post(f"/v1/actors/{officer.id}/deactivate")

    assert stopped.status_code == 200, stopped.text
    for visitor in (by_password, by_token):
        refused = await visitor.get("/")
        assert (refused.status_code, refused.headers["location"]) == (303, "/signin?next=%2F")
    again = Visitor(api.http)
    await again.get("/signin")
    denied = await again.post("/signin", {"user_name": "cb.xa", "password": NEW_PASSWORD, "next": "/"})
    assert denied.status_code == 401
    assert _error(denied.text) == "Tài khoản này đã bị ngừng hoạt động. Hãy liên hệ quản trị viên."


async def test_no_user_name_or_password_reaches_the_log_or_the_events(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "38")
    officer = await api.actor(Role.PROVINCIAL_OFFICER, "38")
    user_name = f"Đỗ Thị Hằng {uuid.uuid4().hex[:6]}"
    with capture_logs() as logs:
        first = await _with_sign_in(api, admin, officer, user_name)
        visitor = Visitor(api.http)
        await visitor.get("/signin")
        await visitor.post("/signin", {"user_name": user_name, "password": "sai-mat-khau-1", "next": "/"})
        await _sign_in(visitor, user_name, first)
        await _choose_password(visitor)
        await admin.post(f"/v1/actors/{officer.id}/password-reset", {})
        await admin.post(f"/v1/actors/{officer.id}/deactivate")

    written = str(logs) + str(await api.pool.fetch("SELECT data, metadata FROM events"))
    assert any(entry.get("actor_id") == officer.id for entry in logs)  # the log says who, by id
    for personal in (user_name, first, NEW_PASSWORD, "sai-mat-khau-1"):
        assert personal not in written
    for stored in await api.pool.fetch("SELECT password_hash FROM accounts"):
        assert stored["password_hash"] not in written


async def test_an_administrator_signs_in_enrols_and_deactivates_after_confirming(site: Site) -> None:
    api = site.api
    root = await api.actor(Role.ADMINISTRATOR, "VN")
    admin = await api.actor(Role.ADMINISTRATOR, "38", "admin-thanh-hoa")
    officer = await api.actor(Role.COMMUNE_OFFICER, str(HAC_THANH))
    first = await _with_sign_in(api, root, admin, "quan.tri")
    officer_context, officer_page = await site.signed_in(officer)
    context, page = await site.visitor()

    await page.goto("/signin")
    await page.get_by_label("Tên đăng nhập").fill("quan.tri")
    await page.get_by_label("Mật khẩu").fill(first)
    await page.get_by_role("button", name="Đăng nhập", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Đặt mật khẩu mới")
    await page.get_by_label("Mật khẩu mới (ít nhất").fill(NEW_PASSWORD)
    await page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    await page.get_by_role("button", name="Lưu mật khẩu").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký xác thực hai lớp")
    secret = await page.locator("#totp-secret").get_attribute("data-secret")
    assert secret
    await page.get_by_label("Mã xác thực").fill(pyotp.TOTP(secret).now())
    await page.get_by_role("button", name="Xác nhận và đăng ký").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Việc của tôi")

    await page.get_by_role("link", name="Tác nhân").click()
    await page.get_by_label("Mã tác nhân").fill(officer.id)
    await page.get_by_role("button", name="Tìm").click()
    await expect(page.locator("#actor-state")).to_have_text("Đang hoạt động")
    await page.get_by_role("link", name="Ngừng hoạt động").click()
    # A page of its own says what will happen; cancelling changes nothing.
    await expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận ngừng hoạt động")
    await page.get_by_role("link", name="Huỷ, quay lại").click()
    await expect(page.locator("#actor-state")).to_have_text("Đang hoạt động")
    assert (await officer.get("/v1/me")).status_code == 200
    await page.get_by_role("link", name="Ngừng hoạt động").click()
    await page.get_by_role("button", name="Có, ngừng hoạt động").click()
    await expect(page.locator("#actor-state")).to_have_text("Đã ngừng hoạt động")

    assert (await officer.get("/v1/me")).status_code == 401
    await officer_page.reload()
    await expect(officer_page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    events = await api.pool.fetch(
        "SELECT type, metadata->'actor'->>'id' AS by FROM events WHERE stream_type = 'actor' "
        "AND stream_id = $1",
        officer.id,
    )
    assert [(e["type"], e["by"]) for e in events] == [("actor_deactivated", "admin-thanh-hoa")]
    await officer_context.close()
    await context.close()
