"""Stored events parse forever: one sample of every event type of every stream, as first written.

Each file ``event_corpus/<stream>/<type>.json`` holds one event as the log stores it: its type, and
its data without the type. The samples were recorded from the events the pure rules fold in the
workflow tests (the actor events were written by hand) when this test was added, and they are never
rewritten. A change that makes one fail here would make the log's old rows unreadable: follow the
evolution rule at the top of ``schemas/events.py`` instead. A new event type needs its sample (as
its first version writes it) before this test passes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import BaseModel, TypeAdapter

from rebuild import PROJECTIONS
from schemas.accounts import ACCOUNT_EVENT, AccountEvent
from schemas.council import COUNCIL_EVENT, CouncilEvent
from schemas.documents import DOCUMENT_EVENT, DocumentEvent
from schemas.events import JourneyEvent, parse_event
from schemas.plan import PLAN_EVENT, PlanEvent
from schemas.producer import PRODUCER_EVENT, ProducerEvent
from schemas.round import ROUND_EVENT, RoundEvent

CORPUS = Path(__file__).resolve().parent / "event_corpus"


def _as_stored(adapter: TypeAdapter[Any]) -> Any:
    return lambda event_type, data: adapter.validate_python({**data, "type": event_type})


# Each stream kind: its events (the discriminated union) and how the log's rows are read back.
STREAMS: dict[str, tuple[Any, Any]] = {
    "journey": (JourneyEvent, parse_event),
    "round": (RoundEvent, _as_stored(ROUND_EVENT)),
    "council": (CouncilEvent, _as_stored(COUNCIL_EVENT)),
    "plan": (PlanEvent, _as_stored(PLAN_EVENT)),
    "actor": (AccountEvent, _as_stored(ACCOUNT_EVENT)),
    "document": (DocumentEvent, _as_stored(DOCUMENT_EVENT)),
    "producer": (ProducerEvent, _as_stored(PRODUCER_EVENT)),
}


def event_types(union: Any) -> dict[str, type[BaseModel]]:
    """The event classes of a stream's ``Annotated[A | B | …, Field(discriminator="type")]``, by type."""
    inner = get_args(union)[0]
    members = get_args(inner) or (inner,)
    return {model.model_fields["type"].default: model for model in members}


def samples() -> list[Path]:
    return sorted(CORPUS.glob("*/*.json"))


def test_the_corpus_is_there_and_knows_every_stream_kind() -> None:
    assert len(samples()) >= 46  # as first recorded; it only grows
    kinds = {path.name for path in CORPUS.iterdir() if path.is_dir()}
    assert kinds == set(STREAMS)
    # A stream kind that is rebuilt from the log has its events here.
    assert set(PROJECTIONS) - set(STREAMS) == set()


@pytest.mark.parametrize("kind", sorted(STREAMS))
def test_every_event_type_has_its_stored_sample(kind: str) -> None:
    union, _ = STREAMS[kind]
    known = set(event_types(union))
    stored = {path.stem for path in (CORPUS / kind).glob("*.json")}
    assert known - stored == set(), f"new {kind} event types without a sample in {CORPUS / kind}"
    # A type that has a sample but no class any more: its stored events no longer parse.
    assert stored - known == set(), f"{kind} event types removed (never remove one)"


@pytest.mark.parametrize("path", samples(), ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_a_stored_event_still_parses_as_its_type(path: Path) -> None:
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert (stored["stream"], stored["type"]) == (path.parent.name, path.stem)
    union, parse = STREAMS[stored["stream"]]
    event = parse(stored["type"], stored["data"])
    assert type(event) is event_types(union)[stored["type"]]
