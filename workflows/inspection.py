"""When a certified product is due its periodic inspection (kiểm tra định kỳ, qd26-2026 Art. 9.2.a),
as pure functions the journey's timer and the list of products due an inspection both ask.

The decision requires periodic inspections but sets no interval: the certificate's rulebook's
``inspection.periodic_interval_days`` is the programme's setting (older rulebooks have none, so
their certificates never fall due by themselves). The interval is counted from the certificate's
recognition or the last recorded inspection, whichever is later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from schemas.events import Certificate, InspectionBasis
from schemas.journey import JourneyState
from schemas.rulebooks import UnknownRulebook, get_rulebook
from workflows.calendar import add_days, end_of_day


@dataclass(frozen=True)
class InspectionDueDate:
    """The day a product's periodic inspection falls due, and what it is counted from."""

    certificate: Certificate
    due_on: date
    counted_from: InspectionBasis
    since: date
    interval_days: int


def inspection_interval(rulebook_id: str) -> int | None:
    """The periodic inspection interval (days) of the rulebook, if it sets one."""
    try:
        rules = get_rulebook(rulebook_id).inspection
    except UnknownRulebook:
        return None
    return rules.periodic_interval_days if rules is not None else None


def inspection_due_date(state: JourneyState) -> InspectionDueDate | None:
    """When the certificate in force is due its periodic inspection under the rulebook it was
    issued under (a certificate of an older rulebook never falls due by itself, even while its
    re-evaluation is pinned to a newer one); None without a certificate in force or an interval."""
    certificate = state.certificate_in_force
    if certificate is None:
        return None
    interval = inspection_interval(certificate.rulebook)
    if interval is None:
        return None
    since, basis = certificate.decision_date, InspectionBasis.RECOGNITION
    for record in state.inspections:
        if record.inspected_on > since:
            since, basis = record.inspected_on, InspectionBasis.INSPECTION
    return InspectionDueDate(
        certificate=certificate,
        due_on=add_days(since, interval),
        counted_from=basis,
        since=since,
        interval_days=interval,
    )


def inspection_due_instant(due_on: date) -> datetime:
    """The interval has passed at the start of its due day (midnight after the eve, Vietnam time)."""
    return end_of_day(due_on - timedelta(days=1))


def awaiting_inspection_due(state: JourneyState) -> InspectionDueDate | None:
    """The due date the journey's timer waits for: one not flagged yet (an inspection recorded after
    the flag moves the date on, and the timer runs again)."""
    due = inspection_due_date(state)
    if due is None or state.inspection_due_on == due.due_on:
        return None
    return due
