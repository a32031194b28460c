"""The printed documents as PDFs, without the engine: the same content gives the same bytes (in
this process and in a fresh one), Vietnamese text comes back from the PDF letter for letter with
the DejaVu fonts embedded, and a member's sheet of Phụ lục II prints every criterion with its
options, the chosen one ticked."""

from __future__ import annotations

import io
import subprocess
import sys
import unicodedata
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from pypdf import PdfReader

from printed import sources
from printed.documents import (
    CertificateDocument,
    DecisionDocument,
    Issuer,
    MemberLine,
    MinutesDocument,
    ProductLine,
    ResultLine,
    ScoresheetDocument,
    certificate_pdf,
    decision_pdf,
    minutes_pdf,
    scoresheet_pdf,
)
from printed.sources import _ranks, issuer_of
from schemas.api import best_sheet_choices
from schemas.commands import Command
from schemas.events import JourneyEvent, event_data
from schemas.log import Actor, EventMetadata, NewEvent, StreamRef
from schemas.rulebook import Level
from schemas.rulebooks import get_rulebook
from schemas.scorecard import Choice, sheet_for
from store import EventStore
from tests.recognitions import PureJourney, imported, reapplied
from workflows.sheets import score_sheet, sheet_rows

ROOT = Path(__file__).resolve().parent.parent
ISSUER = Issuer(
    body="ỦY BAN NHÂN DÂN TỈNH THANH HÓA",
    place="Thanh Hóa",
    signer="CHỦ TỊCH",
    authority="Chủ tịch UBND tỉnh Thanh Hóa",
)
# Letters with two marks each (ắ ệ ỹ ữ ợ ẫ): the ones that go wrong first.
NAME = "Mắm tép Hà Yên — Nghệ, Quỳnh, Đặng, Sữa, Gạo nếp, Lẫy"
CERTIFICATE = CertificateDocument(
    certificate_number="001/2026/GCN-OCOP-38",
    product_name=NAME,
    product_code="38-14797-001-2026",
    producer="HTX Nông nghiệp Hạc Thành",
    stars=4,
    decision_number="15/QĐ-UBND",
    decision_date=date(2026, 12, 2),
    valid_until=date(2029, 12, 1),
    issuer=ISSUER,
    public_url="http://127.0.0.1:8000/registry/products/J-1",
    trace="In từ nhật ký OCOP · journey:J-1 · phiên bản 17 · #0123456789ab",
)


def words(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    found: set[str] = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            found.add(str(font.get_object()["/BaseFont"]))
    return found


def test_the_same_certificate_is_the_same_bytes_here_and_in_another_process() -> None:
    first = certificate_pdf(CERTIFICATE)
    assert certificate_pdf(CERTIFICATE) == first
    script = (
        "import sys; from printed.documents import CertificateDocument, certificate_pdf; "
        "sys.stdout.buffer.write(certificate_pdf(CertificateDocument.model_validate_json(sys.argv[1])))"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", script, CERTIFICATE.model_dump_json()],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    assert fresh == first
    assert certificate_pdf(CERTIFICATE.model_copy(update={"stars": 5})) != first


def test_vietnamese_text_comes_back_letter_for_letter_from_embedded_dejavu() -> None:
    decomposed = CERTIFICATE.model_copy(update={"product_name": unicodedata.normalize("NFD", NAME)})
    pdf = certificate_pdf(decomposed)
    assert NAME in words(pdf)  # printed as one precomposed letter each (NFC)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    embedded = fonts(pdf)
    assert any(name.endswith("DejaVuSerif") for name in embedded), embedded
    assert any(name.endswith("DejaVuSans") for name in embedded), embedded  # ★ comes from the sans
    assert "★★★★" in words(pdf)


def test_the_decision_and_the_minutes_print_their_lists() -> None:
    decision = DecisionDocument(
        decision_number="15/QĐ-UBND",
        decision_date=date(2026, 12, 2),
        issuer=ISSUER,
        legal_basis="Quyết định 26/2026/QĐ-TTg",
        validity_months=36,
        products=[
            ProductLine(
                product_name=NAME,
                product_code=None,
                producer="producer-1",
                stars=3,
                certificate_number="002/2026/X",
            )
        ],
        trace="In từ nhật ký OCOP",
    )
    text = words(decision_pdf(decision))
    assert "Công nhận 1 sản phẩm đạt chuẩn OCOP" in text
    assert NAME in text
    assert "— producer-1" in text  # no product code yet: a dash
    minutes = MinutesDocument(
        round_name="Đợt 1/2026",
        round_id="R-1",
        council_name="Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa",
        council_id="HD-TH",
        meeting_date=date(2026, 6, 20),
        published_on=date(2026, 6, 25),
        members=[
            MemberLine(member_id="m1", name=None, seat="Chủ tịch", present=True),
            MemberLine(member_id="m2", name=None, seat="Ủy viên", present=False),
        ],
        results=[
            ResultLine(
                rank=1,
                product_name=NAME,
                product_code=None,
                producer="p",
                mean=Decimal("91.5"),
                stars=5,
                outcome="Đề nghị công nhận",
            ),
            ResultLine(
                rank=None,
                product_name="Chè lam",
                product_code=None,
                producer="p",
                mean=None,
                stars=None,
                outcome="Chưa có kết quả",
            ),
        ],
        trace="In từ nhật ký OCOP",
    )
    text = words(minutes_pdf(minutes))
    assert "Thành viên tham dự: 1/2" in text
    assert "m1 Chủ tịch Có mặt" in text
    assert "m2 Ủy viên Vắng" in text
    assert "91,50" in text
    assert "Chè lam" in text


def test_a_sheet_of_phu_luc_ii_prints_every_criterion_and_ticks_the_chosen_option() -> None:
    rulebook = get_rulebook("qd26-2026")
    sheet = sheet_for(rulebook, "I.1.a")
    choices = {
        code: Choice.model_validate(choice)
        for code, choice in best_sheet_choices(rulebook.id, "I.1.a").items()
    }
    score = score_sheet(sheet, choices, rulebook)
    document = ScoresheetDocument(
        sheet_title=sheet.name,
        council="HD-TH-2026",
        round_id="R-1",
        product_name=NAME,
        product_code="38-14797-001-2026",
        producer="HTX Nông nghiệp Hạc Thành",
        member_id="HD-TH-2026-m3",
        member_name=None,
        seat="Ủy viên",
        amendments=1,
        rows=sheet_rows(sheet, score, choices),
        trace="In từ nhật ký OCOP",
    )
    pdf = scoresheet_pdf(document)
    text = words(pdf)
    assert scoresheet_pdf(document) == pdf
    assert "Phiếu đã được sửa 1 lần" in text
    for criterion in sheet.criteria:
        assert " ".join(criterion.label.split())[:40] in text, criterion.code
    assert f"Tổng điểm 100,00 {score.total:.2f}".replace(".", ",") in text
    assert text.count("☑") >= len(sheet.criteria)  # one ticked option per criterion answered
    assert "☐" in text
    Path("/tmp/cert_png").mkdir(exist_ok=True)
    Path("/tmp/cert_png/scoresheet-qd26-I.1.a.pdf").write_bytes(pdf)


def test_each_level_issues_from_its_own_body_and_signer() -> None:
    province = issuer_of(Level.PROVINCE, 38, None, None)
    assert (province.body, province.place, province.signer, province.authority) == (
        "ỦY BAN NHÂN DÂN TỈNH THANH HÓA",
        "Thanh Hóa",
        "CHỦ TỊCH",
        "Chủ tịch UBND tỉnh Thanh Hóa",
    )
    city = issuer_of(Level.PROVINCE, 1, None, "Chủ tịch UBND Thành phố Hà Nội")
    assert (city.body, city.place, city.authority) == (
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
        "Hà Nội",
        "Chủ tịch UBND Thành phố Hà Nội",
    )
    ministry = issuer_of(Level.CENTRAL, 38, None, None)
    assert (ministry.body, ministry.place, ministry.signer) == (
        "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        "Hà Nội",
        "BỘ TRƯỞNG",
    )
    district = issuer_of(Level.DISTRICT, 38, "Huyện Thọ Xuân", None)
    assert (district.body, district.authority) == (
        "ỦY BAN NHÂN DÂN HUYỆN THỌ XUÂN",
        "Chủ tịch UBND Huyện Thọ Xuân",
    )


def test_the_minutes_rank_by_mean_and_equal_means_share_a_rank() -> None:
    means = [Decimal("80.00"), None, Decimal("91.50"), Decimal("80.00"), Decimal("60.25")]
    assert _ranks(means) == [2, None, 1, 2, 4]


async def test_an_older_certificate_prints_by_its_number_and_says_what_replaced_it(
    store_pool: asyncpg.Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A 3★ certificate imported, then upgraded to 4★ in 2025 (the same rules as the workflow, pure),
    # its events written to the log as the recording activity would.
    recorded: list[JourneyEvent] = []
    run = PureJourney.run

    def keep(self: PureJourney, command: Command) -> list[JourneyEvent]:
        events = run(self, command)
        recorded.extend(events)
        return events

    monkeypatch.setattr(PureJourney, "run", keep)
    driver = reapplied(
        imported("U-3TO4", 3, date(2023, 5, 10), "qd148-2023", today=date(2025, 8, 1)),
        upgrade=True, applied=date(2025, 8, 4), total="80", decided=date(2025, 9, 20),
    )  # fmt: skip
    store = EventStore(store_pool)
    stream = StreamRef(type="journey", id="U-3TO4")
    actor = Actor(id="system", role="system")
    for version, event in enumerate(recorded):
        new = NewEvent(
            event_id=uuid.uuid4(),
            type=event.type,
            data=event_data(event),
            metadata=EventMetadata(actor=actor),
        )
        await store.append(stream, version, [new], f"U-3TO4/{version}")
    old, new_number = driver.journey.past_certificates[0].number, driver.journey.certificate
    assert new_number is not None

    latest = await sources.certificate(store, "U-3TO4")
    assert f"Số: {new_number.number}" in words(latest.content)
    assert "KHÔNG CÒN HIỆU LỰC" not in words(latest.content)
    former = await sources.certificate(store, "U-3TO4", number=old)
    text = words(former.content)
    assert f"Số: {old}" in text
    assert "ĐẠT HẠNG 3 SAO" in text
    assert f"ĐÃ ĐƯỢC THAY THẾ BỞI GIẤY CHỨNG NHẬN SỐ {new_number.number}" in text
    with pytest.raises(sources.NothingToPrint):
        await sources.certificate(store, "U-3TO4", number="no-such-number")
    decision = await sources.decision(store, "U-3TO4")
    assert "Công nhận 1 sản phẩm" in words(decision.content)
    with pytest.raises(sources.NothingToPrint):  # an imported certificate's decision predates the engine
        await sources.decision(store, "U-3TO4", number=old)
