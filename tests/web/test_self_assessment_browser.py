"""In Chromium (issue 14 item 5, issue 16 item 4): the producer fills the self-assessment on the sheet,
ticks the uploaded label beside criterion 2.2, checks and records it; the council member scoring the
product sees the producer's choice beside 2.2 and opens the document linked to it, checked against its
hash."""

from __future__ import annotations

import hashlib

import pytest
from playwright.async_api import expect

from schemas.scorecard import SHEETS
from tests.api.cast import acceptance, make_cast, pdf_of, upload, upload_pdf
from tests.scoresheets import filled
from tests.web.conftest import Site, shot, unlabelled_fields
from tests.web.test_self_assessment_page import in_development
from tests.web.test_sheet_scoring_page import events

pytestmark = pytest.mark.slow

SHEET = SHEETS["qd26-2026"]["I.1.a"]
LABEL_FILE = "Nhãn bao bì.pdf"


async def test_the_producer_links_a_document_to_a_criterion_and_the_member_opens_it(site: Site) -> None:
    cast = await make_cast(site.api)
    journey_id = await in_development(cast)
    content = pdf_of("nhan bao bi")
    digest = hashlib.sha256(content).hexdigest()
    uploaded = await upload(cast.producer, journey_id, LABEL_FILE, content, "application/pdf")
    assert uploaded.status_code == 201, uploaded.text

    context, producer = await site.signed_in(cast.producer)
    await producer.goto(f"/journeys/{journey_id}")
    await producer.locator("#self-assessment-link").click()
    await expect(producer.get_by_role("heading", level=1)).to_contain_text("Tự đánh giá sản phẩm")
    assert await unlabelled_fields(producer) == []
    choices = filled(SHEET)
    for code, choice in choices.items():
        await producer.locator(f"#opt-{code.replace('.', '_')}-{choice.option}").check()
    await producer.locator("#crit-2_2").get_by_label(LABEL_FILE).check()
    await producer.locator("#self-check").click()
    await expect(producer.locator("#preview-text")).to_contain_text("tổng 100,00")
    await expect(producer.locator("#preview-evidence")).to_contain_text("1")
    assert await events(site, "self_assessment_submitted") == 0
    await producer.locator("#self-record").click()
    await expect(producer.locator("#saved")).to_be_visible()
    await expect(producer.locator("#own-rank")).to_contain_text("5 sao")
    await shot(producer, "self-assessment-recorded")
    await context.close()
    journey = (await cast.producer.get(f"/v1/journeys/{journey_id}")).json()
    assert journey["self_assessment"]["criterion_evidence"] == {"2.2": [f"sha256:{digest}"]}

    form01 = await upload_pdf(cast.producer, journey_id, "form01")
    await cast.producer.act(journey_id, "submit-dossier", {"documents": [form01]})
    report = await upload_pdf(cast.commune_officer, journey_id, "report")
    body = await acceptance(cast.commune_officer, journey_id, report)
    await cast.commune_officer.act(journey_id, "accept-dossier", body)
    await cast.enrol(journey_id)

    context, member = await site.signed_in(cast.member)
    await member.goto(f"/journeys/{journey_id}/score")
    beside = member.locator("#self-2_2")
    criterion = SHEET.criterion("2.2")
    assert criterion is not None
    await expect(beside).to_contain_text(criterion.options[choices["2.2"].option or 0].text)
    link = beside.get_by_role("link", name=LABEL_FILE)
    href = await link.get_attribute("href")
    assert href == f"/journeys/{journey_id}/documents/{digest}"
    opened = await member.request.get(href)  # with the member's session, as the browser's viewer asks
    assert opened.status == 200
    assert await opened.body() == content
    assert opened.headers["x-content-sha256"] == digest
    await shot(member, "self-assessment-beside-the-members-sheet")
    await context.close()
