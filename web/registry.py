"""The public registry's pages (tra cứu công khai sản phẩm OCOP): a search of certified products and
a product's page (the address its certificate's QR code opens, ``web.public_urls``), with the
verification of its record. No sign-in, no script: plain server-rendered HTML any phone reads.

They read what the registry's API reads (``api.services.registry``: the read model, the same rate
limit, ETag and public caching). The language is the ``lang`` query parameter (links switch it),
else the language cookie: no session, so no cookie is ever set and a shared cache may keep them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Query, Request, Response
from fastapi.responses import HTMLResponse
from vietnam_provinces import Province

from api.deps import JourneyId, engine_of
from api.errors import NotFound
from api.services.registry import PAGE_SIZE, admit, cached, product_record, registry
from schemas.rulebooks import RULEBOOKS
from schemas.scorecard import PRODUCT_SETS
from store.registry import RegistryEntry, RegistryQuery, RegistryStatus
from web.i18n import LANGUAGES, Translator
from web.pages import SECURITY_HEADERS, Page, error_page, page_router, query_string
from web.public_urls import PUBLIC_PRODUCT_PATH, public_product_path
from web.session import Session, language_of
from workflows import places

router = page_router()  # this module's pages; web/__init__.py includes them

# A session that is never sent: the public pages set no cookie (a cache may share them).
_NO_SESSION = Session(nonce="public")
FIRST_YEAR = 2019  # the first year of the rulebooks the engine knows (qd1048-2019)
Param = Annotated[str | None, Query(max_length=100)]


def _language(request: Request, lang: str | None) -> str:
    return lang if lang in LANGUAGES else language_of(request)


def public_page(request: Request, lang: str | None) -> Page:
    """A page rendered for anyone: no actor, no session."""
    t = Translator(_language(request, lang))
    return Page(request=request, engine=engine_of(request), session=_NO_SESSION, t=t)


def _number(text: str | None, low: int, high: int) -> int | None:
    """A whole number of a search form in [low, high]; anything else reads as "any"."""
    if text is None or not text.strip().isdigit():
        return None
    value = int(text.strip())
    return value if low <= value <= high else None


def _choice(text: str | None, allowed: Mapping[str, str] | frozenset[str]) -> str | None:
    return text if text in allowed else None


def _product_sets() -> dict[str, str]:
    """Every product set of the shipped classifications, code -> name (Phụ lục I)."""
    return {s.code: s.name_vi for classification in PRODUCT_SETS.values() for s in classification.sets}


def _product_groups(lang: str) -> dict[str, str]:
    """Every product group of the rulebooks, code -> name in ``lang``."""
    found: dict[str, str] = {}
    for book in RULEBOOKS.values():
        for group in book.product_groups:
            found.setdefault(group.code, group.name_vi if lang == "vi" else group.name_en)
    return found


@dataclass(frozen=True)
class Shown:
    """One certificate as a page shows it."""

    entry: RegistryEntry
    href: str
    category: str
    status_text: str


def shown(entry: RegistryEntry, t: Translator, sets: Mapping[str, str], groups: Mapping[str, str]) -> Shown:
    category = sets.get(entry.product_set or "", "") or groups.get(entry.product_group, entry.product_group)
    day = entry.status_on.strftime("%d/%m/%Y")
    return Shown(
        entry=entry,
        href=public_product_path(entry.journey_id) + ("?lang=en" if t.lang == "en" else ""),
        category=category,
        status_text=t(f"registry.since.{entry.status.value}", day=day),
    )


def _with_language(request: Request, lang: str) -> str:
    """This page's address in ``lang``."""
    values = {key: value for key, value in request.query_params.items() if key != "lang"}
    values["lang"] = lang
    return request.url.path + query_string(values)


def _respond(request: Request, page: Page, template: str, **context: Any) -> Response:
    other = "en" if page.t.lang == "vi" else "vi"
    rendered = page.render(template, other_lang=other, other_href=_with_language(request, other), **context)
    extra = {**SECURITY_HEADERS, "Vary": "Cookie"}
    return cached(request, bytes(rendered.body), "text/html; charset=utf-8", extra)


def _too_many(request: Request, page: Page, wait: int) -> HTMLResponse:
    response = error_page(request, 429, page.t("registry.too_many", seconds=wait))
    response.headers["Retry-After"] = str(wait)
    return response


@router.get("/registry")
async def registry_search_page(
    request: Request,
    lang: Param = None,
    q: Param = None,
    province: Param = None,
    commune: Param = None,
    stars: Param = None,
    product_set: Param = None,
    product_group: Param = None,
    year: Param = None,
    status: Param = None,
    page: Param = None,
) -> Response:
    """Search the certified products by province, commune, stars, product set, year and status."""
    shown_page = public_page(request, lang)
    wait = admit(request)
    if wait is not None:
        return _too_many(request, shown_page, wait)
    t = shown_page.t
    this_year = date.today().year
    sets = _product_sets()
    groups = _product_groups(t.lang)
    statuses = {status.value: status.value for status in RegistryStatus}
    province_code = _number(province, 1, 999)
    provinces = [(int(p.code), str(p.name)) for p in Province.iter_all()]
    if province_code not in {code for code, _ in provinces}:
        province_code = None
    communes = places.communes_of(province_code) if province_code is not None else []
    commune_code = _number(commune, 1, 99999)
    if commune_code not in {code for code, _ in communes}:
        commune_code = None
    status_code = _choice(status, statuses)
    query = RegistryQuery(
        province_code=province_code,
        commune_code=commune_code,
        stars=_number(stars, 3, 5),
        product_set=_choice(product_set, sets),
        product_group=_choice(product_group, groups),
        year=_number(year, FIRST_YEAR, this_year + 1),
        status=RegistryStatus(status_code) if status_code else None,
        text=q.strip()[:100] if q and q.strip() else None,
    )
    number = _number(page, 1, 10_000) or 1
    store = await registry(request)
    entries, more = await store.search(query, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    filters = {
        "q": query.text,
        "province": str(query.province_code) if query.province_code else None,
        "commune": str(query.commune_code) if query.commune_code else None,
        "stars": str(query.stars) if query.stars else None,
        "product_set": query.product_set,
        "product_group": query.product_group,
        "year": str(query.year) if query.year else None,
        "status": status_code,
    }
    lang_part = {"lang": "en"} if t.lang == "en" else {}

    def page_href(n: int) -> str:
        return "/registry" + query_string({**filters, **lang_part, "page": str(n) if n > 1 else None})

    return _respond(
        request,
        shown_page,
        "registry_search.html",
        title=t("registry.title"),
        filters=filters,
        results=[shown(entry, t, sets, groups) for entry in entries],
        page_number=number,
        previous_href=page_href(number - 1) if number > 1 else None,
        next_href=page_href(number + 1) if more else None,
        export_query=query_string(filters),
        provinces=provinces,
        communes=communes,
        sets=sets,
        groups=groups,
        statuses=list(statuses),
        years=list(range(this_year, FIRST_YEAR - 1, -1)),
    )


@router.get(PUBLIC_PRODUCT_PATH)
async def registry_product_page(request: Request, journey_id: JourneyId, lang: Param = None) -> Response:
    """A certified product's public page: its certificate and status, every certificate it held,
    and the verification of its record (the hash chain recomputed, with its head)."""
    shown_page = public_page(request, lang)
    wait = admit(request)
    if wait is not None:
        return _too_many(request, shown_page, wait)
    t = shown_page.t
    record = await product_record(await registry(request), journey_id)
    if record is None:
        raise NotFound(t("registry.not_found"))
    sets = _product_sets()
    groups = _product_groups(t.lang)
    return _respond(
        request,
        shown_page,
        "registry_product.html",
        title=record.product.product_name,
        product=shown(record.product, t, sets, groups),
        certificates=[shown(entry, t, sets, groups) for entry in record.certificates],
        verification=record.verification,
        back_href="/registry" + ("?lang=en" if t.lang == "en" else ""),
        json_href=f"/v1/registry/products/{journey_id}",
    )
