"""The list of products due an inspection (sản phẩm đến kỳ kiểm tra định kỳ, qd26-2026 Art. 9): views
computed from the journeys' read models (workflows/inspection.py), never from what a caller sends."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from schemas.events import InspectionBasis


class InspectionDueItem(BaseModel):
    """A certified product whose periodic inspection is due, with the facts the agency plans by."""

    model_config = ConfigDict(frozen=True)

    journey_id: str
    product_name: str
    product_code: str | None = None
    province_code: int
    province_name: str
    commune_code: int
    commune_name: str
    producer_organisation: str | None = Field(default=None, description="The producer organisation's id.")
    producer_name: str | None = Field(default=None, description="The producer organisation's name.")
    stars: int
    certificate_number: str
    recognized_on: date = Field(description="The certificate's decision date.")
    last_inspected_on: date | None = Field(default=None, description="The last recorded inspection's day.")
    counted_from: InspectionBasis
    due_on: date = Field(description="The day the periodic inspection fell (or falls) due.")
    days_overdue: int = Field(description="Days from the due day to the day asked about (0 on the day).")
    flagged: bool = Field(description="The journey recorded its inspection_due for this due day.")


class InspectionsDuePage(BaseModel):
    """One page of the products due an inspection, the longest overdue first."""

    as_of: date = Field(description="The day (Vietnam time) the list is computed for.")
    items: list[InspectionDueItem]
    next_cursor: str | None = None
