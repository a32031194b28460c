"""Actors (tác nhân) for an administrator: create one in their jurisdiction, and find one they
manage (an administrator manages the actors they could have created).

Creating an actor answers its token once, and an actor's id may be the body's: so the creation runs
under the request log (``create_actor_once``), which alone can tell a retry from another request.
"""

from __future__ import annotations

import uuid

from fastapi import Response

from api import access
from api.access import Principal
from api.commands import derived_id
from api.engine import Engine
from api.errors import Conflict, Invalid, NotFound
from api.idempotency import Once, Outcome
from api.services import Checked
from schemas.api import ActorCreated, ActorView, FieldError, Jurisdiction, JurisdictionKind, NewActor
from schemas.refusals import Reason
from schemas.roles import Role
from store.accounts import AccountStore
from store.actors import ActorExists, ActorRecord


def jurisdiction_of(record: ActorRecord) -> Jurisdiction:
    """The jurisdiction an actor record holds."""
    return Jurisdiction(kind=JurisdictionKind(record.jurisdiction_kind), value=record.jurisdiction)


def create_actor(engine: Engine, admin: Principal, body: NewActor) -> Checked[ActorCreated]:
    """An administrator creates an actor in their jurisdiction; the answer holds its bearer token,
    which the engine keeps only as a SHA-256. Its id, when the body names none, is derived from the
    administrator and the key: run again with the key, the actor is answered without its token."""
    try:
        jurisdiction = access.parse_jurisdiction(body.role, body.jurisdiction)
    except ValueError as error:
        raise Invalid(
            str(error), errors=[FieldError(loc=["body", "jurisdiction"], msg=str(error), type="jurisdiction")]
        ) from None
    access.check_create_actor(admin, body.role, jurisdiction)

    async def run(key: uuid.UUID) -> ActorCreated:
        actor_id = body.id or derived_id(admin.id, key)
        actors = await engine.actors()
        token: str | None
        try:
            record, token = await actors.add(
                actor_id, body.role.value, jurisdiction.kind.value, jurisdiction.value, created_by=admin.id
            )
        except ActorExists as error:
            # An id derived from (caller, key) exists only if this key made it, and its first
            # answer was lost: answer as its retry would (the actor, not its token).
            made = await actors.get(actor_id) if body.id is None else None
            if made is None or (made.role, made.jurisdiction) != (body.role.value, jurisdiction.value):
                raise Conflict(str(error), code="ActorExists") from None
            record, token = made, None
        view = ActorView(
            id=record.actor_id,
            role=body.role,
            jurisdiction=jurisdiction,
            created_at=record.created_at,
            created_by=record.created_by,
        )
        return ActorCreated(**view.model_dump(), token=token)

    return run


async def managed_actor(actor: Principal, engine: Engine, actor_id: str) -> tuple[AccountStore, ActorRecord]:
    """The actor ``actor_id`` if ``actor`` administers it: an administrator manages the actors
    they could have created (``access.check_create_actor``)."""
    accounts = AccountStore(await engine.pool())
    record = await accounts.actor(actor_id)
    if record is None:
        raise NotFound(Reason("accounts.unknown_actor", actor=repr(actor_id)))
    access.check_create_actor(actor, Role(record.role), jurisdiction_of(record))
    return accounts, record


async def create_actor_once(once: Once, body: NewActor) -> Response:
    """``create_actor`` under the request's Idempotency-Key, kept in the request log: the same key
    again answers the kept response, which holds the actor without its token (the token is never
    stored) — also for an actor whose id the body names, which a retry could not tell apart from
    another's otherwise. The API's route and the page's form answer with this."""
    run = create_actor(once.engine, once.actor, body)

    async def work() -> Outcome:
        created = await run(once.key)
        return Outcome(
            201,
            created,
            headers={"Location": "/v1/me"},
            kept_body=ActorCreated.model_validate({**created.model_dump(), "token": None}),
        )

    return await once(body, work)
