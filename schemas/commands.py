"""Commands: what producers, officers, councils and authorities ask a journey to do.

Each command is the body of one HTTP action and the argument of one Temporal update. The actor is
filled in by the API from the caller's token, never taken from the body.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from schemas.council import CouncilRoster
from schemas.log import Actor
from schemas.numbers import CanonicalScore
from schemas.procedure import AdvisoryStep
from schemas.rulebook import InspectionCheck, InspectionKind, Level, Part, RevocationGround, SiteCheckGround
from schemas.scorecard import Choice

DocumentHash = str


class Command(BaseModel):
    """Fields every command carries into the audit record."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: Actor
    authority: str | None = Field(default=None, max_length=200, description="The body acted for.")
    reason: str | None = Field(default=None, max_length=2000)
    evidence: list[DocumentHash] = Field(default_factory=list, max_length=100)
    request_id: str | None = None


class RegisterIdea(Command):
    """Đăng ký ý tưởng sản phẩm: a producer registers a product idea; starts the journey."""

    journey_id: str = Field(min_length=1, max_length=100)
    producer_id: str = Field(min_length=1, max_length=100)
    product_name: str = Field(min_length=1, max_length=300)
    product_group: str
    province_code: int
    commune_code: int
    district: str | None = Field(
        default=None, max_length=200, description="Only under rulebooks with districts."
    )
    product_set: str | None = Field(
        default=None,
        max_length=20,
        description='Its product set (bộ sản phẩm, QĐ 26/2026 Phụ lục I: "I.1.a"), which picks its scorecard '
        "sheet; may instead be named when the dossier is submitted.",
    )
    producer_organisation: str | None = Field(
        default=None,
        max_length=100,
        description="The producer organisation (chủ thể OCOP, /v1/producers) the product belongs to; the "
        "API fills in the one the producer's account acts for.",
    )


class AcceptIdea(Command):
    """The intake officer accepts the idea."""


class ReturnIdea(Command):
    """The intake officer returns the idea with a reason."""

    reason: str = Field(min_length=1, max_length=2000)


class ResubmitIdea(Command):
    """The producer resubmits a returned idea."""


class SubmitPlan(Command):
    """The producer submits the business plan (phương án sản xuất kinh doanh)."""

    document: DocumentHash = Field(min_length=1)


class ApprovePlan(Command):
    """The intake officer approves the business plan."""


class ReturnPlan(Command):
    """The intake officer returns the business plan with a reason."""

    reason: str = Field(min_length=1, max_length=2000)


_CONTENTS = (
    "What the dossier holds, by item of its checklist (Rulebook.dossier_contents: mau01, updates …) → "
    "the documents of ``documents`` filed under it."
)


class SubmitDossier(Command):
    """The producer submits the evaluation dossier (hồ sơ sản phẩm)."""

    documents: list[DocumentHash] = Field(min_length=1, max_length=200)
    submitted_on: date | None = Field(
        default=None, description="The producer's paper submission date, when entered later; else today."
    )
    product_set: str | None = Field(
        default=None, max_length=20, description="Its product set, if not named at registration."
    )
    contents: dict[str, Annotated[list[DocumentHash], Field(max_length=50)]] | None = Field(
        default=None,
        max_length=20,
        description=_CONTENTS,
    )


class ReturnDossier(Command):
    """The intake officer returns an incomplete dossier, listing what is missing."""

    missing_items: list[str] = Field(min_length=1, max_length=100)


class ResubmitDossier(Command):
    """The producer completes and resubmits a returned dossier."""

    documents: list[DocumentHash] = Field(min_length=1, max_length=200)
    product_set: str | None = Field(
        default=None, max_length=20, description="Its product set, if not named before."
    )
    contents: dict[str, Annotated[list[DocumentHash], Field(max_length=50)]] | None = Field(
        default=None,
        max_length=20,
        description=_CONTENTS,
    )


class SubmitSelfAssessment(Command):
    """Tự đánh giá (Mẫu 02, phần III): the producer scores their own product on the sheet the council
    will use, one choice per applicable criterion, with the documents that support each criterion;
    before the dossier is submitted, revised while it is with them. Never counted in the result."""

    choices: dict[str, Choice] = Field(
        min_length=1,
        max_length=200,
        description="Criterion code → the option chosen (by position from 0; a variant's code first "
        "where the criterion has variants); only the criteria that apply.",
    )
    criterion_evidence: dict[str, Annotated[list[DocumentHash], Field(max_length=50)]] = Field(
        default_factory=dict,
        max_length=200,
        description="Criterion code → the uploaded documents (sha256:…) that support it.",
    )
    product_set: str | None = Field(
        default=None, max_length=20, description="Its product set, if not named at registration."
    )


class AcceptDossier(Command):
    """The intake officer accepts the dossier; the journey pins the rulebook in force that day."""

    commune_report: DocumentHash | None = Field(
        default=None, description="The commune's assessment report, where the rulebook requires one."
    )
    accepted_on: date | None = Field(
        default=None, description="Date of the paper decision when entered later; today if omitted."
    )
    commune_assessment: dict[str, Annotated[str, Field(min_length=1, max_length=2000)]] | None = Field(
        default=None,
        max_length=20,
        description="The commune's assessment (Mẫu 03 part II), item by item as the rulebook lists them "
        "(qd26-2026: local_raw_material, local_labour, idea_origin, local_identity).",
    )
    proposal: DocumentHash | None = Field(
        default=None,
        description="The commune's written proposal to the provincial People's Committee (văn bản đề "
        "nghị, signed by the commune chairman), uploaded.",
    )


class RecordAdvisoryStep(Command):
    """The council's advisory team (Tổ tư vấn, qd26-2026 Art. 7.3.c) reviewed the dossier, surveyed
    the site, asked for extra tests, received their results or reported to the council: recorded by
    the level's OCOP agency with the step's documents (minutes, request, results, report)."""

    step: AdvisoryStep
    held_on: date = Field(description="The day of the step (the survey, the request, the report).")
    documents: list[DocumentHash] = Field(min_length=1, max_length=50)
    findings: str | None = Field(
        default=None, max_length=2000, description="What the team found or asks for, in a few lines."
    )


class EnrolInRound(Command):
    """The standing agency enrols the dossier in a round of a council of the journey's level."""

    round_id: str = Field(min_length=1)
    level: Level
    council: CouncilRoster
    cut_off: date | None = Field(
        default=None, description="The round's cut-off: the dossier must be accepted by then."
    )


class CarryOver(Command):
    """Closing a round: a product not finalized moves, with its scorecards, to the council's next round."""

    from_round: str = Field(min_length=1)
    to_round: str = Field(min_length=1)
    council: CouncilRoster = Field(description="The council as it stood when the next round opened.")


class ScorecardBody(Command):
    """A scorecard is given one way: ``parts`` on a flat sheet (rulebooks before QĐ 26/2026, or a
    product with no product set), ``choices`` on a sheet of options (schemas.scorecard)."""

    # ``choices`` comes first so that the check of ``parts`` sees it: a body with neither (or both)
    # is refused at ``parts``, where a flat sheet's client looks.
    choices: dict[str, Choice] | None = Field(
        default=None,
        max_length=200,
        description="Criterion code → the option chosen (by position from 0; a variant's code first "
        "where the criterion has variants); only the criteria that apply.",
    )
    parts: dict[Part, CanonicalScore] | None = Field(default=None, validate_default=True)

    @field_validator("parts")
    @classmethod
    def one_way(cls, parts: dict[Part, Any] | None, info: ValidationInfo) -> dict[Part, Any] | None:
        if "choices" in info.data and (parts is None) == (info.data["choices"] is None):
            raise ValueError("a scorecard gives either its parts or its choices")
        return parts


class SubmitScorecard(ScorecardBody):
    """A voting member submits their scorecard (phiếu chấm điểm): parts A, B, C, each recorded
    with two decimals (schemas.numbers; the API reads them strictly before they get here), or one
    choice per applicable criterion of the product's sheet."""


class AmendScorecard(ScorecardBody):
    """A voting member amends their scorecard before the chair finalizes."""


class RecordConflict(Command):
    """A member declares, during the evaluation, a conflict of interest with this product: they no
    longer score it, and a scorecard they already gave it is set aside."""

    member_id: str = Field(min_length=1)


class FinalizeResult(Command):
    """The chair finalizes the council's result for this product."""

    failed_mandatory_criteria: list[str] = Field(
        default_factory=list, description="Mandatory criteria the council found unmet."
    )
    met_on: date | None = Field(
        default=None,
        description="The day the council met in person (họp trực tiếp): needed to finalize a re-evaluation "
        "by written opinion whose totals spread past the limit or whose members asked for a meeting.",
    )


class RequestMeeting(Command):
    """A voting member asks the council evaluating a re-evaluation by written opinion to meet in
    person (qd26-2026 Art. 7.6.d: "có nội dung phức tạp cần thảo luận"), saying why."""

    reason: str = Field(min_length=1, max_length=2000)


class DecideSiteCheck(Command):
    """The OCOP agency of the level records whether it surveys the site of a re-evaluated product
    (kiểm tra thực tế, qd26-2026 Art. 7.6.c): only where production changed much or the evidence
    is unclear (``survey_grounds``); no survey, no grounds."""

    survey: bool
    survey_grounds: list[SiteCheckGround] = Field(default_factory=list, max_length=5)


class Recognize(Command):
    """The recognition authority signs the decision (quyết định công nhận) and the certificate."""

    level: Level | None = Field(
        default=None,
        description="Kept so that recorded histories still parse: the level is that of the result "
        "awaiting recognition, which the journey knows; the API never takes it from the caller.",
    )
    decision_number: str = Field(min_length=1, max_length=100)
    decision_date: date
    certificate_number: str | None = Field(default=None, max_length=100)


class ApproveResult(Command):
    """The recognition authority approves a potential 5★ result (phê duyệt kết quả đánh giá): no
    recognition and no certificate; the dossier goes to the central council (qd26-2026 Art. 7.3.e)."""

    decision_number: str = Field(min_length=1, max_length=100)
    decision_date: date


class EvaluateAgain(Command):
    """The recognition authority, offered a rank on the central council's result below 90, has its
    own council evaluate the product again instead (qd26-2026 Art. 7.4.g); the choice is recorded."""

    decision_number: str | None = Field(default=None, max_length=100)


class ApplyUpgrade(Command):
    """The producer of a certified product applies for a higher rank (nâng hạng)."""

    documents: list[DocumentHash] = Field(min_length=1, max_length=200)
    contents: dict[str, Annotated[list[DocumentHash], Field(max_length=50)]] | None = Field(
        default=None,
        max_length=20,
        description=_CONTENTS,
    )
    submitted_on: date | None = Field(
        default=None, description="The producer's paper submission date, when entered later; else today."
    )
    product_set: str | None = Field(
        default=None, max_length=20, description="Its product set, if not named before."
    )


class ApplyReEvaluation(Command):
    """The producer applies for re-evaluation (đánh giá lại) to renew the certificate."""

    documents: list[DocumentHash] = Field(min_length=1, max_length=200)
    contents: dict[str, Annotated[list[DocumentHash], Field(max_length=50)]] | None = Field(
        default=None,
        max_length=20,
        description=_CONTENTS,
    )
    submitted_on: date | None = Field(
        default=None, description="The producer's paper submission date, when entered later; else today."
    )
    product_set: str | None = Field(
        default=None, max_length=20, description="Its product set, if not named before."
    )


class Revoke(Command):
    """The recognition authority revokes the recognition (thu hồi) on stated grounds. Under a
    rulebook with named grounds (qd26-2026 Art. 8) ``ground``, ``conclusion`` and ``concluded_on``
    are required too (the journey's decider checks it: the body model cannot know the rulebook)."""

    grounds: str = Field(min_length=1, max_length=2000)
    ground: RevocationGround | None = Field(default=None, description="Căn cứ thu hồi (Art. 8.1 a–e).")
    conclusion: DocumentHash | None = Field(
        default=None, description="The concluding document (kết luận, xác nhận của UBND cấp xã), uploaded."
    )
    concluded_on: date | None = Field(default=None, description="The concluding document's date.")


class Withdraw(Command):
    """The producer withdraws the application."""


class EarlierRecognition(BaseModel):
    """A recognition of the product before the certificate in force (imported history): its first
    certificate before an upgrade, or the one a re-evaluation renewed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rulebook_id: str = Field(max_length=100, description="The rulebook it was evaluated under.")
    level: Level
    stars: int = Field(ge=1, le=5)
    decision_number: str = Field(min_length=1, max_length=100)
    decision_date: date


class ImportCertified(Command):
    """An administrator imports a product certified before the engine existed (chuyển đổi dữ liệu):
    the journey starts as CERTIFIED with its historic certificate, and its expiry timers run."""

    journey_id: str = Field(min_length=1, max_length=100)
    producer_id: str = Field(min_length=1, max_length=100)
    product_name: str = Field(min_length=1, max_length=300)
    product_group: str
    province_code: int
    commune_code: int
    district: str | None = Field(default=None, max_length=200)
    rulebook_id: str = Field(description="The rulebook the product was evaluated under.")
    level: Level
    stars: int = Field(ge=1, le=5)
    decision_number: str = Field(min_length=1, max_length=100)
    decision_date: date
    certificate_number: str | None = Field(default=None, max_length=100)
    producer_organisation: str | None = Field(
        default=None, max_length=100, description="The producer organisation (chủ thể OCOP, /v1/producers)."
    )
    earlier: list[EarlierRecognition] = Field(
        default_factory=list,
        max_length=5,
        description="Its recognitions before the certificate in force, oldest first (the history).",
    )


# Commands the journey gives itself when a timer fires (actor: system).


class SendExpiryNotice(Command):
    """The certificate ends in ``expiry_notice_days``: notify the producer."""


class ExpireCertificate(Command):
    """The certificate's term is over."""


class OpenRevocation(Command):
    """The OCOP agency (provincial, or the ministry's for 5★) opens a revocation file on its
    conclusion (qd26-2026 Art. 8.3.a): the authority's decision is then due within 15 days."""

    ground: RevocationGround = Field(description="Căn cứ thu hồi (Art. 8.1 a–e).")
    conclusion: DocumentHash = Field(min_length=1, description="The concluding document, uploaded.")
    concluded_on: date = Field(description="The concluding document's date.")


class RecordInspection(Command):
    """Kiểm tra, giám sát sau công nhận (qd26-2026 Art. 9): the provincial OCOP agency (for its
    province) or the ministry's (5★; 3★/4★ when needed, saying why in ``reason``) records a periodic
    or ad-hoc inspection of a certified product: what it checked, its findings, its concluding
    document and evidence. A conclusion that the product no longer meets the criteria opens a
    revocation file on the rulebook's ground (Art. 8.1.b). The inspecting body is the actor's."""

    kind: InspectionKind = Field(description="Định kỳ (periodic) or đột xuất (ad hoc).")
    inspected_on: date = Field(description="The day of the inspection's conclusion.")
    checked: list[InspectionCheck] = Field(min_length=1, max_length=10, description="Nội dung kiểm tra.")
    findings: str = Field(min_length=1, max_length=2000, description="Kết quả kiểm tra.")
    meets_criteria: bool = Field(description="The product still meets the criteria as evaluated.")
    conclusion: DocumentHash = Field(min_length=1, description="The inspection's conclusion, uploaded.")


class RequireRedo(Command):
    """The ministry's OCOP agency finds a provincial evaluation improper and asks the province to
    evaluate again and its chairman to revoke the decision (qd26-2026 Art. 10.1.b): this opens the
    revocation file for the province, on the rulebook's ground, from the ministry's document."""

    findings: str = Field(min_length=1, max_length=2000, description="Why the evaluation was improper.")
    conclusion: DocumentHash = Field(min_length=1, description="The ministry's document, uploaded.")
    concluded_on: date = Field(description="The document's date.")


class OpenReEvaluationWindow(Command):
    """The re-evaluation window opens (T−180 under qd26-2026)."""


class CloseReEvaluationWindow(Command):
    """The re-evaluation window's last day (T−120) passed with nothing filed."""


class ExtendCertificate(Command):
    """The term ended during a re-evaluation: the certificate stays valid until the decision."""


class FlagInspectionDue(Command):
    """The periodic inspection's interval ran out with no inspection recorded (qd26-2026 Art. 9)."""


class LapseDossier(Command):
    """The completion deadline of a returned dossier passed."""


class FlagMissedDeadline(Command):
    """An escalating deadline (commune report, recognition) passed."""

    deadline: str


JourneyCommand = (
    RegisterIdea
    | ImportCertified
    | AcceptIdea
    | ReturnIdea
    | ResubmitIdea
    | SubmitPlan
    | ApprovePlan
    | ReturnPlan
    | SubmitDossier
    | ReturnDossier
    | ResubmitDossier
    | AcceptDossier
    | SubmitSelfAssessment
    | RecordAdvisoryStep
    | EnrolInRound
    | CarryOver
    | SubmitScorecard
    | AmendScorecard
    | RecordConflict
    | FinalizeResult
    | Recognize
    | ApproveResult
    | EvaluateAgain
    | ApplyUpgrade
    | ApplyReEvaluation
    | Revoke
    | OpenRevocation
    | RecordInspection
    | RequestMeeting
    | DecideSiteCheck
    | RequireRedo
    | Withdraw
    | SendExpiryNotice
    | ExpireCertificate
    | OpenReEvaluationWindow
    | CloseReEvaluationWindow
    | ExtendCertificate
    | FlagInspectionDue
    | LapseDossier
    | FlagMissedDeadline
)


# The journey's actions: URL slug of ``POST /v1/journeys/{id}/{action}`` -> command model. The
# Temporal update of an action is named like the slug with underscores (``update_name``).
JOURNEY_ACTIONS: dict[str, type[Command]] = {
    "register-idea": RegisterIdea,
    "import-certified": ImportCertified,
    "accept-idea": AcceptIdea,
    "return-idea": ReturnIdea,
    "resubmit-idea": ResubmitIdea,
    "submit-plan": SubmitPlan,
    "approve-plan": ApprovePlan,
    "return-plan": ReturnPlan,
    "submit-dossier": SubmitDossier,
    "return-dossier": ReturnDossier,
    "resubmit-dossier": ResubmitDossier,
    "accept-dossier": AcceptDossier,
    "submit-self-assessment": SubmitSelfAssessment,
    "record-advisory-step": RecordAdvisoryStep,
    "enrol": EnrolInRound,
    "carry-over": CarryOver,
    "submit-scorecard": SubmitScorecard,
    "amend-scorecard": AmendScorecard,
    "record-conflict": RecordConflict,
    "finalize": FinalizeResult,
    "recognize": Recognize,
    "approve-result": ApproveResult,
    "evaluate-again": EvaluateAgain,
    "apply-upgrade": ApplyUpgrade,
    "apply-re-evaluation": ApplyReEvaluation,
    "open-revocation": OpenRevocation,
    "record-inspection": RecordInspection,
    "request-meeting": RequestMeeting,
    "decide-site-check": DecideSiteCheck,
    "require-redo": RequireRedo,
    "revoke": Revoke,
    "withdraw": Withdraw,
}


def update_name(action: str) -> str:
    """Temporal update name of a journey action."""
    return action.replace("-", "_")


# The action (slug) of each command of JOURNEY_ACTIONS, where the slug is written once.
ACTION_OF: dict[type[Command], str] = {command: action for action, command in JOURNEY_ACTIONS.items()}
