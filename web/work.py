"""My work (việc của tôi): what waits for the signed-in actor, with counts and links."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Query, Response

from api.access import REPORT_READERS
from api.services import journeys
from schemas.api import JurisdictionKind
from schemas.journey import JourneyState, Status
from schemas.roles import OFFICER_OF_LEVEL, Role
from schemas.rulebook import Level
from web.board import evaluation_row
from web.i18n import date_text
from web.pages import Page, SignedIn, page_router
from web.reads import every_scoped_journey, scoped_journeys
from web.rounds import open_rounds_run_by
from web.statistics import report_links
from workflows.calendar import local_date
from workflows.lifecycle import applicable_rulebook

router = page_router()  # this module's pages; web/__init__.py includes them

LIMIT = 50
# How many days ahead a deadline counts as near (what the page shows, not a rule of the engine).
NEAR_DAYS = 7
_INTAKE = (
    (Status.IDEA_REGISTERED, "work.ideas"),
    (Status.PLAN_SUBMITTED, "work.plans"),
    (Status.DOSSIER_SUBMITTED, "work.dossiers"),
)
_PRODUCER_STEPS = (Status.IDEA_RETURNED, Status.PLAN_PENDING, Status.IN_DEVELOPMENT, Status.DOSSIER_RETURNED)
# Statuses a deadline runs in: the commune report, the dossier's completion, the recognition.
_WITH_DEADLINES = (Status.DOSSIER_SUBMITTED, Status.DOSSIER_RETURNED, Status.AWAITING_RECOGNITION)
_RECOGNIZES = {
    JurisdictionKind.NATIONAL: Level.CENTRAL,
    JurisdictionKind.PROVINCE: Level.PROVINCE,
    JurisdictionKind.DISTRICT: Level.DISTRICT,
}
_OVERSEERS = frozenset({Role.AUDITOR, Role.ADMINISTRATOR})


@dataclass
class Item:
    journey: JourneyState
    href: str
    note: str | None = None
    ok: bool | None = None


@dataclass
class Section:
    key: str
    items: list[Item] = field(default_factory=list)
    more: bool = False
    links: list[tuple[str, str]] = field(default_factory=list)


class _Lists:
    """The journeys of one status the actor may list, read once per request."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self._cache: dict[Status, tuple[list[JourneyState], bool]] = {}

    async def of(self, status: Status) -> tuple[list[JourneyState], bool]:
        if status not in self._cache:
            self._cache[status] = await scoped_journeys(self.page, {"status": status.value}, limit=LIMIT)
        return self._cache[status]


def _journey_href(journey: JourneyState) -> str:
    return f"/journeys/{journey.journey_id}"


async def _officer_sections(page: Page, lists: _Lists, role: Role, now: datetime) -> list[Section]:
    sections = []
    for status, key in _INTAKE:
        items, more = await lists.of(status)
        mine = [j for j in items if OFFICER_OF_LEVEL[applicable_rulebook(j, now).intake_level] == role]
        sections.append(Section(key, [Item(j, _journey_href(j)) for j in mine], more))
    waiting, more = await lists.of(Status.AWAITING_ROUND)
    enrol = [j for j in waiting if j.level is not None and OFFICER_OF_LEVEL[j.level] == role]
    # Each leads to the page of an open round of its level that this officer runs, where it is
    # enrolled (web/rounds.py); with none open, to the form that opens one.
    rounds = await open_rounds_run_by(page)
    to_enrol = []
    for journey in enrol:
        round_ = next((r for r in rounds if r.level == journey.level), None)
        href = f"/rounds/{round_.round_id}" if round_ is not None else "/rounds/new"
        note = page.t.code("level", journey.level)
        to_enrol.append(Item(journey, href, f"{note} — {round_.name}" if round_ is not None else note))
    section = Section("work.enrol", to_enrol, more)
    if role != Role.COMMUNE_OFFICER:  # the agencies that appoint councils and run their rounds
        section.links = [
            (page.t("rounds.new.title"), "/rounds/new"),
            (page.t("council.new.title"), "/councils/new"),
        ]
    sections.append(section)
    return sections


async def _council_sections(page: Page) -> list[Section]:
    me = page.me.id
    evaluated = await every_scoped_journey(page, {"status": Status.IN_EVALUATION.value})
    to_score, to_finalize = Section("work.score"), Section("work.finalize")
    boards: dict[str, str] = {}
    for journey in evaluated:
        evaluation = journey.evaluation
        if evaluation is None:
            continue
        council = evaluation.council
        board = f"/rounds/{evaluation.round_id}/board"
        if (
            me in council.voting_member_ids
            and me not in council.conflicts
            and me not in evaluation.scorecards
        ):
            to_score.items.append(Item(journey, f"/journeys/{journey.journey_id}/score", evaluation.round_id))
        if council.chair_id == me:
            row = evaluation_row(journey)
            note = (
                page.t("work.finalize.ready")
                if row.blocker is None
                else page.t("work.finalize.waiting", why=row.blocker)
            )
            to_finalize.items.append(Item(journey, board, note, ok=row.blocker is None))
        boards[board] = page.t("board.title.round", id=evaluation.round_id)
    to_finalize.links = sorted((label, href) for href, label in boards.items())
    return [to_score, to_finalize]


async def _authority_sections(page: Page, lists: _Lists) -> list[Section]:
    level = _RECOGNIZES.get(page.me.jurisdiction.kind)
    items, more = await lists.of(Status.AWAITING_RECOGNITION)
    pending = [
        Item(j, _journey_href(j), page.t.code("level", j.pending_recognition.level), ok=None)
        for j in items
        if j.pending_recognition is not None and j.pending_recognition.level == level
    ]
    return [Section("work.recognize", pending, more, links=[(page.t("sign.link"), "/recognitions")])]


async def _producer_sections(page: Page, lists: _Lists) -> list[Section]:
    section = Section("work.producer", links=[(page.t("idea.link"), "/ideas/new")])
    for status in _PRODUCER_STEPS:
        items, more = await lists.of(status)
        section.items += [Item(j, _journey_href(j), page.t.code("status", j.status)) for j in items]
        section.more = section.more or more
    return [section]


async def _deadline_section(page: Page, lists: _Lists, today: date) -> Section:
    section = Section("work.deadlines")
    role = page.me.role
    for status in _WITH_DEADLINES:
        items, more = await lists.of(status)
        section.more = section.more or more
        for journey in items:
            for kind, deadline in journey.deadlines.items():
                if role not in _OVERSEERS and deadline.due_from != role.value:
                    continue
                days = (deadline.due - today).days
                if not deadline.missed and days > NEAR_DAYS:
                    continue
                if deadline.missed or days < 0:
                    when = (
                        page.t("work.deadline.overdue", days=-days)
                        if days < 0
                        else page.t("work.deadline.missed")
                    )
                elif days == 0:
                    when = page.t("work.deadline.today")
                else:
                    when = page.t("work.deadline.near", days=days)
                note = f"{page.t.code('deadline', kind)} — {date_text(deadline.due)} — {when}"
                section.items.append(
                    Item(journey, _journey_href(journey), note, ok=not deadline.missed and days >= 0)
                )
    section.items.sort(key=lambda item: item.note or "")
    return section


@router.get("/")
async def my_work(page: SignedIn) -> Response:
    actor = page.me
    now = datetime.now(UTC)
    lists = _Lists(page)
    sections: list[Section] = []
    if actor.role in OFFICER_OF_LEVEL.values():
        sections += await _officer_sections(page, lists, actor.role, now)
    elif actor.role == Role.COUNCIL_MEMBER:
        sections += await _council_sections(page)
    elif actor.role == Role.RECOGNITION_AUTHORITY:
        sections += await _authority_sections(page, lists)
    elif actor.role == Role.PRODUCER:
        sections += await _producer_sections(page, lists)
    if actor.role != Role.COUNCIL_MEMBER:
        sections.append(await _deadline_section(page, lists, local_date(now)))
    if actor.role in REPORT_READERS:  # statistics, plan progress and their workbooks
        sections.append(Section("work.reports", links=report_links(page, local_date(now).year)))
    waiting = sum(len(section.items) for section in sections)
    return page.render("work.html", sections=sections, waiting=waiting)


@router.get("/journeys")
async def journeys_page(
    page: SignedIn,
    state: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> Response:
    """The journeys the actor may see: the service ``GET /v1/journeys`` lists them with."""
    status = Status(state) if state in {s.value for s in Status} else None
    filters = journeys.JourneyFilters(state=status)
    listing = await journeys.journey_page(page.engine, page.me, filters, cursor=cursor, limit=LIMIT)
    return page.render("journeys.html", listing=listing, state=status, statuses=list(Status))
