"""Actors: who may call the API (tác nhân), created by administrators."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api import access
from api.commands import derived_id
from api.deps import CurrentActor, EngineDep, IdempotencyKey
from api.errors import Conflict, Invalid
from api.idempotency import Outcome, idempotent
from api.routers.common import READ, problems
from schemas.api import ActorCreated, ActorView, FieldError, NewActor
from store.actors import ActorExists

router = APIRouter(prefix="/v1", tags=["actors"])


@router.post(
    "/actors",
    status_code=201,
    response_model=ActorCreated,
    summary="Create an actor and show its token once",
    responses=problems(401, 403, 409, 413, 422, 503),
)
async def create_actor(
    body: NewActor, request: Request, actor: CurrentActor, key: IdempotencyKey, engine: EngineDep
) -> Response:
    """An administrator creates an actor in their jurisdiction. The bearer token is in this
    response only; the engine keeps its SHA-256."""
    try:
        jurisdiction = access.parse_jurisdiction(body.role, body.jurisdiction)
    except ValueError as error:
        raise Invalid(
            str(error), errors=[FieldError(loc=["body", "jurisdiction"], msg=str(error), type="jurisdiction")]
        ) from None
    access.check_create_actor(actor, body.role, jurisdiction)

    async def work() -> Outcome:
        actor_id = body.id or derived_id(actor.id, key)
        try:
            record, token = await (await engine.actors()).add(
                actor_id, body.role.value, jurisdiction.kind.value, jurisdiction.value, created_by=actor.id
            )
        except ActorExists as error:
            raise Conflict(str(error), code="ActorExists") from None
        view = ActorView(
            id=record.actor_id,
            role=body.role,
            jurisdiction=jurisdiction,
            created_at=record.created_at,
            created_by=record.created_by,
        )
        return Outcome(
            201,
            ActorCreated(**view.model_dump(), token=token),
            headers={"Location": "/v1/me"},
            # A retry gets the actor without its token: the token is never stored.
            kept_body=ActorCreated(**view.model_dump(), token=None),
        )

    return await idempotent(request, engine, actor, key, body, work)


@router.get("/me", response_model=ActorView, summary="Who the token belongs to", responses=problems(*READ))
async def me(actor: CurrentActor) -> ActorView:
    """The calling actor: id, role and jurisdiction."""
    return ActorView(
        id=actor.id,
        role=actor.role,
        jurisdiction=actor.jurisdiction,
        created_at=actor.created_at,
        created_by=actor.created_by,
    )
