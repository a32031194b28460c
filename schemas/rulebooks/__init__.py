"""The shipped rulebooks, validated by the ``Rulebook`` model when this package is imported."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

from schemas.rulebook import Rulebook

DEFAULT_RULEBOOK_ID = "qd148-1489-2025"


def _load() -> dict[str, Rulebook]:
    books: dict[str, Rulebook] = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".json"):
            book = Rulebook.model_validate(json.loads(entry.read_text(encoding="utf-8")))
            books[book.id] = book
    return books


RULEBOOKS: dict[str, Rulebook] = _load()


class UnknownRulebook(LookupError):
    """No rulebook with that id, or none in force on that day."""


def get_rulebook(rulebook_id: str) -> Rulebook:
    try:
        return RULEBOOKS[rulebook_id]
    except KeyError:
        raise UnknownRulebook(f"no rulebook {rulebook_id!r}; known: {', '.join(sorted(RULEBOOKS))}") from None


def rulebook_in_force(day: date) -> Rulebook:
    """The rulebook a dossier accepted on ``day`` pins."""
    for book in RULEBOOKS.values():
        if book.in_force_on(day):
            return book
    raise UnknownRulebook(f"no rulebook was in force on {day.isoformat()}")
