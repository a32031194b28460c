"""The pure rules of plans: setting targets, and counting progress from journeys' recognitions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime

from schemas.errors import InvalidCommand, NotAllowed
from schemas.events import Outcome, Variant
from schemas.journey import CountedJourney, JourneyState
from schemas.plan import (
    AREA_SCOPES,
    AreaProgress,
    GoalKind,
    GoalProgress,
    GoalStatus,
    Plan,
    PlanEvent,
    PlanGoal,
    PlanProgress,
    PlanSet,
    Scope,
    SetPlan,
    StarProgress,
    goal_status,
)
from schemas.refusals import Reason
from schemas.roles import Role
from schemas.round import RoundState, RoundStatus
from schemas.rulebook import Level
from workflows import places
from workflows.calendar import local_date

RANKS = (3, 4, 5)

# What progress counts: a journey's read model whole, or the slice of it the store reads.
Counted = JourneyState | CountedJourney


def decide_plan(state: Plan | None, command: SetPlan, now: datetime) -> list[PlanEvent]:
    """A provincial officer or an administrator sets the plan; a revision is a new event."""
    if command.actor.role not in (Role.PROVINCIAL_OFFICER.value, Role.ADMINISTRATOR.value):
        raise NotAllowed(Reason("plan.setter"))
    places.province_name(command.province_code)
    if command.total is not None and command.total < sum(command.targets.values()):
        raise InvalidCommand(Reason("plan.total_below_targets"))
    if command.goals is not None:
        if command.targets or command.total is not None:
            raise InvalidCommand(Reason("plan.targets_or_goals"))
        _check_goals(command.province_code, command.goals)
    return [
        PlanSet(
            province_code=command.province_code,
            year=command.year,
            targets=command.targets,
            total=command.total,
            goals=command.goals,
            reference=command.reference,
            former_province=command.former_province,
            districts=command.districts,
        )
    ]


def _check_goals(province_code: int, goals: list[PlanGoal]) -> None:
    """A commune goal's commune lies in the province; the province's new products of each rank add up
    to no more than its total of new products allows."""
    for goal in goals:
        if goal.commune_code is not None:
            places.check_commune(province_code, goal.commune_code)
    whole = [goal for goal in goals if goal.kind == GoalKind.NEW_PRODUCTS and _whole_province(goal)]
    per_star = sum(goal.minimum for goal in whole if goal.stars is not None and not goal.or_higher)
    for total in (goal for goal in whole if goal.stars is None):
        if total.maximum is not None and total.maximum < per_star:
            raise InvalidCommand(Reason("plan.goal_total_below", total=total.maximum, per_star=per_star))


def _whole_province(goal: PlanGoal) -> bool:
    return goal.scope == Scope.PROVINCE and goal.level is None


def evolve_plan(state: Plan | None, event: PlanEvent, at: datetime) -> Plan:
    return Plan(
        province_code=event.province_code,
        year=event.year,
        targets=event.targets,
        total=event.total,
        goals=event.goals,
        reference=event.reference,
        former_province=event.former_province,
        districts=event.districts,
        version=(state.version if state else 0) + 1,
    )


def plan_progress(
    plan: Plan, journeys: Iterable[Counted], rounds: Iterable[RoundState] = ()
) -> PlanProgress:
    """Count recognitions dated in the plan's year (the decision date) in its province, by star and
    kind; only new products count towards the targets.

    A new product counts once a year, at the highest rank recognized for it that year: a potential
    5★ product recognized 4★ by the province and 5★ by the central council in the same year is one
    new 5★ product (the plan's per-star targets add up to its total of products)."""
    territory = {district_key(name) for name in plan.districts} if plan.districts is not None else None
    journeys = [
        journey
        for journey in journeys
        if journey.province_code == plan.province_code
        and (
            territory is None
            or (journey.district is not None and district_key(journey.district) in territory)
        )
    ]
    goals = plan.all_goals
    star_targets: dict[int, int] = {
        goal.stars: goal.minimum
        for goal in goals
        if goal.kind == GoalKind.NEW_PRODUCTS and _whole_province(goal) and goal.stars and not goal.or_higher
    }
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
        target = star_targets.get(stars)
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
    totals = [goal.minimum for goal in goals if goal.kind == GoalKind.NEW_PRODUCTS and _whole_province(goal)
              and goal.stars is None]  # fmt: skip
    total_target = totals[0] if totals else (sum(star_targets.values()) or None)
    total_new = sum(row.new for row in by_star)
    held = [state for state in rounds if _held_by(state, plan)]
    return PlanProgress(
        province_code=plan.province_code,
        year=plan.year,
        by_star=by_star,
        total_target=total_target,
        total_new=total_new,
        total_remaining=max(total_target - total_new, 0) if total_target is not None else None,
        goals=[goal_progress(goal, plan, journeys, held) for goal in goals],
        reference=plan.reference,
        former_province=plan.former_province,
        districts=plan.districts,
    )


# -- goals as written --------------------------------------------------------------------------

# Council outcomes by which the province proposes a product to the central level.
PROPOSES = frozenset({Outcome.FORWARD, Outcome.RECOGNIZE_THEN_FORWARD, Outcome.APPROVE_THEN_FORWARD})
# Recognitions each product kind counts.
VARIANT_OF = {
    GoalKind.NEW_PRODUCTS: Variant.NEW,
    GoalKind.UPGRADED_PRODUCTS: Variant.UPGRADE,
    GoalKind.RE_EVALUATED_PRODUCTS: Variant.RE_EVALUATION,
}
ORGANISATION_KINDS = frozenset(
    {
        GoalKind.PARTICIPATING_ORGANISATIONS,
        GoalKind.NEW_ORGANISATIONS,
        GoalKind.CONSOLIDATED_ORGANISATIONS,
    }
)


def _held_by(state: RoundState, plan: Plan) -> bool:
    """A provincial round of the plan's province whose council met in the year and that was closed."""
    return (
        state.level == Level.PROVINCE
        and state.jurisdiction == str(plan.province_code)
        and state.meeting_date.year == plan.year
        and state.status in (RoundStatus.CLOSED, RoundStatus.RESULTS_PUBLISHED)
    )


def _product_counts(goal: PlanGoal, year: int, journey: Counted) -> bool:
    """Whether the journey's product counts towards a goal of products in ``year``: once a year, a
    recognized product at the highest rank recognized for it that year (at the goal's level)."""
    if goal.kind in VARIANT_OF:
        ranks = [
            recognition.stars
            for recognition in journey.recognitions
            if recognition.decision_date.year == year
            and recognition.kind == VARIANT_OF[goal.kind]
            and (goal.level is None or recognition.level == goal.level)
        ]
        if not ranks or goal.stars is None:
            return bool(ranks)
        return max(ranks) >= goal.stars if goal.or_higher else max(ranks) == goal.stars
    results = [result for result in journey.results if local_date(result.finalized_at).year == year]
    if goal.kind == GoalKind.EVALUATED_PRODUCTS:
        return any(goal.level is None or result.level == goal.level for result in results)
    # Proposed to the central level: a provincial council's result that sends the product on.
    return any(result.level == Level.PROVINCE and result.outcome in PROPOSES for result in results)


def _years_active(journey: Counted) -> set[int]:
    """Years in which the journey's producer took part: registered (not imported), evaluated, recognized."""
    years = {recognition.decision_date.year for recognition in journey.recognitions}
    years |= {local_date(result.finalized_at).year for result in journey.results}
    if not journey.imported:
        years.add(local_date(journey.registered_at).year)
    return years


def organisation_of(journey: Counted) -> str:
    """The producer organisation (chủ thể OCOP) a journey counts for: its organisation id when the
    journey names one, else the producer's own id (journeys from before producers were entered)."""
    return journey.producer_organisation or journey.producer_id


# How a district's name may begin ("Huyện Đông Hưng", "TP. Việt Trì"): the name is what follows.
DISTRICT_PREFIXES = ("huyện ", "thị xã ", "thành phố ", "tp. ", "tp ", "quận ")


def district_key(name: str) -> str:
    """A former district's name as plans and journeys both write it: without its kind, any case."""
    key = " ".join(name.split()).casefold()
    for prefix in DISTRICT_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _area_of(scope: Scope, journey: Counted) -> str | None:
    if scope in (Scope.COMMUNE, Scope.EACH_COMMUNE):
        return str(journey.commune_code)
    if scope in (Scope.DISTRICT, Scope.EACH_DISTRICT):
        return district_key(journey.district) if journey.district else None
    return "province"


def _counter(goal: PlanGoal, year: int, journeys: list[Counted]) -> Callable[[list[Counted]], int]:
    """How the goal counts among some of the province's journeys (those of one area)."""
    if goal.kind not in ORGANISATION_KINDS:
        return lambda some: sum(_product_counts(goal, year, journey) for journey in some)
    # An organisation's first year in the programme is read from all its journeys in the province.
    first_year: dict[str, int] = {}
    for journey in journeys:
        active = _years_active(journey)
        if active:
            key = organisation_of(journey)
            first_year[key] = min(first_year.get(key, year), *active)

    def organisations(some: list[Counted]) -> int:
        taking_part = {organisation_of(journey) for journey in some if year in _years_active(journey)}
        if goal.kind == GoalKind.NEW_ORGANISATIONS:
            return sum(first_year[key] == year for key in taking_part)
        if goal.kind == GoalKind.CONSOLIDATED_ORGANISATIONS:
            return sum(first_year[key] < year for key in taking_part)
        return len(taking_part)

    return organisations


def goal_progress(
    goal: PlanGoal, plan: Plan, journeys: list[Counted], held: list[RoundState]
) -> GoalProgress:
    """One goal against the year's log: achieved, what remains to its lower end, met or not; a goal
    of each commune or district per area (an area with nothing to count remains in full)."""
    if goal.kind == GoalKind.PROVINCIAL_ROUNDS:
        achieved = len(held)
        return GoalProgress(
            goal=goal,
            achieved=achieved,
            remaining=max(goal.minimum - achieved, 0),
            status=goal_status(goal, achieved),
        )
    count = _counter(goal, plan.year, journeys)
    by_area: dict[str, list[Counted]] = defaultdict(list)
    for journey in journeys:
        area = _area_of(goal.scope, journey)
        if area is not None:
            by_area[area].append(journey)
    if goal.scope not in AREA_SCOPES:
        wanted = {Scope.PROVINCE: "province", Scope.COMMUNE: str(goal.commune_code)}.get(
            goal.scope, district_key(goal.district or "")
        )
        achieved = count(by_area.get(wanted, []))
        return GoalProgress(
            goal=goal,
            achieved=achieved,
            remaining=max(goal.minimum - achieved, 0),
            status=goal_status(goal, achieved),
        )
    if goal.scope == Scope.EACH_COMMUNE:
        names = {str(code): name for code, name in places.communes_of(plan.province_code)}
    elif goal.districts is not None or plan.districts is not None:
        names = {district_key(name): name for name in goal.districts or plan.districts or []}
    else:  # the districts the province's journeys name
        names = {area: journey.district or area for area, [journey, *_] in sorted(by_area.items())}
    areas = [
        AreaProgress(
            area=area,
            name=name,
            achieved=(achieved := count(by_area.get(area, []))),
            remaining=max(goal.minimum - achieved, 0),
            status=goal_status(goal, achieved),
        )
        for area, name in names.items()
    ]
    statuses = {area.status for area in areas}
    status = next((s for s in (GoalStatus.BELOW, GoalStatus.ABOVE) if s in statuses), GoalStatus.MET)
    return GoalProgress(
        goal=goal,
        achieved=sum(area.achieved for area in areas),
        remaining=sum(area.remaining for area in areas),
        status=status,
        # Every district the plan names; of a province's hundred-odd communes, those with a count.
        areas=[area for area in areas if area.achieved or goal.scope == Scope.EACH_DISTRICT],
        areas_met=sum(area.status != GoalStatus.BELOW for area in areas),
        areas_total=len(areas),
    )
