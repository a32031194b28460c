"""Every refusal has its words (issue 17 item 2): each template of schemas/refusals.py in Vietnamese
and English naming the same parameters, each ``Reason`` raised giving exactly the parameters its
template names, and no converted module left raising a refusal as an English string."""

from __future__ import annotations

import ast
import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from temporalio.client import WorkflowUpdateFailedError

from api.access import AccessDenied
from api.commands import refusal as domain_error_of
from api.errors import ApiError, code_words
from schemas.errors import DomainError, InvalidScorecard, QuorumNotMet, ScoreOutOfRange
from schemas.numbers import NotPlainScore
from schemas.refusals import TEMPLATES, Reason, language_of, placeholders
from schemas.roles import Role
from store.accounts import AccountRefused, UnknownActor
from store.documents import DocumentError
from store.producers import ProducerRefused, UnknownProducer
from web.i18n import MESSAGES
from workflows.updates import refusal as application_error_of

ROOT = Path(__file__).resolve().parents[1]
# The modules outside workflows/ and api/ whose refusals are all Reasons (every module of workflows/
# and api/ is: EVERYWHERE below). The others (schemas/scorecard.py, ...) still raise some as English
# strings, shown as written until they are converted.
CONVERTED = (
    "workflows/scoring.py",
    "workflows/places.py",
    "workflows/plan_rules.py",
    "workflows/council_rules.py",
    "api/access.py",
    "api/documents.py",
    "store/documents.py",
    "store/accounts.py",
    "web/accounts.py",
    "schemas/numbers.py",
    "api/routers/producers.py",
    "api/services/rounds.py",
    "api/services/councils.py",
    "api/routers/actors.py",
    "api/deps.py",
    "api/routers/registry.py",
    "store/producers.py",
)
# Every module of workflows/ and api/ gives its refusals as Reasons (issue 17 item 2): a raise of a
# domain error, an access refusal, an API error or an HTTP error with a string is a failure. These
# raises with a string are not refusals: each is listed with why (a new one must be listed too).
EVERYWHERE = ("workflows", "api")
NOT_REFUSALS = {
    # evolve folding an impossible history: a bug in the record, never a step someone is refused
    ("workflows/lifecycle.py", "ValueError", "a journey starts with"),
    ("workflows/lifecycle.py", "ValueError", "{} starts a journey"),
    ("workflows/round_rules.py", "ValueError", "a round starts with"),
    ("workflows/round_rules.py", "ValueError", "a round opens once"),
    ("workflows/council_rules.py", "ValueError", "a council starts with"),
    ("workflows/council_rules.py", "ValueError", "a council is appointed once"),
    # the engine's own consistency checks (a caller cannot reach them)
    ("workflows/numbering.py", "ValueError", "{} numbers needed"),
    ("workflows/sheets.py", "ValueError", "every scorecard of this result"),
    ("workflows/sheets.py", "ValueError", "scorecard of {} is not on sheet"),
    ("workflows/sheets.py", "ValueError", "the score is on sheet"),
    # a sheet worth a given total, built for the demo's and the tests' members (sheet_worth)
    ("workflows/sheets.py", "ValueError", "no sheet of whole options of"),
    ("api/services/registry.py", "TypeError", "{} is not JSON"),
    # start-up: the engine's configuration, told to whoever starts it (no actor's step)
    ("workflows/client.py", "RuntimeError", "TEMPORAL_ADDRESS is not set"),
    # parsing: caught where it is raised and answered as a refusal (api.not_a_cursor), or read by a
    # pydantic validator or the command line, which word it themselves
    ("api/services/cursors.py", "ValueError", "not an id"),
    ("api/access.py", "ValueError", "no actor acts as the system"),
    ("api/access.py", "ValueError", "a {} acts for a {}"),
    ("api/access.py", "ValueError", "the national jurisdiction is written VN"),
    ("api/access.py", "ValueError", "{} is not a district name"),
    ("api/access.py", "ValueError", "a {} is given by its code"),
}
FORMATS = {"", "number", "date"}
# A jurisdiction ({…:place}) is told with its kind in these words.
WORDS_OF = {"place": "jurisdiction"}


def _refusal_classes() -> set[str]:
    importlib.import_module("worker")  # every module that defines a domain error
    importlib.import_module("api.app")
    found: set[str] = set()
    stack: list[type] = [
        DomainError, AccessDenied, ApiError, DocumentError, AccountRefused, UnknownActor, NotPlainScore,
        ProducerRefused, UnknownProducer,
    ]
    while stack:
        cls = stack.pop()
        found.add(cls.__name__)
        stack.extend(cls.__subclasses__())
    return found


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_template_is_in_both_languages_with_the_same_parameters(key: str) -> None:
    vietnamese, english = TEMPLATES[key]
    assert vietnamese.strip()
    assert english.strip()
    assert vietnamese != english, f"{key}: not translated"
    assert placeholders(vietnamese) == placeholders(english), key
    for kind in placeholders(english).values():
        # A code parameter is shown in the pages' words of its kind: that kind must have some.
        kind = kind.partition("/")[0]  # {x:status/or}: a list of statuses, joined by "or"
        prefix = WORDS_OF.get(kind, kind)
        assert kind in FORMATS or any(name.startswith(f"{prefix}.") for name in MESSAGES), (key, kind)


def _raised_reasons(path: str) -> list[tuple[int, ast.Call]]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return [
        (node.lineno, node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Reason"
    ]


@pytest.mark.parametrize("path", CONVERTED)
def test_a_converted_module_raises_no_refusal_as_a_string(path: str) -> None:
    refusals = _refusal_classes()
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    left: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
            continue
        called = node.exc.func
        name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", "")
        if name not in refusals or not node.exc.args:
            continue
        first = node.exc.args[0]
        # (Another error's message passed on, str(error), is that error's to translate: the stock
        # import's own are in Vietnamese.)
        if isinstance(first, ast.Constant | ast.JoinedStr):
            left.append(f"{path}:{node.lineno}: {ast.unparse(node.exc)[:80]}")
    assert left == []
    assert _raised_reasons(path), f"{path} gives no Reason at all"


def _everywhere() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT)) for folder in EVERYWHERE for path in (ROOT / folder).rglob("*.py")
    )


def _text_of(node: ast.expr) -> str | None:
    """The words of a string argument (a literal, an f-string with ``{}`` for its values, a sum or a
    ``.format`` of them); None for anything else (a Reason, another error's message passed on)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text_of(part) or "{}" for part in node.values)
    if isinstance(node, ast.BinOp):
        return (_text_of(node.left) or "{}") + (_text_of(node.right) or "{}")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _text_of(node.func.value)
    return None


def _raised_strings(path: str) -> list[tuple[int, str, str]]:
    """(line, class, words) of each ``raise X("...")`` in ``path``: a string among its arguments."""
    found = []
    for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
            continue
        called = node.exc.func
        name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", "")
        # every positional argument (an HTTPException's detail is its second), and ``detail=``
        given = [*node.exc.args, *(k.value for k in node.exc.keywords if k.arg in ("detail", "message"))]
        for argument in given:
            text = _text_of(argument)
            if text is not None:
                found.append((node.lineno, name, text))
    return found


def test_every_refusal_in_workflows_and_api_is_a_reason() -> None:
    refusals = _refusal_classes() | {"HTTPException", "StarletteHTTPException"}
    strings: list[str] = []
    unlisted: list[str] = []
    listed_seen: set[tuple[str, str, str]] = set()
    for path in _everywhere():
        for line, name, text in _raised_strings(path):
            if name in refusals:
                strings.append(f"{path}:{line}: {name}({text!r})")
                continue
            listed = {item for item in NOT_REFUSALS if item[:2] == (path, name) and text.startswith(item[2])}
            listed_seen |= listed
            if not listed:
                unlisted.append(f"{path}:{line}: {name}({text!r})")
    assert strings == [], "refusals given as strings, not Reasons (schemas/refusals.py)"
    assert unlisted == [], "a raise with a string that is not a refusal must be listed in NOT_REFUSALS"
    assert listed_seen == NOT_REFUSALS, "listed but no longer raised"


def test_the_scan_finds_a_refusal_written_as_a_string() -> None:
    # The scan's own check: each way a string is written is found, a Reason and a passed-on message not.
    source = (
        "raise WrongState('plain')\n"
        "raise errors.NotFound(f'no journey {journey_id}')\n"
        "raise InvalidCommand('a ' + f'{x}')\n"
        "raise HTTPException(404, detail='gone')\n"
        "raise HTTPException(410, 'went')\n"
        "raise NotAllowed(Reason('journey.own_producer'))\n"
        "raise InvalidCommand(str(error))\n"
    )
    texts: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            given = [*node.exc.args, *(k.value for k in node.exc.keywords if k.arg == "detail")]
            texts.extend(text for text in map(_text_of, given) if text is not None)
    assert texts == ["plain", "no journey {}", "a {}", "gone", "went"]


@pytest.mark.parametrize("path", sorted({*CONVERTED, *_everywhere()}))
def test_each_reason_gives_exactly_the_parameters_its_template_names(path: str) -> None:
    for line, call in _raised_reasons(path):
        assert call.args, f"{path}:{line}: no key"
        assert isinstance(call.args[0], ast.Constant), f"{path}:{line}: a literal key"
        key = call.args[0].value
        assert key in TEMPLATES, f"{path}:{line}: no template {key!r}"
        given = {keyword.arg for keyword in call.keywords}
        assert given == set(placeholders(TEMPLATES[key][1])), f"{path}:{line}: {key}"


def test_an_unknown_key_is_refused_where_it_is_written() -> None:
    with pytest.raises(KeyError, match="no refusal template"):
        Reason("scoring.no_such_thing")


def test_numbers_codes_and_the_english_message_come_from_one_template() -> None:
    reason = Reason("scoring.part_range", part="A", maximum=Decimal("12.5"), value=Decimal("45.00"))
    error = ScoreOutOfRange(reason)
    assert error.message == "part A is scored from 0 to 12.5; got 45"
    assert str(error) == error.message
    assert error.told("vi") == "phần A được chấm từ 0 đến 12,5; đã nhập 45"
    # A code parameter in the reader's words (web/i18n.py's), else the code itself.
    denied = DomainError(Reason("council.appointer", role=Role.PROVINCIAL_OFFICER))
    assert denied.message == "councils are appointed by the provincial_officer or an administrator"
    assert denied.told("vi", code_words("vi")) == "Hội đồng do Cán bộ cấp tỉnh hoặc quản trị viên thành lập"
    assert denied.told("en", code_words("en")) == (
        "councils are appointed by the Provincial officer or an administrator"
    )
    # A list of codes joined by "or", each in words.
    reason = Reason("journey.status", status="IDEA_REGISTERED", wanted=["IN_EVALUATION", "CERTIFIED"])
    wrong = DomainError(reason)
    assert wrong.message == "the journey is IDEA_REGISTERED; this step needs IN_EVALUATION or CERTIFIED"
    assert wrong.told("vi", code_words("vi")) == (
        "hành trình đang ở trạng thái “Đã đăng ký ý tưởng”; bước này cần Đang đánh giá hoặc Đã được công nhận"
    )
    # An error not yet converted is shown as written, in either language.
    assert DomainError("as written").told("vi") == "as written"


def test_the_reason_crosses_temporal_in_the_details_beside_the_criterion() -> None:
    error = QuorumNotMet(Reason("scoring.quorum", scored=2, required=5))
    back = domain_error_of(WorkflowUpdateFailedError(application_error_of(error)))
    assert isinstance(back, QuorumNotMet)
    assert back.why == error.why
    assert back.told("vi") == "mới có 2 trên 5 phiếu đánh giá cần để đủ số thành viên"
    # The criterion a refused sheet names still travels with it (an unconverted message too).
    sheet = InvalidScorecard("criterion 4.2: not answered", criterion="4.2", problem="missing")
    back = domain_error_of(WorkflowUpdateFailedError(application_error_of(sheet)))
    assert isinstance(back, InvalidScorecard)
    assert (back.criterion, back.problem, back.message, back.why) == ("4.2", "missing", sheet.message, None)


@pytest.mark.parametrize(
    ("header", "default", "expected"),
    [
        (None, "en", "en"),
        ("", "vi", "vi"),
        ("vi", "en", "vi"),
        ("vi-VN,vi;q=0.9,en-US;q=0.8", "en", "vi"),
        ("en-GB", "vi", "en"),
        ("fr, de;q=0.5", "en", "en"),
        ("vi;q=0.2, en;q=0.7", "en", "en"),
        ("vi;q=0, en;q=0.1", "vi", "en"),
        ("en;q=bad, vi", "en", "vi"),
    ],
)
def test_accept_language_picks_vietnamese_or_english(header: str | None, default: str, expected: str) -> None:
    assert language_of(header, default=default) == expected
