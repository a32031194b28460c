"""Dependencies of the routes, as ``Annotated`` aliases: the engine and its resources (``Events``,
``Pool``, ``Actors``), the authenticated caller, the
Idempotency-Key (and, for a command route, all three bound together: ``Idempotent``), a journey id
in the path."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import Depends, Header, Path, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.access import Principal
from api.engine import Engine
from api.errors import Unauthorized
from api.idempotency import Once
from schemas.api import JOURNEY_ID_PATTERN, Jurisdiction, JurisdictionKind
from schemas.refusals import Reason
from schemas.roles import Role
from store import EventStore
from store.actors import ActorRecord, ActorStore

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="The actor's token, shown once when an administrator created the actor.",
)


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(engine_of)]


async def events_of(engine: EngineDep) -> EventStore:
    """The decision log (``store.EventStore``)."""
    return await engine.events()


async def pool_of(engine: EngineDep) -> asyncpg.Pool:
    """The engine's PostgreSQL pool, for the stores and reports built on it."""
    return await engine.pool()


async def actors_of(engine: EngineDep) -> ActorStore:
    """Who may call the engine (``store.actors``)."""
    return await engine.actors()


Events = Annotated[EventStore, Depends(events_of)]
Pool = Annotated[asyncpg.Pool, Depends(pool_of)]
Actors = Annotated[ActorStore, Depends(actors_of)]


async def authenticate(
    request: Request,
    engine: EngineDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Principal:
    """The caller, from ``Authorization: Bearer <token>``; 401 without a valid token."""
    if credentials is None or not credentials.credentials:
        raise Unauthorized(Reason("auth.no_token"))
    actors = await engine.actors()
    record = await actors.by_token(credentials.credentials)
    if record is None:
        raise Unauthorized(Reason("auth.bad_token"))
    # Checked at every request (the pages' token sessions included): a deactivated actor or an
    # expired token is refused from the next request on.
    refusal = record.refusal(datetime.now(UTC), engine.settings.token_lifetime)
    if refusal is not None:
        raise Unauthorized(refusal)
    return principal_of(request, record)


def principal_of(request: Request, record: ActorRecord) -> Principal:
    """The caller an authenticated actor record stands for."""
    # Read by the access log after the response (no personal data: an id).
    request.scope.setdefault("state", {})["actor_id"] = record.actor_id
    return Principal(
        id=record.actor_id,
        role=Role(record.role),
        jurisdiction=Jurisdiction(kind=JurisdictionKind(record.jurisdiction_kind), value=record.jurisdiction),
        created_at=record.created_at,
        created_by=record.created_by,
    )


CurrentActor = Annotated[Principal, Depends(authenticate)]

IdempotencyKey = Annotated[
    UUID,
    Header(
        alias="Idempotency-Key",
        description="A UUID the client makes for this request and sends again when it retries: the "
        "request is carried out once, and a retry gets the same response. Reusing it for another "
        "request is a conflict (409).",
    ),
]

JourneyId = Annotated[
    str,
    Path(
        pattern=JOURNEY_ID_PATTERN,
        description="The journey's id (one product's application, hành trình sản phẩm).",
        examples=["5b0c1f0e-6f2e-5d43-9a3c-0c1b2d3e4f50"],
    ),
]


def request_id(request: Request) -> str:
    """The id the request context middleware gave this request."""
    return str(request.scope.get("state", {}).get("request_id", ""))


def once(request: Request, actor: CurrentActor, key: IdempotencyKey, engine: EngineDep) -> Once:
    """The command request's Idempotency-Key, bound to its caller and request."""
    return Once(request=request, engine=engine, actor=actor, key=key, request_id=request_id(request))


Idempotent = Annotated[Once, Depends(once)]
"""A command route's one dependency: its caller, engine and Idempotency-Key (``api.idempotency.Once``)."""

CertificateNumber = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        pattern=r"^[^\x00-\x1f]+$",
        description="One of the journey's certificates (số giấy chứng nhận); by default its latest.",
    ),
]
MemberId = Annotated[str, Path(pattern=r"^[\w.@-]{1,200}$", description="The council member's actor id.")]

RoundId = Annotated[
    str,
    Path(
        pattern=r"^[\w.-]{1,100}$",
        description="The round's id, as its opening named it.",
        examples=["R-TH-2026-1"],
    ),
]

CouncilId = Annotated[
    str,
    Path(
        pattern=r"^[\w.-]{1,100}$",
        description="The council's id, as its appointment named it.",
        examples=["HD-TH-2025"],
    ),
]
