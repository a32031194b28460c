"""The provincial agency's page of products due a periodic inspection (/inspections/due, qd26-2026
Art. 9.2.a), over HTTP without a browser: in Vietnamese, its province's products only, named (the
product, the commune) rather than numbered, filtered by commune and star, paged, each linking to its
journey page, where the inspection is recorded."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest

import web.inspections
from schemas.roles import Role
from tests.api.harness import Api
from tests.api.test_inspections_due import QUANG_PHU, _imported
from tests.factories import HOAN_KIEM, OTHER_PROVINCE, THANH_HOA
from tests.web.test_http import Visitor
from workflows.calendar import local_date


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr data-journey="([^"]+)">', page)


async def test_the_agency_reads_its_products_due_an_inspection_by_name_filters_pages_and_follows_one(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, str(THANH_HOA))
    hanoi_admin = await api.actor(Role.ADMINISTRATOR, str(OTHER_PROVINCE))
    producer = await api.actor(Role.PRODUCER, str(THANH_HOA))
    hanoi_producer = await api.actor(Role.PRODUCER, str(OTHER_PROVINCE))
    officer = await api.actor(Role.PROVINCIAL_OFFICER, str(THANH_HOA))
    recognized = local_date(datetime.now(UTC)) - timedelta(days=100)  # due in 265 days
    for caller, body in (
        (admin, _imported("TH-P-1", producer, recognized, name="Nem chua Hạc Thành")),
        (admin, _imported("TH-P-2", producer, recognized + timedelta(days=5), commune=QUANG_PHU, stars=3,
                          name="Chè lam Quảng Phú")),
        (hanoi_admin, _imported("HN-P-1", hanoi_producer, recognized, province=OTHER_PROVINCE,
                                commune=HOAN_KIEM, name="Ô mai Hàng Đường")),
    ):  # fmt: skip
        response = await caller.post("/v1/journeys/import", body)
        assert response.status_code == 201, response.text

    agency = Visitor(api.http)
    await agency.sign_in(officer.token)
    work = html.unescape((await agency.get("/")).text)  # My work links to the list
    assert '<a href="/inspections/due">Sản phẩm đến kỳ kiểm tra định kỳ</a>' in work
    now = await agency.get("/inspections/due")
    assert now.status_code == 200, now.text
    text = html.unescape(now.text)
    assert "<h1>Sản phẩm đến kỳ kiểm tra định kỳ</h1>" in text
    assert "Không có sản phẩm nào đến kỳ kiểm tra định kỳ." in text  # none is a year old yet
    assert '<option value="16522">Phường Quảng Phú</option>' in text  # communes offered by name

    year = html.unescape((await agency.get("/inspections/due?ahead=365")).text)
    assert _rows(year) == ["TH-P-1", "TH-P-2"]  # never Hà Nội's product
    assert "Ô mai Hàng Đường" not in year
    assert '<a href="/journeys/TH-P-1#step-record-inspection">Nem chua Hạc Thành</a>' in year
    assert "<td>Phường Quảng Phú</td>" in year
    due = (recognized + timedelta(days=365)).strftime("%d/%m/%Y")
    assert f"<td>{due}</td>" in year
    assert "Chưa kiểm tra" in year
    assert "Còn 265 ngày" in year

    by_commune = html.unescape((await agency.get(f"/inspections/due?ahead=365&commune={QUANG_PHU}")).text)
    assert _rows(by_commune) == ["TH-P-2"]
    assert _rows(html.unescape((await agency.get("/inspections/due?ahead=365&stars=4")).text)) == ["TH-P-1"]

    monkeypatch.setattr(web.inspections, "LIMIT", 1)
    first = html.unescape((await agency.get("/inspections/due?ahead=365")).text)
    assert _rows(first) == ["TH-P-1"]
    found = re.search(r'<a href="([^"]+)" id="inspections-more">Trang sau</a>', first)
    assert found is not None
    second = html.unescape((await agency.get(found.group(1))).text)
    assert _rows(second) == ["TH-P-2"]
    assert 'id="inspections-more"' not in second

    # The link leads to the journey page, where the agency records the inspection.
    journey = html.unescape((await agency.get("/journeys/TH-P-1")).text)
    assert 'id="step-record-inspection"' in journey


async def test_a_producer_is_refused_the_page(api: Api) -> None:
    producer = await api.actor(Role.PRODUCER, str(THANH_HOA))
    visitor = Visitor(api.http)
    await visitor.sign_in(producer.token)
    refused = await visitor.get("/inspections/due")
    assert refused.status_code == 403
    assert "không xem danh sách sản phẩm đến kỳ kiểm tra" in html.unescape(refused.text)
