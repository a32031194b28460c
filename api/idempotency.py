"""Idempotency-Key handling for every command: the same key, caller and body give the same response,
byte for byte (status, body, kept headers); the same key with another body (or from another caller,
or on another path) is a conflict (409).

The key is claimed in the request log before the work starts. A success keeps its response; a
refusal or a failure (a 504 included) releases the claim, so a refused request leaves nothing
behind and a retry after a timeout carries the work out again — which finds the first attempt's
outcome (the Temporal update id and the log's idempotency key are the same key).

Two requests with the same key at once: the second waits for the first's claim to complete and
answers with its kept response; if the first releases the claim, the second carries the work out
itself. The wait is bounded by the claim's lease (the longest the work may take): a claim left by a
process that died is taken over once its lease ran out. Whoever completes a key first wins: a
request that completes it later answers with the kept response, not its own.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api import commands
from api.access import Principal
from api.engine import Engine
from api.errors import Conflict, TimedOut
from schemas.refusals import Reason
from store import canonical_json
from store.requests import RequestLog, StoredRequest

REPLAYED_HEADER = "Idempotent-Replayed"
# Response headers kept with the response and sent again on a replay.
_KEPT_HEADERS = ("location",)
# Beyond the wait for its Temporal update, what a command may spend (starting a workflow, reading
# and appending to the log); the claim's lease adds as much again for the response to be kept.
WORK_MARGIN = 5.0
# How often a request waiting for another with the same key looks at the request log.
_FIRST_POLL, _LONGEST_POLL = 0.01, 0.25


def body_hash(body: BaseModel | None) -> str:
    """Fingerprint of a validated body: equal for equal content, whatever its spacing or key order."""
    content = canonical_json(body.model_dump(mode="json")) if body is not None else ""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def work_timeout() -> float:
    """The longest a command's work runs before it answers 504 (read when called: tests shorten it)."""
    return commands.command_timeout() + WORK_MARGIN


def claim_lease() -> float:
    """How long a claim holds its key against other requests: the work, then keeping its response."""
    return work_timeout() + WORK_MARGIN


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
        # Kept for replays instead of ``body`` when the body holds a secret shown once (a token),
        # or personal data that may be erased (then ``idempotent``'s ``refill`` reads it anew).
        self.kept_body = kept_body


Refill = Callable[[bytes], Awaitable[bytes]]
"""Puts back into a kept response what the request log never keeps (personal data, read anew)."""


async def _replay(held: StoredRequest, refill: Refill | None = None) -> Response:
    assert held.status is not None
    assert held.response_body is not None
    headers = dict(held.response_headers or {})
    headers[REPLAYED_HEADER] = "true"
    content = await refill(held.response_body) if refill is not None else held.response_body
    return Response(content=content, status_code=held.status, headers=headers, media_type="application/json")


async def _hold(
    requests: RequestLog, key: uuid.UUID, actor_id: str, method: str, path: str, fingerprint: str
) -> StoredRequest:
    """Claim ``key`` for this request, waiting while another request holds it: the claim (status
    None), or the completed request to replay."""
    pause = _FIRST_POLL
    while True:
        claim = await requests.claim(key, actor_id, method, path, fingerprint)
        held = claim.held
        if claim.mine:
            return held
        if not held.same_request(actor_id, method, path, fingerprint):
            raise Conflict(Reason("idempotency.reused"), code="IdempotencyKeyReused")
        # The same request, in progress elsewhere: wait for its outcome, within its lease.
        while not held.completed:
            if held.held_for >= claim_lease():
                taken = await requests.take_over(held)
                if taken is not None:
                    return taken
            await asyncio.sleep(pause)
            pause = min(pause * 2, _LONGEST_POLL)
            current = await requests.get(key)
            if current is None:
                break  # released (refused or failed): claim it and carry the work out here
            held = current
        if held.completed:
            return held


async def idempotent(
    request: Request,
    engine: Engine,
    actor: Principal,
    key: uuid.UUID,
    body: BaseModel | None,
    work: Callable[[], Awaitable[Outcome]],
    *,
    refill: Refill | None = None,
) -> Response:
    """Run ``work`` once per Idempotency-Key and answer with its (kept) response; a replay answers
    the kept response through ``refill`` when given (see ``Outcome.kept_body``)."""
    requests = await engine.requests()
    claim = await _hold(requests, key, actor.id, request.method, request.url.path, body_hash(body))
    if claim.completed:
        return await _replay(claim, refill)
    try:
        async with asyncio.timeout(work_timeout()) as deadline:
            outcome = await work()
    except BaseException as failure:
        if isinstance(failure, Exception):
            # Taken over after a lease ran out and completed by the other request: its answer is ours.
            kept = await requests.get(key)
            if kept is not None and kept.completed:
                return await _replay(kept, refill)
        await requests.release(claim)
        if isinstance(failure, TimeoutError) and deadline.expired():
            raise TimedOut(commands.NOT_CONFIRMED) from failure
        raise
    response = JSONResponse(
        outcome.body.model_dump(mode="json"), status_code=outcome.status, headers=outcome.headers
    )
    kept_body = bytes(response.body)
    if outcome.kept_body is not None:
        kept_body = bytes(JSONResponse(outcome.kept_body.model_dump(mode="json")).body)
    kept_headers = {name: value for name, value in outcome.headers.items() if name.lower() in _KEPT_HEADERS}
    stored = await requests.complete(claim, outcome.status, kept_body, kept_headers)
    if (stored.status, stored.response_body, stored.response_headers) != (
        outcome.status,
        kept_body,
        kept_headers,
    ):
        return await _replay(stored, refill)  # another request completed this key first
    return response


@dataclass(frozen=True)
class Once:
    """A command request's Idempotency-Key, bound to its caller and its request: the route's one
    dependency for it (``api.deps.Idempotent``). ``await once(body, work)`` runs ``work`` once per
    key (``idempotent``); the route reads its caller, engine, key and request id from it."""

    request: Request
    engine: Engine
    actor: Principal
    key: uuid.UUID
    request_id: str

    async def __call__(
        self, body: BaseModel | None, work: Callable[[], Awaitable[Outcome]], *, refill: Refill | None = None
    ) -> Response:
        return await idempotent(self.request, self.engine, self.actor, self.key, body, work, refill=refill)
