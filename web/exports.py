"""Files the pages export for spreadsheets (xuất tệp cho bảng tính): one rule keeps every cell text.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (CSV
injection; ``=cmd|' /C calc'!A0`` starts a program). It may also split a cell where the exporter
did not: a Vietnamese Excel separates list items with ``;``, another locale with ``,`` or a tab, so
``ok;=1+2`` can arrive as two cells, the second a formula. Spreadsheets also skip leading spaces and
read full-width signs (``＝``) as their ASCII forms.

So every export writes its cells through ``csv_text`` (and a future XLSX export through
``spreadsheet_cell``):

* every cell is quoted, so that no separator inside it starts a new cell in a reader that honours
  quotes, whichever separator it splits on (OWASP's advice);
* a cell that a spreadsheet could read as a formula, at its start or after any separator-like
  character, leading spaces, control or invisible characters skipped, gets a leading apostrophe
  ``'``, which spreadsheets take as "this is text". The rest of the text is kept as it was (the
  JSON export stays exact).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from typing import Any

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
