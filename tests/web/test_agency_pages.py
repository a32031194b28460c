"""The standing agency's pages in Chromium: the provincial officer appoints a council, opens a round,
enrols two waiting products at once, closes and publishes with a confirmation; the chair confirms
before finalizing; the authority confirms before recognizing, and the round's results then show
the product as certified; a producer registers a product idea on the page; /docs works with the
network blocked. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.async_api import Locator, Page, Route, expect

from tests.api.cast import CHOICES_80, COUNCIL_ID, make_cast
from tests.web.conftest import Site, shot, unlabelled_fields
from workflows.calendar import local_date

pytestmark = pytest.mark.slow

ROUND_ID = f"R-{COUNCIL_ID}-1"  # the id the "open a round" form suggests for the council's first
CONFIRM = "Xác nhận và ghi nhận"


async def assert_labelled(page: Page) -> None:
    assert await unlabelled_fields(page) == [], f"fields without a label on {page.url}"


def work_section(page: Page, heading: str) -> Locator:
    return page.locator("section", has=page.get_by_role("heading", name=re.compile("^" + re.escape(heading))))


async def test_the_officer_appoints_opens_enrols_two_at_once_closes_and_publishes_with_confirmations(
    site: Site,
) -> None:
    api = site.api
    cast = await make_cast(api)
    first = await cast.to_awaiting_round()
    second = await cast.to_awaiting_round()
    today = local_date(await api.env.get_current_time())

    # -- My work: the two products wait; with no round open they lead to the form that opens one
    context, officer = await site.signed_in(cast.provincial_officer)
    waiting = work_section(officer, "Sản phẩm chờ xếp vào đợt đánh giá")
    await expect(waiting.locator(".count")).to_have_attribute("data-count", "2")
    await expect(waiting.locator("a[href='/rounds/new']")).to_have_count(3)  # two products, one link
    await waiting.get_by_role("link", name="Thành lập Hội đồng đánh giá").click()

    # -- the council, appointed on its page, shown with its seats (not the API's JSON)
    await expect(officer.get_by_role("heading", level=1)).to_have_text("Thành lập Hội đồng đánh giá")
    await assert_labelled(officer)
    await officer.get_by_label("Mã Hội đồng").fill(COUNCIL_ID)
    await officer.get_by_label("Tên Hội đồng").fill("Hội đồng OCOP tỉnh Thanh Hóa")
    seats = [(cast.chair, "chair"), (cast.vice_chair, "vice_chair"), (cast.member, "member")]
    seats.append((cast.secretary, "secretary"))
    for index, (member, role) in enumerate(seats, 1):
        await officer.get_by_label(f"Mã tài khoản thành viên {index}").fill(member.id)
        await officer.get_by_label(f"Vai trò của thành viên {index}").select_option(role)
    # Its regulation provides for rounds beyond the national calendar (Art. 5): the round below is one.
    await officer.get_by_label(
        "Quy chế hoạt động của Hội đồng quy định tổ chức thêm đợt đánh giá ngoài lịch"
    ).check()
    await shot(officer, "a01-council-appoint")
    await officer.get_by_role("button", name="Thành lập Hội đồng").click()
    await expect(officer).to_have_url(re.compile(f"/councils/{COUNCIL_ID}\\?done=appointed$"))
    await expect(officer.get_by_role("heading", level=1)).to_have_text("Hội đồng OCOP tỉnh Thanh Hóa")
    await expect(officer.locator(f"#seats tr[data-member='{cast.chair.id}'] td")).to_have_text("Chủ tịch")
    await expect(officer.locator(f"#seats tr[data-member='{cast.secretary.id}'] td")).to_have_text("Thư ký")
    await shot(officer, "a02-council")
    # The same council appointed again: the engine's refusal, on the form, nothing recorded.
    before = await api.event_count()
    await officer.goto("/councils/new")
    await officer.get_by_label("Mã Hội đồng").fill(COUNCIL_ID)
    await officer.get_by_label("Tên Hội đồng").fill("Hội đồng OCOP tỉnh Thanh Hóa")
    await officer.get_by_label("Mã tài khoản thành viên 1").fill(cast.chair.id)
    await officer.get_by_role("button", name="Thành lập Hội đồng").click()
    await expect(officer.get_by_role("alert")).to_contain_text("Hệ thống không chấp nhận bước này")
    await expect(officer.get_by_label("Mã Hội đồng")).to_have_value(COUNCIL_ID)  # kept as typed
    assert await api.event_count() == before
    missing = await officer.goto("/councils/HD-NOWHERE")
    assert missing is not None
    assert missing.status == 404
    await expect(officer.get_by_role("heading", level=1)).to_have_text("Không tìm thấy")
    await officer.goto(f"/councils/{COUNCIL_ID}")

    # -- a round of it, opened from the council's page
    await officer.get_by_role("link", name="Mở đợt đánh giá").click()
    await assert_labelled(officer)
    await expect(officer.get_by_label("Hội đồng", exact=True)).to_have_value(COUNCIL_ID)
    await expect(officer.get_by_label("Mã đợt đánh giá")).to_have_value(ROUND_ID)
    await officer.get_by_label("Tên đợt đánh giá").fill("Đợt 1/2026")
    await officer.get_by_label("Hạn chót tiếp nhận hồ sơ").fill((today + timedelta(days=3)).isoformat())
    await officer.get_by_label("Ngày họp Hội đồng").fill((today + timedelta(days=5)).isoformat())
    await shot(officer, "a03-round-open")
    await officer.get_by_role("button", name="Mở đợt").click()
    await expect(officer).to_have_url(re.compile(f"/rounds/{ROUND_ID}\\?done=opened$"))
    await expect(officer.locator("#round-status")).to_have_attribute("data-status", "open")

    # -- My work now leads each waiting product to that round's page
    await officer.goto("/")
    await waiting.locator(f"a[href='/rounds/{ROUND_ID}']").first.click()
    await expect(officer.get_by_role("heading", level=1)).to_have_text("Đợt 1/2026")
    await assert_labelled(officer)

    # -- both enrolled at once, through the round's own enrolment
    choices = officer.locator("#enrol input[type=checkbox]")
    await expect(choices).to_have_count(2)
    for journey_id in (first, second):
        await officer.locator(f"#enrol input[value='{journey_id}']").check()
    await shot(officer, "a04-round-enrol")
    await officer.get_by_role("button", name="Xếp các sản phẩm đã chọn vào đợt").click()
    await expect(officer.locator("#done")).to_have_text("Đã xếp 2 sản phẩm vào đợt.")
    await expect(officer.locator("#round-products tbody tr")).to_have_count(2)
    await expect(officer.locator("#round-products")).to_contain_text("Nem chua Thanh Hóa")
    await expect(officer.locator("#enrol")).to_have_count(0)  # nothing waits any more
    state = (await cast.provincial_officer.get(f"/v1/rounds/{ROUND_ID}")).json()
    assert sorted(state["journeys"]) == sorted([first, second])

    # -- scored through the API; the chair confirms before finalizing on the board
    for journey_id in (first, second):
        for member in cast.voting:
            await member.act(journey_id, "submit-scorecard", {"choices": CHOICES_80})
    chair_context, chair = await site.signed_in(cast.chair)
    await chair.goto(f"/rounds/{ROUND_ID}/board")
    row = chair.locator(f"tr[data-journey='{first}']")
    await row.get_by_role("button", name="Chốt kết quả").click()
    await expect(chair.get_by_role("heading", level=1)).to_have_text("Xác nhận: Chốt kết quả")
    await expect(chair.locator("#confirm-facts")).to_contain_text("80,00")
    await expect(chair.locator("#confirm-facts")).to_contain_text("★★★★")
    await shot(chair, "a05-finalize-confirm")
    before = await api.event_count()
    await chair.get_by_role("link", name="Quay lại, không ghi nhận").click()
    await expect(chair).to_have_url(re.compile(f"/rounds/{ROUND_ID}/board$"))
    assert await api.event_count() == before  # asking to confirm records nothing
    await row.get_by_role("button", name="Chốt kết quả").click()
    await chair.get_by_role("button", name=CONFIRM).click()
    await expect(chair.get_by_role("status")).to_contain_text("Nem chua Thanh Hóa")
    await expect(row.locator(".result")).to_contain_text("80,00")
    await cast.chair.act(second, "finalize")

    # -- closed, then published, each after its confirmation
    await officer.goto(f"/rounds/{ROUND_ID}")
    await officer.get_by_role("button", name="Đóng đợt đánh giá").click()
    await expect(officer.get_by_role("heading", level=1)).to_have_text("Xác nhận đóng đợt Đợt 1/2026")
    assert (await cast.provincial_officer.get(f"/v1/rounds/{ROUND_ID}")).json()["status"] == "open"
    await officer.get_by_role("button", name=CONFIRM).click()
    await expect(officer.locator("#done")).to_have_text("Đã đóng đợt đánh giá.")
    await officer.get_by_role("button", name="Công bố kết quả").click()
    await expect(officer.locator("#confirm-facts")).to_contain_text("Đợt 1/2026")
    await shot(officer, "a06-publish-confirm")
    assert (await cast.provincial_officer.get(f"/v1/rounds/{ROUND_ID}")).json()["status"] == "closed"
    await officer.get_by_role("button", name=CONFIRM).click()
    await expect(officer.locator("#done")).to_have_text("Đã công bố kết quả.")
    await expect(officer.locator("#round-status")).to_have_attribute("data-status", "results_published")
    await shot(officer, "a07-round-published")

    # -- the authority confirms before recognizing; the results then say where the product is now
    authority_context, authority = await site.signed_in(cast.authority)
    await authority.goto(f"/journeys/{first}")
    await authority.get_by_text("Ký quyết định công nhận", exact=True).first.click()
    await authority.get_by_label("Số quyết định").fill("QĐ 77/QĐ-UBND")
    await authority.locator("#step-recognize").get_by_role("button").click()
    await expect(authority.get_by_role("heading", level=1)).to_have_text("Xác nhận: Ký quyết định công nhận")
    await expect(authority.locator("#confirm-facts")).to_contain_text("QĐ 77/QĐ-UBND")
    await shot(authority, "a08-recognize-confirm")
    assert (await cast.authority.get(f"/v1/journeys/{first}")).json()["status"] == "AWAITING_RECOGNITION"
    await authority.get_by_role("button", name=CONFIRM).click()
    await expect(authority.locator("#status")).to_have_text("Đã được công nhận")
    await officer.goto(f"/rounds/{ROUND_ID}/results")
    await expect(officer.locator(f"#results tr[data-journey='{first}'] .next")).to_have_text(
        "Đã được công nhận"
    )
    await expect(officer.locator(f"#results tr[data-journey='{second}'] .next")).to_have_text(
        "Chờ công nhận ★★★★ cấp tỉnh"
    )
    await shot(officer, "a09-results-current-state")

    for each in (context, chair_context, authority_context):
        await each.close()


async def test_a_producer_registers_a_product_idea_on_the_page(site: Site) -> None:
    cast = await make_cast(site.api)
    context, producer = await site.signed_in(cast.producer)
    await producer.get_by_role("link", name="Đăng ký ý tưởng sản phẩm mới").click()
    await expect(producer.get_by_role("heading", level=1)).to_have_text("Đăng ký ý tưởng sản phẩm")
    await assert_labelled(producer)
    await expect(producer.get_by_label("Tỉnh, thành phố")).to_have_value("38")  # their own province
    await producer.get_by_label("Tên sản phẩm").fill("Mật ong bạc hà Thanh Hóa")
    await producer.get_by_label("Nhóm sản phẩm").select_option("food")
    await producer.get_by_label("Xã, phường").select_option(label="Phường Hạc Thành")
    await shot(producer, "a10-idea-register")
    await producer.get_by_role("button", name="Đăng ký ý tưởng").click()
    await expect(producer).to_have_url(re.compile(r"/journeys/[^/?]+\?done=register-idea$"))
    await expect(producer.locator("#status")).to_have_text("Đã đăng ký ý tưởng")
    journey_id = producer.url.split("/journeys/", 1)[1].split("?", 1)[0]
    journey = (await cast.producer.get(f"/v1/journeys/{journey_id}")).json()
    assert (journey["product_name"], journey["commune_code"], journey["producer_id"]) == (
        "Mật ong bạc hà Thanh Hóa",
        14797,
        cast.producer.id,
    )
    await shot(producer, "a11-idea-registered")
    await context.close()


async def test_the_api_docs_load_with_the_network_blocked(site: Site) -> None:
    context, page = await site.visitor()
    asked: list[str] = []

    async def only_this_site(route: Route) -> None:
        asked.append(route.request.url)
        if route.request.url.startswith(site.base_url + "/"):
            await route.continue_()
        else:
            await route.abort("internetdisconnected")

    await context.route("**/*", only_this_site)
    await page.goto("/docs")
    await expect(page.locator(".swagger-ui .info .title")).to_contain_text("OCOP evaluation engine")
    await expect(page.locator(".opblock-tag-section").first).to_be_visible()
    await shot(page, "a12-docs-offline")
    await page.goto("/redoc")
    await expect(page.locator("h1").first).to_contain_text("OCOP evaluation engine")
    assert asked
    assert all(url.startswith(site.base_url + "/") for url in asked), asked
    await context.close()
