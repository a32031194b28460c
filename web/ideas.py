"""A producer registers a product idea (đăng ký ý tưởng sản phẩm) from a page: the API's own
``POST /v1/journeys`` (``register_idea``: the access check, the journey id drawn from the caller and
the Idempotency-Key, the journey's start), called with the signed-in producer. The form offers the
product groups of the rulebook in force today and the communes of the producer's province."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import Response
from starlette.datastructures import FormData

from api.deps import request_id
from api.services.journeys import register_idea
from schemas.api import JurisdictionKind, RegisterIdeaBody
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
    """Register the idea through the service ``POST /v1/journeys`` runs; the new journey's page follows."""
    fields = {
        name: text(form, name) for name in ("product_name", "product_group", "province_code", "commune_code")
    }
    try:
        body = RegisterIdeaBody.model_validate(fields)
        run = await register_idea(page.engine, page.me, body, request_id(page.request))
        receipt = await run(update_key(text(form, "key"), body))
    except REFUSALS as error:
        refusal = refusal_of(error)
        return _render(page, form, refusal, refusal.status)
    return page.redirect(f"/journeys/{receipt.journey_id}?done=register-idea")
