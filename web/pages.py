"""How a page is served: the signed-in actor, the language, the templates, the HTML error pages.

Pages authenticate with the API's own ``authenticate`` (the token from the session cookie instead
of the Authorization header) and raise the API's own errors; ``HtmlRoute`` answers those with an
HTML page instead of problem+json.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import asyncpg
import structlog
from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from temporalio.service import RPCError

from api import access
from api.access import AccessDenied, Principal
from api.deps import EngineDep, authenticate, engine_of, principal_of
from api.engine import Engine
from api.errors import ApiError, NotFound, Unauthorized, Unavailable
from schemas.errors import DomainError
from store.accounts import AccountStore
from store.errors import FeedBusy
from store.notices import NoticeStore
from web.i18n import PAGE_LANGUAGE, Translator, date_text, datetime_text, stars_text
from web.session import Session, keep_session, language_of, read_session, sign_in_policy

log = structlog.get_logger(__name__)

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
# Scripts and styles come from this origin only (no inline script), and no page may be framed.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}

_templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.filters["day"] = date_text
_templates.filters["moment"] = datetime_text
_templates.filters["stars"] = stars_text


class SignInRequired(Exception):
    """The page needs a signed-in actor."""


class FormExpired(Exception):
    """A POST without this session's CSRF token."""


@dataclass
class Page:
    """One request of a page: who asks, in which language, with which session."""

    request: Request
    engine: Engine
    session: Session
    t: Translator
    actor: Principal | None = None
    # What an account session must do before any page ('code', 'password', 'enrol'; see
    # store.accounts.SignedInSession.step), with the actor it is for.
    pending: str | None = None
    pending_actor: Principal | None = None
    # The signed-in actor's unread inbox notices (the header's count; web/inbox.py).
    unread_notices: int = 0

    @property
    def me(self) -> Principal:
        """The signed-in actor (pages that need one depend on ``signed_in``)."""
        if self.actor is None:
            raise SignInRequired
        return self.actor

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        request = self.request
        # Where the language switch returns to: this page, or (after a POST) the page given.
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        context.setdefault("here", here if request.method == "GET" else "/")
        html = _templates.get_template(template).render(
            t=self.t,
            lang=self.t.lang,
            actor=self.actor,
            csrf=self.session.csrf,
            new_key=lambda: str(uuid.uuid4()),
            unread_notices=self.unread_notices,
            reads_whole_log=self.actor is not None and access.reads_whole_log(self.actor),
            **context,
        )
        response = HTMLResponse(
            html, status_code=status, headers={**SECURITY_HEADERS, "Cache-Control": "no-store"}
        )
        if self.session.fresh:
            keep_session(response, self.session)
        return response

    def redirect(self, url: str) -> RedirectResponse:
        """See other (303): the browser GETs ``url`` after a POST."""
        response = RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})
        if self.session.fresh:
            keep_session(response, self.session)
        return response


def local_path(url: str | None, default: str = "/") -> str:
    """``url`` if it is a path of this site (never another origin), else ``default``."""
    if (
        not url
        or not url.startswith("/")
        or url.startswith("//")
        or "\\" in url
        or "\r" in url
        or "\n" in url
    ):
        return default
    return url


async def any_page(request: Request, engine: EngineDep) -> Page:
    """The page, with the actor if the session holds a valid token or an open account session
    (both checked again at every request)."""
    session = read_session(request)
    actor: Principal | None = None
    pending: str | None = None
    pending_actor: Principal | None = None
    if session.account is not None:
        signed = await AccountStore(await engine.pool()).session(session.account)
        if signed is not None:  # else: ended, expired or its actor deactivated: signed out
            pending = signed.step(sign_in_policy(engine.settings))
            if pending is None:
                actor = principal_of(request, signed.actor)
            else:
                pending_actor = principal_of(request, signed.actor)
    elif session.token is not None:
        credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials=session.token)
        try:
            actor = await authenticate(request, engine, credentials)
        except Unauthorized:
            actor = None  # the token was withdrawn: the page treats the browser as signed out
    page = Page(
        request=request,
        engine=engine,
        session=session,
        t=Translator(language_of(request)),
        actor=actor,
        pending=pending,
        pending_actor=pending_actor,
    )
    if actor is not None:
        page.unread_notices = await NoticeStore(await engine.pool()).unread_count(actor.id)
    request.state.web_page = page
    PAGE_LANGUAGE.set(page.t.lang)  # the request's own context: refusals are told in the page's language
    return page


async def signed_in(page: Annotated[Page, Depends(any_page)]) -> Page:
    if page.actor is None:
        raise SignInRequired
    return page


AnyPage = Annotated[Page, Depends(any_page)]
SignedIn = Annotated[Page, Depends(signed_in)]


async def posted_form(request: Request, page: SignedIn) -> FormData:
    """The POSTed form of a signed-in page, once its CSRF token is checked."""
    return await checked_form(request, page)


async def checked_form(request: Request, page: Page) -> FormData:
    form = await request.form()
    if not page.session.accepts(form.get("csrf")):
        raise FormExpired
    return form


PostedForm = Annotated[FormData, Depends(posted_form)]


def text(form: FormData, name: str) -> str:
    """A text field of a form ('' when absent or a file)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def ticked(form: FormData, name: str) -> bool:
    """Whether a checkbox of a form was ticked (a browser sends an unticked one not at all)."""
    return bool(text(form, name))


def _fallback_page(request: Request) -> Page:
    page = getattr(request.state, "web_page", None)
    if isinstance(page, Page):
        return page
    return Page(
        request=request,
        engine=engine_of(request),
        session=read_session(request),
        t=Translator(language_of(request)),
    )


def _told(request: Request, error: AccessDenied | ApiError | DomainError) -> str:
    """A refusal in the page's language (schemas/refusals.py); an unconverted one as written."""
    t = _fallback_page(request).t
    return error.told(t.lang, t.code)


# The statuses whose error page has a title of its own (the others: "Lỗi {status}").
_TITLED = frozenset({400, 403, 404, 409, 413, 503})


def error_page(request: Request, status: int, message: str | None = None) -> HTMLResponse:
    page = _fallback_page(request)
    title = page.t(f"error.{status}") if status in _TITLED else page.t("error.title", status=status)
    return page.render("error.html", status=status, title=title, message=message)


def _refused_request(request: Request, status: int) -> HTMLResponse:
    page = _fallback_page(request)
    message = {400: "error.form_unreadable", 413: "error.form_too_large"}.get(status)
    return error_page(request, status, page.t(message) if message else None)


_UNAVAILABLE = (
    Unavailable,
    FeedBusy,
    RPCError,
    OSError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
)


class HtmlRoute(APIRoute):
    """A route whose refusals are HTML pages: sign-in redirect, 403, 404, 409, 503."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def html_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)
            except FormExpired:
                page = _fallback_page(request)
                return error_page(request, 403, page.t("error.csrf"))
            except AccessDenied as exc:
                return error_page(request, 403, _told(request, exc))
            except NotFound as exc:
                return error_page(request, 404, _told(request, exc))
            except RequestValidationError:
                return error_page(request, 404, None)
            except DomainError as exc:
                return error_page(request, exc.http_status, _told(request, exc))
            except _UNAVAILABLE as exc:
                log.warning("web_dependency_unavailable", error=type(exc).__name__)
                detail = exc.detail if isinstance(exc, Unavailable) else None
                return error_page(request, 503, detail)
            except ApiError as exc:
                return error_page(request, exc.status, _told(request, exc))
            except StarletteHTTPException as exc:
                # Starlette's refusal of the request itself: a form it cannot read (too many fields
                # or files, a multipart body without a boundary: 400) or a body over the limit (413).
                return _refused_request(request, exc.status_code)
            except Exception:  # a bug: logged with its traceback, answered with a page, not JSON
                log.exception("web_page_failed", path=request.url.path)
                return error_page(request, 500, None)

        return html_handler


def page_router() -> APIRouter:
    """A router of pages: none is in the OpenAPI schema, and each answers its refusals as HTML
    (``HtmlRoute``). Each module of pages has its own; ``web/__init__.py`` includes them by name."""
    return APIRouter(route_class=HtmlRoute, include_in_schema=False)


router = page_router()  # the pages' own files


@router.get("/static/{name}")
async def static_file(name: str) -> Response:
    """The pages' own style sheet and scripts (a fixed set of files; nothing else is served)."""
    path = STATIC_DIR / name
    media_type = STATIC_TYPES.get(path.suffix)
    if media_type is None or path.parent != STATIC_DIR or not path.is_file():
        return Response(status_code=404)
    return FileResponse(
        path, media_type=media_type, headers={**SECURITY_HEADERS, "Cache-Control": "public, max-age=300"}
    )


def query_string(values: Mapping[str, str | None]) -> str:
    """``?a=1&b=2`` of the values that are set ('' when none is)."""
    parts = [f"{quote(key)}={quote(value, safe='')}" for key, value in values.items() if value]
    return "?" + "&".join(parts) if parts else ""
