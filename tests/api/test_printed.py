"""Printed documents through the API: a recognized product's certificate (public, its QR code opens
the product's public page) and decision, a member's scoresheet and the round's minutes, each read
back from the PDF with its Vietnamese words; the same log gives the same bytes, the hash is recorded
when a document is first issued, and a document that prints differently afterwards is refused."""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from schemas.log import Actor
from schemas.producer import OrganisationType
from schemas.roles import Role
from store.producers import ProducerFields, ProducerStore
from tests.api.cast import ROUND_ID, Cast, upload_pdf
from tests.api.harness import Api
from tests.factories import HAC_THANH, THANH_HOA
from tests.web.test_http import Visitor
from web.public_urls import public_product_path, public_product_url

PNG_DIR = Path("/tmp/cert_png")
DECISION = "QĐ 15/QĐ-UBND"


def text_of(pdf: bytes) -> str:
    """The PDF's text as a reader extracts it, whitespace folded."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def first_page_png(pdf: bytes, name: str, resolution: int = 80) -> Path:
    """The first page as a PNG (pdftoppm), kept in /tmp/cert_png/ for people to look at."""
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):  # .ci/run installs it: missing there is a failure, not a skip
            pytest.fail("pdftoppm (poppler-utils) is not installed")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    PNG_DIR.mkdir(exist_ok=True)
    source = PNG_DIR / f"{name}.pdf"
    source.write_bytes(pdf)
    stem = PNG_DIR / f"{name}-r{resolution}"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(resolution),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(stem),
        ],
        check=True,
    )
    return stem.with_suffix(".png")


async def certified(cast: Cast, decision_date: str) -> str:
    journey_id = await cast.to_awaiting_round()
    await cast.evaluate(journey_id)
    await cast.authority.act(
        journey_id, "recognize", {"decision_number": DECISION, "decision_date": decision_date}
    )
    return journey_id


async def test_the_certificate_is_public_reads_back_in_vietnamese_and_its_qr_opens_its_page(
    api: Api, cast: Cast
) -> None:
    today = await cast.today()
    year = date.fromisoformat(today).year
    # The producer's account acts for a cooperative of the producers' register: its name is printed.
    cooperative = ProducerFields(
        organisation_type=OrganisationType.COOPERATIVE,
        name="HTX Nông nghiệp Hạc Thành",
        registration_number=None,
        province_code=THANH_HOA,
        commune_code=HAC_THANH,
    )
    admin = Actor(id="admin-1", role="administrator")
    await ProducerStore(api.pool).register(
        "htx-hac-thanh", cooperative, admin, "k1", account=cast.producer.id
    )
    journey_id = await certified(cast, today)
    number = f"001/{year}/GCN-OCOP-38"

    response = await api.http.get(f"/v1/journeys/{journey_id}/certificate.pdf")  # no sign-in
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.content
    words = text_of(pdf)
    for expected in (
        "GIẤY CHỨNG NHẬN",
        "KẾT QUẢ PHÂN HẠNG SẢN PHẨM OCOP",
        f"Số: {number}",
        "Nem chua Thanh Hóa",
        "ỦY BAN NHÂN DÂN TỈNH THANH HÓA",
        "ĐẠT HẠNG 4 SAO",
        f"Số {DECISION}",
        "Chủ tịch UBND tỉnh Thanh Hóa",
        "Chủ thể: HTX Nông nghiệp Hạc Thành",
    ):
        assert expected in words, (expected, words)
    valid_until = (await cast.authority.get(f"/v1/journeys/{journey_id}")).json()["certificate"][
        "valid_until"
    ]
    assert "/".join(reversed(valid_until.split("-"))) in words

    # The QR code, read off the rendered page, is the product's public address.
    png = first_page_png(pdf, "certificate", resolution=200)
    decoded = [code.text for code in zxingcpp.read_barcodes(Image.open(png))]
    assert decoded == [public_product_url(journey_id)]
    first_page_png(pdf, "certificate")

    # Downloaded again: the same bytes, the hash recorded at the first download.
    again = await api.http.get(f"/v1/journeys/{journey_id}/certificate.pdf")
    assert again.content == pdf
    assert again.headers["etag"] == response.headers["etag"]
    rows = await api.pool.fetch("SELECT kind, subject, sha256 FROM issued_documents")
    assert [tuple(row) for row in rows] == [
        ("certificate", f"{journey_id}/{number}", response.headers["x-document-sha256"])
    ]
    unknown = await api.http.get("/v1/journeys/no-such-journey/certificate.pdf")
    assert unknown.status_code == 404

    # The product's public page links it, and the link needs no sign-in either.
    public = await api.http.get(public_product_path(journey_id))
    assert public.status_code == 200, public.text
    link = f'href="/v1/journeys/{journey_id}/certificate.pdf"'
    assert link in public.text
    assert (await api.http.get(f"/v1/journeys/{journey_id}/certificate.pdf")).content == pdf


async def test_a_certificate_that_prints_otherwise_than_issued_is_refused(api: Api, cast: Cast) -> None:
    journey_id = await certified(cast, await cast.today())
    issued = await api.http.get(f"/v1/journeys/{journey_id}/certificate.pdf")
    assert issued.status_code == 200

    # A superuser rewrites the product's name in the stored log, the append-only trigger switched
    # off (ocop verify would find the broken chain too).
    async with api.pool.acquire() as attacker:
        await attacker.execute("SET session_replication_role = replica")
        await attacker.execute(
            """UPDATE events SET data = jsonb_set(data, '{product_name}', '"Nem chua giả"')
            WHERE stream_id = $1 AND type = 'idea_registered'""",
            journey_id,
        )
        await attacker.execute("RESET session_replication_role")
    refused = await api.http.get(f"/v1/journeys/{journey_id}/certificate.pdf")
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"] == "urn:ocop:problem:document-changed"
    assert "differs from the one issued" in refused.json()["detail"]


async def test_the_decision_lists_every_product_it_recognized_and_follows_the_journey_read_rules(
    api: Api, cast: Cast
) -> None:
    today = await cast.today()
    year = date.fromisoformat(today).year
    first = await certified(cast, today)
    second = await certified(cast, today)

    response = await cast.producer.get(f"/v1/journeys/{first}/decision.pdf")
    assert response.status_code == 200, response.text
    words = text_of(response.content)
    for expected in (
        "QUYẾT ĐỊNH",
        "Về việc công nhận sản phẩm đạt chuẩn OCOP",
        f"Số: {DECISION}",
        "CHỦ TỊCH UBND TỈNH THANH HÓA",
        "Công nhận 2 sản phẩm đạt chuẩn OCOP",
        f"001/{year}/GCN-OCOP-38",
        f"002/{year}/GCN-OCOP-38",
        "Quyết định 26/2026/QĐ-TTg",
        "có giá trị 36 tháng",
    ):
        assert expected in words, (expected, words)
    assert words.count("Nem chua Thanh Hóa") == 2
    assert (await cast.authority.get(f"/v1/journeys/{second}/decision.pdf")).content == response.content
    first_page_png(response.content, "decision")

    stranger = await api.actor(Role.PRODUCER, "38")
    elsewhere = await api.actor(Role.PROVINCIAL_OFFICER, "1")
    assert (await stranger.get(f"/v1/journeys/{first}/decision.pdf")).status_code == 403
    assert (await elsewhere.get(f"/v1/journeys/{first}/decision.pdf")).status_code == 403
    assert (await api.http.get(f"/v1/journeys/{first}/decision.pdf")).status_code == 401
    not_yet = await cast.to_awaiting_round()
    assert (await cast.producer.get(f"/v1/journeys/{not_yet}/decision.pdf")).status_code == 404


async def test_a_members_scoresheet_prints_after_the_result_and_the_minutes_after_publication(
    api: Api, cast: Cast
) -> None:
    journey_id = await cast.to_awaiting_round(scored_by_parts=True)
    await cast.enrol(journey_id)
    for member in cast.voting:
        await member.act(
            journey_id, "submit-scorecard", {"parts": {"A": "32.00", "B": "20.00", "C": "28.00"}}
        )
    sheet_path = f"/v1/journeys/{journey_id}/scoresheets/{cast.member.id}.pdf"
    assert (await cast.member.get(sheet_path)).status_code == 404  # not finalized: nothing to print
    await cast.chair.act(journey_id, "finalize")

    sheet = await cast.member.get(sheet_path)
    assert sheet.status_code == 200, sheet.text
    words = text_of(sheet.content)
    for expected in (
        "PHIẾU ĐÁNH GIÁ, CHẤM ĐIỂM SẢN PHẨM OCOP",
        "Nem chua Thanh Hóa",
        f"Thành viên chấm: {cast.member.id} (Ủy viên)",
        f"Đợt: {ROUND_ID}",
        "32,00",
        "20,00",
        "28,00",
        "80,00",
        "Tổng điểm",
    ):
        assert expected in words, (expected, words)
    first_page_png(sheet.content, "scoresheet")
    assert (await cast.producer.get(sheet_path)).status_code == 200
    outsider = await api.actor(Role.PRODUCER, "38")
    assert (await outsider.get(sheet_path)).status_code == 403
    nobody = await cast.producer.get(f"/v1/journeys/{journey_id}/scoresheets/{cast.secretary.id}.pdf")
    assert nobody.status_code == 404  # the secretary never scores

    minutes_path = f"/v1/rounds/{ROUND_ID}/minutes.pdf"
    assert (await cast.provincial_officer.get(minutes_path)).status_code == 404  # not published
    assert (await cast.provincial_officer.post(f"/v1/rounds/{ROUND_ID}/close", {})).status_code == 200
    assert (await cast.provincial_officer.post(f"/v1/rounds/{ROUND_ID}/publish", {})).status_code == 200
    minutes = await cast.secretary.get(minutes_path)
    assert minutes.status_code == 200, minutes.text
    words = text_of(minutes.content)
    for expected in (
        "BIÊN BẢN HỌP HỘI ĐỒNG",
        "ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP",
        "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa",
        "Thành viên tham dự: 3/4",
        f"{cast.chair.id} Chủ tịch Có mặt",
        f"{cast.secretary.id} Thư ký Vắng",
        "Nem chua Thanh Hóa",
        "80,00",
        "Đề nghị công nhận",
    ):
        assert expected in words, (expected, words)
    first_page_png(minutes.content, "minutes")
    assert (await cast.producer.get(minutes_path)).status_code == 403


async def test_concurrent_first_downloads_issue_one_document(api: Api, cast: Cast) -> None:
    journey_id = await certified(cast, await cast.today())
    answers = await asyncio.gather(
        *(api.http.get(f"/v1/journeys/{journey_id}/certificate.pdf") for _ in range(6))
    )
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.content for answer in answers}) == 1
    assert await api.pool.fetchval("SELECT count(*) FROM issued_documents") == 1


async def test_the_journey_and_results_pages_link_the_documents_the_reader_may_download(
    api: Api, cast: Cast
) -> None:
    journey_id = await certified(cast, await cast.today())
    officer = Visitor(api.http)
    await officer.sign_in(cast.provincial_officer.token)
    page = await officer.get(f"/journeys/{journey_id}")
    assert page.status_code == 200, page.text
    for link in (
        f'href="/journeys/{journey_id}/certificate.pdf"',
        f'href="/journeys/{journey_id}/decision.pdf"',
        f'href="/journeys/{journey_id}/scoresheets"',
    ):
        assert link in page.text, link
    assert "Văn bản (PDF)" in page.text
    listing = await officer.get(f"/journeys/{journey_id}/scoresheets")
    assert listing.status_code == 200, listing.text
    for member in cast.voting:
        assert f'href="/journeys/{journey_id}/scoresheets/{member.id}.pdf"' in listing.text
    assert f"{cast.secretary.id}.pdf" not in listing.text
    sheet = await officer.get(f"/journeys/{journey_id}/scoresheets/{cast.chair.id}.pdf")
    assert sheet.headers["content-type"] == "application/pdf"
    # The page's download and the API's are the same issued document.
    decision = await officer.get(f"/journeys/{journey_id}/decision.pdf")
    assert (
        decision.content
        == (await cast.provincial_officer.get(f"/v1/journeys/{journey_id}/decision.pdf")).content
    )

    results = await officer.get(f"/rounds/{ROUND_ID}/results")
    assert "minutes.pdf" not in results.text  # not published yet
    assert (await cast.provincial_officer.post(f"/v1/rounds/{ROUND_ID}/close", {})).status_code == 200
    assert (await cast.provincial_officer.post(f"/v1/rounds/{ROUND_ID}/publish", {})).status_code == 200
    results = await officer.get(f"/rounds/{ROUND_ID}/results")
    assert f'href="/rounds/{ROUND_ID}/minutes.pdf"' in results.text
    minutes = await officer.get(f"/rounds/{ROUND_ID}/minutes.pdf")
    assert minutes.status_code == 200
    assert "BIÊN BẢN HỌP HỘI ĐỒNG" in text_of(minutes.content)

    stranger = Visitor(api.http)
    await stranger.sign_in((await api.actor(Role.PRODUCER, "38")).token)
    assert (await stranger.get(f"/journeys/{journey_id}/decision.pdf")).status_code == 403


async def test_an_imported_certificate_prints_signed_for_by_its_province(api: Api, cast: Cast) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "38")
    today = date.fromisoformat(await cast.today())
    body = {
        "journey_id": "TH-2024-0042",
        "producer_id": cast.producer.id,
        "product_name": "Nước mắm Khúc Phụ",
        "product_group": "food",
        "province_code": THANH_HOA,
        "commune_code": HAC_THANH,
        "rulebook_id": "qd148-2023",
        "level": "province",
        "stars": 4,
        "decision_number": "QĐ 1234/QĐ-UBND",
        "decision_date": today.replace(year=today.year - 1).isoformat(),
        "certificate_number": "GCN-TH-2024-0042",
    }
    imported = await admin.post("/v1/journeys/import", body)
    assert imported.status_code == 201, imported.text
    response = await api.http.get("/v1/journeys/TH-2024-0042/certificate.pdf")
    assert response.status_code == 200, response.text
    words = text_of(response.content)
    for expected in (
        "Số: GCN-TH-2024-0042",
        "Nước mắm Khúc Phụ",
        "Chủ tịch UBND tỉnh Thanh Hóa",
        "ĐẠT HẠNG 4 SAO",
    ):
        assert expected in words, (expected, words)
    assert "Quản trị" not in words  # the administrator recorded the import; the province signed it


async def test_a_certificate_printed_after_its_revocation_says_it_is_no_longer_in_force(
    api: Api, cast: Cast
) -> None:
    journey_id = await certified(cast, await cast.today())
    before = await api.http.get(f"/v1/journeys/{journey_id}/certificate.pdf")
    assert "KHÔNG CÒN HIỆU LỰC" not in text_of(before.content)
    conclusion = await upload_pdf(cast.provincial_officer, journey_id, "ket-luan")
    revocation = {"grounds": "Vi phạm an toàn thực phẩm", "ground": "c", "conclusion": conclusion}
    await cast.authority.act(journey_id, "revoke", {**revocation, "concluded_on": await cast.today()})

    after = await api.http.get(f"/v1/journeys/{journey_id}/certificate.pdf")
    assert after.status_code == 200, after.text
    words = text_of(after.content)
    day = "/".join(reversed((await cast.today()).split("-")))
    assert f"ĐÃ BỊ THU HỒI NGÀY {day} — GIẤY CHỨNG NHẬN KHÔNG CÒN HIỆU LỰC" in words
    first_page_png(after.content, "certificate-revoked")
    # A new issue (printed from one more event); the one issued before stays recorded.
    issues = await api.pool.fetch(
        "SELECT sha256 FROM issued_documents WHERE kind = 'certificate' ORDER BY issued_at"
    )
    assert [row["sha256"] for row in issues] == [
        before.headers["etag"].strip('"'),
        after.headers["etag"].strip('"'),
    ]


async def test_a_certificate_is_asked_by_its_number_and_an_unknown_number_is_not_found(
    api: Api, cast: Cast
) -> None:
    journey_id = await certified(cast, await cast.today())
    latest = await api.http.get(f"/v1/journeys/{journey_id}/certificate.pdf")
    number = text_of(latest.content).split("Số: ", 1)[1].split(" ", 1)[0]
    named = await api.http.get(f"/v1/journeys/{journey_id}/certificate.pdf", params={"number": number})
    assert named.content == latest.content
    unknown = await api.http.get(f"/v1/journeys/{journey_id}/certificate.pdf", params={"number": "999/X"})
    assert unknown.status_code == 404
    assert "no certificate numbered 999/X" in unknown.json()["detail"]
    decision = await cast.producer.get(f"/v1/journeys/{journey_id}/decision.pdf", number=number)
    assert decision.status_code == 200
