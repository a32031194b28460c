"""Products due an inspection (sản phẩm đến kỳ kiểm tra định kỳ, qd26-2026 Art. 9): the provincial
agency's planning list, computed from the journeys' read models — the certificate in force, its
recognition and the inspections recorded (workflows/inspection.py) — never from what a caller sends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from api import access
from api.engine import Engine
from api.services.cursors import after_id, cursor_for
from schemas.errors import InvalidCommand
from schemas.inspections import InspectionDueItem, InspectionsDuePage
from schemas.journey import JourneyState
from schemas.rulebooks import RULEBOOKS
from store.inspections import certified_since_by
from store.producers import ProducerStore
from workflows import places
from workflows.calendar import local_date
from workflows.inspection import InspectionDueDate, inspection_due_date

# Read models are read this many at a time while the list is computed.
_BATCH = 500


def _place_name(name_of: Any, code: int) -> str:
    try:
        return str(name_of(code))
    except InvalidCommand:  # a code the 2025 tables do not hold (an import's): the code itself
        return str(code)


async def inspections_due(
    engine: Engine,
    actor: access.Principal,
    *,
    province: int | None = None,
    commune: int | None = None,
    stars: int | None = None,
    within_days: int = 0,
    cursor: str | None = None,
    limit: int = 50,
    today: date | None = None,
) -> InspectionsDuePage:
    """The certified products in the caller's jurisdiction whose periodic inspection is due by
    ``within_days`` after today (Vietnam time), the longest overdue first, a page at a time."""
    access.check_read_inspections_due(actor)
    as_of = today or local_date(datetime.now(UTC))
    by = as_of + timedelta(days=within_days)
    wanted: dict[str, Any] = {}
    if province is not None:
        wanted["province_code"] = province
    if commune is not None:
        wanted["commune_code"] = commune
    if stars is not None:
        wanted["certificate"] = {"stars": stars}
    scope = access.list_scope(actor) or {}
    due: list[tuple[JourneyState, InspectionDueDate]] = []
    pool = await engine.pool()
    # Only certificates issued under a rulebook with an interval can fall due (older ones never do);
    # the store prunes to those counted from a day early enough, the rule decides each one.
    for book in RULEBOOKS.values():
        interval = book.inspection.periodic_interval_days if book.inspection is not None else None
        if interval is None:
            continue
        contains = access.merge_filters(scope, wanted, {"certificate": {"rulebook": book.id}})
        if contains is None:
            continue
        after: str | None = None
        while True:
            states = await certified_since_by(
                pool, contains=contains, since_by=by - timedelta(days=interval), after_id=after, limit=_BATCH
            )
            for state in states:
                when = inspection_due_date(state)
                if when is not None and when.due_on <= by:
                    due.append((state, when))
            if len(states) < _BATCH:
                break
            after = states[-1].journey_id
    due.sort(key=lambda pair: (pair[1].due_on, pair[0].journey_id))
    start = after_id(cursor)
    if start is not None:
        due = [pair for pair in due if f"{pair[1].due_on.isoformat()}|{pair[0].journey_id}" > start]
    page, more = due[:limit], len(due) > limit
    producers = ProducerStore(pool)
    names: dict[str, str | None] = {}
    for state, _ in page:
        organisation = state.producer_organisation
        if organisation is not None and organisation not in names:
            record = await producers.get(organisation)
            names[organisation] = record.name if record is not None else None
    items = [_item(state, when, as_of, names) for state, when in page]
    next_cursor = None
    if more and page:
        last_state, last_due = page[-1]
        next_cursor = cursor_for(f"{last_due.due_on.isoformat()}|{last_state.journey_id}")
    return InspectionsDuePage(as_of=as_of, items=items, next_cursor=next_cursor)


def _item(
    state: JourneyState, when: InspectionDueDate, as_of: date, names: dict[str, str | None]
) -> InspectionDueItem:
    inspected = [record.inspected_on for record in state.inspections]
    organisation = state.producer_organisation
    return InspectionDueItem(
        journey_id=state.journey_id,
        product_name=state.product_name,
        product_code=state.product_code,
        province_code=state.province_code,
        province_name=_place_name(places.province_name, state.province_code),
        commune_code=state.commune_code,
        commune_name=_place_name(places.commune_name, state.commune_code),
        producer_organisation=organisation,
        producer_name=names.get(organisation) if organisation is not None else None,
        stars=when.certificate.stars,
        certificate_number=when.certificate.number,
        recognized_on=when.certificate.decision_date,
        last_inspected_on=max(inspected) if inspected else None,
        counted_from=when.counted_from,
        due_on=when.due_on,
        days_overdue=(as_of - when.due_on).days,
        flagged=state.inspection_due_on == when.due_on,
    )
