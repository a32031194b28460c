"""An administrator's pages for actors (quản lý tác nhân): find an actor of their jurisdiction,
see whether it is active, deactivate it (after a confirmation page), reactivate it, issue a new
token (after a confirmation page), give it a page sign-in or reset its password. A new token or
first password is shown once, on the page that follows the step. Create an actor (tạo tác nhân):
role, jurisdiction and id, through the service ``POST /v1/actors`` runs
(``api.services.actors.create_actor_once``: its access check, the Idempotency handling with the
form's key); the new token is shown once on the actor's page.

The access rule is the API's (``api.services.actors.managed_actor``); every step is recorded on
the actor's stream by ``store.accounts``, with the form's key as its idempotency key.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Annotated

from fastapi import Path, Query, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from api import access
from api.access import AccessDenied
from api.deps import request_id
from api.errors import ApiError
from api.idempotency import Once
from api.services.actors import create_actor_once, managed_actor
from schemas.accounts import USER_NAME_PATTERN
from schemas.api import ACTOR_ID_PATTERN, NewActor
from schemas.log import Actor
from schemas.refusals import Reason
from schemas.roles import Role
from store.accounts import AccountRefused, UnknownActor
from web.confirm import Fact, carried, confirmation, confirmed
from web.pages import Page, PostedForm, SignedIn, page_router, text
from web.steps import REFUSALS, Refusal, refusal_of, update_key

router = page_router()  # this module's pages; web/__init__.py includes them

ActorId = Annotated[str, Path(pattern=ACTOR_ID_PATTERN)]
# Steps an administrator confirms on a page of their own first: neither can be undone.
CONFIRMED = {"deactivate": "actor.deactivate", "token": "actor.rotate"}


def _administrator(page: Page) -> None:
    if page.me.role != Role.ADMINISTRATOR:
        raise AccessDenied(Reason("accounts.administrators_manage"))


@router.get("/actors")
async def find_actor(
    page: SignedIn, actor_id: Annotated[str | None, Query(alias="id", max_length=100)] = None
) -> Response:
    _administrator(page)
    if actor_id and re.match(ACTOR_ID_PATTERN, actor_id.strip()):
        return page.redirect(f"/actors/{actor_id.strip()}")
    return page.render("actors.html", value=actor_id or "")


# The roles an administrator may create an account for (the engine's own ``system`` is none).
CREATED_ROLES = tuple(role for role in Role if role != Role.SYSTEM)
NEW_ACTOR_FIELDS = ("role", "jurisdiction", "id")


def _render_new(
    page: Page, form: FormData | None, refusal: Refusal | None = None, status: int = 200
) -> Response:
    values = {name: text(form, name) if form else "" for name in NEW_ACTOR_FIELDS}
    return page.render(
        "actor_new.html",
        status=status,
        values=values,
        roles=CREATED_ROLES,
        refusal=refusal,
        here="/actors/new",
    )


@router.get("/actors/new")
async def new_actor_page(page: SignedIn) -> Response:
    """The "create an actor" form: role, jurisdiction, id."""
    _administrator(page)
    return _render_new(page, None)


@router.post("/actors")
async def new_actor_form(page: SignedIn, form: PostedForm) -> Response:
    """Create the actor as ``POST /v1/actors`` does, after a confirmation saying what it will be;
    its token is shown once, on its page."""
    _administrator(page)
    fields = {name: text(form, name) for name in NEW_ACTOR_FIELDS}
    try:
        body = NewActor.model_validate({name: value for name, value in fields.items() if value})
        if not confirmed(form):
            # The API's own checks first (``create_actor`` asks them again), so that a refused
            # account is refused before the confirmation, not after.
            try:
                jurisdiction = access.parse_jurisdiction(body.role, body.jurisdiction)
            except ValueError:
                refusal = Refusal(fields={"jurisdiction": page.t("actor_new.jurisdiction_bad")}, status=422)
                return _render_new(page, form, refusal, refusal.status)
            access.check_create_actor(page.me, body.role, jurisdiction)
            t = page.t
            place = f"{t.code('jurisdiction', jurisdiction.kind)} {jurisdiction.value}"
            facts = [
                Fact(t("actor.role"), t.code("role", body.role)),
                Fact(t("actor.jurisdiction"), place),
                Fact(t("actors.find"), body.id or t("actor_new.id_made")),
            ]
            return confirmation(
                page,
                title=t("actor_new.confirm"),
                facts=facts,
                action="/actors",
                fields=carried(form, NEW_ACTOR_FIELDS),
                key=text(form, "key"),
                back="/actors/new",
                warning=t("actor_new.confirm_warning"),
            )
        key = update_key(text(form, "key"), body)
        once = Once(page.request, page.engine, page.me, key, request_id(page.request))
        answer = await create_actor_once(once, body)
    except REFUSALS as error:
        refusal = refusal_of(error)
        if isinstance(error, ApiError) and any(item.loc[-1:] == ["jurisdiction"] for item in error.errors):
            refusal = Refusal(fields={"jurisdiction": page.t("actor_new.jurisdiction_bad")}, status=422)
        elif isinstance(error, ValidationError) and "id" in refusal.fields:
            refusal.fields["id"] = page.t("actor_new.id_bad")
        return _render_new(page, form, refusal, refusal.status)
    created = json.loads(bytes(answer.body))
    if created.get("token") is None:  # the form sent again: a replay answers without the token
        return page.redirect(f"/actors/{created['id']}?done=true")
    return await _actor_page(page, created["id"], once=("token", created["token"]))


async def _actor_page(page: Page, actor_id: str, *, status: int = 200, **context: object) -> Response:
    accounts, record = await managed_actor(page.me, page.engine, actor_id)
    return page.render(
        "actor.html",
        status=status,
        here=f"/actors/{actor_id}",
        target=record,
        expires=record.token_expires_at(page.engine.settings.token_lifetime),
        signs_in=await accounts.signs_in(actor_id),
        **{"done": None, "error": None, "once": None, **context},
    )


@router.get("/actors/{actor_id}")
async def actor_page(actor_id: ActorId, page: SignedIn, done: bool = False) -> Response:
    _administrator(page)
    return await _actor_page(page, actor_id, done=page.t("actor.done") if done else None)


@router.get("/actors/{actor_id}/confirm/{step}")
async def confirm_page(actor_id: ActorId, step: str, page: SignedIn) -> Response:
    """Say what the step will do, and ask again: deactivation and token rotation cannot be undone."""
    _administrator(page)
    if step not in CONFIRMED:
        return page.redirect(f"/actors/{actor_id}")
    _, record = await managed_actor(page.me, page.engine, actor_id)
    return page.render("actor_confirm.html", target=record, step=step, label=CONFIRMED[step])


@router.post("/actors/{actor_id}/{step}")
async def actor_step(actor_id: ActorId, step: str, page: SignedIn, form: PostedForm) -> Response:
    _administrator(page)
    accounts, _ = await managed_actor(page.me, page.engine, actor_id)
    key = text(form, "key") or str(uuid.uuid4())
    try:
        uuid.UUID(key)
    except ValueError:
        key = str(uuid.uuid4())
    by = Actor(id=page.me.id, role=page.me.role.value)
    try:
        if step == "deactivate":
            if actor_id == page.me.id:
                raise AccountRefused(Reason("accounts.self_deactivation"), "SelfDeactivation")
            await accounts.deactivate(actor_id, by, key)
        elif step == "reactivate":
            await accounts.reactivate(actor_id, by, key)
        elif step == "token":
            _, token = await accounts.rotate_token(actor_id, by, key)
            return await _actor_page(page, actor_id, once=("token", token))
        elif step == "sign-in":
            user_name = text(form, "user_name")
            if not re.match(USER_NAME_PATTERN, user_name) or len(user_name) > 100:
                return await _actor_page(page, actor_id, status=422, error=page.t("actor.user_name_bad"))
            _, password = await accounts.open_sign_in(actor_id, user_name, by, key)
            return await _actor_page(page, actor_id, once=("password", password, user_name))
        elif step == "password-reset":
            clear = text(form, "clear_second_factor") == "on"
            _, password = await accounts.reset_password(actor_id, by, key, clear_second_factor=clear)
            user_name = await accounts.user_name(actor_id) or ""
            return await _actor_page(page, actor_id, once=("password", password, user_name))
        else:
            return page.redirect(f"/actors/{actor_id}")
    except (AccountRefused, UnknownActor) as error:
        told = error.why.text(page.t.lang, page.t.code) if error.why is not None else str(error)
        return await _actor_page(page, actor_id, status=409, error=told)
    return page.redirect(f"/actors/{actor_id}?done=true")
