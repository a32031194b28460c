"""Product journeys (hành trình sản phẩm OCOP): register, act, read, audit.

Commands go to the journey's workflow as Temporal updates; reads come from the store's read models
and the log, never from Temporal.
"""

from __future__ import annotations

import base64
import binascii
import inspect
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api import access, documents, visibility
from api.commands import derived_id, run_action, start_journey
from api.deps import CurrentActor, EngineDep, IdempotencyKey, JourneyId, request_id
from api.engine import Engine
from api.errors import Conflict, Invalid, NotFound
from api.idempotency import Outcome, idempotent
from api.listing import scoped_journeys
from api.routers.common import COMMAND, READ, problems
from api.routers.producers import journey_organisation
from schemas.api import (
    ACTION_BODIES,
    Body,
    FieldError,
    HistoryEntry,
    ImportCertifiedBody,
    JourneyHistory,
    JourneyPage,
    Jurisdiction,
    JurisdictionKind,
    RegisterIdeaBody,
    VerificationView,
)
from schemas.commands import JOURNEY_ACTIONS, ImportCertified, RegisterIdea
from schemas.journey import CommandReceipt, JourneyState, Status
from schemas.log import Actor, StreamRef
from schemas.refusals import Reason
from schemas.roles import Role
from schemas.rulebook import Level
from store import verify
from store.accounts import AccountStore
from workflows.projection import journey_state

router = APIRouter(prefix="/v1/journeys", tags=["journeys"])

# Actions without a route of their own here: registration and import start a journey (POST
# /v1/journeys and POST /v1/journeys/import); enrolment is the round's step (POST
# /v1/rounds/{id}/enrollments: the round gives its own council, level and cut-off, as they stood
# when it opened, so no caller can name a council or a round that is not open); carry-over is the
# round's step when it closes; a conflict of interest is declared to the council (POST
# /v1/councils/{id}/conflicts), which records it on the journey it is evaluating.
NOT_ACTION_ROUTES = frozenset({"register-idea", "import-certified", "enrol", "carry-over", "record-conflict"})
TextFilter = Annotated[str | None, Query(min_length=1, max_length=200, pattern=r"^[^\x00]+$")]


def _stream(journey_id: str) -> StreamRef:
    return StreamRef(type="journey", id=journey_id)


async def load_journey(engine: Engine, actor: access.Principal, journey_id: str) -> JourneyState:
    """The journey's read model, if the caller may read it (404 unknown, 403 not theirs)."""
    raw = await (await engine.events()).get_read_model("journey", journey_id)
    if raw is None:
        raise NotFound(Reason("journeys.unknown", journey=journey_id))
    journey = JourneyState.model_validate(raw)
    seated = False
    if actor.role == Role.COUNCIL_MEMBER:
        current = journey.evaluation
        seated = (current is not None and current.council.seat_of(actor.id) is not None) or await (
            await engine.actors()
        ).is_seated(actor.id, journey_id)
    access.check_read(actor, journey, seated)
    return journey


def command_fields(
    body: Body, actor: access.Principal, request: Request, journey: JourneyState | None = None
) -> dict[str, Any]:
    """The command's fields: the body's, and what the API fills in from what it knows: the actor,
    the body they act for (from their role and jurisdiction) and the request id."""
    return {
        **body.model_dump(),
        "actor": Actor(id=actor.id, role=actor.role.value),
        "authority": access.acting_body(actor, journey),
        "request_id": request_id(request),
    }


def _created(receipt: CommandReceipt) -> Outcome:
    return Outcome(201, receipt, headers={"Location": f"/v1/journeys/{receipt.journey_id}"})


@router.post(
    "",
    status_code=201,
    response_model=CommandReceipt,
    summary="Register a product idea (đăng ký ý tưởng sản phẩm)",
    responses=problems(*COMMAND),
)
async def register_idea(
    body: RegisterIdeaBody,
    request: Request,
    actor: CurrentActor,
    key: IdempotencyKey,
    engine: EngineDep,
) -> Response:
    """A producer registers a product idea, which starts the product's journey. The journey id is
    derived from the caller and the Idempotency-Key, so a retried registration finds the same
    journey; the producer is the caller."""
    fields = command_fields(body, actor, request)
    access.check_register(
        actor, access.Place(fields["province_code"], fields["commune_code"], fields["district"])
    )
    fields["producer_organisation"] = await journey_organisation(
        engine, actor, fields.get("producer_organisation")
    )

    async def work() -> Outcome:
        journey_id = derived_id(actor.id, key)
        await documents.check_references(engine, journey_id, fields)
        command = RegisterIdea.model_validate({**fields, "journey_id": journey_id, "producer_id": actor.id})
        return _created(await start_journey(engine, journey_id, "register-idea", command, key))

    return await idempotent(request, engine, actor, key, body, work)


@router.post(
    "/import",
    status_code=201,
    response_model=CommandReceipt,
    summary="Import a product certified before the engine (chuyển đổi dữ liệu)",
    responses=problems(*COMMAND),
)
async def import_certified(
    body: ImportCertifiedBody,
    request: Request,
    actor: CurrentActor,
    key: IdempotencyKey,
    engine: EngineDep,
) -> Response:
    """An administrator imports a product certified before the engine existed, with its
    historic certificate; the journey starts CERTIFIED and its expiry timers run."""
    fields = command_fields(body, actor, request)
    access.check_import(
        actor, access.Place(fields["province_code"], fields["commune_code"], fields["district"])
    )
    fields["producer_organisation"] = await journey_organisation(
        engine, actor, fields.get("producer_organisation")
    )
    await _check_imported_producer(
        engine,
        fields["producer_id"],
        access.Place(fields["province_code"], fields["commune_code"], fields["district"]),
    )

    async def work() -> Outcome:
        journey_id = fields["journey_id"] or derived_id(actor.id, key)
        await documents.check_references(engine, journey_id, fields)
        command = ImportCertified.model_validate({**fields, "journey_id": journey_id})
        if command.certificate_number is not None:
            await _check_certificate_number(engine, journey_id, command.certificate_number)
        return _created(await start_journey(engine, journey_id, "import-certified", command, key))

    return await idempotent(request, engine, actor, key, body, work)


async def _check_imported_producer(engine: Engine, producer_id: str, place: access.Place) -> None:
    """The producer (chủ thể) an import names, when it is an actor's id: a producer's account whose
    jurisdiction holds the product, since that account then reads and acts on the journey. An id
    naming no actor (an organisation of the register, or one before it) gives no one access."""
    record = await AccountStore(await engine.pool()).actor(producer_id)
    if record is None:
        return
    jurisdiction = Jurisdiction(kind=JurisdictionKind(record.jurisdiction_kind), value=record.jurisdiction)
    if record.role != Role.PRODUCER.value or not access.covers(jurisdiction, place):
        message = f"actor {producer_id!r} is no producer of the product's commune"
        raise Invalid(message, errors=[FieldError(loc=["body", "producer_id"], msg=message, type="producer")])


async def _check_certificate_number(engine: Engine, journey_id: str, number: str) -> None:
    """A certificate number (số giấy chứng nhận) an import gives is no other product's: the public
    registry finds a certificate by its number alone. The answer names nothing of the holder."""
    holder = await (await engine.pool()).fetchval(
        "SELECT 1 FROM registry_products WHERE certificate_number = $1 AND journey_id <> $2 LIMIT 1",
        number,
        journey_id,
    )
    if holder is not None:
        message = f"certificate number {number!r} is another product's already"
        raise Conflict(message, code="CertificateNumberTaken")


def _cursor(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        padded = text.encode("ascii") + b"=" * (-len(text) % 4)
        after = base64.b64decode(padded, altchars=b"-_", validate=True).decode("utf-8")
        if "\x00" in after:
            raise ValueError("not an id")
        return after
    except (binascii.Error, UnicodeError, ValueError):
        raise Invalid(
            Reason("api.not_a_cursor"),
            errors=[FieldError(loc=["query", "cursor"], msg="not a cursor of this API", type="cursor")],
        ) from None


def _next_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode("utf-8")).decode("ascii").rstrip("=")


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
    wanted: dict[str, Any] = {}
    if province is not None:
        wanted["province_code"] = province
    if commune is not None:
        wanted["commune_code"] = commune
    if level is not None:
        wanted["level"] = level.value
    if state is not None:
        wanted["status"] = state.value
    if stars is not None:
        wanted["certificate"] = {"stars": stars}
        wanted["certificate_expired"] = False
    if round_id is not None:
        wanted["round_id"] = round_id
    if rulebook is not None:
        wanted["rulebook"] = rulebook
    if producer is not None:
        wanted["producer_id"] = producer
    listing = await scoped_journeys(actor, engine, wanted, limit=limit, after_id=_cursor(cursor))
    items = listing.items
    if stars is not None:
        # A revoked certificate stays in the state but is no longer in force.
        items = [item for item in items if item.stars == stars]
    last = listing.last_id if listing.rows == limit else None
    return JourneyPage(items=items, next_cursor=_next_cursor(last) if last is not None else None)


@router.get(
    "/{journey_id}",
    response_model=JourneyState,
    summary="A journey's current state",
    responses=problems(404, *READ),
)
async def get_journey(journey_id: JourneyId, actor: CurrentActor, engine: EngineDep) -> JourneyState:
    """The journey's read model: the fold of its recorded events. While its council evaluation is
    open, a reader who may not see the others' scores yet (see `sealed`) gets who has scored, not what."""
    return visibility.seal_state(actor, await load_journey(engine, actor, journey_id))


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
    journey = await load_journey(engine, actor, journey_id)
    # Up to the state the seal is decided on: an event recorded meanwhile waits for the next read.
    events = [
        event
        for event in await (await engine.events()).read_stream(_stream(journey_id))
        if event.version <= journey.version
    ]
    entries = visibility.seal_history(
        actor,
        journey,
        [
            HistoryEntry(
                version=event.version,
                position=event.position,
                event_id=event.event_id,
                type=event.type,
                data=event.data,
                actor=event.metadata.actor,
                authority=event.metadata.authority,
                reason=event.metadata.reason,
                rulebook=event.metadata.rulebook,
                evidence=event.metadata.evidence,
                recorded_at=event.recorded_at,
                update_id=event.metadata.update_id,
                request_id=event.metadata.request_id,
                prev_hash=event.prev_hash,
                hash=event.hash,
            )
            for event in events
        ],
    )
    return JourneyHistory(journey_id=journey_id, events=entries)


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
    journey = await load_journey(engine, actor, journey_id)
    if as_of is not None:
        try:
            as_of = (as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)).astimezone(UTC)
        except OverflowError:
            # Beyond the calendar once in UTC: after every event (year 9999), or before any (year 1).
            if as_of.year > 1:
                as_of = None
            else:
                raise NotFound(Reason("journeys.no_event_then", journey=journey_id)) from None
    store = await engine.events()
    # Up to the state the seal is decided on: an event recorded meanwhile waits for the next read.
    events = [
        event
        for event in await store.read_stream(_stream(journey_id), as_of=as_of)
        if event.version <= journey.version
    ]
    state = journey_state(events)
    if state is None:
        raise NotFound(
            Reason("journeys.no_event_at", journey=journey_id, at=as_of.isoformat())
            if as_of
            else Reason("journeys.no_event_at_all", journey=journey_id)
        )
    if journey.evaluation is None:
        return state
    # Which evaluation is open now is read from the whole log, not the part up to ``as_of``.
    whole = events if as_of is None else await store.read_stream(_stream(journey_id))
    whole = [event for event in whole if event.version <= journey.version]
    return visibility.seal_state_then(actor, journey, state, visibility.open_since(journey, whole))


@router.get(
    "/{journey_id}/verify",
    response_model=VerificationView,
    summary="Verify a journey's hash chain",
    responses=problems(404, *READ),
)
async def verify_journey(journey_id: JourneyId, actor: CurrentActor, engine: EngineDep) -> VerificationView:
    """Recompute the journey's hash chain: ``ok``, or the first broken link."""
    await load_journey(engine, actor, journey_id)
    report = await verify(await engine.pool(), _stream(journey_id))
    return VerificationView(
        ok=report.ok,
        streams_checked=report.streams_checked,
        events_checked=report.events_checked,
        broken=report.broken,
    )


def _action_endpoint(action: str, body_model: type[Body]) -> Callable[..., Awaitable[Response]]:
    command_type = JOURNEY_ACTIONS[action]

    async def endpoint(
        journey_id: JourneyId,
        body: Body,
        request: Request,
        actor: CurrentActor,
        key: IdempotencyKey,
        engine: EngineDep,
    ) -> Response:
        access.check_action(actor, action)

        async def work() -> Outcome:
            journey = await load_journey(engine, actor, journey_id)
            access.check_act(actor, journey, action)
            fields = command_fields(body, actor, request, journey)
            # Every cited document was uploaded for this journey and not erased (before anything is sent).
            await documents.check_references(engine, journey_id, fields)
            command = command_type.model_validate(fields)
            receipt = await run_action(engine, journey_id, action, command, key)
            return Outcome(200, visibility.seal_receipt(actor, receipt))

        return await idempotent(request, engine, actor, key, body, work)

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
