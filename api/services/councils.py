"""Councils (Hội đồng đánh giá, phân hạng sản phẩm OCOP) for a caller: appointment, membership,
declared conflicts of interest, and what a council has on its table.

Council decisions are recorded straight to the log (``activities.direct``): they have no timers and
coordinate nothing, so no workflow stands between the command and the append. A declared conflict
on a product the council is evaluating also reaches that journey. Who sits on a council is looked
up, never taken on the caller's word.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field

from activities.direct import CouncilCommands, DirectReceipt
from api import access
from api.commands import NOT_CONFIRMED, command_timeout
from api.engine import Engine
from api.errors import NotFound, TimedOut
from api.services import Checked
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
    store = await engine.events()
    raw = await store.get_read_model("council", council_id)
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


def seated(reader: access.Principal, council: Council) -> bool:
    """Does ``reader`` hold a seat of ``council``?"""
    return any(seat.member_id == reader.id for seat in council.seats)


async def council_view(engine: Engine, reader: access.Principal, council_id: str) -> CouncilView:
    """The council's members and declared conflicts, and its workload; read by its members and by
    officers, auditors, authorities and administrators of its jurisdiction."""
    council = await load_council(engine, council_id)
    access.check_read_council(reader, council.level, council.jurisdiction, seated(reader, council))
    workload = await council_workload(await engine.pool(), council_id)
    return CouncilView(council=council, workload=workload)


async def appoint(
    engine: Engine, actor: access.Principal, body: AppointCouncilBody
) -> Checked[CouncilReceipt]:
    """Appoint a council for a level and a jurisdiction, with its seats: given by the officer of
    that level in its jurisdiction or an administrator whose jurisdiction holds it."""
    fields = command_fields(body, actor)
    access.check_manage_council(actor, fields["level"], fields["jurisdiction"])
    seats = AppointCouncil.model_validate(fields).seats
    await check_seats(engine, fields["level"], fields["jurisdiction"], seats)

    async def run(key: uuid.UUID) -> CouncilReceipt:
        command = AppointCouncil.model_validate(fields)
        return await _record(engine, command.council_id, command, key)

    return run


async def change_membership(
    engine: Engine, actor: access.Principal, council_id: str, body: ChangeMembershipBody
) -> Checked[CouncilReceipt]:
    """The council's new seats (kiện toàn); rounds opened earlier keep the roster they opened with."""
    council = await load_council(engine, council_id)
    access.check_manage_council(actor, council.level, council.jurisdiction)
    new_seats = ChangeMembership.model_validate(command_fields(body, actor)).seats
    await check_seats(engine, council.level, council.jurisdiction, new_seats)

    async def run(key: uuid.UUID) -> CouncilReceipt:
        command = ChangeMembership.model_validate(command_fields(body, actor))
        return await _record(engine, council_id, command, key)

    return run


async def declare_conflict(
    engine: Engine, actor: access.Principal, council_id: str, body: DeclareConflictBody
) -> Checked[CouncilReceipt]:
    """A member's conflict of interest with a product, declared by the member or recorded by the
    officer of the council's level; a product this council is evaluating learns it at once."""
    council = await load_council(engine, council_id)
    fields = command_fields(body, actor)
    access.check_declare_conflict(
        actor, council.level, council.jurisdiction, fields["member_id"], seated=seated(actor, council)
    )
    store = await engine.events()
    if await store.get_read_model("journey", fields["journey_id"]) is None:
        raise NotFound(Reason("councils.unknown_journey", journey=fields["journey_id"]))

    async def run(key: uuid.UUID) -> CouncilReceipt:
        command = DeclareConflict.model_validate(fields)
        return await _record(engine, council_id, command, key, to_journeys=True)

    return run
