"""A scene for the notifier's tests: a product in Phường Hạc Thành (Thanh Hóa) with its producer,
officers in and out of its jurisdiction, a council, parties with addresses, and a real SMTP server
(aiosmtpd) on a loopback port that records what it accepts."""

from __future__ import annotations

import socket
import threading
import uuid
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import asyncpg
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from pydantic import BaseModel

from schemas.council import CouncilRoster, Seat, SeatRole
from schemas.events import IdeaRegistered
from schemas.log import Actor, EventMetadata, NewEvent, StreamRef
from store.actors import ActorStore
from store.events import EventStore
from store.notices import NoticeStore
from store.parties import PartyStore

THANH_HOA = 38
HAC_THANH = 14797
OTHER_COMMUNE = 14800
OTHER_PROVINCE = 1
SYSTEM = Actor(id="system", role="system")

ROSTER = CouncilRoster(
    council_id="HD-TH",
    level="province",
    jurisdiction=str(THANH_HOA),
    seats=[
        Seat(member_id="m-chair", role=SeatRole.CHAIR),
        Seat(member_id="m-two", role=SeatRole.MEMBER),
        Seat(member_id="m-conflicted", role=SeatRole.MEMBER),
        Seat(member_id="m-secretary", role=SeatRole.SECRETARY),
    ],
    conflicts=["m-conflicted"],
)

# actor id -> (role, jurisdiction kind, jurisdiction)
ACTORS: dict[str, tuple[str, str, str]] = {
    "producer-1": ("producer", "province", str(THANH_HOA)),
    "commune-1": ("commune_officer", "commune", str(HAC_THANH)),
    "commune-other": ("commune_officer", "commune", str(OTHER_COMMUNE)),
    "province-1": ("provincial_officer", "province", str(THANH_HOA)),
    "province-other": ("provincial_officer", "province", str(OTHER_PROVINCE)),
    "central-1": ("central_officer", "national", "VN"),
    "authority-1": ("recognition_authority", "province", str(THANH_HOA)),
    "admin-1": ("administrator", "national", "VN"),
    "m-chair": ("council_member", "province", str(THANH_HOA)),
    "m-two": ("council_member", "province", str(THANH_HOA)),
    "m-conflicted": ("council_member", "province", str(THANH_HOA)),
    "m-secretary": ("council_member", "province", str(THANH_HOA)),
}


def address(actor_id: str) -> str:
    return f"{actor_id}@thu.example.vn"


@dataclass
class Mailbox:
    """What the SMTP server accepted (thread-safe: aiosmtpd's controller runs in its own thread).

    ``refuse`` maps an address to the reply its RCPT gets (e.g. "550 5.1.1 no such user")."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, addr: str, rcpt_options: list[str]
    ) -> str:
        if addr in self.refuse:
            return self.refuse[addr]
        envelope.rcpt_tos.append(addr)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def received(self) -> list[EmailMessage]:
        with self.lock:
            return list(self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_server(mailbox: Any) -> Controller:
    """aiosmtpd on a loopback port (in its own thread); ``.port`` says which."""
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


async def cast(pool: asyncpg.Pool, *, with_addresses: bool = True) -> None:
    """Every actor of the scene, each linked to a party with an address."""
    actors, parties, notices = ActorStore(pool), PartyStore(pool), NoticeStore(pool)
    for actor_id, (role, kind, where) in ACTORS.items():
        await actors.add(actor_id, role, kind, where)
        if with_addresses:
            party = await parties.add(role, display_name=f"Người {actor_id}", email=address(actor_id))
            await notices.link_party(actor_id, party)


async def record(pool: asyncpg.Pool, stream: StreamRef, *events: BaseModel) -> list[uuid.UUID]:
    """Append ``events`` (domain models) to ``stream`` as the engine stores them."""
    store = EventStore(pool)
    version = await store.stream_version(stream)
    new = [
        NewEvent(
            event_id=uuid.uuid4(),
            type=str(event.type),  # type: ignore[attr-defined]  # every event model has one
            data=event.model_dump(mode="json", exclude={"type"}),
            metadata=EventMetadata(actor=SYSTEM),
        )
        for event in events
    ]
    await store.append(stream, version, new, f"test-{uuid.uuid4()}")
    return [event.event_id for event in new]


def journey(journey_id: str) -> StreamRef:
    return StreamRef(type="journey", id=journey_id)


async def register(pool: asyncpg.Pool, journey_id: str = "J-1", product: str = "Nem chua Thanh Hóa") -> None:
    await record(
        pool,
        journey(journey_id),
        IdeaRegistered(
            journey_id=journey_id,
            producer_id="producer-1",
            product_name=product,
            product_group="food",
            province_code=THANH_HOA,
            commune_code=HAC_THANH,
            rulebook="qd148-1489-2025",
        ),
    )


DAY = date(2026, 3, 2)
