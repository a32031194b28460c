"""The council board (bảng điểm của Hội đồng): every product of a round or a council with each
member's total as it arrives, the mean, the star band, quorum and dispersion, and the chair's
finalize button, enabled only when the engine's own ``check_finalizable`` passes.

Scoring is independent: the board reads the journeys sealed (``web.reads``, ``api.visibility``),
so a reader who may not see the others' scores yet (a member before their own sheet, the chair
included; an officer or auditor before the result) sees who has scored and the quorum, and no
total, mean, band or dispersion."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import Path, Response

from schemas.council import SeatRole
from schemas.errors import DomainError
from schemas.journey import CouncilResult, JourneyState
from schemas.rulebooks import get_rulebook
from schemas.scorecard import RankHeldBack
from web.confirm import Fact, carried, confirmation, confirmed
from web.i18n import PAGE_LANGUAGE, Translator
from web.pages import Page, PostedForm, SignedIn, page_router, text
from web.reads import every_scoped_journey
from web.steps import REFUSALS, Refusal, check_step, refusal_of, take_step
from workflows.scoring import (
    check_finalizable,
    check_quorum,
    council_mean,
    dispersion,
    dispersion_limit,
    quorum_required,
)
from workflows.sheets import council_sheet_result, journey_sheet

router = page_router()  # this module's pages; web/__init__.py includes them

# A round id (which may hold a slash) or a council id.
BoardId = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[\w./-]+$")]


@dataclass
class Cell:
    member_id: str
    total: Decimal | None
    conflicted: bool
    scored: bool = False


@dataclass
class Row:
    """One product on the board."""

    journey: JourneyState
    cells: dict[str, Cell] = field(default_factory=dict)
    scored: int = 0
    required: int = 0
    chair_scored: bool = False
    mean: Decimal | None = None
    stars: int | None = None
    spread: Decimal | None = None
    limit: Decimal | None = None
    blocker: str | None = None
    chair_id: str | None = None
    result: CouncilResult | None = None
    sealed: bool = False
    voting: frozenset[str] = frozenset()
    # Scored by option: the band of the mean, and why the rank is below it (star minimums).
    band_stars: int | None = None
    held_back: tuple[RankHeldBack, ...] = ()

    @property
    def capped(self) -> RankHeldBack | None:
        """The rank just above the awarded one, held back by its minimums (None: not capped)."""
        if self.band_stars is None or self.stars is None or self.stars >= self.band_stars:
            return None
        return next((held for held in self.held_back if held.stars == self.stars + 1), None)

    @property
    def open(self) -> bool:
        return self.result is None

    @property
    def quorum_met(self) -> bool:
        return self.scored >= self.required and self.chair_scored

    @property
    def dispersion_ok(self) -> bool:
        return self.spread is not None and self.limit is not None and self.spread <= self.limit


@dataclass
class Board:
    title: str
    path: str
    members: list[tuple[str, SeatRole]]
    rows: list[Row]
    updated: datetime

    def sealed_for(self, reader_id: str) -> str | None:
        """Why some scores are not shown (a message key): None when every one is."""
        sealed = [row for row in self.rows if row.sealed]
        if not sealed:
            return None
        if any(reader_id in row.voting for row in sealed):
            return "board.sealed.member"
        return "board.sealed.other"


def evaluation_row(journey: JourneyState) -> Row:
    """A product in evaluation, with the engine's arithmetic and its finalization check; for a
    journey read sealed, who has scored and the quorum check only."""
    evaluation = journey.evaluation
    assert evaluation is not None
    council = evaluation.council
    rulebook = get_rulebook(journey.rulebook)
    totals = {member: card.total for member, card in evaluation.scorecards.items()}
    scored = set(totals) | set(evaluation.sealed)
    row = Row(
        journey=journey,
        chair_id=council.chair_id,
        sealed=bool(evaluation.sealed),
        voting=frozenset(council.voting_member_ids),
    )
    for member in council.voting_member_ids:
        row.cells[member] = Cell(member, totals.get(member), member in council.conflicts, member in scored)
    row.scored = len(scored)
    row.required = quorum_required(council, rulebook)
    row.chair_scored = council.chair_id in scored
    row.limit = dispersion_limit(council, rulebook)
    try:
        if row.sealed:
            # Who has scored, not what: the quorum is checked; the dispersion is the engine's to
            # check when the chair finalizes.
            check_quorum(council, scored, rulebook)
        else:
            check_finalizable(council, totals, rulebook)
    except DomainError as error:
        t = Translator(PAGE_LANGUAGE.get())  # the page's language (web.pages.any_page)
        row.blocker = error.told(t.lang, t.code)
    if totals and not row.sealed:
        row.mean = council_mean(list(totals.values()))
        row.stars = rulebook.stars_for(row.mean)
        row.spread = dispersion(list(totals.values()))
        # The minimums check before finalizing: the engine's own council result on these sheets.
        sheet = journey_sheet(rulebook, journey.product_set)
        cards = list(evaluation.scorecards.values())
        if not sheet.flat and all(card.sheet == sheet.id for card in cards):
            result = council_sheet_result(sheet, cards, rulebook, council.minimum_judgement)
            if result is not None:
                row.stars, row.band_stars, row.held_back = result.stars, result.band_stars, result.held_back
    return row


def result_row(journey: JourneyState, result: CouncilResult) -> Row:
    return Row(
        journey=journey,
        mean=result.mean,
        stars=result.stars,
        result=result,
        band_stars=result.band_stars,
        held_back=tuple(result.held_back or ()),
    )


def members_of(rows: list[Row]) -> list[tuple[str, SeatRole]]:
    """The voting members of the councils on the board, chair first, in seat order."""
    seen: dict[str, SeatRole] = {}
    for row in rows:
        evaluation = row.journey.evaluation
        if evaluation is None:
            continue
        for seat in evaluation.council.seats:
            if seat.role != SeatRole.SECRETARY:
                seen.setdefault(seat.member_id, seat.role)
    order = {SeatRole.CHAIR: 0, SeatRole.VICE_CHAIR: 1, SeatRole.MEMBER: 2}
    return sorted(seen.items(), key=lambda item: order.get(item[1], 3))


async def round_board(page: Page, round_id: str) -> Board:
    current = await every_scoped_journey(page, {"round_id": round_id})
    finalized = await every_scoped_journey(page, {"results": [{"round_id": round_id}]})
    rows: dict[str, Row] = {}
    for journey in finalized:
        result = next(r for r in reversed(journey.results) if r.round_id == round_id)
        rows[journey.journey_id] = result_row(journey, result)
    for journey in current:
        if journey.evaluation is not None and journey.evaluation.round_id == round_id:
            rows[journey.journey_id] = evaluation_row(journey)
    return _board(page.t("board.title.round", id=round_id), f"/rounds/{round_id}/board", rows)


async def council_board(page: Page, council_id: str) -> Board:
    current = await every_scoped_journey(page, {"evaluation": {"council": {"council_id": council_id}}})
    rows = {journey.journey_id: evaluation_row(journey) for journey in current}
    return _board(page.t("board.title.council", id=council_id), f"/councils/{council_id}/board", rows)


def _board(title: str, path: str, rows: dict[str, Row]) -> Board:
    ordered = sorted(
        rows.values(), key=lambda row: (not row.open, row.journey.product_name, row.journey.journey_id)
    )
    return Board(title=title, path=path, members=members_of(ordered), rows=ordered, updated=datetime.now(UTC))


def _render(
    page: Page,
    board: Board,
    *,
    fragment: bool = False,
    refusal: Refusal | None = None,
    failed: str | None = None,
    done: str | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {"board": board, "refusal": refusal, "failed": failed, "done": done}
    template = "board_table.html" if fragment else "board.html"
    return page.render(template, status=status, here=board.path, **context)


def _confirm_finalize(page: Page, board: Board, journey_id: str, form: Any) -> Response:
    """What finalizing will record (web.confirm): the product, its mean and rank as the board
    shows them to the chair."""
    t = page.t
    row = next((row for row in board.rows if row.journey.journey_id == journey_id), None)
    facts = [Fact(t("common.product"), row.journey.product_name if row else journey_id)]
    if row is not None:
        facts += [
            Fact(t("common.mean"), t.score(row.mean)),
            Fact(t("common.stars"), "★" * row.stars if row.stars else t("common.none")),
            Fact(t("confirm.scored"), f"{row.scored}/{row.required}"),
        ]
    return confirmation(
        page,
        title=t("confirm.title", what=t("act.finalize")),
        facts=facts,
        action=board.path,
        fields=carried(form, ["journey_id", "met_on"]),
        key=text(form, "key"),
        back=board.path,
    )


# The same three routes serve a round's board and a council's (``kind``: rounds or councils).
BoardKind = Literal["rounds", "councils"]
_BOARDS: dict[str, Callable[[Page, str], Awaitable[Board]]] = {
    "rounds": round_board,
    "councils": council_board,
}


@router.get("/{kind}/{ident:path}/board/table")
async def board_table(kind: BoardKind, ident: BoardId, page: SignedIn) -> Response:
    """The board's table alone: what the page's script fetches every few seconds."""
    return _render(page, await _BOARDS[kind](page, ident), fragment=True)


@router.get("/{kind}/{ident:path}/board")
async def board_page(kind: BoardKind, ident: BoardId, page: SignedIn, done: str | None = None) -> Response:
    return _render(page, await _BOARDS[kind](page, ident), done=done)


@router.post("/{kind}/{ident:path}/board")
async def board_finalize(kind: BoardKind, ident: BoardId, page: SignedIn, form: PostedForm) -> Response:
    """The chair finalizes one product; a refusal shows above the board."""
    board_of = _BOARDS[kind]
    journey_id = text(form, "journey_id")
    # The day the council met in person, for a re-evaluation by written opinion that went to a
    # meeting (qd26-2026 Art. 7.6.d); the journey says when it is needed.
    fields = {"met_on": text(form, "met_on")} if text(form, "met_on") else {}
    try:
        if not confirmed(form):
            await check_step(page, journey_id, "finalize", fields)
            return _confirm_finalize(page, await board_of(page, ident), journey_id, form)
        await take_step(page, journey_id, "finalize", fields, text(form, "key"))
    except REFUSALS as error:
        refusal = refusal_of(error)
        board = await board_of(page, ident)
        return _render(page, board, refusal=refusal, failed=journey_id, status=refusal.status)
    return page.redirect(f"{(await board_of(page, ident)).path}?done={journey_id}")
