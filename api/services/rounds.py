"""Evaluation rounds (đợt đánh giá) for a caller: open a council's round, enrol products, close it
(carrying unfinished products to the council's next round), publish its results, read them.

Each command is an update of the round's workflow whose id is the idempotency key; the round enrols
or carries over each journey through that journey's own workflow, so the round's list and the
journeys' records agree. Reads come from the read models.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar, cast

from api import access
from api.commands import RoundUpdate, open_round, round_receipt_from_log, run_round_step
from api.engine import Engine
from api.errors import Invalid, NotFound
from api.services import Checked
from api.services.councils import command_fields, seated
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

C = TypeVar("C", bound=RoundCommand)


def _fields(body: Body | None, actor: access.Principal, request_id: str) -> dict[str, Any]:
    return {**command_fields(body or Body(), actor), "request_id": request_id}


async def load_round(engine: Engine, round_id: str) -> RoundState:
    """The round's read model (404 if no round has that id)."""
    state = await round_state(await engine.pool(), round_id)
    if state is None:
        raise NotFound(Reason("rounds.unknown", round=round_id))
    return state


async def round_for(engine: Engine, reader: access.Principal, round_id: str) -> RoundState:
    """The round, read by the council's members and by officers, auditors, authorities and
    administrators of its jurisdiction."""
    state = await load_round(engine, round_id)
    access.check_read_council(reader, state.level, state.jurisdiction, seated(reader, state.council))
    return state


async def results(engine: Engine, reader: access.Principal, round_id: str) -> RoundResults:
    """One row per product: its mean, star band and next step; once published, the published
    table, before, as the products stand (read as ``round_for`` is)."""
    state = await round_for(engine, reader, round_id)
    rows = await round_results(await engine.pool(), round_id)
    published = state.status == RoundStatus.RESULTS_PUBLISHED
    return RoundResults(
        round_id=round_id, name=state.name, status=state.status, published=published, rows=rows or []
    )


async def open_a_round(
    engine: Engine, actor: access.Principal, body: OpenRoundBody, request_id: str
) -> Checked[RoundReceipt]:
    """Open a round of a council, which keeps the council as it stands now; given by the officer of
    the council's level, in its jurisdiction. An unknown council is a field error of the body."""
    fields = _fields(body, actor, request_id)
    store = await engine.events()
    raw = await store.get_read_model("council", fields["council_id"])
    if raw is None:
        detail = f"no council {fields['council_id']}"
        error = FieldError(loc=["body", "council_id"], msg=detail, type="unknown_council")
        raise Invalid(detail, errors=[error])
    council = Council.model_validate(raw)
    access.check_run_round(actor, council.level, council.jurisdiction)

    async def run(key: uuid.UUID) -> RoundReceipt:
        command = OpenRound.model_validate(fields)
        if await round_state(await engine.pool(), command.round_id) is None:
            return await open_round(engine, command, key)
        # Opened: by this key, whose first try's answer was lost (a 504 while the worker was
        # down), or by another, which this one must not repeat.
        recorded = await round_receipt_from_log(engine, command.round_id, key)
        if recorded is None:
            raise WrongState(Reason("rounds.open_already", round=command.round_id))
        return recorded

    return run


async def _step(
    engine: Engine,
    actor: access.Principal,
    round_id: str,
    body: Body | None,
    request_id: str,
    update: RoundUpdate[C],
    command_type: type[C],
) -> Checked[RoundReceipt]:
    state = await load_round(engine, round_id)
    access.check_run_round(actor, state.level, state.jurisdiction)
    fields = _fields(body, actor, request_id)

    async def run(key: uuid.UUID) -> RoundReceipt:
        # model_validate answers the type it is called on; mypy reads it as RoundCommand's union.
        command = cast(C, command_type.model_validate(fields))
        return await run_round_step(engine, round_id, update, command, key)

    return run


async def enrol(
    engine: Engine, actor: access.Principal, round_id: str, body: EnrolJourneyBody, request_id: str
) -> Checked[RoundReceipt]:
    """Enrol a journey that awaits a round at the council's level and jurisdiction; given by the
    round's officer."""
    return await _step(engine, actor, round_id, body, request_id, EvaluationRound.enrol_journey, EnrolJourney)


async def close(
    engine: Engine, actor: access.Principal, round_id: str, body: CloseRoundBody, request_id: str
) -> Checked[RoundReceipt]:
    """Close the round, carrying products not finalized over to ``carry_over_to``; given by the
    round's officer."""
    return await _step(engine, actor, round_id, body, request_id, EvaluationRound.close_round, CloseRound)


async def publish(
    engine: Engine, actor: access.Principal, round_id: str, body: PublishResultsBody | None, request_id: str
) -> Checked[RoundReceipt]:
    """Publish the results of a closed round; given by the round's officer."""
    return await _step(
        engine, actor, round_id, body, request_id, EvaluationRound.publish_results, PublishResults
    )
