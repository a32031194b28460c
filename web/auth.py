"""Sign-in (đăng nhập) with a user name and a password, the steps an account must take before any
page (its TOTP code, its own password, enrolling a second factor), sign-in with a bearer token
for integrators, sign-out, and the language switch.

A bearer token signs in without a second factor: it is a 256-bit secret an administrator issued,
which opens the whole API anyway, so a code asked on the pages alone would protect nothing. The
second factor guards what a person can guess or reuse: their password.
"""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials

from api.access import Principal
from api.deps import authenticate
from api.errors import Unauthorized
from store.accounts import AccountRefused, AccountStore, new_totp_secret, totp_uri
from web.i18n import LANGUAGES, datetime_text
from web.pages import AnyPage, Page, SignInRequired, checked_form, local_path, page_router, text
from web.session import keep_language, keep_session, new_session, sign_in_policy

router = page_router()  # this module's pages; web/__init__.py includes them

NextPath = Annotated[str | None, Query(alias="next", max_length=2000)]

# Where an account session goes for each step it must still take.
STEP_PAGES = {"code": "/signin/code", "password": "/account/password", "enrol": "/account/second-factor"}


def _step_or_next(pending: str | None, next_path: str) -> str:
    """The page of the step left to take, or where the user was going."""
    if pending is None:
        return local_path(next_path)
    return f"{STEP_PAGES[pending]}?next={quote(local_path(next_path), safe='')}"


async def _continue(page: Page, account: str, next_path: str) -> Response:
    """After a step: the next one the session must take, or where the user was going."""
    policy = sign_in_policy(page.engine.settings)
    signed = await AccountStore(await page.engine.pool()).session(account)
    if signed is None:
        return page.redirect("/signin")
    return page.redirect(_step_or_next(signed.step(policy), next_path))


@router.get("/signin")
async def signin_form(page: AnyPage, next_path: NextPath = None, out: bool = False) -> Response:
    if page.pending is not None:
        return page.redirect(_step_or_next(page.pending, local_path(next_path)))
    return page.render(
        "signin.html",
        next=local_path(next_path),
        error=None,
        token_error=None,
        user_name="",
        notice=page.t("signout.done") if out else None,
    )


def _refused(
    page: Page,
    status: int,
    next_path: str,
    *,
    error: str | None = None,
    token_error: str | None = None,
    user_name: str = "",
) -> Response:
    return page.render(
        "signin.html",
        status=status,
        here="/signin",
        next=next_path,
        error=error,
        token_error=token_error,
        user_name=user_name,
        notice=None,
    )


@router.post("/signin")
async def signin(request: Request, page: AnyPage) -> Response:
    """A user name and password (the account's lock-out counts each attempt), or a bearer token
    checked as the API would check it; either opens a new session."""
    form = await checked_form(request, page)
    next_path = local_path(text(form, "next"))
    if "token" in form:
        return await _signin_with_token(request, page, text(form, "token"), next_path)
    user_name = text(form, "user_name")
    password = form.get("password")
    if not user_name or not isinstance(password, str) or not password:
        return _refused(page, 422, next_path, error=page.t("signin.empty"), user_name=user_name)
    policy = sign_in_policy(page.engine.settings)
    accounts = AccountStore(await page.engine.pool())
    attempt = await accounts.check_password(user_name, password, policy)
    if attempt.locked_until is not None:
        message = page.t("signin.locked", until=datetime_text(attempt.locked_until))
        return _refused(page, 429, next_path, error=message, user_name=user_name)
    if attempt.deactivated:
        return _refused(page, 401, next_path, error=page.t("signin.deactivated"), user_name=user_name)
    if attempt.actor_id is None:
        return _refused(page, 401, next_path, error=page.t("signin.wrong"), user_name=user_name)
    secret = await accounts.open_session(attempt.actor_id, policy)
    signed = await accounts.session(secret)
    target = _step_or_next(signed.step(policy), next_path) if signed is not None else "/signin"
    response = page.redirect(target)
    keep_session(response, new_session(account=secret))
    return response


async def _signin_with_token(request: Request, page: Page, token: str, next_path: str) -> Response:
    if not token:
        return _refused(page, 422, next_path, token_error=page.t("signin.token_empty"))
    try:
        await authenticate(
            request, page.engine, HTTPAuthorizationCredentials(scheme="Bearer", credentials=token)
        )
    except Unauthorized:
        return _refused(page, 401, next_path, token_error=page.t("signin.invalid"))
    response = page.redirect(next_path)
    keep_session(response, new_session(token))
    return response


def _pending(page: Page, step: str) -> tuple[Principal, str]:
    """The actor and account session that must take ``step`` (others: sign in first)."""
    if page.pending != step or page.pending_actor is None or page.session.account is None:
        raise SignInRequired
    return page.pending_actor, page.session.account


@router.get("/signin/code")
async def code_form(page: AnyPage, next_path: NextPath = None) -> Response:
    if page.pending != "code":
        return page.redirect("/signin")
    return page.render("signin_code.html", next=local_path(next_path), error=None)


@router.post("/signin/code")
async def give_code(request: Request, page: AnyPage) -> Response:
    """The TOTP code of the second factor; wrong codes count toward the lock-out."""
    form = await checked_form(request, page)
    actor, account = _pending(page, "code")
    next_path = local_path(text(form, "next"))
    policy = sign_in_policy(page.engine.settings)
    accounts = AccountStore(await page.engine.pool())
    attempt = await accounts.check_code(actor.id, text(form, "code"), account, policy)
    if attempt.ok:
        return await _continue(page, account, next_path)
    if attempt.locked_until is not None:
        error = page.t("signin.locked", until=datetime_text(attempt.locked_until))
        return page.render("signin_code.html", status=429, here="/signin/code", next=next_path, error=error)
    error = page.t("signin.code_wrong")
    return page.render("signin_code.html", status=401, here="/signin/code", next=next_path, error=error)


def _minimum(page: Page) -> int:
    return page.engine.settings.password_min_length


@router.get("/account/password")
async def password_form(page: AnyPage, next_path: NextPath = None) -> Response:
    _pending(page, "password")
    return page.render(
        "account_password.html", next=local_path(next_path), errors={}, min_length=_minimum(page)
    )


@router.post("/account/password")
async def change_password(request: Request, page: AnyPage) -> Response:
    """The holder of a first password chooses their own (not the first one, long enough, twice)."""
    form = await checked_form(request, page)
    actor, account = _pending(page, "password")
    next_path = local_path(text(form, "next"))
    new, again = form.get("new_password"), form.get("repeat_password")
    accounts = AccountStore(await page.engine.pool())
    actor_id = actor.id
    minimum = _minimum(page)
    errors: dict[str, str] = {}
    if not isinstance(new, str) or len(new) < minimum:
        errors["new_password"] = page.t("account.password_short", n=minimum)
    elif len(new) > 256:
        errors["new_password"] = page.t("account.password_long")
    elif new.strip().casefold() == (await accounts.user_name(actor_id) or "").casefold():
        errors["new_password"] = page.t("account.password_is_name")
    elif await accounts.verify_password(actor_id, new):
        errors["new_password"] = page.t("account.password_same")
    elif new != again:
        errors["repeat_password"] = page.t("account.password_mismatch")
    if errors or not isinstance(new, str):
        return page.render(
            "account_password.html",
            status=422,
            here="/account/password",
            next=next_path,
            errors=errors,
            min_length=minimum,
        )
    await accounts.change_password(actor_id, new, str(uuid.uuid4()), keep_session=account)
    return await _continue(page, account, next_path)


@router.get("/account/second-factor")
async def second_factor_form(page: AnyPage, next_path: NextPath = None) -> Response:
    """A new TOTP secret to enter into an authenticator app (as text and as an otpauth:// URI)."""
    actor, _ = _pending(page, "enrol")
    return _enrol_page(page, actor, 200, local_path(next_path), new_totp_secret(), None)


def _enrol_page(
    page: Page, actor: Principal, status: int, next_path: str, secret: str, error: str | None
) -> Response:
    return page.render(
        "account_second_factor.html",
        status=status,
        here="/account/second-factor",
        next=next_path,
        secret=secret,
        grouped=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        uri=totp_uri(secret, actor.id),
        error=error,
    )


@router.post("/account/second-factor")
async def enrol_second_factor(request: Request, page: AnyPage) -> Response:
    """Kept once the app's current code is given: proof the app holds the secret."""
    form = await checked_form(request, page)
    actor, account = _pending(page, "enrol")
    next_path = local_path(text(form, "next"))
    secret = text(form, "secret")
    if not secret or len(secret) > 64 or not secret.isalnum():
        secret = new_totp_secret()
        return _enrol_page(page, actor, 422, next_path, secret, page.t("account.code_wrong"))
    accounts = AccountStore(await page.engine.pool())
    try:
        kept = await accounts.enrol_second_factor(
            actor.id, secret, text(form, "code"), str(uuid.uuid4()), account
        )
    except AccountRefused:
        kept = True  # enrolled meanwhile (another tab): the next step says what is left
    if not kept:
        return _enrol_page(page, actor, 422, next_path, secret, page.t("account.code_wrong"))
    return await _continue(page, account, next_path)


@router.post("/signout")
async def signout(request: Request, page: AnyPage) -> Response:
    await checked_form(request, page)
    if page.session.account is not None:
        await AccountStore(await page.engine.pool()).end_session(page.session.account)
    response = page.redirect("/signin?out=true")
    keep_session(response, new_session())
    return response


@router.post("/lang")
async def switch_language(request: Request, page: AnyPage) -> Response:
    form = await checked_form(request, page)
    lang = text(form, "lang")
    response = page.redirect(local_path(text(form, "next")))
    if lang in LANGUAGES:
        keep_language(response, lang)
    return response
