"""The statistics page (thống kê): recognitions by star, year, kind, level, province, commune and
product set, each an SVG chart drawn by the server beside its table, counted as ``GET
/v1/statistics`` counts them, for the readers the API lets read them.

The recognitions are the dated journeys of ``tests.recognitions`` (decisions in past years cannot
go through Temporal's test server), put as read models: what the page proves is how it reads and
draws the report, with the API's access rule."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date

from schemas.roles import Role
from schemas.scorecard import PRODUCT_SETS
from store import EventStore
from tests.api.harness import Api
from tests.factories import HAC_THANH, THANH_HOA, set_of_group
from tests.recognitions import HANOI, HOAN_KIEM, PureJourney, plan_journeys, recognized_new
from tests.web.test_http import Visitor
from web.session import LANG_COOKIE
from workflows import places

_BAR = re.compile(r'<g transform="translate\(0 \d+\)" data-label="([^"]*)" data-count="(\d+)">')


async def put_recognitions(api: Api) -> None:
    store = EventStore(api.pool)
    journeys = {journey_id: driver.journey for journey_id, driver in _extra().items()} | plan_journeys()
    for journey_id, journey in journeys.items():
        await store.put_read_model("journey", journey_id, journey.version, journey.model_dump(mode="json"))


def _extra() -> dict[str, PureJourney]:
    # A second Hà Nội product, 4★ in 2026: two provinces and several years to tell apart.
    return {
        "HN-2026": recognized_new(
            "HN-2026", "80", date(2026, 1, 10), date(2026, 1, 20),
            accepted=date(2025, 12, 1), province=HANOI, commune=HOAN_KIEM,
        )
    }  # fmt: skip


def chart_of(page: str, key: str) -> dict[str, int]:
    """The bars of the chart ``key`` as the SVG draws them: label -> count."""
    start = page.index(f'<svg id="chart-{key}"')
    svg = page[start : page.index("</svg>", start)]
    return {html.unescape(label): int(count) for label, count in _BAR.findall(svg)}


async def signed_in(api: Api, role: Role, jurisdiction: str, lang: str | None = None) -> tuple[Visitor, str]:
    caller = await api.actor(role, jurisdiction)
    visitor = Visitor(api.http)
    if lang:
        visitor.cookies[LANG_COOKIE] = lang
    await visitor.sign_in(caller.token)
    return visitor, caller.token


async def api_rows(api: Api, token: str, **params: int) -> list[dict[str, object]]:
    response = await api.http.get(
        "/v1/statistics", params=params, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    rows: list[dict[str, object]] = response.json()["rows"]
    return rows


def by(rows: list[dict[str, object]], label: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for row in rows:
        counts[str(row[label])] += int(str(row["recognitions"]))
    return counts


async def test_a_national_reader_sees_every_province_charted_as_the_api_counts(api: Api) -> None:
    await put_recognitions(api)
    auditor, token = await signed_in(api, Role.AUDITOR, "VN")
    page = await auditor.get("/statistics")
    assert page.status_code == 200, page.text
    text = page.text
    assert "<script" not in text  # drawn by the server: the charts need no script
    rows = await api_rows(api, token)
    total = sum(int(str(row["recognitions"])) for row in rows)
    assert f"{total} quyết định công nhận — cả nước, mọi năm." in html.unescape(text)
    stars = by(rows, "stars")
    assert chart_of(text, "stars") == {"★" * int(s): stars[s] for s in sorted(stars, key=int)}
    years = by(rows, "year")
    assert chart_of(text, "year") == {str(y): years[y] for y in sorted(years)}
    provinces = by(rows, "province_code")
    assert chart_of(text, "province") == {places.province_name(int(p)): n for p, n in provinces.items()}
    assert chart_of(text, "province")[places.province_name(HANOI)] == 2
    kinds = chart_of(text, "kind")
    assert kinds == {"Đánh giá lần đầu": by(rows, "kind")["new"], "Nâng hạng": 1, "Đánh giá lại": 1}
    assert sum(chart_of(text, "commune").values()) == total
    assert chart_of(text, "commune")[places.commune_name(HOAN_KIEM)] == 2
    assert sum(chart_of(text, "product_set").values()) == total
    # Each chart has its table, with the same counts, for readers who cannot see the picture.
    five = r'<table id="table-stars">.*?<th scope="row">★★★★★</th><td class="num">1</td>'
    assert re.search(five, text, re.S)

    # One province, one year: the filter form's answer.
    narrowed = await auditor.get(f"/statistics?province={HANOI}&year=2026")
    assert chart_of(narrowed.text, "stars") == {"★★★★": 1}
    assert 'id="chart-province"' not in narrowed.text  # one province: no chart by province
    assert "1 quyết định công nhận — Thành phố Hà Nội, 2026." in html.unescape(narrowed.text)


async def test_a_provincial_officer_reads_their_province_by_commune_and_no_other(api: Api) -> None:
    await put_recognitions(api)
    officer, token = await signed_in(api, Role.PROVINCIAL_OFFICER, str(THANH_HOA))
    page = await officer.get("/statistics?year=2025")
    assert page.status_code == 200, page.text
    rows = await api_rows(api, token, province=THANH_HOA, year=2025)
    total = sum(int(str(row["recognitions"])) for row in rows)
    assert total == 8
    assert chart_of(page.text, "commune") == {places.commune_name(HAC_THANH): total}
    groups = chart_of(page.text, "product_set")
    # The handicraft product names its set (Phụ lục I), which the chart shows instead of its group.
    handicraft = PRODUCT_SETS["qd26-2026"].product_set(set_of_group("handicrafts"))
    assert handicraft is not None
    assert groups[handicraft.name_vi] == 1
    assert sum(groups.values()) == total
    assert chart_of(page.text, "level") == {"cấp huyện": 1, "cấp tỉnh": 6, "Trung ương": 1}
    assert 'href="/statistics.xlsx?province=38&amp;year=2025"' in page.text
    # My work links to the statistics and the province's plan.
    work = await officer.get("/")
    assert 'href="/statistics"' in work.text
    assert f'href="/plans/{THANH_HOA}/' in work.text

    # Another province, or every province, is refused as the API refuses it.
    for other in (f"/statistics?province={HANOI}", "/statistics?province=all"):
        refused = await officer.get(other)
        assert refused.status_code == 403, other
    producer, _ = await signed_in(api, Role.PRODUCER, str(THANH_HOA))
    assert (await producer.get("/statistics")).status_code == 403


async def test_the_statistics_page_speaks_english_when_asked(api: Api) -> None:
    await put_recognitions(api)
    auditor, _ = await signed_in(api, Role.AUDITOR, "VN", lang="en")
    page = await auditor.get("/statistics?province=38&year=2025")
    assert '<html lang="en">' in page.text
    assert "8 recognition decisions — Thanh Hóa" in html.unescape(page.text)
    assert chart_of(page.text, "kind") == {"New": 6, "Upgrade": 1, "Re-evaluation": 1}
    assert "Theo hạng sao" not in page.text
    assert "By star rank" in page.text
