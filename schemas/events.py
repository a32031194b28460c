"""Journey events: the facts the decision log keeps, one discriminated union on ``type``.

Events are the permanent record: the log keeps each one as first written, and these models must
read every event ever stored for as long as the log lives (tests/schemas/event_corpus/ holds a
stored sample of every type, which must keep parsing). So, for the events of every stream (here
and in schemas/round.py, council.py, plan.py, accounts.py):

- add a field only with a default (old events lack it); never make an existing field required;
- never rename or remove a field, an event type or an enum value an event holds (``extra="forbid"``:
  an old event with a removed field no longer parses);
- never narrow a field's type (what was valid when written must stay valid);
- a new fact is a new event type, with its sample in the corpus, never a new meaning of an old one.

Events reference parties by id only; names, phone numbers and addresses live in the parties table.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from schemas.council import CouncilRoster
from schemas.procedure import AdvisoryStep
from schemas.rulebook import InspectionCheck, InspectionKind, Level, Part, RevocationGround, SiteCheckGround
from schemas.scorecard import Choice, MinimumJudgement, RankHeldBack


def _unset(value: Any) -> bool:
    return value is None


# A field added to an event is left out of the stored data while it is None (``exclude_if``), so that
# the events of journeys that never use it are stored exactly as before.


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
    # qd26-2026 Art. 7.3.e: a potential 5★ is approved by the provincial chairman, then forwarded.
    APPROVE_THEN_FORWARD = "approve_then_forward"
    # qd26-2026 Art. 7.4.g: the central council below 90 — the provincial chairman recognizes 3★/4★
    # on that result or has the province evaluate again.
    RETURNED_FOR_DECISION = "returned_for_decision"


class Deadline(StrEnum):
    DOSSIER_COMPLETION = "dossier_completion"
    COMMUNE_REPORT = "commune_report"
    RECOGNITION = "recognition"
    PASSAGE_COMPLETION = "passage_completion"  # qd26-2026 Art. 12.2: old-rulebook dossiers finish by then
    RE_EVALUATION_COMPLETION = "re_evaluation_completion"  # qd26-2026 Art. 7.6.g: 45 days from the dossier
    REVOCATION_DECISION = "revocation_decision"  # qd26-2026 Art. 8.4: 15 days from the conclusion


class EvaluationMode(StrEnum):
    """How a council decided a re-evaluation (qd26-2026 Art. 7.6.d)."""

    WRITTEN_OPINION = "written_opinion"  # lấy ý kiến bằng văn bản
    MEETING = "meeting"  # họp trực tiếp


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
    """The producer registered a product idea (đăng ký ý tưởng sản phẩm): the journey begins."""

    type: Literal["idea_registered"] = "idea_registered"
    journey_id: str
    producer_id: str
    product_name: str
    product_group: str
    province_code: int
    commune_code: int
    district: str | None = None
    rulebook: str
    product_set: str | None = Field(default=None, exclude_if=_unset, description="Bộ sản phẩm (Phụ lục I).")
    producer_organisation: str | None = Field(
        default=None, exclude_if=_unset, description="The producer organisation (chủ thể OCOP)."
    )


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
    producer_organisation: str | None = Field(
        default=None, exclude_if=_unset, description="The producer organisation (chủ thể OCOP)."
    )
    earlier_certificates: list[Certificate] = Field(
        default_factory=list,
        exclude_if=lambda value: not value,
        description="Its certificates before the one in force, oldest first (imported history).",
    )


class IdeaAccepted(_Event):
    """The intake officer accepted the idea; the producer writes the business plan next."""

    type: Literal["idea_accepted"] = "idea_accepted"


class IdeaReturned(_Event):
    """The intake officer returned the idea to the producer, with the reason."""

    type: Literal["idea_returned"] = "idea_returned"
    reason: str


class IdeaResubmitted(_Event):
    """The producer resubmitted the idea that was returned."""

    type: Literal["idea_resubmitted"] = "idea_resubmitted"


class PlanSubmitted(_Event):
    """The producer submitted the business plan (phương án sản xuất kinh doanh), by its document hash."""

    type: Literal["plan_submitted"] = "plan_submitted"
    document: str


class PlanApproved(_Event):
    """The intake officer approved the business plan: the product is in development."""

    type: Literal["plan_approved"] = "plan_approved"


class PlanReturned(_Event):
    """The intake officer returned the business plan, with the reason."""

    type: Literal["plan_returned"] = "plan_returned"
    reason: str


class DossierSubmitted(_Event):
    """The producer submitted the evaluation dossier (hồ sơ sản phẩm) of a new product."""

    type: Literal["dossier_submitted"] = "dossier_submitted"
    variant: Variant
    documents: list[str]
    contents: dict[str, list[str]] | None = Field(
        default=None, exclude_if=_unset, description="Checklist item → the documents filed under it."
    )
    commune_report_due: date | None = None
    submitted_on: date | None = Field(
        default=None, description="The paper dossier's date when entered later; else the recording day."
    )
    product_set: str | None = Field(
        default=None, exclude_if=_unset, description="The product set, when named with the dossier."
    )
    receipt_number: str | None = Field(
        default=None,
        exclude_if=_unset,
        description="The commune's registration receipt (Mẫu 01, phiếu số …/PĐK-…), where numbered.",
    )


class UpgradeApplied(_Event):
    """The producer of a certified product applied for a higher rank (nâng hạng); its certificate stays."""

    type: Literal["upgrade_applied"] = "upgrade_applied"
    documents: list[str]
    contents: dict[str, list[str]] | None = Field(
        default=None, exclude_if=_unset, description="Checklist item → the documents filed under it."
    )
    commune_report_due: date | None = None
    submitted_on: date | None = Field(
        default=None, description="The paper dossier's date when entered later; else the recording day."
    )
    product_set: str | None = Field(
        default=None, exclude_if=_unset, description="The product set, when named with the dossier."
    )
    receipt_number: str | None = Field(
        default=None,
        exclude_if=_unset,
        description="The commune's registration receipt (Mẫu 01, phiếu số …/PĐK-…), where numbered.",
    )


class ReEvaluationApplied(_Event):
    """The producer applied for re-evaluation (đánh giá lại) to renew the certificate."""

    type: Literal["re_evaluation_applied"] = "re_evaluation_applied"
    documents: list[str]
    contents: dict[str, list[str]] | None = Field(
        default=None, exclude_if=_unset, description="Checklist item → the documents filed under it."
    )
    commune_report_due: date | None = None
    submitted_on: date | None = Field(
        default=None, description="The paper dossier's date when entered later; else the recording day."
    )
    product_set: str | None = Field(
        default=None, exclude_if=_unset, description="The product set, when named with the dossier."
    )
    filed_late: bool | None = Field(
        default=None,
        exclude_if=_unset,
        description="Filed after the re-evaluation window closed (qd26-2026 Art. 12.3); None: no window.",
    )
    receipt_number: str | None = Field(
        default=None,
        exclude_if=_unset,
        description="The commune's registration receipt (Mẫu 01, phiếu số …/PĐK-…), where numbered.",
    )


class DossierReturned(_Event):
    """The dossier was returned for completion (bổ sung hồ sơ): what is missing, and by when."""

    type: Literal["dossier_returned"] = "dossier_returned"
    missing_items: list[str]
    completion_due: date
    level: Level | None = Field(
        default=None,
        exclude_if=_unset,
        description="Returned by this level's OCOP agency after the commune sent it (qd26-2026 Art. "
        "7.3.a: the province); None: by the intake officer.",
    )


class DossierResubmitted(_Event):
    """The producer resubmitted the dossier, completed."""

    type: Literal["dossier_resubmitted"] = "dossier_resubmitted"
    documents: list[str]
    contents: dict[str, list[str]] | None = Field(
        default=None, exclude_if=_unset, description="Checklist item → the documents filed under it."
    )
    commune_report_due: date | None = None
    product_set: str | None = Field(
        default=None, exclude_if=_unset, description="The product set, when named with the dossier."
    )


class DossierAccepted(_Event):
    """The intake officer accepted the dossier (tiếp nhận hồ sơ): its rulebook is pinned from here on."""

    type: Literal["dossier_accepted"] = "dossier_accepted"
    rulebook: str
    accepted_on: date
    level: Level
    commune_report: str | None = None
    re_evaluation_due: date | None = Field(
        default=None,
        exclude_if=_unset,
        description="A re-evaluation under rules with a limit (qd26-2026 Art. 7.6.g: 45 days from the "
        "complete dossier, its acceptance) is decided by then, or escalates.",
    )
    product_code: str | None = Field(
        default=None,
        exclude_if=_unset,
        description="Mã số sản phẩm (T)-(X)-(STT)-(Năm): given once, at the first numbered acceptance.",
    )
    commune_assessment: dict[str, str] | None = Field(
        default=None, exclude_if=_unset, description="The commune's assessment, item by item (Mẫu 03)."
    )
    proposal: str | None = Field(
        default=None, exclude_if=_unset, description="The commune's proposal to the province (đề nghị)."
    )


class EnrolledInRound(_Event):
    """A round (đợt đánh giá) of the council of the journey's level enrolled it, with the council's roster."""

    type: Literal["enrolled_in_round"] = "enrolled_in_round"
    round_id: str
    level: Level
    council: CouncilRoster


class CarriedOver(_Event):
    """A closing round carried the unfinished evaluation to the council's next round."""

    type: Literal["carried_over"] = "carried_over"
    from_round: str
    to_round: str
    council: CouncilRoster


class SelfAssessmentSubmitted(_Event):
    """The producer scored their own product (tự đánh giá, Mẫu 02 phần III) on the product's sheet,
    with the documents supporting each criterion; a later one replaces it (``revision``). Part of the
    dossier, shown to the council beside their sheets, never counted in the result."""

    type: Literal["self_assessment_submitted"] = "self_assessment_submitted"
    sheet: str
    choices: dict[str, Choice]
    points: dict[str, Decimal] = Field(description="Criterion code → points of the option chosen.")
    not_applicable: list[str] = Field(default_factory=list)
    parts: dict[Part, Decimal]
    total: Decimal
    criterion_evidence: dict[str, list[str]] = Field(
        default_factory=dict, description="Criterion code → the documents that support it."
    )
    revision: int = Field(default=0, ge=0, description="0 for the first, then one more per revision.")
    product_set: str | None = Field(
        default=None, exclude_if=_unset, description="The product set, when named with it."
    )


class ScorecardSubmitted(_Event):
    """A voting member submitted their scorecard (phiếu chấm điểm): the part scores and the total."""

    type: Literal["scorecard_submitted"] = "scorecard_submitted"
    round_id: str
    member_id: str
    parts: dict[Part, Decimal]
    total: Decimal
    sheet: str | None = Field(default=None, exclude_if=_unset, description="The sheet scored by option.")
    choices: dict[str, Choice] | None = Field(default=None, exclude_if=_unset)
    points: dict[str, Decimal] | None = Field(
        default=None, exclude_if=_unset, description="Criterion code → points of the option chosen."
    )
    not_applicable: list[str] | None = Field(
        default=None, exclude_if=_unset, description="Criteria whose condition did not hold."
    )


class ScorecardAmended(_Event):
    """A member amended their scorecard, with the total it replaces."""

    type: Literal["scorecard_amended"] = "scorecard_amended"
    round_id: str
    member_id: str
    parts: dict[Part, Decimal]
    total: Decimal
    previous_total: Decimal
    sheet: str | None = Field(default=None, exclude_if=_unset)
    choices: dict[str, Choice] | None = Field(default=None, exclude_if=_unset)
    points: dict[str, Decimal] | None = Field(default=None, exclude_if=_unset)
    not_applicable: list[str] | None = Field(default=None, exclude_if=_unset)


class ConflictRecorded(_Event):
    """A member's conflict of interest with the product was recorded; their scorecard, if any, set aside."""

    type: Literal["conflict_recorded"] = "conflict_recorded"
    member_id: str
    voided_total: Decimal | None = Field(default=None, description="The member's scorecard set aside.")


class CouncilFinalized(_Event):
    """The council finalized its result at its level: the mean, the stars and where the journey goes next."""

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
    # Scored by option (a rulebook with sheets): ``stars`` is the awarded rank, after the star
    # minimums; ``band_stars`` the band of the mean; ``held_back`` each higher rank the band allowed
    # that a minimum held back, with the criteria that fell short (ocop.md §7).
    band_stars: int | None = Field(default=None, exclude_if=_unset)
    judged_by: MinimumJudgement | None = Field(default=None, exclude_if=_unset)
    held_back: list[RankHeldBack] | None = Field(default=None, exclude_if=_unset)
    # A re-evaluation by written opinion (qd26-2026 Art. 7.6.d): how the council decided, the day it
    # met in person if it did, and why it had to (dispersion, requested).
    evaluation_mode: EvaluationMode | None = Field(default=None, exclude_if=_unset)
    met_on: date | None = Field(default=None, exclude_if=_unset)
    meeting_grounds: list[str] | None = Field(default=None, exclude_if=_unset)


class CentralResultBelowThreshold(_Event):
    """The central council's result recognizes nothing new: the product keeps its certificate."""

    type: Literal["central_result_below_threshold"] = "central_result_below_threshold"
    mean: Decimal
    stars: int
    certificate_number: str | None


class CertificateSuperseded(_Event):
    """A new certificate (giấy chứng nhận) replaced the one in force."""

    type: Literal["certificate_superseded"] = "certificate_superseded"
    certificate_number: str
    by_certificate_number: str


class Recognized(_Event):
    """The recognition authority signed the decision (quyết định công nhận) and issued the certificate."""

    type: Literal["recognized"] = "recognized"
    level: Level
    stars: int
    decision_number: str
    decision_date: date
    certificate: Certificate
    forward_to: Level | None = None


class ResultApproved(_Event):
    """The recognition authority approved a council result (phê duyệt kết quả đánh giá) without
    recognizing it, and the product goes on to the next level's council (qd26-2026 Art. 7.3.e)."""

    type: Literal["result_approved"] = "result_approved"
    level: Level
    mean: Decimal
    stars: int
    decision_number: str
    decision_date: date
    forward_to: Level


class SentBackForEvaluation(_Event):
    """Instead of recognizing a rank on another level's result, the recognition authority has its own
    level's council evaluate the product again (qd26-2026 Art. 7.4.g: "tổ chức đánh giá ... theo thẩm
    quyền")."""

    type: Literal["sent_back_for_evaluation"] = "sent_back_for_evaluation"
    level: Level
    decision_number: str | None = None


class ExpiryNoticeSent(_Event):
    """The expiry notice fell due (đến hạn thông báo hết hiệu lực): the certificate runs out soon.

    The stored type keeps its old name (stored events parse forever), but the event records only
    that the notice fell due, not that anyone got it: the notifier (notifier/table.py, row
    ``expiry_notice``) hands it to the producer and records that hand-off in its notices table."""

    type: Literal["expiry_notice_sent"] = "expiry_notice_sent"
    certificate_number: str
    valid_until: date


class CertificateExpired(_Event):
    """The certificate's term ended (hết hạn)."""

    type: Literal["certificate_expired"] = "certificate_expired"
    certificate_number: str
    valid_until: date


class Revoked(_Event):
    """The recognition authority revoked the recognition (thu hồi), on its grounds. Under a rulebook
    with named grounds (qd26-2026 Art. 8) it also cites the ground, the concluding document and its
    date, and the day the decision was due (older events have free ``grounds`` only)."""

    type: Literal["revoked"] = "revoked"
    certificate_number: str
    grounds: str
    ground: RevocationGround | None = Field(default=None, exclude_if=_unset)
    conclusion: str | None = Field(default=None, exclude_if=_unset, description="The concluding document.")
    concluded_on: date | None = Field(default=None, exclude_if=_unset)
    decision_due: date | None = Field(
        default=None, exclude_if=_unset, description="The conclusion's date plus the rulebook's limit."
    )


class RevocationOpened(_Event):
    """The OCOP agency opened a revocation file (hồ sơ thu hồi, qd26-2026 Art. 8.3.a): the ground,
    the concluding document and its date; the authority decides by ``decision_due`` (Art. 8.4)."""

    type: Literal["revocation_opened"] = "revocation_opened"
    certificate_number: str
    ground: RevocationGround
    conclusion: str = Field(description="The concluding document (a reference to an uploaded one).")
    concluded_on: date
    decision_due: date


class InspectionRecorded(_Event):
    """A post-recognition inspection (kiểm tra, giám sát, qd26-2026 Art. 9) of the certified
    product: by which level's OCOP agency and body, periodic or ad hoc, what it checked, its
    findings and whether the product still meets the criteria, with its conclusion and evidence."""

    type: Literal["inspection_recorded"] = "inspection_recorded"
    certificate_number: str
    level: Level = Field(description="The inspecting agency's level: the province or the ministry.")
    body: str | None = Field(default=None, description="The inspecting body, as the engine knows the actor.")
    kind: InspectionKind
    inspected_on: date
    checked: list[InspectionCheck]
    findings: str
    meets_criteria: bool
    conclusion: str = Field(description="The concluding document (a reference to an uploaded one).")
    evidence: list[str] = Field(default_factory=list, description="Evidence documents (references).")


class InspectionBasis(StrEnum):
    """What a periodic inspection's interval is counted from (whichever came later)."""

    RECOGNITION = "recognition"  # the certificate's decision (công nhận, cấp giấy chứng nhận)
    INSPECTION = "inspection"  # the last recorded inspection's conclusion


class InspectionDue(_Event):
    """The certified product is due its periodic inspection (kiểm tra định kỳ, qd26-2026 Art.
    9.2.a): the rulebook's interval (the programme's setting; the decision sets none) passed since
    its recognition or its last recorded inspection, whichever was later, with no inspection since.
    Recorded by the journey's timer once per due day; the provincial agency is told (notifier)."""

    type: Literal["inspection_due"] = "inspection_due"
    certificate_number: str
    stars: int
    due_on: date = Field(description="The day the interval ran out.")
    counted_from: InspectionBasis
    since: date = Field(description="The recognition's decision date, or the last inspection's day.")
    interval_days: int


class MeetingRequested(_Event):
    """A voting member asked the council evaluating by written opinion to meet in person
    (qd26-2026 Art. 7.6.d); the reason is in the record's metadata."""

    type: Literal["meeting_requested"] = "meeting_requested"
    member_id: str


class SiteCheckDecided(_Event):
    """The OCOP agency of ``level`` decided whether it surveys the site of the re-evaluated product
    (kiểm tra thực tế tại cơ sở, qd26-2026 Art. 7.6.c), and on which grounds."""

    type: Literal["site_check_decided"] = "site_check_decided"
    level: Level
    survey: bool
    grounds: list[SiteCheckGround] = Field(default_factory=list)


class RedoRequired(_Event):
    """The ministry found the provincial evaluation improper and asked the province to evaluate again
    and its chairman to revoke the decision (qd26-2026 Art. 10.1.b); a revocation file opens with it."""

    type: Literal["redo_required"] = "redo_required"
    certificate_number: str
    findings: str
    conclusion: str = Field(description="The ministry's document (a reference to an uploaded one).")
    concluded_on: date


class ReEvaluationWindowOpened(_Event):
    """The re-evaluation window opened (qd26-2026 Art. 7.6.a: from 180 to 120 days before the end):
    the producer may file from ``opens_on`` through ``closes_on``. ``rulebook`` is the rulebook in
    force on ``opens_on``, whose re-evaluation rules the certificate follows (Art. 12.3)."""

    type: Literal["re_evaluation_window_opened"] = "re_evaluation_window_opened"
    certificate_number: str
    valid_until: date
    opens_on: date
    closes_on: date
    rulebook: str


class ReEvaluationWindowClosing(_Event):
    """The re-evaluation window's last day passed (T−120) with nothing filed: a later filing keeps
    the certificate only until the decision, at most ``extension_days`` past its end (Art. 12.3)."""

    type: Literal["re_evaluation_window_closing"] = "re_evaluation_window_closing"
    certificate_number: str
    closes_on: date


class CertificateExtended(_Event):
    """The term ended while the re-evaluation was in progress: the certificate stays valid until
    the decision, never past ``extended_until`` (qd26-2026 Art. 12.3; kéo dài hiệu lực)."""

    type: Literal["certificate_extended"] = "certificate_extended"
    certificate_number: str
    valid_until: date
    extended_until: date
    filed_late: bool = Field(description="The re-evaluation was filed after the window closed.")


class AdvisoryStepRecorded(_Event):
    """A step of the council's advisory team (Tổ tư vấn, qd26-2026 Art. 7.3.c, 7.4.c) — the review,
    a site survey, a request for extra tests, their results, the report to the council — with its
    day, documents and findings, at the level whose council will evaluate the product."""

    type: Literal["advisory_step_recorded"] = "advisory_step_recorded"
    level: Level
    step: AdvisoryStep
    held_on: date
    documents: list[str]
    findings: str | None = None


class ResultNoticeIssued(_Event):
    """A council result that gets no decision (1★ or 2★, or a mandatory criterion failed) is notified
    in writing to the producer and the commune (qd26-2026 Art. 3, 7.3.g: thông báo bằng văn bản)."""

    type: Literal["result_notice_issued"] = "result_notice_issued"
    level: Level
    mean: Decimal
    stars: int
    notified: list[str] = Field(description="The roles notified: the producer and the commune.")
    commune_code: int


class Withdrawn(_Event):
    """The producer withdrew the application (rút hồ sơ), or it lapsed (``lapsed``) at its deadline."""

    type: Literal["withdrawn"] = "withdrawn"
    lapsed: bool = False
    application_only: bool = Field(
        default=False, description="Only the upgrade or re-evaluation was withdrawn; the certificate stays."
    )


class DeadlineMissed(_Event):
    """A deadline passed without its step: flagged to the role that owed it (escalated, not withdrawn)."""

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
    | SelfAssessmentSubmitted
    | EnrolledInRound
    | CarriedOver
    | ScorecardSubmitted
    | ScorecardAmended
    | ConflictRecorded
    | CouncilFinalized
    | CentralResultBelowThreshold
    | CertificateSuperseded
    | Recognized
    | ResultApproved
    | SentBackForEvaluation
    | ExpiryNoticeSent
    | CertificateExpired
    | Revoked
    | RevocationOpened
    | InspectionRecorded
    | InspectionDue
    | MeetingRequested
    | SiteCheckDecided
    | RedoRequired
    | ReEvaluationWindowOpened
    | ReEvaluationWindowClosing
    | CertificateExtended
    | AdvisoryStepRecorded
    | ResultNoticeIssued
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
