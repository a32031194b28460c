"""Files the pages export for spreadsheets (xuất tệp cho bảng tính): one rule keeps every cell text.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (CSV
injection; ``=cmd|' /C calc'!A0`` starts a program). It may also split a cell where the exporter
did not: a Vietnamese Excel separates list items with ``;``, another locale with ``,`` or a tab, so
``ok;=1+2`` can arrive as two cells, the second a formula. Spreadsheets also skip leading spaces and
read full-width signs (``＝``) as their ASCII forms.

So every export writes its cells through ``csv_text`` (and the workbooks through
``spreadsheet_cell``):

* every cell is quoted, so that no separator inside it starts a new cell in a reader that honours
  quotes, whichever separator it splits on (OWASP's advice);
* a cell that a spreadsheet could read as a formula, at its start or after any separator-like
  character, leading spaces, control or invisible characters skipped, gets a leading apostrophe
  ``'``, which spreadsheets take as "this is text". The rest of the text is kept as it was (the
  JSON export stays exact).
"""

from __future__ import annotations

import asyncio
import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Path, Query, Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from api.errors import NotFound
from api.services import plans, rounds
from schemas.errors import DomainError
from schemas.journey import Status
from web.board import BoardId
from web.i18n import stars_text
from web.pages import SECURITY_HEADERS, SignedIn, page_router
from web.reads import every_scoped_journey
from web.reports import goal_amount, goal_what
from web.statistics import filters_of, read_statistics, statistics_labels
from workflows import places
from workflows.calendar import VIETNAM

# Signs a spreadsheet reads as the start of a formula, with the full-width (U+FF0B…) and small
# (U+FE62…) forms it may fold to them, and the minus sign.
FORMULA_SIGNS = frozenset("=+-@＝＋－＠﹦﹢﹣﹫−")
# Characters after which a spreadsheet may start a new cell (a list separator of some locale or
# import setting, a line break, a pipe) or a quoted part.
SEPARATORS = frozenset(",;\t\r\n|\"'，；")
# Unicode categories a reader may skip before a sign: control, invisible format (zero-width space,
# byte-order mark, direction marks), space and line/paragraph separators.
_SKIPPED = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def _skipped(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in _SKIPPED


def _formula_in(text: str) -> bool:
    if text[:1] and unicodedata.category(text[0]) == "Cc":
        return True  # a tab, a line break or another control first: some readers start a formula
    at_cell_start = True  # at the text's start or after a separator, skipping what a reader skips
    for char in text:
        if at_cell_start and not _skipped(char):
            if char in FORMULA_SIGNS:
                return True
            at_cell_start = False
        if char in SEPARATORS:
            at_cell_start = True
    return False


def could_be_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text``, or a part of it split off at a separator, as a
    formula; also once compatibility forms are folded (NFKC: ``＝`` is ``=``), as readers may."""
    return _formula_in(text) or _formula_in(unicodedata.normalize("NFKC", text))


def spreadsheet_cell(value: Any) -> str:
    """A value as a cell's text that no spreadsheet runs: ``'`` before it if it could be a formula."""
    text = "" if value is None else str(value)
    return "'" + text if could_be_formula(text) else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A CSV file (RFC 4180 line ends, every cell quoted and neutralized), with a byte-order mark so
    that spreadsheets read the Vietnamese text as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([spreadsheet_cell(name) for name in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(value) for value in row])
    return "\ufeff" + out.getvalue()


# -- workbooks (tệp Excel) officers report in ---------------------------------------------------
#
# Each is the page's own read (the API's route functions, with their access checks) written as one
# sheet: a header row in the reader's language, then a row per line; numbers are numbers, days are
# dates (dd/mm/yyyy), moments are Vietnam's local time; text cells are neutralized as the CSV's.

router = page_router()  # this module's pages; web/__init__.py includes them

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY_FORMAT = "DD/MM/YYYY"
MOMENT_FORMAT = "DD/MM/YYYY HH:MM"
SCORE_FORMAT = "0.00"
# The most journeys one workbook lists (the journeys page's filter narrows it).
JOURNEYS_CAP = 20_000


def workbook_cell(value: Any) -> Any:
    """A value as a workbook cell: numbers and dates as themselves (a moment as Vietnam's local time,
    which a spreadsheet cannot hold with its zone), text neutralized as the CSV's."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, datetime):
        return value.astimezone(VIETNAM).replace(tzinfo=None)
    if isinstance(value, int | float | Decimal | date):
        return value
    return spreadsheet_cell(value)


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its title, its header row and its rows."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an xlsx workbook: a bold, frozen header row; days and scores formatted."""
    book = Workbook()
    for index, sheet in enumerate(sheets):
        ws = book.worksheets[0] if index == 0 else book.create_sheet()
        ws.title = spreadsheet_cell(sheet.title)[:31]
        ws.append([spreadsheet_cell(name) for name in sheet.header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for row in sheet.rows:
            ws.append([workbook_cell(value) for value in row])
        for column in ws.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, datetime):
                    cell.number_format = MOMENT_FORMAT
                elif isinstance(cell.value, date):
                    cell.number_format = DAY_FORMAT
                elif isinstance(cell.value, Decimal | float):
                    cell.number_format = SCORE_FORMAT
        for index, name in enumerate(sheet.header, start=1):
            width = max([len(name), *(len(str(row[index - 1] or "")) for row in sheet.rows[:200])])
            ws.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def workbook(filename: str, sheets: Sequence[Sheet]) -> Response:
    """The workbook as a download (written off the event loop: a large one takes a while)."""
    body = await asyncio.to_thread(xlsx_bytes, sheets)
    headers = {
        **SECURITY_HEADERS,
        "Cache-Control": "no-store",
        "Content-Disposition": f'attachment; filename="{filename}"',
    }
    return Response(body, media_type=XLSX_TYPE, headers=headers)


def _place(name: Any, code: int | None) -> str:
    if code is None:
        return ""
    try:
        return str(name(code))
    except DomainError:
        return str(code)


def _file_part(text: str) -> str:
    """A piece of a file name: letters, digits, '-' and '_' only."""
    return "".join(char if char.isascii() and (char.isalnum() or char in "-_") else "-" for char in text)


# Statuses in which a round's next step for the product is still to come (web/reports.py's rule).
STILL_PENDING = frozenset(
    {Status.AWAITING_ROUND, Status.IN_EVALUATION, Status.AWAITING_RECOGNITION, Status.AWAITING_APPROVAL}
)


@router.get("/rounds/{round_id:path}/results.xlsx")
async def round_results_xlsx(round_id: BoardId, page: SignedIn) -> Response:
    """The round's results as ``GET /v1/rounds/{id}/results`` answers them, one product a row, with
    where each journey stands now (as the results page shows it)."""
    t = page.t
    state = await rounds.round_for(page.engine, page.me, round_id)
    results = await rounds.results(page.engine, page.me, round_id)
    current = {
        journey.journey_id: journey
        for wanted in ({"results": [{"round_id": round_id}]}, {"round_id": round_id})
        for journey in await every_scoped_journey(page, wanted)
    }
    rows = []
    for number, row in enumerate(results.rows, start=1):
        journey = current.get(row.journey_id)
        status = journey.status if journey is not None else None
        rows.append(
            [
                number,
                row.product_name,
                row.journey_id,
                _place(places.commune_name, journey.commune_code) if journey is not None else "",
                row.mean,
                row.stars,
                t.next_step(row.next_step),
                t.code("status", status) if status is not None else "",
            ]
        )
    header = [
        t("xlsx.number"),
        t("common.product"),
        t("common.journey"),
        t("xlsx.commune"),
        t("common.mean"),
        t("common.stars"),
        t("results.next"),
        t("xlsx.status_now"),
    ]
    about = Sheet(
        t("xlsx.about"),
        [t("xlsx.item"), t("xlsx.value")],
        [
            [t("common.round"), state.name],
            [t("common.council"), state.council.name],
            [t("xlsx.cut_off"), state.cut_off],
            [t("xlsx.meeting"), state.meeting_date],
            [t("common.status"), t.code("round", state.status)],
            [t("rounds.products"), len(rows)],
        ],
    )
    sheets = [Sheet(t("xlsx.results"), header, rows), about]
    return await workbook(f"ket-qua-{_file_part(round_id)}.xlsx", sheets)


@router.get("/plans/{province_code}/{year}/progress.xlsx")
async def plan_progress_xlsx(
    province_code: Annotated[int, Path(ge=1, le=999)],
    year: Annotated[int, Path(ge=2018, le=2100)],
    page: SignedIn,
) -> Response:
    """The plan's progress as ``GET /v1/plans/{province}/{year}/progress`` answers it: a row per
    star rank and the total, then a sheet of the plan's goals as written."""
    t = page.t
    try:
        places.province_name(province_code)
    except DomainError:
        raise NotFound(f"no province {province_code}") from None
    progress = await plans.plan_progress(page.engine, page.me, province_code, year)
    rows: list[list[Any]] = [
        [stars_text(p.stars), p.stars, p.target, p.new, p.upgrade, p.re_evaluation, p.remaining]
        for p in progress.by_star
    ]
    rows.append(
        [
            t("plan.total"),
            None,
            progress.total_target,
            progress.total_new,
            None,
            None,
            progress.total_remaining,
        ]
    )
    header = [
        t("common.stars"),
        t("xlsx.star_count"),
        t("plan.target"),
        t("plan.new"),
        t("plan.upgrade"),
        t("plan.re_evaluation"),
        t("plan.remaining"),
    ]
    sheets = [Sheet(t("xlsx.by_star"), header, rows)]
    if progress.goals:
        goals = [
            [
                goal_what(row.goal, t),
                goal_amount(row.goal, t),
                row.achieved,
                row.remaining,
                t.code("goal.status", row.status),
            ]
            for row in progress.goals
        ]
        goal_header = [
            t("plan.goal"),
            t("plan.target"),
            t("plan.achieved"),
            t("plan.remaining"),
            t("plan.status"),
        ]
        sheets.append(Sheet(t("plan.goals"), goal_header, goals))
    return await workbook(f"ke-hoach-{province_code}-{year}.xlsx", sheets)


Param = Annotated[str | None, Query(max_length=10)]


@router.get("/statistics.xlsx")
async def statistics_xlsx(page: SignedIn, province: Param = None, year: Param = None) -> Response:
    """The statistics page's counts (``store.reports.statistics`` by commune and product set), a
    row per province, commune, level, star, product group and set, year and kind."""
    t = page.t
    filters = filters_of(page, province, year)
    rows = await read_statistics(page, filters)
    labels = statistics_labels(t)
    lines = [
        [
            _place(places.province_name, row.province_code),
            _place(places.commune_name, row.commune_code),
            t.code("level", row.level),
            row.stars,
            labels.group(row.product_group),
            labels.product_set(row.product_set),
            row.year,
            t.code("variant", row.kind),
            row.recognitions,
        ]
        for row in rows
    ]
    header = [
        t("stats.province"),
        t("xlsx.commune"),
        t("common.level"),
        t("common.stars"),
        t("registry.product_group"),
        t("registry.product_set"),
        t("stats.year"),
        t("stats.kind"),
        t("stats.recognitions"),
    ]
    where = str(filters.province) if filters.province is not None else "ca-nuoc"
    when = f"-{filters.year}" if filters.year is not None else ""
    return await workbook(f"thong-ke-{where}{when}.xlsx", [Sheet(t("stats.sheet"), header, lines)])


@router.get("/journeys.xlsx")
async def journeys_xlsx(
    page: SignedIn, state: Annotated[str | None, Query(max_length=40)] = None
) -> Response:
    """The journeys the reader may list (``GET /v1/journeys``' scope), of one status or all."""
    t = page.t
    status = Status(state) if state in {s.value for s in Status} else None
    wanted = {"status": status.value} if status is not None else {}
    journeys = await every_scoped_journey(page, wanted, cap=JOURNEYS_CAP)
    rows = [
        [
            journey.journey_id,
            journey.product_name,
            journey.product_code,
            _place(places.province_name, journey.province_code),
            _place(places.commune_name, journey.commune_code),
            t.code("status", journey.status),
            t.code("level", journey.level) if journey.level is not None else None,
            journey.stars,
            journey.certificate_in_force.valid_until if journey.certificate_in_force is not None else None,
            journey.updated_at,
        ]
        for journey in journeys
    ]
    header = [
        t("common.journey"),
        t("common.product"),
        t("registry.product_code"),
        t("stats.province"),
        t("xlsx.commune"),
        t("common.status"),
        t("common.level"),
        t("common.stars"),
        t("xlsx.valid_until"),
        t("common.updated"),
    ]
    name = f"hanh-trinh-{status.value}.xlsx" if status is not None else "hanh-trinh.xlsx"
    return await workbook(name, [Sheet(t("journeys.title"), header, rows)])
