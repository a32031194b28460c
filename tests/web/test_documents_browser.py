"""In Chromium: a producer uploads a file on the dossier step (its progress, its kind, its reference
added to the step's field) and submits the dossier; a member of the council the product is
enrolled with opens it from the journey page, checked against its hash."""

from __future__ import annotations

import hashlib

from playwright.async_api import expect

from tests.api.cast import acceptance, make_cast, pdf_of, upload_pdf
from tests.web.conftest import Site, shot


async def test_a_producer_uploads_on_the_dossier_step_and_a_council_member_opens_it(site: Site) -> None:
    cast = await make_cast(site.api)
    journey_id = await cast.register()
    await cast.commune_officer.act(journey_id, "accept-idea")
    plan = await upload_pdf(cast.producer, journey_id, "plan")
    await cast.producer.act(journey_id, "submit-plan", {"document": plan})
    await cast.commune_officer.act(journey_id, "approve-plan")

    content = pdf_of("Mau 02 tu danh gia")
    digest = hashlib.sha256(content).hexdigest()
    context, page = await site.signed_in(cast.producer)
    await page.goto(f"/journeys/{journey_id}")
    step = page.locator("details.step", has=page.locator("#step-submit-dossier"))
    await step.locator("summary").click()
    # The dossier's own documents (the checklist's items have file inputs of their own beside it).
    await step.locator("#submit-dossier-documents-files").set_input_files(
        {"name": "Mẫu 02 - tự đánh giá.pdf", "mimeType": "application/pdf", "buffer": content}
    )
    done = step.locator("li.upload-done")
    await expect(done).to_have_count(1)
    await expect(done).to_contain_text("PDF")
    await expect(done.locator("progress")).to_have_attribute("value", "100")
    await expect(step.locator("textarea[name=documents]")).to_have_value(f"sha256:{digest}")
    await shot(page, "documents-uploaded-on-the-dossier-step")
    await step.locator("button[type=submit]").click()
    await expect(page.locator("#dossier-documents")).to_contain_text("Mẫu 02 - tự đánh giá.pdf")
    state = (await cast.producer.get(f"/v1/journeys/{journey_id}")).json()
    assert state["status"] == "DOSSIER_SUBMITTED"
    assert state["documents"] == [f"sha256:{digest}"]
    await context.close()

    report = await upload_pdf(cast.commune_officer, journey_id, "report")
    body = await acceptance(cast.commune_officer, journey_id, report)
    await cast.commune_officer.act(journey_id, "accept-dossier", body)
    await cast.enrol(journey_id)

    context, page = await site.signed_in(cast.member)
    await page.goto(f"/journeys/{journey_id}")
    item = page.locator(f"#dossier-documents li[data-reference='sha256:{digest}']")
    await expect(item).to_contain_text(digest)  # the hash it is checked against, shown
    link = item.get_by_role("link", name="Mẫu 02 - tự đánh giá.pdf")
    href = await link.get_attribute("href")
    assert href == f"/journeys/{journey_id}/documents/{digest}"
    opened = await page.request.get(href)  # with the member's session, as the browser's viewer asks
    assert opened.status == 200
    assert await opened.body() == content
    assert opened.headers["content-type"] == "application/pdf"
    assert opened.headers["content-disposition"].startswith("inline;")
    assert opened.headers["x-content-sha256"] == digest
    await shot(page, "documents-listed-for-a-council-member")
    await context.close()

    # A producer of another journey, signed in, is refused the same link.
    stranger = await site.api.actor(cast.producer.role, "38")
    context, page = await site.signed_in(stranger)
    refused = await page.request.get(href)
    assert refused.status == 403
    await context.close()
