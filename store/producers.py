"""Producers (chủ thể OCOP): the organisations that own products, and the accounts acting for them.

Every change to a producer's record is recorded on its stream of the decision log
(``producer:<id>``) in the same transaction as the change: the log never says a record changed
that did not, nor the reverse. The events carry ids, codes and the organisation type only; the
organisation's name and registration number are in the ``producers`` table, the representative's
personal details and the address in the erasable ``parties`` table (store/parties.py), so erasing
them on request leaves every hash chain intact.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
import structlog

from schemas.log import Actor, EventMetadata, NewEvent, StreamRef
from schemas.producer import (
    ORGANISATION_TYPE_NAMES,
    OrganisationType,
    ProducerAccountLinked,
    ProducerEvent,
    ProducerRegistered,
    ProducerUpdated,
    ProducerView,
    Representative,
    RepresentativeErased,
    RepresentativeView,
)
from schemas.refusals import Reason
from store.errors import StoreError
from store.events import Connection, EventStore

log = structlog.get_logger(__name__)

PRODUCER_COLUMNS = (
    "producer_id, organisation_type, name, registration_number, province_code, commune_code, party_id, "
    "created_by, created_at, updated_at"
)
# A producer's representative and address live in one party of this kind.
PARTY_KIND = "producer_representative"


class ProducerRefused(StoreError):
    """The change cannot be made (``code`` says why: ProducerExists, RegistrationTaken, ...);
    ``why`` its reason (schemas/refusals.py)."""

    def __init__(self, message: str | Reason, code: str) -> None:
        self.why = message if isinstance(message, Reason) else None
        super().__init__(self.why.message if self.why is not None else message)
        self.code = code


class UnknownProducer(StoreError):
    """No producer has this id; ``why`` its reason (schemas/refusals.py)."""

    def __init__(self, message: str | Reason) -> None:
        self.why = message if isinstance(message, Reason) else None
        super().__init__(self.why.message if self.why is not None else message)


@dataclass(frozen=True)
class ProducerRecord:
    """A producer organisation as stored (without its representative's personal data)."""

    producer_id: str
    organisation_type: str
    name: str
    registration_number: str | None
    province_code: int
    commune_code: int
    party_id: uuid.UUID | None
    created_by: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ProducerFields:
    """What a producer's record holds, as given (``representative`` and ``address`` go to its party)."""

    organisation_type: OrganisationType
    name: str
    registration_number: str | None
    province_code: int
    commune_code: int
    address: str | None = None
    representative: Representative | None = None


async def _version(conn: Connection, producer_id: str) -> int:
    # The producer's row lock (or, for a new producer, its primary key) serializes every writer
    # of this stream: the version read here is the one the append finds.
    return int(
        await conn.fetchval(
            "SELECT version FROM streams WHERE stream_type = 'producer' AND stream_id = $1", producer_id
        )
        or 0
    )


def _party_values(representative: Representative | None, address: str | None) -> tuple[Any, ...]:
    if representative is None:
        return (None, None, None, None, None, None, address)
    return (
        representative.name,
        representative.phone,
        representative.email,
        representative.gender.value if representative.gender is not None else None,
        representative.ethnicity,
        representative.disability,
        address,
    )


class ProducerStore:
    """Enter, change and read producer organisations; link accounts; erase a representative."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.events = EventStore(pool)

    async def _append(
        self, conn: Connection, producer_id: str, event: ProducerEvent, by: Actor, key: str
    ) -> bool:
        """Append ``event`` inside the caller's transaction; True if the key was used before."""
        envelope = NewEvent(
            event_id=uuid.uuid4(),
            type=event.type,
            data=event.model_dump(mode="json", exclude={"type"}, exclude_none=True),
            metadata=EventMetadata(actor=by, update_id=key),
        )
        stream = StreamRef(type="producer", id=producer_id)
        receipt = await self.events.append(
            stream, await _version(conn, producer_id), [envelope], key, connection=conn
        )
        return receipt.replayed

    async def _in_transaction(
        self, producer_id: str, key: str, change: Callable[[Connection], Awaitable[ProducerEvent]], by: Actor
    ) -> bool:
        """Make ``change`` and record its event in one transaction; a replayed key rolls the change
        back (the first request made it). Returns whether it was replayed."""
        async with self.pool.acquire() as conn:
            transaction = conn.transaction()
            await transaction.start()
            try:
                event = await change(conn)
                replayed = await self._append(conn, producer_id, event, by, key)
            except BaseException:
                await transaction.rollback()
                raise
            if replayed:
                await transaction.rollback()
            else:
                await transaction.commit()
        if not replayed:
            log.info("producer_changed", producer_id=producer_id, change=event.type, by=by.id)
        return replayed

    async def register(
        self, producer_id: str, fields: ProducerFields, by: Actor, key: str, *, account: str | None = None
    ) -> ProducerRecord:
        """Enter a producer organisation (and link ``account`` to it, when a producer enters their own)."""

        async def change(conn: Connection) -> ProducerEvent:
            if producer_id != account and await conn.fetchval(
                "SELECT 1 FROM actors WHERE actor_id = $1", producer_id
            ):
                # A journey registered before the register names its producer by the actor's id:
                # an organisation under another's id would pass for that producer's (chủ thể).
                raise ProducerRefused(Reason("producers.actor_id", producer=repr(producer_id)), "ActorId")
            party_id: uuid.UUID | None = None
            if fields.representative is not None or fields.address is not None:
                party_id = uuid.uuid4()
                await conn.execute(
                    """INSERT INTO parties (party_id, kind, display_name, phone, email, gender, ethnicity,
                        disability, address, created_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())""",
                    party_id,
                    PARTY_KIND,
                    *_party_values(fields.representative, fields.address),
                )
            try:
                async with conn.transaction():
                    await conn.execute(
                        """INSERT INTO producers (producer_id, organisation_type, name, registration_number,
                            province_code, commune_code, party_id, created_by)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
                        producer_id,
                        fields.organisation_type.value,
                        fields.name,
                        fields.registration_number,
                        fields.province_code,
                        fields.commune_code,
                        party_id,
                        by.id,
                    )
            except asyncpg.UniqueViolationError as error:
                if error.constraint_name == "producers_registration":
                    raise ProducerRefused(
                        Reason(
                            "producers.registration_taken_in",
                            number=repr(fields.registration_number),
                            province=fields.province_code,
                        ),
                        "RegistrationTaken",
                    ) from None
                raise ProducerRefused(
                    Reason("producers.exists", producer=repr(producer_id)), "ProducerExists"
                ) from None
            if account is not None:
                await self._link(conn, producer_id, account)
            return ProducerRegistered(
                producer_id=producer_id,
                organisation_type=fields.organisation_type,
                province_code=fields.province_code,
                commune_code=fields.commune_code,
                representative=str(party_id) if party_id is not None else None,
            )

        await self._in_transaction(producer_id, key, change, by)
        record = await self.get(producer_id)
        assert record is not None  # just registered (or by the replayed request)
        return record

    async def update(self, producer_id: str, changes: dict[str, Any], by: Actor, key: str) -> ProducerRecord:
        """Change the record: ``changes`` holds the fields given (``representative`` as a
        Representative, ``address`` as text); the event names what changed."""

        async def change(conn: Connection) -> ProducerEvent:
            record = await self._locked(conn, producer_id)
            changed: list[str] = []
            columns = {
                name: changes[name]
                for name in (
                    "organisation_type",
                    "name",
                    "registration_number",
                    "province_code",
                    "commune_code",
                )
                if name in changes and changes[name] != getattr(record, name)
            }
            for name, value in columns.items():
                try:
                    async with conn.transaction():
                        await conn.execute(
                            f"UPDATE producers SET {name} = $2, updated_at = now() WHERE producer_id = $1",
                            producer_id,
                            value.value if isinstance(value, OrganisationType) else value,
                        )
                except asyncpg.UniqueViolationError:
                    raise ProducerRefused(
                        Reason("producers.registration_taken", number=repr(value)), "RegistrationTaken"
                    ) from None
                changed.append(name)
            if "representative" in changes or "address" in changes:
                party_id = record.party_id
                if party_id is None:
                    party_id = uuid.uuid4()
                    await conn.execute(
                        "INSERT INTO parties (party_id, kind, created_at) VALUES ($1, $2, now())",
                        party_id,
                        PARTY_KIND,
                    )
                    await conn.execute(
                        "UPDATE producers SET party_id = $2 WHERE producer_id = $1", producer_id, party_id
                    )
                if "representative" in changes:
                    name, phone, email, gender, ethnicity, disability, _ = _party_values(
                        changes["representative"], None
                    )
                    await conn.execute(
                        """UPDATE parties SET display_name = $2, phone = $3, email = $4, gender = $5,
                            ethnicity = $6, disability = $7, erased_at = NULL WHERE party_id = $1""",
                        party_id,
                        name,
                        phone,
                        email,
                        gender,
                        ethnicity,
                        disability,
                    )
                    changed.append("representative")
                if "address" in changes:
                    await conn.execute(
                        "UPDATE parties SET address = $2 WHERE party_id = $1", party_id, changes["address"]
                    )
                    changed.append("address")
                await conn.execute(
                    "UPDATE producers SET updated_at = now() WHERE producer_id = $1", producer_id
                )
            if not changed:
                raise ProducerRefused(Reason("producers.nothing_changed"), "NothingChanged")
            return ProducerUpdated(
                producer_id=producer_id,
                changed=changed,
                organisation_type=columns.get("organisation_type"),
                province_code=columns.get("province_code"),
                commune_code=columns.get("commune_code"),
            )

        await self._in_transaction(producer_id, key, change, by)
        record = await self.get(producer_id)
        assert record is not None
        return record

    async def link_account(self, producer_id: str, actor_id: str, by: Actor, key: str) -> None:
        """The producer's account ``actor_id`` acts for this organisation from now on."""

        async def change(conn: Connection) -> ProducerEvent:
            await self._locked(conn, producer_id)
            await self._link(conn, producer_id, actor_id)
            return ProducerAccountLinked(producer_id=producer_id, actor_id=actor_id)

        await self._in_transaction(producer_id, key, change, by)

    async def _link(self, conn: Connection, producer_id: str, actor_id: str) -> None:
        found = await conn.fetchrow(
            "SELECT role, jurisdiction_kind, jurisdiction FROM actors WHERE actor_id = $1", actor_id
        )
        if found is None:
            raise ProducerRefused(Reason("accounts.unknown_actor", actor=repr(actor_id)), "UnknownActor")
        role = found["role"]
        if role != "producer":
            raise ProducerRefused(
                Reason("producers.not_a_producer", actor=repr(actor_id), role=role), "NotAProducer"
            )
        place = await conn.fetchrow(
            "SELECT province_code, commune_code FROM producers WHERE producer_id = $1", producer_id
        )
        if place is None or not _holds(found["jurisdiction_kind"], found["jurisdiction"], *place):
            raise ProducerRefused(
                Reason("producers.account_elsewhere", actor=repr(actor_id)),
                "OutsideJurisdiction",
            )
        current = await conn.fetchval(
            "SELECT producer_id FROM producer_accounts WHERE actor_id = $1", actor_id
        )
        if current is not None:
            raise ProducerRefused(
                Reason("producers.account_linked", actor=repr(actor_id), producer=repr(current)),
                "AccountLinked",
            )
        await conn.execute(
            "INSERT INTO producer_accounts (actor_id, producer_id) VALUES ($1, $2)", actor_id, producer_id
        )

    async def erase_representative(self, producer_id: str, by: Actor, key: str) -> bool:
        """Erase the representative's personal data and the address (right to erasure); the events
        keep the party's id only, so every hash chain still verifies. False if there was nothing
        to erase (no representative, or erased already)."""
        erased = False

        async def change(conn: Connection) -> ProducerEvent:
            nonlocal erased
            record = await self._locked(conn, producer_id)
            if record.party_id is None:
                raise ProducerRefused(
                    Reason("producers.no_representative", producer=repr(producer_id)), "NoRepresentative"
                )
            status = await conn.execute(
                """UPDATE parties SET display_name = NULL, phone = NULL, address = NULL, email = NULL,
                    gender = NULL, ethnicity = NULL, disability = NULL, erased_at = now()
                WHERE party_id = $1 AND erased_at IS NULL""",
                record.party_id,
            )
            if status != "UPDATE 1":
                raise ProducerRefused(
                    Reason("producers.erased_already", producer=repr(producer_id)), "ErasedAlready"
                )
            erased = True
            return RepresentativeErased(producer_id=producer_id, representative=str(record.party_id))

        await self._in_transaction(producer_id, key, change, by)
        return erased

    async def _locked(self, conn: Connection, producer_id: str) -> ProducerRecord:
        row = await conn.fetchrow(
            f"SELECT {PRODUCER_COLUMNS} FROM producers WHERE producer_id = $1 FOR UPDATE", producer_id
        )
        if row is None:
            raise UnknownProducer(Reason("producers.unknown", producer=repr(producer_id)))
        return ProducerRecord(**dict(row))

    # -- reads --------------------------------------------------------------------------------

    async def get(self, producer_id: str) -> ProducerRecord | None:
        row = await self.pool.fetchrow(
            f"SELECT {PRODUCER_COLUMNS} FROM producers WHERE producer_id = $1", producer_id
        )
        return ProducerRecord(**dict(row)) if row is not None else None

    async def organisation_of(self, actor_id: str) -> str | None:
        """The producer organisation the account ``actor_id`` acts for, if any."""
        found: str | None = await self.pool.fetchval(
            "SELECT producer_id FROM producer_accounts WHERE actor_id = $1", actor_id
        )
        return found

    async def find(
        self,
        *,
        province_code: int | None = None,
        commune_code: int | None = None,
        producer_ids: Sequence[str] | None = None,
        after_id: str | None = None,
        limit: int = 100,
    ) -> list[ProducerRecord]:
        """Producers by id, filtered by place (and to ``producer_ids`` when given)."""
        rows = await self.pool.fetch(
            f"""SELECT {PRODUCER_COLUMNS} FROM producers
            WHERE ($1::int IS NULL OR province_code = $1) AND ($2::int IS NULL OR commune_code = $2)
              AND ($3::text[] IS NULL OR producer_id = ANY($3)) AND ($4::text IS NULL OR producer_id > $4)
            ORDER BY producer_id COLLATE "C" LIMIT $5""",
            province_code,
            commune_code,
            list(producer_ids) if producer_ids is not None else None,
            after_id,
            limit,
        )
        return [ProducerRecord(**dict(row)) for row in rows]

    async def representative(self, party_id: str) -> tuple[RepresentativeView, str | None] | None:
        """The representative and the address of the party ``party_id`` as they are now (erased:
        every field None), as ``views`` shows them; None if there is no such party."""
        party = await self.pool.fetchrow(
            """SELECT display_name, phone, email, gender, ethnicity, disability, address, erased_at
            FROM parties WHERE party_id = $1::uuid""",
            party_id,
        )
        if party is None:
            return None
        view = RepresentativeView(
            party_id=party_id,
            name=party["display_name"],
            phone=party["phone"],
            email=party["email"],
            gender=party["gender"],
            ethnicity=party["ethnicity"],
            disability=party["disability"],
            erased_at=party["erased_at"],
        )
        return view, party["address"]

    async def views(self, records: Sequence[ProducerRecord], *, personal: bool = True) -> list[ProducerView]:
        """The records as the API shows them, with their representative (``personal``), accounts
        and stream version, in a fixed number of queries."""
        ids = [record.producer_id for record in records]
        parties = {
            row["party_id"]: row
            for row in await self.pool.fetch(
                """SELECT party_id, display_name, phone, email, gender, ethnicity, disability, address,
                    erased_at FROM parties WHERE party_id = ANY($1::uuid[])""",
                [record.party_id for record in records if record.party_id is not None],
            )
        }
        accounts: dict[str, list[str]] = {}
        for row in await self.pool.fetch(
            """SELECT producer_id, actor_id FROM producer_accounts WHERE producer_id = ANY($1::text[])
            ORDER BY actor_id""",
            ids,
        ):
            accounts.setdefault(row["producer_id"], []).append(row["actor_id"])
        versions = {
            row["stream_id"]: row["version"]
            for row in await self.pool.fetch(
                """SELECT stream_id, version FROM streams
                WHERE stream_type = 'producer' AND stream_id = ANY($1::text[])""",
                ids,
            )
        }
        views = []
        for record in records:
            party = parties.get(record.party_id) if record.party_id is not None else None
            representative = None
            if party is not None and personal:
                representative = RepresentativeView(
                    party_id=str(record.party_id),
                    name=party["display_name"],
                    phone=party["phone"],
                    email=party["email"],
                    gender=party["gender"],
                    ethnicity=party["ethnicity"],
                    disability=party["disability"],
                    erased_at=party["erased_at"],
                )
            kind = OrganisationType(record.organisation_type)
            views.append(
                ProducerView(
                    id=record.producer_id,
                    organisation_type=kind,
                    organisation_type_name=ORGANISATION_TYPE_NAMES[kind],
                    name=record.name,
                    registration_number=record.registration_number,
                    province_code=record.province_code,
                    commune_code=record.commune_code,
                    address=party["address"] if party is not None and personal else None,
                    representative=representative,
                    accounts=accounts.get(record.producer_id, []),
                    created_at=record.created_at,
                    updated_at=record.updated_at,
                    version=versions.get(record.producer_id, 0),
                )
            )
        return views


def _holds(kind: str, value: str, province_code: int, commune_code: int) -> bool:
    """True if an actor's jurisdiction (địa bàn) holds an organisation of this province and commune
    (an organisation lies in no district)."""
    return kind == "national" or (kind, value) in {
        ("province", str(province_code)),
        ("commune", str(commune_code)),
    }


async def organisation_names(pool: asyncpg.Pool, producer_ids: Collection[str]) -> dict[str, str]:
    """The organisation names (tên chủ thể) of these producers, for pages and the public registry;
    an unknown id is left out. A name is the organisation's, not a person's detail."""
    if not producer_ids:
        return {}
    rows = await pool.fetch(
        "SELECT producer_id, name FROM producers WHERE producer_id = ANY($1::text[])", list(producer_ids)
    )
    return {row["producer_id"]: row["name"] for row in rows}


async def organisation_types(
    pool: asyncpg.Pool, producer_ids: Collection[str]
) -> dict[str, OrganisationType]:
    """The organisation type of each of these producers; an unknown id is left out."""
    if not producer_ids:
        return {}
    rows = await pool.fetch(
        "SELECT producer_id, organisation_type FROM producers WHERE producer_id = ANY($1::text[])",
        list(producer_ids),
    )
    return {row["producer_id"]: OrganisationType(row["organisation_type"]) for row in rows}
