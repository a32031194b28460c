"""The pure rules of plans: setting targets, and counting progress from journeys' recognitions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from schemas.errors import InvalidCommand, NotAllowed
from schemas.events import Variant
from schemas.journey import JourneyState
from schemas.plan import Plan, PlanEvent, PlanProgress, PlanSet, SetPlan, StarProgress
from schemas.roles import Role
from workflows import places

RANKS = (3, 4, 5)


def decide_plan(state: Plan | None, command: SetPlan, now: datetime) -> list[PlanEvent]:
    """A provincial officer or an administrator sets the plan; a revision is a new event."""
    if command.actor.role not in (Role.PROVINCIAL_OFFICER.value, Role.ADMINISTRATOR.value):
        raise NotAllowed("a province's plan is set by its provincial officer or an administrator")
    places.province_name(command.province_code)
    if command.total is not None and command.total < sum(command.targets.values()):
        raise InvalidCommand("the total target cannot be lower than the sum of the per-star targets")
    return [
        PlanSet(
            province_code=command.province_code,
            year=command.year,
            targets=command.targets,
            total=command.total,
        )
    ]


def evolve_plan(state: Plan | None, event: PlanEvent, at: datetime) -> Plan:
    return Plan(
        province_code=event.province_code,
        year=event.year,
        targets=event.targets,
        total=event.total,
        version=(state.version if state else 0) + 1,
    )


def plan_progress(plan: Plan, journeys: Iterable[JourneyState]) -> PlanProgress:
    """Count recognitions dated in the plan's year (the decision date) in its province, by star and
    kind; only new products count towards the targets.

    A new product counts once a year, at the highest rank recognized for it that year: a potential
    5★ product recognized 4★ by the province and 5★ by the central council in the same year is one
    new 5★ product (the plan's per-star targets add up to its total of products)."""
    counts = {stars: {kind: 0 for kind in Variant} for stars in RANKS}
    for journey in journeys:
        if journey.province_code != plan.province_code:
            continue
        this_year = [
            recognition
            for recognition in journey.recognitions
            if recognition.decision_date.year == plan.year and recognition.stars in counts
        ]
        new_ranks = [recognition.stars for recognition in this_year if recognition.kind == Variant.NEW]
        if new_ranks:
            counts[max(new_ranks)][Variant.NEW] += 1
        for recognition in this_year:
            if recognition.kind != Variant.NEW:
                counts[recognition.stars][recognition.kind] += 1
    by_star = []
    for stars in RANKS:
        target = plan.targets.get(stars)  # type: ignore[call-overload]
        new = counts[stars][Variant.NEW]
        by_star.append(
            StarProgress(
                stars=stars,
                target=target,
                new=new,
                upgrade=counts[stars][Variant.UPGRADE],
                re_evaluation=counts[stars][Variant.RE_EVALUATION],
                remaining=max(target - new, 0) if target is not None else None,
            )
        )
    total_target = plan.total if plan.total is not None else (sum(plan.targets.values()) or None)
    total_new = sum(row.new for row in by_star)
    return PlanProgress(
        province_code=plan.province_code,
        year=plan.year,
        by_star=by_star,
        total_target=total_target,
        total_new=total_new,
        total_remaining=max(total_target - total_new, 0) if total_target is not None else None,
    )
