"""The rulebooks in force (/rulebooks, /rulebooks/{id}): the shipped rulebooks' data read-only, in
the reader's words, for every signed-in reader (it is public law); none for a visitor not signed in."""

from __future__ import annotations

import html
from datetime import date

from schemas.roles import Role
from schemas.rulebooks import CURRENT, RULEBOOKS
from schemas.scorecard import SHEETS
from tests.api.harness import Api
from tests.factories import THANH_HOA
from tests.web.test_http import Visitor
from tests.web.test_statistics_page import signed_in


async def test_an_administrator_lists_the_rulebooks_with_their_dates_and_the_one_in_force(api: Api) -> None:
    admin, _ = await signed_in(api, Role.ADMINISTRATOR, "VN")
    page = await admin.get("/rulebooks")
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    for book in RULEBOOKS.values():
        assert f'href="/rulebooks/{book.id}"' in text
        assert book.legal_basis in text
        assert book.in_force_from.strftime("%d/%m/%Y") in text
    today = CURRENT.in_force(date.today())
    assert f'<tr id="rulebook-{today.id}" class="in-force">' in text
    assert "Đang có hiệu lực" in text
    assert "22/05/2026" in text  # qd26-2026's cut-over, its passage from the 2023/2025 rulebooks
    assert 'href="/rulebooks"' in (await admin.get("/")).text  # the header links to it


async def test_a_rulebook_reads_in_vietnamese_with_decimal_commas_and_its_sheets(api: Api) -> None:
    officer, _ = await signed_in(api, Role.PROVINCIAL_OFFICER, str(THANH_HOA))
    page = await officer.get("/rulebooks/qd26-2026")
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    book = RULEBOOKS["qd26-2026"]
    assert "Hạng ★★★★★: từ 90 điểm" in text
    assert 'id="part-A"' in text
    assert ">40<" in text
    assert "15 ngày làm việc" in text  # the commune's report
    assert "30/04" in text  # a calendar cut-off, day first
    assert book.inspection is not None
    assert book.inspection.periodic_interval_days is not None
    assert f"{book.inspection.periodic_interval_days} ngày" in text
    sheets = SHEETS[book.scorecard_sheet or ""]
    one = sheets["I.1.a"]
    assert '<tr id="set-I.1.a">' in text
    assert f"{len(one.criteria)} tiêu chí" in text
    assert len(sheets) == text.count('<tr id="set-')
    assert "Thành phần hồ sơ" in text
    # Words of the page, not the data's English note on whose setting the interval is.
    source = book.inspection.periodic_interval_source
    assert source is not None
    assert source not in text
    assert "không quy định khoảng thời gian" in text
    assert "a) a)" not in text
    # A rulebook with fractional maxima or bands shows them with a decimal comma.
    for other in RULEBOOKS.values():
        for band in other.star_bands:
            if band.lower != band.lower.to_integral_value():
                shown = html.unescape((await officer.get(f"/rulebooks/{other.id}")).text)
                assert format(band.lower.normalize(), "f").replace(".", ",") in shown
    assert (await officer.get("/rulebooks/no-such-book")).status_code == 404


async def test_rulebooks_speak_english_and_need_a_sign_in(api: Api) -> None:
    producer, _ = await signed_in(api, Role.PRODUCER, str(THANH_HOA), lang="en")
    page = await producer.get("/rulebooks/qd1048-2019")
    assert page.status_code == 200, page.text
    assert "15 working days" in html.unescape(page.text) or "calendar days" in page.text
    assert "Rank bands" in page.text
    assert "Hạng sao" not in page.text
    anonymous = await Visitor(api.http).get("/rulebooks")
    assert anonymous.status_code in (303, 401) or "/signin" in anonymous.text
