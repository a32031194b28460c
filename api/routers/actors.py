"""Actors: who may call the API (tác nhân), created by administrators."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response

from api.access import Principal
from api.commands import derived_id
from api.deps import CurrentActor, EngineDep, Idempotent
from api.engine import Engine
from api.errors import ApiError, Conflict, Invalid, NotFound
from api.idempotency import Outcome
from api.routers.common import COMMAND, READ, problems
from api.services import actors
from api.services.actors import managed_actor
from schemas.accounts import (
    ActorStatus,
    ContactView,
    FirstPassword,
    LinkContact,
    OpenSignIn,
    ResetPassword,
    TokenIssued,
)
from schemas.api import (
    ACTOR_ID_PATTERN,
    ActorCreated,
    ActorView,
    FieldError,
    NewActor,
)
from schemas.log import Actor
from schemas.refusals import Reason
from schemas.roles import Role
from store.accounts import AccountRefused, UnknownActor, normal_user_name
from store.actors import ActorRecord
from store.notices import NoticeStore
from store.parties import PartyStore

router = APIRouter(prefix="/v1", tags=["actors"])


@router.post(
    "/actors",
    status_code=201,
    response_model=ActorCreated,
    summary="Create an actor and show its token once",
    responses=problems(401, 403, 409, 413, 422, 503),
)
async def create_actor(body: NewActor, once: Idempotent) -> Response:
    """An administrator creates an actor in their jurisdiction. The bearer token is in this
    response only; the engine keeps its SHA-256."""
    return await actors.create_actor_once(once, body)


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


# -- stopping actors, rotating tokens, page sign-in (administrators, within their jurisdiction) ---

ActorId = Annotated[
    str, Path(pattern=ACTOR_ID_PATTERN, description="The actor's id.", examples=["cb-hac-thanh"])
]


def _status(record: ActorRecord, engine: Engine, signs_in: bool) -> ActorStatus:
    return ActorStatus(
        id=record.actor_id,
        role=Role(record.role),
        jurisdiction=actors.jurisdiction_of(record),
        created_at=record.created_at,
        created_by=record.created_by,
        active=record.active,
        token_expires_at=record.token_expires_at(engine.settings.token_lifetime),
        signs_in=signs_in,
    )


def _refused(error: AccountRefused | UnknownActor) -> ApiError:
    if isinstance(error, UnknownActor):
        return NotFound(error.why or str(error))
    return Conflict(error.why or str(error), code=error.code)


def _by(actor: Principal) -> Actor:
    return Actor(id=actor.id, role=actor.role.value)


@router.get(
    "/actors/{actor_id}",
    response_model=ActorStatus,
    summary="An actor as its administrator sees it",
    responses=problems(*READ, 404),
)
async def actor_status(actor_id: ActorId, actor: CurrentActor, engine: EngineDep) -> ActorStatus:
    """Whether the actor is active, when its token expires, whether it signs in to the pages."""
    accounts, record = await managed_actor(actor, engine, actor_id)
    return _status(record, engine, await accounts.signs_in(actor_id))


@router.post(
    "/actors/{actor_id}/deactivate",
    response_model=ActorStatus,
    summary="Stop an actor: its token and page sessions get 401 at once",
    responses=problems(*COMMAND),
)
async def deactivate_actor(actor_id: ActorId, once: Idempotent) -> Response:
    """Recorded on the actor's stream (`actor:<id>`) as `actor_deactivated`. An administrator
    cannot deactivate themself (409)."""
    actor, engine, key = once.actor, once.engine, once.key
    accounts, _ = await managed_actor(actor, engine, actor_id)
    if actor_id == actor.id:
        raise Conflict(Reason("accounts.self_deactivation"), code="SelfDeactivation")

    async def work() -> Outcome:
        try:
            done = await accounts.deactivate(actor_id, _by(actor), str(key))
        except (AccountRefused, UnknownActor) as error:
            raise _refused(error) from None
        return Outcome(200, _status(done.actor, engine, await accounts.signs_in(actor_id)))

    return await once(None, work)


@router.post(
    "/actors/{actor_id}/reactivate",
    response_model=ActorStatus,
    summary="Let a deactivated actor act again",
    responses=problems(*COMMAND),
)
async def reactivate_actor(actor_id: ActorId, once: Idempotent) -> Response:
    """Recorded as `actor_reactivated`. Its token works again if it has not expired meanwhile."""
    actor, engine, key = once.actor, once.engine, once.key
    accounts, _ = await managed_actor(actor, engine, actor_id)

    async def work() -> Outcome:
        try:
            done = await accounts.reactivate(actor_id, _by(actor), str(key))
        except (AccountRefused, UnknownActor) as error:
            raise _refused(error) from None
        return Outcome(200, _status(done.actor, engine, await accounts.signs_in(actor_id)))

    return await once(None, work)


@router.post(
    "/actors/{actor_id}/token",
    response_model=TokenIssued,
    summary="Rotate an actor's token: the old one gets 401 at once, the new one is shown once",
    responses=problems(*COMMAND),
)
async def rotate_token(actor_id: ActorId, once: Idempotent) -> Response:
    """The new token's lifetime starts now. Recorded as `token_rotated` (without the token)."""
    actor, engine, key = once.actor, once.engine, once.key
    accounts, _ = await managed_actor(actor, engine, actor_id)

    async def work() -> Outcome:
        try:
            done, token = await accounts.rotate_token(actor_id, _by(actor), str(key))
        except (AccountRefused, UnknownActor) as error:
            raise _refused(error) from None
        status = _status(done.actor, engine, await accounts.signs_in(actor_id))
        return Outcome(
            200,
            TokenIssued(**status.model_dump(), token=token),
            # A retry gets the actor without its token: the token is never stored.
            kept_body=TokenIssued(**status.model_dump(), token=None),
        )

    return await once(None, work)


@router.post(
    "/actors/{actor_id}/sign-in",
    status_code=201,
    response_model=FirstPassword,
    summary="Give an actor a page sign-in: a user name and a first password, shown once",
    responses=problems(*COMMAND),
)
async def open_sign_in(actor_id: ActorId, body: OpenSignIn, once: Idempotent) -> Response:
    """The holder changes the first password at their first sign-in (and, as an administrator or
    a recognition authority, enrols a TOTP second factor). Recorded as `sign_in_opened`, with no
    user name: the user name is personal data, kept out of the log."""
    actor, engine, key = once.actor, once.engine, once.key
    accounts, _ = await managed_actor(actor, engine, actor_id)

    async def work() -> Outcome:
        try:
            _, password = await accounts.open_sign_in(actor_id, body.user_name, _by(actor), str(key))
        except (AccountRefused, UnknownActor) as error:
            raise _refused(error) from None
        name = normal_user_name(body.user_name)
        return Outcome(
            201,
            FirstPassword(actor_id=actor_id, user_name=name, password=password),
            kept_body=FirstPassword(actor_id=actor_id, user_name=name, password=None),
        )

    return await once(body, work)


@router.post(
    "/actors/{actor_id}/password-reset",
    response_model=FirstPassword,
    summary="Reset an actor's password: a new first password, shown once; open sessions end",
    responses=problems(*COMMAND),
)
async def reset_password(actor_id: ActorId, body: ResetPassword, once: Idempotent) -> Response:
    """Also lifts a lock-out. Recorded as `password_reset`."""
    actor, engine, key = once.actor, once.engine, once.key
    accounts, _ = await managed_actor(actor, engine, actor_id)

    async def work() -> Outcome:
        try:
            _, password = await accounts.reset_password(
                actor_id, _by(actor), str(key), clear_second_factor=body.clear_second_factor
            )
        except (AccountRefused, UnknownActor) as error:
            raise _refused(error) from None
        name = await accounts.user_name(actor_id) or ""
        return Outcome(
            200,
            FirstPassword(actor_id=actor_id, user_name=name, password=password),
            kept_body=FirstPassword(actor_id=actor_id, user_name=name, password=None),
        )

    return await once(body, work)


@router.post(
    "/actors/{actor_id}/contact",
    response_model=ContactView,
    summary="Where an actor's notices go: a party's contact details, and their e-mails' language",
    responses=problems(*COMMAND),
)
async def link_contact(actor_id: ActorId, body: LinkContact, once: Idempotent) -> Response:
    """Recorded on the actor's stream as `contact_linked`, with the party's id only. Given contact
    details instead of a party, the engine first records them as a new party (the parties table,
    erasable); the answer says whether an e-mail address is on file, not what it is."""
    actor, engine, key = once.actor, once.engine, once.key
    accounts, record = await managed_actor(actor, engine, actor_id)

    async def work() -> Outcome:
        pool = await engine.pool()
        party_id = body.party_id
        if party_id is None:
            # Derived from the key: a retry after a timeout finds the party the first attempt made.
            party_id = uuid.UUID(derived_id(actor.id, key))
            parties = PartyStore(pool)
            if await parties.get(party_id) is None:
                await parties.add(
                    record.role,
                    display_name=body.display_name,
                    email=body.email,
                    phone=body.phone,
                    party_id=party_id,
                )
        try:
            await accounts.link_contact(actor_id, party_id, body.language, _by(actor), str(key))
        except AccountRefused as error:
            if error.code == "UnknownParty":
                raise Invalid(
                    error.why or str(error),
                    code="UnknownParty",
                    errors=[FieldError(loc=["body", "party_id"], msg=str(error), type="unknown_party")],
                ) from None
            raise _refused(error) from None
        except UnknownActor as error:
            raise _refused(error) from None
        on_file = await NoticeStore(pool).address_of(actor_id) is not None
        return Outcome(
            200,
            ContactView(actor_id=actor_id, party_id=party_id, language=body.language, email_on_file=on_file),
        )

    return await once(body, work)
