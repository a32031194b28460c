"""The four printed documents: what each holds (a model filled from the log by ``printed.sources``)
and how it is laid out.

- the recognition decision (Quyết định công nhận sản phẩm OCOP), with its list of products;
- the certificate (Giấy chứng nhận kết quả phân hạng sản phẩm OCOP), with a QR code to its
  public page;
- one member's filled scoresheet (Phiếu đánh giá, chấm điểm), laid out like Phụ lục II from the
  rows ``workflows.sheets.scorecard_rows`` gives;
- the round's minutes (Biên bản họp Hội đồng): the members present, each product's mean and rank.

Every value printed is in the model, and the model comes from the log (and the producers'
organisation names), so the same log gives the same document.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from printed import pdf
from printed.pdf import (
    CELL,
    CELL_BOLD,
    CELL_CENTER,
    CELL_RIGHT,
    CELL_SMALL,
    para,
    stars,
    text,
    vietnamese_date,
)
from workflows.sheets import SheetRow

NO_VALUE = "—"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


class Issuer(BaseModel):
    """Who issues a document: the body (its heading), where, and who signs for it."""

    model_config = ConfigDict(frozen=True)

    body: str  # "ỦY BAN NHÂN DÂN TỈNH THANH HÓA"
    place: str  # "Thanh Hóa": the place in the date line
    signer: str  # "CHỦ TỊCH"
    authority: str  # the recorded authority: "Chủ tịch UBND tỉnh Thanh Hóa"


class ProductLine(BaseModel):
    """One product of a recognition decision."""

    model_config = ConfigDict(frozen=True)

    product_name: str
    product_code: str | None
    producer: str
    stars: int
    certificate_number: str


class DecisionDocument(BaseModel):
    """Quyết định công nhận sản phẩm OCOP."""

    model_config = ConfigDict(frozen=True)

    decision_number: str
    decision_date: date
    issuer: Issuer
    legal_basis: str
    validity_months: int
    products: list[ProductLine]
    trace: str


class CertificateDocument(BaseModel):
    """Giấy chứng nhận kết quả phân hạng sản phẩm OCOP."""

    model_config = ConfigDict(frozen=True)

    certificate_number: str
    product_name: str
    product_code: str | None
    producer: str
    stars: int
    decision_number: str
    decision_date: date
    valid_until: date
    issuer: Issuer
    public_url: str
    trace: str
    no_longer_in_force: str | None = None  # "ĐÃ BỊ THU HỒI ngày …": what the log recorded after it


class ScoresheetDocument(BaseModel):
    """Phiếu đánh giá, chấm điểm of one voting member for one product."""

    model_config = ConfigDict(frozen=True)

    sheet_title: str
    council: str
    round_id: str
    product_name: str
    product_code: str | None
    producer: str
    member_id: str
    member_name: str | None
    seat: str
    amendments: int
    rows: list[SheetRow]
    trace: str


class MemberLine(BaseModel):
    """A seat of the council in the minutes, and whether its member took part."""

    model_config = ConfigDict(frozen=True)

    member_id: str
    name: str | None
    seat: str
    present: bool


class ResultLine(BaseModel):
    """A product in the minutes: its council mean, stars and rank (None: not finalized)."""

    model_config = ConfigDict(frozen=True)

    rank: int | None
    product_name: str
    product_code: str | None
    producer: str
    mean: Decimal | None
    stars: int | None
    outcome: str


class MinutesDocument(BaseModel):
    """Biên bản họp Hội đồng đánh giá, phân hạng sản phẩm OCOP of one round."""

    model_config = ConfigDict(frozen=True)

    round_name: str
    round_id: str
    council_name: str
    council_id: str
    meeting_date: date
    published_on: date
    members: list[MemberLine]
    results: list[ResultLine]
    trace: str


def _or_dash(value: str | None) -> str:
    return value if value else NO_VALUE


def _heading(issuer: Issuer, number_line: str, day: date, width: float) -> Table:
    """The two-column heading of an administrative document (Nghị định 30/2020): the body and the
    number on the left, the nation, its motto and the place and date on the right."""
    left = [
        para(text(issuer.body), pdf.style("h-body", 11, bold=True, align=TA_CENTER)),
        para("―――――", pdf.CENTER),
        para(text(number_line), pdf.style("h-number", 11, align=TA_CENTER)),
    ]
    right = [
        para(text(NATION), pdf.style("h-nation", 11, bold=True, align=TA_CENTER)),
        para(f"<u>{text(MOTTO)}</u>", pdf.style("h-motto", 11, bold=True, align=TA_CENTER)),
        para(text(f"{issuer.place}, {vietnamese_date(day)}"), pdf.style("h-date", 11, align=TA_CENTER)),
    ]
    table = Table([[left, right]], colWidths=[width * 0.42, width * 0.58])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _signature(issuer: Issuer, width: float) -> Table:
    block = [
        para(text(issuer.signer), pdf.CENTER_BOLD),
        Spacer(1, 18 * mm),
        para(text(issuer.authority), pdf.CENTER),
    ]
    table = Table([["", block]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _footer(trace: str) -> pdf.OnPage:
    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(pdf.SERIF, 7.5)
        page_width = doc.pagesize[0]
        canvas.drawString(doc.leftMargin, 10 * mm, pdf.nfc(trace))
        canvas.drawRightString(page_width - doc.rightMargin, 10 * mm, f"Trang {doc.page}")
        canvas.restoreState()

    return draw


def _grid(rows: Sequence[Sequence[Any]], widths: Sequence[float], header_rows: int = 1) -> Table:
    table = Table([list(row) for row in rows], colWidths=list(widths), repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.92, 0.92, 0.92)),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


# -- the recognition decision ---------------------------------------------------------------------


def decision_pdf(document: DecisionDocument) -> bytes:
    """Quyết định công nhận: heading, the authority's grounds, Article 1 with the list of products,
    Article 2 on the certificates' term, the signature."""
    width = A4[0] - 30 * mm
    issuer = document.issuer
    count = len(document.products)
    story: list[Flowable] = [
        _heading(issuer, f"Số: {document.decision_number}", document.decision_date, width),
        Spacer(1, 8 * mm),
        para("QUYẾT ĐỊNH", pdf.TITLE),
        para("Về việc công nhận sản phẩm đạt chuẩn OCOP", pdf.CENTER_BOLD),
        Spacer(1, 5 * mm),
        para(text(issuer.authority.upper()), pdf.CENTER_BOLD),
        Spacer(1, 4 * mm),
        para(text(f"Căn cứ {document.legal_basis};")),
        para(
            text(
                "Căn cứ kết quả đánh giá, phân hạng sản phẩm của Hội đồng đánh giá, phân hạng sản phẩm OCOP;"
            )
        ),
        Spacer(1, 3 * mm),
        para("QUYẾT ĐỊNH:", pdf.style("d-decides", 12, bold=True, align=TA_CENTER, space_after=6)),
        para(
            f"<b>Điều 1.</b> Công nhận {count} sản phẩm đạt chuẩn OCOP và cấp Giấy chứng nhận kết quả "
            "phân hạng sản phẩm OCOP cho các sản phẩm có tên trong danh sách sau:"
        ),
        Spacer(1, 2 * mm),
    ]
    rows: list[list[Any]] = [
        [
            para(label, CELL_BOLD)
            for label in ("STT", "Tên sản phẩm", "Mã sản phẩm", "Chủ thể", "Hạng", "Số GCN")
        ]
    ]
    for index, line in enumerate(document.products, start=1):
        rows.append(
            [
                para(str(index), CELL_CENTER),
                para(text(line.product_name), CELL),
                para(text(_or_dash(line.product_code)), CELL_SMALL),
                para(text(line.producer), CELL),
                para(f"{line.stars} sao<br/>{stars(line.stars)}", CELL_CENTER),
                para(text(line.certificate_number), CELL_SMALL),
            ]
        )
    story.append(_grid(rows, [12 * mm, 40 * mm, 35 * mm, 34 * mm, 17 * mm, width - 138 * mm]))
    story += [
        Spacer(1, 3 * mm),
        para(
            f"<b>Điều 2.</b> Giấy chứng nhận kết quả phân hạng sản phẩm OCOP có giá trị "
            f"{document.validity_months} tháng kể từ ngày ký Quyết định này."
        ),
        para(
            "<b>Điều 3.</b> Quyết định này có hiệu lực kể từ ngày ký. Các chủ thể có sản phẩm được công "
            "nhận và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này."
        ),
        Spacer(1, 6 * mm),
        KeepTogether([_signature(issuer, width)]),
    ]
    return pdf.render(
        story,
        title=f"Quyết định {document.decision_number}",
        subject="Quyết định công nhận sản phẩm OCOP",
        margins=15 * mm,
        on_page=_footer(document.trace),
    )


# -- the certificate ------------------------------------------------------------------------------


def _certificate_frame(canvas: Canvas, doc: Any) -> None:
    """A double frame around the page, as printed certificates have."""
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setStrokeColor(colors.Color(0.55, 0.1, 0.1))
    canvas.setLineWidth(3)
    canvas.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(11 * mm, 11 * mm, width - 22 * mm, height - 22 * mm)
    canvas.restoreState()


VOID = colors.Color(0.75, 0.05, 0.05)


def _void_mark(canvas: Canvas, doc: Any) -> None:
    """Across the page, for a certificate no longer in force: it cannot pass for one that is."""
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.75, 0.05, 0.05, alpha=0.18))
    canvas.setFont(pdf.SERIF_BOLD, 44)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(20)
    canvas.drawCentredString(0, -20, "KHÔNG CÒN HIỆU LỰC")
    canvas.restoreState()


def certificate_pdf(document: CertificateDocument) -> bytes:
    """Giấy chứng nhận (A4 landscape): the nation and the issuing body, the title and number, the
    product and its producer, the stars, the decision and the term; the QR code to its public page
    at the foot, beside the signature."""
    pagesize = landscape(A4)
    width = pagesize[0] - 40 * mm
    issuer = document.issuer
    label = pdf.style("c-label", 14, leading=19)
    value = pdf.style("c-value", 14, bold=True, leading=19)
    details = Table(
        [
            [para("Tên sản phẩm:", label), para(text(document.product_name), value)],
            [para("Mã sản phẩm:", label), para(text(_or_dash(document.product_code)), value)],
            [para("Chủ thể:", label), para(text(document.producer), value)],
            [
                para("Theo Quyết định:", label),
                para(
                    text(f"Số {document.decision_number}, {vietnamese_date(document.decision_date)}"),
                    pdf.style("c-value-plain", 14, leading=19),
                ),
            ],
            [
                para("Có giá trị đến:", label),
                para(text(pdf.short_date(document.valid_until)), value),
            ],
        ],
        colWidths=[48 * mm, width - 48 * mm - 40 * mm],
    )
    details.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)])
    )
    qr = [
        pdf.QrCode(document.public_url, 30 * mm),
        para("Tra cứu sản phẩm", pdf.style("c-qr", 8, align=TA_CENTER)),
    ]
    signature = [
        para(text(f"{issuer.place}, {vietnamese_date(document.decision_date)}"), pdf.CENTER),
        para(text(issuer.signer), pdf.CENTER_BOLD),
        Spacer(1, 12 * mm),
        para(text(issuer.authority), pdf.CENTER),
    ]
    foot = Table([[qr, "", signature]], colWidths=[40 * mm, width - 40 * mm - 100 * mm, 100 * mm])
    foot.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    header = Table(
        [
            [
                para(text(issuer.body), pdf.style("c-body", 11, bold=True, align=TA_CENTER)),
                [
                    para(text(NATION), pdf.style("c-nation", 11, bold=True, align=TA_CENTER)),
                    para(f"<u>{text(MOTTO)}</u>", pdf.style("c-motto", 11, bold=True, align=TA_CENTER)),
                ],
            ]
        ],
        colWidths=[width * 0.42, width * 0.58],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story: list[Flowable] = [
        header,
        Spacer(1, 7 * mm),
        para("GIẤY CHỨNG NHẬN", pdf.style("c-title", 26, bold=True, align=TA_CENTER, leading=32)),
        para("KẾT QUẢ PHÂN HẠNG SẢN PHẨM OCOP", pdf.style("c-subtitle", 16, bold=True, align=TA_CENTER)),
        para(text(f"Số: {document.certificate_number}"), pdf.style("c-number", 13, align=TA_CENTER)),
        Spacer(1, 6 * mm),
        details,
        Spacer(1, 4 * mm),
        para(
            f"ĐẠT HẠNG {document.stars} SAO&nbsp;&nbsp;{stars(document.stars)}",
            pdf.style("c-stars", 22, bold=True, align=TA_CENTER, leading=28),
        ),
        Spacer(1, 3 * mm),
        foot,
    ]
    if document.no_longer_in_force:
        notice = pdf.style("c-void", 14, bold=True, align=TA_CENTER, leading=18)
        notice.textColor = VOID
        story.insert(-2, para(text(document.no_longer_in_force), notice))

    def page(canvas: Canvas, doc: Any) -> None:
        _certificate_frame(canvas, doc)
        if document.no_longer_in_force:
            _void_mark(canvas, doc)
        _footer(document.trace)(canvas, doc)

    return pdf.render(
        story,
        title=f"Giấy chứng nhận {document.certificate_number}",
        subject="Giấy chứng nhận kết quả phân hạng sản phẩm OCOP",
        pagesize=pagesize,
        margins=20 * mm,
        on_page=page,
    )


# -- a member's scoresheet ------------------------------------------------------------------------


def _points(value: Decimal | None) -> str:
    return NO_VALUE if value is None else f"{value:.2f}".replace(".", ",")


def _sheet_line(row: SheetRow) -> list[Any]:
    indent = 4 * mm * row.depth
    if row.kind in ("part", "total"):
        label = text(f"{row.code}. {row.text}" if row.code else row.text)
        return [
            para(f"<b>{label}</b>", CELL),
            para(f"<b>{_points(row.max_points)}</b>", CELL_RIGHT),
            para(f"<b>{_points(row.points)}</b>", CELL_RIGHT),
        ]
    if row.kind == "option":
        mark = pdf.symbols("☑" if row.chosen else "☐")
        star = f" ({row.star_marker} {pdf.symbols('★')})" if row.star_marker else ""
        body = f"{mark} {text(row.text)}{star}"
        if row.chosen:
            body = f"<b>{body}</b>"
        return [
            para(body, pdf.style(f"o{row.depth}", 9, left_indent=indent)),
            para(_points(row.points), pdf.style("o-points", 9, align=TA_RIGHT)),
            "",
        ]
    if row.kind == "variant":
        mark = pdf.symbols("☑" if row.chosen else "☐")
        return [
            para(f"{mark} <i>{text(row.text)}</i>", pdf.style(f"v{row.depth}", 9, left_indent=indent)),
            "",
            "",
        ]
    label = text(f"{row.code} {row.text}" if row.code else row.text)
    scored = "Không áp dụng" if row.not_applicable else _points(row.points)
    bold = row.kind == "group"
    return [
        para(f"<b>{label}</b>" if bold else label, pdf.style(f"c{row.depth}{bold}", 10, left_indent=indent)),
        para(_points(row.max_points), CELL_RIGHT),
        para(f"<b>{text(scored)}</b>", CELL_RIGHT),
    ]


def scoresheet_pdf(document: ScoresheetDocument) -> bytes:
    """Phiếu đánh giá (Phụ lục II): who scored what, then the sheet line by line with the options
    (the chosen one ticked), each criterion's points and the parts' and total's sums."""
    width = A4[0] - 30 * mm
    member = document.member_name or document.member_id
    story: list[Flowable] = [
        para("PHIẾU ĐÁNH GIÁ, CHẤM ĐIỂM SẢN PHẨM OCOP", pdf.TITLE),
        para(text(document.sheet_title), pdf.CENTER),
        Spacer(1, 4 * mm),
        para(text(f"Hội đồng: {document.council} — Đợt: {document.round_id}"), pdf.BODY),
        para(text(f"Tên sản phẩm: {document.product_name}"), pdf.BODY),
        para(
            text(f"Mã sản phẩm: {_or_dash(document.product_code)} — Chủ thể: {document.producer}"), pdf.BODY
        ),
        para(text(f"Thành viên chấm: {member} ({document.seat})"), pdf.BODY),
    ]
    if document.amendments:
        story.append(
            para(text(f"Phiếu đã được sửa {document.amendments} lần; in bản cuối cùng."), pdf.BODY_SMALL)
        )
    story.append(Spacer(1, 3 * mm))
    rows: list[list[Any]] = [[para(label, CELL_BOLD) for label in ("Tiêu chí", "Điểm tối đa", "Điểm chấm")]]
    rows += [_sheet_line(row) for row in document.rows]
    story.append(_grid(rows, [width - 50 * mm, 25 * mm, 25 * mm]))
    story += [
        Spacer(1, 8 * mm),
        Table(
            [
                [
                    "",
                    [
                        para("THÀNH VIÊN HỘI ĐỒNG", pdf.CENTER_BOLD),
                        Spacer(1, 16 * mm),
                        para(text(member), pdf.CENTER),
                    ],
                ]
            ],
            colWidths=[width * 0.5, width * 0.5],
        ),
    ]
    return pdf.render(
        story,
        title=f"Phiếu chấm điểm — {document.product_name}",
        subject="Phiếu đánh giá, chấm điểm sản phẩm OCOP",
        margins=15 * mm,
        on_page=_footer(document.trace),
    )


# -- the round's minutes --------------------------------------------------------------------------


def minutes_pdf(document: MinutesDocument) -> bytes:
    """Biên bản: the round and its council, the seats with who took part, then the products by
    rank with their mean and stars."""
    width = A4[0] - 40 * mm
    present = sum(1 for member in document.members if member.present)
    story: list[Flowable] = [
        para(text(NATION), pdf.CENTER_BOLD),
        para(f"<u>{text(MOTTO)}</u>", pdf.CENTER_BOLD),
        Spacer(1, 6 * mm),
        para("BIÊN BẢN HỌP HỘI ĐỒNG", pdf.TITLE),
        para("ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP", pdf.CENTER_BOLD),
        para(text(f"{document.round_name} ({document.round_id})"), pdf.CENTER),
        Spacer(1, 5 * mm),
        para(text(f"Hội đồng: {document.council_name} ({document.council_id})")),
        para(
            text(
                f"Ngày họp: {pdf.short_date(document.meeting_date)}; công bố kết quả: "
                f"{pdf.short_date(document.published_on)}"
            )
        ),
        para(
            text(
                f"Thành viên tham dự: {present}/{len(document.members)} "
                "(thành viên đã nộp phiếu chấm được tính là có mặt)"
            )
        ),
        Spacer(1, 2 * mm),
    ]
    members: list[list[Any]] = [
        [para(label, CELL_BOLD) for label in ("STT", "Thành viên", "Vai trò", "Tham dự")]
    ]
    for index, member in enumerate(document.members, start=1):
        who = f"{member.name} ({member.member_id})" if member.name else member.member_id
        members.append(
            [
                para(str(index), CELL_CENTER),
                para(text(who), CELL),
                para(text(member.seat), CELL),
                para("Có mặt" if member.present else "Vắng", CELL_CENTER),
            ]
        )
    story.append(_grid(members, [12 * mm, width - 82 * mm, 40 * mm, 30 * mm]))
    story += [Spacer(1, 5 * mm), para("<b>Kết quả đánh giá, phân hạng</b>")]
    results: list[list[Any]] = [
        [
            para(label, CELL_BOLD)
            for label in ("Thứ hạng", "Tên sản phẩm", "Mã sản phẩm", "Chủ thể", "Điểm TB", "Hạng", "Kết quả")
        ]
    ]
    for line in document.results:
        results.append(
            [
                para(str(line.rank) if line.rank is not None else NO_VALUE, CELL_CENTER),
                para(text(line.product_name), CELL),
                para(text(_or_dash(line.product_code)), CELL_SMALL),
                para(text(line.producer), CELL_SMALL),
                para(_points(line.mean), CELL_RIGHT),
                para(f"{line.stars} {stars(line.stars)}" if line.stars else NO_VALUE, CELL_CENTER),
                para(text(line.outcome), CELL),
            ]
        )
    story.append(_grid(results, [15 * mm, 33 * mm, 34 * mm, 27 * mm, 16 * mm, 17 * mm, width - 142 * mm]))
    story += [
        Spacer(1, 8 * mm),
        Table(
            [[para("THƯ KÝ HỘI ĐỒNG", pdf.CENTER_BOLD), para("CHỦ TỊCH HỘI ĐỒNG", pdf.CENTER_BOLD)]],
            colWidths=[width * 0.5, width * 0.5],
        ),
    ]
    return pdf.render(
        story,
        title=f"Biên bản {document.round_name}",
        subject="Biên bản họp Hội đồng đánh giá, phân hạng sản phẩm OCOP",
        on_page=_footer(document.trace),
    )
