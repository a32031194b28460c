"""The public registry (tra cứu công khai sản phẩm OCOP): reads of the read model made for public
reads (``registry_products``, migrations/0008_registry.sql), one row per certificate a product's
journey has held.

The rows are a fold of the journey's read model that the database keeps (a trigger on read_models,
so they are written in the transaction that records the events); ``ocop rebuild`` compares them with
that fold (``registry_differences``) and rewrites those that differ. Nothing personal is read here:
a product, its place, its certificate and the head of its stream's hash chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

import asyncpg
from pydantic import Field

from schemas.errors import InvalidCommand
from store.folds import REGISTRY, fold_differences, refresh_fold
from workflows.places import commune_name, province_name


class RegistryStatus(StrEnum):
    """What a certificate is now (hiệu lực của giấy chứng nhận)."""

    IN_FORCE = "in_force"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """One certificate of a certified product, as the public sees it (sản phẩm OCOP đã công nhận).

    A plain dataclass: a crowd's every answer builds dozens, and orjson writes them as they are
    (pydantic still reads the descriptions for the API's schema)."""

    journey_id: Annotated[str, Field(description="The product's journey (its public page's id).")]
    product_name: str
    product_group: Annotated[str, Field(description="Product group (nhóm sản phẩm) of the rulebook.")]
    product_set: Annotated[str | None, Field(description="Bộ sản phẩm (QĐ 26/2026 Phụ lục I), if any.")]
    province_code: int
    province_name: str
    commune_code: int
    commune_name: str
    product_code: Annotated[
        str | None, Field(description="Mã sản phẩm OCOP (T)-(X)-(STT)-(Năm), if assigned.")
    ]
    producer_name: Annotated[
        str | None, Field(description="The producer organisation (chủ thể OCOP), if known.")
    ]
    stars: int
    level: Annotated[str, Field(description="The level that recognized it (province, central, ...).")]
    rulebook: str
    certificate_number: str
    decision_number: str
    decision_date: date
    valid_until: date
    extended_until: Annotated[
        date | None,
        Field(
            description="The term ended during a re-evaluation: valid until its decision, at most this day."
        ),
    ]
    status: RegistryStatus
    status_on: Annotated[
        date,
        Field(
            description="in_force: since; superseded: the day of the decision that replaced it; expired: "
            "the first day it no longer held; revoked: the day it was revoked."
        ),
    ]
    year: Annotated[int, Field(description="The year of the recognition decision.")]
    current: Annotated[bool, Field(description="The product's latest certificate (the others: superseded).")]
    head_hash: Annotated[str | None, Field(description="The hash at the head of the product's hash chain.")]
    head_version: Annotated[int | None, Field(description="How many events the product's stream holds.")]


ENTRY_FIELDS = tuple(field.name for field in fields(RegistryEntry))


@dataclass(frozen=True)
class RegistryQuery:
    """What a search filters on; None: any. Without ``status`` a search lists each product once
    (its latest certificate); with it, every certificate in that status (superseded ones too)."""

    province_code: int | None = None
    commune_code: int | None = None
    stars: int | None = None
    product_set: str | None = None
    product_group: str | None = None
    year: int | None = None
    status: RegistryStatus | None = None
    text: str | None = None


_COLUMNS = """r.journey_id, r.product_name, r.product_group, r.product_set, r.province_code,
r.commune_code, r.product_code, p.name AS producer_name, r.stars, r.level, r.rulebook, r.certificate_number,
r.decision_number, r.decision_date, r.valid_until, r.extended_until, r.status, r.status_on, r.year,
r.is_current, s.last_hash, s.version AS head_version"""
# The stream's head and the organisation's name are read with the row: always the current ones.
_FROM = """FROM registry_products r
LEFT JOIN streams s ON s.stream_type = 'journey' AND s.stream_id = r.journey_id
LEFT JOIN producers p ON p.producer_id = r.producer_organisation"""
_NEWEST_FIRST = "ORDER BY r.decision_date DESC, r.journey_id, r.certificate_number"


@lru_cache(maxsize=4096)
def _province(code: int) -> str:
    try:
        return province_name(code)
    except InvalidCommand:
        return str(code)  # a code of an older division, kept as recorded


@lru_cache(maxsize=8192)
def _commune(code: int) -> str:
    try:
        return commune_name(code)
    except InvalidCommand:
        return str(code)


def _entry(row: asyncpg.Record) -> RegistryEntry:
    return RegistryEntry(
        journey_id=row["journey_id"],
        product_name=row["product_name"],
        product_group=row["product_group"],
        product_set=row["product_set"],
        province_code=row["province_code"],
        province_name=_province(row["province_code"]),
        commune_code=row["commune_code"],
        commune_name=_commune(row["commune_code"]),
        product_code=row["product_code"],
        producer_name=row["producer_name"],
        stars=row["stars"],
        level=row["level"],
        rulebook=row["rulebook"],
        certificate_number=row["certificate_number"],
        decision_number=row["decision_number"],
        decision_date=row["decision_date"],
        valid_until=row["valid_until"],
        extended_until=row["extended_until"],
        status=RegistryStatus(row["status"]),
        status_on=row["status_on"],
        year=row["year"],
        current=row["is_current"],
        head_hash=row["last_hash"],
        head_version=row["head_version"],
    )


def _like(text: str) -> str:
    """``text`` as a contains-pattern of ILIKE, its own wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(query: RegistryQuery, *, latest_by_default: bool) -> tuple[str, list[Any]]:
    """The WHERE clause of ``query`` and its arguments (fixed SQL fragments; values as parameters)."""
    conditions: list[str] = []
    args: list[Any] = []

    def add(fragment: str, value: Any) -> None:
        args.append(value)
        conditions.append(fragment.format(f"${len(args)}"))

    if query.status is None:
        if latest_by_default:
            conditions.append("r.is_current")
    else:
        add("r.status = {}", query.status.value)
    if query.province_code is not None:
        add("r.province_code = {}", query.province_code)
    if query.commune_code is not None:
        add("r.commune_code = {}", query.commune_code)
    if query.stars is not None:
        add("r.stars = {}", query.stars)
    if query.product_set is not None:
        add("r.product_set = {}", query.product_set)
    if query.product_group is not None:
        add("r.product_group = {}", query.product_group)
    if query.year is not None:
        add("r.year = {}", query.year)
    if query.text:
        add("r.product_name ILIKE {}", _like(query.text))
    return ("WHERE " + " AND ".join(conditions)) if conditions else "", args


class RegistryStore:
    """Public reads of the registry; each is one statement on the pool."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def search(
        self, query: RegistryQuery, *, limit: int = 20, offset: int = 0
    ) -> tuple[list[RegistryEntry], bool]:
        """Up to ``limit`` entries from ``offset``, newest decision first; and whether more follow."""
        where, args = _where(query, latest_by_default=True)
        # The limit and offset are written into the statement, not passed as parameters: a prepared
        # statement's generic plan, not knowing the limit is small, sorts every matching row instead
        # of reading the first ones in index order (5 ms instead of 0.5 at 20,000 products).
        rows = await self.pool.fetch(
            f"SELECT {_COLUMNS} {_FROM} {where} {_NEWEST_FIRST} LIMIT {int(limit) + 1} OFFSET {int(offset)}",
            *args,
        )
        entries = [_entry(row) for row in rows]
        return entries[:limit], len(entries) > limit

    async def product(self, journey_id: str) -> list[RegistryEntry]:
        """Every certificate of one product, its latest first (empty: never certified)."""
        rows = await self.pool.fetch(
            f"""SELECT {_COLUMNS} {_FROM} WHERE r.journey_id = $1
            ORDER BY r.is_current DESC, r.decision_date DESC, r.certificate_number""",
            journey_id,
        )
        return [_entry(row) for row in rows]

    async def by_product_code(self, product_code: str) -> RegistryEntry | None:
        """The latest certificate of the product with this product code (mã sản phẩm OCOP)."""
        row = await self.pool.fetchrow(
            f"SELECT {_COLUMNS} {_FROM} WHERE r.product_code = $1 AND r.is_current "
            "ORDER BY r.journey_id LIMIT 1",
            product_code,
        )
        return _entry(row) if row is not None else None

    async def by_certificate(self, certificate_number: str) -> RegistryEntry | None:
        """The certificate with this number (số giấy chứng nhận), in whatever status it is now. An
        import refuses a number another product holds; should two hold one all the same (recorded
        before that check), the product that held it first answers, never one recorded later."""
        row = await self.pool.fetchrow(
            f"SELECT {_COLUMNS} {_FROM} WHERE r.certificate_number = $1 "
            "ORDER BY (SELECT e.position FROM events e WHERE e.stream_type = 'journey' "
            "AND e.stream_id = r.journey_id AND e.version = 1), r.journey_id LIMIT 1",
            certificate_number,
        )
        return _entry(row) if row is not None else None

    async def every(self, query: RegistryQuery) -> list[RegistryEntry]:
        """Every certificate matching ``query`` (no status: in any status), for the open-data export;
        by province, commune, product and decision."""
        where, args = _where(query, latest_by_default=False)
        rows = await self.pool.fetch(
            f"""SELECT {_COLUMNS} {_FROM} {where}
            ORDER BY r.province_code, r.commune_code, r.journey_id, r.decision_date, r.certificate_number""",
            *args,
        )
        return [_entry(row) for row in rows]

    async def product_sets(self) -> list[str]:
        """The product sets certified products belong to (what a search form offers)."""
        rows = await self.pool.fetch(
            "SELECT DISTINCT product_set FROM registry_products WHERE product_set IS NOT NULL ORDER BY 1"
        )
        return [row["product_set"] for row in rows]


async def registry_differences(pool: asyncpg.Pool) -> list[str]:
    """The journeys whose registry rows differ from the fold of their read model (``ocop rebuild``)."""
    return await fold_differences(pool, REGISTRY)


async def refresh_registry(pool: asyncpg.Pool, journey_ids: Sequence[str]) -> None:
    """Rewrite the registry rows of these journeys from their read models (rows of a journey with no
    read model are removed)."""
    await refresh_fold(pool, REGISTRY, journey_ids)
