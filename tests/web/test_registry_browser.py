"""The public registry in a real browser (Debian's Chromium), with no sign-in: the address a
certificate's QR code carries (``web.public_urls.public_product_url``) opens the product's page with
its stars, its status and its verified record; the search form finds a product and links to it.
The site runs under uvicorn on a loopback port over a real PostgreSQL log (no Temporal is needed
to read the registry)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest
from playwright.async_api import Browser, async_playwright, expect

from store import EventStore
from tests.api.test_registry import build_scene, registry_app
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, WAIT_MS, serve, shot, unlabelled_fields
from web.public_urls import public_product_url


@dataclass
class PublicSite:
    base_url: str
    browser: Browser


@pytest.fixture
async def public_site(store_pool: asyncpg.Pool) -> AsyncIterator[PublicSite]:
    if not os.path.exists(CHROMIUM):  # noqa: ASYNC240  # one stat before anything starts
        message = f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    await build_scene(EventStore(store_pool))
    server, task, base_url = await serve(registry_app(store_pool))
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield PublicSite(base_url, browser)
            finally:
                await browser.close()
    finally:
        server.should_exit = True
        await task


async def test_the_address_of_the_qr_code_opens_the_product_page_without_a_sign_in(
    public_site: PublicSite,
) -> None:
    context = await public_site.browser.new_context(locale="vi-VN", java_script_enabled=False)
    context.set_default_timeout(WAIT_MS)
    page = await context.new_page()
    try:
        # What the certificate's QR code carries, with this site as the public base address.
        await page.goto(public_product_url("J-RE", base_url=public_site.base_url))
        await expect(page.get_by_role("heading", level=1)).to_contain_text("Mắm tép Hà Yên")
        await expect(page.locator("#registry-status")).to_contain_text("Còn hiệu lực")
        await expect(page.locator("#registry-certificates tr[data-status=superseded]")).to_contain_text(
            "Được thay thế từ ngày 25/08/2025"
        )
        await expect(page.locator("#registry-verification")).to_have_attribute("data-ok", "true")
        head = (await page.locator("#head-hash").inner_text()).strip()
        assert len(head) == 64
        await shot(page, "registry-product-vi")
        assert await context.cookies() == []  # nothing kept about the visitor

        await page.get_by_role("link", name="English").click()
        await expect(page.locator("#registry-status")).to_contain_text("In force")
        await shot(page, "registry-product-en")

        # From the registry's search, with the script off: a form and links only.
        await page.goto(public_site.base_url + "/registry")
        assert await unlabelled_fields(page) == []
        await page.get_by_label("Tên sản phẩm").fill("bánh gai")
        await page.get_by_role("button", name="Tìm kiếm").last.click()
        await expect(page.locator("#registry-results tbody tr")).to_have_count(1)
        await shot(page, "registry-search")
        await page.get_by_role("link", name="Bánh gai Tứ Trụ").click()
        await expect(page.locator("#registry-status")).to_contain_text("Đã bị thu hồi")
    finally:
        await context.close()
