"""Why the engine refused a step, in Vietnamese and English (lý do từ chối): one catalogue of
templates, a refusal names its template by key with its parameters.

A domain error (``schemas.errors``), an ``AccessDenied`` and an API error may carry a ``Reason``:
the key of its template here and the parameters the template names (JSON-safe, so they cross
Temporal in the ``ApplicationError``'s details). Its English message — the error's ``message``,
what logs and Temporal show — is made from the same template, so nothing is written twice.

A placeholder ``{name}`` is the parameter as given; ``{name:number}`` a decimal (a decimal comma in
Vietnamese); ``{name:date}`` an ISO date written dd/mm/yyyy; any other spec names a kind of code
(``{status:status}``, ``{role:role}``, ``{level:level}``) shown in the reader's words, which the
caller passes (the pages' code words, ``web.i18n.Translator.code``); without them, the code itself.
A list parameter is its items joined with commas.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Final, TypeAlias

LANGUAGES: Final = ("vi", "en")
ENGLISH: Final = "en"

# What a parameter may be: JSON-safe values (a Decimal is kept as its exact string).
Param: TypeAlias = str | int | bool | list[str] | None
# A code in the reader's words: (kind, code) -> words, e.g. ("status", "AWAITING_ROUND").
CodeWords: TypeAlias = Callable[[str, str], str]

# key -> (Vietnamese, English). Keys are grouped by the module that refuses.
TEMPLATES: Final[dict[str, tuple[str, str]]] = {
    # -- workflows/scoring.py: a council member's scorecard and the council's result
    "scoring.parts_exactly_abc": (
        "phiếu đánh giá gồm đúng ba phần A, B và C",
        "a scorecard has exactly the parts A, B and C",
    ),
    "scoring.part_range": (
        "phần {part} được chấm từ 0 đến {maximum:number}; đã nhập {value:number}",
        "part {part} is scored from 0 to {maximum:number}; got {value:number}",
    ),
    "scoring.part_decimals": (
        "phần {part} có tối đa {places} chữ số thập phân; đã nhập {value:number}",
        "part {part} has at most {places} decimals; got {value:number}",
    ),
    "scoring.no_scorecard": ("chưa có phiếu đánh giá nào được nộp", "no scorecard has been submitted"),
    "scoring.quorum": (
        "mới có {scored} trên {required} phiếu đánh giá cần để đủ số thành viên",
        "{scored} of the {required} scorecards needed for a quorum have been submitted",
    ),
    "scoring.chair_absent": (
        "Chủ tịch Hội đồng chưa chấm điểm: Chủ tịch phải có mặt trong số thành viên chấm",
        "the chair has not scored: the chair must be among those present",
    ),
    "scoring.dispersion": (
        "tổng điểm cao nhất và thấp nhất chênh nhau {spread:number} điểm (tối đa {limit:number}): "
        "các thành viên cần sửa phiếu đánh giá",
        "the highest and lowest totals differ by {spread:number} points (at most {limit:number} "
        "allowed): members must amend their scorecards",
    ),
    # -- workflows/places.py: provinces and communes of 2025
    "places.not_a_province": (
        "{code} không phải mã tỉnh, thành phố năm 2025 (34 tỉnh, thành phố)",
        "{code} is not a province code of 2025 (34 provinces)",
    ),
    "places.not_a_commune": (
        "{code} không phải mã xã, phường, đặc khu năm 2025",
        "{code} is not a commune code of 2025",
    ),
    "places.commune_elsewhere": (
        "{commune} ({code}) không thuộc tỉnh, thành phố có mã {province}",
        "commune {commune} ({code}) is not in province {province}",
    ),
    # -- workflows/plan_rules.py: a province's yearly plan
    "plan.setter": (
        "kế hoạch của tỉnh do cán bộ cấp tỉnh hoặc quản trị viên lập",
        "a province's plan is set by its provincial officer or an administrator",
    ),
    "plan.total_below_targets": (
        "tổng chỉ tiêu không được thấp hơn tổng các chỉ tiêu theo hạng sao",
        "the total target cannot be lower than the sum of the per-star targets",
    ),
    "plan.targets_or_goals": (
        "kế hoạch ghi chỉ tiêu theo hạng sao và tổng, hoặc các mục tiêu, không ghi cả hai",
        "a plan gives per-star targets and a total, or its goals, not both",
    ),
    "plan.goal_total_below": (
        "tổng số sản phẩm mới ({total}) không được thấp hơn tổng các mục tiêu theo hạng sao ({per_star})",
        "the total of new products ({total}) cannot be lower than the sum of the per-star goals "
        "({per_star})",
    ),
    # -- workflows/council_rules.py: councils (Hội đồng đánh giá, phân hạng)
    "council.province_jurisdiction": (
        "Hội đồng cấp tỉnh họp cho một mã tỉnh, không phải {jurisdiction}",
        "a provincial council sits for a province code, not {jurisdiction}",
    ),
    "council.central_national": (
        "Hội đồng Trung ương là cấp quốc gia: phạm vi của Hội đồng là {national}",
        "the central council is national: its jurisdiction is {national}",
    ),
    "council.roster": ("thành phần Hội đồng không hợp lệ: {problem}", "the council's seats: {problem}"),
    "council.appointer": (
        "Hội đồng do {role:role} hoặc quản trị viên thành lập",
        "councils are appointed by the {role:role} or an administrator",
    ),
    "council.exists": ("Hội đồng {council} đã có", "council {council} exists already"),
    "council.unknown": ("không có Hội đồng này", "no such council"),
    "council.conflict_recorder": (
        "xung đột lợi ích do chính thành viên khai hoặc do {role:role} ghi nhận",
        "a conflict of interest is declared by the member or recorded by a {role:role}",
    ),
    "council.not_a_member": (
        "{member} không ngồi trong Hội đồng {council}",
        "{member} does not sit on council {council}",
    ),
}


class Reason:
    """A refusal's template key and its parameters (JSON-safe): what it says in either language."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: object) -> None:
        if key not in TEMPLATES:
            raise KeyError(f"no refusal template {key!r} in schemas/refusals.py")
        self.key = key
        self.params: dict[str, Param] = {name: _json_safe(value) for name, value in params.items()}

    def text(self, lang: str = ENGLISH, words: CodeWords | None = None) -> str:
        """The refusal in ``lang`` (vi or en; another is English), codes in ``words`` if given."""
        return told(self.key, self.params, lang, words)

    @property
    def message(self) -> str:
        """In English, codes as they are: the error's message."""
        return self.text()

    def details(self) -> dict[str, object]:
        """What crosses Temporal in the ApplicationError's details."""
        return {"key": self.key, "params": dict(self.params)}

    @classmethod
    def of_details(cls, details: object) -> Reason | None:
        """The reason carried in details (``details()``), or None (an older or foreign error)."""
        if not isinstance(details, Mapping):
            return None
        key, params = details.get("key"), details.get("params")
        if not isinstance(key, str) or key not in TEMPLATES or not isinstance(params, Mapping):
            return None
        return cls(key, **{str(name): value for name, value in params.items()})

    def __repr__(self) -> str:
        return f"Reason({self.key!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reason) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)


def _json_safe(value: object) -> Param:
    if isinstance(value, Enum):  # a status, a role, a level: its code
        return _json_safe(value.value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Sequence | frozenset | set):
        return [str(_json_safe(item)) for item in value]
    return str(value)


def placeholders(template: str) -> dict[str, str]:
    """The parameters a template names, with their spec ('' for none)."""
    return {name: spec or "" for _, name, spec, _ in string.Formatter().parse(template) if name is not None}


class _Teller(string.Formatter):
    def __init__(self, lang: str, words: CodeWords | None) -> None:
        self.lang = lang
        self.words = words

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, list):
            return ", ".join(self.format_field(item, format_spec) for item in value)
        if value is None:
            return "—"
        if format_spec == "number":
            text = format(Decimal(str(value)).normalize(), "f")
            return text.replace(".", ",") if self.lang == "vi" else text
        if format_spec == "date":
            return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        if format_spec:
            return self.words(format_spec, str(value)) if self.words is not None else str(value)
        return str(value)


def told(key: str, params: Mapping[str, Param], lang: str = ENGLISH, words: CodeWords | None = None) -> str:
    """The template ``key`` in ``lang`` filled with ``params``."""
    pair = TEMPLATES[key]
    template = pair[0] if lang == "vi" else pair[1]
    return _Teller(lang, words).vformat(template, (), dict(params))


def language_of(accept_language: str | None, default: str = "vi") -> str:
    """The language an ``Accept-Language`` header prefers among vi and en (its weights honoured);
    ``default`` when it names neither (or is absent)."""
    best: tuple[float, str] | None = None
    for item in (accept_language or "").split(","):
        tag, _, weight = item.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        quality = 1.0
        if weight.strip().startswith("q="):
            try:
                quality = float(weight.strip()[2:])
            except ValueError:
                quality = 0.0
        if lang in LANGUAGES and quality > 0 and (best is None or quality > best[0]):
            best = (quality, lang)
    return best[1] if best is not None else default
