"""A journey step taken from a form, through the API's one command path, and how a refusal reads.

The step goes through the service ``POST /v1/journeys/{id}/{action}`` runs
(``api.services.journeys.take_action``): the journey is read with the caller's read rights,
``access.check_act`` applies the access policy, the action's request body model validates the
fields, and the command goes to the journey's workflow as a Temporal update, whose validator holds
the journey's rules. Nothing here decides.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from api import access
from api.access import AccessDenied
from api.deps import request_id
from api.errors import ApiError, field_message
from api.idempotency import body_hash
from api.services.journeys import load_journey, take_action
from schemas.api import ACTION_BODIES, Body
from schemas.errors import DomainError
from schemas.journey import CommandReceipt, JourneyState
from web.i18n import PAGE_LANGUAGE, Translator
from web.pages import Page

# What a step may be refused with; each is shown beside the form that asked for it.
REFUSALS = (DomainError, AccessDenied, ApiError, ValidationError)


@dataclass
class Refusal:
    """Why a step was refused: a message for the form, and messages beside some of its fields."""

    message: str | None = None
    code: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    status: int = 422


def update_key(form_key: str, body: BaseModel) -> uuid.UUID:
    """The step's Idempotency-Key: the form's key and what it sends. A form sent twice (a double
    click, a reload) is one step; the same form corrected after a refusal is a new one."""
    try:
        base = uuid.UUID(form_key)
    except ValueError:
        base = uuid.uuid4()
    return uuid.uuid5(base, body_hash(body))


async def check_step(
    page: Page, journey_id: str, action: str, fields: Mapping[str, Any]
) -> tuple[JourneyState, Body]:
    """What ``take_step`` checks before it sends anything: the journey read with the caller's
    rights, the access policy, the body. A confirmation step (``web.confirm``) asks it first, so
    that a step refused for these reasons is refused before the confirmation, not after."""
    actor = page.me
    journey = await load_journey(page.engine, actor, journey_id)
    access.check_act(actor, journey, action)
    return journey, ACTION_BODIES[action].model_validate(dict(fields))


async def take_step(
    page: Page, journey_id: str, action: str, fields: Mapping[str, Any], form_key: str
) -> CommandReceipt:
    """Run ``action`` on the journey for the signed-in actor, through the service the API's route
    runs (``api.services.journeys.take_action``), under the form's key."""
    _, body = await check_step(page, journey_id, action, fields)
    run = take_action(page.engine, page.me, journey_id, action, body, request_id(page.request))
    return await run(update_key(form_key, body))


def refusal_of(error: Exception) -> Refusal:
    """How a refusal reads on the page: the engine's reason in the page's language, beside the field
    it concerns when the refusal names it structurally (a request field's location). A page that
    can say which of its fields a domain error concerns does so itself (the scoring page:
    ``web.scoring.out_of_range``), never by reading the message."""
    t = Translator(PAGE_LANGUAGE.get())  # the page's language (web.pages.any_page)
    if isinstance(error, ValidationError):
        refusal = Refusal(code="InvalidRequest")
        for item in error.errors():
            loc = [str(part) for part in item.get("loc", ())]
            name = loc[1] if loc[:1] == ["parts"] and len(loc) > 1 else (loc[0] if loc else "")
            message = field_message(item, t.lang)
            if name:
                refusal.fields.setdefault(name, message)
            else:
                refusal.message = message
        return refusal
    if isinstance(error, DomainError):
        told = error.told(t.lang, t.code)
        refusal = Refusal(message=told, code=error.code, status=error.http_status)
        field = getattr(error, "field", None)
        if isinstance(field, str):  # e.g. ProductSetRequired: beside the field it concerns
            refusal.fields[field] = told
        return refusal
    if isinstance(error, AccessDenied):
        return Refusal(message=error.told(t.lang, t.code), code="AccessDenied", status=403)
    if isinstance(error, ApiError):
        return Refusal(message=error.told(t.lang, t.code), code=error.code, status=error.status)
    raise TypeError(f"not a refusal: {error!r}")
