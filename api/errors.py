"""Every error the API answers with, as problem details (RFC 9457, application/problem+json), and
the one place that maps exceptions to HTTP statuses.

Routes never build error responses: they raise a domain error (``schemas.errors``, with its
``http_status``), an ``AccessDenied`` (403) or one of the ``ApiError`` kinds below, and the
handlers installed by ``install`` answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import asyncpg
import structlog
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from temporalio.service import RPCError

from api.access import AccessDenied
from schemas.api import FieldError, Problem
from schemas.errors import DomainError
from schemas.refusals import CodeWords, Reason, language_of
from store.errors import FeedBusy, StoreError

log = structlog.get_logger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "Gone",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid request",
    500: "Internal error",
    503: "Engine unavailable",
    504: "Engine did not answer in time",
}
# Domain errors that concern one field of the body.
_FIELD_OF: dict[str, list[str | int]] = {"ScoreOutOfRange": ["body", "parts"]}
# The language of a refusal when Accept-Language names neither vi nor en (or is absent): English,
# the API's documentation's language and what its clients have read so far. The pages' is Vietnamese.
API_LANGUAGE = "en"


def reader_language(request: Request | None) -> str:
    """The language the caller reads refusals in: vi or en, by its Accept-Language."""
    header = request.headers.get("accept-language") if request is not None else None
    return language_of(header, default=API_LANGUAGE)


def code_words(lang: str) -> CodeWords:
    """Codes (statuses, roles, levels) in the pages' words of ``lang`` (web/i18n.py)."""
    # Imported when first used: the web package imports the API's modules, this one among them.
    from web.i18n import Translator

    return Translator(lang).code


class ApiError(Exception):
    """An error the API answers with ``status``; ``code`` names it in the problem's type."""

    status = 500
    code = "InternalError"

    def __init__(
        self,
        detail: str | Reason,
        *,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
        code: str | None = None,
    ) -> None:
        why = detail if isinstance(detail, Reason) else None
        text = why.message if why is not None else str(detail)
        super().__init__(text)
        self.detail = text
        # Its template and parameters (schemas.refusals): told in the reader's language.
        self.why = why
        self.errors = list(errors)
        self.headers = headers or {}
        if code is not None:
            self.code = code

    def told(self, lang: str, words: CodeWords | None = None) -> str:
        """The refusal in ``lang``; an unconverted one as written."""
        return self.why.text(lang, words) if self.why is not None else self.detail


class Unauthorized(ApiError):
    status = 401
    code = "NotAuthenticated"

    def __init__(self, detail: str | Reason) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="ocop"'})


class NotFound(ApiError):
    status = 404
    code = "NotFound"


class Conflict(ApiError):
    status = 409
    code = "Conflict"


class Invalid(ApiError):
    status = 422
    code = "InvalidRequest"


class Unavailable(ApiError):
    status = 503
    code = "Unavailable"

    def __init__(self, detail: str | Reason, *, retry_after: int = 5) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


class TimedOut(ApiError):
    status = 504
    code = "TimedOut"


class BodyTooLarge(HTTPException):
    """Raised while the body is read (an HTTPException, so that FastAPI passes it through)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


def _slug(code: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", code).lower()


def problem(
    request: Request | None,
    status: int,
    detail: str | None,
    *,
    code: str | None = None,
    errors: Sequence[FieldError] = (),
    headers: dict[str, str] | None = None,
    path: str | None = None,
    request_id: str | None = None,
) -> JSONResponse:
    """A problem+json response."""
    state = request.scope.get("state", {}) if request is not None else {"request_id": request_id}
    body = Problem(
        type=f"urn:ocop:problem:{_slug(code)}" if code else "about:blank",
        title=_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=path if path is not None else (request.url.path if request is not None else None),
        code=code,
        errors=list(errors),
        request_id=state.get("request_id"),
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def field_errors(errors: Sequence[Any], lang: str = API_LANGUAGE) -> list[FieldError]:
    """Pydantic's error list as field errors (location, message, type; never the input). A value
    refused with a reason (a score, schemas.numbers) is told in Vietnamese when that is asked; in
    English it reads as pydantic words it."""
    return [
        FieldError(
            loc=[part if isinstance(part, int) else str(part) for part in error.get("loc", ())],
            msg=field_message(error, lang),
            type=str(error.get("type", "value_error")),
        )
        for error in errors
    ]


def field_message(error: Any, lang: str) -> str:
    """One pydantic error's message, in ``lang`` if its ValueError carries a reason."""
    why = getattr((error.get("ctx") or {}).get("error"), "why", None)
    if isinstance(why, Reason) and lang != API_LANGUAGE:
        return why.text(lang, code_words(lang))
    return str(error.get("msg", "invalid"))


def _told(request: Request, exc: ApiError | AccessDenied | DomainError) -> tuple[str, dict[str, str]]:
    """The refusal in the caller's language, and the Content-Language header saying which."""
    lang = reader_language(request)
    # In English the API keeps the codes a client reads (a commune_officer, AWAITING_ROUND), as its
    # messages always had them; in Vietnamese they are told in the pages' words.
    words = code_words(lang) if lang != API_LANGUAGE else None
    return exc.told(lang, words), {"Content-Language": lang}


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    detail, language = _told(request, exc)
    headers = {**exc.headers, **language} if exc.why is not None else exc.headers
    return problem(request, exc.status, detail, code=exc.code, errors=exc.errors, headers=headers)


async def _access_denied(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AccessDenied)
    detail, language = _told(request, exc)
    return problem(request, 403, detail, code="AccessDenied", headers=language if exc.why else None)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    detail, language = _told(request, exc)
    errors: list[FieldError] = []
    if exc.code in _FIELD_OF:
        errors = [FieldError(loc=_FIELD_OF[exc.code], msg=detail, type=exc.code)]
    field = getattr(exc, "field", None)
    if isinstance(field, str):  # e.g. ProductSetRequired: the body's field it concerns
        errors = [FieldError(loc=["body", field], msg=detail, type=exc.code)]
    criterion = getattr(exc, "criterion", None)
    if isinstance(criterion, str):  # InvalidScorecard: the field of the criterion it names
        errors = [FieldError(loc=["body", "choices", criterion], msg=detail, type=exc.code)]
    headers = language if exc.why is not None else None
    return problem(request, exc.http_status, detail, code=exc.code, errors=errors, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError | ValidationError)
    return problem(
        request,
        422,
        "the request is not valid: see errors",
        code="InvalidRequest",
        errors=field_errors(exc.errors(), reader_language(request)),
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "NotFound", 405: "MethodNotAllowed", 413: "BodyTooLarge"}.get(exc.status_code, "HttpError")
    detail = exc.detail if isinstance(exc.detail, str) else None
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError | ValueError):
        # FastAPI could not read the body (e.g. not UTF-8): invalid input, like any other.
        return problem(
            request,
            422,
            "the body could not be read",
            code="InvalidRequest",
            errors=[FieldError(loc=["body"], msg=str(exc.__cause__)[:200], type="body_unreadable")],
        )
    return problem(request, exc.status_code, detail, code=code, headers=getattr(exc, "headers", None))


async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, FeedBusy):
        reason = str(exc)
    elif isinstance(exc, RPCError):
        reason = f"temporal: {exc.message}"
    else:
        reason = f"database: {type(exc).__name__}"
    log.warning("dependency_unavailable", reason=reason)
    return problem(request, 503, reason, code="Unavailable", headers={"Retry-After": "5"})


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    # A bug, not bad input: logged with its traceback (the server re-raises it after answering).
    return problem(
        request, 500, "the engine failed to answer; the request id identifies it", code="InternalError"
    )


async def _store_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("store_error", error=str(exc))
    return problem(request, 500, "the decision log refused the request", code="StoreError")


def install(app: FastAPI) -> None:
    """Install the handlers: the one mapping from exceptions to HTTP answers."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(AccessDenied, _access_denied)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for unavailable in (FeedBusy, RPCError, OSError, asyncpg.InterfaceError, asyncpg.CannotConnectNowError):
        app.add_exception_handler(unavailable, _unavailable)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(Exception, _internal)
