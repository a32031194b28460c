"""Plans (kế hoạch): a province's targets for a year, and its progress against them (ocop.md §5)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    WithJsonSchema,
)

from schemas import bounds
from schemas.log import Actor


def _star_key(value: object) -> object:
    """JSON object keys are strings: the log and the read models hold ``"3"`` for the 3★ target."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


StarTargets = Annotated[
    dict[
        Annotated[Literal[3, 4, 5], BeforeValidator(_star_key)],
        Annotated[int, Field(ge=0, le=bounds.PLAN_TARGET_MAX)],
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
    targets: StarTargets = Field(examples=[{3: 137, 4: 20, 5: 3}])
    total: int | None = Field(
        default=None,
        ge=0,
        le=bounds.PLAN_TOTAL_MAX,
        description="Target of all new products, if set apart.",
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


PlanEvent = Annotated[PlanSet, Field(discriminator="type")]
PLAN_EVENT: TypeAdapter[PlanEvent] = TypeAdapter(PlanEvent)


class Plan(BaseModel):
    """A province-year plan (stream ``plan:{province}-{year}``)."""

    model_config = ConfigDict(frozen=True)

    province_code: int
    year: int
    targets: StarTargets
    total: int | None = None
    version: int = 0


class StarProgress(BaseModel):
    """Recognitions dated in the plan's year at one star rank, by kind, against the target."""

    stars: int
    target: int | None
    new: int = 0
    upgrade: int = 0
    re_evaluation: int = 0
    remaining: int | None = Field(description="Target minus new recognitions, not below 0.")


class PlanProgress(BaseModel):
    """A plan against the recognitions dated in its year in its province."""

    province_code: int
    year: int
    by_star: list[StarProgress]
    total_target: int | None
    total_new: int
    total_remaining: int | None


def plan_stream_id(province_code: int, year: int) -> str:
    return f"{province_code}-{year}"
