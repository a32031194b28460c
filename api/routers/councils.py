"""Councils (Hội đồng đánh giá, phân hạng sản phẩm OCOP): the routes over ``api.services.councils``
(appointment, membership, declared conflicts of interest, what a council has on its table)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import CouncilId, CurrentActor, EngineDep, Idempotent
from api.idempotency import Outcome
from api.routers.common import COMMAND, READ, problems
from api.services import councils
from api.services.councils import CouncilView
from schemas.api import AppointCouncilBody, ChangeMembershipBody, CouncilReceipt, DeclareConflictBody

router = APIRouter(prefix="/v1/councils", tags=["councils"])


@router.post(
    "",
    status_code=201,
    response_model=CouncilReceipt,
    summary="Appoint a council (quyết định thành lập Hội đồng)",
    responses=problems(*COMMAND),
)
async def appoint_council(body: AppointCouncilBody, once: Idempotent) -> Response:
    """Appoint a council for a level and a jurisdiction, with its seats (one chair; the secretary
    does not score). Given by the provincial officer of that province (a provincial council), the
    central officer (the central council), or an administrator whose jurisdiction holds it. Needs an
    Idempotency-Key; answers with the receipt and the council."""
    run = await councils.appoint(once.engine, once.actor, body)

    async def work() -> Outcome:
        receipt = await run(once.key)
        return Outcome(201, receipt, headers={"Location": f"/v1/councils/{receipt.council_id}"})

    return await once(body, work)


@router.get(
    "/{council_id}",
    response_model=CouncilView,
    summary="A council and its workload",
    responses=problems(404, *READ),
)
async def get_council(council_id: CouncilId, actor: CurrentActor, engine: EngineDep) -> CouncilView:
    """The council's members and declared conflicts, and its workload: rounds open, closed and
    published, products enrolled, awaiting scorecards or finalization, and finalized. Read by its
    members and by officers, auditors, authorities and administrators of its jurisdiction."""
    return await councils.council_view(engine, actor, council_id)


@router.post(
    "/{council_id}/membership",
    response_model=CouncilReceipt,
    summary="Change a council's membership (kiện toàn Hội đồng)",
    responses=problems(*COMMAND),
)
async def change_membership(council_id: CouncilId, body: ChangeMembershipBody, once: Idempotent) -> Response:
    """The council's new seats. Rounds opened earlier keep the roster they opened with. Given by
    the officer of the council's level or an administrator, in its jurisdiction."""
    run = await councils.change_membership(once.engine, once.actor, council_id, body)

    async def work() -> Outcome:
        return Outcome(200, await run(once.key))

    return await once(body, work)


@router.post(
    "/{council_id}/conflicts",
    response_model=CouncilReceipt,
    summary="Declare a conflict of interest (xung đột lợi ích)",
    responses=problems(*COMMAND),
)
async def declare_conflict(council_id: CouncilId, body: DeclareConflictBody, once: Idempotent) -> Response:
    """A member declares a conflict of interest with a product (journey): they will not score it,
    and the quorum counts without them. Given by the member themselves, or recorded by the officer
    of the council's level. A product being evaluated by this council learns it at once."""
    run = await councils.declare_conflict(once.engine, once.actor, council_id, body)

    async def work() -> Outcome:
        return Outcome(200, await run(once.key))

    return await once(body, work)
