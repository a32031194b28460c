"""Councils (Hội đồng đánh giá, phân hạng sản phẩm OCOP): appointment, membership, declared
conflicts of interest, and what a council has on its table.

Council decisions are recorded straight to the log (``activities.direct``): they have no timers and
coordinate nothing, so no workflow stands between the request and the append. A declared conflict on
a product the council is evaluating also reaches that journey.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from activities.direct import CouncilCommands, DirectReceipt
from api import access
from api.commands import NOT_CONFIRMED, command_timeout
from api.deps import CurrentActor, EngineDep, IdempotencyKey
from api.engine import Engine
from api.errors import NotFound, TimedOut
from api.idempotency import Outcome, idempotent
from api.routers.common import COMMAND, READ, problems
from schemas.api import (
    AppointCouncilBody,
    Body,
    ChangeMembershipBody,
    CouncilReceipt,
    DeclareConflictBody,
    Jurisdiction,
    JurisdictionKind,
)
from schemas.council import AppointCouncil, ChangeMembership, Council, CouncilCommand, DeclareConflict, Seat
from schemas.log import Actor
from schemas.refusals import Reason
from schemas.roles import Role
from schemas.rulebook import Level
from store.reports import CouncilWorkload, council_workload

router = APIRouter(prefix="/v1/councils", tags=["councils"])

CouncilId = Annotated[
    str,
    Path(
        pattern=r"^[\w.-]{1,100}$",
        description="The council's id, as its appointment named it.",
        examples=["HD-TH-2025"],
    ),
]


class CouncilView(BaseModel):
    """A council (its members and declared conflicts) and its workload."""

    council: Council
    workload: CouncilWorkload = Field(description="Its rounds and the products on its table.")


def command_fields(body: Body, principal: access.Principal) -> dict[str, Any]:
    """The command's fields: the body's, and the caller as its actor."""
    return {**body.model_dump(), "actor": Actor(id=principal.id, role=principal.role.value)}


async def check_seats(engine: Engine, level: Level, jurisdiction: str, seats: Sequence[Seat]) -> None:
    """The engine knows who may sit on a council: every seat's holder is looked up, never taken on
    the caller's word (``access.check_seat_holders``)."""
    actors = await engine.actors()
    holders: dict[str, access.Principal | None] = {}
    for seat in seats:
        record = await actors.get(seat.member_id)
        holders[seat.member_id] = (
            access.Principal(
                id=record.actor_id,
                role=Role(record.role),
                jurisdiction=Jurisdiction(
                    kind=JurisdictionKind(record.jurisdiction_kind), value=record.jurisdiction
                ),
            )
            if record is not None and record.active
            else None
        )
    access.check_seat_holders(level, jurisdiction, holders)


async def load_council(engine: Engine, council_id: str) -> Council:
    """The council's read model (404 if no council has that id)."""
    raw = await (await engine.events()).get_read_model("council", council_id)
    if raw is None:
        raise NotFound(Reason("councils.unknown", council=council_id))
    return Council.model_validate(raw)


def _receipt(council_id: str, receipt: DirectReceipt[Council]) -> CouncilReceipt:
    return CouncilReceipt(
        council_id=council_id,
        event_ids=receipt.event_ids,
        event_types=receipt.event_types,
        stream_version=receipt.stream_version,
        replayed=receipt.replayed,
        state=receipt.state,
    )


async def _record(
    engine: Engine, council_id: str, command: CouncilCommand, key: uuid.UUID, *, to_journeys: bool = False
) -> CouncilReceipt:
    # With the Temporal client, a declared conflict reaches the journey the council is evaluating.
    client = await engine.client() if to_journeys else None
    commands = CouncilCommands(await engine.events(), client, journey_timeout=command_timeout())
    try:
        receipt = await commands.handle(council_id, command, str(key))
    except TimeoutError as exc:
        raise TimedOut(NOT_CONFIRMED) from exc
    return _receipt(council_id, receipt)


@router.post(
    "",
    status_code=201,
    response_model=CouncilReceipt,
    summary="Appoint a council (quyết định thành lập Hội đồng)",
    responses=problems(*COMMAND),
)
async def appoint_council(
    body: AppointCouncilBody,
    request: Request,
    actor: CurrentActor,
    key: IdempotencyKey,
    engine: EngineDep,
) -> Response:
    """Appoint a council for a level and a jurisdiction, with its seats (one chair; the secretary
    does not score). Given by the provincial officer of that province (a provincial council), the
    central officer (the central council), or an administrator whose jurisdiction holds it. Needs an
    Idempotency-Key; answers with the receipt and the council."""
    fields = command_fields(body, actor)
    access.check_manage_council(actor, fields["level"], fields["jurisdiction"])
    seats = AppointCouncil.model_validate(fields).seats
    await check_seats(engine, fields["level"], fields["jurisdiction"], seats)

    async def work() -> Outcome:
        command = AppointCouncil.model_validate(fields)
        receipt = await _record(engine, command.council_id, command, key)
        return Outcome(201, receipt, headers={"Location": f"/v1/councils/{command.council_id}"})

    return await idempotent(request, engine, actor, key, body, work)


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
    council = await load_council(engine, council_id)
    seated = any(seat.member_id == actor.id for seat in council.seats)
    access.check_read_council(actor, council.level, council.jurisdiction, seated)
    workload = await council_workload(await engine.pool(), council_id)
    return CouncilView(council=council, workload=workload)


@router.post(
    "/{council_id}/membership",
    response_model=CouncilReceipt,
    summary="Change a council's membership (kiện toàn Hội đồng)",
    responses=problems(*COMMAND),
)
async def change_membership(
    council_id: CouncilId,
    body: ChangeMembershipBody,
    request: Request,
    actor: CurrentActor,
    key: IdempotencyKey,
    engine: EngineDep,
) -> Response:
    """The council's new seats. Rounds opened earlier keep the roster they opened with. Given by
    the officer of the council's level or an administrator, in its jurisdiction."""
    council = await load_council(engine, council_id)
    access.check_manage_council(actor, council.level, council.jurisdiction)
    new_seats = ChangeMembership.model_validate(command_fields(body, actor)).seats
    await check_seats(engine, council.level, council.jurisdiction, new_seats)

    async def work() -> Outcome:
        command = ChangeMembership.model_validate(command_fields(body, actor))
        return Outcome(200, await _record(engine, council_id, command, key))

    return await idempotent(request, engine, actor, key, body, work)


@router.post(
    "/{council_id}/conflicts",
    response_model=CouncilReceipt,
    summary="Declare a conflict of interest (xung đột lợi ích)",
    responses=problems(*COMMAND),
)
async def declare_conflict(
    council_id: CouncilId,
    body: DeclareConflictBody,
    request: Request,
    actor: CurrentActor,
    key: IdempotencyKey,
    engine: EngineDep,
) -> Response:
    """A member declares a conflict of interest with a product (journey): they will not score it,
    and the quorum counts without them. Given by the member themselves, or recorded by the officer
    of the council's level. A product being evaluated by this council learns it at once."""
    council = await load_council(engine, council_id)
    fields = command_fields(body, actor)
    seated = any(seat.member_id == actor.id for seat in council.seats)
    access.check_declare_conflict(
        actor, council.level, council.jurisdiction, fields["member_id"], seated=seated
    )
    if await (await engine.events()).get_read_model("journey", fields["journey_id"]) is None:
        raise NotFound(Reason("councils.unknown_journey", journey=fields["journey_id"]))

    async def work() -> Outcome:
        command = DeclareConflict.model_validate(fields)
        return Outcome(200, await _record(engine, council_id, command, key, to_journeys=True))

    return await idempotent(request, engine, actor, key, body, work)
