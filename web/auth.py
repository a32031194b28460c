"""Sign-in with the actor's token, sign-out, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials

from api.deps import authenticate
from api.errors import Unauthorized
from web.i18n import LANGUAGES
from web.pages import AnyPage, Page, checked_form, local_path, router, text
from web.session import keep_language, keep_session, new_session

NextPath = Annotated[str | None, Query(alias="next", max_length=2000)]


@router.get("/signin")
async def signin_form(page: AnyPage, next_path: NextPath = None, out: bool = False) -> Response:
    return page.render(
        "signin.html", next=local_path(next_path), error=None, notice=page.t("signout.done") if out else None
    )


def _refused(page: Page, status: int, next_path: str, error: str) -> Response:
    return page.render("signin.html", status=status, here="/signin", next=next_path, error=error, notice=None)


@router.post("/signin")
async def signin(request: Request, page: AnyPage) -> Response:
    """Check the token as the API would check it, then keep it in a new session."""
    form = await checked_form(request, page)
    token = text(form, "token")
    next_path = local_path(text(form, "next"))
    if not token:
        return _refused(page, 422, next_path, page.t("signin.empty"))
    try:
        await authenticate(
            request, page.engine, HTTPAuthorizationCredentials(scheme="Bearer", credentials=token)
        )
    except Unauthorized:
        return _refused(page, 401, next_path, page.t("signin.invalid"))
    response = page.redirect(next_path)
    keep_session(response, new_session(token))
    return response


@router.post("/signout")
async def signout(request: Request, page: AnyPage) -> Response:
    await checked_form(request, page)
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
