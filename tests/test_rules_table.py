"""docs/rules-and-tests.md cannot rot: every test its rule → test table names exists (collected from
the test files' syntax trees, so nothing is imported or run), and every row names one at least or
says the rule is not built."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "rules-and-tests.md"
NOT_BUILT = "**not built**"
TIMED = "⏱"


def table_rows(text: str) -> list[tuple[str, str, str]]:
    """The rows (rule, article, tests) of the Markdown table under its header and separator."""
    rows: list[tuple[str, str, str]] = []
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    for line in lines[2:]:  # the header and the |---| separator
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == 3, f"a row has a rule, an article and its tests: {line}"
        rows.append((cells[0], cells[1], cells[2]))
    return rows


def named_tests(cell: str) -> list[tuple[str, str]]:
    """The (file, test name) pairs of a test cell: ``file::name`` separated by semicolons."""
    named = []
    for item in cell.split(";"):
        reference = item.replace(TIMED, "").strip()
        path, sep, name = reference.partition("::")
        if not (sep and path and name):
            raise ValueError(f"not a file::test_name: {item!r}")
        named.append((path, name))
    return named


def defined_tests(path: Path) -> set[str]:
    """The test functions a file defines, at module level and in its classes."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.add(node.name)
        elif isinstance(node, ast.ClassDef):
            found.update(
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            )
    return {name for name in found if name.split("::")[-1].startswith("test_")}


def missing_tests(text: str, root: Path) -> list[str]:
    """What the table names that does not exist under ``root``, each as the table wrote it."""
    missing = []
    cache: dict[Path, set[str]] = {}
    for rule, _, cell in table_rows(text):
        if NOT_BUILT in cell:
            continue
        for path, name in named_tests(cell):
            file = root / path
            if not (path.startswith("tests/") and file.name.startswith("test_") and file.is_file()):
                missing.append(f"{path}::{name} (no such test file) for: {rule}")
                continue
            if file not in cache:
                cache[file] = defined_tests(file)
            if name not in cache[file]:
                missing.append(f"{path}::{name} for: {rule}")
    return missing


def test_every_test_the_table_names_exists() -> None:
    text = TABLE.read_text(encoding="utf-8")
    rows = table_rows(text)
    assert len(rows) >= 40, "the table lost its rows"
    assert missing_tests(text, ROOT) == []


def test_every_row_names_a_test_or_says_its_rule_is_not_built() -> None:
    for rule, article, cell in table_rows(TABLE.read_text(encoding="utf-8")):
        assert rule, cell
        assert article, rule
        assert NOT_BUILT in cell or named_tests(cell), rule


def test_a_renamed_test_or_a_moved_file_is_found(tmp_path: Path) -> None:
    """The check itself: a name the file no longer defines, or a file that is gone, is reported."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_kept.py").write_text(
        "def test_here() -> None: ...\n\nclass TestGroup:\n    def test_inside(self) -> None: ...\n",
        encoding="utf-8",
    )
    table = (
        "| rule | article | test |\n|---|---|---|\n"
        "| a | Art. 1 | tests/test_kept.py::test_here; ⏱ tests/test_kept.py::TestGroup::test_inside |\n"
        "| b | Art. 2 | tests/test_kept.py::test_renamed |\n"
        "| c | Art. 3 | tests/test_gone.py::test_here |\n"
        "| d | Art. 4 | **not built**: later |\n"
    )
    assert missing_tests(table, tmp_path) == [
        "tests/test_kept.py::test_renamed for: b",
        "tests/test_gone.py::test_here (no such test file) for: c",
    ]
    with pytest.raises(ValueError, match="not a file::test_name"):
        missing_tests("| r | a | t |\n|---|---|---|\n| e | Art. 5 | test_somewhere |\n", tmp_path)
