"""The passage between rulebooks (điều khoản chuyển tiếp, qd26-2026 Art. 12.2), as pure functions.

A dossier the producer submitted before a rulebook's cut-over keeps the older rulebook it was
submitted under (``RulebookTable.for_dossier``) but must be finished by the cut-over plus the
passage's limit for its variant: 60 days for a first evaluation or an upgrade, 30 for a
re-evaluation. Past that day the journey carries a ``deadline_missed`` escalation; it is not
withdrawn (product decision, ocop.md §7). The application counts as finished when it leaves the
open statuses (recognized, not ranked, back to its certificate, withdrawn).
"""

from __future__ import annotations

from schemas.events import Deadline, Variant
from schemas.journey import BEFORE_ACCEPTANCE, OPEN, JourneyState, OpenDeadline
from schemas.roles import OFFICER_OF_LEVEL
from schemas.rulebook import Passage
from schemas.rulebooks import RULEBOOKS, get_rulebook
from workflows.calendar import due_date


def passage_of(state: JourneyState) -> Passage | None:
    """The passage the journey's current dossier runs under, if it was submitted before one's
    cut-over and (once accepted) is pinned to a rulebook that passage succeeds."""
    if state.status not in OPEN or state.submitted_on is None:
        return None
    for book in RULEBOOKS.values():
        passage = book.passage
        if passage is None or state.submitted_on >= passage.cut_over:
            continue
        if state.status in BEFORE_ACCEPTANCE or state.rulebook in passage.succeeds:
            return passage
    return None


def passage_deadline(state: JourneyState) -> OpenDeadline | None:
    """The day the dossier kept under its old rulebook must be finished by, and who owes it (the
    officer of the level the journey is at); None outside a passage or once it was flagged."""
    passage = passage_of(state)
    if passage is None:
        return None
    recorded = state.deadlines.get(Deadline.PASSAGE_COMPLETION)
    if recorded is not None:
        return None if recorded.missed else recorded
    limit = passage.re_evaluation if state.variant == Variant.RE_EVALUATION else passage.first_evaluation
    level = state.level or get_rulebook(state.rulebook).intake_level
    return OpenDeadline(due=due_date(passage.cut_over, limit), due_from=OFFICER_OF_LEVEL[level].value)
