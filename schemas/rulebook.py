"""Rulebooks (bộ tiêu chí và quy trình): the versioned rules a journey is evaluated under.

Every threshold, part maximum, level and deadline the engine applies is read from here; the
three shipped rulebooks live as JSON files in ``schemas/rulebooks/``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.procedure import AdvisoryStep

Part = Literal["A", "B", "C"]
PARTS: tuple[Part, ...] = ("A", "B", "C")


class Level(StrEnum):
    """Administrative level (cấp) of an intake or a council."""

    COMMUNE = "commune"
    DISTRICT = "district"
    PROVINCE = "province"
    CENTRAL = "central"


class DeadlineUnit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"


class DeadlineRule(BaseModel):
    """A time limit: an amount of Vietnamese working days or of calendar days."""

    model_config = ConfigDict(frozen=True)

    amount: int = Field(gt=0)
    unit: DeadlineUnit


class Deadlines(BaseModel):
    """The rulebook's deadlines (ocop.md §3: unconfirmed in law, engine defaults)."""

    model_config = ConfigDict(frozen=True)

    dossier_completion: DeadlineRule = Field(description="After a return; missing it withdraws the journey.")
    commune_report: DeadlineRule = Field(description="Commune report and proposal; missing it escalates.")
    recognition: DeadlineRule = Field(description="Recognition decision after a council result; escalates.")


class Quorum(BaseModel):
    """Quorum of a council: a share of the voting members (rounded up) or a fixed number; the chair
    must be among those present. Members who submitted a scorecard count as present."""

    model_config = ConfigDict(frozen=True)

    numerator: int = Field(default=2, gt=0)
    denominator: int = Field(default=3, gt=0)
    min_present: int | None = Field(default=None, gt=0, description="Fixed count, e.g. 5 of 7 centrally.")
    chair_required: bool = True

    def required(self, voting_members: int) -> int:
        """How many voting members must have scored."""
        if self.min_present is not None:
            return self.min_present
        return -(-voting_members * self.numerator // self.denominator)  # ceiling division


class LevelRules(BaseModel):
    """What a council level does with a result (ocop.md §2, routing table)."""

    model_config = ConfigDict(frozen=True)

    level: Level
    certifies: list[int] = Field(description="Star ranks this level recognizes.")
    forward_at: Decimal | None = Field(description="Mean from which the product goes to the next level.")
    certify_while_forwarding: bool = Field(
        description="Recognize the highest rank here, then forward (the province for potential 5★)."
    )
    quorum: Quorum = Field(default_factory=Quorum)
    dispersion_limit: Decimal = Field(
        default=Decimal(10), description="Highest minus lowest total allowed at finalization."
    )
    standing_agency: str = Field(description="Cơ quan thường trực: enrols dossiers in rounds.")
    recognition_authority: str = Field(description="Who signs the recognition decision.")
    approve_before_forwarding: bool = Field(
        default=False,
        description="A result this level forwards is first approved by its authority (phê duyệt kết "
        "quả, no certificate): the province under qd26-2026 for a potential 5★ (Art. 7.3.e).",
    )
    unrecognized_returns_to: Level | None = Field(
        default=None,
        description="A result this level does not certify, at a rank the named level certifies, goes to "
        "that level's authority: it recognizes that rank on this result or has its own council evaluate "
        "again (qd26-2026 Art. 7.4.g: the central council below 90). None: nothing is recognized.",
    )


class StarBand(BaseModel):
    """Half-open band [lower, next band's lower) of the council mean."""

    model_config = ConfigDict(frozen=True)

    stars: int = Field(ge=1, le=5)
    lower: Decimal


class ProductGroup(BaseModel):
    """A product group (ngành / nhóm sản phẩm)."""

    model_config = ConfigDict(frozen=True)

    code: str
    name_vi: str
    name_en: str
    needs_samples: bool = True


class AuthorityAction(StrEnum):
    """A decision only a recognition authority signs (thẩm quyền)."""

    RECOGNIZE = "recognize"
    REVOKE = "revoke"
    APPROVE = "approve"


class Authorities(BaseModel):
    """Which level's recognition authority signs what (ocop.md §7, Art. 4, 8): an authority acts
    only at its own level. Keys are the level of the council result to recognize, and the star rank
    of the certificate to revoke; a rulebook without a revocation table has certificates revoked by
    the authority of the level that recognized them."""

    model_config = ConfigDict(frozen=True)

    recognize: dict[Level, Level] = Field(
        description="Level of the council's result -> level of the authority that recognizes it."
    )
    revoke: dict[int, Level] | None = Field(
        default=None, description="Stars of the certificate -> level of the authority that revokes it."
    )
    approve: dict[Level, Level] | None = Field(
        default=None,
        description="Level of a result approved before forwarding -> level of the authority that "
        "approves it (qd26-2026: the provincial chairman); None: the recognizing authority's level.",
    )


class Passage(BaseModel):
    """Điều khoản chuyển tiếp: how a rulebook takes over from the ones it succeeds (qd26-2026 Art.
    12.2). A dossier the producer submitted before ``cut_over`` and not yet evaluated keeps the
    rulebook in force on its submission day if that one is in ``succeeds``, but must be finished by
    ``cut_over`` plus the limit of its variant; past that day the journey escalates."""

    model_config = ConfigDict(frozen=True)

    succeeds: list[str] = Field(min_length=1, description="Ids of the rulebooks this one takes over from.")
    cut_over: date = Field(description="First day of the new rulebook (the decision's effect).")
    first_evaluation: DeadlineRule = Field(description="First evaluation and upgrade: completed by then.")
    re_evaluation: DeadlineRule = Field(description="Re-evaluation: completed by then.")


class SiteCheckGround(StrEnum):
    """Why the OCOP agency surveys the site of a re-evaluated product (qd26-2026 Art. 7.6.c)."""

    PRODUCTION_CHANGED = "production_changed"  # thay đổi lớn về quy mô sản xuất
    EVIDENCE_UNCLEAR = "evidence_unclear"  # hồ sơ minh chứng không rõ ràng


class ReEvaluationRules(BaseModel):
    """Đánh giá, phân hạng lại at the end of a certificate's term (qd26-2026 Art. 7.6, 12.3): the
    filing window, the limit of the whole re-evaluation and the late filer's extension. A rulebook
    with this block sends no expiry notice ``expiry_notice_days`` before the end: the window's two
    notices replace it."""

    model_config = ConfigDict(frozen=True)

    window_opens_days: int = Field(gt=0, description="The window opens this many days before the end.")
    window_closes_days: int = Field(gt=0, description="The last day to file, this many days before the end.")
    completion: DeadlineRule = Field(description="From the complete dossier (its acceptance) to decision.")
    extension_days: int = Field(
        gt=0, description="Under re-evaluation the certificate stays valid until decided, this long at most."
    )
    written_opinion: bool = Field(
        default=False,
        description="The council evaluates by written opinion (lấy ý kiến bằng văn bản, Art. 7.6.d): it "
        "meets in person only where the totals spread past its limit or a member asks.",
    )
    site_check_grounds: list[SiteCheckGround] = Field(
        default_factory=list,
        description="Why the agency surveys the site (Art. 7.6.c); empty: no site-check choice.",
    )

    @model_validator(mode="after")
    def _window(self) -> ReEvaluationRules:
        if self.window_closes_days >= self.window_opens_days:
            raise ValueError("the re-evaluation window opens before it closes")
        return self


class RevocationGround(StrEnum):
    """Căn cứ thu hồi (qd26-2026 Art. 8.1, points a–e); the labels are in web/i18n.py."""

    A = "a"  # thông tin, tài liệu không trung thực hoặc giả mạo hồ sơ
    B = "b"  # không còn đáp ứng tiêu chí, theo kết luận kiểm tra, giám sát
    C = "c"  # vi phạm pháp luật về chất lượng, an toàn thực phẩm, môi trường, SHTT, nhãn …
    D = "d"  # sử dụng nhãn hiệu OCOP không đúng quy định, gây nhầm lẫn
    DD = "đ"  # không còn hoạt động sản xuất sản phẩm (UBND cấp xã xác nhận)
    E = "e"  # trường hợp khác theo kết luận và đề nghị của cơ quan nhà nước có thẩm quyền


class RevocationRules(BaseModel):
    """Thu hồi giấy chứng nhận (qd26-2026 Art. 8): the named grounds, and the time from the
    conclusion (kết luận) that grounds it to the decision."""

    model_config = ConfigDict(frozen=True)

    grounds: list[RevocationGround] = Field(min_length=1, description="The grounds a revocation may cite.")
    decision: DeadlineRule = Field(description="From the concluding document's date to the decision.")
    redo_ground: RevocationGround | None = Field(
        default=None,
        description="The ground of the revocation the ministry's request to redo an improper provincial "
        "evaluation opens (Art. 10.1.b); None: no such request.",
    )


class Numbering(BaseModel):
    """Số hiệu the commune gives (qd26-2026 Phụ lục II–III): the registration receipt (Mẫu 01,
    "Phiếu số …/PĐK-(Mã tỉnh)-(Mã xã)-(Năm)") when it receives a dossier, and the product code
    (mã số sản phẩm "(T)-(X)-(STT)-(Năm)") once, when it accepts one. Templates for ``str.format``
    of ``province`` and ``commune`` (codes of QĐ 19/2025/QĐ-TTg), ``number`` (the commune's sequence
    number for the year, from 1) and ``year``; the zero padding is a product decision."""

    model_config = ConfigDict(frozen=True)

    receipt: str = Field(description='E.g. "{number:03d}/PĐK-{province:02d}-{commune:05d}-{year}".')
    product_code: str = Field(description='E.g. "{province:02d}-{commune:05d}-{number:03d}-{year}".')

    @model_validator(mode="after")
    def _templates(self) -> Numbering:
        for template in (self.receipt, self.product_code):
            try:
                template.format(province=38, commune=16045, number=1, year=2026)
            except (KeyError, IndexError, ValueError) as error:
                raise ValueError(f"numbering template {template!r}: {error}") from None
        return self


class InspectionKind(StrEnum):
    """Kiểm tra định kỳ / đột xuất (qd26-2026 Art. 9.2.a)."""

    PERIODIC = "periodic"
    AD_HOC = "ad_hoc"


class InspectionCheck(StrEnum):
    """Nội dung kiểm tra, giám sát (qd26-2026 Art. 9.3); the labels are in web/i18n.py."""

    CRITERIA = "criteria"  # việc duy trì các tiêu chí theo hồ sơ đã được đánh giá, phân hạng
    OCOP_MARK = "ocop_mark"  # sử dụng nhãn hiệu OCOP
    PROMOTION = "promotion"  # sử dụng thông tin và quảng bá sản phẩm OCOP


class InspectionRules(BaseModel):
    """Kiểm tra, giám sát sau công nhận (qd26-2026 Art. 9): what an inspection covers, which ranks
    the ministry inspects as its own (others only "khi cần thiết", with a reason), and the ground a
    conclusion that the product no longer meets the criteria opens a revocation on (Art. 8.1.b)."""

    model_config = ConfigDict(frozen=True)

    checks: list[InspectionCheck] = Field(min_length=1, description="What an inspection may check.")
    ministry_stars: list[int] = Field(description="Ranks the ministry inspects without saying why.")
    failing_ground: RevocationGround = Field(description="The revocation ground of a failing conclusion.")
    periodic_interval_days: int | None = Field(
        default=None,
        gt=0,
        description="Days after the recognition or the last recorded inspection (whichever is later) "
        "at which the product is due its periodic inspection (kiểm tra định kỳ, Art. 9.2.a); None: "
        "no inspection falls due by itself.",
    )
    periodic_interval_source: str | None = Field(
        default=None,
        description="Whose setting the interval is: Art. 9 requires periodic inspections but sets no "
        "interval, so a rulebook that has one says where it comes from (the programme's setting).",
    )

    @model_validator(mode="after")
    def _interval_says_whose(self) -> InspectionRules:
        if (self.periodic_interval_days is None) != (self.periodic_interval_source is None):
            raise ValueError("a periodic inspection interval comes with its source, and only with one")
        return self


class CalendarRound(BaseModel):
    """One round of the national calendar (lịch đánh giá, qd26-2026 Art. 5), every year: proposals
    received by ``cut_off``, the round finished (results published) by ``ends`` ("MM-DD")."""

    model_config = ConfigDict(frozen=True)

    level: Level
    number: int = Field(gt=0, description="Đợt 1, đợt 2 … of the level's year.")
    cut_off: str = Field(pattern=r"^\d{2}-\d{2}$")
    ends: str = Field(pattern=r"^\d{2}-\d{2}$")

    def cut_off_in(self, year: int) -> date:
        return date(year, *map(int, self.cut_off.split("-")))

    def ends_in(self, year: int) -> date:
        return date(year, *map(int, self.ends.split("-")))

    @model_validator(mode="after")
    def _order(self) -> CalendarRound:
        if self.ends_in(2028) < self.cut_off_in(2028):  # a leap year: any "MM-DD" is a day in it
            raise ValueError("a calendar round ends after its cut-off, in the same year")
        return self


class ChecklistItem(BaseModel):
    """One part of what a dossier must hold (thành phần hồ sơ, qd26-2026 Art. 6), and how the engine
    knows it is there: ``documents`` (the dossier's documents the producer files under it),
    ``self_assessment`` (the self-assessment recorded), ``criterion_evidence`` (documents linked to
    its criteria), ``commune_report`` (the report the commune accepts the dossier with). Its words
    are ``checklist.<code>`` in web/i18n.py."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    by: Literal["producer", "commune"]
    shown_by: Literal["documents", "self_assessment", "criterion_evidence", "commune_report"]


class DossierContents(BaseModel):
    """What a dossier must hold, per variant (hồ sơ đánh giá lần đầu, nâng hạng, đánh giá lại)."""

    model_config = ConfigDict(frozen=True)

    new: list[ChecklistItem] = Field(min_length=1)
    upgrade: list[ChecklistItem] = Field(min_length=1)
    re_evaluation: list[ChecklistItem] = Field(min_length=1)

    def items(self, variant: str) -> list[ChecklistItem]:
        """The checklist of a variant ("new", "upgrade", "re_evaluation")."""
        found: list[ChecklistItem] = getattr(self, variant)
        return found


class DossierCheck(BaseModel):
    """The check of a dossier before its council (qd26-2026 Art. 7.3.a, c; 7.4.c): at the levels in
    ``returns_at`` the level's OCOP agency may return it to the commune and the producer for
    completion while it awaits its round; at the levels in ``advisory_at`` the council's advisory
    team records its steps, with their documents, until the council finalizes, and those in
    ``before_council`` come before the council's first scorecard; after a 1★ or 2★
    result (no decision) those in ``notice_to`` get a written notice."""

    model_config = ConfigDict(frozen=True)

    returns_at: list[Level] = Field(default_factory=list)
    advisory_at: list[Level] = Field(default_factory=list)
    advisory_steps: list[AdvisoryStep] = Field(default_factory=list)
    before_council: list[AdvisoryStep] = Field(
        default_factory=list,
        description=(
            "The advisory steps recorded at a level in advisory_at before its council scores the dossier "
            "(qd26-2026 Art. 7.3.c before 7.3.d, 7.4.c before 7.4.d: the team's review of the dossier)."
        ),
    )
    before_council_variants: list[Literal["new", "upgrade", "re_evaluation"]] = Field(
        default_factory=list,
        description=(
            "The dossiers whose council waits for the steps in before_council (qd26-2026: a first "
            "evaluation and an upgrade, Art. 7.3-7.4; a re-evaluation is reported on by the agency "
            "itself and decided by written opinion, Art. 7.6.c-d)."
        ),
    )
    notice_to: list[str] = Field(
        default_factory=list, description="Roles notified in writing of a result that gets no decision."
    )

    @model_validator(mode="after")
    def _council_waits_for_known_steps(self) -> DossierCheck:
        unknown = [step for step in self.before_council if step not in self.advisory_steps]
        if unknown or bool(self.before_council) != bool(self.before_council_variants):
            raise ValueError(
                f"before_council names steps the advisory team does not take ({unknown}) or no dossier "
                "it applies to (before_council_variants)"
            )
        return self


class Rulebook(BaseModel):
    """One version of the OCOP criteria and procedure."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    legal_basis: str
    in_force_from: date
    in_force_until: date | None
    intake_level: Level = Field(description="Level whose officer receives ideas, plans and dossiers.")
    commune_report_required: bool = Field(description="Dossier acceptance needs the commune's report.")
    levels: list[LevelRules] = Field(min_length=1, description="Council levels, lowest first.")
    scorecard: dict[Part, Decimal] = Field(description="Maximum of each part; they sum to 100.")
    score_decimals: int = 2
    star_bands: list[StarBand]
    recognizable_stars: list[int]
    certificate_validity_months: int = Field(gt=0)
    expiry_notice_days: int = Field(gt=0)
    deadlines: Deadlines
    product_groups: list[ProductGroup]
    authorities: Authorities
    scorecard_sheet: str | None = Field(
        default=None,
        description="Id of the criterion-by-criterion sheets (schemas.scorecard) scored under this "
        "rulebook; None: members score the three parts directly.",
    )
    passage: Passage | None = Field(default=None, description="The transition from older rulebooks.")
    re_evaluation: ReEvaluationRules | None = Field(
        default=None, description="The re-evaluation window at expiry; None: the expiry notice only."
    )
    revocation: RevocationRules | None = Field(
        default=None, description="Named grounds and a decision deadline; None: free grounds."
    )
    inspection: InspectionRules | None = Field(
        default=None, description="Post-recognition inspections (Art. 9); None: none recorded."
    )
    dossier_contents: DossierContents | None = Field(
        default=None,
        description="What a dossier must hold per variant (qd26-2026 Art. 6); None: no checklist.",
    )
    calendar: list[CalendarRound] = Field(
        default_factory=list, description="The national round calendar (Art. 5); empty: none."
    )
    numbering: Numbering | None = Field(
        default=None, description="Receipt numbers and product codes (qd26-2026); None: neither."
    )
    commune_assessment: list[str] = Field(
        default_factory=list,
        description="The items the commune assesses in its report (qd26-2026 Art. 7.2.a, Mẫu 03 part II: "
        "local raw material, local labour, the idea's origin, local identity); their labels are in "
        "web/i18n.py. Empty: the report is a document only.",
    )
    dossier_check: DossierCheck | None = Field(
        default=None, description="The agency's check and the advisory team (qd26-2026); None: neither."
    )
    acceptance_requires: list[Literal["commune_assessment", "proposal"]] = Field(
        default_factory=list,
        description="What the commune's acceptance must give besides its report (qd26-2026 Art. 6.2, "
        "7.2.b: the Mẫu 03 assessment of each item of commune_assessment, the written proposal to the "
        "province). Empty: recorded where given, never required.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Rulebook:
        if set(self.scorecard) != set(PARTS) or sum(self.scorecard.values()) != 100:
            raise ValueError("the scorecard has parts A, B, C summing to 100")
        lowers = [band.lower for band in self.star_bands]
        if lowers != sorted(lowers) or lowers[0] != 0:
            raise ValueError("star bands start at 0 and ascend")
        if [band.stars for band in self.star_bands] != list(range(1, len(self.star_bands) + 1)):
            raise ValueError("star bands are 1★, 2★, … in order")
        names = [rules.level for rules in self.levels]
        if len(set(names)) != len(names):
            raise ValueError("a level appears once")
        last = self.levels[-1]
        if last.forward_at is not None or last.certify_while_forwarding:
            raise ValueError("the last level cannot forward")
        for rules in self.levels:
            if not set(rules.certifies) <= set(self.recognizable_stars):
                raise ValueError(f"{rules.level} certifies a rank that cannot be recognized")
            if rules.certify_while_forwarding and not rules.certifies:
                raise ValueError(f"{rules.level} certifies while forwarding but certifies nothing")
            if rules.certifies and rules.level not in self.authorities.recognize:
                raise ValueError(f"no authority recognizes the {rules.level} council's results")
        revoke = self.authorities.revoke
        if revoke is not None and set(revoke) != set(self.recognizable_stars):
            raise ValueError("the revocation table names an authority for each recognizable rank")
        for rules in self.levels:
            forwards = rules.forward_at is not None and not rules.certify_while_forwarding
            if rules.approve_before_forwarding and not forwards:
                raise ValueError(f"{rules.level} approves before forwarding but does not simply forward")
            target = rules.unrecognized_returns_to
            if target is not None and (target not in names or not self.level_rules(target).certifies):
                raise ValueError(f"{rules.level} returns results to {target}, which certifies nothing here")
        if self.passage is not None and self.passage.cut_over != self.in_force_from:
            raise ValueError("the passage cuts over on the rulebook's first day")
        inspection = self.inspection
        if inspection is not None and (
            self.revocation is None or inspection.failing_ground not in self.revocation.grounds
        ):
            raise ValueError("a failing inspection opens a revocation on one of the rulebook's grounds")
        if {entry.level for entry in self.calendar} - set(names):
            raise ValueError("the calendar names a level without a council")
        return self

    def calendar_round(self, level: Level, cut_off: date) -> tuple[date, date] | None:
        """The calendar round (Art. 5) of ``level`` that takes proposals received by ``cut_off``:
        the first whose cut-off is on or after it, as (its cut-off, its end); None without one."""
        dates: list[tuple[date, date]] = []
        for year in (cut_off.year, cut_off.year + 1):
            for entry in self.calendar:
                if entry.level != level:
                    continue
                try:
                    dates.append((entry.cut_off_in(year), entry.ends_in(year)))
                except (ValueError, OverflowError):
                    continue  # past the last day a date can hold (year 9999): no such round
        return next(((day, ends) for day, ends in sorted(dates) if day >= cut_off), None)

    def authority_level(self, action: AuthorityAction, *, level: Level, stars: int) -> Level:
        """The level whose recognition authority may take ``action`` on a result (or certificate)
        of ``level`` at ``stars``."""
        if action == AuthorityAction.REVOKE and self.authorities.revoke is not None:
            return self.authorities.revoke[stars]
        if action == AuthorityAction.REVOKE:
            return level
        if action == AuthorityAction.APPROVE and self.authorities.approve is not None:
            return self.authorities.approve[level]
        return self.authorities.recognize[level]

    @property
    def first_level(self) -> Level:
        """The first council level a dossier goes to."""
        return self.levels[0].level

    def level_rules(self, level: Level) -> LevelRules:
        for rules in self.levels:
            if rules.level == level:
                return rules
        raise KeyError(f"rulebook {self.id} has no {level} council")

    def next_level(self, level: Level) -> Level | None:
        names = [rules.level for rules in self.levels]
        index = names.index(level)
        return names[index + 1] if index + 1 < len(names) else None

    def stars_for(self, mean: Decimal) -> int:
        """The star band of a (rounded) council mean."""
        stars = self.star_bands[0].stars
        for band in self.star_bands:
            if mean >= band.lower:
                stars = band.stars
        return stars

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (self.in_force_until is None or day <= self.in_force_until)

    def product_group(self, code: str) -> ProductGroup | None:
        return next((group for group in self.product_groups if group.code == code), None)
