"""Product journeys (hành trình sản phẩm OCOP): register, act, read, audit.

Commands go to the journey's workflow as Temporal updates; reads come from the store's read models
and the log, never from Temporal.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api import access
from api.deps import CurrentActor, EngineDep, Idempotent, JourneyId
from api.idempotency import Outcome
from api.routers.common import COMMAND, READ, problems
from api.services import journeys
from schemas.api import (
    ACTION_BODIES,
    Body,
    ImportCertifiedBody,
    JourneyHistory,
    JourneyPage,
    RegisterIdeaBody,
    VerificationView,
)
from schemas.commands import JOURNEY_ACTIONS
from schemas.journey import CommandReceipt, JourneyState, Status
from schemas.rulebook import Level

router = APIRouter(prefix="/v1/journeys", tags=["journeys"])

# Actions without a route of their own here: registration and import start a journey (POST
# /v1/journeys and POST /v1/journeys/import); enrolment is the round's step (POST
# /v1/rounds/{id}/enrollments: the round gives its own council, level and cut-off, as they stood
# when it opened, so no caller can name a council or a round that is not open); carry-over is the
# round's step when it closes; a conflict of interest is declared to the council (POST
# /v1/councils/{id}/conflicts), which records it on the journey it is evaluating.
NOT_ACTION_ROUTES = frozenset({"register-idea", "import-certified", "enrol", "carry-over", "record-conflict"})
TextFilter = Annotated[str | None, Query(min_length=1, max_length=200, pattern=r"^[^\x00]+$")]


def _created(receipt: CommandReceipt) -> Outcome:
    return Outcome(201, receipt, headers={"Location": f"/v1/journeys/{receipt.journey_id}"})


@router.post(
    "",
    status_code=201,
    response_model=CommandReceipt,
    summary="Register a product idea (đăng ký ý tưởng sản phẩm)",
    responses=problems(*COMMAND),
)
async def register_idea(body: RegisterIdeaBody, once: Idempotent) -> Response:
    """A producer registers a product idea, which starts the product's journey. The journey id is
    derived from the caller and the Idempotency-Key, so a retried registration finds the same
    journey; the producer is the caller."""
    run = await journeys.register_idea(once.engine, once.actor, body, once.request_id)

    async def work() -> Outcome:
        return _created(await run(once.key))

    return await once(body, work)


@router.post(
    "/import",
    status_code=201,
    response_model=CommandReceipt,
    summary="Import a product certified before the engine (chuyển đổi dữ liệu)",
    responses=problems(*COMMAND),
)
async def import_certified(body: ImportCertifiedBody, once: Idempotent) -> Response:
    """An administrator imports a product certified before the engine existed, with its
    historic certificate; the journey starts CERTIFIED and its expiry timers run."""
    run = await journeys.import_certified(once.engine, once.actor, body, once.request_id)

    async def work() -> Outcome:
        return _created(await run(once.key))

    return await once(body, work)


@router.get(
    "",
    response_model=JourneyPage,
    summary="List journeys",
    responses=problems(*READ),
)
async def list_journeys(
    actor: CurrentActor,
    engine: EngineDep,
    province: Annotated[int | None, Query(ge=1, le=999, description="Province code (mã tỉnh).")] = None,
    commune: Annotated[int | None, Query(ge=1, le=99999, description="Commune code (mã xã).")] = None,
    level: Annotated[Level | None, Query(description="Level of the round or recognition awaited.")] = None,
    state: Annotated[Status | None, Query(description="The journey's status.")] = None,
    stars: Annotated[int | None, Query(ge=1, le=5, description="Stars of the certificate in force.")] = None,
    round_id: Annotated[
        str | None,
        Query(
            alias="round",
            min_length=1,
            max_length=200,
            pattern=r"^[^\x00]+$",
            description="The round (đợt đánh giá) the journey is in now.",
        ),
    ] = None,
    rulebook: TextFilter = None,
    producer: TextFilter = None,
    cursor: Annotated[
        str | None, Query(max_length=400, description="`next_cursor` of the previous page.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="At most this many journeys.")] = 50,
) -> JourneyPage:
    """The journeys the caller may see (their own, their jurisdiction's, or those their councils
    evaluate), filtered, in id order, a page at a time."""
    filters = journeys.JourneyFilters(
        province=province,
        commune=commune,
        level=level,
        state=state,
        stars=stars,
        round_id=round_id,
        rulebook=rulebook,
        producer=producer,
    )
    return await journeys.journey_page(engine, actor, filters, cursor=cursor, limit=limit)


@router.get(
    "/{journey_id}",
    response_model=JourneyState,
    summary="A journey's current state",
    responses=problems(404, *READ),
)
async def get_journey(journey_id: JourneyId, actor: CurrentActor, engine: EngineDep) -> JourneyState:
    """The journey's read model: the fold of its recorded events. While its council evaluation is
    open, a reader who may not see the others' scores yet (see `sealed`) gets who has scored, not what."""
    return await journeys.journey(engine, actor, journey_id)


@router.get(
    "/{journey_id}/history",
    response_model=JourneyHistory,
    summary="A journey's decisions (nhật ký quyết định)",
    responses=problems(404, *READ),
)
async def journey_history(journey_id: JourneyId, actor: CurrentActor, engine: EngineDep) -> JourneyHistory:
    """Every recorded event of the journey, in order: what was decided, by whom (actor id and
    role), for which body, why, under which rulebook, when, and its hash-chain link. While the
    council evaluation is open, another member's scores are withheld (named in `sealed`) from a
    reader who may not see them yet; the entry keeps its recorded hashes."""
    return await journeys.history(engine, actor, journey_id)


@router.get(
    "/{journey_id}/state",
    response_model=JourneyState,
    summary="A journey's state as of a moment",
    responses=problems(404, *READ),
)
async def journey_state_as_of(
    journey_id: JourneyId,
    actor: CurrentActor,
    engine: EngineDep,
    as_of: Annotated[
        datetime | None,
        Query(description="ISO 8601 time (UTC if it names no zone); now if omitted."),
    ] = None,
) -> JourneyState:
    """The state folded from the journey's events recorded up to ``as_of``: what was known then
    (sealed as the current state is, while the evaluation it shows is still open)."""
    return await journeys.state_as_of(engine, actor, journey_id, as_of)


@router.get(
    "/{journey_id}/verify",
    response_model=VerificationView,
    summary="Verify a journey's hash chain",
    responses=problems(404, *READ),
)
async def verify_journey(journey_id: JourneyId, actor: CurrentActor, engine: EngineDep) -> VerificationView:
    """Recompute the journey's hash chain: ``ok``, or the first broken link."""
    return await journeys.verification(engine, actor, journey_id)


def _action_endpoint(action: str, body_model: type[Body]) -> Callable[..., Awaitable[Response]]:
    command_type = JOURNEY_ACTIONS[action]

    async def endpoint(journey_id: JourneyId, body: Body, once: Idempotent) -> Response:
        run = journeys.take_action(once.engine, once.actor, journey_id, action, body, once.request_id)

        async def work() -> Outcome:
            return Outcome(200, await run(once.key))

        return await once(body, work)

    # FastAPI reads the body's model from the signature: give each action its own.
    signature = inspect.signature(endpoint, eval_str=True)
    endpoint.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[
            parameter.replace(annotation=body_model) if parameter.name == "body" else parameter
            for parameter in signature.parameters.values()
        ]
    )
    endpoint.__name__ = action.replace("-", "_")
    roles = ", ".join(sorted(role.value for role in access.ACTION_ROLES.get(action, ())))
    endpoint.__doc__ = (
        f"{(command_type.__doc__ or action).strip()}\n\nGiven by: {roles or 'nobody through the API'} "
        "(in their jurisdiction; the journey checks which officer, seat or chair). Needs an "
        "Idempotency-Key; answers with the receipt (event ids, positions, stream version) and the new state."
    )
    return endpoint


for _action, _body in ACTION_BODIES.items():
    if _action in NOT_ACTION_ROUTES:
        continue
    router.add_api_route(
        f"/{{journey_id}}/{_action}",
        _action_endpoint(_action, _body),
        methods=["POST"],
        response_model=CommandReceipt,
        summary=(JOURNEY_ACTIONS[_action].__doc__ or _action).strip().splitlines()[0].rstrip("."),
        responses=problems(*COMMAND),
        name=_action,
    )
