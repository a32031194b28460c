"""What a dossier must hold and what it holds (thành phần hồ sơ, qd26-2026 Art. 6; ocop.md §7
"Dossier"): the checklist of the dossier's variant (first evaluation, upgrade, re-evaluation) from
the rulebook's data (``Rulebook.dossier_contents``), each item marked there or missing by what the
journey records — the documents the producer filed under it, the self-assessment and the documents
linked to its criteria, the commune's report at acceptance. Pure; the dossier's pages show it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from schemas.journey import BEFORE_ACCEPTANCE, JourneyState
from schemas.rulebook import ChecklistItem, Rulebook


class ChecklistLine(BaseModel):
    """One item of the checklist and whether the dossier holds it (``documents``: those filed under
    it, or linked to the self-assessment's criteria)."""

    model_config = ConfigDict(frozen=True)

    code: str
    by: str
    shown_by: str
    present: bool
    documents: tuple[str, ...] = ()


def _line(item: ChecklistItem, journey: JourneyState) -> ChecklistLine:
    assessment = journey.self_assessment
    documents: tuple[str, ...] = ()
    match item.shown_by:
        case "documents":
            documents = tuple(journey.dossier_contents.get(item.code, ()))
            present = bool(documents)
        case "self_assessment":
            present = assessment is not None
        case "criterion_evidence":
            linked = assessment.criterion_evidence if assessment is not None else {}
            documents = tuple(dict.fromkeys(doc for docs in linked.values() for doc in docs))
            present = bool(documents)
        case "commune_report":
            # Given with the acceptance: there once the dossier is accepted.
            present = journey.accepted_on is not None and journey.status not in BEFORE_ACCEPTANCE
    return ChecklistLine(
        code=item.code, by=item.by, shown_by=item.shown_by, present=present, documents=documents
    )


def dossier_checklist(journey: JourneyState, rulebook: Rulebook) -> list[ChecklistLine] | None:
    """The checklist of the journey's current dossier under ``rulebook`` (the intake rulebook before
    acceptance, the pinned one after), each item there or missing; None: the rulebook has none."""
    contents = rulebook.dossier_contents
    if contents is None:
        return None
    return [_line(item, journey) for item in contents.items(journey.variant.value)]


def missing_items(checklist: list[ChecklistLine]) -> list[str]:
    """The codes of the items not there yet (what a return for completion may list)."""
    return [line.code for line in checklist if not line.present]
