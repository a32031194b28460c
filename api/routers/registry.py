"""The public registry's API (tra cứu công khai sản phẩm OCOP), for integrators: search, look-ups by
product code and by certificate number, a product with the verification of its record, and the
open-data export (CSV, xlsx). No sign-in: everything here is public, and nothing personal is in it.

Built for crowds: every answer comes from the registry's read model (store/registry.py) with an
ETag and ``Cache-Control: public`` (a request whose If-None-Match holds the ETag gets 304 and no
body), and each client (its IP address, as the server sees it) may make ``registry_rate_per_minute``
requests a minute with bursts of ``registry_rate_burst`` (beyond: 429 with Retry-After). The pages
(web/registry.py) share these rules.
"""

from __future__ import annotations

import asyncio
import io
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from openpyxl import Workbook

from api.deps import JourneyId, engine_of
from api.errors import NotFound
from api.routers.common import problems
from api.services.registry import (
    CSV_TYPE,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    XLSX_TYPE,
    RegistryItem,
    RegistryProduct,
    RegistryResults,
    cache_headers,
    cached,
    check_rate,
    etag_of,
    item,
    json_bytes,
    not_modified,
    product_record,
    registry,
    registry_query,
)
from schemas.refusals import Reason
from store.registry import RegistryEntry, RegistryQuery, RegistryStore
from web.exports import csv_text, spreadsheet_cell
from web.public_urls import public_product_path

router = APIRouter(prefix="/v1/registry", tags=["registry"])

Registry = Annotated[RegistryStore, Depends(registry)]
"""The registry's read model (``store.registry``), as a route's dependency."""
RegistryFilters = Annotated[RegistryQuery, Depends(registry_query)]
"""A search's or an export's filters, from the query string (``registry_query``)."""

# -- routes ---------------------------------------------------------------------------------------


def _responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"description": "The answer, with its ETag and Cache-Control: public."},
        304: {"description": "Not modified: If-None-Match holds the current ETag (no body)."},
        429: {
            "description": "Too many requests from this client: retry after Retry-After seconds.",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        },
        **problems(*statuses),
    }


@router.get(
    "/products",
    response_model=RegistryResults,
    summary="Search certified products",
    responses=_responses(422),
)
async def search_products(
    request: Request,
    store: Registry,
    query: RegistryFilters,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
) -> Response:
    """Certified products (sản phẩm OCOP) by province, commune, stars, product set or group, year of
    the decision, status and words of the name; newest decisions first. Public: no sign-in."""
    check_rate(request)
    entries, more = await store.search(
        query, limit=page_size, offset=(page - 1) * page_size
    )
    results = RegistryResults(page=page, page_size=page_size, more=more, items=[item(e) for e in entries])
    return cached(request, json_bytes(results), "application/json")


@router.get(
    "/products/{journey_id}",
    response_model=RegistryProduct,
    summary="A certified product's public record",
    responses=_responses(404, 422),
)
async def get_product(request: Request, store: Registry, journey_id: JourneyId) -> Response:
    """A product's certificates (latest first) and the verification of its record: its stream's
    hash chain recomputed, with the head hash. 404 for a product never certified."""
    check_rate(request)
    record = await product_record(store, journey_id)
    if record is None:
        raise NotFound(Reason("registry.no_product", journey=journey_id))
    return cached(request, json_bytes(record), "application/json")


@router.get(
    "/product-codes/{product_code}",
    response_model=RegistryItem,
    summary="Look up a product by its product code",
    responses=_responses(404, 422),
)
async def by_product_code(
    request: Request,
    store: Registry,
    product_code: Annotated[
        str, Path(max_length=60, pattern=r"^[A-Za-z0-9./-]+$", description="Mã sản phẩm OCOP.")
    ],
) -> Response:
    """The latest certificate of the product with this product code (T)-(X)-(STT)-(Năm)."""
    check_rate(request)
    entry = await store.by_product_code(product_code)
    if entry is None:
        raise NotFound(Reason("registry.no_product_code", code=product_code))
    return cached(request, json_bytes(item(entry)), "application/json")


@router.get(
    "/certificates/{certificate_number:path}",
    response_model=RegistryItem,
    summary="Look up a certificate by its number",
    responses=_responses(404, 422),
)
async def by_certificate(
    request: Request,
    store: Registry,
    certificate_number: Annotated[str, Path(max_length=300, description="Số giấy chứng nhận.")],
) -> Response:
    """The certificate with this number, in whatever status it is now (in force, expired,
    superseded, revoked, with the date)."""
    check_rate(request)
    if "\x00" in certificate_number:
        raise NotFound(Reason("registry.no_such_certificate"))
    entry = await store.by_certificate(certificate_number)
    if entry is None:
        raise NotFound(Reason("registry.no_certificate", number=certificate_number))
    return cached(request, json_bytes(item(entry)), "application/json")


EXPORT_COLUMNS = (
    "journey_id",
    "product_name",
    "product_group",
    "product_set",
    "province_code",
    "province_name",
    "commune_code",
    "commune_name",
    "product_code",
    "producer_name",
    "stars",
    "level",
    "certificate_number",
    "decision_number",
    "decision_date",
    "valid_until",
    "extended_until",
    "status",
    "status_on",
    "year",
    "url",
)


def export_rows(entries: list[RegistryEntry], base_url: str) -> list[list[Any]]:
    """The export's rows, in ``EXPORT_COLUMNS`` order (the URL in full: the file leaves the site)."""
    rows = []
    base = base_url.rstrip("/")
    for entry in entries:
        url = base + public_product_path(entry.journey_id)
        rows.append([url if column == "url" else getattr(entry, column) for column in EXPORT_COLUMNS])
    return rows


def _cell(value: Any) -> Any:
    """A workbook cell: numbers and dates as themselves, text neutralized as the CSV's."""
    return value if value is None or isinstance(value, int | date) else spreadsheet_cell(value)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """The rows as one sheet of an xlsx workbook; text cells neutralized as the CSV's are."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("registry")
    sheet.append(list(EXPORT_COLUMNS))
    for row in rows:
        sheet.append([_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _export(request: Request, store: RegistryStore, query: RegistryQuery, kind: str) -> Response:
    check_rate(request)
    entries = await store.every(query)
    rows = export_rows(entries, engine_of(request).settings.public_base_url)
    text = csv_text(EXPORT_COLUMNS, rows).encode("utf-8")
    filename = {"Content-Disposition": f'attachment; filename="ocop-registry.{kind}"'}
    if kind == "csv":
        return cached(request, text, CSV_TYPE, filename)
    # The workbook's bytes carry the time it was written: its ETag is the content's (the CSV's).
    etag = etag_of(text + b"xlsx")
    headers = {**cache_headers(request, etag), **filename}
    unchanged = not_modified(request, etag, headers)
    if unchanged is not None:
        return unchanged
    body = await asyncio.to_thread(xlsx_bytes, rows)
    return Response(body, media_type=XLSX_TYPE, headers=headers)


_EXPORT_DOC = """Every certificate matching the filters (without ``status``: in every status, superseded
ones included), by province, commune and product: the registry as open data. Public: no sign-in."""


@router.get(
    "/export.csv",
    summary="The registry as open data (CSV)",
    responses={**_responses(422), 200: {"content": {CSV_TYPE: {}}, "description": "The CSV file."}},
    response_class=Response,
)
async def export_csv(
    request: Request,
    store: Registry,
    query: RegistryFilters,
) -> Response:
    return await _export(request, store, query, "csv")


@router.get(
    "/export.xlsx",
    summary="The registry as open data (xlsx)",
    responses={**_responses(422), 200: {"content": {XLSX_TYPE: {}}, "description": "The workbook."}},
    response_class=Response,
)
async def export_xlsx(
    request: Request,
    store: Registry,
    query: RegistryFilters,
) -> Response:
    return await _export(request, store, query, "xlsx")


export_csv.__doc__ = export_xlsx.__doc__ = _EXPORT_DOC
