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
import hashlib
import io
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query, Request, Response
from openpyxl import Workbook
from pydantic import BaseModel, Field

from api.deps import JourneyId, engine_of
from api.errors import ApiError, NotFound
from api.routers.common import problems
from schemas.log import BrokenLink, StreamRef
from schemas.refusals import Reason
from store import verify
from store.registry import ENTRY_FIELDS, RegistryEntry, RegistryQuery, RegistryStatus, RegistryStore
from web.exports import csv_text, spreadsheet_cell
from web.public_urls import public_product_path

router = APIRouter(prefix="/v1/registry", tags=["registry"])

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- the per-client rate limit ------------------------------------------------------------------


class TooManyRequests(ApiError):
    status = 429
    code = "TooManyRequests"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"too many requests to the public registry: retry in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after


class RateLimiter:
    """A token bucket per client: ``burst`` requests at once, refilled at ``per_minute`` a minute.

    In the process's memory (each API replica counts its own clients); a client whose bucket is
    full again is forgotten when the table grows past ``max_clients``."""

    def __init__(
        self,
        per_minute: int,
        burst: int,
        *,
        max_clients: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str) -> int | None:
        """Take one request for ``client``: None if allowed, else the seconds until it would be."""
        now = self.clock()
        tokens, stamp = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - stamp) * self.rate)
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0, now)
            if len(self._buckets) > self.max_clients:
                self._forget_idle(now)
            return None
        self._buckets[client] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / self.rate))

    def _forget_idle(self, now: float) -> None:
        idle = [
            client
            for client, (tokens, stamp) in self._buckets.items()
            if tokens + (now - stamp) * self.rate >= self.burst
        ]
        for client in idle:
            del self._buckets[client]
        if len(self._buckets) > self.max_clients:  # a flood of distinct clients: start afresh
            self._buckets.clear()


def limiter_of(request: Request) -> RateLimiter:
    """The app's registry rate limiter (made at its first public request, from the settings)."""
    state = request.app.state
    limiter: RateLimiter | None = getattr(state, "registry_limiter", None)
    if limiter is None:
        settings = engine_of(request).settings
        limiter = RateLimiter(settings.registry_rate_per_minute, settings.registry_rate_burst)
        state.registry_limiter = limiter
    return limiter


def client_of(request: Request) -> str:
    """Who the rate limit counts: the client's address (behind a proxy, the server's view of it,
    e.g. uvicorn's --proxy-headers)."""
    return request.client.host if request.client is not None else "unknown"


def admit(request: Request) -> int | None:
    """Count this request against its client's rate: None, or the Retry-After seconds."""
    return limiter_of(request).take(client_of(request))


def check_rate(request: Request) -> None:
    wait = admit(request)
    if wait is not None:
        raise TooManyRequests(wait)


# -- caching --------------------------------------------------------------------------------------


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag`` (weak comparison, as RFC 9110 asks for GET)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


def cache_headers(request: Request, etag: str) -> dict[str, str]:
    max_age = engine_of(request).settings.registry_max_age_seconds
    return {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}


def not_modified(request: Request, etag: str, headers: dict[str, str]) -> Response | None:
    """304 (no body) when the client holds this version already."""
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return None


def cached(request: Request, body: bytes, media_type: str, extra: dict[str, str] | None = None) -> Response:
    """``body`` with its ETag and public caching headers, or 304 if the client has it."""
    etag = etag_of(body)
    headers = {**cache_headers(request, etag), **(extra or {})}
    return not_modified(request, etag, headers) or Response(body, media_type=media_type, headers=headers)


# -- what the API answers -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegistryItem(RegistryEntry):
    """A certificate of a certified product, with the path of the product's public page."""

    url: Annotated[str, Field(description="The product's public page (the one its certificate's QR opens).")]


@dataclass(frozen=True, slots=True)
class RegistryResults:
    """A page of a registry search: newest decisions first."""

    page: int
    page_size: int
    more: Annotated[bool, Field(description="Whether a next page follows.")]
    items: list[RegistryItem]


@dataclass(frozen=True, slots=True)
class RecordVerification:
    """The product's record checked: its stream's hash chain recomputed, and the head it ends at."""

    ok: bool
    events_checked: int
    head_hash: str | None
    head_version: int | None
    broken: list[BrokenLink]


@dataclass(frozen=True, slots=True)
class RegistryProduct:
    """A product's public record: its latest certificate, every certificate it held, and the
    verification of its record."""

    product: RegistryItem
    certificates: Annotated[list[RegistryItem], Field(description="Latest first; the others superseded.")]
    verification: RecordVerification


def item(entry: RegistryEntry) -> RegistryItem:
    fields = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    return RegistryItem(**fields, url=public_product_path(entry.journey_id))


def _model(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"{type(value).__name__} is not JSON")


def _json(answer: Any) -> bytes:
    """The answer's JSON: its dataclasses, dates and statuses as orjson writes them (the shapes the
    route's response model documents)."""
    return orjson.dumps(answer, default=_model)


async def registry(request: Request) -> RegistryStore:
    return RegistryStore(await engine_of(request).pool())


async def product_record(store: RegistryStore, journey_id: str) -> RegistryProduct | None:
    """The product's public record, or None if it never held a certificate."""
    entries = await store.product(journey_id)
    if not entries:
        return None
    report = await verify(store.pool, StreamRef(type="journey", id=journey_id))
    head = entries[0]
    return RegistryProduct(
        product=item(head),
        certificates=[item(entry) for entry in entries],
        verification=RecordVerification(
            ok=report.ok,
            events_checked=report.events_checked,
            head_hash=head.head_hash,
            head_version=head.head_version,
            broken=report.broken,
        ),
    )


# -- the query ------------------------------------------------------------------------------------

Province = Annotated[int | None, Query(ge=1, le=999, description="Province code (mã tỉnh, 2025).")]
Commune = Annotated[int | None, Query(ge=1, le=99999, description="Commune code (mã xã, 2025).")]
Stars = Annotated[int | None, Query(ge=3, le=5, description="Star rank (hạng sao).")]
ProductSet = Annotated[
    str | None,
    Query(max_length=20, pattern=r"^[IVX]+\.[0-9]+(\.[a-z])?$", description='Bộ sản phẩm, e.g. "I.1.a".'),
]
ProductGroup = Annotated[
    str | None, Query(max_length=40, pattern=r"^[a-z_]+$", description="Product group of older rulebooks.")
]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="Year of the recognition decision.")]
Status = Annotated[
    RegistryStatus | None,
    Query(description="Certificates in this status; omitted: each product once, by its latest certificate."),
]
Text = Annotated[
    str | None, Query(max_length=100, pattern=r"^[^\x00]*$", description="Words of the product's name.")
]


def registry_query(
    province: Province = None,
    commune: Commune = None,
    stars: Stars = None,
    product_set: ProductSet = None,
    product_group: ProductGroup = None,
    year: Year = None,
    status: Status = None,
    q: Text = None,
) -> RegistryQuery:
    return RegistryQuery(
        province_code=province,
        commune_code=commune,
        stars=stars,
        product_set=product_set,
        product_group=product_group,
        year=year,
        status=status,
        text=q.strip() if q and q.strip() else None,
    )


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
    province: Province = None,
    commune: Commune = None,
    stars: Stars = None,
    product_set: ProductSet = None,
    product_group: ProductGroup = None,
    year: Year = None,
    status: Status = None,
    q: Text = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
) -> Response:
    """Certified products (sản phẩm OCOP) by province, commune, stars, product set or group, year of
    the decision, status and words of the name; newest decisions first. Public: no sign-in."""
    check_rate(request)
    query = registry_query(province, commune, stars, product_set, product_group, year, status, q)
    entries, more = await (await registry(request)).search(
        query, limit=page_size, offset=(page - 1) * page_size
    )
    results = RegistryResults(page=page, page_size=page_size, more=more, items=[item(e) for e in entries])
    return cached(request, _json(results), "application/json")


@router.get(
    "/products/{journey_id}",
    response_model=RegistryProduct,
    summary="A certified product's public record",
    responses=_responses(404, 422),
)
async def get_product(request: Request, journey_id: JourneyId) -> Response:
    """A product's certificates (latest first) and the verification of its record: its stream's
    hash chain recomputed, with the head hash. 404 for a product never certified."""
    check_rate(request)
    record = await product_record(await registry(request), journey_id)
    if record is None:
        raise NotFound(Reason("registry.no_product", journey=journey_id))
    return cached(request, _json(record), "application/json")


@router.get(
    "/product-codes/{product_code}",
    response_model=RegistryItem,
    summary="Look up a product by its product code",
    responses=_responses(404, 422),
)
async def by_product_code(
    request: Request,
    product_code: Annotated[
        str, Path(max_length=60, pattern=r"^[A-Za-z0-9./-]+$", description="Mã sản phẩm OCOP.")
    ],
) -> Response:
    """The latest certificate of the product with this product code (T)-(X)-(STT)-(Năm)."""
    check_rate(request)
    entry = await (await registry(request)).by_product_code(product_code)
    if entry is None:
        raise NotFound(Reason("registry.no_product_code", code=product_code))
    return cached(request, _json(item(entry)), "application/json")


@router.get(
    "/certificates/{certificate_number:path}",
    response_model=RegistryItem,
    summary="Look up a certificate by its number",
    responses=_responses(404, 422),
)
async def by_certificate(
    request: Request,
    certificate_number: Annotated[str, Path(max_length=300, description="Số giấy chứng nhận.")],
) -> Response:
    """The certificate with this number, in whatever status it is now (in force, expired,
    superseded, revoked, with the date)."""
    check_rate(request)
    if "\x00" in certificate_number:
        raise NotFound(Reason("registry.no_such_certificate"))
    entry = await (await registry(request)).by_certificate(certificate_number)
    if entry is None:
        raise NotFound(Reason("registry.no_certificate", number=certificate_number))
    return cached(request, _json(item(entry)), "application/json")


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


async def _export(request: Request, query: RegistryQuery, kind: str) -> Response:
    check_rate(request)
    entries = await (await registry(request)).every(query)
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
    province: Province = None,
    commune: Commune = None,
    stars: Stars = None,
    product_set: ProductSet = None,
    product_group: ProductGroup = None,
    year: Year = None,
    status: Status = None,
    q: Text = None,
) -> Response:
    query = registry_query(province, commune, stars, product_set, product_group, year, status, q)
    return await _export(request, query, "csv")


@router.get(
    "/export.xlsx",
    summary="The registry as open data (xlsx)",
    responses={**_responses(422), 200: {"content": {XLSX_TYPE: {}}, "description": "The workbook."}},
    response_class=Response,
)
async def export_xlsx(
    request: Request,
    province: Province = None,
    commune: Commune = None,
    stars: Stars = None,
    product_set: ProductSet = None,
    product_group: ProductGroup = None,
    year: Year = None,
    status: Status = None,
    q: Text = None,
) -> Response:
    query = registry_query(province, commune, stars, product_set, product_group, year, status, q)
    return await _export(request, query, "xlsx")


export_csv.__doc__ = export_xlsx.__doc__ = _EXPORT_DOC
