"""The permission matrix (ma trận phân quyền): every command route of the API and every page form,
given by every role from the product's own jurisdiction, from another province and from another
level, is answered as the table below says — and records nothing when it is refused.

The table is written here, in the domain's words (ocop.md, the routes' own descriptions), apart
from ``api/access.py``: nothing of access.py is read to compute what is expected. It cannot drift:
a command route (a POST, PUT, PATCH or DELETE of the app, read from ``app.routes``) or a page form
that the table does not name fails the test, and so does a route the table names that no longer
exists.

How each cell is asked, on one scene built once for the module (a Thanh Hóa product at every step
of its journey, its councils and rounds, a potential 5★ at the central council):
- a persona the table lets give the command is sent to a *dead* target, where the journey (or the
  council, the round, the account) refuses the step for its own reason: the answer must be that
  refusal, exactly, which shows the request got past every access check, and nothing is recorded.
  Where the domain has one, the refusal comes after it has looked at who asks (a score above the
  part's maximum, a recognition dated before the result, a quorum not met...). Where it has none
  (the journey looks at its state first), the journey's own rules (``decide``, pure) are also asked
  whether they would take the step from that persona on the live target; and a revocation, which
  nothing refuses after the authority's level is checked, is taken for real on products kept for it;
- every other persona is sent to a *live* target, where the step could be taken: the answer must be
  403 (404 where the resource must not be revealed), and nothing is recorded (no event, no claimed
  Idempotency-Key);
- a control persona refused everything (an auditor) is sent to each dead target too: its 403 shows
  the dead body passes the request's validation, so the dead answer is the domain's.
The pages are asked the same cells with a signed-in page session instead of a bearer token (the
refusal is an HTML page with the status). Every wrong cell is listed at once.
"""

from __future__ import annotations

import re
import time
import typing
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import asyncpg
import httpx
import pyotp
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from schemas.api import best_sheet_choices
from schemas.commands import JOURNEY_ACTIONS, JourneyCommand
from schemas.errors import DomainError
from schemas.journey import JourneyState, Status
from schemas.roles import Role
from schemas.rulebook import Level
from schemas.scorecard import SHEETS
from settings import Settings
from store.db import create_pool
from store.events import EventStore
from store.migrations import migrate
from store.notices import NewNotice, NoticeStore, notice_id
from tests.api.cast import (
    CHOICES_80,
    COUNCIL_ID,
    ROUND_ID,
    Cast,
    acceptance,
    make_cast,
    pdf_of,
    upload,
    upload_pdf,
)
from tests.api.harness import Api, Caller
from tests.api.test_refusals import refused
from tests.conftest import create_database, drop_database
from tests.factories import COMMUNE_ASSESSMENT, DISTRICT_NAME, HAC_THANH, HOAN_KIEM, THANH_HOA
from tests.scoresheets import sheet_body
from tests.web.test_http import Visitor
from tests.workflows.harness import TEST_SERVER, running_worker
from web.confirm import CONFIRMED
from web.documents import CSRF_HEADER
from web.journey import CONFIRM_STEPS, STEP_FIELDS
from workflows.calendar import add_months
from workflows.lifecycle import applicable_rulebook, decide

HA_NOI = 1
COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CENTRAL_COUNCIL = "HD-TW-2025"
CENTRAL_ROUND = "R-TW-2025-1"
EMPTY_ROUND = "R-2025-2"  # open, nothing enrolled: closing it would succeed
CLOSED_ROUND = "R-2025-0"  # closed, nothing enrolled: publishing it would succeed
# Whole sheets of the scene's set (I.1.a: its products name it at registration, tests/api/cast.py).
CHOICES_95 = sheet_body(SHEETS["qd26-2026"]["I.1.a"], "95")
CHOICES_85 = sheet_body(SHEETS["qd26-2026"]["I.1.a"], "85")  # below the central council's 90


# -- who asks ------------------------------------------------------------------------------------


class Standing(StrEnum):
    """Where a persona stands towards the scene's product (a Thanh Hóa product of Phường Hạc Thành)."""

    OWN = "own"  # its own jurisdiction and level; the party itself (its producer, its council's chair)
    ELSEWHERE = "elsewhere"  # the same role in another province (Hà Nội)
    NATIONAL = "national"  # the same role nationally (VN): another level for a provincial matter
    NOT_THE_PARTY = (
        "not the party"  # the same role and place, not the party: another producer, a member not seated
    )


@dataclass(frozen=True)
class Persona:
    label: str
    role: Role
    standing: Standing
    jurisdiction: str
    actor_id: str

    def __str__(self) -> str:
        return f"{self.label} [{self.role.value}, {self.standing.value}]"


def _persona(label: str, role: Role, standing: Standing, jurisdiction: str, actor_id: str) -> Persona:
    return Persona(label, role, standing, jurisdiction, actor_id)


PRODUCER = _persona("the product's producer", Role.PRODUCER, Standing.OWN, "38", "pm-producer")
PRODUCER_OF_HANOI = _persona("a producer of Hà Nội", Role.PRODUCER, Standing.ELSEWHERE, "1", "pm-producer-hn")
NEIGHBOUR = _persona(
    "another producer of Thanh Hóa", Role.PRODUCER, Standing.NOT_THE_PARTY, "38", "pm-producer-2"
)
COMMUNE_OFFICER = _persona(
    "the OCOP officer of Phường Hạc Thành", Role.COMMUNE_OFFICER, Standing.OWN, str(HAC_THANH), "pm-commune"
)
COMMUNE_OFFICER_OF_HANOI = _persona(
    "the OCOP officer of Phường Hoàn Kiếm (Hà Nội)",
    Role.COMMUNE_OFFICER,
    Standing.ELSEWHERE,
    str(HOAN_KIEM),
    "pm-commune-hn",
)
DISTRICT_OFFICER = _persona(
    "a district officer (Huyện Thọ Xuân; no district level since 2025)",
    Role.DISTRICT_OFFICER,
    Standing.OWN,
    DISTRICT_NAME,
    "pm-district",
)
PROVINCIAL_OFFICER = _persona(
    "the provincial OCOP agency of Thanh Hóa", Role.PROVINCIAL_OFFICER, Standing.OWN, "38", "pm-province"
)
PROVINCIAL_OFFICER_OF_HANOI = _persona(
    "the provincial OCOP agency of Hà Nội", Role.PROVINCIAL_OFFICER, Standing.ELSEWHERE, "1", "pm-province-hn"
)
CENTRAL_OFFICER = _persona(
    "the central OCOP office", Role.CENTRAL_OFFICER, Standing.NATIONAL, "VN", "pm-central"
)
CHAIR = _persona(
    f"the chair of the provincial council {COUNCIL_ID}",
    Role.COUNCIL_MEMBER,
    Standing.OWN,
    "38",
    f"{COUNCIL_ID}-m1",
)
MEMBER_OF_HANOI = _persona(
    "a council member of Hà Nội", Role.COUNCIL_MEMBER, Standing.ELSEWHERE, "1", "pm-member-hn"
)
UNSEATED_MEMBER = _persona(
    "a council member of Thanh Hóa on no council of the scene",
    Role.COUNCIL_MEMBER,
    Standing.NOT_THE_PARTY,
    "38",
    "pm-member-unseated",
)
CENTRAL_CHAIR = _persona(
    f"the chair of the central council {CENTRAL_COUNCIL}",
    Role.COUNCIL_MEMBER,
    Standing.NATIONAL,
    "VN",
    f"{CENTRAL_COUNCIL}-m1",
)
AUTHORITY = _persona(
    "Chủ tịch UBND tỉnh Thanh Hóa", Role.RECOGNITION_AUTHORITY, Standing.OWN, "38", "pm-authority"
)
AUTHORITY_OF_HANOI = _persona(
    "Chủ tịch UBND thành phố Hà Nội", Role.RECOGNITION_AUTHORITY, Standing.ELSEWHERE, "1", "pm-authority-hn"
)
MINISTER = _persona(
    "Bộ trưởng Bộ Nông nghiệp và Môi trường",
    Role.RECOGNITION_AUTHORITY,
    Standing.NATIONAL,
    "VN",
    "pm-minister",
)
AUDITOR = _persona("an auditor of Thanh Hóa", Role.AUDITOR, Standing.OWN, "38", "pm-auditor")
AUDITOR_OF_HANOI = _persona("an auditor of Hà Nội", Role.AUDITOR, Standing.ELSEWHERE, "1", "pm-auditor-hn")
NATIONAL_AUDITOR = _persona("a national auditor", Role.AUDITOR, Standing.NATIONAL, "VN", "pm-auditor-vn")
ADMINISTRATOR = _persona("the administrator of Thanh Hóa", Role.ADMINISTRATOR, Standing.OWN, "38", "pm-admin")
ADMINISTRATOR_OF_HANOI = _persona(
    "the administrator of Hà Nội", Role.ADMINISTRATOR, Standing.ELSEWHERE, "1", "pm-admin-hn"
)
NATIONAL_ADMINISTRATOR = _persona(
    "the national administrator", Role.ADMINISTRATOR, Standing.NATIONAL, "VN", "pm-admin-vn"
)
PERSONAS: tuple[Persona, ...] = (
    PRODUCER,
    PRODUCER_OF_HANOI,
    NEIGHBOUR,
    COMMUNE_OFFICER,
    COMMUNE_OFFICER_OF_HANOI,
    DISTRICT_OFFICER,
    PROVINCIAL_OFFICER,
    PROVINCIAL_OFFICER_OF_HANOI,
    CENTRAL_OFFICER,
    CHAIR,
    MEMBER_OF_HANOI,
    UNSEATED_MEMBER,
    CENTRAL_CHAIR,
    AUTHORITY,
    AUTHORITY_OF_HANOI,
    MINISTER,
    AUDITOR,
    AUDITOR_OF_HANOI,
    NATIONAL_AUDITOR,
    ADMINISTRATOR,
    ADMINISTRATOR_OF_HANOI,
    NATIONAL_ADMINISTRATOR,
)
# Refused everything: asked with each dead target too, to show that target's body passes the
# request's validation and reaches the access checks (else the dead answer would prove nothing).
CONTROL = AUDITOR
# Refusals a journey gives before it looks at who asks: where the dead target gives one of these,
# the journey's own rules are asked too whether they would take the step from the persona.
STATE_FIRST = frozenset({"WrongState", "NotCertified"})
# How commands are given: the API with a bearer token, the pages with a session signed in by a
# token or by a user name and password.
CHANNELS = ("api", "token", "password")


# -- the scene -----------------------------------------------------------------------------------


@dataclass
class Scene:
    api: Api
    cast: Cast
    callers: dict[Persona, Caller]
    # Scene names (journey states, rounds, councils, actors) -> their ids.
    ids: dict[str, str]
    today: date
    # Idempotency-Keys already used: for a deactivation (another request's key), and for a token
    # rotation of the spare actor (the rotation's own key, recorded as its event's key).
    spent_key: str = ""
    rotation_key: str = ""
    # Journey id -> a document uploaded for it by its producer (what its commands may cite).
    documents: dict[str, str] = field(default_factory=dict)

    def id(self, name: str) -> str:
        return self.ids.get(name, name)


Body = Callable[[Scene, Persona], dict[str, Any]]


def fixed(body: Mapping[str, Any]) -> Body:
    return lambda scene, persona: dict(body)


EMPTY: Body = fixed({})


@dataclass(frozen=True)
class Probe:
    """One request of a command: its path's values (scene names), its body, and optionally an
    Idempotency-Key used before (``spent``: another request's, ``rotation``: the spare's rotation)."""

    params: Mapping[str, str] = field(default_factory=dict)
    body: Body = EMPTY
    key: str | None = None
    # A file sent as the multipart field ``file`` instead of a JSON body: its name, bytes and type.
    upload: Callable[[], tuple[str, bytes, str]] | None = None


@dataclass(frozen=True)
class Command:
    """A command as the domain says who gives it, and how it is asked on the scene."""

    says: str
    route: str  # "METHOD /path/{param}", as the app declares it
    may: frozenset[Persona]
    live: Probe  # where the step could be taken: everyone who may not is refused here
    dead: Probe  # where the step is refused for another reason: everyone who may is sent here
    refusal: tuple[int, str]  # the dead target's answer: status and problem code
    denied: int = 403  # 404 where the resource must not be revealed
    # Where nothing refuses the step after the access checks (a revocation: no refusal comes after
    # the authority's level is checked), products kept for it: the persona who may takes the step
    # for real on "<kept>_api" through the API and on "<kept>_<session>" through each kind of page
    # session (CHANNELS).
    kept: str | None = None
    # The step's body before its ``@doc`` is bound to a journey: the kept product cites its own.
    kept_body: Mapping[str, Any] | Body | None = None

    def kept_probe(self, name: str) -> Probe:
        return Probe(journey(name), _cited(self.kept_body, name))


def journey(name: str) -> Mapping[str, str]:
    return {"journey_id": name}


def command(
    says: str,
    route: str,
    may: set[Persona],
    live: Probe,
    dead: Probe,
    refusal: tuple[int, str] = (409, "WrongState"),
) -> Command:
    return Command(says, route, frozenset(may), live, dead, refusal)


def step(
    action: str,
    says: str,
    may: set[Persona],
    live: str,
    dead: str = "certified",
    body: Mapping[str, Any] | Body | None = None,
    refusal: tuple[int, str] = (409, "WrongState"),
    *,
    dead_body: Mapping[str, Any] | Body | None = None,
    kept: str | None = None,
) -> Command:
    """A journey step: ``live`` and ``dead`` name journeys of the scene by their state."""
    route = f"POST /v1/journeys/{{journey_id}}/{action}"
    live_body = _cited(body, live)
    dead_body_of = _cited(dead_body if dead_body is not None else body, dead)
    return Command(
        says,
        route,
        frozenset(may),
        Probe(journey(live), live_body),
        Probe(journey(dead), dead_body_of),
        refusal,
        kept=kept,
        kept_body=body,
    )


CITED = "@doc"  # in a step's body: the document uploaded for the journey the probe names


def _cited(body: Mapping[str, Any] | Body | None, journey_name: str) -> Body:
    """The body, each ``@doc`` replaced by the reference of the document of ``journey_name`` (a
    command may cite only documents uploaded for its own journey)."""
    made: Body = EMPTY if body is None else body if callable(body) else fixed(body)

    def cite(value: Any, reference: str) -> Any:
        if value == CITED:
            return reference
        if isinstance(value, list):
            return [cite(item, reference) for item in value]
        return value

    def cited(scene: Scene, persona: Persona) -> dict[str, Any]:
        reference = scene.documents.get(scene.id(journey_name), CITED)
        return {name: cite(value, reference) for name, value in made(scene, persona).items()}

    return cited


def _today(scene: Scene) -> str:
    return scene.today.isoformat()


def _seats(scene: Scene) -> list[dict[str, str]]:
    return list(scene.cast.roster["seats"])


def _central_seats(scene: Scene) -> list[dict[str, str]]:
    roles = ["chair", "vice_chair", "member", "member", "member"]
    return [{"member_id": f"{CENTRAL_COUNCIL}-m{n}", "role": role} for n, role in enumerate(roles, 1)]


def _council(
    council_id: str, level: str, jurisdiction: str, seats: Callable[[Scene], list[dict[str, str]]]
) -> Body:
    return lambda scene, persona: {
        "council_id": council_id,
        "name": f"Hội đồng {council_id}",
        "level": level,
        "jurisdiction": jurisdiction,
        "seats": seats(scene),
        "extra_rounds_allowed": True,  # rounds off the calendar (Art. 5)
    }


def _membership(seats: Callable[[Scene], list[dict[str, str]]]) -> Body:
    return lambda scene, persona: {"seats": seats(scene), "reason": "Kiện toàn Hội đồng"}


def _unknown_product(body: Body) -> Body:
    """``body`` naming a journey that does not exist."""
    return lambda scene, persona: {**body(scene, persona), "journey_id": "no-such-journey"}


def _seating_a_producer(scene: Scene, persona: Persona) -> dict[str, Any]:
    return {"seats": [*_seats(scene), {"member_id": PRODUCER.actor_id, "role": "member"}]}


def _conflict(council_chair: Persona, journey_name: str) -> Body:
    """A council member declares their own conflict; anyone else records the chair's."""

    def body(scene: Scene, persona: Persona) -> dict[str, Any]:
        member = persona if persona.role == Role.COUNCIL_MEMBER else council_chair
        return {"member_id": member.actor_id, "journey_id": scene.id(journey_name), "reason": "người thân"}

    return body


def _round(round_id: str, council_id: str) -> Body:
    return lambda scene, persona: {
        "round_id": round_id,
        "name": f"Đợt {round_id}",
        "council_id": council_id,
        "cut_off": (scene.today + timedelta(days=30)).isoformat(),
        "meeting_date": (scene.today + timedelta(days=35)).isoformat(),
    }


def _enrol(journey_name: str) -> Body:
    return lambda scene, persona: {"journey_id": scene.id(journey_name)}


def _recognition(scene: Scene, persona: Persona) -> dict[str, Any]:
    return {"decision_number": "QĐ 1/QĐ-UBND", "decision_date": _today(scene)}


def _advisory_step(scene: Scene, persona: Persona) -> dict[str, Any]:
    """qd26-2026 (Art. 7.3.c): a step of the advisory team with its uploaded minutes, dated today."""
    return {"step": "site_survey", "held_on": _today(scene), "documents": [CITED]}


def _revocation_file(scene: Scene, persona: Persona) -> dict[str, Any]:
    """qd26-2026 (Art. 8.3.a): the agency's file — a ground, its uploaded conclusion, its date."""
    return {"ground": "b", "conclusion": CITED, "concluded_on": _today(scene)}


def _inspection(scene: Scene, persona: Persona) -> dict[str, Any]:
    """qd26-2026 (Art. 9): an inspection with its uploaded conclusion; a reason, since the ministry
    inspects a 4★ product only when needed."""
    return {
        "kind": "ad_hoc",
        "inspected_on": _today(scene),
        "checked": ["criteria", "ocop_mark"],
        "findings": "Duy trì tiêu chí",
        "meets_criteria": True,
        "conclusion": CITED,
        "reason": "Phản ánh về chất lượng",
    }


def _redo(scene: Scene, persona: Persona) -> dict[str, Any]:
    """qd26-2026 (Art. 10.1.b): the ministry's findings, its uploaded document and its date."""
    return {"findings": "Chấm tiêu chí không theo hồ sơ", "conclusion": CITED, "concluded_on": _today(scene)}


def _revocation(scene: Scene, persona: Persona) -> dict[str, Any]:
    """qd26-2026 (Art. 8): a ground, the concluding document uploaded for the journey, its date."""
    return {"grounds": "vi phạm", "ground": "b", "conclusion": CITED, "concluded_on": _today(scene)}


# Far enough from the scene's day to stay refused whatever the test server's clock does meanwhile.
MARGIN = timedelta(days=30)


def _predating_recognition(scene: Scene, persona: Persona) -> dict[str, Any]:
    """Dated before the council's result (refused after the authority's level is checked)."""
    return {"decision_number": "QĐ 1/QĐ-UBND", "decision_date": (scene.today - MARGIN).isoformat()}


def _accepted_later(scene: Scene, persona: Persona) -> dict[str, Any]:
    """Accepted on a future day (refused after the intake officer is checked)."""
    return {**ACCEPTANCE, "accepted_on": (scene.today + MARGIN).isoformat()}


# The commune's acceptance under qd26-2026 (Art. 6.2, 7.2.b): its Mẫu 03 report, the assessment of
# its four items and its proposal (the one uploaded document cited for both).
ACCEPTANCE = {"commune_report": CITED, "commune_assessment": COMMUNE_ASSESSMENT, "proposal": CITED}


def _imported(journey_name: str | None) -> Body:
    def body(scene: Scene, persona: Persona) -> dict[str, Any]:
        base: dict[str, Any] = {
            "producer_id": PRODUCER.actor_id,
            "product_name": "Nước mắm Thanh Hóa",
            "product_group": "food",
            "province_code": THANH_HOA,
            "commune_code": HAC_THANH,
            "rulebook_id": "qd148-2023",
            "level": "province",
            "stars": 4,
            "decision_number": "QĐ 7/QĐ-UBND",
            "decision_date": "2024-05-20",
        }
        if journey_name is not None:
            base["journey_id"] = scene.id(journey_name)
        return base

    return body


def _plan(total: int | None) -> Body:
    targets = {"3": 10, "4": 5, "5": 1}
    return fixed({"targets": targets, **({"total": total} if total is not None else {})})


def _new_actor(actor_id: str) -> Body:
    return lambda scene, persona: {"id": scene.id(actor_id), "role": "producer", "jurisdiction": "38"}


ERASURE = "Nghị định 13/2023/NĐ-CP Điều 16; yêu cầu xóa số 1/2026"
IDEA_BODY = {
    "product_name": "Nem chua Thanh Hóa",
    "product_group": "food",
    "province_code": THANH_HOA,
    "commune_code": HAC_THANH,
}
DOCUMENTS = {"documents": [CITED]}
# The producer's self-assessment of the scene's food product on the sheet of its set (I.1.a), which
# the body names (the scene's products name none at registration).
SELF_ASSESSMENT = {"choices": best_sheet_choices("qd26-2026", "I.1.a"), "product_set": "I.1.a"}

# -- who may give which command, at which level (the table) ---------------------------------------
#
# The intake steps are the intake officer's of the rulebook in force (qd148-1489-2025: the commune);
# the producer's steps are the product's own producer's; scorecards are the seated voting members'
# of the council evaluating the product, and the result is finalized by its chair; a result is
# recognized, and a certificate revoked, by the authority of the level the rulebook names (3★/4★:
# Chủ tịch UBND tỉnh, 5★: the Minister) in its own jurisdiction; councils are appointed and changed
# by the standing agency of their level or an administrator whose jurisdiction holds them; a
# conflict of interest is declared by the member themselves or recorded by the standing agency;
# rounds are run by the standing agency of the council's level only; a province's plan is set by its
# agency or an administrator; administrators import historic certificates and manage the actors of
# their jurisdiction. Auditors change nothing.

INTAKE = {COMMUNE_OFFICER}
THE_PRODUCER = {PRODUCER}
PROVINCIAL_SEAT = {CHAIR}
CENTRAL_SEAT = {CENTRAL_CHAIR}
PROVINCIAL_COUNCIL_MANAGERS = {PROVINCIAL_OFFICER, ADMINISTRATOR, NATIONAL_ADMINISTRATOR}
CENTRAL_COUNCIL_MANAGERS = {CENTRAL_OFFICER, NATIONAL_ADMINISTRATOR}
ACTOR_MANAGERS = {ADMINISTRATOR, NATIONAL_ADMINISTRATOR}  # of an actor of Thanh Hóa
SPARE = "spare"  # an active producer of Thanh Hóa without a page sign-in
STOPPED = "stopped"  # a deactivated producer of Thanh Hóa
SIGNS_IN = "signs-in"  # an active producer of Thanh Hóa with a page sign-in
# Producer organisations (chủ thể OCOP) of Phường Hạc Thành: the product's producer's own (its
# account linked), and one whose representative's personal data was erased.
PRODUCER_ORG = "pm-htx"
ERASED_ORG = "pm-htx-erased"
PRODUCER_MANAGERS = {COMMUNE_OFFICER, PROVINCIAL_OFFICER, ADMINISTRATOR, NATIONAL_ADMINISTRATOR}


def _organisation(producer_id: str) -> dict[str, Any]:
    return {
        "id": producer_id,
        "organisation_type": "cooperative",
        "name": f"HTX {producer_id}",
        "province_code": THANH_HOA,
        "commune_code": HAC_THANH,
        "representative": {"name": "Lê Thị Hoa", "phone": "0987 654 321"},
    }


def _stock_sheet() -> tuple[str, bytes, str]:
    """A province's sheet of one certified product (ocop import stock's layout)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["STT", "Tên sản phẩm", "Nhóm sản phẩm", "Loại hình chủ thể", "Tên chủ thể", "Xã/phường"])
    sheet.append([1, "Nem chua", "Thực phẩm", "HTX", "HTX Nem chua", HAC_THANH])
    out = io.BytesIO()
    book.save(out)
    return "stock.xlsx", out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _not_a_sheet() -> tuple[str, bytes, str]:
    return "stock.xlsx", b"not a workbook", _stock_sheet()[2]


COMMANDS: tuple[Command, ...] = (
    command(
        "A producer registers a product idea of their own province (đăng ký ý tưởng)",
        "POST /v1/journeys",
        {PRODUCER, NEIGHBOUR},
        Probe(body=fixed(IDEA_BODY)),
        Probe(body=fixed({**IDEA_BODY, "product_group": "no-such-group"})),
        (422, "InvalidCommand"),
    ),
    command(
        "An administrator imports a product certified before the engine, of their jurisdiction",
        "POST /v1/journeys/import",
        {ADMINISTRATOR, NATIONAL_ADMINISTRATOR},
        Probe(body=_imported(None)),
        Probe(body=_imported("certified")),  # that journey exists already
    ),
    step("accept-idea", "The intake officer accepts the idea", INTAKE, "idea_registered"),
    step(
        "return-idea",
        "The intake officer returns the idea",
        INTAKE,
        "idea_registered",
        body={"reason": "Thiếu mô tả"},
    ),
    step("resubmit-idea", "The producer resubmits the returned idea", THE_PRODUCER, "idea_returned"),
    step(
        "submit-plan",
        "The producer submits the business plan",
        THE_PRODUCER,
        "plan_pending",
        body={"document": CITED},
    ),
    step("approve-plan", "The intake officer approves the plan", INTAKE, "plan_submitted"),
    step(
        "return-plan",
        "The intake officer returns the plan",
        INTAKE,
        "plan_submitted",
        body={"reason": "Bổ sung"},
    ),
    step(
        "submit-dossier", "The producer submits the dossier", THE_PRODUCER, "in_development", body=DOCUMENTS
    ),
    step(
        "return-dossier",
        "The intake officer returns the dossier",
        INTAKE,
        "dossier_submitted",
        body={"missing_items": ["Mẫu 02"]},
    ),
    step(
        "resubmit-dossier",
        "The producer resubmits the dossier",
        THE_PRODUCER,
        "dossier_returned",
        body=DOCUMENTS,
    ),
    step(
        "accept-dossier",
        "The intake officer accepts the dossier with the commune's report",
        INTAKE,
        "dossier_submitted",
        "dossier_submitted",
        ACCEPTANCE,
        (422, "InvalidCommand"),
        dead_body=_accepted_later,
    ),
    step(
        "submit-self-assessment",
        "The producer assesses the product on its sheet before the dossier goes in (Mẫu 02)",
        THE_PRODUCER,
        "in_development",
        "in_evaluation",  # the dossier is with the council, no longer with the producer
        SELF_ASSESSMENT,
    ),
    step(
        "submit-scorecard",
        "A voting member of the provincial council scores the product",
        PROVINCIAL_SEAT,
        "in_evaluation",
        "in_evaluation_scored",  # scored by the chair already
        {"choices": CHOICES_80},
        (409, "AlreadyScored"),
    ),
    step(
        "submit-scorecard",
        "A voting member of the central council scores the potential 5★",
        CENTRAL_SEAT,
        "in_central_evaluation",
        "in_central_evaluation_scored",
        {"choices": CHOICES_95},
        (409, "AlreadyScored"),
    ),
    step(
        "amend-scorecard",
        "A voting member of the provincial council amends their scorecard",
        PROVINCIAL_SEAT,
        "in_evaluation_scored",
        "in_evaluation",  # the chair has no scorecard there
        {"choices": CHOICES_80},
        (409, "NoScorecard"),
    ),
    step(
        "amend-scorecard",
        "A voting member of the central council amends their scorecard",
        CENTRAL_SEAT,
        "in_central_evaluation_scored",
        "in_central_evaluation",
        {"choices": CHOICES_95},
        (409, "NoScorecard"),
    ),
    step(
        "finalize",
        "The chair of the provincial council finalizes the result",
        PROVINCIAL_SEAT,
        "in_evaluation_scored",
        "in_evaluation",  # nobody has scored
        refusal=(409, "QuorumNotMet"),
    ),
    step(
        "finalize",
        "The chair of the central council finalizes the result",
        CENTRAL_SEAT,
        "in_central_evaluation_scored",
        "in_central_evaluation",
        refusal=(409, "QuorumNotMet"),
    ),
    command(
        "Chủ tịch UBND tỉnh recognizes a provincial result (3★, 4★)",
        "POST /v1/journeys/{journey_id}/recognize",
        {AUTHORITY},
        Probe(journey("awaiting_provincial_recognition"), _recognition),
        Probe(journey("awaiting_provincial_recognition"), _predating_recognition),
        (422, "InvalidCommand"),
    ),
    command(
        "The Minister recognizes a central result (5★)",
        "POST /v1/journeys/{journey_id}/recognize",
        {MINISTER},
        Probe(journey("awaiting_central_recognition"), _recognition),
        Probe(journey("awaiting_central_recognition"), _predating_recognition),
        (422, "InvalidCommand"),
    ),
    command(
        "Chủ tịch UBND tỉnh approves a potential 5★ result before it goes to the central council "
        "(phê duyệt kết quả; qd26-2026 Art. 7.3.e)",
        "POST /v1/journeys/{journey_id}/approve-result",
        {AUTHORITY},
        Probe(journey("awaiting_approval"), _recognition),
        Probe(journey("awaiting_approval"), _predating_recognition),
        (422, "InvalidCommand"),
    ),
    command(
        "Chủ tịch UBND tỉnh recognizes a 3★/4★ rank on the central council's result below 90 "
        "(qd26-2026 Art. 7.4.g)",
        "POST /v1/journeys/{journey_id}/recognize",
        {AUTHORITY},
        Probe(journey("central_result_below_90"), _recognition),
        Probe(journey("central_result_below_90"), _predating_recognition),
        (422, "InvalidCommand"),
    ),
    step(
        "evaluate-again",
        "Chủ tịch UBND tỉnh, offered a rank on the central council's result below 90, has the provincial "
        "council evaluate the product again instead (qd26-2026 Art. 7.4.g)",
        {AUTHORITY},
        "central_result_below_90",
        "awaiting_provincial_recognition",  # a provincial result: nothing to order instead
        {"decision_number": "QĐ 2/QĐ-UBND"},
    ),
    step(
        "apply-upgrade",
        "The producer applies to upgrade a 4★ certificate",
        THE_PRODUCER,
        "certified",
        "certified_5",  # a 5★ has no higher rank
        DOCUMENTS,
        (422, "InvalidCommand"),
    ),
    step(
        "apply-re-evaluation",
        "The producer applies for re-evaluation",
        THE_PRODUCER,
        "certified",
        "idea_registered",
        body=DOCUMENTS,
    ),
    step(
        "revoke",
        "Chủ tịch UBND tỉnh revokes a provincial 4★ certificate",
        {AUTHORITY},
        "certified",
        "idea_registered",
        body=_revocation,
        refusal=(409, "NotCertified"),
        kept="revocable_4",
    ),
    step(
        "revoke",
        "The Minister revokes a 5★ certificate",
        {MINISTER},
        "certified_5",
        "idea_registered",
        body=_revocation,
        refusal=(409, "NotCertified"),
        kept="revocable_5",
    ),
    step(
        "open-revocation",
        "The OCOP agency (provincial, or the ministry's) opens a revocation file on its conclusion",
        {PROVINCIAL_OFFICER, CENTRAL_OFFICER},
        "certified",
        "idea_registered",
        body=_revocation_file,
        refusal=(409, "NotCertified"),
    ),
    step(
        "record-inspection",
        "The OCOP agency (provincial, or the ministry's) records an inspection of a certified product",
        {PROVINCIAL_OFFICER, CENTRAL_OFFICER},
        "certified",
        "idea_registered",
        body=_inspection,
        refusal=(409, "NotCertified"),
    ),
    step(
        "require-redo",
        "The ministry's OCOP agency asks the province to redo an improper evaluation, and revoke (10.1.b)",
        {CENTRAL_OFFICER},
        "certified",
        "idea_registered",
        body=_redo,
        refusal=(409, "NotCertified"),
    ),
    step(
        "request-meeting",
        "A voting member asks the council evaluating a re-evaluation by written opinion to meet (Art. 7.6.d)",
        PROVINCIAL_SEAT,
        "re_evaluation_in_evaluation",
        "in_evaluation",  # a first evaluation: the council decides as it always does
        {"reason": "cần thảo luận"},
    ),
    step(
        "decide-site-check",
        "The provincial OCOP agency records whether it surveys a re-evaluated product's site (Art. 7.6.c)",
        {PROVINCIAL_OFFICER},
        "re_evaluation_awaiting_round",
        "awaiting_round",  # a first evaluation: no site-check choice
        {"survey": False},
    ),
    step(
        "record-advisory-step",
        "The provincial OCOP agency records a step of the council's advisory team (Tổ tư vấn: review, "
        "site survey, extra tests, report; qd26-2026 Art. 7.3.c) on a dossier awaiting its council",
        {PROVINCIAL_OFFICER},
        "awaiting_round",
        "certified",
        body=_advisory_step,
    ),
    step(
        "withdraw",
        "The producer withdraws the application",
        THE_PRODUCER,
        "idea_registered",
        body={"reason": "tạm dừng"},
    ),
    command(
        "A document is added to a product's dossier by its producer, the officers of its jurisdiction or "
        "a member of the council evaluating it (tài liệu hồ sơ); authorities cite what the dossier holds",
        "POST /v1/journeys/{journey_id}/documents",
        {PRODUCER, COMMUNE_OFFICER, PROVINCIAL_OFFICER, CENTRAL_OFFICER, CHAIR},
        Probe(journey("in_evaluation"), upload=lambda: ("Mau-02.pdf", pdf_of("matrix"), "application/pdf")),
        Probe(journey("in_evaluation"), upload=lambda: ("ghi-chu.txt", b"not a document", "text/plain")),
        (415, "UnsupportedMediaType"),
    ),
    command(
        "An administrator of the product's jurisdiction erases a document's content on a legal request",
        "POST /v1/journeys/{journey_id}/documents/{sha256}/erase",
        ACTOR_MANAGERS,
        Probe({"journey_id": "in_evaluation", "sha256": "erasable"}, fixed({"reason": ERASURE})),
        Probe({"journey_id": "in_evaluation", "sha256": "erasable"}, fixed({"reason": ERASURE}), key="spent"),
        (409, "IdempotencyKeyReused"),
    ),
    command(
        "A provincial council is appointed by the provincial agency or an administrator",
        "POST /v1/councils",
        PROVINCIAL_COUNCIL_MANAGERS,
        Probe(body=_council("HD-TH-NEW", "province", "38", _seats)),
        Probe(body=_council(COUNCIL_ID, "province", "38", _seats)),  # appointed already
    ),
    command(
        "The central council is appointed by the central office or a national administrator",
        "POST /v1/councils",
        CENTRAL_COUNCIL_MANAGERS,
        Probe(body=_council("HD-TW-NEW", "central", "VN", _central_seats)),
        Probe(body=_council(CENTRAL_COUNCIL, "central", "VN", _central_seats)),
    ),
    command(
        "A provincial council's membership is changed by the provincial agency or an administrator",
        "POST /v1/councils/{council_id}/membership",
        PROVINCIAL_COUNCIL_MANAGERS,
        Probe({"council_id": COUNCIL_ID}, _membership(_seats)),
        Probe({"council_id": COUNCIL_ID}, _seating_a_producer),
        (422, "InvalidSeat"),
    ),
    command(
        "The central council's membership is changed by the central office or a national administrator",
        "POST /v1/councils/{council_id}/membership",
        CENTRAL_COUNCIL_MANAGERS,
        Probe({"council_id": CENTRAL_COUNCIL}, _membership(_central_seats)),
        Probe(
            {"council_id": CENTRAL_COUNCIL},
            lambda scene, persona: {
                "seats": [*_central_seats(scene), {"member_id": PRODUCER.actor_id, "role": "member"}]
            },
        ),
        (422, "InvalidSeat"),
    ),
    command(
        "A member of the provincial council declares their own conflict of interest, or the provincial "
        "agency records one",
        "POST /v1/councils/{council_id}/conflicts",
        {CHAIR, PROVINCIAL_OFFICER},
        Probe({"council_id": COUNCIL_ID}, _conflict(CHAIR, "in_evaluation")),
        Probe({"council_id": COUNCIL_ID}, _conflict(CHAIR, "in_evaluation"), key="spent"),
        (409, "IdempotencyKeyReused"),
    ),
    command(
        "A member of the central council declares their own conflict of interest, or the central office "
        "records one",
        "POST /v1/councils/{council_id}/conflicts",
        {CENTRAL_CHAIR, CENTRAL_OFFICER},
        Probe({"council_id": CENTRAL_COUNCIL}, _conflict(CENTRAL_CHAIR, "in_central_evaluation")),
        Probe(
            {"council_id": CENTRAL_COUNCIL}, _conflict(CENTRAL_CHAIR, "in_central_evaluation"), key="spent"
        ),
        (409, "IdempotencyKeyReused"),
    ),
    command(
        "A round of the provincial council is opened by the provincial agency",
        "POST /v1/rounds",
        {PROVINCIAL_OFFICER},
        Probe(body=_round("R-2025-9", COUNCIL_ID)),
        Probe(body=_round(ROUND_ID, COUNCIL_ID)),  # open already
    ),
    command(
        "A round of the central council is opened by the central office",
        "POST /v1/rounds",
        {CENTRAL_OFFICER},
        Probe(body=_round("R-TW-2025-9", CENTRAL_COUNCIL)),
        Probe(body=_round(CENTRAL_ROUND, CENTRAL_COUNCIL)),
    ),
    command(
        "The provincial agency enrols a product in its council's round",
        "POST /v1/rounds/{round_id}/enrollments",
        {PROVINCIAL_OFFICER},
        Probe({"round_id": ROUND_ID}, _enrol("awaiting_round")),
        Probe({"round_id": ROUND_ID}, _enrol("in_evaluation")),  # enrolled already
    ),
    command(
        "The central office enrols a potential 5★ in the central council's round",
        "POST /v1/rounds/{round_id}/enrollments",
        {CENTRAL_OFFICER},
        Probe({"round_id": CENTRAL_ROUND}, _enrol("awaiting_round")),
        Probe({"round_id": CENTRAL_ROUND}, _enrol("in_central_evaluation")),
    ),
    command(
        "The provincial agency closes its council's round",
        "POST /v1/rounds/{round_id}/close",
        {PROVINCIAL_OFFICER},
        Probe({"round_id": EMPTY_ROUND}),
        Probe({"round_id": ROUND_ID}),  # products not finalized and nowhere to carry them
    ),
    command(
        "The central office closes the central council's round",
        "POST /v1/rounds/{round_id}/close",
        {CENTRAL_OFFICER},
        Probe({"round_id": CENTRAL_ROUND}),
        Probe({"round_id": CENTRAL_ROUND}),
    ),
    command(
        "The provincial agency publishes a closed round's results",
        "POST /v1/rounds/{round_id}/publish",
        {PROVINCIAL_OFFICER},
        Probe({"round_id": CLOSED_ROUND}),
        Probe({"round_id": ROUND_ID}),  # not closed
    ),
    command(
        "A province's plan is set by its agency or an administrator",
        "PUT /v1/plans/{province}/{year}",
        PROVINCIAL_COUNCIL_MANAGERS,
        Probe({"province": str(THANH_HOA), "year": "this year"}, _plan(None)),
        Probe({"province": str(THANH_HOA), "year": "this year"}, _plan(1)),  # total below the stars'
        (422, "InvalidCommand"),
    ),
    command(
        "An administrator creates an actor of their jurisdiction",
        "POST /v1/actors",
        ACTOR_MANAGERS,
        Probe(body=_new_actor("pm-new-actor")),
        Probe(body=_new_actor(SPARE)),
        (409, "ActorExists"),
    ),
    command(
        "An administrator of the actor's jurisdiction deactivates it",
        "POST /v1/actors/{actor_id}/deactivate",
        ACTOR_MANAGERS,
        Probe({"actor_id": SPARE}),
        Probe({"actor_id": STOPPED}),
        (409, "ActorInactive"),
    ),
    command(
        "An administrator of the actor's jurisdiction reactivates it",
        "POST /v1/actors/{actor_id}/reactivate",
        ACTOR_MANAGERS,
        Probe({"actor_id": STOPPED}),
        Probe({"actor_id": SPARE}),
        (409, "ActorActive"),
    ),
    command(
        "An administrator of the actor's jurisdiction rotates its token",
        "POST /v1/actors/{actor_id}/token",
        ACTOR_MANAGERS,
        Probe({"actor_id": SPARE}),
        Probe({"actor_id": SPARE}, key="spent"),  # nothing refuses a rotation but a used key
        (409, "IdempotencyKeyReused"),
    ),
    command(
        "An administrator of the actor's jurisdiction gives it a page sign-in",
        "POST /v1/actors/{actor_id}/sign-in",
        ACTOR_MANAGERS,
        Probe({"actor_id": SPARE}, fixed({"user_name": "pm.new.name"})),
        Probe({"actor_id": SIGNS_IN}, fixed({"user_name": "pm.new.name"})),
        (409, "SignInExists"),
    ),
    command(
        "An administrator of the actor's jurisdiction resets its password",
        "POST /v1/actors/{actor_id}/password-reset",
        ACTOR_MANAGERS,
        Probe({"actor_id": SIGNS_IN}),
        Probe({"actor_id": SPARE}),
        (409, "NoSignIn"),
    ),
    command(
        "The commune officer, the provincial agency, an administrator of the place, or a producer "
        "not yet acting for one enters a producer organisation (chủ thể OCOP)",
        "POST /v1/producers",
        PRODUCER_MANAGERS | {NEIGHBOUR},
        Probe(body=fixed(_organisation("pm-htx-new"))),
        Probe(body=fixed(_organisation(PRODUCER_ORG))),  # that id exists
        (409, "ProducerExists"),
    ),
    command(
        "They, or the organisation's own producer account, change its record",
        "PATCH /v1/producers/{producer_id}",
        PRODUCER_MANAGERS | {PRODUCER},
        Probe({"producer_id": PRODUCER_ORG}, fixed({"name": "HTX đổi tên"})),
        Probe({"producer_id": PRODUCER_ORG}, fixed({"name": f"HTX {PRODUCER_ORG}"})),  # as it is
        (409, "NothingChanged"),
    ),
    command(
        "The commune officer, the provincial agency or an administrator links a producer's account",
        "POST /v1/producers/{producer_id}/accounts",
        PRODUCER_MANAGERS,
        Probe({"producer_id": PRODUCER_ORG}, fixed({"actor_id": SPARE})),
        Probe({"producer_id": PRODUCER_ORG}, fixed({"actor_id": PRODUCER.actor_id})),  # linked already
        (409, "AccountLinked"),
    ),
    command(
        "An administrator of the place erases the representative's personal data on request",
        "POST /v1/producers/{producer_id}/erase-representative",
        ACTOR_MANAGERS,
        Probe({"producer_id": PRODUCER_ORG}),
        Probe({"producer_id": ERASED_ORG}),
        (409, "ErasedAlready"),
    ),
    command(
        "An administrator imports the stock of certified products from a province's sheet",
        "POST /v1/producers/import",
        {ADMINISTRATOR, ADMINISTRATOR_OF_HANOI, NATIONAL_ADMINISTRATOR},  # each for their own province
        Probe(upload=_stock_sheet),
        Probe(upload=_not_a_sheet),
        (422, "InvalidRequest"),
    ),
    command(
        "An administrator of the actor's jurisdiction says where its notices go (its contact details)",
        "POST /v1/actors/{actor_id}/contact",
        ACTOR_MANAGERS,
        Probe({"actor_id": SPARE}, fixed({"email": "spare@thu.example.vn", "language": "en"})),
        # No party has this id.
        Probe({"actor_id": SPARE}, fixed({"party_id": "00000000-0000-4000-8000-000000000000"})),
        (422, "UnknownParty"),
    ),
)
# The sign-in's own forms: open to every visitor, for their own session (no role decides them).
# Those that finish a sign-in under way are asked by every persona below: a session with nothing
# left to do is sent to the sign-in page, and nothing is recorded.
SESSION_FORMS: dict[str, str] = {
    "POST /signin": "signs a visitor in (a user name and password, or a bearer token)",
    "POST /signin/code": "the second factor of the visitor's own sign-in under way",
    "POST /account/password": "the first password's change of the visitor's own sign-in under way",
    "POST /account/second-factor": "enrolling a second factor for the visitor's own sign-in under way",
    "POST /signout": "ends the visitor's own session",
    "POST /lang": "the visitor's language",
    "POST /inbox/read": "marks every notice of the visitor's own inbox read",
}
UNDER_WAY_FORMS = ("/signin/code", "/account/password", "/account/second-factor")

# The page forms of the commands above: a journey step, the scoring sheet, a board's finalize
# button, an administrator's step on an actor. Each asks the same cells as the API route it mirrors.
STEP_PAGE = "POST /journeys/{journey_id}/steps/{action}"
SCORE_PAGE = "POST /journeys/{journey_id}/score"
SELF_ASSESSMENT_PAGE = "POST /journeys/{journey_id}/self-assessment"
BOARD_PAGE = "POST /{kind}/{ident:path}/board"
ACTOR_PAGE = "POST /actors/{actor_id}/{step}"
UPLOAD_PAGE = "POST /journeys/{journey_id}/documents"  # the dossier step's file, sent by its script
SIGN_PAGE = "POST /recognitions"
SCORE_ACTIONS = ("submit-scorecard", "amend-scorecard")
# The boards a council's chair finalizes on: its round's, and its council's.
BOARDS = {
    frozenset(PROVINCIAL_SEAT): (f"rounds/{ROUND_ID}", f"councils/{COUNCIL_ID}"),
    frozenset(CENTRAL_SEAT): (f"rounds/{CENTRAL_ROUND}", f"councils/{CENTRAL_COUNCIL}"),
}


@dataclass(frozen=True)
class PageForm:
    """A command asked through a page: the form's route, its path (with the probe's values to fill
    in), its fields, and the dead target's answer (the status of the page showing the refusal)."""

    route: str
    command: Command
    path: str
    form: Callable[[Scene, Persona, Probe], dict[str, str]]
    dead: Probe
    refusal: int


def _journey_action(route: str) -> str | None:
    prefix = "POST /v1/journeys/{journey_id}/"
    return route.removeprefix(prefix) if route.startswith(prefix) else None


def _form_fields(body: Mapping[str, Any]) -> dict[str, str]:
    """A JSON body as a form sends it: lists one item a line."""
    return {
        name: "\n".join(value) if isinstance(value, list) else str(value)
        for name, value in body.items()
        if not isinstance(value, dict)
    }


def _step_form(scene: Scene, persona: Persona, probe: Probe) -> dict[str, str]:
    return {**_form_fields(probe.body(scene, persona)), "key": _key(scene, probe) or str(uuid.uuid4())}


def _score_form(action: str) -> Callable[[Scene, Persona, Probe], dict[str, str]]:
    def form(scene: Scene, persona: Persona, probe: Probe) -> dict[str, str]:
        body = probe.body(scene, persona)
        if "choices" in body:  # a sheet of options: one radio value a criterion (its case too)
            choices: dict[str, dict[str, Any]] = body["choices"]
            typed = {f"c-{code}": str(choice["option"]) for code, choice in choices.items()}
            typed |= {
                f"v-{code}": str(choice["variant"]) for code, choice in choices.items() if "variant" in choice
            }
        else:
            parts: dict[str, str] = body["parts"]
            typed = {part: value.replace(".", ",") for part, value in parts.items()}  # as typed: 32,00
        return {**typed, "step": "confirm", "action": action, "key": str(uuid.uuid4())}

    return form


def _self_assessment_form(scene: Scene, persona: Persona, probe: Probe) -> dict[str, str]:
    """The self-assessment page's confirmation: one radio value a criterion (its case too)."""
    body = probe.body(scene, persona)
    choices: dict[str, dict[str, Any]] = body["choices"]
    fields = {f"c-{code}": str(choice["option"]) for code, choice in choices.items()}
    fields |= {f"v-{code}": str(choice["variant"]) for code, choice in choices.items() if "variant" in choice}
    return {**fields, "product_set": body["product_set"], "step": "confirm", "key": str(uuid.uuid4())}


def _council_form(scene: Scene, persona: Persona, probe: Probe) -> dict[str, str]:
    """The appointment form: the council's fields, and one row a seat (member, seat role)."""
    body = probe.body(scene, persona)
    form = {name: str(body[name]) for name in ("council_id", "name", "level", "jurisdiction")}
    for index, seat in enumerate(body["seats"], 1):
        form |= {f"seat_{index}_member": seat["member_id"], f"seat_{index}_role": seat["role"]}
    return {**form, "key": str(uuid.uuid4())}


def _membership_form(scene: Scene, persona: Persona, probe: Probe) -> dict[str, str]:
    """The membership form (web/membership.py): one row a seat (member, seat role), the reason."""
    body = probe.body(scene, persona)
    form = {"reason": str(body.get("reason", "")), "key": str(uuid.uuid4())}
    for index, seat in enumerate(body["seats"], 1):
        form |= {f"seat_{index}_member": seat["member_id"], f"seat_{index}_role": seat["role"]}
    return form


def _confirmed_form(scene: Scene, persona: Persona, probe: Probe) -> dict[str, str]:
    """A round's step sent from its confirmation page (the second POST)."""
    return {**_step_form(scene, persona, probe), CONFIRMED: "yes"}


def _plan_form(scene: Scene, persona: Persona, probe: Probe) -> dict[str, str]:
    """The plan page's form (web/reports.py), sent from its confirmation page: a field a star's
    target, the total."""
    body = probe.body(scene, persona)
    form = {f"target_{stars}": str(count) for stars, count in body["targets"].items()}
    if "total" in body:
        form["total"] = str(body["total"])
    return {**form, "key": str(uuid.uuid4()), CONFIRMED: "yes"}


# The pages' forms of the councils and rounds commands, and of registration: route, path, fields.
MIRRORS: dict[str, tuple[str, str, Callable[[Scene, Persona, Probe], dict[str, str]]]] = {
    "POST /v1/journeys": ("POST /ideas", "/ideas", _step_form),
    "POST /v1/councils": ("POST /councils", "/councils", _council_form),
    "POST /v1/rounds": ("POST /rounds", "/rounds", _step_form),
    "POST /v1/actors": ("POST /actors", "/actors", _confirmed_form),  # /actors/new (web/accounts.py)
    "PUT /v1/plans/{province}/{year}": (
        "POST /plans/{province_code}/{year}",
        "/plans/{province}/{year}",
        _plan_form,
    ),
    "POST /v1/rounds/{round_id}/enrollments": (
        "POST /rounds/{round_id}/enrol",
        "/rounds/{round_id}/enrol",
        _step_form,
    ),
    "POST /v1/councils/{council_id}/membership": (
        "POST /councils/{council_id}/membership",
        "/councils/{council_id}/membership",
        _membership_form,
    ),
    "POST /v1/councils/{council_id}/conflicts": (
        "POST /councils/{council_id}/conflicts",
        "/councils/{council_id}/conflicts",
        _step_form,
    ),
    "POST /v1/rounds/{round_id}/close": (
        "POST /rounds/{round_id}/close",
        "/rounds/{round_id}/close",
        _confirmed_form,
    ),
    "POST /v1/rounds/{round_id}/publish": (
        "POST /rounds/{round_id}/publish",
        "/rounds/{round_id}/publish",
        _confirmed_form,
    ),
}


def _sign_form(scene: Scene, persona: Persona, probe: Probe) -> dict[str, str]:
    """The authority's decision for several products, sent from its confirmation page, naming one."""
    return {**_confirmed_form(scene, persona, probe), "journey_id": scene.id(probe.params["journey_id"])}


def _board_form(scene: Scene, persona: Persona, probe: Probe) -> dict[str, str]:
    """The finalize button, sent from its confirmation page (web/confirm.py)."""
    return {"journey_id": scene.id(probe.params["journey_id"]), "key": str(uuid.uuid4()), CONFIRMED: "yes"}


def _page_forms(commands: tuple[Command, ...]) -> list[PageForm]:
    forms: list[PageForm] = []
    for item in commands:
        action = _journey_action(item.route)
        status = item.refusal[0]
        if action in STEP_FIELDS:
            path = f"/journeys/{{journey_id}}/steps/{action}"
            step_form = _confirmed_form if action in CONFIRM_STEPS else _step_form
            forms.append(PageForm(STEP_PAGE, item, path, step_form, item.dead, status))
        if action in SCORE_ACTIONS:
            path = "/journeys/{journey_id}/score"
            forms.append(PageForm(SCORE_PAGE, item, path, _score_form(action), item.dead, status))
        if action == "submit-self-assessment":
            path = "/journeys/{journey_id}/self-assessment"
            forms.append(PageForm(SELF_ASSESSMENT_PAGE, item, path, _self_assessment_form, item.dead, status))
        if action == "recognize":  # one decision for several products (web/authority.py)
            forms.append(PageForm(SIGN_PAGE, item, "/recognitions", _sign_form, item.dead, status))
        if action == "finalize":
            for board in BOARDS[item.may]:
                forms.append(PageForm(BOARD_PAGE, item, f"/{board}/board", _board_form, item.dead, status))
        if item.route in MIRRORS:
            page_route, path, form = MIRRORS[item.route]
            dead = item.dead
            if item.route.endswith("/conflicts"):
                # The page draws its step's key from the form's and the body, so a key spent on the
                # API is no refusal there: its dead target is a product the engine does not know.
                dead, status = Probe(item.dead.params, _unknown_product(item.live.body)), 404
            forms.append(PageForm(page_route, item, path, form, dead, status))
        if item.route == "POST /v1/journeys/{journey_id}/documents":
            path = "/journeys/{journey_id}/documents"
            forms.append(PageForm(UPLOAD_PAGE, item, path, _step_form, item.dead, status))
        if item.route.startswith("POST /v1/actors/{actor_id}/") and not item.route.endswith("/contact"):
            # (An actor's contact link has no page: the API and `ocop actor link-contact` only.)
            account_step = item.route.rsplit("/", 1)[1]
            dead = item.dead
            if account_step == "token":
                # Nothing refuses a page's rotation either: with the key of a rotation recorded
                # before, the step is its replay (200, nothing recorded).
                dead, status = Probe(item.dead.params, item.dead.body, key="rotation"), 200
            path = f"/actors/{{actor_id}}/{account_step}"
            forms.append(PageForm(ACTOR_PAGE, item, path, _step_form, dead, status))
    return forms


# Commands only the pages give.
PAGE_COMMANDS: tuple[Command, ...] = (
    Command(
        "A notice is marked read by its recipient only: another actor's notice is not found (hộp thư)",
        "POST /inbox/{notice_id}/read",
        frozenset({PRODUCER}),
        Probe({"notice_id": "unread_notice"}),
        Probe({"notice_id": "read_notice"}),  # read already: nothing changes
        (303, ""),
        denied=404,
    ),
    Command(
        "The whole log's verification is run by national log readers only (access.check_read_log, "
        "as GET /v1/verify); it records nothing",
        "POST /audit/verify",
        frozenset({NATIONAL_AUDITOR, NATIONAL_ADMINISTRATOR, CENTRAL_OFFICER}),
        Probe(),
        Probe(),
        (200, ""),
    ),
)
PAGE_FORMS = _page_forms(COMMANDS) + [
    PageForm(item.route, item, item.route.split(" ", 1)[1], _step_form, item.dead, item.refusal[0])
    for item in PAGE_COMMANDS
]


# -- the drift check -------------------------------------------------------------------------------


def command_routes(app: FastAPI) -> dict[str, str]:
    """Every command route of the app ("METHOD /path") and the module of its endpoint."""
    found: dict[str, str] = {}
    for route in iter_route_contexts(app.routes):
        endpoint = route.endpoint
        for method in sorted((route.methods or set()) & COMMAND_METHODS):
            found[f"{method} {route.path}"] = endpoint.__module__ if endpoint is not None else "?"
    return found


def test_the_table_names_every_command_route_and_page_form_and_no_other() -> None:
    routes = command_routes(create_app(Settings()))
    api_routes = {route for route, module in routes.items() if module.startswith("api.")}
    page_routes = {route for route, module in routes.items() if module.startswith("web.")}
    assert set(routes) == api_routes | page_routes, "a command route neither of the API nor of the pages"
    named_api = {item.route for item in COMMANDS}
    named_pages = {form.route for form in PAGE_FORMS} | set(SESSION_FORMS)
    assert api_routes - named_api == set(), "API command routes the permission table does not name"
    assert named_api - api_routes == set(), "routes the permission table names that the API no longer has"
    assert page_routes - named_pages == set(), "page forms the permission table does not name"
    assert named_pages - page_routes == set(), "page forms the permission table names that no longer exist"
    # Each step a journey page offers is a command of the table.
    assert set(STEP_FIELDS) - {_journey_action(item.route) for item in COMMANDS} == set()


def test_every_role_is_asked_from_its_own_jurisdiction_another_and_another_level() -> None:
    roles = {persona.role for persona in PERSONAS}
    assert roles == set(Role) - {Role.SYSTEM}, "a role no persona acts in"
    for role in roles:
        standings = {persona.standing for persona in PERSONAS if persona.role == role}
        # Officers' roles are bound to one kind of jurisdiction, so to one level: another level is
        # another role. The central office has no other province.
        assert standings & {Standing.OWN, Standing.NATIONAL}, role
        if role not in (Role.CENTRAL_OFFICER, Role.DISTRICT_OFFICER):
            assert Standing.ELSEWHERE in standings, role
    for item in COMMANDS:
        assert CONTROL not in item.may, item.says
        assert item.may, item.says
    assert {persona.role for persona in SIGNED_IN["token"]} == roles


# -- the scene -------------------------------------------------------------------------------------


# (who, the step, the field that cites an uploaded document, as one reference or a list).
INTAKE_STEPS: tuple[tuple[str, str, str | None], ...] = (
    ("commune_officer", "accept-idea", None),
    ("producer", "submit-plan", "document"),
    ("commune_officer", "approve-plan", None),
    ("producer", "submit-dossier", "documents"),
    ("commune_officer", "accept-dossier", "commune_report"),
)


async def _through_intake(cast: Cast, steps: int) -> str:
    """A new journey, taken through the first ``steps`` intake steps (each cited document uploaded
    by whoever cites it)."""
    journey_id = await cast.register()
    for who, action, cites in INTAKE_STEPS[:steps]:
        caller: Caller = getattr(cast, who)
        body: dict[str, Any] = {}
        if cites is not None:
            reference = await upload_pdf(caller, journey_id, cites)
            body[cites] = [reference] if cites == "documents" else reference
        if action == "accept-dossier":
            body = await acceptance(caller, journey_id, reference)
        await caller.act(journey_id, action, body)
        if action == "accept-dossier":  # the advisory team's review, which the council waits for
            await cast.advise(journey_id)
    return journey_id


async def _created(caller: Caller, path: str, body: dict[str, Any], *, key: str | None = None) -> None:
    response = await caller.post(path, body, key=key)
    assert response.status_code in (200, 201), f"{path}: {response.status_code} {response.text}"


async def journey_state(scene: Scene, journey_id: str) -> JourneyState:
    raw = await EventStore(scene.api.pool).get_read_model("journey", journey_id)
    assert raw is not None, journey_id
    return JourneyState.model_validate(raw)


async def _to_the_central_round(scene: Scene, journey_id: str, recognition: dict[str, Any]) -> None:
    """A potential 5★ after its provincial result, as its pinned rulebook routes it: recognized 4★
    by the province while forwarded (qd148-1489-2025), or approved by it (qd26-2026)."""
    state = await journey_state(scene, journey_id)
    if state.status == Status.AWAITING_RECOGNITION:
        await scene.cast.authority.act(journey_id, "recognize", recognition)
        state = await journey_state(scene, journey_id)
    elif state.status == Status.AWAITING_APPROVAL:
        await scene.cast.authority.act(journey_id, "approve-result", recognition)
        state = await journey_state(scene, journey_id)
    assert (state.status, state.level) == (Status.AWAITING_ROUND, Level.CENTRAL), (
        f"the scene does not know how a potential 5★ goes on from {state.status} under {state.rulebook}: "
        "extend build_scene (and the table, for the step that takes it on)"
    )


async def build_scene(api: Api) -> Scene:
    callers = {
        persona: await api.actor(persona.role, persona.jurisdiction, persona.actor_id) for persona in PERSONAS
    }
    seats = [await api.actor(Role.COUNCIL_MEMBER, "38", f"{COUNCIL_ID}-m{n}") for n in (2, 3, 4)]
    central = [callers[CENTRAL_CHAIR]] + [
        await api.actor(Role.COUNCIL_MEMBER, "VN", f"{CENTRAL_COUNCIL}-m{n}") for n in (2, 3, 4, 5)
    ]
    cast = Cast(
        api=api,
        producer=callers[PRODUCER],
        commune_officer=callers[COMMUNE_OFFICER],
        provincial_officer=callers[PROVINCIAL_OFFICER],
        chair=callers[CHAIR],
        vice_chair=seats[0],
        member=seats[1],
        secretary=seats[2],
        authority=callers[AUTHORITY],
    )
    today = date.fromisoformat(await cast.today())
    scene = Scene(api, cast, callers, {"this year": str(today.year)}, today)
    ids = scene.ids
    recognition = {"decision_number": "QĐ 1/QĐ-UBND", "decision_date": today.isoformat()}

    ids["idea_registered"] = await cast.register()
    ids["idea_returned"] = await cast.register()
    await cast.commune_officer.act(ids["idea_returned"], "return-idea", {"reason": "Thiếu mô tả"})
    for name, steps in (
        ("plan_pending", 1),
        ("plan_submitted", 2),
        ("in_development", 3),
        ("dossier_submitted", 4),
    ):
        ids[name] = await _through_intake(cast, steps)
    ids["dossier_returned"] = await _through_intake(cast, 4)
    await cast.commune_officer.act(ids["dossier_returned"], "return-dossier", {"missing_items": ["Mẫu 02"]})
    ids["awaiting_round"] = await _through_intake(cast, 5)
    ids["in_evaluation"] = await _through_intake(cast, 5)
    await cast.enrol(ids["in_evaluation"])
    ids["in_evaluation_scored"] = await _through_intake(cast, 5)
    await cast.enrol(ids["in_evaluation_scored"])
    await cast.chair.act(ids["in_evaluation_scored"], "submit-scorecard", {"choices": CHOICES_80})
    # Re-evaluations under qd26-2026 (written opinion, site check): certificates recognized 33 months
    # ago (their window, T-180 to T-120, is open today), imported, filed and accepted at the province.
    recognized = add_months(today, -33).isoformat()
    for name in ("re_evaluation_awaiting_round", "re_evaluation_in_evaluation"):
        ids[name] = f"pm-{name.replace('_', '-')}"
        imported = {
            **_imported(None)(scene, ADMINISTRATOR),
            "journey_id": ids[name],
            "decision_number": name,
            "decision_date": recognized,
        }
        await _created(callers[ADMINISTRATOR], "/v1/journeys/import", imported)
        filed = [await upload_pdf(cast.producer, ids[name], "documents")]
        # An import names no product set; its re-evaluation, filed under qd26-2026, names it.
        await cast.producer.act(
            ids[name], "apply-re-evaluation", {"documents": filed, "product_set": "I.1.a"}
        )
        report = await upload_pdf(cast.commune_officer, ids[name], "commune_report")
        body = await acceptance(cast.commune_officer, ids[name], report)
        await cast.commune_officer.act(ids[name], "accept-dossier", body)
    await cast.enrol(ids["re_evaluation_in_evaluation"])
    ids["awaiting_provincial_recognition"] = await _through_intake(cast, 5)
    await cast.evaluate(ids["awaiting_provincial_recognition"])
    for name in ("certified", *(f"revocable_4_{channel}" for channel in CHANNELS)):
        ids[name] = await _through_intake(cast, 5)
        await cast.evaluate(ids[name])
        await cast.authority.act(ids[name], "recognize", recognition)

    # Potential 5★ products: 95 at the province, recognized 4★ there and forwarded to the central council.
    kept_5 = tuple(f"revocable_5_{channel}" for channel in CHANNELS)
    names = (
        "certified_5",
        *kept_5,
        "awaiting_central_recognition",
        "central_result_below_90",
        "in_central_evaluation",
        "in_central_evaluation_scored",
    )
    potential = []
    for _ in (*names, "awaiting_approval"):
        journey_id = await _through_intake(cast, 5)
        await cast.enrol(journey_id)
        for member in cast.voting:
            await member.act(journey_id, "submit-scorecard", {"choices": CHOICES_95})
        await cast.chair.act(journey_id, "finalize")
        potential.append(journey_id)
    ids["awaiting_approval"] = potential.pop()
    approval = await journey_state(scene, ids["awaiting_approval"])
    assert approval.status == Status.AWAITING_APPROVAL, f"no approval under {approval.rulebook}"
    for journey_id in potential:
        await _to_the_central_round(scene, journey_id, recognition)
    office = callers[CENTRAL_OFFICER]
    await _created(
        office,
        "/v1/councils",
        _council(CENTRAL_COUNCIL, "central", "VN", _central_seats)(scene, CENTRAL_OFFICER),
    )
    await _created(office, "/v1/rounds", _round(CENTRAL_ROUND, CENTRAL_COUNCIL)(scene, CENTRAL_OFFICER))
    for journey_id in potential:
        await _created(office, f"/v1/rounds/{CENTRAL_ROUND}/enrollments", {"journey_id": journey_id})
        await cast.advise(journey_id, office)  # the central advisory team's review (Art. 7.4.c)
    ids.update(zip(names, potential, strict=True))
    for name in names[: 3 + len(kept_5)]:
        score = CHOICES_85 if name == "central_result_below_90" else CHOICES_95
        for member in central:
            await member.act(ids[name], "submit-scorecard", {"choices": score})
        await callers[CENTRAL_CHAIR].act(ids[name], "finalize")
    below = await journey_state(scene, ids["central_result_below_90"])
    assert below.status == Status.AWAITING_RECOGNITION, f"{below.status} after a central 85"
    for name in names[: 1 + len(kept_5)]:
        await callers[MINISTER].act(ids[name], "recognize", recognition)
    await callers[CENTRAL_CHAIR].act(
        ids["in_central_evaluation_scored"], "submit-scorecard", {"choices": CHOICES_95}
    )

    agency = cast.provincial_officer
    await _created(agency, "/v1/rounds", _round(EMPTY_ROUND, COUNCIL_ID)(scene, PROVINCIAL_OFFICER))
    await _created(agency, "/v1/rounds", _round(CLOSED_ROUND, COUNCIL_ID)(scene, PROVINCIAL_OFFICER))
    await _created(agency, f"/v1/rounds/{CLOSED_ROUND}/close", {})

    admin = callers[ADMINISTRATOR]
    for actor_id in (SPARE, STOPPED, SIGNS_IN):
        await api.actor(Role.PRODUCER, "38", actor_id)
    scene.spent_key, scene.rotation_key = str(uuid.uuid4()), str(uuid.uuid4())
    await _created(admin, f"/v1/actors/{STOPPED}/deactivate", {}, key=scene.spent_key)
    await _created(admin, f"/v1/actors/{SPARE}/token", {}, key=scene.rotation_key)
    await _created(admin, f"/v1/actors/{SIGNS_IN}/sign-in", {"user_name": "pm.signs.in"})
    intake = callers[COMMUNE_OFFICER]
    for producer_id in (PRODUCER_ORG, ERASED_ORG):
        await _created(intake, "/v1/producers", _organisation(producer_id))
    await _created(intake, f"/v1/producers/{PRODUCER_ORG}/accounts", {"actor_id": PRODUCER.actor_id})
    await _created(admin, f"/v1/producers/{ERASED_ORG}/erase-representative", {})

    for name, journey_id in list(ids.items()):
        if name != "this year":
            scene.documents[journey_id] = await upload_pdf(cast.producer, journey_id, name)
    erasable = await upload(
        cast.producer, ids["in_evaluation"], "erasable.pdf", pdf_of("erasable"), "application/pdf"
    )
    assert erasable.status_code == 201, erasable.text
    ids["erasable"] = erasable.json()["sha256"]
    await _notices_of_the_producer(scene)
    return scene


async def _notices_of_the_producer(scene: Scene) -> None:
    """Two inbox notices of the producer (as the notifier writes them, on a cursor of the scene's
    own): "unread_notice", and "read_notice", which the producer has read."""
    rows = await scene.api.pool.fetch(
        "SELECT event_id, position, type FROM events WHERE stream_id = $1 ORDER BY position LIMIT 2",
        scene.ids["idea_returned"],
    )
    notices = NoticeStore(scene.api.pool)
    after = await notices.cursor("permission-matrix")
    written = [
        NewNotice(row["event_id"], row["position"], PRODUCER.actor_id, "inbox", row["type"]) for row in rows
    ]
    assert await notices.write_batch("permission-matrix", after, rows[-1]["position"], written)
    for name, row in zip(("unread_notice", "read_notice"), rows, strict=True):
        scene.ids[name] = str(notice_id(row["event_id"], PRODUCER.actor_id, "inbox"))
    assert await notices.mark_read(PRODUCER.actor_id, uuid.UUID(scene.ids["read_notice"])) == 1


@pytest.fixture(scope="module")
async def scene() -> AsyncIterator[Scene]:
    """The scene, built once for the module's matrices (they only send requests that must be
    refused, so neither changes what the other finds)."""
    name, url = await create_database()
    try:
        await migrate(url)
        pool = await create_pool(url, min_size=1, max_size=25)
        try:
            env = await WorkflowEnvironment.start_time_skipping(
                test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
            )
            try:
                async with running_worker(env.client, pool) as task_queue:
                    app = create_app(Settings(task_queue=task_queue), temporal_client=env.client, pool=pool)
                    async with (
                        app.router.lifespan_context(app),
                        httpx.AsyncClient(
                            transport=httpx.ASGITransport(app=app), base_url="http://ocop.test"
                        ) as http,
                    ):
                        started = time.monotonic()
                        built = await build_scene(Api(http, pool, env))
                        print(f"scene built in {time.monotonic() - started:.1f} s")
                        yield built
            finally:
                await env.shutdown()
        finally:
            await pool.close()
    finally:
        await drop_database(name)


# -- asking ----------------------------------------------------------------------------------------


def _key(scene: Scene, probe: Probe) -> str | None:
    return {"spent": scene.spent_key, "rotation": scene.rotation_key}.get(probe.key or "")


def _path(template: str, scene: Scene, probe: Probe) -> str:
    path = template
    for name, value in probe.params.items():
        path = path.replace(f"{{{name}}}", scene.id(value))
    assert "{" not in path, f"{template}: a path value the probe does not give"
    return path


@dataclass
class Answer:
    status: int
    code: str | None
    detail: str
    events: int  # recorded by the request
    requests: int  # other rows kept by the request: Idempotency-Keys claimed, uploads, notices read

    def __str__(self) -> str:
        recorded = (
            f", recorded {self.events} events and kept {self.requests} other rows"
            if self.events or self.requests
            else ""
        )
        return f"{self.status} {self.code or ''} {self.detail[:160]!r}{recorded}"


# Besides events and claimed Idempotency-Keys, what a request may keep: a document uploaded for a
# journey, a notice marked read.
KEPT_ROWS = (
    "SELECT count(*) FROM document_uploads",
    "SELECT count(*) FROM notices WHERE read_at IS NOT NULL",
)


async def _kept(scene: Scene) -> int:
    return sum([await scene.api.pool.fetchval(query) for query in KEPT_ROWS])


async def _counted(scene: Scene, send: Callable[[], Any]) -> tuple[httpx.Response, int, int]:
    """The response, the events recorded, and the other rows kept (claimed keys, uploads, reads)."""
    api = scene.api
    events, kept = await api.event_count(), await api.request_count() + await _kept(scene)
    response: httpx.Response = await send()
    return response, await api.event_count() - events, await api.request_count() + await _kept(scene) - kept


async def ask_api(scene: Scene, item: Command, probe: Probe, persona: Persona) -> Answer:
    method, template = item.route.split(" ", 1)
    caller = scene.callers[persona]
    headers = {**caller.auth, "Idempotency-Key": _key(scene, probe) or str(uuid.uuid4())}
    path = _path(template, scene, probe)
    body = probe.body(scene, persona)
    if probe.upload is not None:
        files = {"file": probe.upload()}
        send = lambda: scene.api.http.request(method, path, headers=headers, files=files)  # noqa: E731
    else:
        send = lambda: scene.api.http.request(method, path, headers=headers, json=body)  # noqa: E731
    response, events, requests = await _counted(scene, send)
    problem: dict[str, Any] = (
        response.json() if response.headers.get("content-type") == "application/problem+json" else {}
    )
    return Answer(response.status_code, problem.get("code"), str(problem.get("detail", "")), events, requests)


async def journey_refuses(scene: Scene, item: Command, persona: Persona) -> str | None:
    """Why the journey's own rules (``decide``, pure: nothing is recorded) would refuse ``item``
    from ``persona`` on its live target, or None if they would take it. Asked where the dead
    target's refusal comes before the journey looks at who asks (its state, its certificate), so
    that a persona the table lets through is also one the journey accepts."""
    action = _journey_action(item.route)
    if action is None or item.refusal[1] not in STATE_FIRST:
        return None
    state = await journey_state(scene, scene.id(item.live.params["journey_id"]))
    actor = {"id": persona.actor_id, "role": persona.role.value}
    fields = {**item.live.body(scene, persona), "actor": actor}
    given = typing.cast(JourneyCommand, JOURNEY_ACTIONS[action].model_validate(fields))
    now = await scene.api.env.get_current_time()
    try:
        decide(state, given, applicable_rulebook(state, now), now)
    except DomainError as error:
        return f"{error.code}: {error.message}"
    return None


def _wrong(item: Command, route: str, persona: Persona, expected: str, answer: Answer) -> str:
    return f"{route} — {item.says} — {persona}: expected {expected}, got {answer}"


@pytest.mark.slow
async def test_every_command_route_answers_every_role_as_the_table_says(scene: Scene) -> None:
    started = time.monotonic()
    wrong: list[str] = []
    asked = 0
    for item in COMMANDS:
        control = await ask_api(scene, item, item.dead, CONTROL)
        asked += 1
        if (control.status, control.events, control.requests) != (403, 0, 0):
            wrong.append(
                _wrong(item, item.route, CONTROL, "403 on the dead target (its body must be valid)", control)
            )
        for persona in PERSONAS:
            asked += 1
            if persona in item.may:
                answer = await ask_api(scene, item, item.dead, persona)
                status, code = item.refusal
                if (answer.status, answer.code, answer.events, answer.requests) != (status, code, 0, 0):
                    wrong.append(
                        _wrong(
                            item,
                            item.route,
                            persona,
                            f"the dead target's {status} {code}, nothing recorded",
                            answer,
                        )
                    )
                refusal = await journey_refuses(scene, item, persona)
                if refusal is not None:
                    wrong.append(
                        f"{item.route} — {item.says} — {persona}: the journey's rules refuse them: {refusal}"
                    )
                if item.kept is not None:
                    asked += 1
                    taken = await ask_api(scene, item, item.kept_probe(f"{item.kept}_api"), persona)
                    if taken.status != 200 or taken.events < 1:
                        wrong.append(
                            _wrong(item, item.route, persona, "the step taken on the kept product", taken)
                        )
            else:
                answer = await ask_api(scene, item, item.live, persona)
                if (answer.status, answer.events, answer.requests) != (item.denied, 0, 0):
                    wrong.append(
                        _wrong(item, item.route, persona, f"{item.denied}, nothing recorded", answer)
                    )
    print(f"{asked} API cells in {time.monotonic() - started:.1f} s")
    assert not wrong, f"{len(wrong)} of {asked} cells answer otherwise than the table:\n" + "\n".join(wrong)


# -- the pages -------------------------------------------------------------------------------------


_SECRET = re.compile(r'name="secret" value="([A-Z2-7]+)"')


async def _signed_in_with_token(scene: Scene, persona: Persona) -> Visitor:
    """An integrator's page session: the bearer token typed into the sign-in form."""
    visitor = Visitor(scene.api.http)
    await visitor.sign_in(scene.callers[persona].token)
    return visitor


async def _signed_in_with_password(scene: Scene, persona: Persona) -> Visitor:
    """A person's page session: a user name and the first password an administrator gave, changed
    at the first sign-in, and a TOTP second factor enrolled where the settings require one."""
    user_name = f"pm.{persona.actor_id.lower()}"
    opened = await scene.callers[NATIONAL_ADMINISTRATOR].post(
        f"/v1/actors/{persona.actor_id}/sign-in", {"user_name": user_name}
    )
    assert opened.status_code == 201, opened.text
    visitor = Visitor(scene.api.http)
    await visitor.get("/signin")
    form = {"user_name": user_name, "password": opened.json()["password"], "next": "/"}
    response = await visitor.post("/signin", form)
    own_password = f"{uuid.uuid4().hex} mật khẩu"
    for _ in range(3):  # the steps left: the first password's change, the second factor
        target = response.headers.get("location", "")
        assert response.status_code == 303, response.text
        if target == "/":
            return visitor
        page = await visitor.get(target)
        if target.startswith("/account/password"):
            form = {"new_password": own_password, "repeat_password": own_password, "next": "/"}
        else:
            assert target.startswith("/account/second-factor"), target
            found = _SECRET.search(page.text)
            assert found is not None, page.text
            form = {"secret": found.group(1), "code": pyotp.TOTP(found.group(1)).now(), "next": "/"}
        response = await visitor.post(target.split("?", 1)[0], form)
    raise AssertionError(f"{persona}: still not signed in ({response.headers.get('location')})")


SESSIONS: dict[str, Callable[[Scene, Persona], Awaitable[Visitor]]] = {
    "token": _signed_in_with_token,
    "password": _signed_in_with_password,
}
assert set(SESSIONS) | {"api"} == set(CHANNELS)
# Who signs in by each kind of session: everyone with a token; with a password (Argon2id makes
# each sign-in cost a second or more), a sample the account's session resolves as it resolves any
# actor: a producer, a council seat, the provincial and the national authority (both with a TOTP
# second factor), an administrator of another province, and the auditor who is the dead targets'
# control.
SIGNED_IN: dict[str, tuple[Persona, ...]] = {
    "token": PERSONAS,
    "password": (PRODUCER, CHAIR, AUTHORITY, MINISTER, ADMINISTRATOR_OF_HANOI, CONTROL),
}


async def _visitors(scene: Scene, session: str) -> dict[Persona, Visitor]:
    visitors: dict[Persona, Visitor] = {}
    for persona in SIGNED_IN[session]:
        visitor = await SESSIONS[session](scene, persona)
        home = await visitor.get("/")  # the signed-in session's CSRF token
        assert home.status_code == 200, f"{persona}: {home.status_code}"
        visitors[persona] = visitor
    return visitors


async def ask_page(
    scene: Scene, visitor: Visitor, path: str, form: dict[str, str], probe: Probe | None = None
) -> Answer:
    """POST the form with the session's CSRF token; a file as the page's script sends it (the body
    is the file, the token in a header)."""
    if probe is not None and probe.upload is not None:
        files = {"file": probe.upload()}
        cookies = "; ".join(f"{name}={value}" for name, value in visitor.cookies.items())
        headers = {"Cookie": cookies, CSRF_HEADER: visitor.csrf}
        send: Callable[[], Awaitable[httpx.Response]] = lambda: visitor.http.post(  # noqa: E731
            path, files=files, headers=headers
        )
    else:
        send = lambda: visitor.post(path, form)  # noqa: E731
    response, events, requests = await _counted(scene, send)
    return Answer(response.status_code, None, response.headers.get("location", ""), events, requests)


@pytest.mark.slow
@pytest.mark.parametrize("session", list(SESSIONS))
async def test_every_page_form_answers_every_role_as_the_table_says(scene: Scene, session: str) -> None:
    """Once with sessions signed in by a bearer token, once with sessions signed in by a user name
    and password (the account's own session, read from the store at every request)."""
    started = time.monotonic()
    visitors = await _visitors(scene, session)
    print(f"{len(visitors)} {session} sessions signed in in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    wrong: list[str] = []
    asked = 0
    for page_form in PAGE_FORMS:
        item = page_form.command
        for persona, control in ((CONTROL, True), *((persona, False) for persona in visitors)):
            asked += 1
            allowed = persona in item.may
            probe = page_form.dead if allowed or control else item.live
            path = _path(page_form.path, scene, probe)
            form = page_form.form(scene, persona, probe)
            answer = await ask_page(scene, visitors[persona], path, form, probe)
            expected = page_form.refusal if allowed else item.denied
            if allowed and item.kept is not None and page_form.route == STEP_PAGE:
                asked += 1
                kept = item.kept_probe(f"{item.kept}_{session}")
                kept_path = _path(page_form.path, scene, kept)
                taken = await ask_page(
                    scene, visitors[persona], kept_path, page_form.form(scene, persona, kept)
                )
                if taken.status != 303 or taken.events < 1:
                    wrong.append(
                        _wrong(item, f"{page_form.route} ({kept_path})", persona, "the step taken", taken)
                    )
            if (answer.status, answer.events, answer.requests) != (expected, 0, 0):
                target = "dead" if probe is page_form.dead else "live"
                wrong.append(
                    _wrong(
                        item,
                        f"{page_form.route} ({path}, {target})",
                        persona,
                        f"{expected}, nothing recorded",
                        answer,
                    )
                )
    for persona, visitor in visitors.items():
        for path in UNDER_WAY_FORMS:
            asked += 1
            answer = await ask_page(scene, visitor, path, {"code": "000000", "new_password": "x" * 20})
            signs_in = answer.detail.split("?", 1)[0] == "/signin"
            if (answer.status, signs_in, answer.events) != (303, True, 0):
                wrong.append(
                    f"POST {path} — {persona}: expected 303 to /signin, nothing recorded, got {answer}"
                )
    print(f"{asked} page cells in {time.monotonic() - started:.1f} s")
    assert not wrong, f"{len(wrong)} of {asked} page cells answer otherwise than the table:\n" + "\n".join(
        wrong
    )


# -- holes the matrix found ------------------------------------------------------------------------


async def test_a_conflict_of_interest_is_declared_by_the_member_or_recorded_by_the_standing_agency(
    api: Api,
) -> None:
    """An administrator recorded a member's conflict of interest on the council (200), which the
    journey under evaluation then refused to take (its rule: the member or the standing agency), so
    the council and the journey disagreed on who may score; and a council member who does not sit
    on the council got through to the council's rules (422) instead of a 403."""
    cast = await make_cast(api)
    journey_id = await cast.to_awaiting_round()
    await cast.enrol(journey_id)
    admin = await api.actor(Role.ADMINISTRATOR, str(THANH_HOA))
    outsider = await api.actor(Role.COUNCIL_MEMBER, str(THANH_HOA))
    path = f"/v1/councils/{COUNCIL_ID}/conflicts"
    member = {"member_id": cast.member.id, "journey_id": journey_id}
    await refused(api, lambda: admin.post(path, member), 403, "AccessDenied")
    await refused(
        api,
        lambda: outsider.post(path, {"member_id": outsider.id, "journey_id": journey_id}),
        403,
        "AccessDenied",
    )
    recorded = await cast.provincial_officer.post(path, member)
    assert recorded.status_code == 200, recorded.text
    journey = (await cast.provincial_officer.get(f"/v1/journeys/{journey_id}")).json()
    assert journey["evaluation"]["council"]["conflicts"] == [cast.member.id]


# -- public reads: no sign-in ----------------------------------------------------------------------

# The public registry (tra cứu công khai sản phẩm OCOP, issue 18) answers anyone: no token, no page
# session, no role. Every route of it is named here (a route of /registry or /v1/registry the table
# does not name fails the test) and asked with no credentials at all.
PUBLIC_READS: dict[str, str] = {
    "GET /registry": "the search page of certified products",
    "GET /registry/products/{journey_id}": "a product's public page (the one its certificate's QR opens)",
    "GET /v1/registry/products": "a search, for integrators",
    "GET /v1/registry/products/{journey_id}": "a product's public record, with its verification",
    "GET /v1/registry/product-codes/{product_code}": "a look-up by product code",
    "GET /v1/registry/certificates/{certificate_number:path}": "a look-up by certificate number",
    "GET /v1/registry/export.csv": "the registry as open data (CSV)",
    "GET /v1/registry/export.xlsx": "the registry as open data (xlsx)",
}


def public_routes(app: FastAPI) -> set[str]:
    """Every route of the public registry ("METHOD /path")."""
    return {
        f"{method} {route.path}"
        for route in iter_route_contexts(app.routes)
        for method in route.methods or ()
        if route.path is not None and route.path.startswith(("/registry", "/v1/registry"))
    }


async def test_the_public_registry_answers_anyone_without_credentials(store_pool: asyncpg.Pool) -> None:
    app = create_app(Settings(), pool=store_pool)
    assert public_routes(app) == set(PUBLIC_READS), "public routes the table does not name, or no longer"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ocop.test") as http:
        for route in PUBLIC_READS:
            path = route.split(" ", 1)[1]
            for name, value in (
                ("{journey_id}", "J-unknown"),
                ("{product_code}", "38-14797-001-2026"),
                ("{certificate_number:path}", "01/QĐ-UBND"),
            ):
                path = path.replace(name, value)
            response = await http.get(path)
            # Anyone is let in: an unknown product is 404, never 401 or 403; and no session is made.
            assert response.status_code in (200, 404), f"{route}: {response.status_code}"
            assert "set-cookie" not in response.headers or response.status_code == 404, route
