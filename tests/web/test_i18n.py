"""The pages' words and formats: both languages for every message, dd/mm/yyyy, two decimals."""

from __future__ import annotations

import json
import re
import string
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel

from schemas.events import Deadline, Outcome, Variant, parse_event
from schemas.journey import Status
from schemas.roles import Role
from schemas.round import RoundStatus
from schemas.rulebook import Level
from tests.schemas.test_event_corpus import CORPUS, STREAMS, event_types
from web.i18n import (
    EVENT_FIELD_CODES,
    EVENT_FIELDS,
    LANGUAGES,
    MESSAGES,
    Translator,
    date_text,
    datetime_text,
    score_text,
)
from web.journey import HIDDEN_FIELDS, STEP_FIELDS, event_details


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    vi, en = MESSAGES[key]
    assert vi.strip()
    assert en.strip()
    assert _placeholders(vi) == _placeholders(en)


def test_every_code_the_engine_gives_is_translated() -> None:
    codes = [
        *(f"status.{s.value}" for s in Status),
        *(f"role.{r.value}" for r in Role),
        *(f"level.{level.value}" for level in Level),
        *(f"outcome.{o.value}" for o in Outcome),
        *(f"variant.{v.value}" for v in Variant),
        *(f"deadline.{d.value}" for d in Deadline),
        *(f"round.{s.value}" for s in RoundStatus),
        *(f"act.{action}" for action in STEP_FIELDS),
        "act.finalize",
    ]
    assert [code for code in codes if code not in MESSAGES] == []


def test_event_types_of_the_journey_are_translated() -> None:
    from typing import get_args

    from schemas.events import JourneyEvent

    union = get_args(JourneyEvent)[0]
    types = [model.model_fields["type"].default for model in get_args(union)]
    assert types
    assert [t for t in types if f"event.{t}" not in MESSAGES] == []


def test_dates_are_day_month_year_in_vietnam_time() -> None:
    assert date_text(date(2025, 9, 5)) == "05/09/2025"
    # 20:30 UTC on the 4th is 03:30 on the 5th in Vietnam (UTC+7).
    assert date_text(datetime(2025, 9, 4, 20, 30, tzinfo=UTC)) == "05/09/2025"
    assert datetime_text(datetime(2025, 9, 4, 20, 30, tzinfo=UTC)) == "05/09/2025 03:30:00"


def test_scores_have_two_decimals_with_a_decimal_comma_in_vietnamese() -> None:
    assert score_text(Decimal("80"), "vi") == "80,00"
    assert score_text(Decimal("80.005"), "en") == "80.01"  # half-up
    assert Translator("en").score(None) == "—"


def test_next_steps_of_round_results_read_in_both_languages() -> None:
    vi, en = Translator("vi"), Translator("en")
    assert vi.next_step("recognize:province:4") == "Chờ công nhận ★★★★ cấp tỉnh"
    assert en.next_step("recognize_then_forward:province:4:central") == (
        "Recognized ★★★★ at the province level, then sent on to the central level"
    )
    assert en.next_step("forward:province") == "Sent on to the province level"
    assert vi.next_step("carried_over:R-2025-2") == "Chuyển sang đợt R-2025-2"
    assert en.next_step("not_ranked") == "Not ranked"
    assert en.next_step("pending") == "No result yet"


def test_an_unknown_language_falls_back_to_vietnamese() -> None:
    assert Translator("fr").lang == "vi"


# -- the timeline's words (issue 17 item 2): every field of every event, and every code it holds

TIMELINE_STREAMS = ("journey", "round", "council", "plan")


def _codes_in(annotation: Any) -> list[str]:
    """The code values a field's type allows: its enums' values and its literal strings."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(member.value) for member in annotation]
    if get_origin(annotation) is Literal:
        return [value for value in get_args(annotation) if isinstance(value, str)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return []  # a nested record: the timeline shows it by its number or id (web.journey)
    return [code for inner in get_args(annotation) for code in _codes_in(inner)]


@pytest.mark.parametrize("kind", TIMELINE_STREAMS)
def test_every_field_of_every_event_has_words_in_both_languages(kind: str) -> None:
    union, _ = STREAMS[kind]
    missing: list[str] = []
    untranslated: list[str] = []
    for event_type, model in event_types(union).items():
        for name, info in model.model_fields.items():
            if name == "type" or name in HIDDEN_FIELDS:
                continue
            vi, en = EVENT_FIELDS.get(name, ("", ""))
            if not vi.strip() or not en.strip() or vi == name:
                missing.append(f"{event_type}.{name}")
            codes = _codes_in(info.annotation)
            if codes and name not in EVENT_FIELD_CODES:
                untranslated.append(f"{event_type}.{name}: no code family")
            prefix = EVENT_FIELD_CODES.get(name, "")
            untranslated += [f"{event_type}.{name}={c}" for c in codes if f"{prefix}.{c}" not in MESSAGES]
    assert missing == [], "event fields without a label in web.i18n.EVENT_FIELDS"
    assert untranslated == [], "codes the timeline shows without words"


def test_hidden_fields_say_why() -> None:
    assert HIDDEN_FIELDS
    assert all(len(reason.split()) >= 3 for reason in HIDDEN_FIELDS.values())


_SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
_DOCUMENT_FIELDS = ("documents", "document", "evidence", "commune_report", "conclusion", "contents")


def _journey_samples() -> list[Path]:
    return sorted((CORPUS / "journey").glob("*.json"))


@pytest.mark.parametrize("path", _journey_samples(), ids=lambda path: path.stem)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_timeline_shows_a_stored_event_in_the_readers_words(path: Path, lang: str) -> None:
    stored = json.loads(path.read_text(encoding="utf-8"))
    event = parse_event(stored["type"], stored["data"])
    data = event.model_dump(mode="json", exclude={"type"})
    t = Translator(lang)
    shown = event_details(t, data, {})
    labels = {EVENT_FIELDS[name][LANGUAGES.index(lang)]: name for name in data if name not in HIDDEN_FIELDS}
    assert [detail.label for detail in shown] == list(labels)  # every field not hidden, in its words
    for detail in shown:
        name = labels[detail.label]
        if name in _DOCUMENT_FIELDS:
            continue  # document hashes, shortened (the corpus's are not real hashes)
        assert not _SNAKE.search(detail.text), (name, detail.text)  # no raw code
        assert not re.search(r"\d{4}-\d{2}-\d{2}", detail.text), (name, detail.text)  # dd/mm/yyyy
        if lang == "vi":
            assert not re.search(r"\d\.\d\d\b", detail.text), (name, detail.text)  # a decimal comma
        assert "{" not in detail.text, (name, detail.text)  # no JSON
        if name in ("product_group", "product_set"):  # a code of the rulebook's, by its name
            assert detail.text != data[name], (name, detail.text)


def test_the_timeline_links_a_known_document_by_its_short_hash() -> None:
    digest = "ab" * 32
    shown = event_details(
        Translator("vi"), {"documents": [f"sha256:{digest}", "sha256:" + "cd" * 32]}, {digest: "/d/ab"}
    )
    assert [(d.label, d.links) for d in shown] == [
        ("Tài liệu", [(digest[:12] + "…", "/d/ab"), ("cd" * 6 + "…", None)])
    ]


def test_the_timeline_names_a_product_group_and_set() -> None:
    shown = event_details(Translator("vi"), {"product_group": "food", "product_set": "I.1.a"}, {})
    assert [d.text for d in shown] == ["Thực phẩm", "I.1.a — Rau, củ, quả, hạt tươi"]
