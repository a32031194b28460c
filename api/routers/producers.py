"""Producers (chủ thể OCOP): enter, read, list and change producer organisations, link the
producers' accounts to them, and erase a representative's personal data on request.

Who may: the commune officer of the producer's commune, the provincial OCOP agency (provincial
officer) and administrators whose jurisdiction holds it, and the producer's own accounts (linked to
their organisation); auditors and central officers of the jurisdiction read. Only an administrator
erases a representative's personal data.
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, File, Path, Query, Response, UploadFile
from fastapi.responses import JSONResponse

from api.access import AccessDenied, Place, Principal, covers
from api.commands import derived_id, start_journey
from api.deps import CurrentActor, EngineDep, Idempotent
from api.engine import Engine
from api.errors import ApiError, Conflict, Invalid, NotFound
from api.idempotency import Outcome, Refill
from api.routers.common import COMMAND, READ, problems
from api.services.cursors import after_id, cursor_for
from schemas.api import FieldError
from schemas.commands import ImportCertified
from schemas.errors import DomainError
from schemas.journey import CommandReceipt
from schemas.log import Actor
from schemas.producer import (
    PRODUCER_ID_PATTERN,
    LinkAccount,
    NewProducer,
    ProducerChange,
    ProducerPage,
    ProducerView,
    RepresentativeView,
)
from schemas.refusals import Reason
from schemas.roles import Role
from store import stock_import
from store.producers import ProducerFields, ProducerRecord, ProducerRefused, ProducerStore, UnknownProducer
from store.stock_import import StockReport
from workflows import places

log = structlog.get_logger(__name__)
router = APIRouter(prefix="/v1/producers", tags=["producers"])

# Who enters and changes producers of their jurisdiction (besides the producer's own accounts).
MANAGERS = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCIAL_OFFICER, Role.ADMINISTRATOR})
# Who reads them (besides the producer's own accounts).
READERS = MANAGERS | {Role.AUDITOR, Role.CENTRAL_OFFICER}

ProducerId = Annotated[
    str,
    Path(pattern=PRODUCER_ID_PATTERN, description="The producer's id.", examples=["htx-nem-chua-vinh-loc"]),
]


# -- access (pure) ----------------------------------------------------------------------------


def _place(province_code: int, commune_code: int) -> Place:
    return Place(province_code, commune_code, None)


def check_read_producer(principal: Principal, record: ProducerRecord, own: str | None) -> None:
    """May ``principal`` read ``record``? ``own``: the organisation their account acts for."""
    if principal.role == Role.PRODUCER:
        if own != record.producer_id:
            raise AccessDenied(Reason("producers.own_organisation"))
        return
    if principal.role not in READERS:
        raise AccessDenied(Reason("producers.no_reading", role=principal.role))
    if not covers(principal.jurisdiction, _place(record.province_code, record.commune_code)):
        raise AccessDenied(Reason("producers.outside"))


def check_manage_producer(principal: Principal, place: Place, own: bool) -> None:
    """May ``principal`` enter or change a producer at ``place``? ``own``: it is (or, entering
    it, will be) the organisation their producer account acts for."""
    if principal.role == Role.PRODUCER:
        if not own:
            raise AccessDenied(Reason("producers.change_own"))
        if not covers(principal.jurisdiction, place):
            raise AccessDenied(Reason("producers.enter_own_place"))
        return
    if principal.role not in MANAGERS:
        raise AccessDenied(Reason("producers.managers", role=principal.role))
    if not covers(principal.jurisdiction, place):
        raise AccessDenied(Reason("producers.outside"))


def check_erase_representative(principal: Principal, record: ProducerRecord) -> None:
    """Only an administrator whose jurisdiction holds the producer erases its representative."""
    if principal.role != Role.ADMINISTRATOR:
        raise AccessDenied(Reason("producers.erase"))
    if not covers(principal.jurisdiction, _place(record.province_code, record.commune_code)):
        raise AccessDenied(Reason("producers.outside"))


# -- helpers ----------------------------------------------------------------------------------


def _by(actor: Principal) -> Actor:
    return Actor(id=actor.id, role=actor.role.value)


def _check_place(province_code: int, commune_code: int) -> None:
    try:
        places.check_commune(province_code, commune_code)
    except DomainError as error:
        raise Invalid(
            error.why or error.message,
            errors=[FieldError(loc=["body", "commune_code"], msg=error.message, type="commune")],
        ) from None


def _refused(error: ProducerRefused | UnknownProducer) -> ApiError:
    if isinstance(error, UnknownProducer):
        return NotFound(error.why or str(error))
    if error.code in {"UnknownActor", "NotAProducer", "OutsideJurisdiction"}:
        return Invalid(
            error.why or str(error),
            errors=[FieldError(loc=["body", "actor_id"], msg=str(error), type=error.code)],
        )
    return Conflict(error.why or str(error), code=error.code)


async def _readable(
    engine: Engine, actor: Principal, producer_id: str
) -> tuple[ProducerStore, ProducerRecord]:
    producers = ProducerStore(await engine.pool())
    record = await producers.get(producer_id)
    if record is None:
        raise NotFound(Reason("producers.unknown", producer=repr(producer_id)))
    own = await producers.organisation_of(actor.id) if actor.role == Role.PRODUCER else None
    check_read_producer(actor, record, own)
    return producers, record


async def _view(producers: ProducerStore, record: ProducerRecord) -> ProducerView:
    return (await producers.views([record]))[0]


def _answer(status: int, view: ProducerView, headers: dict[str, str] | None = None) -> Outcome:
    """A producer's answer; the request log keeps it without the representative's personal data
    and the address (erasable, the parties table holds them), which a replay reads anew."""
    representative = view.representative
    if representative is not None:
        representative = RepresentativeView(
            party_id=representative.party_id,
            name=None,
            phone=None,
            email=None,
            gender=None,
            ethnicity=None,
            disability=None,
            erased_at=None,
        )
    kept = view.model_copy(update={"address": None, "representative": representative})
    return Outcome(status, view, headers=headers, kept_body=kept)


def _refill(producers: ProducerStore) -> Refill:
    async def refill(kept: bytes) -> bytes:
        view = ProducerView.model_validate_json(kept)
        if view.representative is None:
            return kept
        found = await producers.representative(view.representative.party_id)
        if found is None:
            return kept
        representative, address = found
        view = view.model_copy(update={"address": address, "representative": representative})
        return bytes(JSONResponse(view.model_dump(mode="json")).body)

    return refill


# -- routes -----------------------------------------------------------------------------------


@router.post(
    "",
    status_code=201,
    response_model=ProducerView,
    summary="Enter a producer organisation (chủ thể OCOP)",
    responses=problems(*COMMAND),
)
async def create_producer(body: NewProducer, once: Idempotent) -> Response:
    """A commune officer, the provincial agency or an administrator enters a producer of their
    jurisdiction; a producer enters their own organisation, and their account is linked to it."""
    actor, engine, key = once.actor, once.engine, once.key
    _check_place(body.province_code, body.commune_code)
    producers = ProducerStore(await engine.pool())
    if actor.role == Role.PRODUCER and await producers.organisation_of(actor.id) is not None:
        raise AccessDenied(Reason("producers.one_organisation"))
    check_manage_producer(actor, _place(body.province_code, body.commune_code), own=True)

    async def work() -> Outcome:
        producer_id = body.id or derived_id(actor.id, key)
        fields = ProducerFields(
            organisation_type=body.organisation_type,
            name=body.name,
            registration_number=body.registration_number,
            province_code=body.province_code,
            commune_code=body.commune_code,
            address=body.address,
            representative=body.representative,
        )
        account = actor.id if actor.role == Role.PRODUCER else None
        try:
            record = await producers.register(producer_id, fields, _by(actor), str(key), account=account)
        except (ProducerRefused, UnknownProducer) as error:
            raise _refused(error) from None
        return _answer(201, await _view(producers, record), {"Location": f"/v1/producers/{producer_id}"})

    return await once(body, work, refill=_refill(producers))


@router.get("", response_model=ProducerPage, summary="List producer organisations", responses=problems(*READ))
async def list_producers(
    actor: CurrentActor,
    engine: EngineDep,
    province: Annotated[int | None, Query(ge=1, le=999, description="Province code (mã tỉnh).")] = None,
    commune: Annotated[int | None, Query(ge=1, le=99999, description="Commune code (mã xã).")] = None,
    cursor: Annotated[str | None, Query(max_length=400, description="From the previous page.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ProducerPage:
    """The producers the caller may read, by id: those of their jurisdiction (a producer: their own)."""
    producers = ProducerStore(await engine.pool())
    only: list[str] | None = None
    if actor.role == Role.PRODUCER:
        own = await producers.organisation_of(actor.id)
        only = [own] if own is not None else []
    elif actor.role not in READERS:
        raise AccessDenied(Reason("producers.no_reading", role=actor.role))
    else:
        scope = actor.jurisdiction
        if scope.kind.value == "province":
            if province is not None and str(province) != scope.value:
                return ProducerPage(items=[])
            province = int(scope.value)
        elif scope.kind.value == "commune":
            if commune is not None and str(commune) != scope.value:
                return ProducerPage(items=[])
            commune = int(scope.value)
        elif scope.kind.value == "district":
            return ProducerPage(items=[])  # a district officer's producers carry no district
    records = await producers.find(
        province_code=province,
        commune_code=commune,
        producer_ids=only,
        after_id=after_id(cursor),
        limit=limit + 1,
    )
    page = records[:limit]
    last = page[-1].producer_id if len(records) > limit else None
    return ProducerPage(
        items=await producers.views(page),
        next_cursor=cursor_for(last) if last else None,
    )


@router.get(
    "/{producer_id}",
    response_model=ProducerView,
    summary="A producer organisation",
    responses=problems(*READ, 404),
)
async def get_producer(producer_id: ProducerId, actor: CurrentActor, engine: EngineDep) -> ProducerView:
    """The organisation, its representative (personal data: its readers only) and its accounts."""
    producers, record = await _readable(engine, actor, producer_id)
    return await _view(producers, record)


@router.patch(
    "/{producer_id}",
    response_model=ProducerView,
    summary="Change a producer organisation",
    responses=problems(*COMMAND),
)
async def update_producer(producer_id: ProducerId, body: ProducerChange, once: Idempotent) -> Response:
    """Change the fields given; the producer's stream records which changed (never personal values)."""
    actor, engine, key = once.actor, once.engine, once.key
    producers, record = await _readable(engine, actor, producer_id)
    own = actor.role == Role.PRODUCER  # _readable let a producer through for their own only
    check_manage_producer(actor, _place(record.province_code, record.commune_code), own=own)
    changes: dict[str, Any] = {name: getattr(body, name) for name in body.model_fields_set}
    province = changes.get("province_code", record.province_code)
    commune = changes.get("commune_code", record.commune_code)
    if {"province_code", "commune_code"} & changes.keys():
        _check_place(province, commune)
        check_manage_producer(actor, _place(province, commune), own=own)  # it stays in the caller's area

    async def work() -> Outcome:
        try:
            updated = await producers.update(producer_id, changes, _by(actor), str(key))
        except (ProducerRefused, UnknownProducer) as error:
            raise _refused(error) from None
        return _answer(200, await _view(producers, updated))

    return await once(body, work, refill=_refill(producers))


@router.post(
    "/{producer_id}/accounts",
    response_model=ProducerView,
    summary="Link a producer's account to the organisation",
    responses=problems(*COMMAND),
)
async def link_account(producer_id: ProducerId, body: LinkAccount, once: Idempotent) -> Response:
    """The commune officer, the provincial agency or an administrator of the producer's place
    links a producer account (an actor of role producer) to the organisation it acts for."""
    actor, engine, key = once.actor, once.engine, once.key
    producers, record = await _readable(engine, actor, producer_id)
    if actor.role == Role.PRODUCER:
        raise AccessDenied(Reason("producers.link_accounts"))
    check_manage_producer(actor, _place(record.province_code, record.commune_code), own=False)

    async def work() -> Outcome:
        try:
            await producers.link_account(producer_id, body.actor_id, _by(actor), str(key))
        except (ProducerRefused, UnknownProducer) as error:
            raise _refused(error) from None
        return _answer(200, await _view(producers, record))

    return await once(body, work, refill=_refill(producers))


@router.post(
    "/{producer_id}/erase-representative",
    response_model=ProducerView,
    summary="Erase the representative's personal data (xóa dữ liệu cá nhân)",
    responses=problems(*COMMAND),
)
async def erase_representative(producer_id: ProducerId, once: Idempotent) -> Response:
    """An administrator erases the representative's name, phone, e-mail, gender, ethnicity,
    disability and the address on request. The log keeps the party's id only, so it still verifies."""
    actor, engine, key = once.actor, once.engine, once.key
    producers, record = await _readable(engine, actor, producer_id)
    check_erase_representative(actor, record)

    async def work() -> Outcome:
        try:
            await producers.erase_representative(producer_id, _by(actor), str(key))
        except (ProducerRefused, UnknownProducer) as error:
            raise _refused(error) from None
        return _answer(200, await _view(producers, record))

    return await once(None, work, refill=_refill(producers))


# -- the stock from a province's spreadsheet --------------------------------------------------


def _stock_province(actor: Principal, province: int | None) -> int:
    """The province whose sheet it is: the administrator's own, or the one named (national)."""
    if actor.role != Role.ADMINISTRATOR:
        raise AccessDenied(Reason("producers.import_stock"))
    if actor.jurisdiction.kind.value == "national":
        if province is None:
            raise Invalid(
                Reason("producers.sheet_province"),
                errors=[
                    FieldError(
                        loc=["query", "province"], msg="required for a national administrator", type="missing"
                    )
                ],
            )
        return province
    if actor.jurisdiction.kind.value == "province":
        if province is not None and str(province) != actor.jurisdiction.value:
            raise AccessDenied(Reason("producers.sheet_outside"))
        return int(actor.jurisdiction.value)
    raise AccessDenied(Reason("producers.stock_importer"))


@router.post(
    "/import",
    response_model=StockReport,
    summary="Import the stock of certified products from a province's Excel sheet",
    responses=problems(401, 403, 413, 422, 503),
)
async def import_stock_sheet(
    actor: CurrentActor,
    engine: EngineDep,
    file: Annotated[UploadFile, File(description="The province's sheet (.xlsx).")],
    dry_run: Annotated[bool, Query(description="Check every row and report, import nothing.")] = False,
    province: Annotated[
        int | None, Query(ge=1, le=999, description="The sheet's province (national only).")
    ] = None,
) -> StockReport:
    """An administrator uploads the province's sheet; the dry run lists every row it would refuse
    and why (row, column, value, in Vietnamese). The import creates the producers and imports each
    product as the import of one certified product does; a second upload imports nothing again
    (each row's journey id comes from what the row says)."""
    province_code = _stock_province(actor, province)
    data = await file.read()
    try:
        places.province_name(province_code)
        rows = await asyncio.to_thread(stock_import.read_stock, data)
    except stock_import.StockFileError as error:
        raise Invalid(
            str(error), errors=[FieldError(loc=["body", "file"], msg=str(error), type="xlsx")]
        ) from None
    except DomainError as error:
        raise Invalid(
            error.message, errors=[FieldError(loc=["query", "province"], msg=error.message, type="province")]
        ) from None
    by = _by(actor)
    # Checking is pure and CPU-bound (a sheet of thousands of rows): off the event loop.
    plan = await asyncio.to_thread(
        functools.partial(
            stock_import.check_stock,
            rows,
            province_code=province_code,
            actor=by,
            covers=lambda p, c: covers(actor.jurisdiction, _place(p, c)),
            now=datetime.now(UTC),
        )
    )

    async def start(journey_id: str, command: ImportCertified, key: uuid.UUID) -> CommandReceipt:
        return await start_journey(engine, journey_id, "import-certified", command, key)

    return await stock_import.import_stock(
        await engine.pool(),
        plan,
        start,
        by,
        dry_run=dry_run,
        # A long import's progress in the API's log (counts only: no row's content).
        progress=lambda line: log.info("stock_import_progress", province=province_code, progress=line),
    )
