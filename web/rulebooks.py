"""The rulebooks the engine ships (bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm OCOP), read
only: the list with the dates each was in force and the one in force today, and each rulebook's data
in the reader's words: rank bands, the scorecard's parts, the councils' levels, the time limits, the
calendar, the passage from older rulebooks, re-evaluation, revocation, inspection, the dossier's
contents and, where it scores by option, its sheets (Phụ lục II) by product set.

The data is ``schemas.rulebooks.RULEBOOKS``, exactly what the engine decides with; nothing here
restates a rule. It is the law the engine applies, so every signed-in reader may read it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from fastapi import Response

from api.errors import NotFound
from schemas.rulebook import DeadlineRule, Rulebook
from schemas.rulebooks import CURRENT, RULEBOOKS
from schemas.scorecard import PRODUCT_SETS, SHEETS, ScorecardSheet
from web.pages import SignedIn, page_router
from workflows.calendar import local_date

router = page_router()  # this module's pages; web/__init__.py includes them


def number_text(value: Decimal | int, lang: str) -> str:
    """A rule's number as written: no trailing zeros, a decimal comma in Vietnamese (49,5)."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",") if lang == "vi" else text


def _sheets_of(book: Rulebook) -> list[ScorecardSheet]:
    """The rulebook's sheets by product set, in the order of Phụ lục II (none for a flat one)."""
    if book.scorecard_sheet is None:
        return []
    return sorted(SHEETS.get(book.scorecard_sheet, {}).values(), key=lambda sheet: sheet.set_no or 0)


@router.get("/rulebooks")
async def rulebooks_page(page: SignedIn) -> Response:
    """Every shipped rulebook, newest first, with the one in force today marked."""
    today = CURRENT.in_force(local_date(datetime.now(UTC)))
    books = sorted(RULEBOOKS.values(), key=lambda book: book.in_force_from, reverse=True)
    return page.render("rulebooks.html", books=books, in_force=today.id)


@router.get("/rulebooks/{rulebook_id}")
async def rulebook_page(page: SignedIn, rulebook_id: str) -> Response:
    """One rulebook's data, read only."""
    book = RULEBOOKS.get(rulebook_id)
    if book is None:
        raise NotFound(f"no rulebook {rulebook_id}")
    t = page.t

    def limit(rule: DeadlineRule) -> str:
        return t(f"rulebook.unit.{rule.unit.value}", n=rule.amount)

    sets = PRODUCT_SETS.get(book.scorecard_sheet or "")
    return page.render(
        "rulebook.html",
        book=book,
        in_force=CURRENT.in_force(local_date(datetime.now(UTC))).id == book.id,
        number=lambda value: number_text(value, t.lang),
        limit=limit,
        sheets=_sheets_of(book),
        set_names={item.code: item.name_vi for item in sets.sets} if sets is not None else {},
    )
