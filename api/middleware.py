"""The request context: a request id (also sent back as X-Request-ID), a body size limit, and one
access log line per request with the request id and the caller's actor id (no personal data: no
bodies, no query strings)."""

from __future__ import annotations

import time
import uuid

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import metrics
from api.errors import BodyTooLarge, problem

log = structlog.get_logger("api.access")

MAX_BODY_BYTES = 64 * 1024
REQUEST_ID_HEADER = b"x-request-id"


class RequestContext:
    """Pure ASGI middleware (no buffering of the response, nothing run in another task)."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int = MAX_BODY_BYTES, max_upload_bytes: int = MAX_BODY_BYTES
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        # A document upload (its route streams the body into the store and checks its own limits).
        self.max_upload_bytes = max(max_upload_bytes, max_body_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        limit = self.max_upload_bytes if _is_upload(scope) else self.max_body_bytes

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER, request_id.encode())]
            await send(message)

        received = 0
        declared = _content_length(scope)

        async def limited_receive() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise BodyTooLarge(limit)  # a page: its route answers 413 with an HTML page
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                if declared is not None and declared > limit and _is_api(scope):
                    response = problem(
                        None,
                        413,
                        f"the request body is larger than {limit} bytes",
                        code="BodyTooLarge",
                        path=scope.get("path", ""),
                        request_id=request_id,
                    )
                    await response(scope, receive, send_with_id)
                else:
                    await self.app(scope, limited_receive, send_with_id)
            finally:
                route_path = getattr(scope.get("route"), "path", None)
                seconds = time.perf_counter() - started
                # The route's template, never the path asked: ids are not labels (metrics.py).
                metrics.observe_request(scope.get("method"), route_path, status, seconds)
                log.info(
                    "request",
                    method=scope.get("method"),
                    route=metrics.route_label(route_path),
                    status=status,
                    duration_ms=round(seconds * 1000, 1),
                    actor_id=state.get("actor_id"),
                    request_id=request_id,
                )


def _is_api(scope: Scope) -> bool:
    """A path of the API (answered with problem+json), not of the pages (web/, answered in HTML)."""
    path: str = scope.get("path", "")
    return path == "/v1" or path.startswith(("/v1/", "/health", "/openapi.json", "/docs", "/redoc"))


def _is_upload(scope: Scope) -> bool:
    """A document upload: POST .../journeys/{id}/documents, of the API or of the pages."""
    path: str = scope.get("path", "")
    parts = path.strip("/").split("/")
    return scope.get("method") == "POST" and parts[-1:] == ["documents"] and "journeys" in parts[:-2]


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
