"""The public registry (tra cứu công khai sản phẩm OCOP) for the API's routes and the pages alike:
the query a search or an export reads, the product record with the verification of its hash chain,
and the crowd rules both answer under — each client's rate (``registry_rate_per_minute``, bursts of
``registry_rate_burst``; beyond, 429 with Retry-After) and the HTTP cache (an ETag and
``Cache-Control: public``; a request whose If-None-Match holds the ETag gets 304 and no body).
These rules are HTTP's by nature: the registry is public, so the pages answer as the API does.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import orjson
from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import engine_of
from api.errors import ApiError
from schemas.log import BrokenLink, StreamRef
from store import verify
from store.registry import ENTRY_FIELDS, RegistryEntry, RegistryQuery, RegistryStatus, RegistryStore
from web.public_urls import public_product_path

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


def json_bytes(answer: Any) -> bytes:
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
    """A search's or an export's filters from its query string (a route's dependency: the
    parameters are documented once, for every route that filters the registry)."""
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
