"""Evaluation rounds (đợt đánh giá): the routes over ``api.services.rounds`` (open a council's round,
enrol products, close it, publish its results, read them)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import CurrentActor, EngineDep, Idempotent, RoundId
from api.idempotency import Outcome
from api.routers.common import COMMAND, READ, problems
from api.services import rounds
from schemas.api import CloseRoundBody, EnrolJourneyBody, OpenRoundBody, PublishResultsBody, RoundResults
from schemas.round import RoundReceipt, RoundState

router = APIRouter(prefix="/v1/rounds", tags=["rounds"])


@router.post(
    "",
    status_code=201,
    response_model=RoundReceipt,
    summary="Open a round of a council (mở đợt đánh giá)",
    responses=problems(*COMMAND),
)
async def open_a_round(body: OpenRoundBody, once: Idempotent) -> Response:
    """Open a round of a council with a submission cut-off (products whose dossier was accepted by
    then may be enrolled until the end of that day) and a meeting date. The round keeps the council
    as it stands now. Given by the officer of the council's level, in its jurisdiction (the
    provincial officer for a provincial council). Needs an Idempotency-Key."""
    run = await rounds.open_a_round(once.engine, once.actor, body, once.request_id)

    async def work() -> Outcome:
        receipt = await run(once.key)
        return Outcome(201, receipt, headers={"Location": f"/v1/rounds/{receipt.round_id}"})

    return await once(body, work)


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
    return await rounds.round_for(engine, actor, round_id)


@router.get(
    "/{round_id}/results",
    response_model=RoundResults,
    summary="A round's results table (kết quả đánh giá, phân hạng)",
    responses=problems(404, *READ),
)
async def get_results(round_id: RoundId, actor: CurrentActor, engine: EngineDep) -> RoundResults:
    """One row per product: its mean, star band, and next step (recognize, forward, not ranked,
    carried over, withdrawn). Once published, the published table; before, as the products stand."""
    return await rounds.results(engine, actor, round_id)


@router.post(
    "/{round_id}/enrollments",
    response_model=RoundReceipt,
    summary="Enrol a product in the round",
    responses=problems(*COMMAND),
)
async def enrol(round_id: RoundId, body: EnrolJourneyBody, once: Idempotent) -> Response:
    """Enrol a journey that awaits a round at the council's level and jurisdiction, whose dossier
    was accepted by the cut-off, before enrolment closes (AfterCutOff, 409). An unknown journey is
    a 404. The journey is then evaluated by the round's council. Given by the round's officer."""
    run = await rounds.enrol(once.engine, once.actor, round_id, body, once.request_id)

    async def work() -> Outcome:
        return Outcome(200, await run(once.key))

    return await once(body, work)


@router.post(
    "/{round_id}/close",
    response_model=RoundReceipt,
    summary="Close the round",
    responses=problems(*COMMAND),
)
async def close(round_id: RoundId, body: CloseRoundBody, once: Idempotent) -> Response:
    """Close the round. Products not finalized are carried over to ``carry_over_to``, an open round
    of the same council, with their scorecards; without one, a round that has unfinished products
    is not closed (WrongState, 409). Given by the round's officer."""
    run = await rounds.close(once.engine, once.actor, round_id, body, once.request_id)

    async def work() -> Outcome:
        return Outcome(200, await run(once.key))

    return await once(body, work)


@router.post(
    "/{round_id}/publish",
    response_model=RoundReceipt,
    summary="Publish the round's results",
    responses=problems(*COMMAND),
)
async def publish(round_id: RoundId, once: Idempotent, body: PublishResultsBody | None = None) -> Response:
    """Publish the results of a closed round: the table is fixed from then on, and the round takes no
    more steps. Given by the round's officer; the body may be empty."""
    run = await rounds.publish(once.engine, once.actor, round_id, body, once.request_id)

    async def work() -> Outcome:
        return Outcome(200, await run(once.key))

    return await once(body, work)
