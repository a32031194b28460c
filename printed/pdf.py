"""The PDF layer (reportlab): fonts with every Vietnamese glyph, the styles of an administrative
document, a QR code drawn as vectors, and a renderer whose output depends on nothing but its input.

reportlab, not WeasyPrint: it is pure Python with no system libraries beyond the font files, and
with ``invariant=1`` it writes no creation time and no random document id, so the same content is
the same bytes (printed documents are hashed when issued, and every re-render is checked against
that hash). The fonts are DejaVu Serif (text) and DejaVu Sans (★, ☑, ☐, which the serif lacks),
from Debian's ``fonts-dejavu-core``, embedded as subsets; text is NFC-normalized so that every
Vietnamese letter is one precomposed glyph (combining marks would stack badly).
"""

from __future__ import annotations

import asyncio
import io
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar
from xml.sax.saxutils import escape

import segno
from pydantic import BaseModel
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SERIF, SERIF_BOLD, SANS = "DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSans"
_FILES = {SERIF: "DejaVuSerif.ttf", SERIF_BOLD: "DejaVuSerif-Bold.ttf", SANS: "DejaVuSans.ttf"}
PRODUCER = "OCOP evaluation engine"
# reportlab keeps fonts and their subsets in process-wide state: one document is laid out at a time.
_LAYOUT = threading.Lock()
M = TypeVar("M", bound=BaseModel)

OnPage = Callable[[Canvas, Any], None]
Alignment = Literal[0, 1, 2, 4]  # TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY


class FontsMissing(RuntimeError):
    """The DejaVu fonts are not installed (Debian: ``apt-get install fonts-dejavu-core``)."""


@cache
def register_fonts() -> None:
    """Register the fonts once per process (reportlab keeps a global registry)."""
    for name, file in _FILES.items():
        path = FONT_DIR / file
        if not path.exists():
            raise FontsMissing(f"{path} is missing: install Debian's fonts-dejavu-core")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF, boldItalic=SERIF_BOLD)


def nfc(text: str) -> str:
    """Text as one precomposed glyph per letter."""
    return unicodedata.normalize("NFC", text)


def text(value: str) -> str:
    """Plain text made safe for a Paragraph's mark-up."""
    return escape(nfc(value))


def symbols(value: str) -> str:
    """Symbols the serif lacks (★ ☑ ☐), set in the sans."""
    return f'<font name="{SANS}">{escape(value)}</font>'


def stars(count: int) -> str:
    return symbols("★" * count)


def vietnamese_date(day: date) -> str:
    """ "ngày 02 tháng 12 năm 2026", as an administrative document writes it."""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def short_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def style(
    name: str,
    size: float = 12,
    *,
    bold: bool = False,
    align: Alignment = TA_LEFT,
    leading: float | None = None,
    space_after: float = 0,
    left_indent: float = 0,
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=SERIF_BOLD if bold else SERIF,
        fontSize=size,
        leading=leading or size * 1.3,
        alignment=align,
        spaceAfter=space_after,
        leftIndent=left_indent,
    )


BODY = style("body", 12, space_after=4)
BODY_SMALL = style("body-small", 10)
CELL = style("cell", 10)
CELL_SMALL = style("cell-small", 8.5)
CELL_BOLD = style("cell-bold", 9, bold=True)
CELL_CENTER = style("cell-center", 10, align=TA_CENTER)
CELL_RIGHT = style("cell-right", 10, align=TA_RIGHT)
CENTER = style("center", 12, align=TA_CENTER)
CENTER_BOLD = style("center-bold", 12, bold=True, align=TA_CENTER)
TITLE = style("title", 15, bold=True, align=TA_CENTER, space_after=2)
FOOTNOTE = style("footnote", 8, align=TA_LEFT)


def para(value: str, paragraph_style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of mark-up (callers escape their text with ``text``)."""
    register_fonts()  # a paragraph measures its text with the fonts when it is made
    return Paragraph(value, paragraph_style)


class QrCode(Flowable):
    """A QR code drawn as filled squares (vectors: sharp at any size, and no image to embed)."""

    def __init__(self, content: str, size: float = 32 * mm) -> None:
        super().__init__()
        self.content = content
        self.size = size
        self._matrix = [list(row) for row in segno.make(content, error="m", micro=False).matrix]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        quiet = 4  # the quiet zone the standard asks for, in modules
        count = len(self._matrix) + 2 * quiet
        module = self.size / count
        canvas = self.canv
        canvas.setFillColorRGB(1, 1, 1)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        for y, row in enumerate(self._matrix):
            top = self.size - (y + quiet + 1) * module
            x = 0
            while x < len(row):  # one rectangle per run of dark modules in the row
                if not row[x]:
                    x += 1
                    continue
                start = x
                while x < len(row) and row[x]:
                    x += 1
                canvas.rect((start + quiet) * module, top, (x - start) * module, module, stroke=0, fill=1)


def render(
    flowables: Sequence[Flowable],
    *,
    title: str,
    subject: str,
    pagesize: tuple[float, float] = A4,
    margins: float = 20 * mm,
    on_page: OnPage | None = None,
) -> bytes:
    """The document's bytes: the same flowables always give the same bytes (``invariant``)."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=margins,
        rightMargin=margins,
        topMargin=margins,
        bottomMargin=margins,
        title=nfc(title),
        subject=nfc(subject),
        author=PRODUCER,
        creator=PRODUCER,
        producer=PRODUCER,
        invariant=1,
        pageCompression=1,
        lang="vi",
    )

    def page(canvas: Canvas, doc: Any) -> None:
        if on_page is not None:
            on_page(canvas, doc)

    document.build(list(flowables), onFirstPage=page, onLaterPages=page)
    return buffer.getvalue()


# Documents laid out lately, by what they were drawn from: the same model always gives the same
# bytes (tests/test_certificate_documents.py), so a document downloaded again is checked against
# its issued hash without laying it out again; a changed model (a changed log) is laid out anew.
_RECENT: OrderedDict[tuple[str, str], bytes] = OrderedDict()
RECENT_DOCUMENTS = 128


def _laid_out(draw: Callable[[M], bytes], model: M) -> bytes:
    key = (draw.__qualname__, model.model_dump_json())
    with _LAYOUT:
        content = _RECENT.get(key)
        if content is None:
            content = draw(model)
            _RECENT[key] = content
            while len(_RECENT) > RECENT_DOCUMENTS:
                _RECENT.popitem(last=False)
        else:
            _RECENT.move_to_end(key)
        return content


async def lay_out(draw: Callable[[M], bytes], model: M) -> bytes:
    """``draw(model)`` in a worker thread, one document at a time: a page being laid out never
    holds up the API's event loop."""
    return await asyncio.to_thread(_laid_out, draw, model)
