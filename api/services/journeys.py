"""Product journeys (hành trình sản phẩm OCOP) for a caller: read one, its history, its state as of
a moment, its hash chain; list them; register an idea, import a certified product, take a step.

Reads come from the store's read models and the log, never from Temporal, and every read is sealed
for its reader (``api.visibility``): while a council evaluation is open, a reader who may not see
the other members' scores yet gets who has scored, not what. Commands go to the journey's workflow
as Temporal updates (``api.commands``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from api import access, documents, visibility
from api.access import AccessDenied, Place, Principal, covers
from api.commands import derived_id, run_action, start_journey
from api.engine import Engine
from api.errors import Conflict, Invalid, NotFound
from api.services import Checked
from api.services.cursors import after_id, cursor_for
from api.services.listing import scoped_journeys
from schemas.api import (
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
from schemas.log import Actor, RecordedEvent, StreamRef
from schemas.refusals import Reason
from schemas.roles import Role
from schemas.rulebook import Level
from store import verify
from store.accounts import AccountStore
from store.producers import ProducerStore
from workflows.projection import journey_state


def _stream(journey_id: str) -> StreamRef:
    return StreamRef(type="journey", id=journey_id)


async def load_journey(engine: Engine, actor: Principal, journey_id: str) -> JourneyState:
    """The journey's read model, if the caller may read it (404 unknown, 403 not theirs); not
    sealed (``journey`` seals it)."""
    store = await engine.events()
    raw = await store.get_read_model("journey", journey_id)
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
    body: Body, actor: Principal, request_id: str, journey: JourneyState | None = None
) -> dict[str, Any]:
    """The command's fields: the body's, and what the engine fills in from what it knows: the
    actor, the body they act for (from their role and jurisdiction) and the request id."""
    return {
        **body.model_dump(),
        "actor": Actor(id=actor.id, role=actor.role.value),
        "authority": access.acting_body(actor, journey),
        "request_id": request_id,
    }


async def journey(engine: Engine, reader: Principal, journey_id: str) -> JourneyState:
    """The journey's read model as ``reader`` may see it."""
    return visibility.seal_state(reader, await load_journey(engine, reader, journey_id))


async def history(engine: Engine, reader: Principal, journey_id: str) -> JourneyHistory:
    """Every recorded event of the journey, in order, as ``reader`` may see it: another member's
    scores are withheld (named in ``sealed``) while the evaluation is open; hashes as recorded."""
    state = await load_journey(engine, reader, journey_id)
    store = await engine.events()
    # Up to the state the seal is decided on: an event recorded meanwhile waits for the next read.
    events = [
        event
        for event in await store.read_stream(_stream(journey_id))
        if event.version <= state.version
    ]
    entries = visibility.seal_history(reader, state, [_entry(event) for event in events])
    return JourneyHistory(journey_id=journey_id, events=entries)


def _entry(event: RecordedEvent) -> HistoryEntry:
    return HistoryEntry(
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


async def state_as_of(
    engine: Engine, reader: Principal, journey_id: str, as_of: datetime | None
) -> JourneyState:
    """The state folded from the journey's events recorded up to ``as_of`` (now if None): what was
    known then, sealed as the current state is while the evaluation it shows is still open."""
    current = await load_journey(engine, reader, journey_id)
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
        if event.version <= current.version
    ]
    state = journey_state(events)
    if state is None:
        raise NotFound(
            Reason("journeys.no_event_at", journey=journey_id, at=as_of.isoformat())
            if as_of
            else Reason("journeys.no_event_at_all", journey=journey_id)
        )
    if current.evaluation is None:
        return state
    # Which evaluation is open now is read from the whole log, not the part up to ``as_of``.
    whole = events if as_of is None else await store.read_stream(_stream(journey_id))
    whole = [event for event in whole if event.version <= current.version]
    return visibility.seal_state_then(reader, current, state, visibility.open_since(current, whole))


async def verification(engine: Engine, reader: Principal, journey_id: str) -> VerificationView:
    """The journey's hash chain recomputed: ``ok``, or the first broken link."""
    await load_journey(engine, reader, journey_id)
    report = await verify(await engine.pool(), _stream(journey_id))
    return VerificationView(
        ok=report.ok,
        streams_checked=report.streams_checked,
        events_checked=report.events_checked,
        broken=report.broken,
    )


@dataclass(frozen=True)
class JourneyFilters:
    """What a journey list is narrowed to (each None: any)."""

    province: int | None = None
    commune: int | None = None
    level: Level | None = None
    state: Status | None = None
    stars: int | None = None
    round_id: str | None = None
    rulebook: str | None = None
    producer: str | None = None

    def wanted(self) -> dict[str, Any]:
        """The filters as the JSON the read models must contain."""
        wanted: dict[str, Any] = {}
        if self.province is not None:
            wanted["province_code"] = self.province
        if self.commune is not None:
            wanted["commune_code"] = self.commune
        if self.level is not None:
            wanted["level"] = self.level.value
        if self.state is not None:
            wanted["status"] = self.state.value
        if self.stars is not None:
            wanted["certificate"] = {"stars": self.stars}
            wanted["certificate_expired"] = False
        if self.round_id is not None:
            wanted["round_id"] = self.round_id
        if self.rulebook is not None:
            wanted["rulebook"] = self.rulebook
        if self.producer is not None:
            wanted["producer_id"] = self.producer
        return wanted


async def journey_page(
    engine: Engine, reader: Principal, filters: JourneyFilters, *, cursor: str | None, limit: int
) -> JourneyPage:
    """The journeys ``reader`` may see (their own, their jurisdiction's, or those their councils
    evaluate) that match ``filters``, in id order, ``limit`` at a time after ``cursor``."""
    listing = await scoped_journeys(reader, engine, filters.wanted(), limit=limit, after_id=after_id(cursor))
    items = listing.items
    if filters.stars is not None:
        # A revoked certificate stays in the state but is no longer in force.
        items = [item for item in items if item.stars == filters.stars]
    last = listing.last_id if listing.rows == limit else None
    return JourneyPage(items=items, next_cursor=cursor_for(last) if last is not None else None)


async def journey_organisation(engine: Engine, actor: Principal, given: str | None) -> str | None:
    """The producer organisation a journey being registered or imported names: for a producer,
    the one their account acts for (a body naming another is refused); for an import, the one
    named, which must exist and lie in the administrator's jurisdiction. Never taken on trust."""
    producers = ProducerStore(await engine.pool())
    if actor.role == Role.PRODUCER:
        own = await producers.organisation_of(actor.id)
        if given is not None and given != own:
            raise AccessDenied(Reason("producers.register_own"))
        return own
    if given is None:
        return None
    record = await producers.get(given)
    if record is None:
        message = f"no producer organisation {given!r}"
        raise Invalid(
            message, errors=[FieldError(loc=["body", "producer_organisation"], msg=message, type="unknown")]
        )
    if not covers(actor.jurisdiction, Place(record.province_code, record.commune_code, None)):
        raise AccessDenied(Reason("producers.organisation_outside"))
    return given


async def register_idea(
    engine: Engine, actor: Principal, body: RegisterIdeaBody, request_id: str
) -> Checked[CommandReceipt]:
    """A producer registers a product idea, which starts the product's journey; its id is derived
    from the caller and the key, so a retried registration finds the same journey."""
    fields = command_fields(body, actor, request_id)
    access.check_register(actor, Place(fields["province_code"], fields["commune_code"], fields["district"]))
    fields["producer_organisation"] = await journey_organisation(
        engine, actor, fields.get("producer_organisation")
    )

    async def run(key: uuid.UUID) -> CommandReceipt:
        journey_id = derived_id(actor.id, key)
        await documents.check_references(engine, journey_id, fields)
        command = RegisterIdea.model_validate({**fields, "journey_id": journey_id, "producer_id": actor.id})
        return await start_journey(engine, journey_id, "register-idea", command, key)

    return run


async def import_certified(
    engine: Engine, actor: Principal, body: ImportCertifiedBody, request_id: str
) -> Checked[CommandReceipt]:
    """An administrator imports a product certified before the engine existed, with its historic
    certificate; the journey starts CERTIFIED and its expiry timers run."""
    fields = command_fields(body, actor, request_id)
    place = Place(fields["province_code"], fields["commune_code"], fields["district"])
    access.check_import(actor, place)
    fields["producer_organisation"] = await journey_organisation(
        engine, actor, fields.get("producer_organisation")
    )
    await _check_imported_producer(engine, fields["producer_id"], place)

    async def run(key: uuid.UUID) -> CommandReceipt:
        journey_id = fields["journey_id"] or derived_id(actor.id, key)
        await documents.check_references(engine, journey_id, fields)
        command = ImportCertified.model_validate({**fields, "journey_id": journey_id})
        if command.certificate_number is not None:
            await _check_certificate_number(engine, journey_id, command.certificate_number)
        return await start_journey(engine, journey_id, "import-certified", command, key)

    return run


async def _check_imported_producer(engine: Engine, producer_id: str, place: Place) -> None:
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
    pool = await engine.pool()
    holder = await pool.fetchval(
        "SELECT 1 FROM registry_products WHERE certificate_number = $1 AND journey_id <> $2 LIMIT 1",
        number,
        journey_id,
    )
    if holder is not None:
        message = f"certificate number {number!r} is another product's already"
        raise Conflict(message, code="CertificateNumberTaken")


def take_action(
    engine: Engine, actor: Principal, journey_id: str, action: str, body: Body, request_id: str
) -> Checked[CommandReceipt]:
    """One step (``action``, a slug of ``JOURNEY_ACTIONS``) of a journey that exists, by ``actor``:
    their role may ever give it (checked now); when run, the journey is read with their rights, the
    access policy and the cited documents are checked, then the step goes to the journey's workflow.
    Answers the receipt sealed for the actor."""
    access.check_action(actor, action)
    command_type = JOURNEY_ACTIONS[action]

    async def run(key: uuid.UUID) -> CommandReceipt:
        state = await load_journey(engine, actor, journey_id)
        access.check_act(actor, state, action)
        fields = command_fields(body, actor, request_id, state)
        # Every cited document was uploaded for this journey and not erased (before anything is sent).
        await documents.check_references(engine, journey_id, fields)
        command = command_type.model_validate(fields)
        receipt = await run_action(engine, journey_id, action, command, key)
        return visibility.seal_receipt(actor, receipt)

    return run
