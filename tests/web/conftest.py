"""The pages in a real browser: the app under uvicorn on a loopback port, in the test's event loop,
with a real worker on Temporal's time-skipping test server and a real PostgreSQL log; Debian's
Chromium driven by the ``playwright`` package (never ``playwright install``)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from settings import Settings
from tests.api.harness import Api, Caller
from tests.workflows.harness import running_worker

CHROMIUM = Path(os.environ.get("OCOP_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
# Playwright's own waits (an element to appear, a navigation) give up after this long.
WAIT_MS = 15_000
expect.set_options(timeout=WAIT_MS)


async def serve(app: FastAPI) -> tuple[uvicorn.Server, asyncio.Task[None], str]:
    """Run ``app`` under uvicorn on a free loopback port in this event loop; its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    if task.done():
        task.result()  # raises why it could not start
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, task, f"http://127.0.0.1:{port}"


@dataclass
class Site:
    """The running site, the API beside it (to set the scene), and a browser."""

    api: Api
    base_url: str
    browser: Browser
    task_queue: str

    async def visitor(self) -> tuple[BrowserContext, Page]:
        """A fresh browser profile (its own cookies), in Vietnamese by default."""
        context = await self.browser.new_context(
            base_url=self.base_url, locale="vi-VN", accept_downloads=True
        )
        context.set_default_timeout(WAIT_MS)
        return context, await context.new_page()

    async def signed_in(self, caller: Caller) -> tuple[BrowserContext, Page]:
        """A browser profile in which ``caller`` signed in through the sign-in form."""
        context, page = await self.visitor()
        await page.goto("/signin")
        await page.get_by_label("Mã truy cập").fill(caller.token)
        await page.get_by_role("button", name="Đăng nhập bằng mã truy cập").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Việc của tôi")
        return context, page


async def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def unlabelled_fields(page: Page) -> list[str]:
    """Form fields (not hidden) with no accessible label: a <label>, aria-label or aria-labelledby."""
    found: list[str] = await page.evaluate(
        """() => Array.from(document.querySelectorAll('input, select, textarea'))
            .filter(el => el.type !== 'hidden')
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !el.getAttribute('aria-labelledby'))
            .map(el => el.outerHTML)"""
    )
    return found


@pytest.fixture
async def site(
    workflow_environment: WorkflowEnvironment,
    store_pool: asyncpg.Pool,
) -> AsyncIterator[Site]:
    if not os.path.exists(CHROMIUM):  # noqa: ASYNC240  # one stat before anything starts
        message = f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)"
        if os.environ.get("CI"):  # .ci/run installs it: missing there is a failure, not a skip
            pytest.fail(message)
        pytest.skip(message)
    env = workflow_environment
    async with running_worker(env.client, store_pool) as task_queue:
        app = create_app(Settings(task_queue=task_queue), temporal_client=env.client, pool=store_pool)
        server, task, base_url = await serve(app)
        try:
            async with (
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url="http://ocop.test"
                ) as http,
                async_playwright() as playwright,
            ):
                browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    yield Site(Api(http, store_pool, env), base_url, browser, task_queue)
                finally:
                    await browser.close()
        finally:
            server.should_exit = True
            await task
