"""Statistics of recognitions (thống kê sản phẩm OCOP được công nhận): how many recognition
decisions by province, commune, star rank, product set, year and kind, each drawn as an SVG bar
chart on the server (no script) beside its table.

The counts are ``store.reports.statistics`` (the query ``GET /v1/statistics`` answers, by commune
and product set as well), read with the API's own access rule (``access.check_read_province``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Query, Response
from vietnam_provinces import Province

from api import access
from schemas.api import JurisdictionKind
from schemas.errors import DomainError
from schemas.rulebooks import RULEBOOKS
from schemas.scorecard import PRODUCT_SETS
from store.reports import StatisticsRow, statistics
from web.i18n import Translator, stars_text
from web.pages import Page, SignedIn, page_router, query_string
from workflows import places

router = page_router()  # this module's pages; web/__init__.py includes them

# Geometry of a chart (an inline SVG): one horizontal bar per value.
LABEL_WIDTH = 240
BAR_WIDTH = 300
ROW_HEIGHT = 28
BAR_HEIGHT = 18
# How many values a chart draws (the table below it lists them all): the largest first.
CHART_ROWS = 20
# The years the filter offers (the programme began in 2018).
FIRST_YEAR = 2018
LAST_YEAR = 2100


@dataclass(frozen=True)
class Bar:
    """One value of a chart: its label, its count and its bar's geometry in pixels."""

    label: str
    count: int
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    """Recognitions counted along one dimension (by star, by commune ...)."""

    key: str
    title: str
    rows: list[tuple[str, int]]
    bars: list[Bar]
    height: int


def chart(key: str, title: str, counts: Mapping[str, int], ordered: bool = False) -> Chart:
    """The chart of ``counts``: in the given order when ``ordered`` (stars, years), else largest first."""
    rows = list(counts.items()) if ordered else sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    drawn = rows[:CHART_ROWS]
    scale = max([1, *(count for _, count in drawn)])
    bars = [
        Bar(label, count, index * ROW_HEIGHT, max(1, round(BAR_WIDTH * count / scale)))
        for index, (label, count) in enumerate(drawn)
    ]
    return Chart(key, title, rows, bars, max(ROW_HEIGHT, ROW_HEIGHT * len(bars)))


def counted(rows: Iterable[StatisticsRow], label: Callable[[StatisticsRow], str]) -> Counter[str]:
    totals: Counter[str] = Counter()
    for row in rows:
        totals[label(row)] += row.recognitions
    return totals


def _product_sets() -> dict[str, str]:
    return {s.code: s.name_vi for classification in PRODUCT_SETS.values() for s in classification.sets}


def _product_groups(lang: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for book in RULEBOOKS.values():
        for group in book.product_groups:
            found.setdefault(group.code, group.name_vi if lang == "vi" else group.name_en)
    return found


def _place(name: Callable[[int], str], code: int | None) -> str:
    if code is None:
        return "—"
    try:
        return name(code)
    except DomainError:
        return str(code)


@dataclass(frozen=True)
class Labels:
    """Names of product groups (in the reader's language) and product sets (Phụ lục I)."""

    sets: Mapping[str, str]
    groups: Mapping[str, str]

    def group(self, code: str) -> str:
        return self.groups.get(code, code)

    def product_set(self, code: str | None) -> str:
        return self.sets.get(code, code) if code is not None else ""

    def category(self, row: StatisticsRow) -> str:
        """The product set, else (the older rulebooks have none) the product group."""
        return self.product_set(row.product_set) or self.group(row.product_group)


def statistics_labels(t: Translator) -> Labels:
    return Labels(_product_sets(), _product_groups(t.lang))


def charts(rows: list[StatisticsRow], t: Translator, every_province: bool) -> list[Chart]:
    """The page's charts: by star, year, kind, level, province (all provinces only), commune and
    product set (the product group under the older rulebooks, which have no sets)."""
    labels = statistics_labels(t)
    by_star = counted(sorted(rows, key=lambda r: r.stars), lambda r: stars_text(r.stars))
    by_year = counted(sorted(rows, key=lambda r: r.year), lambda r: str(r.year))
    found = [
        chart("stars", t("stats.by_stars"), by_star, ordered=True),
        chart("year", t("stats.by_year"), by_year, ordered=True),
        chart("kind", t("stats.by_kind"), counted(rows, lambda r: t.code("variant", r.kind))),
        chart("level", t("stats.by_level"), counted(rows, lambda r: t.code("level", r.level))),
    ]
    if every_province:
        found.append(
            chart(
                "province",
                t("stats.by_province"),
                counted(rows, lambda r: _place(places.province_name, r.province_code)),
            )
        )
    found += [
        chart(
            "commune",
            t("stats.by_commune"),
            counted(rows, lambda r: _place(places.commune_name, r.commune_code)),
        ),
        chart(
            "product_set",
            t("stats.by_product_set"),
            counted(rows, labels.category),
        ),
    ]
    return found


def default_province(page: Page) -> int | None:
    """The province a reader's statistics open on: their own (none for national readers: all)."""
    jurisdiction = page.me.jurisdiction
    if jurisdiction.kind == JurisdictionKind.PROVINCE and jurisdiction.value.isdigit():
        return int(jurisdiction.value)
    if jurisdiction.kind == JurisdictionKind.COMMUNE and jurisdiction.value.isdigit():
        try:
            return places.province_of_commune(int(jurisdiction.value))
        except DomainError:
            return None
    return None


def _number(text: str | None, low: int, high: int) -> int | None:
    """A whole number of the filter form in [low, high]; anything else reads as "any"."""
    if text is None or not text.strip().isdigit():
        return None
    value = int(text.strip())
    return value if low <= value <= high else None


@dataclass(frozen=True)
class Filters:
    """The statistics asked for: one province (None: every province) and one year (None: all)."""

    province: int | None
    year: int | None

    def query(self) -> str:
        return query_string(
            {
                "province": str(self.province) if self.province is not None else "all",
                "year": str(self.year) if self.year is not None else None,
            }
        )


def filters_of(page: Page, province: str | None, year: str | None) -> Filters:
    """``province`` a code, "all" (every province) or absent (the reader's own); ``year`` or any."""
    chosen = None if province == "all" else _number(province, 1, 999)
    if province is None or (chosen is None and province != "all"):
        chosen = default_province(page)
    return Filters(chosen, _number(year, FIRST_YEAR, LAST_YEAR))


async def read_statistics(page: Page, filters: Filters) -> list[StatisticsRow]:
    """The rows, by commune and product set, as far as the reader may read them."""
    access.check_read_province(page.me, filters.province)
    return await statistics(await page.engine.pool(), filters.province, filters.year, by_commune=True)


Param = Annotated[str | None, Query(max_length=10)]


@router.get("/statistics")
async def statistics_page(page: SignedIn, province: Param = None, year: Param = None) -> Response:
    """Recognitions of a province (or every province, for national readers), of a year or all years."""
    filters = filters_of(page, province, year)
    rows = await read_statistics(page, filters)
    national = page.me.jurisdiction.kind == JurisdictionKind.NATIONAL
    provinces = [(int(p.code), str(p.name)) for p in Province.iter_all()] if national else []
    return page.render(
        "statistics.html",
        filters=filters,
        province_name=_place(places.province_name, filters.province) if filters.province else None,
        provinces=provinces,
        total=sum(row.recognitions for row in rows),
        charts=charts(rows, page.t, filters.province is None),
        label_width=LABEL_WIDTH,
        chart_width=LABEL_WIDTH + BAR_WIDTH + 60,
        bar_height=BAR_HEIGHT,
        export=f"/statistics.xlsx{filters.query()}",
    )


def report_links(page: Page, year: int) -> list[tuple[str, str]]:
    """Where a reader of reports finds them (My work): the statistics, the products due a periodic
    inspection (web/inspections.py), and their province's plan progress for ``year``."""
    links = [(page.t("stats.link"), "/statistics"), (page.t("inspections.link"), "/inspections/due")]
    province = default_province(page)
    if province is not None:
        links.append((page.t("work.plan_link", year=year), f"/plans/{province}/{year}"))
    return links
