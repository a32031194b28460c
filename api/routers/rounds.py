"""Evaluation rounds (đợt đánh giá): open a council's round, enrol products, close it (carrying
unfinished products to the council's next round), publish its results, read them.

Each command is an update of the round's workflow whose id is the Idempotency-Key; the round enrols
or carries over each journey through that journey's own workflow, so the round's list and the
journeys' records agree. Reads come from the read models.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar, cast

from fastapi import APIRouter, Path, Request, Response

from api import access
from api.commands import RoundUpdate, open_round, round_receipt_from_log, run_round_step
from api.deps import CurrentActor, EngineDep, IdempotencyKey, request_id
from api.engine import Engine
from api.errors import Invalid, NotFound
from api.idempotency import Outcome, idempotent
from api.routers.common import COMMAND, READ, problems
from api.routers.councils import command_fields
from schemas.api import (
    Body,
    CloseRoundBody,
    EnrolJourneyBody,
    FieldError,
    OpenRoundBody,
    PublishResultsBody,
    RoundResults,
)
from schemas.council import Council
from schemas.errors import WrongState
from schemas.refusals import Reason
from schemas.round import (
    CloseRound,
    EnrolJourney,
    OpenRound,
    PublishResults,
    RoundCommand,
    RoundReceipt,
    RoundState,
    RoundStatus,
)
from store.reports import round_results, round_state
from workflows.round import EvaluationRound

router = APIRouter(prefix="/v1/rounds", tags=["rounds"])

C = TypeVar("C", bound=RoundCommand)

RoundId = Annotated[
    str,
    Path(
        pattern=r"^[\w.-]{1,100}$",
        description="The round's id, as its opening named it.",
        examples=["R-TH-2026-1"],
    ),
]


def _fields(body: Body | None, actor: access.Principal, request: Request) -> dict[str, Any]:
    return {**command_fields(body or Body(), actor), "request_id": request_id(request)}


async def load_round(engine: Engine, round_id: str) -> RoundState:
    """The round's read model (404 if no round has that id)."""
    state = await round_state(await engine.pool(), round_id)
    if state is None:
        raise NotFound(Reason("rounds.unknown", round=round_id))
    return state


def _seated(actor: access.Principal, council: Council) -> bool:
    return any(seat.member_id == actor.id for seat in council.seats)


@router.post(
    "",
    status_code=201,
    response_model=RoundReceipt,
    summary="Open a round of a council (mở đợt đánh giá)",
    responses=problems(*COMMAND),
)
async def open_a_round(
    body: OpenRoundBody,
    request: Request,
    actor: CurrentActor,
    key: IdempotencyKey,
    engine: EngineDep,
) -> Response:
    """Open a round of a council with a submission cut-off (products whose dossier was accepted by
    then may be enrolled until the end of that day) and a meeting date. The round keeps the council
    as it stands now. Given by the officer of the council's level, in its jurisdiction (the
    provincial officer for a provincial council). Needs an Idempotency-Key."""
    fields = _fields(body, actor, request)
    raw = await (await engine.events()).get_read_model("council", fields["council_id"])
    if raw is None:
        detail = f"no council {fields['council_id']}"
        error = FieldError(loc=["body", "council_id"], msg=detail, type="unknown_council")
        raise Invalid(detail, errors=[error])
    council = Council.model_validate(raw)
    access.check_run_round(actor, council.level, council.jurisdiction)

    async def work() -> Outcome:
        command = OpenRound.model_validate(fields)
        if await round_state(await engine.pool(), command.round_id) is None:
            receipt = await open_round(engine, command, key)
        else:
            # Opened: by this request, whose first try's answer was lost (a 504 while the worker
            # was down), or by another, which this one must not repeat.
            recorded = await round_receipt_from_log(engine, command.round_id, key)
            if recorded is None:
                raise WrongState(Reason("rounds.open_already", round=command.round_id))
            receipt = recorded
        return Outcome(201, receipt, headers={"Location": f"/v1/rounds/{command.round_id}"})

    return await idempotent(request, engine, actor, key, body, work)


@router.get(
    "/{round_id}",
    response_model=RoundState,
    summary="A round's state",
    responses=problems(404, *READ),
)
async def get_round(round_id: RoundId, actor: CurrentActor, engine: EngineDep) -> RoundState:
    """The round: its council as it opened, cut-off and meeting date, status, the products enrolled
    and carried in or out, and its published results. Read by the council's members and by
    officers, auditors, authorities and administrators of its jurisdiction."""
    state = await load_round(engine, round_id)
    access.check_read_council(actor, state.level, state.jurisdiction, _seated(actor, state.council))
    return state


@router.get(
    "/{round_id}/results",
    response_model=RoundResults,
    summary="A round's results table (kết quả đánh giá, phân hạng)",
    responses=problems(404, *READ),
)
async def get_results(round_id: RoundId, actor: CurrentActor, engine: EngineDep) -> RoundResults:
    """One row per product: its mean, star band, and next step (recognize, forward, not ranked,
    carried over, withdrawn). Once published, the published table; before, as the products stand."""
    state = await load_round(engine, round_id)
    access.check_read_council(actor, state.level, state.jurisdiction, _seated(actor, state.council))
    rows = await round_results(await engine.pool(), round_id)
    published = state.status == RoundStatus.RESULTS_PUBLISHED
    return RoundResults(
        round_id=round_id, name=state.name, status=state.status, published=published, rows=rows or []
    )


async def _step(
    request: Request,
    engine: Engine,
    actor: access.Principal,
    key: IdempotencyKey,
    round_id: str,
    body: Body | None,
    update: RoundUpdate[C],
    command_type: type[C],
) -> Response:
    state = await load_round(engine, round_id)
    access.check_run_round(actor, state.level, state.jurisdiction)
    fields = _fields(body, actor, request)

    async def work() -> Outcome:
        # model_validate answers the type it is called on; mypy reads it as RoundCommand's union.
        command = cast(C, command_type.model_validate(fields))
        return Outcome(200, await run_round_step(engine, round_id, update, command, key))

    return await idempotent(request, engine, actor, key, body, work)


@router.post(
    "/{round_id}/enrollments",
    response_model=RoundReceipt,
    summary="Enrol a product in the round",
    responses=problems(*COMMAND),
)
async def enrol(
    round_id: RoundId,
    body: EnrolJourneyBody,
    request: Request,
    actor: CurrentActor,
    key: IdempotencyKey,
    engine: EngineDep,
) -> Response:
    """Enrol a journey that awaits a round at the council's level and jurisdiction, whose dossier
    was accepted by the cut-off, before enrolment closes (AfterCutOff, 409). An unknown journey is
    a 404. The journey is then evaluated by the round's council. Given by the round's officer."""
    return await _step(
        request, engine, actor, key, round_id, body, EvaluationRound.enrol_journey, EnrolJourney
    )


@router.post(
    "/{round_id}/close",
    response_model=RoundReceipt,
    summary="Close the round",
    responses=problems(*COMMAND),
)
async def close(
    round_id: RoundId,
    body: CloseRoundBody,
    request: Request,
    actor: CurrentActor,
    key: IdempotencyKey,
    engine: EngineDep,
) -> Response:
    """Close the round. Products not finalized are carried over to ``carry_over_to``, an open round
    of the same council, with their scorecards; without one, a round that has unfinished products
    is not closed (WrongState, 409). Given by the round's officer."""
    return await _step(request, engine, actor, key, round_id, body, EvaluationRound.close_round, CloseRound)


@router.post(
    "/{round_id}/publish",
    response_model=RoundReceipt,
    summary="Publish the round's results",
    responses=problems(*COMMAND),
)
async def publish(
    round_id: RoundId,
    request: Request,
    actor: CurrentActor,
    key: IdempotencyKey,
    engine: EngineDep,
    body: PublishResultsBody | None = None,
) -> Response:
    """Publish the results of a closed round: the table is fixed from then on, and the round takes no
    more steps. Given by the round's officer; the body may be empty."""
    return await _step(
        request, engine, actor, key, round_id, body, EvaluationRound.publish_results, PublishResults
    )
