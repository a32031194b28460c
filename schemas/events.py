"""Journey events: the facts the decision log keeps, one discriminated union on ``type``.

Events reference parties by id only; names, phone numbers and addresses live in the parties table.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from schemas.council import CouncilRoster
from schemas.rulebook import Level, Part


class Variant(StrEnum):
    """Kind of dossier (ocop.md §1)."""

    NEW = "new"
    UPGRADE = "upgrade"
    RE_EVALUATION = "re_evaluation"


class Outcome(StrEnum):
    """Where a council result sends the journey (ocop.md §2, routing)."""

    NOT_RANKED = "not_ranked"
    RECOGNIZE = "recognize"
    FORWARD = "forward"
    RECOGNIZE_THEN_FORWARD = "recognize_then_forward"
    KEEP_CERTIFICATE = "keep_certificate"


class Deadline(StrEnum):
    DOSSIER_COMPLETION = "dossier_completion"
    COMMUNE_REPORT = "commune_report"
    RECOGNITION = "recognition"


class Certificate(BaseModel):
    """Giấy chứng nhận: valid from the decision date through ``valid_until`` (inclusive)."""

    model_config = ConfigDict(frozen=True)

    number: str
    stars: int
    level: Level
    decision_number: str
    decision_date: date
    valid_until: date
    rulebook: str


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IdeaRegistered(_Event):
    type: Literal["idea_registered"] = "idea_registered"
    journey_id: str
    producer_id: str
    product_name: str
    product_group: str
    province_code: int
    commune_code: int
    district: str | None = None
    rulebook: str


class CertifiedImported(_Event):
    """A product certified before the engine existed, imported with its certificate."""

    type: Literal["certified_imported"] = "certified_imported"
    journey_id: str
    producer_id: str
    product_name: str
    product_group: str
    province_code: int
    commune_code: int
    district: str | None = None
    certificate: Certificate


class IdeaAccepted(_Event):
    type: Literal["idea_accepted"] = "idea_accepted"


class IdeaReturned(_Event):
    type: Literal["idea_returned"] = "idea_returned"
    reason: str


class IdeaResubmitted(_Event):
    type: Literal["idea_resubmitted"] = "idea_resubmitted"


class PlanSubmitted(_Event):
    type: Literal["plan_submitted"] = "plan_submitted"
    document: str


class PlanApproved(_Event):
    type: Literal["plan_approved"] = "plan_approved"


class PlanReturned(_Event):
    type: Literal["plan_returned"] = "plan_returned"
    reason: str


class DossierSubmitted(_Event):
    type: Literal["dossier_submitted"] = "dossier_submitted"
    variant: Variant
    documents: list[str]
    commune_report_due: date | None = None


class UpgradeApplied(_Event):
    type: Literal["upgrade_applied"] = "upgrade_applied"
    documents: list[str]
    commune_report_due: date | None = None


class ReEvaluationApplied(_Event):
    type: Literal["re_evaluation_applied"] = "re_evaluation_applied"
    documents: list[str]
    commune_report_due: date | None = None


class DossierReturned(_Event):
    type: Literal["dossier_returned"] = "dossier_returned"
    missing_items: list[str]
    completion_due: date


class DossierResubmitted(_Event):
    type: Literal["dossier_resubmitted"] = "dossier_resubmitted"
    documents: list[str]
    commune_report_due: date | None = None


class DossierAccepted(_Event):
    type: Literal["dossier_accepted"] = "dossier_accepted"
    rulebook: str
    accepted_on: date
    level: Level
    commune_report: str | None = None


class EnrolledInRound(_Event):
    type: Literal["enrolled_in_round"] = "enrolled_in_round"
    round_id: str
    level: Level
    council: CouncilRoster


class CarriedOver(_Event):
    type: Literal["carried_over"] = "carried_over"
    from_round: str
    to_round: str
    council: CouncilRoster


class ScorecardSubmitted(_Event):
    type: Literal["scorecard_submitted"] = "scorecard_submitted"
    round_id: str
    member_id: str
    parts: dict[Part, Decimal]
    total: Decimal


class ScorecardAmended(_Event):
    type: Literal["scorecard_amended"] = "scorecard_amended"
    round_id: str
    member_id: str
    parts: dict[Part, Decimal]
    total: Decimal
    previous_total: Decimal


class ConflictRecorded(_Event):
    type: Literal["conflict_recorded"] = "conflict_recorded"
    member_id: str
    voided_total: Decimal | None = Field(default=None, description="The member's scorecard set aside.")


class CouncilFinalized(_Event):
    type: Literal["council_finalized"] = "council_finalized"
    round_id: str
    level: Level
    council_id: str
    scorecards: int
    mean: Decimal
    stars: int
    failed_mandatory_criteria: list[str] = Field(default_factory=list)
    outcome: Outcome
    recognize_stars: int | None = None
    next_level: Level | None = None
    recognition_due: date | None = None


class CentralResultBelowThreshold(_Event):
    type: Literal["central_result_below_threshold"] = "central_result_below_threshold"
    mean: Decimal
    stars: int
    certificate_number: str | None


class CertificateSuperseded(_Event):
    type: Literal["certificate_superseded"] = "certificate_superseded"
    certificate_number: str
    by_certificate_number: str


class Recognized(_Event):
    type: Literal["recognized"] = "recognized"
    level: Level
    stars: int
    decision_number: str
    decision_date: date
    certificate: Certificate
    forward_to: Level | None = None


class ExpiryNoticeSent(_Event):
    type: Literal["expiry_notice_sent"] = "expiry_notice_sent"
    certificate_number: str
    valid_until: date


class CertificateExpired(_Event):
    type: Literal["certificate_expired"] = "certificate_expired"
    certificate_number: str
    valid_until: date


class Revoked(_Event):
    type: Literal["revoked"] = "revoked"
    certificate_number: str
    grounds: str


class Withdrawn(_Event):
    type: Literal["withdrawn"] = "withdrawn"
    lapsed: bool = False
    application_only: bool = Field(
        default=False, description="Only the upgrade or re-evaluation was withdrawn; the certificate stays."
    )


class DeadlineMissed(_Event):
    type: Literal["deadline_missed"] = "deadline_missed"
    deadline: Deadline
    due: date
    due_from: str = Field(description="Role that owed the step.")


JourneyEvent = Annotated[
    IdeaRegistered
    | CertifiedImported
    | IdeaAccepted
    | IdeaReturned
    | IdeaResubmitted
    | PlanSubmitted
    | PlanApproved
    | PlanReturned
    | DossierSubmitted
    | UpgradeApplied
    | ReEvaluationApplied
    | DossierReturned
    | DossierResubmitted
    | DossierAccepted
    | EnrolledInRound
    | CarriedOver
    | ScorecardSubmitted
    | ScorecardAmended
    | ConflictRecorded
    | CouncilFinalized
    | CentralResultBelowThreshold
    | CertificateSuperseded
    | Recognized
    | ExpiryNoticeSent
    | CertificateExpired
    | Revoked
    | Withdrawn
    | DeadlineMissed,
    Field(discriminator="type"),
]

JOURNEY_EVENT: TypeAdapter[JourneyEvent] = TypeAdapter(JourneyEvent)


def event_data(event: JourneyEvent) -> dict[str, Any]:
    """The event's fields as stored in the log's ``data`` column (the type is stored beside it)."""
    return event.model_dump(mode="json", exclude={"type"})


def parse_event(event_type: str, data: dict[str, Any]) -> JourneyEvent:
    """Rebuild a domain event from the log's type and data."""
    return JOURNEY_EVENT.validate_python({**data, "type": event_type})
