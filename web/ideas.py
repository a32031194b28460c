"""A producer registers a product idea (đăng ký ý tưởng sản phẩm) from a page: the API's own
``POST /v1/journeys`` (``register_idea``: the access check, the journey id drawn from the caller and
the Idempotency-Key, the journey's start), called with the signed-in producer. The form offers the
product groups of the rulebook in force today and the communes of the producer's province."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi import Response
from starlette.datastructures import FormData

from api.routers.journeys import register_idea
from schemas.api import ACTION_BODIES, JurisdictionKind
from schemas.errors import DomainError
from web.pages import Page, PostedForm, SignedIn, page_router, text
from web.steps import REFUSALS, Refusal, refusal_of, update_key
from workflows import places
from workflows.lifecycle import applicable_rulebook

router = page_router()  # this module's pages; web/__init__.py includes them


def _home(page: Page) -> tuple[int | None, int | None]:
    """The province and commune the producer's jurisdiction names (None where it names none)."""
    jurisdiction = page.me.jurisdiction
    if not jurisdiction.value.isdigit():
        return None, None
    code = int(jurisdiction.value)
    if jurisdiction.kind == JurisdictionKind.PROVINCE:
        return code, None
    if jurisdiction.kind == JurisdictionKind.COMMUNE:
        try:
            return places.province_of_commune(code), code
        except DomainError:
            return None, None
    return None, None


def _render(page: Page, form: FormData | None, refusal: Refusal | None = None, status: int = 200) -> Response:
    province, commune = _home(page)
    rulebook = applicable_rulebook(None, datetime.now(UTC))
    values = {
        "product_name": text(form, "product_name") if form else "",
        "product_group": text(form, "product_group") if form else "",
        "province_code": text(form, "province_code") if form else str(province or ""),
        "commune_code": text(form, "commune_code") if form else str(commune or ""),
    }
    communes = places.communes_of(province) if province is not None else []
    return page.render(
        "idea_new.html",
        status=status,
        values=values,
        groups=rulebook.product_groups,
        province=(province, places.province_name(province)) if province is not None else None,
        communes=communes,
        refusal=refusal,
        here="/ideas/new",
    )


@router.get("/ideas/new")
async def register_idea_page(page: SignedIn) -> Response:
    """The form: product name, product group, the province and commune of the producer's own
    jurisdiction preselected."""
    return _render(page, None)


@router.post("/ideas")
async def register_idea_form(page: SignedIn, form: PostedForm) -> Response:
    """Register the idea as ``POST /v1/journeys`` does; the new journey's page follows."""
    fields = {
        name: text(form, name) for name in ("product_name", "product_group", "province_code", "commune_code")
    }
    try:
        body = ACTION_BODIES["register-idea"].model_validate(fields)
        key = update_key(text(form, "key"), body)
        response = await register_idea(body, page.request, page.me, key, page.engine)
    except REFUSALS as error:
        refusal = refusal_of(error)
        return _render(page, form, refusal, refusal.status)
    journey_id = json.loads(bytes(response.body))["journey_id"]
    return page.redirect(f"/journeys/{journey_id}?done=register-idea")
