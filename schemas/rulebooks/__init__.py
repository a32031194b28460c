"""The shipped rulebooks, validated by the ``Rulebook`` model when this package is imported."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, timedelta
from importlib import resources
from itertools import pairwise

from schemas.rulebook import Passage, Rulebook

DEFAULT_RULEBOOK_ID = "qd26-2026"
"""The rulebook in force today (QĐ 26/2026/QĐ-TTg, from 22 May 2026): new journeys pin it."""

QD26_ID = "qd26-2026"


def _load() -> dict[str, Rulebook]:
    books: dict[str, Rulebook] = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".json"):
            book = Rulebook.model_validate(json.loads(entry.read_text(encoding="utf-8")))
            books[book.id] = book
    return books


class UnknownRulebook(LookupError):
    """No rulebook with that id, or none in force on that day."""


class RulebookTable:
    """Which rulebook a dossier pins on a day, as one set of rulebooks sees it. The shipped table
    is ``CURRENT``; ``before(id)`` is the table as it stood before rulebook ``id`` shipped, which
    journeys whose decisions were recorded then keep deciding with (workflows/journey.py)."""

    def __init__(self, books: Mapping[str, Rulebook]) -> None:
        self.books = dict(books)
        by_start = sorted(self.books.values(), key=lambda book: book.in_force_from)
        for earlier, later in pairwise(by_start):
            if earlier.in_force_until is None or earlier.in_force_until >= later.in_force_from:
                raise ValueError(f"rulebooks {earlier.id} and {later.id} are in force on the same days")

    def in_force(self, day: date) -> Rulebook:
        """The rulebook in force for new dossiers on ``day``."""
        for book in self.books.values():
            if book.in_force_on(day):
                return book
        raise UnknownRulebook(f"no rulebook was in force on {day.isoformat()}")

    def passage_of(self, book: Rulebook) -> Passage | None:
        """The passage of the rulebook (in this table) that took over from ``book``, if any."""
        for successor in self.books.values():
            if successor.passage is not None and book.id in successor.passage.succeeds:
                return successor.passage
        return None

    def for_dossier(self, submitted_on: date | None, day: date) -> Rulebook:
        """The rulebook a dossier accepted (or handled before acceptance) on ``day`` pins: the one in
        force that day, unless the producer submitted it before a passage's cut-over — then the one
        in force on the eve of the cut-over, if the passage succeeds it (qd26-2026 Art. 12.2: the
        submission day decides, and such a dossier follows "the rules of 2021-2025" as they stood)."""
        current = self.in_force(day)
        passage = current.passage
        if submitted_on is None or passage is None or submitted_on >= passage.cut_over:
            return current
        try:
            kept = self.in_force(passage.cut_over - timedelta(days=1))
        except UnknownRulebook:
            return current
        return kept if kept.id in passage.succeeds else current

    def before(self, rulebook_id: str) -> RulebookTable:
        """The table before ``rulebook_id`` shipped: the rulebooks that started before it, the last
        of them (the one it took over from) still open-ended, as it was then."""
        new = self.books[rulebook_id]
        older = {key: book for key, book in self.books.items() if book.in_force_from < new.in_force_from}
        last = max(older.values(), key=lambda book: book.in_force_from)
        older[last.id] = last.model_copy(update={"in_force_until": None})
        return RulebookTable(older)

    def without_step_requirements(self) -> RulebookTable:
        """This table with every rulebook as it stood before its steps' requirements shipped
        (``without_step_requirements``)."""
        return RulebookTable({key: without_step_requirements(book) for key, book in self.books.items()})


def without_step_requirements(book: Rulebook) -> Rulebook:
    """``book`` as it stood before what a step must carry shipped (qd26-2026: the commune's
    assessment and proposal at acceptance; the advisory team's review before the council's first
    scorecard): only for steps recorded before then, which must replay
    as they ran (workflows/journey.py)."""
    check = book.dossier_check
    unrequired: dict[str, object] = {"before_council": [], "before_council_variants": []}
    relaxed = check.model_copy(update=unrequired) if check is not None else None
    return book.model_copy(update={"acceptance_requires": [], "dossier_check": relaxed})


RULEBOOKS: dict[str, Rulebook] = _load()
CURRENT = RulebookTable(RULEBOOKS)
BEFORE_QD26 = CURRENT.before(QD26_ID)
"""The table before qd26-2026 shipped: qd148-1489-2025 open-ended. Only for journeys whose
decisions were recorded before then (their Temporal histories must replay as they ran)."""


def get_rulebook(rulebook_id: str) -> Rulebook:
    try:
        return RULEBOOKS[rulebook_id]
    except KeyError:
        raise UnknownRulebook(f"no rulebook {rulebook_id!r}; known: {', '.join(sorted(RULEBOOKS))}") from None


def rulebook_in_force(day: date) -> Rulebook:
    """The rulebook a dossier accepted on ``day`` pins (before any passage: ``CURRENT.for_dossier``)."""
    return CURRENT.in_force(day)
