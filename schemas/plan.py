"""Plans (kế hoạch): a province's targets for a year, and its progress against them (ocop.md §5).

A plan is entered as it is written: per-star targets of new products and a total (the first shape,
``targets`` and ``total``), or the plan's goals (chỉ tiêu), each of a kind (new, upgraded,
re-evaluated or evaluated products, products proposed to the central level, producer
organisations taking part, new or consolidated, provincial rounds held), each exact, "at least"
or a range, for the province, a commune or a former district, or for each of them."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    WithJsonSchema,
    model_validator,
)

from schemas import bounds
from schemas.log import Actor
from schemas.rulebook import Level


def _count(value: object) -> object:
    """A count (a target, a goal's number) as JSON writes an integer, and only so. Written Vietnamese
    puts a dot between thousands, so text such as "1.000" (a thousand) would be read as 1; a JSON
    ``1.000`` arrives as the float 1.0, and ``true`` as 1: all refused, never read as another number."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("a count is written as a whole number (1000), not as text, a decimal or true/false")
    return value


# Counts of products, organisations or rounds: integers, never text or a decimal (``_count``).
TargetCount = Annotated[int, Field(ge=0, le=bounds.PLAN_TARGET_MAX), BeforeValidator(_count)]


def _star_key(value: object) -> object:
    """JSON object keys are strings: the log and the read models hold ``"3"`` for the 3★ target."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


StarTargets = Annotated[
    dict[
        Annotated[Literal[3, 4, 5], BeforeValidator(_star_key)],
        TargetCount,
    ],
    # As JSON has it: the keys are the strings "3", "4", "5".
    WithJsonSchema(
        {
            "type": "object",
            "propertyNames": {"enum": ["3", "4", "5"]},
            "additionalProperties": {"type": "integer", "minimum": 0, "maximum": bounds.PLAN_TARGET_MAX},
        }
    ),
]


class GoalKind(StrEnum):
    """What a goal (chỉ tiêu) counts in the plan's year."""

    NEW_PRODUCTS = "new_products"  # sản phẩm mới được công nhận
    UPGRADED_PRODUCTS = "upgraded_products"  # sản phẩm được nâng hạng (nâng cấp)
    RE_EVALUATED_PRODUCTS = "re_evaluated_products"  # sản phẩm được đánh giá lại
    EVALUATED_PRODUCTS = "evaluated_products"  # sản phẩm được đưa ra đánh giá, phân hạng
    PROPOSED_TO_CENTRAL = "proposed_to_central"  # sản phẩm đề xuất Trung ương đánh giá (5★)
    PARTICIPATING_ORGANISATIONS = "participating_organisations"  # tổ chức kinh tế tham gia
    NEW_ORGANISATIONS = "new_organisations"  # tổ chức kinh tế phát triển mới
    CONSOLIDATED_ORGANISATIONS = "consolidated_organisations"  # tổ chức kinh tế được củng cố
    PROVINCIAL_ROUNDS = "provincial_rounds"  # đợt đánh giá cấp tỉnh


# Kinds counted from recognitions: a rank (and a level) narrows them.
RECOGNITION_KINDS = frozenset(
    {GoalKind.NEW_PRODUCTS, GoalKind.UPGRADED_PRODUCTS, GoalKind.RE_EVALUATED_PRODUCTS}
)
PRODUCT_KINDS = RECOGNITION_KINDS | {GoalKind.EVALUATED_PRODUCTS, GoalKind.PROPOSED_TO_CENTRAL}


class Bound(StrEnum):
    """How a goal's number is written: exactly, at least (ít nhất, trở lên), or a range (từ … đến …)."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    RANGE = "range"


class Scope(StrEnum):
    """Where a goal is counted: the whole province, one commune or former district, or each of them
    (each district of a plan written before the 2025 merger: the district as journeys record it)."""

    PROVINCE = "province"
    COMMUNE = "commune"
    DISTRICT = "district"
    EACH_COMMUNE = "each_commune"
    EACH_DISTRICT = "each_district"


AREA_SCOPES = frozenset({Scope.EACH_COMMUNE, Scope.EACH_DISTRICT})

GoalNumber = Annotated[int, Field(ge=0, le=bounds.PLAN_TOTAL_MAX), BeforeValidator(_count)]


def _named(name: str) -> str:
    """A district's name as written, stripped; never only spaces."""
    if bounds.is_blank(name):
        raise ValueError("a district's name must not be blank")
    return name.strip()


DistrictName = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_named)]


class PlanGoal(BaseModel):
    """One goal of a plan (chỉ tiêu kế hoạch), as the plan writes it: ``value`` is the number (the
    low end of a range, whose high end is ``up_to``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: GoalKind
    bound: Bound = Bound.EXACT
    value: GoalNumber
    up_to: GoalNumber | None = Field(default=None, description="The high end of a range.")
    stars: Literal[3, 4, 5] | None = Field(
        default=None, description="Recognitions at this rank only (new, upgraded, re-evaluated products)."
    )
    or_higher: bool = Field(default=False, description="With ``stars``: that rank or higher (3★ trở lên).")
    level: Level | None = Field(
        default=None, description="Recognitions or council results at this level only (cấp tỉnh)."
    )
    scope: Scope = Scope.PROVINCE
    commune_code: int | None = Field(
        default=None, ge=bounds.COMMUNE_CODES[0], le=bounds.COMMUNE_CODES[1], description="Scope commune."
    )
    district: DistrictName | None = Field(default=None, description="Scope district: its name as written.")
    districts: list[DistrictName] | None = Field(
        default=None,
        max_length=100,
        description="Scope each_district: the former districts the plan covers (a district with no "
        "journey shows too).",
    )

    @model_validator(mode="after")
    def _as_written(self) -> Self:
        """A goal reads one way only: what does not apply to its kind, bound or scope is refused."""
        if (self.bound == Bound.RANGE) != (self.up_to is not None):
            raise ValueError("a range has an upper end (up_to), and only a range has one")
        if self.up_to is not None and self.up_to <= self.value:
            raise ValueError("a range's upper end (up_to) must be above its lower end (value)")
        if self.stars is not None and self.kind not in RECOGNITION_KINDS:
            raise ValueError(f"a rank applies to recognized products, not to {self.kind.value}")
        if self.or_higher and self.stars is None:
            raise ValueError("or_higher needs a rank (stars)")
        if self.level is not None and self.kind not in PRODUCT_KINDS - {GoalKind.PROPOSED_TO_CENTRAL}:
            raise ValueError(f"a level applies to recognized or evaluated products, not to {self.kind.value}")
        if self.kind == GoalKind.PROVINCIAL_ROUNDS and self.scope != Scope.PROVINCE:
            raise ValueError("provincial rounds are counted for the province")
        if (self.scope == Scope.COMMUNE) != (self.commune_code is not None):
            raise ValueError("a commune's goal names its commune (commune_code), and only it")
        if (self.scope == Scope.DISTRICT) != (self.district is not None):
            raise ValueError("a district's goal names its district, and only it")
        if self.districts is not None and self.scope != Scope.EACH_DISTRICT:
            raise ValueError("districts are listed only for a goal of each district")
        return self

    @property
    def minimum(self) -> int:
        return self.value

    @property
    def maximum(self) -> int | None:
        """The most the goal allows (an exact goal: its number; "at least": none)."""
        return {Bound.EXACT: self.value, Bound.AT_LEAST: None, Bound.RANGE: self.up_to}[self.bound]


def _unset(value: object) -> bool:
    return value is None


def _plannable_year(year: int) -> int:
    """A plan is set for a year from the programme's first to five years ahead (schemas.bounds)."""
    last = bounds.last_plan_year(bounds.today())
    if year > last:
        raise ValueError(f"a plan is set for a year up to {last}; got {year}")
    return year


class SetPlan(BaseModel):
    """Set (or revise) a province's targets of new recognized products for a year, per star.

    Only built by the API from a request (not recorded in a workflow's history; the log records
    ``PlanSet``), so its bounds may follow today's date."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: Actor
    province_code: int = Field(ge=bounds.PROVINCE_CODES[0], le=bounds.PROVINCE_CODES[1])
    year: Annotated[int, AfterValidator(_plannable_year)] = Field(ge=bounds.PLAN_FIRST_YEAR, le=2100)
    targets: StarTargets = Field(
        default_factory=dict,
        examples=[{3: 137, 4: 20, 5: 3}],
        description="Exact targets of new products per star (or give ``goals``).",
    )
    total: GoalNumber | None = Field(
        default=None,
        description="Target of all new products, if set apart.",
    )
    goals: list[PlanGoal] | None = Field(
        default=None,
        max_length=200,
        description="The plan's goals as written (instead of ``targets`` and ``total``).",
    )
    reference: str | None = Field(
        default=None, max_length=bounds.NAME_MAX, description="The plan's document, e.g. KH 36/KH-UBND."
    )
    former_province: str | None = Field(
        default=None,
        max_length=200,
        description="The province that wrote the plan, before the 2025 merger (e.g. Thái Bình).",
    )
    districts: list[DistrictName] | None = Field(
        default=None,
        max_length=100,
        description="The former province's districts: the plan then counts only the products of "
        "journeys that name one of them (not those of the provinces merged with it in 2025), and a "
        "goal of each district without a list of its own covers them.",
    )
    reason: str | None = Field(default=None, max_length=bounds.REASON_MAX)


# Events of this stream: the evolution rule of schemas/events.py holds for them (the permanent record).
class PlanSet(BaseModel):
    """A province set (or revised) its year's targets of new products per star (kế hoạch)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["plan_set"] = "plan_set"
    province_code: int
    year: int
    targets: StarTargets
    total: int | None = None
    # Added for plans as written (issue 19): left out of the stored data while None.
    goals: list[PlanGoal] | None = Field(default=None, exclude_if=_unset)
    reference: str | None = Field(default=None, exclude_if=_unset)
    former_province: str | None = Field(default=None, exclude_if=_unset)
    districts: list[str] | None = Field(default=None, exclude_if=_unset)


PlanEvent = Annotated[PlanSet, Field(discriminator="type")]
PLAN_EVENT: TypeAdapter[PlanEvent] = TypeAdapter(PlanEvent)


class Plan(BaseModel):
    """A province-year plan (stream ``plan:{province}-{year}``)."""

    model_config = ConfigDict(frozen=True)

    province_code: int
    year: int
    targets: StarTargets
    total: int | None = None
    goals: list[PlanGoal] | None = Field(default=None, exclude_if=_unset)
    reference: str | None = Field(default=None, exclude_if=_unset)
    former_province: str | None = Field(default=None, exclude_if=_unset)
    districts: list[str] | None = Field(default=None, exclude_if=_unset)
    version: int = 0

    @property
    def all_goals(self) -> list[PlanGoal]:
        """The plan's goals; per-star targets and a total stand as exact goals of new products."""
        if self.goals is not None:
            return self.goals
        goals = [
            PlanGoal(kind=GoalKind.NEW_PRODUCTS, stars=stars, value=target)
            for stars, target in sorted(self.targets.items())
        ]
        if self.total is not None:
            goals.append(PlanGoal(kind=GoalKind.NEW_PRODUCTS, value=self.total))
        return goals


class StarProgress(BaseModel):
    """Recognitions dated in the plan's year at one star rank, by kind, against the target."""

    stars: int
    target: int | None
    new: int = 0
    upgrade: int = 0
    re_evaluation: int = 0
    remaining: int | None = Field(description="Target minus new recognitions, not below 0.")


class GoalStatus(StrEnum):
    BELOW = "below"  # chưa đạt
    MET = "met"  # đạt
    ABOVE = "above"  # vượt (beyond an exact goal or a range's upper end)


class AreaProgress(BaseModel):
    """A goal of each commune or district, in one of them."""

    area: str = Field(description="The commune's code, or the district's name as journeys record it.")
    name: str
    achieved: int
    remaining: int
    status: GoalStatus


class GoalProgress(BaseModel):
    """One goal against what the log holds for the plan's year: what remains is to its lower end."""

    goal: PlanGoal
    achieved: int = Field(description="For a goal of each area: the sum over the areas.")
    remaining: int
    status: GoalStatus
    areas: list[AreaProgress] | None = Field(
        default=None, description="A goal of each commune or district: the areas with anything to count."
    )
    areas_met: int | None = Field(default=None, description="Areas at or above the goal's lower end.")
    areas_total: int | None = Field(default=None, description="Areas the goal applies to.")


def goal_status(goal: PlanGoal, achieved: int) -> GoalStatus:
    maximum = goal.maximum
    if achieved < goal.minimum:
        return GoalStatus.BELOW
    return GoalStatus.ABOVE if maximum is not None and achieved > maximum else GoalStatus.MET


class PlanProgress(BaseModel):
    """A plan against the recognitions dated in its year in its province."""

    province_code: int
    year: int
    by_star: list[StarProgress]
    total_target: int | None
    total_new: int
    total_remaining: int | None
    goals: list[GoalProgress] = Field(default_factory=list, description="Each goal of the plan, as written.")
    reference: str | None = None
    former_province: str | None = None
    districts: list[str] | None = None


def plan_stream_id(province_code: int, year: int) -> str:
    return f"{province_code}-{year}"
