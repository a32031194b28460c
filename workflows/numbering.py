"""Numbers the commune gives a dossier (qd26-2026 Phụ lục II–III), decided purely around the
sequence allocator: which events of a step need a number (``numbers_needed``), and the events with
the numbers filled in (``numbered``).

- The registration receipt (phiếu đăng ký, Mẫu 01: "Phiếu số …/PĐK-(Mã tỉnh)-(Mã xã)-(Năm)"), when
  the commune receives a dossier: a first dossier, an upgrade or a re-evaluation. A dossier
  completed after a return keeps its receipt. Sequence: the commune's receipts of the year.
- The product code (mã số sản phẩm "(T)-(X)-(STT)-(Năm)"), once, when the commune accepts the
  product's first dossier under a rulebook that numbers products; an upgrade or re-evaluation keeps
  it. Sequence: the commune's products of the year of the acceptance (the year of evaluation).

Formats are the rulebook's (``Rulebook.numbering``). The numbers come from ``store.sequences``
through an activity (activities/numbering.py); each is asked for an owner that names what it
numbers, so a retried activity or a replayed workflow gets the same number, never a second one.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from schemas.events import (
    DossierAccepted,
    DossierSubmitted,
    JourneyEvent,
    ReEvaluationApplied,
    UpgradeApplied,
)
from schemas.journey import JourneyState
from schemas.rulebook import Numbering
from schemas.rulebooks import CURRENT, RulebookTable, UnknownRulebook, get_rulebook
from workflows.calendar import local_date

RECEIPT = "receipt"
PRODUCT_CODE = "product-code"


class NumberRequest(BaseModel):
    """One number to allocate: the ``owner``'s number in the sequence ``scope``."""

    model_config = ConfigDict(frozen=True)

    scope: str
    owner: str


class _Slot(BaseModel):
    """Where an allocated number goes: which event, which field, and how it is written."""

    model_config = ConfigDict(frozen=True)

    index: int
    field: str
    template: str
    province: int
    commune: int
    year: int
    request: NumberRequest


def _intake_numbering(
    event: DossierSubmitted | UpgradeApplied | ReEvaluationApplied, now: datetime, table: RulebookTable
) -> Numbering | None:
    # The rulebook whose intake rules the dossier follows, as the decider chose it (its paper date,
    # else today): lifecycle._intake_rulebook.
    try:
        return table.for_dossier(event.submitted_on, local_date(now)).numbering
    except UnknownRulebook:
        return None


def _slots(
    state: JourneyState | None, events: list[JourneyEvent], now: datetime, table: RulebookTable
) -> list[_Slot]:
    if state is None:
        return []
    slots: list[_Slot] = []
    product_code = state.product_code
    for index, event in enumerate(events):
        place = {"province": state.province_code, "commune": state.commune_code}
        if isinstance(event, DossierSubmitted | UpgradeApplied | ReEvaluationApplied):
            numbering = _intake_numbering(event, now, table)
            if numbering is None or event.receipt_number is not None:
                continue
            year = (event.submitted_on or local_date(now)).year
            # The event's version in the stream names this dossier's registration for good.
            owner = f"{state.journey_id}/{state.version + index + 1}"
            scope = f"{RECEIPT}/{state.province_code}/{state.commune_code}/{year}"
            slots.append(
                _Slot(
                    index=index,
                    field="receipt_number",
                    template=numbering.receipt,
                    year=year,
                    request=NumberRequest(scope=scope, owner=owner),
                    **place,
                )
            )
        elif isinstance(event, DossierAccepted) and product_code is None and event.product_code is None:
            numbering = get_rulebook(event.rulebook).numbering
            if numbering is None:
                continue
            year = event.accepted_on.year
            scope = f"{PRODUCT_CODE}/{state.province_code}/{state.commune_code}/{year}"
            slots.append(
                _Slot(
                    index=index,
                    field="product_code",
                    template=numbering.product_code,
                    year=year,
                    request=NumberRequest(scope=scope, owner=state.journey_id),
                    **place,
                )
            )
    return slots


def numbers_needed(
    state: JourneyState | None, events: list[JourneyEvent], now: datetime, table: RulebookTable = CURRENT
) -> list[NumberRequest]:
    """The numbers ``events`` (decided on ``state`` at ``now``) need, in order; empty for most steps."""
    return [slot.request for slot in _slots(state, events, now, table)]


def numbered(
    state: JourneyState | None,
    events: list[JourneyEvent],
    now: datetime,
    numbers: list[int],
    table: RulebookTable = CURRENT,
) -> list[JourneyEvent]:
    """``events`` with the allocated ``numbers`` (one per request of ``numbers_needed``) written in."""
    slots = _slots(state, events, now, table)
    if len(numbers) != len(slots):
        raise ValueError(f"{len(slots)} numbers needed, {len(numbers)} given")
    result = list(events)
    for slot, number in zip(slots, numbers, strict=True):
        text = slot.template.format(
            province=slot.province, commune=slot.commune, number=number, year=slot.year
        )
        result[slot.index] = result[slot.index].model_copy(update={slot.field: text})
    return result
