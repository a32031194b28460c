"""The pure rules of a council's own stream: appointment, membership changes, declared conflicts."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from pydantic import ValidationError

from schemas.council import (
    AppointCouncil,
    ChangeMembership,
    Conflict,
    ConflictDeclared,
    Council,
    CouncilAppointed,
    CouncilCommand,
    CouncilEvent,
    CouncilRoster,
    MembershipChanged,
    Seat,
)
from schemas.errors import InvalidCommand, NotAllowed, WrongState
from schemas.refusals import Reason
from schemas.roles import OFFICER_OF_LEVEL, Role
from schemas.rulebook import Level
from workflows import places

NATIONAL = "VN"


def _check_jurisdiction(level: Level, jurisdiction: str) -> None:
    """A provincial council sits for a 2025 province code, the central one for the nation; a district
    (older rulebooks) is recorded as given, as journeys record it."""
    if level == Level.PROVINCE:
        # As journeys compare it: str(province_code), so "38", neither "038" nor "Thanh Hóa".
        if not jurisdiction.isdigit() or jurisdiction != str(int(jurisdiction)):
            raise InvalidCommand(Reason("council.province_jurisdiction", jurisdiction=jurisdiction))
        places.province_name(int(jurisdiction))
    elif level == Level.CENTRAL and jurisdiction != NATIONAL:
        raise InvalidCommand(Reason("council.central_national", national=NATIONAL))


def _check_seats(seats: list[Seat], level: Level, jurisdiction: str) -> None:
    try:  # one chair, one seat a member
        CouncilRoster(council_id="check", level=level, jurisdiction=jurisdiction, seats=seats)
    except ValueError as error:
        raise InvalidCommand(Reason("council.roster", problem=_problem(error))) from None


def _problem(error: ValueError) -> str:
    """What the roster's own check said (its messages, without pydantic's frame)."""
    if isinstance(error, ValidationError):
        return "; ".join(str(item.get("msg", "")).removeprefix("Value error, ") for item in error.errors())
    return str(error)


def _may_manage(actor_role: str, council_level_officer: Role) -> None:
    if actor_role not in (council_level_officer.value, Role.ADMINISTRATOR.value):
        raise NotAllowed(Reason("council.appointer", role=council_level_officer))


def decide_council(state: Council | None, command: CouncilCommand, now: datetime) -> list[CouncilEvent]:
    """The events a council command produces, or a ``DomainError`` saying why it is refused."""
    if isinstance(command, AppointCouncil):
        if state is not None:
            raise WrongState(Reason("council.exists", council=state.council_id))
        _may_manage(command.actor.role, OFFICER_OF_LEVEL[command.level])
        _check_jurisdiction(command.level, command.jurisdiction)
        _check_seats(command.seats, command.level, command.jurisdiction)
        return [
            CouncilAppointed(
                council_id=command.council_id,
                name=command.name,
                level=command.level,
                jurisdiction=command.jurisdiction,
                seats=command.seats,
                quorum=command.quorum,
                dispersion_limit=command.dispersion_limit,
                minimum_judgement=command.minimum_judgement,
                extra_rounds_allowed=command.extra_rounds_allowed,
            )
        ]
    if state is None:
        raise WrongState(Reason("council.unknown"))
    if isinstance(command, ChangeMembership):
        _may_manage(command.actor.role, OFFICER_OF_LEVEL[state.level])
        _check_seats(command.seats, state.level, state.jurisdiction)
        before = {seat.member_id for seat in state.seats}
        after = {seat.member_id for seat in command.seats}
        amended = command.extra_rounds_allowed
        return [
            MembershipChanged(
                seats=command.seats,
                added=sorted(after - before),
                removed=sorted(before - after),
                extra_rounds_allowed=amended if amended != state.extra_rounds_allowed else None,
            )
        ]
    # DeclareConflict: the member themselves, or the standing agency of the council's level (not an
    # administrator: the journey under evaluation takes a conflict from these two only).
    officer = OFFICER_OF_LEVEL[state.level]
    if command.actor.id != command.member_id and command.actor.role != officer.value:
        raise NotAllowed(Reason("council.conflict_recorder", role=officer))
    if command.member_id not in {seat.member_id for seat in state.seats}:
        raise InvalidCommand(
            Reason("council.not_a_member", member=command.member_id, council=state.council_id)
        )
    if Conflict(member_id=command.member_id, journey_id=command.journey_id) in state.conflicts:
        return []
    return [ConflictDeclared(member_id=command.member_id, journey_id=command.journey_id)]


def evolve_council(state: Council | None, event: CouncilEvent, at: datetime) -> Council:
    """Fold one event into the council."""
    if state is None:
        if not isinstance(event, CouncilAppointed):
            raise ValueError(f"a council starts with council_appointed, not {event.type}")
        return Council(
            council_id=event.council_id,
            name=event.name,
            level=event.level,
            jurisdiction=event.jurisdiction,
            seats=event.seats,
            quorum=event.quorum,
            dispersion_limit=event.dispersion_limit,
            minimum_judgement=event.minimum_judgement,
            extra_rounds_allowed=event.extra_rounds_allowed,
            version=1,
        )
    match event:
        case CouncilAppointed():
            raise ValueError("a council is appointed once")
        case MembershipChanged():
            changed: dict[str, object] = {"seats": event.seats, "version": state.version + 1}
            if event.extra_rounds_allowed is not None:
                changed["extra_rounds_allowed"] = event.extra_rounds_allowed
            return state.model_copy(update=changed)
        case ConflictDeclared():
            conflict = Conflict(member_id=event.member_id, journey_id=event.journey_id)
            return state.model_copy(
                update={"conflicts": [*state.conflicts, conflict], "version": state.version + 1}
            )
    # Every event type has its case above: mypy reports here the one a new event forgot.
    assert_never(event)
