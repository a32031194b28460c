"""Views of the HTTP API: request bodies (each command without the fields the API fills in), pages,
history entries, actors and problem details (RFC 9457)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal
from uuid import UUID

import annotated_types
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    create_model,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from schemas import bounds
from schemas.commands import JOURNEY_ACTIONS, ImportCertified, ScorecardBody
from schemas.council import AppointCouncil, ChangeMembership, Council, DeclareConflict, Seat
from schemas.journey import JourneyState
from schemas.log import Actor, BrokenLink, RecordedEvent, StreamRef
from schemas.numbers import PlainScore
from schemas.plan import Plan, SetPlan
from schemas.roles import Role
from schemas.round import (
    CloseRound,
    EnrolJourney,
    OpenRound,
    PublishResults,
    ResultRow,
    RoundStatus,
)
from schemas.rulebook import Part, Quorum
from schemas.scorecard import SHEETS

# Journey ids in paths and imports: URL-safe, so that an id is also a safe path segment.
JOURNEY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$"
# Actor ids also appear in council rosters and in the events' metadata.
ACTOR_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$"
# Fields of a command the API fills in: the actor from the bearer token, the body they act for
# from their role and jurisdiction (api.access.acting_body), the request id from the request. A
# body that names them is refused (unknown field).
FILLED_BY_API = frozenset({"actor", "authority", "request_id"})


def _check_text(value: Any, where: str = "body") -> None:
    """Refuse text that cannot be stored or read as written: U+0000 (PostgreSQL), lone surrogates
    (UTF-8), control characters, bidirectional controls, and any text longer than ``TEXT_MAX``."""
    if isinstance(value, str):
        if len(value) > bounds.TEXT_MAX:
            raise ValueError(f"{where}: a text has at most {bounds.TEXT_MAX} characters")
        problem = bounds.text_problem(value)
        if problem is not None:
            raise ValueError(f"{where}: {problem}")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, where)
            _check_text(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{where}[{index}]")


class Body(BaseModel):
    """Base of every request body: unknown fields are refused, text must be storable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        _check_text(data)
        return data


# A part score as the API accepts it: a plain decimal from 0 to 100 with at most two decimals,
# recorded with two (schemas.numbers; the rulebook's part maxima and decimals are checked by the
# journey, which answers ScoreOutOfRange).
PartScore = PlainScore


# -- what each body field accepts: texts stripped, names never blank, dates, numbers and texts bounded


def _not_blank(value: str) -> str:
    text = value.strip()
    if bounds.is_blank(text):
        raise ValueError("must not be blank (only spaces)")
    return text


def _stripped(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    return None if bounds.is_blank(text) else text


def _items_not_blank(values: list[str]) -> list[str]:
    items = [value.strip() for value in values]
    if any(bounds.is_blank(item) for item in items):
        raise ValueError("an item must not be blank (only spaces)")
    return items


def _within(bound: bounds.DateBound) -> AfterValidator:
    return AfterValidator(lambda day: bound.check(day, bounds.today()))


def _year_pattern(bound: bounds.DateBound) -> Callable[[dict[str, Any]], None]:
    """The window's years in the field's schema, as of when the document is made."""

    def extra(schema: dict[str, Any]) -> None:
        target = next(
            (branch for branch in schema.get("anyOf", []) if branch.get("type") == "string"), schema
        )
        target["pattern"] = bound.year_pattern(bounds.today())

    return extra


class BodySeat(Seat):
    """A seat as a request names it: the member is an actor, by an actor's id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    member_id: str = Field(pattern=ACTOR_ID_PATTERN, max_length=100)


class QuorumOverride(Quorum):
    """A council's own quorum, within sensible numbers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    numerator: int = Field(default=2, gt=0, le=bounds.QUORUM_MAX)
    denominator: int = Field(default=3, gt=0, le=bounds.QUORUM_MAX)
    min_present: int | None = Field(default=None, gt=0, le=bounds.QUORUM_MAX)


_CODE_RANGES: dict[str, tuple[int, int]] = {
    "province_code": bounds.PROVINCE_CODES,
    "commune_code": bounds.COMMUNE_CODES,
}
_ITEM_MAX: dict[str, int] = {
    "missing_items": bounds.ITEM_MAX,
    "failed_mandatory_criteria": bounds.CODE_MAX,
}


def _has(field: FieldInfo, kind: type[Any]) -> bool:
    return any(isinstance(item, kind) for item in field.metadata)


def _bounded(action: str, name: str, annotation: Any, field: FieldInfo) -> tuple[Any, FieldInfo]:
    """What ``name`` of the body of ``action`` accepts (the command's own constraints kept): texts
    stripped, required texts not blank, unbounded texts, lists, dates and codes bounded."""
    date_bound = bounds.DATE_BOUNDS.get((action, name))
    if name == "parts":  # optional: a sheet of options gives its choices instead (schemas.commands)
        return dict[Part, PartScore] | None, field
    if name == "dispersion_limit":
        return PlainScore | None, field
    if name == "quorum":
        return QuorumOverride | None, field
    if name == "seats":
        return list[BodySeat], field
    if date_bound is not None:
        field.description = " ".join(filter(None, [field.description, date_bound.describe()]))
        field.json_schema_extra = _year_pattern(date_bound)
        dated: Any = Annotated[date, _within(date_bound)]
        return (dated | None if annotation != date else dated), field
    if name in _CODE_RANGES and annotation is int:
        low, high = _CODE_RANGES[name]
        return Annotated[int, Field(ge=low, le=high)], field
    if annotation is str or annotation == (str | None):
        if not _has(field, annotated_types.MaxLen):
            field.metadata.append(annotated_types.MaxLen(bounds.CODE_MAX))
        if not any(getattr(item, "pattern", None) for item in field.metadata):
            # Documented only (pydantic's regex engine cannot hold these classes): the validators
            # below and Body's text check apply the same rule (tests/schemas/test_numbers.py).
            pattern = bounds.VISIBLE_TEXT_PATTERN if annotation is str else bounds.TEXT_PATTERN
            field.json_schema_extra = {**(field.json_schema_extra or {}), "pattern": pattern}  # type: ignore[dict-item]
        if annotation is str:
            return Annotated[str, AfterValidator(_not_blank)], field
        return Annotated[str | None, AfterValidator(_stripped)], field
    if annotation == list[str]:
        longest = _ITEM_MAX.get(name, bounds.DOCUMENT_MAX)
        if not _has(field, annotated_types.MaxLen):
            field.metadata.append(annotated_types.MaxLen(100))
        visible = {"pattern": bounds.VISIBLE_TEXT_PATTERN}
        item = Annotated[str, Field(min_length=1, max_length=longest, json_schema_extra=visible)]
        return Annotated[list[item], AfterValidator(_items_not_blank)], field
    return annotation, field


_ROSTER_EXAMPLE: dict[str, Any] = {
    "council_id": "HD-TH-2025",
    "level": "province",
    "jurisdiction": "38",
    "seats": [
        {"member_id": "HD-TH-2025-m1", "role": "chair"},
        {"member_id": "HD-TH-2025-m2", "role": "vice_chair"},
        {"member_id": "HD-TH-2025-m3", "role": "member"},
        {"member_id": "HD-TH-2025-m4", "role": "secretary"},
    ],
}

# One example body per action (OpenAPI); Thanh Hóa (38), Phường Hạc Thành (14797).
EXAMPLES: dict[str, dict[str, Any]] = {
    "register-idea": {
        "product_name": "Nem chua Thanh Hóa",
        "product_group": "food",
        "province_code": 38,
        "commune_code": 14797,
    },
    "import-certified": {
        "journey_id": "TH-2022-0042",
        "producer_id": "producer-1",
        "product_name": "Nước mắm Khúc Phụ",
        "product_group": "food",
        "province_code": 38,
        "commune_code": 14797,
        "rulebook_id": "qd148-2023",
        "level": "province",
        "stars": 4,
        "decision_number": "QĐ 1234/QĐ-UBND",
        "decision_date": "2024-05-20",
    },
    "accept-idea": {"reason": "Ý tưởng phù hợp với thế mạnh của địa phương"},
    "return-idea": {"reason": "Ý tưởng chưa rõ nguồn nguyên liệu"},
    "resubmit-idea": {"reason": "Đã bổ sung nguồn nguyên liệu"},
    "submit-plan": {"document": "sha256:9f2c0a7e"},
    "approve-plan": {"reason": "Phương án khả thi"},
    "return-plan": {"reason": "Thiếu phương án tiêu thụ"},
    "submit-dossier": {"documents": ["sha256:form01", "sha256:form02"]},
    "return-dossier": {"missing_items": ["phiếu kiểm nghiệm"]},
    "resubmit-dossier": {"documents": ["sha256:form01", "sha256:form02", "sha256:test-report"]},
    "accept-dossier": {
        "commune_report": "sha256:commune-report",
        "commune_assessment": {
            "local_raw_material": "Gạo nếp cái hoa vàng trồng tại xã, khoảng 80% nguyên liệu",
            "local_labour": "12 lao động thường xuyên, đều là người trong xã",
            "idea_origin": "Sản phẩm truyền thống của làng nghề",
            "local_identity": "Cách ủ men lá theo kinh nghiệm của cộng đồng",
        },
        "proposal": "sha256:commune-proposal",
    },
    "record-advisory-step": {
        "step": "site_survey",
        "held_on": "2026-09-10",
        "documents": ["sha256:survey-minutes"],
        "findings": "Cơ sở sản xuất đáp ứng tiêu chí; đề nghị bổ sung phiếu kiểm nghiệm vi sinh",
    },
    "enrol": {"round_id": "R-2025-1", "level": "province", "council": _ROSTER_EXAMPLE},
    "carry-over": {"from_round": "R-2025-1", "to_round": "R-2025-2", "council": _ROSTER_EXAMPLE},
    "submit-scorecard": {"parts": {"A": "32.50", "B": "20.00", "C": "28.25"}},
    "amend-scorecard": {"parts": {"A": "33.00", "B": "20.00", "C": "28.25"}, "reason": "rà soát lại phần A"},
    "finalize": {"failed_mandatory_criteria": []},
    "recognize": {
        "decision_number": "QĐ 1234/QĐ-UBND",
        "decision_date": "2025-09-15",
    },
    "approve-result": {"decision_number": "QĐ 2345/QĐ-UBND", "decision_date": "2026-09-15"},
    "evaluate-again": {"decision_number": "QĐ 2400/QĐ-UBND", "reason": "Tổ chức đánh giá lại cấp tỉnh"},
    "apply-upgrade": {"documents": ["sha256:upgrade-dossier"]},
    "apply-re-evaluation": {"documents": ["sha256:re-evaluation-dossier"]},
    # qd26-2026 (Art. 8): a ground a–e and the concluding document the provincial agency uploaded.
    "revoke": {
        "grounds": "Sản phẩm không duy trì chất lượng như khi được công nhận",
        "ground": "b",
        "conclusion": "sha256:ket-luan-kiem-tra",
        "concluded_on": "2026-09-10",
    },
    "open-revocation": {
        "ground": "đ",
        "conclusion": "sha256:xac-nhan-cua-ubnd-xa",
        "concluded_on": "2026-09-10",
    },
    "record-inspection": {
        "kind": "periodic",
        "inspected_on": "2026-10-15",
        "checked": ["criteria", "ocop_mark", "promotion"],
        "findings": "Duy trì các tiêu chí theo hồ sơ; nhãn OCOP dùng đúng mẫu, đúng sản phẩm.",
        "meets_criteria": True,
        "conclusion": "sha256:bien-ban-kiem-tra",
        "evidence": ["sha256:anh-chup-nhan-san-pham"],
    },
    "request-meeting": {"reason": "Tiêu chí 2.2 cần thảo luận: hồ sơ minh chứng mâu thuẫn"},
    "decide-site-check": {"survey": True, "survey_grounds": ["production_changed"]},
    "require-redo": {
        "findings": "Hội đồng cấp tỉnh chấm tiêu chí 1.1 không theo hồ sơ",
        "conclusion": "sha256:van-ban-cua-bo",
        "concluded_on": "2026-11-20",
    },
    "withdraw": {"reason": "Chủ thể tạm dừng sản xuất"},
}


def best_sheet_choices(rulebook: str, product_set: str) -> dict[str, dict[str, Any]]:
    """A whole sheet of ``product_set`` answered with each criterion's best option (in its first case
    where it has cases): every condition then holds, so every criterion is answered."""
    choices: dict[str, dict[str, Any]] = {}
    for criterion in SHEETS[rulebook][product_set].criteria:
        variant = criterion.variants[0].code if criterion.variants else None
        option = max(criterion.variant_options(variant), key=lambda index: criterion.options[index].points)
        choices[criterion.code] = {"option": option} | ({"variant": variant} if variant else {})
    return choices


# A second example of a scorecard body: a sheet of options (QĐ 26/2026 Phụ lục II, set I.1.a: tươi
# sống — rau, củ, quả, hạt), criterion code → the option's position as printed, from 0.
SHEET_EXAMPLES: dict[str, dict[str, Any]] = {
    "submit-scorecard": {"choices": best_sheet_choices("qd26-2026", "I.1.a")},
}
# The producer's self-assessment (Mẫu 02 phần III) on the same sheet, with the uploaded documents
# that support two of its criteria.
EXAMPLES["submit-self-assessment"] = {
    "choices": best_sheet_choices("qd26-2026", "I.1.a"),
    "criterion_evidence": {
        "2.2": ["sha256:" + "a" * 64],
        "9": ["sha256:" + "b" * 64],
    },
}

# Fields of a command the API decides itself, per action: the journey id (from the path, or derived
# from the caller and the Idempotency-Key at registration) and the producer (the caller).
_DERIVED: dict[str, frozenset[str]] = {
    "register-idea": frozenset({"journey_id", "producer_id"}),
    # The level of a recognition is that of the result awaiting it (the journey knows it); the
    # certificate's number is drawn from the province's sequence (printed/numbering.py).
    "recognize": frozenset({"level", "certificate_number"}),
    # The plan's province and year are in its path (PUT /v1/plans/{province}/{year}).
    "set-plan": frozenset({"province_code", "year"}),
}


def _class_name(action: str) -> str:
    return "".join(word.capitalize() for word in action.split("-")) + "Body"


def _body_model(action: str, command: type[BaseModel]) -> type[Body]:
    """The request body of ``action``: the command's fields less those the API fills in."""
    skip = FILLED_BY_API | _DERIVED.get(action, frozenset())
    fields: dict[str, Any] = {}
    for name, info in command.model_fields.items():
        if name in skip:
            continue
        field = copy.deepcopy(info)
        annotation: Any = field.annotation
        annotation, field = _bounded(action, name, annotation, field)
        if command is ImportCertified and name == "journey_id":
            annotation = str | None
            field = Field(  # type: ignore[assignment]  # Field() is typed as the default's type
                default=None,
                pattern=JOURNEY_ID_PATTERN,
                description="The product's id in the old register; derived from the "
                "Idempotency-Key if omitted.",
            )
        fields[name] = (annotation, field)
    # A scorecard's body gives its parts or its choices (the command's own check, at ``parts``).
    validators: dict[str, Any] = {}
    if "parts" in fields and "choices" in fields and issubclass(command, ScorecardBody):
        validators["_one_way"] = field_validator("parts")(ScorecardBody.one_way.__func__)  # type: ignore[attr-defined]
    model: type[Body] = create_model(
        _class_name(action),
        __base__=Body,
        __doc__=command.__doc__,
        __module__=__name__,
        __validators__=validators,
        **fields,
    )
    example = EXAMPLES.get(action)
    if example is not None:
        more = [SHEET_EXAMPLES[action]] if action in SHEET_EXAMPLES else []
        model.model_config["json_schema_extra"] = {"examples": [example, *more]}
        model.model_rebuild(force=True)
    return model


ACTION_BODIES: dict[str, type[Body]] = {
    action: _body_model(action, command) for action, command in JOURNEY_ACTIONS.items()
}


# -- councils, rounds, plans --------------------------------------------------------------------

_SEATS_EXAMPLE = _ROSTER_EXAMPLE["seats"]
EXAMPLES.update(
    {
        "appoint-council": {
            "council_id": "HD-TH-2025",
            "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa",
            "level": "province",
            "jurisdiction": "38",
            "seats": _SEATS_EXAMPLE,
            "reason": "Quyết định số 12/QĐ-UBND",
        },
        "change-membership": {"seats": _SEATS_EXAMPLE, "reason": "Kiện toàn Hội đồng"},
        "declare-conflict": {
            "member_id": "HD-TH-2025-m3",
            "journey_id": "5b0c1f0e-6f2e-5d43-9a3c-0c1b2d3e4f50",
            "reason": "Người thân là chủ thể sản xuất",
        },
        "open-round": {
            "round_id": "R-TH-2026-1",
            "name": "Đợt 1/2026",
            "council_id": "HD-TH-2025",
            "cut_off": "2026-03-31",
            "meeting_date": "2026-04-15",
        },
        "enrol-journey": {"journey_id": "5b0c1f0e-6f2e-5d43-9a3c-0c1b2d3e4f50"},
        "close-round": {"carry_over_to": "R-TH-2026-2"},
        "publish-results": {},
        "set-plan": {"targets": {"3": 137, "4": 20, "5": 3}, "total": 160, "reason": "Kế hoạch năm"},
    }
)
# The request bodies the routes declare by name. At run time each is the model built from its
# command (FastAPI reads the route's annotation then); to mypy each is a Body, which it may annotate
# with: routes pass a body on whole (command_fields, model_dump) and read none of its fields.
if TYPE_CHECKING:
    RegisterIdeaBody = Body
    ImportCertifiedBody = Body
    AppointCouncilBody = Body
    ChangeMembershipBody = Body
    DeclareConflictBody = Body
    OpenRoundBody = Body
    EnrolJourneyBody = Body
    CloseRoundBody = Body
    PublishResultsBody = Body
    SetPlanBody = Body
else:
    RegisterIdeaBody = ACTION_BODIES["register-idea"]
    ImportCertifiedBody = ACTION_BODIES["import-certified"]
    AppointCouncilBody = _body_model("appoint-council", AppointCouncil)
    ChangeMembershipBody = _body_model("change-membership", ChangeMembership)
    DeclareConflictBody = _body_model("declare-conflict", DeclareConflict)
    OpenRoundBody = _body_model("open-round", OpenRound)
    EnrolJourneyBody = _body_model("enrol-journey", EnrolJourney)
    CloseRoundBody = _body_model("close-round", CloseRound)
    PublishResultsBody = _body_model("publish-results", PublishResults)
    SetPlanBody = _body_model("set-plan", SetPlan)


class CouncilReceipt(BaseModel):
    """Acknowledgement of a committed council decision, with the council's new state."""

    council_id: str
    event_ids: list[str]
    event_types: list[str] = Field(description="Empty when nothing changed (e.g. a conflict declared twice).")
    stream_version: int
    replayed: bool = False
    state: Council


class PlanReceipt(BaseModel):
    """Acknowledgement of a committed plan decision, with the plan's new state."""

    province_code: int
    year: int
    event_ids: list[str]
    event_types: list[str]
    stream_version: int
    replayed: bool = False
    state: Plan


class RoundResults(BaseModel):
    """A round's results table (kết quả đánh giá, phân hạng): as published, or as the journeys
    stand now while the round is open or closed but not yet published."""

    round_id: str
    name: str
    status: RoundStatus
    published: bool = Field(description="True once the results are published; the table no longer changes.")
    rows: list[ResultRow]


# -- actors -------------------------------------------------------------------------------------


class JurisdictionKind(StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class Jurisdiction(BaseModel):
    """Địa bàn: the area an actor acts for — the whole country (VN), a province or commune code
    (2025 codes), or a district name (under rulebooks that still have districts)."""

    model_config = ConfigDict(frozen=True)

    kind: JurisdictionKind
    value: str = Field(description="VN, a province code, a commune code, or a district name.")


class NewActor(Body):
    """An administrator creates an actor; the response shows its bearer token once."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"role": "commune_officer", "jurisdiction": "14797"}]}
    )

    role: Role = Field(description="The role the actor acts in (vai trò); not `system`.")
    jurisdiction: str = Field(
        min_length=1,
        max_length=200,
        description="VN, a province code, a commune code or a district name; read by the role "
        "(commune officers: a commune code, district officers: a district name, others: VN, a province "
        "code or a district name). Prefix `commune:`, `province:`, `district:` to say which explicitly.",
    )
    id: str | None = Field(
        default=None,
        pattern=ACTOR_ID_PATTERN,
        description="The actor's id (as council rosters name it); derived from the Idempotency-Key "
        "if omitted.",
    )


class ActorView(BaseModel):
    """An actor as the API knows it (no personal data)."""

    id: str
    role: Role
    jurisdiction: Jurisdiction
    created_at: datetime | None = None
    created_by: str | None = Field(default=None, description="The administrator who created the actor.")


class ActorCreated(ActorView):
    token: str | None = Field(
        description="The bearer token, shown this once (only its SHA-256 is kept). A retry with the same "
        "Idempotency-Key returns the actor without it."
    )


# -- reads --------------------------------------------------------------------------------------


class JourneyPage(BaseModel):
    """A page of journeys in id order; follow ``next_cursor`` until it is null."""

    items: list[JourneyState]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end. A page may hold fewer "
        "items than the limit while more follow."
    )


class HistoryEntry(BaseModel):
    """One recorded decision of a journey: what, who (id and role), for whom, why, under which
    rulebook, when, and its link in the hash chain."""

    version: int
    position: int
    event_id: UUID
    type: str
    data: dict[str, Any] = Field(description="The event's facts; decimal numbers are given as strings.")
    actor: Actor
    authority: str | None
    reason: str | None
    rulebook: str | None
    evidence: list[str]
    recorded_at: datetime
    update_id: str | None
    request_id: str | None
    prev_hash: str
    hash: str
    sealed: list[str] = Field(
        default_factory=list,
        description="Fields of `data` withheld from this reader until they have submitted their own "
        "scorecard or the result is finalized (independent scoring); `hash` and `prev_hash` are those "
        "of the event as recorded, so the entry verifies once it is read whole.",
    )


class JourneyHistory(BaseModel):
    journey_id: str
    events: list[HistoryEntry]


class EventsPage(BaseModel):
    """A page of the global feed in position order, without gaps: ask again with ``after = next_after``."""

    events: list[RecordedEvent]
    next_after: int = Field(description="The last position in this page (or `after` when it is empty).")


class VerificationView(BaseModel):
    """Result of recomputing hash chains: ``ok``, or the first broken link of each broken stream."""

    ok: bool
    streams_checked: int
    events_checked: int
    broken: list[BrokenLink]


class HealthView(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str] = Field(description="Each dependency (database, temporal): ok, or why not.")


# -- errors -------------------------------------------------------------------------------------


class FieldError(BaseModel):
    """One failing field of a request."""

    loc: list[str | int] = Field(description="Where: body, query, path or header, then the field path.")
    msg: str
    type: str


class Problem(BaseModel):
    """Problem details (RFC 9457), served as application/problem+json."""

    type: str = Field(description="A URI naming the kind of problem, e.g. urn:ocop:problem:wrong-state.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = Field(default=None, description="The request path.")
    code: str | None = Field(default=None, description="The domain error's name, e.g. WrongState.")
    errors: list[FieldError] = Field(default_factory=list, description="The failing fields (422).")
    request_id: str | None = None


__all__ = [
    "ACTION_BODIES",
    "ActorCreated",
    "ActorView",
    "Body",
    "EventsPage",
    "HealthView",
    "HistoryEntry",
    "JourneyHistory",
    "JourneyPage",
    "Jurisdiction",
    "JurisdictionKind",
    "NewActor",
    "Problem",
    "StreamRef",
    "VerificationView",
]
