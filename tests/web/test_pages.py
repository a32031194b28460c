"""The pages in Chromium: a council member scores (and the engine refuses an out-of-range score),
the chair watches the scores arrive and finalizes, the authority signs, the auditor reads the
verified timeline; a producer cannot open another's journey; every field has a label; forms work
with the keyboard alone. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.async_api import Locator, Page, expect

from schemas.roles import Role
from tests.api.cast import COUNCIL_ID, Cast, make_cast
from tests.factories import THANH_HOA
from tests.web.conftest import Site, shot, unlabelled_fields
from workflows.calendar import local_date
from workflows.scoring import council_mean

pytestmark = pytest.mark.slow

ROUND_ID = "R-WEB-1"


async def assert_labelled(page: Page) -> None:
    assert await unlabelled_fields(page) == [], f"fields without a label on {page.url}"


def section(page: Page, heading: str) -> Locator:
    """The <section> of My work whose heading starts with ``heading``."""
    return page.locator("section", has=page.get_by_role("heading", name=re.compile("^" + re.escape(heading))))


async def tab_to(page: Page, element_id: str, presses: int = 40) -> None:
    """Press Tab until the element with ``element_id`` has the focus (the keyboard alone)."""
    for _ in range(presses):
        await page.keyboard.press("Tab")
        if await page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id} on {page.url}")


async def open_round_with(site: Site, cast: Cast, journey_id: str) -> None:
    """Through the API: the province's council (the cast's seats), a round of it with the journey
    enrolled, and the province's plan for the year."""
    officer = cast.provincial_officer
    council = {
        "council_id": COUNCIL_ID,
        "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa",
        "level": "province",
        "jurisdiction": str(THANH_HOA),
        "seats": cast.roster["seats"],
        "extra_rounds_allowed": True,  # rounds off the calendar (Art. 5)
    }
    today = local_date(await site.api.env.get_current_time())
    round_ = {
        "round_id": ROUND_ID,
        "name": "Đợt 1/2025",
        "council_id": COUNCIL_ID,
        "cut_off": (today + timedelta(days=3)).isoformat(),
        "meeting_date": (today + timedelta(days=5)).isoformat(),
    }
    for path, body in (
        ("/v1/councils", council),
        ("/v1/rounds", round_),
        (f"/v1/rounds/{ROUND_ID}/enrollments", {"journey_id": journey_id}),
    ):
        response = await officer.post(path, body)
        assert response.status_code in (200, 201), f"{path}: {response.status_code} {response.text}"
    plan = await officer.http.put(
        f"/v1/plans/{THANH_HOA}/{today.year}",
        headers={**officer.auth, "Idempotency-Key": str(uuid.uuid4())},
        json={"targets": {"3": 137, "4": 20, "5": 3}, "total": 160},
    )
    assert plan.status_code in (200, 201), plan.text


async def test_a_council_scores_the_chair_finalizes_the_authority_signs_the_auditor_verifies(
    site: Site,
) -> None:
    api = site.api
    cast = await make_cast(api)
    # Handed in on paper on the eve of qd26-2026's cut-over, the dossier keeps qd148-1489-2025 and
    # its three part totals (Art. 12.2); tests/web/test_sheet_scoring_page.py scores today's sheet.
    journey_id = await cast.to_awaiting_round(scored_by_parts=True)
    await open_round_with(site, cast, journey_id)

    # -- a council member signs in with the keyboard alone, and finds the product to score
    member_context, member = await site.visitor()
    await member.goto("/")
    await expect(member).to_have_url(re.compile(r"/signin\?next=%2F$"))
    await assert_labelled(member)
    await shot(member, "01-signin")
    await tab_to(member, "token")
    await member.keyboard.type(cast.vice_chair.token)
    await member.keyboard.press("Tab")
    assert await member.evaluate("() => document.activeElement.id") == "signin"
    await member.keyboard.press("Enter")
    await expect(member.get_by_role("heading", level=1)).to_have_text("Việc của tôi")
    to_score = member.locator(
        "section", has=member.get_by_role("heading", name=re.compile("Sản phẩm cần chấm điểm"))
    )
    await expect(to_score.locator(".count")).to_have_attribute("data-count", "1")
    await assert_labelled(member)
    await shot(member, "02-my-work-member")
    await to_score.get_by_role("link", name="Nem chua Thanh Hóa").click()
    await expect(member).to_have_url(re.compile(f"/journeys/{journey_id}/score$"))
    await assert_labelled(member)

    # The part maxima come from the pinned rulebook (qd148-1489-2025: A40 B25 C35).
    part_a = member.get_by_label(re.compile(r"^Phần A"))
    await expect(part_a).to_have_attribute("data-max", "40")
    await expect(member.get_by_label(re.compile(r"^Phần C"))).to_have_attribute("data-max", "35")

    # An out-of-range score: the engine's range rule refuses it before anything is recorded, and
    # says so beside part A, in Vietnamese.
    await part_a.fill("45")
    await member.get_by_label(re.compile(r"^Phần B")).fill("20")
    await member.get_by_label(re.compile(r"^Phần C")).fill("28")
    await expect(member.locator("#total")).to_have_text("93,00")  # the running total (JS)
    await member.get_by_role("button", name="Kiểm tra phiếu").click()
    await expect(member.locator("#form-error")).to_contain_text("xem thông báo bên cạnh từng phần")
    await expect(member.locator("#err-A")).to_contain_text("Phần A được chấm từ 0 đến 40")
    await expect(member.get_by_label(re.compile(r"^Phần A"))).to_have_attribute("aria-invalid", "true")
    await shot(member, "03-score-refused")
    assert not (await api.pool.fetchval("SELECT count(*) FROM events WHERE type = 'scorecard_submitted'"))

    # The scorecard completed with the keyboard alone: checked, shown back, confirmed.
    await member.goto(f"/journeys/{journey_id}/score")
    await tab_to(member, "part-A")
    for value in ("32.5", "20", "28"):
        await member.keyboard.press("Control+A")
        await member.keyboard.type(value)
        await member.keyboard.press("Tab")
    await expect(member.locator("#total")).to_have_text("80,50")
    await member.keyboard.press("Shift+Tab")
    await member.keyboard.press("Enter")  # implicit submission from a field
    await expect(member.locator("#preview-text")).to_have_text(
        "Sẽ ghi nhận: A 32,50 · B 20,00 · C 28,00 — tổng 80,50"
    )
    await tab_to(member, "score-confirm")
    await member.keyboard.press("Enter")
    await expect(member.locator("#saved")).to_be_visible()
    await expect(member.locator("#mine")).to_contain_text("80,50")

    # Amend: the form now amends, with a reason.
    await member.get_by_label(re.compile(r"^Phần A")).fill("33")
    await member.get_by_label("Lý do sửa (không bắt buộc)").fill("rà soát lại phần A")
    await member.get_by_role("button", name="Kiểm tra phiếu").click()
    await member.get_by_role("button", name="Xác nhận và ghi nhận").click()
    await expect(member.locator("#mine")).to_contain_text("81,00")
    await expect(member.locator("#mine")).to_contain_text("1")
    await shot(member, "04-score-amended")

    # -- the chair opens the board and watches who has scored (independent scoring: the numbers
    # show once the chair's own scorecard is in)
    chair_context, chair = await site.signed_in(cast.chair)
    finalize_section = section(chair, "Kết quả cần chốt")
    await expect(finalize_section.locator(".count")).to_have_attribute("data-count", "1")
    await shot(chair, "05-my-work-chair")
    await chair.goto(f"/rounds/{ROUND_ID}/board")
    await assert_labelled(chair)
    row = chair.locator(f"tr[data-journey='{journey_id}']")
    await expect(row.locator(f"td[data-member='{cast.vice_chair.id}']")).to_have_text("đã chấm")
    await expect(row.locator(".mean")).to_have_text("—")
    finalize = row.get_by_role("button", name="Chốt kết quả")
    await expect(finalize).to_be_disabled()
    await expect(row.locator(".why")).to_contain_text("cần để đủ số thành viên")  # the quorum, in Vietnamese
    await chair.goto(f"/councils/{COUNCIL_ID}/board")  # the same board, by council
    await expect(row.locator(f"td[data-member='{cast.vice_chair.id}']")).to_have_text("đã chấm")
    await chair.goto(f"/rounds/{ROUND_ID}/board")

    await cast.member.act(journey_id, "submit-scorecard", {"parts": {"A": "32", "B": "20", "C": "28"}})
    await expect(row.locator(f"td[data-member='{cast.member.id}']")).to_have_text("đã chấm")  # refreshed
    await expect(finalize).to_be_disabled()  # the chair must be among those present
    await expect(row.locator(".why")).to_contain_text("Chủ tịch phải có mặt")  # the chair must be present
    await cast.chair.act(journey_id, "submit-scorecard", {"parts": {"A": "31", "B": "20", "C": "28"}})
    await expect(finalize).to_be_enabled()
    await expect(row.locator(f"td[data-member='{cast.vice_chair.id}']")).to_have_text("81,00")
    await expect(row.locator(f"td[data-member='{cast.member.id}']")).to_have_text("80,00")
    mean = council_mean([Decimal(81), Decimal(80), Decimal(79)])
    await expect(row.locator(".mean")).to_have_text(f"{mean:.2f}".replace(".", ","))
    await expect(row.locator(".stars")).to_have_text("★★★★")
    await expect(row.locator(".quorum")).to_contain_text("3/2")
    await shot(chair, "06-board-ready")
    await finalize.focus()
    await chair.keyboard.press("Enter")
    # What will be recorded, then the confirmation (web/confirm.py), with the keyboard too.
    await expect(chair.locator("#confirm-facts")).to_contain_text("Nem chua Thanh Hóa")
    await tab_to(chair, "confirm")
    await chair.keyboard.press("Enter")
    await expect(chair.get_by_role("status")).to_contain_text("Nem chua Thanh Hóa")
    await expect(row.locator(".result")).to_contain_text("80,00")
    await shot(chair, "07-board-finalized")

    # -- the round's results, published, with the next step translated; then in English
    for step in ("close", "publish"):
        response = await cast.provincial_officer.post(f"/v1/rounds/{ROUND_ID}/{step}", {})
        assert response.status_code == 200, response.text
    await chair.goto(f"/rounds/{ROUND_ID}/results")
    result = chair.locator(f"#results tr[data-journey='{journey_id}']")
    await expect(result.locator(".next")).to_have_text("Chờ công nhận ★★★★ cấp tỉnh")
    await assert_labelled(chair)
    await shot(chair, "08-round-results-vi")
    await chair.get_by_role("button", name="English").click()
    await expect(result.locator(".next")).to_have_text("To be recognized ★★★★ at the province level")
    await expect(result.locator("td.num")).to_have_text("80.00")
    await shot(chair, "09-round-results-en")

    # -- the recognition authority signs, through the journey page's form
    authority_context, authority = await site.signed_in(cast.authority)
    to_sign = section(authority, "Quyết định công nhận cần ký")
    await to_sign.get_by_role("link", name="Nem chua Thanh Hóa").click()
    await authority.get_by_text("Ký quyết định công nhận", exact=True).first.click()  # opens the <details>
    await assert_labelled(authority)
    await authority.get_by_label("Số quyết định").fill("QĐ 1234/QĐ-UBND")
    await authority.locator("#step-recognize").get_by_role("button").click()
    await expect(authority.locator("#confirm-facts")).to_contain_text("QĐ 1234/QĐ-UBND")
    await authority.get_by_role("button", name="Xác nhận và ghi nhận").click()
    await expect(authority.locator("#done")).to_be_visible()
    await expect(authority.locator("#status")).to_have_text("Đã được công nhận")
    certificate = authority.locator("#certificate")
    await expect(certificate).to_contain_text("QĐ 1234/QĐ-UBND")
    await expect(certificate).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4} — còn hiệu lực"))
    await shot(authority, "10-journey-certified")

    # -- plan progress: the new 4★ recognition counts against the province's target
    this_year = local_date(await api.env.get_current_time()).year
    await authority.goto(f"/plans/{THANH_HOA}/{this_year}")
    await expect(authority.locator("#plan tr[data-stars='4'] td").nth(1)).to_have_text("1")
    await expect(authority.locator("#plan-chart rect.new")).to_have_count(3)
    await assert_labelled(authority)
    await shot(authority, "11-plan-progress")

    # -- the producer reads their journey, not the round's table nor the province's plan
    producer_context, producer = await site.signed_in(cast.producer)
    for path in (f"/rounds/{ROUND_ID}/results", f"/plans/{THANH_HOA}/{this_year}"):
        refused = await producer.goto(path)
        assert refused is not None
        assert refused.status == 403, path

    # -- an auditor reads the timeline, the verification, the state as of a date, and exports
    auditor = await api.actor(Role.AUDITOR, str(THANH_HOA))
    auditor_context, reader = await site.signed_in(auditor)
    await reader.goto(f"/journeys/{journey_id}")
    await expect(reader.locator("#verification")).to_have_attribute("data-ok", "true")
    await expect(reader.locator("#verification")).to_contain_text("Chuỗi băm nguyên vẹn")
    history = (await cast.producer.get(f"/v1/journeys/{journey_id}/history")).json()["events"]
    events = reader.locator("#timeline > li")
    await expect(events).to_have_count(len(history))
    amended = reader.locator("#timeline > li[data-type='scorecard_amended']")
    await expect(amended).to_contain_text(f"{cast.vice_chair.id} (Thành viên Hội đồng)")
    await expect(amended).to_contain_text("rà soát lại phần A")
    await expect(amended).to_contain_text("qd148-1489-2025")  # the rulebook the dossier is pinned to
    await expect(reader.locator("#timeline > li[data-type='recognized']")).to_contain_text(
        "UBND tỉnh Thanh Hóa"
    )
    await assert_labelled(reader)
    yesterday = local_date(await api.env.get_current_time()) - timedelta(days=1)
    await reader.get_by_label("Ngày (cuối ngày, giờ Việt Nam)").fill(yesterday.isoformat())
    await reader.get_by_role("button", name="Xem trạng thái").click()
    await expect(reader.locator("#state-as-of")).to_contain_text(f"{yesterday:%d/%m/%Y}")
    await expect(reader.locator("#timeline > li.later")).to_have_count(len(history))
    await shot(reader, "12-journey-timeline")

    async with reader.expect_download() as downloading:
        await reader.locator("#export-json").click()
    download = await downloading.value
    exported = json.loads((await download.path()).read_text(encoding="utf-8"))
    assert download.suggested_filename == f"journey-{journey_id}-history.json"
    assert exported["events"] == history
    async with reader.expect_download() as downloading:
        await reader.locator("#export-csv").click()
    exported_csv = (await (await downloading.value).path()).read_text(encoding="utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(exported_csv)))
    assert [line["type"] for line in lines] == [event["type"] for event in history]
    assert [line["hash"] for line in lines] == [event["hash"] for event in history]

    for context in (member_context, chair_context, authority_context, producer_context, auditor_context):
        await context.close()


async def test_a_producer_cannot_open_another_producers_journey_and_a_broken_chain_shows(site: Site) -> None:
    api = site.api
    cast = await make_cast(api)
    journey_id = await cast.register()
    other = await api.actor(Role.PRODUCER, str(THANH_HOA))
    context, page = await site.signed_in(other)
    response = await page.goto(f"/journeys/{journey_id}")
    assert response is not None
    assert response.status == 403
    await expect(page.get_by_role("heading", level=1)).to_have_text("Bạn không có quyền xem trang này")
    await expect(page.get_by_role("alert")).to_contain_text(
        "chủ thể OCOP chỉ xem được hành trình sản phẩm của mình"
    )
    await shot(page, "13-forbidden")
    # ... nor export its history.
    assert (await page.request.get(f"/journeys/{journey_id}/history.json")).status == 403

    # Their own producer sees it in their list, opens it, and signs out.
    own_context, own = await site.signed_in(cast.producer)
    await own.goto("/journeys")
    await assert_labelled(own)
    await own.get_by_label("Trạng thái").select_option("IDEA_REGISTERED")
    await own.get_by_role("button", name="Lọc").click()
    await expect(own.locator("table tbody tr")).to_have_count(1)
    await shot(own, "15-journeys")
    await own.get_by_role("link", name="Nem chua Thanh Hóa").click()
    await expect(own.locator("#status")).to_have_text("Đã đăng ký ý tưởng")
    await own.get_by_role("button", name="Đăng xuất").click()
    await expect(own.get_by_role("status")).to_have_text("Bạn đã đăng xuất.")
    await own.goto(f"/journeys/{journey_id}")
    await expect(own).to_have_url(re.compile(r"/signin\?next="))

    # A forged form (no CSRF token of the session) is refused and changes nothing.
    officer_context, officer = await site.signed_in(cast.commune_officer)
    before = await api.event_count()
    forged = await officer.request.post(
        f"/journeys/{journey_id}/steps/accept-idea", form={"csrf": "forged", "key": "k"}
    )
    assert forged.status == 403
    assert await api.event_count() == before

    # An edited event: the journey page names the first broken link.
    async with api.pool.acquire() as conn, conn.transaction():
        await conn.execute("ALTER TABLE events DISABLE TRIGGER events_no_update_delete")
        await conn.execute(
            """UPDATE events SET data = jsonb_set(data, '{product_name}', '"Nem chua giả"')
            WHERE stream_id = $1 AND version = 1""",
            journey_id,
        )
        await conn.execute("ALTER TABLE events ENABLE TRIGGER events_no_update_delete")
    await officer.goto(f"/journeys/{journey_id}")
    await expect(officer.locator("#verification")).to_have_attribute("data-ok", "false")
    await expect(officer.locator("#verification")).to_contain_text("phiên bản 1")
    await expect(officer.locator("#verification")).to_contain_text("mã băm không khớp với nội dung")
    await shot(officer, "14-broken-chain")

    for each in (context, own_context, officer_context):
        await each.close()
