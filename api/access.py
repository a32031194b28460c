"""Who may read and do what through the API: role, jurisdiction and council seat (pure, no I/O).

The journey's own rules (``decide``) check the finer points — which officer takes a step under the
pinned rulebook, who sits on the council, who chairs it — and refuse with a domain error. This
module adds what the journey cannot know: the caller's jurisdiction (địa bàn), what each role may
ever ask, and who may read what.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from vietnam_provinces import Ward, WardCode

from schemas.api import Jurisdiction, JurisdictionKind
from schemas.errors import DomainError, InvalidCommand
from schemas.journey import JourneyState
from schemas.refusals import CodeWords, Reason
from schemas.roles import OFFICER_OF_LEVEL, Role
from schemas.rulebook import AuthorityAction, Level
from schemas.rulebooks import get_rulebook
from workflows import places

NATIONAL = Jurisdiction(kind=JurisdictionKind.NATIONAL, value="VN")
OFFICERS = frozenset(
    {Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCIAL_OFFICER, Role.CENTRAL_OFFICER}
)
PRODUCER_ACTIONS = frozenset(
    {
        "resubmit-idea",
        "submit-plan",
        "submit-dossier",
        "resubmit-dossier",
        "apply-upgrade",
        "apply-re-evaluation",
        "submit-self-assessment",
        "withdraw",
    }
)
# The roles that may ever give each journey action. Intake steps are for the officer of the
# rulebook's intake level (commune, or district under older rulebooks); enrolment and carry-over
# for the standing agency of the journey's level: the journey checks which one. An action missing
# here is refused to everyone until it is added.
ACTION_ROLES: dict[str, frozenset[Role]] = {
    **{action: frozenset({Role.PRODUCER}) for action in PRODUCER_ACTIONS},
    **{
        action: OFFICERS
        for action in (
            "accept-idea",
            "return-idea",
            "approve-plan",
            "return-plan",
            "return-dossier",
            "accept-dossier",
            "enrol",
            "carry-over",
        )
    },
    "submit-scorecard": frozenset({Role.COUNCIL_MEMBER}),
    "amend-scorecard": frozenset({Role.COUNCIL_MEMBER}),
    # A member declares their own conflict during the evaluation, or the officer records it.
    "record-conflict": frozenset({Role.COUNCIL_MEMBER}) | OFFICERS,
    "finalize": frozenset({Role.COUNCIL_MEMBER}),
    "recognize": frozenset({Role.RECOGNITION_AUTHORITY}),
    "approve-result": frozenset({Role.RECOGNITION_AUTHORITY}),
    "evaluate-again": frozenset({Role.RECOGNITION_AUTHORITY}),
    "revoke": frozenset({Role.RECOGNITION_AUTHORITY}),
    # The council's advisory team works with the level's OCOP agency, which records its steps
    # (qd26-2026 Art. 7.3.c, 7.4.c); the journey checks the level.
    "record-advisory-step": frozenset({Role.PROVINCIAL_OFFICER, Role.CENTRAL_OFFICER}),
    # The OCOP agency checks, concludes and submits (qd26-2026 Art. 8.3.a): its file opens the 15 days.
    "open-revocation": frozenset({Role.PROVINCIAL_OFFICER, Role.CENTRAL_OFFICER}),
    # Kiểm tra, giám sát (qd26-2026 Art. 9.4): the provincial agency in its province, the ministry's.
    "record-inspection": frozenset({Role.PROVINCIAL_OFFICER, Role.CENTRAL_OFFICER}),
    # A voting member asks for a meeting (qd26-2026 Art. 7.6.d); the journey checks the seat.
    "request-meeting": frozenset({Role.COUNCIL_MEMBER}),
    # The site-check choice of a re-evaluation (Art. 7.6.c): the agency of the level (the journey checks).
    "decide-site-check": frozenset({Role.PROVINCIAL_OFFICER, Role.CENTRAL_OFFICER}),
    # The ministry's request to redo an improper provincial evaluation (Art. 10.1.b).
    "require-redo": frozenset({Role.CENTRAL_OFFICER}),
}
# The journey actions a recognition authority signs, and which entry of the pinned rulebook's
# authority table (Rulebook.authorities) decides at which level.
AUTHORITY_ACTIONS: dict[str, AuthorityAction] = {
    "recognize": AuthorityAction.RECOGNIZE,
    # Ordering a new evaluation instead of a recognition is the recognizing authority's choice.
    "evaluate-again": AuthorityAction.RECOGNIZE,
    "approve-result": AuthorityAction.APPROVE,
    "revoke": AuthorityAction.REVOKE,
}
# The level (cấp) an actor acts at, read from the kind of its jurisdiction: a provincial authority
# (UBND tỉnh) has a province, the Minister the whole country.
LEVEL_OF_JURISDICTION: dict[JurisdictionKind, Level] = {
    JurisdictionKind.NATIONAL: Level.CENTRAL,
    JurisdictionKind.PROVINCE: Level.PROVINCE,
    JurisdictionKind.DISTRICT: Level.DISTRICT,
    JurisdictionKind.COMMUNE: Level.COMMUNE,
}
# Roles that read the whole decision log (the global feed and its verification) when national.
LOG_READERS = frozenset({Role.AUDITOR, Role.ADMINISTRATOR, Role.CENTRAL_OFFICER})
# The jurisdiction kind an officer's role requires.
_OFFICER_KIND: dict[Role, JurisdictionKind] = {
    Role.COMMUNE_OFFICER: JurisdictionKind.COMMUNE,
    Role.DISTRICT_OFFICER: JurisdictionKind.DISTRICT,
    Role.PROVINCIAL_OFFICER: JurisdictionKind.PROVINCE,
    Role.CENTRAL_OFFICER: JurisdictionKind.NATIONAL,
}


class InvalidSeat(InvalidCommand):
    """A council seat names someone who cannot hold it (HTTP 422)."""


class AccessDenied(Exception):
    """The caller's role, jurisdiction or seat does not allow the request (HTTP 403)."""

    def __init__(self, reason: str | Reason) -> None:
        why = reason if isinstance(reason, Reason) else None
        text = why.message if why is not None else str(reason)
        super().__init__(text)
        self.reason = text
        # Its template and parameters (schemas.refusals): told in the reader's language.
        self.why = why

    def told(self, lang: str, words: CodeWords | None = None) -> str:
        """The refusal in ``lang``; an unconverted one as written."""
        return self.why.text(lang, words) if self.why is not None else self.reason


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    id: str
    role: Role
    jurisdiction: Jurisdiction
    created_at: datetime | None = None
    created_by: str | None = None


class Place(NamedTuple):
    """Where a product is: what jurisdictions are compared with."""

    province_code: int
    commune_code: int
    district: str | None


def place_of(journey: JourneyState) -> Place:
    return Place(journey.province_code, journey.commune_code, journey.district)


# -- jurisdictions ------------------------------------------------------------------------------


def parse_jurisdiction(role: Role, text: str) -> Jurisdiction:
    """Read ``text`` as the jurisdiction of an actor in ``role``; ValueError says why it cannot be.

    ``VN`` is national; ``commune:C``, ``province:P``, ``district:NAME`` say the kind explicitly;
    otherwise commune officers give a commune code, district officers a district name, and every
    other role a province code (digits) or a district name."""
    if role == Role.SYSTEM:
        raise ValueError("no actor acts as the system")
    text = text.strip()
    kind, sep, value = text.partition(":")
    if sep and kind in {k.value for k in JurisdictionKind}:
        jurisdiction = _jurisdiction(JurisdictionKind(kind), value.strip())
    elif text.upper() in {"VN", "NATIONAL"}:
        jurisdiction = NATIONAL
    elif role == Role.COMMUNE_OFFICER:
        jurisdiction = _jurisdiction(JurisdictionKind.COMMUNE, text)
    elif role == Role.DISTRICT_OFFICER or not text.isdigit():
        jurisdiction = _jurisdiction(JurisdictionKind.DISTRICT, text)
    else:
        jurisdiction = _jurisdiction(JurisdictionKind.PROVINCE, text)
    required = _OFFICER_KIND.get(role)
    if required is not None and jurisdiction.kind != required:
        raise ValueError(f"a {role.value} acts for a {required.value}, not a {jurisdiction.kind.value}")
    return jurisdiction


def _jurisdiction(kind: JurisdictionKind, value: str) -> Jurisdiction:
    if kind == JurisdictionKind.NATIONAL:
        if value.upper() not in {"VN", ""}:
            raise ValueError("the national jurisdiction is written VN")
        return NATIONAL
    if kind == JurisdictionKind.DISTRICT:
        if not value or value.isdigit() or "\x00" in value or len(value) > 200:
            raise ValueError(f"{value!r} is not a district name")
        return Jurisdiction(kind=kind, value=value)
    if not value.isdigit() or len(value) > 9:
        raise ValueError(f"a {kind.value} is given by its code (digits), not {value!r}")
    code = int(value)
    try:
        if kind == JurisdictionKind.PROVINCE:
            places.province_name(code)
        else:
            places.commune_name(code)
    except DomainError as error:
        raise ValueError(error.message) from None
    return Jurisdiction(kind=kind, value=str(code))


def covers(jurisdiction: Jurisdiction, place: Place) -> bool:
    """True if a product at ``place`` lies in ``jurisdiction``."""
    match jurisdiction.kind:
        case JurisdictionKind.NATIONAL:
            return True
        case JurisdictionKind.PROVINCE:
            return str(place.province_code) == jurisdiction.value
        case JurisdictionKind.COMMUNE:
            return str(place.commune_code) == jurisdiction.value
        case JurisdictionKind.DISTRICT:
            return place.district is not None and place.district == jurisdiction.value
    return False  # pragma: no cover - the match is exhaustive


def within(inner: Jurisdiction, outer: Jurisdiction) -> bool:
    """True if every product of ``inner`` lies in ``outer`` (a district is placed in no province:
    only the national jurisdiction or the same district holds it)."""
    if outer.kind == JurisdictionKind.NATIONAL or inner == outer:
        return True
    if outer.kind == JurisdictionKind.PROVINCE and inner.kind == JurisdictionKind.COMMUNE:
        return _province_of_commune(int(inner.value)) == int(outer.value)
    return False


def _province_of_commune(code: int) -> int | None:
    try:
        return int(Ward.from_code(WardCode(code)).province_code)
    except ValueError:
        return None


def jurisdiction_filter(jurisdiction: Jurisdiction) -> dict[str, Any]:
    """The read-model subset (JSON containment) of the journeys in ``jurisdiction``."""
    match jurisdiction.kind:
        case JurisdictionKind.PROVINCE:
            return {"province_code": int(jurisdiction.value)}
        case JurisdictionKind.COMMUNE:
            return {"commune_code": int(jurisdiction.value)}
        case JurisdictionKind.DISTRICT:
            return {"district": jurisdiction.value}
    return {}


def merge_filters(*filters: Mapping[str, Any]) -> dict[str, Any] | None:
    """Merge JSON-containment filters; None when two ask for different values of one field (no
    journey can match both)."""
    merged: dict[str, Any] = {}
    for part in filters:
        for key, value in part.items():
            if key not in merged:
                merged[key] = value
            elif isinstance(merged[key], dict) and isinstance(value, dict):
                inner = merge_filters(merged[key], value)
                if inner is None:
                    return None
                merged[key] = inner
            elif merged[key] != value:
                return None
    return merged


# -- journeys -----------------------------------------------------------------------------------


def check_read(principal: Principal, journey: JourneyState, seated: bool) -> None:
    """May ``principal`` read ``journey``? ``seated``: a council that evaluated or evaluates the
    journey seats them."""
    role = principal.role
    if role == Role.PRODUCER:
        if journey.producer_id != principal.id:
            raise AccessDenied(Reason("access.own_journeys"))
        return
    if role == Role.COUNCIL_MEMBER:
        if not seated:
            raise AccessDenied(Reason("access.seated_journeys"))
        return
    if not covers(principal.jurisdiction, place_of(journey)):
        raise AccessDenied(Reason("access.journey_outside", yours=_describe(principal.jurisdiction)))


def check_action(principal: Principal, action: str) -> None:
    """May a caller in this role ever give ``action``? (Checked before the journey is read.)"""
    if principal.role == Role.AUDITOR:
        raise AccessDenied(Reason("access.auditors_read"))
    if principal.role not in ACTION_ROLES.get(action, frozenset()):
        raise AccessDenied(Reason("access.role_cannot", role=principal.role, action=action))


def check_act(principal: Principal, journey: JourneyState, action: str) -> None:
    """May ``principal`` give ``action`` on ``journey``? Seats and the officer of each step are
    the journey's to check (NotAllowed, NotAVotingMember ...)."""
    check_action(principal, action)
    role = principal.role
    if role == Role.PRODUCER:
        if journey.producer_id != principal.id:
            raise AccessDenied(Reason("access.own_producer"))
        return
    if role == Role.COUNCIL_MEMBER:
        return
    if not covers(principal.jurisdiction, place_of(journey)):
        raise AccessDenied(Reason("access.journey_outside", yours=_describe(principal.jurisdiction)))
    check_authority(principal, journey, action)


def check_read_document(principal: Principal, journey: JourneyState, seated: bool) -> None:
    """May ``principal`` read the documents of ``journey``'s dossier? Its producer; the officers
    (intake officers, the provincial agency) and auditors of its jurisdiction; the members of a
    council that evaluates or evaluated it (``seated``, kept for the record). Nobody else."""
    role = principal.role
    if role == Role.PRODUCER:
        if journey.producer_id != principal.id:
            raise AccessDenied(Reason("access.own_dossiers"))
        return
    if role == Role.COUNCIL_MEMBER:
        if not seated:
            raise AccessDenied(Reason("access.seated_dossiers"))
        return
    if role not in OFFICERS | {Role.AUDITOR}:
        raise AccessDenied(Reason("access.no_dossier_reading", role=role))
    if not covers(principal.jurisdiction, place_of(journey)):
        raise AccessDenied(Reason("access.journey_outside", yours=_describe(principal.jurisdiction)))


def check_upload_document(principal: Principal, journey: JourneyState, seated: bool) -> None:
    """May ``principal`` upload a document for ``journey``? Whoever may take a step that cites one:
    its producer, the officers of its jurisdiction, a member of a council evaluating it. Auditors
    and administrators change no dossier."""
    if principal.role in (Role.AUDITOR, Role.ADMINISTRATOR):
        raise AccessDenied(Reason("access.no_dossier_upload", role=principal.role))
    check_read_document(principal, journey, seated)


def check_erase_document(principal: Principal, journey: JourneyState) -> None:
    """Erasure on a legal request is an administrator's, for a journey in their jurisdiction."""
    if principal.role != Role.ADMINISTRATOR:
        raise AccessDenied(Reason("access.erase_document"))
    if not covers(principal.jurisdiction, place_of(journey)):
        raise AccessDenied(Reason("access.journey_outside", yours=_describe(principal.jurisdiction)))


def required_authority_level(journey: JourneyState, action: str) -> Level | None:
    """The level whose recognition authority signs ``action`` on ``journey``, by the authority
    table of the rulebook that governs it: the pinned rulebook for a recognition, the rulebook of
    the certificate for a revocation. None when the action is not an authority's, or the journey
    has nothing for it to sign (the journey then refuses the step itself)."""
    kind = AUTHORITY_ACTIONS.get(action)
    if kind == AuthorityAction.RECOGNIZE and journey.pending_recognition is not None:
        pending = journey.pending_recognition
        return get_rulebook(journey.rulebook).authority_level(kind, level=pending.level, stars=pending.stars)
    if kind == AuthorityAction.APPROVE and journey.pending_approval is not None:
        approval = journey.pending_approval
        book = get_rulebook(journey.rulebook)
        return book.authority_level(kind, level=approval.level, stars=approval.stars)
    if kind == AuthorityAction.REVOKE and journey.certificate_in_force is not None:
        certificate = journey.certificate_in_force
        return get_rulebook(certificate.rulebook).authority_level(
            kind, level=certificate.level, stars=certificate.stars
        )
    return None


def check_authority(principal: Principal, journey: JourneyState, action: str) -> None:
    """Authority = role + level + jurisdiction (thẩm quyền): a recognition authority acts only at
    its own level — a provincial chairman never signs a central decision, the Minister never a
    provincial one (ocop.md §7)."""
    required = required_authority_level(journey, action)
    if required is None:
        return
    acting = LEVEL_OF_JURISDICTION[principal.jurisdiction.kind]
    if acting != required:
        raise AccessDenied(Reason("access.authority_level", action=action, required=required, acting=acting))


def acting_body(principal: Principal, journey: JourneyState | None = None) -> str | None:
    """The body (cơ quan) the caller acts for, as the engine knows it from the caller's role and
    jurisdiction (and, for a council member, the council evaluating the journey): recorded as the
    event's authority, never taken from the request."""
    role, jurisdiction = principal.role, principal.jurisdiction
    if role == Role.PRODUCER:
        return None
    if role == Role.COUNCIL_MEMBER:
        evaluation = journey.evaluation if journey is not None else None
        return f"Hội đồng {evaluation.council.council_id}" if evaluation is not None else None
    place = _place_name(jurisdiction)
    title = _BODY_OF_ROLE.get(role)
    if title is None:
        return None
    national, local = title
    return national if jurisdiction.kind == JurisdictionKind.NATIONAL else local.format(place=place)


# Role -> (the body acted for nationally, the body acted for in a place).
_BODY_OF_ROLE: dict[Role, tuple[str, str]] = {
    Role.COMMUNE_OFFICER: ("Bộ Nông nghiệp và Môi trường", "UBND {place}"),
    Role.DISTRICT_OFFICER: ("Bộ Nông nghiệp và Môi trường", "UBND {place}"),
    Role.PROVINCIAL_OFFICER: ("Bộ Nông nghiệp và Môi trường", "Cơ quan quản lý OCOP {place}"),
    Role.CENTRAL_OFFICER: ("Bộ Nông nghiệp và Môi trường", "Bộ Nông nghiệp và Môi trường"),
    Role.RECOGNITION_AUTHORITY: ("Bộ trưởng Bộ Nông nghiệp và Môi trường", "Chủ tịch UBND {place}"),
    Role.ADMINISTRATOR: ("Quản trị hệ thống (toàn quốc)", "Quản trị hệ thống {place}"),
}


def _place_name(jurisdiction: Jurisdiction) -> str:
    match jurisdiction.kind:
        case JurisdictionKind.PROVINCE:
            name = places.province_name(int(jurisdiction.value))
            return name if name.startswith(("Thành phố", "Tỉnh")) else f"tỉnh {name}"
        case JurisdictionKind.COMMUNE:
            return places.commune_name(int(jurisdiction.value))
        case JurisdictionKind.DISTRICT:
            return jurisdiction.value
    return "Việt Nam"


def check_register(principal: Principal, place: Place | None = None) -> None:
    """Only producers register ideas (đăng ký ý tưởng), for themselves, for a product in their own
    jurisdiction (a producer of Thanh Hóa does not register a product of Hà Nội)."""
    if principal.role != Role.PRODUCER:
        raise AccessDenied(Reason("access.producers_register", role=principal.role))
    if place is not None and not covers(principal.jurisdiction, place):
        raise AccessDenied(Reason("access.register_outside", yours=_describe(principal.jurisdiction)))


def check_import(principal: Principal, place: Place) -> None:
    """Administrators import historic certificates of products in their jurisdiction."""
    if principal.role != Role.ADMINISTRATOR:
        raise AccessDenied(Reason("access.administrators_import"))
    if not covers(principal.jurisdiction, place):
        raise AccessDenied(Reason("access.product_outside", yours=_describe(principal.jurisdiction)))


def list_scope(principal: Principal) -> dict[str, Any] | None:
    """The read-model filter every journey a caller may list matches; None for council members,
    whose journeys are those their councils evaluate (a seat query, not a filter)."""
    if principal.role == Role.PRODUCER:
        return {"producer_id": principal.id}
    if principal.role == Role.COUNCIL_MEMBER:
        return None
    return jurisdiction_filter(principal.jurisdiction)


# -- councils, rounds, plans, reports -----------------------------------------------------------

# Who reads a jurisdiction's councils, rounds, plans and statistics (besides the council's members).
REPORT_READERS = OFFICERS | {Role.AUDITOR, Role.ADMINISTRATOR, Role.RECOGNITION_AUTHORITY}


def council_jurisdiction(level: Level, jurisdiction: str) -> Jurisdiction:
    """The area a council (and its rounds) sits for, as actors' jurisdictions are written."""
    if level == Level.CENTRAL or jurisdiction.upper() == "VN":
        return NATIONAL
    if level == Level.DISTRICT or not jurisdiction.isdigit():
        return Jurisdiction(kind=JurisdictionKind.DISTRICT, value=jurisdiction)
    kind = JurisdictionKind.COMMUNE if level == Level.COMMUNE else JurisdictionKind.PROVINCE
    return Jurisdiction(kind=kind, value=str(int(jurisdiction)))


def check_manage_council(principal: Principal, level: Level, jurisdiction: str) -> None:
    """Councils are appointed and changed by the officer of their level (provincial officer for a
    provincial council, central officer for the central one) in their jurisdiction, or an
    administrator whose jurisdiction holds the council's."""
    officer = OFFICER_OF_LEVEL[level]
    if principal.role == Role.AUDITOR:
        raise AccessDenied(Reason("access.auditors_read"))
    if principal.role not in (officer, Role.ADMINISTRATOR):
        raise AccessDenied(Reason("access.council_manager", level=level, officer=officer))
    place = council_jurisdiction(level, jurisdiction)
    if not within(place, principal.jurisdiction):
        raise AccessDenied(
            Reason("access.council_outside", place=_describe(place), yours=_describe(principal.jurisdiction))
        )


def check_seat_holders(level: Level, jurisdiction: str, holders: Mapping[str, Principal | None]) -> None:
    """Every seat of a council is held by a council member the engine knows (an active actor in
    that role) whose jurisdiction and the council's overlap: a roster cannot seat a producer, an
    officer, an unknown id, or a member of another province. Raises InvalidSeat."""
    place = council_jurisdiction(level, jurisdiction)
    for member_id, holder in holders.items():
        if holder is None:
            raise InvalidSeat(Reason("access.seat_unknown", member=member_id))
        if holder.role != Role.COUNCIL_MEMBER:
            raise InvalidSeat(Reason("access.seat_role", member=member_id, role=holder.role))
        if not (within(holder.jurisdiction, place) or within(place, holder.jurisdiction)):
            raise InvalidSeat(
                Reason(
                    "access.seat_elsewhere",
                    member=member_id,
                    theirs=_describe(holder.jurisdiction),
                    place=_describe(place),
                )
            )


def check_declare_conflict(
    principal: Principal, level: Level, jurisdiction: str, member_id: str, *, seated: bool
) -> None:
    """A member of the council declares their own conflict of interest (xung đột lợi ích); the
    standing agency of the council's level, in its jurisdiction, may record one. Not an
    administrator: the journey under evaluation takes a conflict from the member or that agency
    only, and a conflict the council records but the journey refuses would let the member score.
    ``seated``: the caller sits on the council."""
    if principal.role == Role.COUNCIL_MEMBER:
        if principal.id != member_id:
            raise AccessDenied(Reason("access.own_conflicts"))
        if not seated:
            raise AccessDenied(Reason("access.seated_conflicts"))
        return
    officer = OFFICER_OF_LEVEL[level]
    if principal.role != officer:
        raise AccessDenied(Reason("access.conflict_recorder", level=level, officer=officer))
    check_manage_council(principal, level, jurisdiction)


def check_read_council(principal: Principal, level: Level, jurisdiction: str, seated: bool) -> None:
    """A council (or one of its rounds) is read by its members and by officers, auditors,
    administrators and authorities whose jurisdiction holds the council's."""
    if principal.role == Role.COUNCIL_MEMBER:
        if not seated:
            raise AccessDenied(Reason("access.seated_councils"))
        return
    if principal.role not in REPORT_READERS:
        raise AccessDenied(Reason("access.no_council_reading", role=principal.role))
    place = council_jurisdiction(level, jurisdiction)
    if not within(place, principal.jurisdiction):
        raise AccessDenied(
            Reason("access.council_outside", place=_describe(place), yours=_describe(principal.jurisdiction))
        )


def check_run_round(principal: Principal, level: Level, jurisdiction: str) -> None:
    """Rounds are opened, filled, closed and published by the standing agency of the council's
    level (the provincial officer for a provincial council) in its jurisdiction."""
    officer = OFFICER_OF_LEVEL[level]
    if principal.role == Role.AUDITOR:
        raise AccessDenied(Reason("access.auditors_read"))
    if principal.role != officer:
        raise AccessDenied(Reason("access.round_runner", level=level, officer=officer))
    place = council_jurisdiction(level, jurisdiction)
    if not within(place, principal.jurisdiction):
        raise AccessDenied(
            Reason("access.round_outside", place=_describe(place), yours=_describe(principal.jurisdiction))
        )


def check_set_plan(principal: Principal, province_code: int) -> None:
    """A province's plan is set by its provincial officer or an administrator whose jurisdiction
    holds the province."""
    if principal.role == Role.AUDITOR:
        raise AccessDenied(Reason("access.auditors_read"))
    if principal.role not in (Role.PROVINCIAL_OFFICER, Role.ADMINISTRATOR):
        raise AccessDenied(Reason("access.plan_setter"))
    _check_province(principal, province_code)


def check_read_province(principal: Principal, province_code: int | None) -> None:
    """Plans and statistics of a province (all provinces when None) are read by auditors,
    officers, administrators and authorities whose jurisdiction holds it."""
    if principal.role not in REPORT_READERS:
        raise AccessDenied(Reason("access.no_plan_reading", role=principal.role))
    if province_code is None:
        if principal.jurisdiction.kind != JurisdictionKind.NATIONAL:
            raise AccessDenied(Reason("access.national_statistics"))
        return
    _check_province(principal, province_code)


def check_read_inspections_due(principal: Principal) -> None:
    """The list of products due an inspection (qd26-2026 Art. 9) is the OCOP agencies' planning list:
    read, for their jurisdiction (``list_scope``), by those who read its reports."""
    if principal.role not in REPORT_READERS:
        raise AccessDenied(Reason("access.no_inspection_list", role=principal.role))


def _check_province(principal: Principal, province_code: int) -> None:
    place = Jurisdiction(kind=JurisdictionKind.PROVINCE, value=str(province_code))
    if not within(place, principal.jurisdiction):
        raise AccessDenied(
            Reason("access.province_outside", province=province_code, yours=_describe(principal.jurisdiction))
        )


# -- the log and the actors ---------------------------------------------------------------------


def reads_whole_log(principal: Principal) -> bool:
    """Whether the actor may read the global feed and verify the whole log (national readers)."""
    return principal.role in LOG_READERS and principal.jurisdiction.kind == JurisdictionKind.NATIONAL


def check_read_log(principal: Principal) -> None:
    """The global feed and the whole log's verification span every journey: national readers only."""
    if not reads_whole_log(principal):
        raise AccessDenied(Reason("access.national_log"))


def check_create_actor(principal: Principal, role: Role, jurisdiction: Jurisdiction) -> None:
    """Administrators create actors within their own jurisdiction."""
    if principal.role != Role.ADMINISTRATOR:
        raise AccessDenied(Reason("access.administrators_create"))
    if not within(jurisdiction, principal.jurisdiction):
        raise AccessDenied(
            Reason(
                "access.actor_outside", place=_describe(jurisdiction), yours=_describe(principal.jurisdiction)
            )
        )


def _describe(jurisdiction: Jurisdiction) -> str:
    if jurisdiction.kind == JurisdictionKind.NATIONAL:
        return "national"
    return f"{jurisdiction.kind.value} {jurisdiction.value}"
