"""From a certificate's QR code to the product's public page, end to end: a product certified through
the engine (the API, its workflow on Temporal's time-skipping server, the recording activity, whose
append writes the registry's rows in its transaction), its certificate downloaded as a PDF, the QR
code read off the rendered page, and the address it carries opened in Chromium with no sign-in."""

from __future__ import annotations

from urllib.parse import urlsplit

import zxingcpp
from PIL import Image
from playwright.async_api import expect

from tests.api.cast import make_cast
from tests.api.test_printed import DECISION, certified, first_page_png
from tests.web.conftest import Site, shot
from web.public_urls import public_product_path


async def test_the_qr_code_of_a_certificate_opens_the_product_page_in_the_registry(site: Site) -> None:
    cast = await make_cast(site.api)
    journey_id = await certified(cast, await cast.today())
    pdf = await site.api.http.get(f"/v1/journeys/{journey_id}/certificate.pdf")
    assert pdf.status_code == 200, pdf.text
    png = first_page_png(pdf.content, "registry-qr-certificate", resolution=200)
    decoded = [code.text for code in zxingcpp.read_barcodes(Image.open(png))]
    assert len(decoded) == 1
    address = urlsplit(decoded[0])
    assert address.path == public_product_path(journey_id)

    # The address's path on this site (the QR carries OCOP_PUBLIC_BASE_URL, the public host).
    context, page = await site.visitor()
    try:
        await page.goto(address.path)
        await expect(page.get_by_role("heading", level=1)).to_contain_text("Nem chua Thanh Hóa")
        await expect(page.locator("#registry-status")).to_contain_text("Còn hiệu lực")
        facts = page.locator("#registry-facts")
        await expect(facts).to_contain_text(DECISION)
        await expect(facts).to_contain_text("4 sao")
        await expect(page.locator("#registry-verification")).to_have_attribute("data-ok", "true")
        head = await site.api.pool.fetchval(
            "SELECT last_hash FROM streams WHERE stream_type = 'journey' AND stream_id = $1", journey_id
        )
        await expect(page.locator("#head-hash")).to_have_text(head)
        await shot(page, "registry-from-qr")
        assert await context.cookies() == []  # a visitor of the registry is not given a session
    finally:
        await context.close()
