"""Idempotency-Key handling for every POST: the same key, caller and body give the same response;
the same key with another body (or from another caller, or on another path) is a conflict (409).

The key is claimed in the request log before the work starts. A success keeps its response; a
refusal or a failure releases the claim, so a refused request leaves nothing behind. A retry that
arrives while the first attempt is still running goes through to Temporal, which deduplicates the
update by the same key.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.access import Principal
from api.engine import Engine
from api.errors import Conflict
from store import canonical_json

REPLAYED_HEADER = "Idempotent-Replayed"
# Response headers kept with the response and sent again on a replay.
_KEPT_HEADERS = ("location",)


def body_hash(body: BaseModel | None) -> str:
    """Fingerprint of a validated body: equal for equal content, whatever its spacing or key order."""
    content = canonical_json(body.model_dump(mode="json")) if body is not None else ""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


class Outcome:
    """What a command answers: a status, a body, and optionally what to keep instead of the body."""

    def __init__(
        self,
        status: int,
        body: BaseModel,
        *,
        headers: dict[str, str] | None = None,
        kept_body: BaseModel | None = None,
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}
        # Kept for replays instead of ``body`` when the body holds a secret shown once (a token).
        self.kept_body = kept_body


async def idempotent(
    request: Request,
    engine: Engine,
    actor: Principal,
    key: uuid.UUID,
    body: BaseModel | None,
    work: Callable[[], Awaitable[Outcome]],
) -> Response:
    """Run ``work`` once per Idempotency-Key and answer with its (kept) response."""
    requests = await engine.requests()
    fingerprint = body_hash(body)
    method, path = request.method, request.url.path
    held = await requests.claim(key, actor.id, method, path, fingerprint)
    if held is not None:
        if not held.same_request(actor.id, method, path, fingerprint):
            raise Conflict(
                "this Idempotency-Key was used for another request; use a new key for a new request",
                code="IdempotencyKeyReused",
            )
        if held.status is not None and held.response_body is not None:
            headers = dict(held.response_headers or {})
            headers[REPLAYED_HEADER] = "true"
            return Response(
                content=held.response_body,
                status_code=held.status,
                headers=headers,
                media_type="application/json",
            )
        # Still in progress (or its process died): go on; the update id deduplicates the work.
    try:
        outcome = await work()
    except BaseException:
        if held is None:
            await requests.release(key)
        raise
    response = JSONResponse(
        outcome.body.model_dump(mode="json"), status_code=outcome.status, headers=outcome.headers
    )
    kept = bytes(response.body)
    if outcome.kept_body is not None:
        kept = bytes(JSONResponse(outcome.kept_body.model_dump(mode="json")).body)
    kept_headers = {name: value for name, value in outcome.headers.items() if name.lower() in _KEPT_HEADERS}
    await requests.complete(key, outcome.status, kept, kept_headers)
    return response
