"""The provinces' plans as they are written (kế hoạch OCOP), shipped as data: one JSON file each,
validated by ``WrittenPlan`` when this package is imported. ``ocop demo`` sets them, and
tests/workflows/test_plan_written.py reads each one's goals back as the plan states them."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from schemas import bounds
from schemas.plan import PlanGoal


class WrittenPlan(BaseModel):
    """A province's plan for a year as its document writes it: the goals, where they come from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    province_code: int = Field(description="The province's code of 2025 (the one its territory lies in).")
    year: int
    reference: str = Field(max_length=bounds.NAME_MAX, description="The plan's document.")
    former_province: str | None = Field(default=None, description="The province before the 2025 merger.")
    districts: list[str] | None = Field(default=None, description="The former province's districts.")
    statement: str = Field(
        description="The plan's goals in its words, as ../shared/domain/sources.md summarises them "
        "(a paraphrase, not the document's text)."
    )
    goals: list[PlanGoal] = Field(min_length=1)

    def body(self, reason: str | None = None) -> dict[str, Any]:
        """The body of ``PUT /v1/plans/{province}/{year}`` that sets this plan."""
        body: dict[str, Any] = {
            "goals": [goal.model_dump(mode="json", exclude_defaults=True) for goal in self.goals],
            "reference": self.reference,
        }
        if self.former_province is not None:
            body["former_province"] = self.former_province
        if self.districts is not None:
            body["districts"] = self.districts
        if reason is not None:
            body["reason"] = reason
        return body


def _load() -> dict[str, WrittenPlan]:
    plans: dict[str, WrittenPlan] = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".json"):
            plans[entry.name.removesuffix(".json")] = WrittenPlan.model_validate(
                json.loads(entry.read_text(encoding="utf-8"))
            )
    return plans


WRITTEN_PLANS: dict[str, WrittenPlan] = _load()
"""The shipped plans by file name (``thanh-hoa-2025``, ``thai-binh-2020``, …)."""
