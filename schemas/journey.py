"""A product journey's state: the fold of its events with ``evolve``, and its read model."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from schemas.council import CouncilRoster
from schemas.events import Certificate, Deadline, Outcome, Variant
from schemas.procedure import AdvisoryStep
from schemas.rulebook import InspectionCheck, InspectionKind, Level, Part, RevocationGround
from schemas.scorecard import Choice, MinimumJudgement, RankHeldBack


class Status(StrEnum):
    """Journey states of ocop.md §2."""

    IDEA_REGISTERED = "IDEA_REGISTERED"
    IDEA_RETURNED = "IDEA_RETURNED"
    PLAN_PENDING = "PLAN_PENDING"
    PLAN_SUBMITTED = "PLAN_SUBMITTED"
    IN_DEVELOPMENT = "IN_DEVELOPMENT"
    DOSSIER_SUBMITTED = "DOSSIER_SUBMITTED"
    DOSSIER_RETURNED = "DOSSIER_RETURNED"
    AWAITING_ROUND = "AWAITING_ROUND"
    IN_EVALUATION = "IN_EVALUATION"
    AWAITING_RECOGNITION = "AWAITING_RECOGNITION"
    AWAITING_APPROVAL = "AWAITING_APPROVAL"  # qd26-2026: a potential 5★ awaits the chairman's approval
    CERTIFIED = "CERTIFIED"
    NOT_RANKED = "NOT_RANKED"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"
    WITHDRAWN = "WITHDRAWN"


TERMINAL = frozenset({Status.NOT_RANKED, Status.EXPIRED, Status.REVOKED, Status.WITHDRAWN})
# Statuses of an application in progress: the producer may withdraw from any of them.
OPEN = frozenset(
    {
        Status.IDEA_REGISTERED,
        Status.IDEA_RETURNED,
        Status.PLAN_PENDING,
        Status.PLAN_SUBMITTED,
        Status.IN_DEVELOPMENT,
        Status.DOSSIER_SUBMITTED,
        Status.DOSSIER_RETURNED,
        Status.AWAITING_ROUND,
        Status.IN_EVALUATION,
        Status.AWAITING_RECOGNITION,
        Status.AWAITING_APPROVAL,
    }
)
# Before acceptance the intake rules of the rulebook in force apply; after it, the pinned rulebook.
BEFORE_ACCEPTANCE = frozenset(
    {
        Status.IDEA_REGISTERED,
        Status.IDEA_RETURNED,
        Status.PLAN_PENDING,
        Status.PLAN_SUBMITTED,
        Status.IN_DEVELOPMENT,
        Status.DOSSIER_SUBMITTED,
        Status.DOSSIER_RETURNED,
    }
)


class Scorecard(BaseModel):
    """One voting member's scores for this product in the current evaluation."""

    model_config = ConfigDict(frozen=True)

    member_id: str
    parts: dict[Part, Decimal]
    total: Decimal
    amendments: int = 0
    # Scored by option: the sheet, the choices and each applicable criterion's points (None: parts).
    sheet: str | None = Field(default=None, exclude_if=lambda value: value is None)
    choices: dict[str, Choice] | None = Field(default=None, exclude_if=lambda value: value is None)
    points: dict[str, Decimal] | None = Field(default=None, exclude_if=lambda value: value is None)
    not_applicable: list[str] | None = Field(default=None, exclude_if=lambda value: value is None)


class SelfAssessment(BaseModel):
    """The producer's own scores (tự đánh giá, Mẫu 02 phần III) on the product's sheet, with the
    documents supporting each criterion: part of the dossier, never counted in the council's result."""

    model_config = ConfigDict(frozen=True)

    sheet: str
    choices: dict[str, Choice]
    points: dict[str, Decimal]
    not_applicable: list[str] = Field(default_factory=list)
    parts: dict[Part, Decimal]
    total: Decimal
    criterion_evidence: dict[str, list[str]] = Field(default_factory=dict)
    revision: int = 0
    submitted_at: datetime


# The event that opens a council evaluation (a carry-over continues it, with its scorecards).
OPENS_EVALUATION = "enrolled_in_round"


class SealedScorecard(BaseModel):
    """A scorecard its reader may not see yet (chấm điểm độc lập): who submitted it and how often
    they amended it, not its scores (``api.visibility`` decides)."""

    model_config = ConfigDict(frozen=True)

    member_id: str
    amendments: int = 0


class Evaluation(BaseModel):
    """The council evaluation in progress at one level, in one round."""

    model_config = ConfigDict(frozen=True)

    round_id: str
    level: Level
    council: CouncilRoster
    scorecards: dict[str, Scorecard] = Field(default_factory=dict)
    meeting_requested_by: list[str] = Field(
        default_factory=list,
        exclude_if=lambda value: not value,
        description="Members who asked a council evaluating by written opinion to meet (Art. 7.6.d).",
    )
    sealed: dict[str, SealedScorecard] = Field(
        default_factory=dict,
        description="Scorecards submitted that this reader may not read yet: a voting member reads the "
        "others' once they have submitted their own, everyone once the result is finalized. Always "
        "empty in the record; filled only in what a read answers.",
    )


class CouncilResult(BaseModel):
    """Kết quả đánh giá: a finalized council result."""

    model_config = ConfigDict(frozen=True)

    round_id: str
    level: Level
    council_id: str
    mean: Decimal
    stars: int
    outcome: Outcome
    finalized_at: datetime
    band_stars: int | None = Field(
        default=None, exclude_if=lambda value: value is None, description="The band of the mean, by option."
    )
    judged_by: MinimumJudgement | None = Field(default=None, exclude_if=lambda value: value is None)
    held_back: list[RankHeldBack] | None = Field(default=None, exclude_if=lambda value: value is None)


class PendingRecognition(BaseModel):
    """What the recognition authority of ``level`` is to sign."""

    model_config = ConfigDict(frozen=True)

    level: Level
    stars: int
    forward_to: Level | None = None
    evaluate_again_at: Level | None = Field(
        default=None,
        description="Where the authority may instead have the product evaluated again: the rank comes "
        "from another level's result (qd26-2026: the central council below 90).",
    )


class RecognitionRecord(BaseModel):
    """One recognition decision on this journey, and what kind of application it answered."""

    model_config = ConfigDict(frozen=True)

    level: Level
    stars: int
    decision_number: str
    decision_date: date
    certificate_number: str
    kind: Variant = Field(
        description="new: the product's first certificate; upgrade: a higher rank (also the central 5★ "
        "after a provincial certificate); re_evaluation: a renewal."
    )


class ReEvaluationWindow(BaseModel):
    """The certificate's re-evaluation window (qd26-2026 Art. 7.6.a), once it opened: the rulebook
    whose re-evaluation rules the certificate follows (the one in force on ``opens_on``)."""

    model_config = ConfigDict(frozen=True)

    rulebook: str
    opens_on: date
    closes_on: date
    closed: bool = False
    filed_late: bool = Field(default=False, description="The re-evaluation was filed after ``closes_on``.")


class InspectionRecord(BaseModel):
    """A post-recognition inspection of the product (kiểm tra, giám sát, qd26-2026 Art. 9)."""

    model_config = ConfigDict(frozen=True)

    certificate_number: str
    level: Level
    body: str | None = None
    kind: InspectionKind
    inspected_on: date
    checked: list[InspectionCheck]
    meets_criteria: bool


class RevocationFile(BaseModel):
    """A revocation file the OCOP agency opened (qd26-2026 Art. 8.3.a), awaiting the decision."""

    model_config = ConfigDict(frozen=True)

    ground: RevocationGround
    conclusion: str
    concluded_on: date


class CommuneReview(BaseModel):
    """Đánh giá của UBND cấp xã (qd26-2026 Art. 7.2): as the commune's acceptance of the current
    dossier recorded it — its report (Mẫu 03), its assessment item by item, its proposal to the
    province (văn bản đề nghị, signed by the commune chairman)."""

    model_config = ConfigDict(frozen=True)

    accepted_on: date
    report: str | None = None
    assessment: dict[str, str] = Field(default_factory=dict)
    proposal: str | None = None


class AdvisoryRecord(BaseModel):
    """A step of the advisory team on the current dossier (Tổ tư vấn, qd26-2026 Art. 7.3.c)."""

    model_config = ConfigDict(frozen=True)

    level: Level
    step: AdvisoryStep
    held_on: date
    documents: list[str]
    findings: str | None = None


class OpenDeadline(BaseModel):
    model_config = ConfigDict(frozen=True)

    due: date
    due_from: str
    missed: bool = False


class JourneyState(BaseModel):
    """Everything decisions about a journey depend on; also its read model (without personal data)."""

    model_config = ConfigDict(frozen=True)

    journey_id: str
    producer_id: str
    producer_organisation: str | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="The producer organisation (chủ thể OCOP) the product belongs to.",
    )
    product_name: str
    product_group: str
    product_set: str | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Bộ sản phẩm (QĐ 26/2026 Phụ lục I): picks the scorecard sheet where the rulebook "
        "has sheets.",
    )
    province_code: int
    commune_code: int
    district: str | None = None
    product_code: str | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Mã số sản phẩm (T)-(X)-(STT)-(Năm) (qd26-2026): given once, when the commune first "
        "accepts a dossier of the product under a rulebook that numbers products; kept for good.",
    )
    receipt_number: str | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="The commune's registration receipt of the current dossier (Mẫu 01, …/PĐK-…).",
    )
    commune_review: CommuneReview | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="The commune's assessment and proposal for the current dossier, where recorded.",
    )
    advisory: list[AdvisoryRecord] = Field(
        default_factory=list,
        exclude_if=lambda value: not value,
        description="The advisory team's steps on the current dossier (qd26-2026 Art. 7.3.c).",
    )
    registered_at: datetime
    status: Status
    level: Level | None = Field(default=None, description="Level of the round or recognition awaited.")
    rulebook: str = Field(description="Pinned at dossier acceptance; before that, the intake rulebook.")
    variant: Variant = Variant.NEW
    accepted_on: date | None = Field(default=None, description="When the current dossier was accepted.")
    submitted_on: date | None = Field(
        default=None,
        description="When the producer submitted the current dossier (its paper date if entered later): "
        "for the passage between rulebooks this day decides, not the acceptance (qd26-2026 Art. 12.2).",
    )
    documents: list[str] = Field(default_factory=list)
    dossier_contents: dict[str, list[str]] = Field(
        default_factory=dict,
        exclude_if=lambda value: not value,
        description="The current dossier's documents by item of its checklist (Rulebook.dossier_contents).",
    )
    missing_items: list[str] = Field(default_factory=list)
    self_assessment: SelfAssessment | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="The producer's self-assessment of the current application (Mẫu 02 phần III).",
    )
    round_id: str | None = None
    evaluation: Evaluation | None = None
    results: list[CouncilResult] = Field(default_factory=list)
    pending_recognition: PendingRecognition | None = None
    pending_approval: PendingRecognition | None = Field(
        default=None, description="A potential 5★ result the authority of its level is to approve."
    )
    certificate: Certificate | None = None
    certificate_expired: bool = False
    expiry_notice_sent: bool = False
    re_evaluation_window: ReEvaluationWindow | None = Field(
        default=None, exclude_if=lambda value: value is None
    )
    revocation_file: RevocationFile | None = Field(default=None, exclude_if=lambda value: value is None)
    inspections: list[InspectionRecord] = Field(default_factory=list, exclude_if=lambda value: not value)
    inspection_due_on: date | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="The due day of the last inspection_due recorded (the timer fires once per due day).",
    )
    site_checks: dict[Level, bool] = Field(
        default_factory=dict,
        exclude_if=lambda value: not value,
        description="Level -> whether its agency surveys the re-evaluated product's site (Art. 7.6.c).",
    )
    redo_required: bool = Field(default=False, exclude_if=lambda value: not value)
    certificate_extended_until: date | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="The term ended during the re-evaluation: valid until the decision, at most this day.",
    )
    past_certificates: list[Certificate] = Field(default_factory=list)
    recognitions: list[RecognitionRecord] = Field(default_factory=list)
    imported: bool = False
    deadlines: dict[Deadline, OpenDeadline] = Field(default_factory=dict)
    version: int = 0
    updated_at: datetime

    @property
    def certificate_in_force(self) -> Certificate | None:
        if self.certificate is None or self.certificate_expired or self.status == Status.REVOKED:
            return None
        return self.certificate

    @property
    def stars(self) -> int | None:
        certificate = self.certificate_in_force
        return certificate.stars if certificate else None


class CountedJourney(BaseModel):
    """The slice of a journey's read model that plan progress counts (``workflows.plan_rules``):
    each field is the ``JourneyState`` field of the same name and type, and only these are read from
    the store (``store.reports.progress_of_plan``), so a province's hundreds of journeys are not
    each parsed whole, scorecards and all. A field plan_rules comes to read and this lacks fails
    mypy; one whose type drifts from JourneyState's fails ``tests/schemas/test_counted_journey.py``."""

    model_config = ConfigDict(frozen=True)

    producer_id: str
    producer_organisation: str | None = None
    province_code: int
    commune_code: int
    district: str | None = None
    registered_at: datetime
    imported: bool = False
    recognitions: list[RecognitionRecord] = Field(default_factory=list)
    results: list[CouncilResult] = Field(default_factory=list)


class CommandReceipt(BaseModel):
    """The acknowledgement of a committed decision: what was recorded, and the state it led to."""

    model_config = ConfigDict(frozen=True)

    journey_id: str
    event_ids: list[str]
    event_types: list[str]
    positions: list[int]
    stream_version: int
    recorded_at: datetime
    replayed: bool = False
    state: JourneyState
