"""The workbooks officers report in (.xlsx): a round's results, a plan's progress, the statistics and
the journey list, downloaded from the pages' links, opened with openpyxl and checked cell by cell
against what the API answers: Vietnamese headers, numbers as numbers, days as dates, and no text
cell a spreadsheet would run as a formula."""

from __future__ import annotations

import io
import re
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from schemas.roles import Role
from tests.api.cast import IDEA, ROUND_ID, Cast, make_cast
from tests.api.harness import Api, Caller
from tests.factories import HAC_THANH, THANH_HOA
from tests.web.test_http import Visitor
from web.exports import XLSX_TYPE
from web.i18n import Translator
from workflows import places
from workflows.calendar import VIETNAM

VI = Translator("vi")
HOSTILE = "=HYPERLINK(\"http://x.test\",\"Nem\")"


def sheets(response: Any) -> dict[str, list[list[Any]]]:
    """The workbook's sheets by title, each as its rows of cell values."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX_TYPE
    book = load_workbook(io.BytesIO(response.content))
    found: dict[str, list[list[Any]]] = {}
    for ws in book.worksheets:
        assert isinstance(ws, Worksheet)
        found[ws.title] = [list(row) for row in ws.iter_rows(values_only=True)]
    return found


def cell_format(response: Any, sheet: str, ref: str) -> str:
    book = load_workbook(io.BytesIO(response.content))
    fmt: str = book[sheet][ref].number_format
    return fmt


async def scene(api: Api) -> tuple[Cast, list[str], str]:
    """Two products evaluated in the cast's round (80 each: 4★), one recognized today; the plan of
    the year; a third product, registered under a name a spreadsheet would run."""
    cast = await make_cast(api)
    first = await cast.to_awaiting_round()
    second = await cast.to_awaiting_round()
    for journey_id in (first, second):
        await cast.evaluate(journey_id)
    today = await cast.today()
    await cast.authority.act(first, "recognize", {"decision_number": "QĐ 9/QĐ-UBND", "decision_date": today})
    officer = cast.provincial_officer
    plan = await officer.http.put(
        f"/v1/plans/{THANH_HOA}/{today[:4]}",
        headers={**officer.auth, "Idempotency-Key": str(uuid.uuid4())},
        json={"targets": {"3": 137, "4": 20, "5": 3}, "total": 160},
    )
    assert plan.status_code in (200, 201), plan.text
    hostile = await cast.producer.post("/v1/journeys", {**IDEA, "product_name": HOSTILE})
    assert hostile.status_code == 201, hostile.text
    return cast, [first, second], today


async def signed_in(api: Api, caller: Caller) -> Visitor:
    visitor = Visitor(api.http)
    await visitor.sign_in(caller.token)
    return visitor


def linked(page: str, anchor_id: str) -> str:
    found = re.search(rf'<a href="([^"]+)" id="{anchor_id}">', page)
    assert found, f"no link #{anchor_id}"
    return found.group(1).replace("&amp;", "&")


async def test_the_round_results_and_plan_workbooks_hold_what_the_api_answers(api: Api) -> None:
    cast, journeys, today = await scene(api)
    officer = cast.provincial_officer
    visitor = await signed_in(api, officer)

    # The round's results, from the link on the results page.
    page = await visitor.get(f"/rounds/{ROUND_ID}/results")
    response = await visitor.get(linked(page.text, "results-xlsx"))
    book = sheets(response)
    assert list(book) == ["Kết quả", "Thông tin đợt"]
    header, *rows = book["Kết quả"]
    assert header == [
        "STT", "Sản phẩm", "Mã hành trình", "Xã, phường", "Điểm trung bình", "Hạng sao", "Bước tiếp theo",
        "Tình trạng hiện nay",
    ]  # fmt: skip
    results = (await officer.get(f"/v1/rounds/{ROUND_ID}/results")).json()["rows"]
    assert len(rows) == len(results) == 2
    for number, (row, answer) in enumerate(zip(rows, results, strict=True), start=1):
        assert row[:3] == [number, answer["product_name"], answer["journey_id"]]
        assert row[3] == places.commune_name(HAC_THANH)
        assert isinstance(row[4], int | float)  # a number, not text
        assert Decimal(str(row[4])) == Decimal(answer["mean"])
        assert row[5] == answer["stars"] == 4
        journey = (await officer.get(f"/v1/journeys/{answer['journey_id']}")).json()
        assert journey["status"] in ("CERTIFIED", "AWAITING_RECOGNITION")
        assert row[7] == VI.code("status", journey["status"])
    assert {row[2]: row[7] for row in rows}[journeys[0]] != {row[2]: row[7] for row in rows}[journeys[1]]
    state = (await officer.get(f"/v1/rounds/{ROUND_ID}")).json()
    about = {row[0]: row[1] for row in book["Thông tin đợt"][1:]}
    assert cell_format(response, "Kết quả", "E2") == "0.00"  # shown with two decimals
    assert about["Đợt đánh giá"] == state["name"]
    assert isinstance(about["Ngày họp Hội đồng"], datetime)  # a date cell (openpyxl reads dates so)
    assert about["Ngày họp Hội đồng"].date() == date.fromisoformat(state["meeting_date"])
    assert about["Hạn nhận hồ sơ"].date() == date.fromisoformat(state["cut_off"])

    # The plan's progress, from the link on the plan page.
    year = today[:4]
    page = await visitor.get(f"/plans/{THANH_HOA}/{year}")
    response = await visitor.get(linked(page.text, "plan-xlsx"))
    book = sheets(response)
    header, *rows = book["Theo hạng sao"]
    assert header == [
        "Hạng sao", "Số sao", "Chỉ tiêu", "Công nhận mới", "Nâng hạng", "Đánh giá lại", "Còn lại",
    ]  # fmt: skip
    progress = (await officer.get(f"/v1/plans/{THANH_HOA}/{year}/progress")).json()
    for row, answer in zip(rows, progress["by_star"], strict=False):
        assert row[1:] == [
            answer["stars"], answer["target"], answer["new"], answer["upgrade"], answer["re_evaluation"],
            answer["remaining"],
        ]  # fmt: skip
    assert {row[1]: row[3] for row in rows[:-1]}[4] == 1  # the recognition of today
    assert rows[-1][0] == "Tổng"
    assert rows[-1][2:4] == [progress["total_target"], progress["total_new"]] == [160, 1]


async def test_the_statistics_and_journey_workbooks_hold_what_the_api_answers(api: Api) -> None:
    cast, journeys, today = await scene(api)
    officer = cast.provincial_officer
    visitor = await signed_in(api, officer)

    page = await visitor.get("/statistics")
    book = sheets(await visitor.get(linked(page.text, "stats-export")))
    header, *rows = book["Thống kê"]
    assert header == [
        "Tỉnh, thành phố", "Xã, phường", "Cấp", "Hạng sao", "Nhóm sản phẩm", "Bộ sản phẩm", "Năm quyết định",
        "Hình thức đánh giá", "Số quyết định công nhận",
    ]  # fmt: skip
    answer = (await officer.get("/v1/statistics", province=THANH_HOA)).json()["rows"]
    assert len(answer) == len(rows) == 1
    assert rows[0] == [
        places.province_name(THANH_HOA), places.commune_name(HAC_THANH), "cấp tỉnh", answer[0]["stars"],
        "Thực phẩm", rows[0][5], answer[0]["year"], "Đánh giá lần đầu", answer[0]["recognitions"],
    ]  # fmt: skip
    assert (rows[0][3], rows[0][6], rows[0][8]) == (4, int(today[:4]), 1)

    # The journey list, from the link on the journeys page; one status, then all.
    page = await visitor.get("/journeys?state=AWAITING_RECOGNITION")
    book = sheets(await visitor.get(linked(page.text, "journeys-xlsx")))
    header, *rows = book["Hành trình sản phẩm"]
    assert header[:3] == ["Mã hành trình", "Sản phẩm", "Mã sản phẩm OCOP"]
    assert [row[0] for row in rows] == [journeys[1]]
    response = await visitor.get("/journeys.xlsx")
    header, *rows = sheets(response)["Hành trình sản phẩm"]
    listed = (await officer.get("/v1/journeys", limit=200)).json()["items"]
    assert [row[0] for row in rows] == [item["journey_id"] for item in listed]
    for row, item in zip(rows, listed, strict=True):
        assert row[5] == VI.code("status", item["status"])
        updated = datetime.fromisoformat(item["updated_at"]).astimezone(VIETNAM).replace(tzinfo=None)
        assert abs((row[9] - updated).total_seconds()) < 0.001  # a moment cell, in Vietnam's time
        if item["status"] == "CERTIFIED":
            assert row[7] == 4
            assert row[8].date() == date.fromisoformat(item["certificate"]["valid_until"])
    assert cell_format(response, "Hành trình sản phẩm", "J2") == "DD/MM/YYYY HH:MM"
    # The name a spreadsheet would run is text, with the apostrophe every export puts before it.
    assert [row[1] for row in rows if HOSTILE in str(row[1])] == ["'" + HOSTILE]

    # Refused as the pages are: a producer reads no round, no statistics.
    producer = await signed_in(api, cast.producer)
    assert (await producer.get(f"/rounds/{ROUND_ID}/results.xlsx")).status_code == 403
    assert (await producer.get("/statistics.xlsx")).status_code == 403
    assert (await visitor.get("/plans/1/2025/progress.xlsx")).status_code == 403


async def test_a_workbook_speaks_english_for_an_english_reader(api: Api) -> None:
    auditor = await api.actor(Role.AUDITOR, "VN")
    visitor = await signed_in(api, auditor)
    await visitor.get("/")
    switched = await visitor.post("/lang", {"lang": "en", "next": "/statistics"})
    assert switched.status_code == 303, switched.text
    header, *rows = sheets(await visitor.get("/statistics.xlsx"))["Statistics"]
    assert header[:4] == ["Province", "Commune", "Level", "Stars"]
    assert rows == []
