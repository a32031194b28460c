"""Exports a spreadsheet opens: no cell of them runs as a formula, and every text stays as recorded.

The rule (``web.exports``) is checked three ways: on the concrete cases the black-box run found and
their neighbours; by hypothesis against a second, independent statement of the danger (split the
text at every separator, skip what a reader skips, fold full-width forms: does a piece start with a
formula sign?); and end to end: the journey's history, with hostile texts recorded through the API,
exported over HTTP and opened by LibreOffice Calc with formulas evaluated and ``,``, ``;`` and tab
all taken as separators (a Vietnamese Excel splits on ``;``).
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import shutil
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.api.cast import IDEA, make_cast
from tests.api.harness import Api
from tests.web.test_http import Visitor
from web.exports import csv_text, spreadsheet_cell

# -- the rule, on the cases found and their neighbours ----------------------------------------

DANGEROUS = [
    "=1+2",
    "+1+2",
    "-1+2",
    "@SUM(A1:A2)",
    "ok;=1+2",  # found: a formula after a separator
    "x;=cmd|' /C calc'!A0",  # found
    "x,=1+2",
    "x, =1+2",
    "x;\t+1",
    "a|=1",
    "\n=1+2",  # found: a line break first
    "\r\n=1+2",
    "\t=1+2",
    "\r",
    "＝1+2",  # found: a full-width sign
    "＋1",
    "－1",
    "＠SUM(A1)",
    "﹦1+2",
    "x；＝1",
    "x，＝1",
    "   =1+2",
    "\u00a0=1+2",
    "\u3000=1+2",
    "\u200b=1+2",
    "\ufeff=1+2",
    "\u202e=1+2",
    'x"=1+2',
    "x'=1+2",
    "−1",
]
SAFE = [
    "",
    "Nem chua Thanh Hóa",
    "Bánh đa nem Hạc Thành, 3 sao",
    "qd148-1489-2025",
    "2025-06-30T08:00:00+07:00",
    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "a-b;c",
    "x = 1",
    "tổng 3,5 + 2,5",
    "email@example.org",
]


@pytest.mark.parametrize("text", DANGEROUS, ids=repr)
def test_a_cell_a_spreadsheet_could_run_gets_an_apostrophe_and_keeps_its_text(text: str) -> None:
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("text", SAFE, ids=repr)
def test_a_plain_cell_is_left_as_it_is(text: str) -> None:
    assert spreadsheet_cell(text) == text


def test_values_that_are_not_text() -> None:
    assert [spreadsheet_cell(v) for v in (None, 7, -3)] == ["", "7", "'-3"]


# -- the rule against an independent statement of the danger --------------------------------

# Any character a separator of some spreadsheet or locale could be, or a quote.
_SPLIT = re.compile(r"[,;\t\r\n|\"'，；]")


_SIGNS = frozenset("=+-@")


def _skippable(char: str) -> bool:
    """What a reader may skip before a sign: spaces, controls, invisible format characters."""
    return (
        char.isspace() or unicodedata.category(char) in ("Cc", "Cf") or unicodedata.category(char)[0] == "Z"
    )


def dangerous_pieces(text: str) -> list[str]:
    """The pieces of ``text`` (split at any separator, as some reader might) that start, once what
    a reader skips is skipped and compatibility forms are folded, with a sign of a formula; or the
    text itself if a control character comes first."""
    found = []
    for form in (text, unicodedata.normalize("NFKC", text)):
        if form and unicodedata.category(form[0]) == "Cc":
            found.append(form)
        for piece in _SPLIT.split(form):
            first = next((char for char in piece if not _skippable(char)), "")
            if first and (unicodedata.normalize("NFKC", first) in _SIGNS or first == "\u2212"):
                found.append(piece)
    return found


# Texts built from what matters (signs in every form, separators, spaces and invisible
# characters) mixed with ordinary and Vietnamese text.
_PARTS = st.sampled_from(
    [*"=+-@＝＋－＠﹦﹢﹣﹫−,;\t\r\n|\"'，； \u00a0\u3000\u200b\ufeff\u202e\u00adx1ợ", "Nem chua", "3,5"]
)
TEXTS = st.one_of(st.lists(_PARTS, max_size=12).map("".join), st.text(max_size=40))


@given(TEXTS)
@example("ok;=1+2")
@example("\u00ad=1")
def test_no_piece_of_a_cell_left_plain_could_start_a_formula(text: str) -> None:
    cell = spreadsheet_cell(text)
    assert cell in (text, "'" + text)  # the text is kept, at most one apostrophe before it
    if cell == text:
        assert dangerous_pieces(text) == []
    else:
        assert dangerous_pieces(text) != []  # an apostrophe only where a reader could see a formula


@given(st.lists(st.lists(TEXTS, min_size=1, max_size=4), max_size=5))
def test_the_csv_reads_back_cell_for_cell(rows: list[list[str]]) -> None:
    exported = csv_text(["a", "b", "c", "d"], rows)
    assert exported.startswith("\ufeff")
    read = list(csv.reader(io.StringIO(exported[1:], newline="")))
    assert read == [["a", "b", "c", "d"], *([spreadsheet_cell(v) for v in row] for row in rows)]


# -- the journey's history, exported over HTTP and opened by a spreadsheet --------------------

SOFFICE = shutil.which("soffice")
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
# LibreOffice's CSV import: separators , ; and tab (ASCII 44/59/9), text in double quotes (34),
# UTF-8 (76), from line 1, no column formats, en-US, quoted fields not forced to text, special
# numbers detected, (three export tokens), all sheets, and — token 13 — formulas evaluated.
CSV_IMPORT = "CSV:44/59/9,34,76,1,,1033,false,true,false,false,false,-1,true"
HOSTILE_NAME = "x;=cmd|' /C calc'!A0"
HOSTILE_REASONS = ["ok;=1+2", "=1+2", "\n=1+2", "＝1+2", "  +1+2", "x,=SUM(1,2)", "@SUM(A1)"]


async def spreadsheet_cells(tmp_path: Path, name: str, content: str) -> list[tuple[str | None, str]]:
    """Every non-empty cell LibreOffice Calc reads from ``content`` as a CSV file: (its formula or
    None, its text)."""
    assert SOFFICE is not None
    source = tmp_path / f"{name}.csv"
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    process = await asyncio.create_subprocess_exec(
        SOFFICE,
        "--headless",
        "--norestore",
        f"-env:UserInstallation=file://{tmp_path}/profile",
        f"--infilter={CSV_IMPORT}",
        "--convert-to",
        "fods",
        "--outdir",
        str(out),
        str(source),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 120)
    converted = out / f"{name}.fods"
    assert process.returncode == 0, output.decode(errors="replace")
    assert converted.exists(), output.decode(errors="replace")
    cells = []
    for cell in ET.parse(converted).iter(f"{{{_TABLE}}}table-cell"):
        formula = cell.get(f"{{{_TABLE}}}formula")
        text = "\n".join("".join(p.itertext()) for p in cell.iter(f"{{{_TEXT}}}p"))
        if formula is not None or text:
            cells.append((formula, text))
    return cells


async def test_the_history_csv_opened_by_a_spreadsheet_runs_no_formula(api: Api, tmp_path: Path) -> None:
    if SOFFICE is None:
        message = "no LibreOffice (soffice): apt-get install libreoffice-calc-nogui (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    cast = await make_cast(api)
    response = await cast.producer.post("/v1/journeys", {**IDEA, "product_name": HOSTILE_NAME})
    assert response.status_code == 201, response.text
    journey_id = response.json()["journey_id"]
    for reason in HOSTILE_REASONS:
        await cast.commune_officer.act(journey_id, "return-idea", {"reason": reason})
        await cast.producer.act(journey_id, "resubmit-idea", {"reason": reason})
    history = (await cast.producer.get(f"/v1/journeys/{journey_id}/history")).json()["events"]

    visitor = Visitor(api.http)
    await visitor.sign_in(cast.producer.token)
    export = await visitor.get(f"/journeys/{journey_id}/history.csv")
    assert export.status_code == 200
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    content = export.content.decode("utf-8")

    # Every text as recorded, an apostrophe before those a spreadsheet could run.
    lines = list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"), newline="")))
    assert [line["reason"] for line in lines] == [spreadsheet_cell(e["reason"]) for e in history]
    recorded = [e["reason"] for e in history if e["reason"] is not None]
    assert len(recorded) == 2 * len(HOSTILE_REASONS)
    assert all(
        line["reason"] == "'" + e["reason"] for line, e in zip(lines, history, strict=True) if e["reason"]
    )
    assert HOSTILE_NAME in lines[0]["data"]

    # The same values written plainly are formulas to LibreOffice: the reader sees them, so...
    plain = io.StringIO()
    csv.writer(plain, lineterminator="\r\n").writerows(
        [[e["reason"] or "", e["data"].get("product_name", "")] for e in history]
    )
    assert [f for f, _ in await spreadsheet_cells(tmp_path, "plain", plain.getvalue()) if f is not None]
    # ... and in the export it finds none, whichever of , ; tab it splits on.
    cells = await spreadsheet_cells(tmp_path, "export", content)
    assert [cell for cell in cells if cell[0] is not None] == []
    assert any(text.startswith("'") and "=1+2" in text for _, text in cells)
