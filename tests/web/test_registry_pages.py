"""The public registry's pages over HTTP: no sign-in, no cookie, no script; a product's status with its
date (superseded, revoked) in Vietnamese and English; the verification with the head hash; the
search form's filters; ETag and 304 (the browser's test is tests/web/test_registry_browser.py)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from store import EventStore
from tests.api.test_registry import build_scene, registry_app
from tests.factories import HAC_THANH, THANH_HOA
from workflows.calendar import local_date


@pytest.fixture
async def http(store_pool: asyncpg.Pool) -> AsyncIterator[httpx.AsyncClient]:
    await build_scene(EventStore(store_pool))
    app = registry_app(store_pool)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://ocop.test"
    ) as client:
        yield client


def text_of(html: str) -> str:
    """The page's words, tags dropped and spaces folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


async def test_a_revoked_product_shows_that_it_was_revoked_and_when(
    http: httpx.AsyncClient, store_pool: asyncpg.Pool
) -> None:
    recorded = await store_pool.fetchval(
        "SELECT recorded_at FROM events WHERE stream_id = 'J-REV' AND type = 'revoked'"
    )
    day = local_date(recorded).strftime("%d/%m/%Y")
    page = await http.get("/registry/products/J-REV")
    assert page.status_code == 200
    words = text_of(page.text)
    assert 'data-status="revoked"' in page.text
    assert f"Đã bị thu hồi — Bị thu hồi ngày {day}" in words
    assert "Bánh gai Tứ Trụ" in words
    english = text_of((await http.get("/registry/products/J-REV?lang=en")).text)
    assert f"Revoked — Revoked on {day}" in english


async def test_a_superseded_certificate_shows_the_day_it_was_replaced(http: httpx.AsyncClient) -> None:
    page = await http.get("/registry/products/J-RE")
    words = text_of(page.text)
    # In force now (3★, 25/08/2025); the 4★ certificate of 2022 superseded by that decision.
    assert "Còn hiệu lực — Có hiệu lực từ ngày 25/08/2025" in words
    rows = re.findall(r'<tr data-status="(\w+)">(.*?)</tr>', page.text, re.S)
    assert [(status, "Được thay thế từ ngày 25/08/2025" in text_of(row)) for status, row in rows] == [
        ("in_force", False),
        ("superseded", True),
    ]
    assert "Superseded on 25/08/2025" in text_of((await http.get("/registry/products/J-RE?lang=en")).text)


async def test_the_product_page_shows_its_record_verified_with_the_head_hash(
    http: httpx.AsyncClient, store_pool: asyncpg.Pool
) -> None:
    head = await store_pool.fetchrow(
        "SELECT version, last_hash FROM streams WHERE stream_type = 'journey' AND stream_id = 'J-NEM'"
    )
    assert head is not None
    page = await http.get("/registry/products/J-NEM")
    assert f'<code id="head-hash">{head["last_hash"]}</code>' in page.text
    assert 'data-ok="true"' in page.text
    assert f"{head['version']} sự kiện vừa được kiểm tra lại" in text_of(page.text)
    # An edited event shows: the chain no longer holds (the log refuses UPDATE; an attacker with the
    # table owner's rights drops the guard first).
    await store_pool.execute("ALTER TABLE events DISABLE TRIGGER events_no_update_delete")
    await store_pool.execute(
        """UPDATE events SET data = jsonb_set(data, '{stars}', '5')
           WHERE stream_id = 'J-NEM' AND type = 'recognized'"""
    )
    await store_pool.execute("ALTER TABLE events ENABLE TRIGGER events_no_update_delete")
    tampered = await http.get("/registry/products/J-NEM")
    assert 'data-ok="false"' in tampered.text
    assert "Chuỗi băm của hồ sơ bị đứt" in text_of(tampered.text)


async def test_public_pages_need_no_sign_in_set_no_cookie_carry_no_script_and_cache(
    http: httpx.AsyncClient,
) -> None:
    for path in ("/registry", "/registry/products/J-NEM"):
        page = await http.get(path)
        assert page.status_code == 200, path
        assert "set-cookie" not in page.headers, path
        assert "<script" not in page.text, path
        assert page.headers["cache-control"] == "public, max-age=60"
        assert "script-src 'self'" in page.headers["content-security-policy"]
        again = await http.get(path, headers={"If-None-Match": page.headers["etag"]})
        assert again.status_code == 304, path
    english = await http.get("/registry/products/J-NEM?lang=en")
    assert '<html lang="en">' in english.text
    assert english.headers["etag"] != (await http.get("/registry/products/J-NEM")).headers["etag"]
    assert (await http.get("/registry/products/J-UNKNOWN")).status_code == 404


async def test_the_search_form_filters_and_reads_empty_fields_as_any(http: httpx.AsyncClient) -> None:
    def listed(html: str) -> list[str]:
        return re.findall(r'<tr data-journey="([^"]+)"', html)

    every = await http.get("/registry", params={"province": "", "stars": "", "q": "", "status": ""})
    assert every.status_code == 200
    assert listed(every.text) == ["J-HN", "J-REV", "J-NEM", "J-RE", "J-EXP"]
    four = await http.get("/registry", params={"province": str(THANH_HOA), "stars": "4"})
    assert listed(four.text) == ["J-NEM"]
    # The province chosen, its communes are offered.
    assert f'<option value="{HAC_THANH}">' in four.text
    superseded = await http.get("/registry", params={"status": "superseded"})
    assert listed(superseded.text) == ["J-RE"]
    assert listed((await http.get("/registry", params={"q": "chè lam"})).text) == ["J-EXP"]
    # Nonsense reads as "any", as an empty field does.
    assert listed((await http.get("/registry", params={"stars": "nine", "year": "1900"})).text) == listed(
        every.text
    )
    # The open-data links carry the filters.
    assert 'href="/v1/registry/export.csv?province=38&amp;stars=4"' in four.text
