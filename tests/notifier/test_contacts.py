"""Where a person's notices go: an administrator links an actor to a party (their contact details)
through the API or ``ocop actor link-contact``, with the language of their e-mails; the notifier
then writes to that address in that language (a real SMTP server, aiosmtpd). The link is recorded
on the actor's stream with the party's id only."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import asyncpg
import httpx
import pytest
from typer.testing import CliRunner

from api.app import create_app
from cli import app as ocop_cli
from notifier.follower import Notifier, NotifierConfig
from notifier.mail import SmtpChannel
from schemas.events import DossierReturned
from settings import Settings
from store.actors import ActorStore
from store.parties import PartyStore
from tests.notifier.scene import DAY, Mailbox, cast, journey, record, register, smtp_server

NAME, EMAIL, PHONE = "Lê Thị Hoa", "hoa.le@htx-hacthanh.vn", "0912 345 678"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    controller = smtp_server(box)
    try:
        yield box, controller.port
    finally:
        controller.stop()


@pytest.fixture
async def http(store_pool: asyncpg.Pool) -> AsyncIterator[httpx.AsyncClient]:
    """The API on the test's database (linking needs no Temporal)."""
    app = create_app(Settings(temporal_address="127.0.0.1:9"), pool=store_pool)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://ocop.test"
    ) as client:
        yield client


async def token_of(pool: asyncpg.Pool, role: str, kind: str, where: str) -> dict[str, str]:
    _, token = await ActorStore(pool).add(f"{role}-{uuid.uuid4().hex[:6]}", role, kind, where)
    return {"Authorization": f"Bearer {token}"}


async def link(
    http: httpx.AsyncClient, headers: dict[str, str], actor_id: str, body: dict[str, Any]
) -> httpx.Response:
    return await http.post(
        f"/v1/actors/{actor_id}/contact", json=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())}
    )


async def returned_dossier_mail(pool: asyncpg.Pool, port: int, box: Mailbox) -> dict[str, Any]:
    """Record a returned dossier of J-1 and deliver its notices; the e-mails, by address."""
    await record(pool, journey("J-1"), DossierReturned(missing_items=["Giấy ATTP"], completion_due=DAY))
    notifier = Notifier(
        pool, SmtpChannel(host="127.0.0.1", port=port, tls="none", timeout=10), NotifierConfig()
    )
    while await notifier.follow_once():
        pass
    while await notifier.deliver_once():
        pass
    return {str(message["To"]): message for message in box.received()}


async def test_an_administrator_links_a_producer_and_their_mail_comes_in_their_language(
    store_pool: asyncpg.Pool, http: httpx.AsyncClient, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    await cast(store_pool, with_addresses=False)
    await register(store_pool)  # J-1, of producer-1 in Phường Hạc Thành
    admin = await token_of(store_pool, "administrator", "national", "VN")

    linked = await link(http, admin, "producer-1", {"display_name": NAME, "email": EMAIL, "language": "en"})
    assert linked.status_code == 200, linked.text
    view = linked.json()
    assert view["actor_id"] == "producer-1"
    assert view["language"] == "en"
    assert view["email_on_file"] is True
    assert EMAIL not in linked.text  # the answer (kept in the request log) names no detail
    party = await PartyStore(store_pool).get(uuid.UUID(view["party_id"]))
    assert party is not None
    assert (party.display_name, party.email, party.kind) == (NAME, EMAIL, "producer")

    # The change is on the actor's stream, with the party's id only.
    [event] = await store_pool.fetch(
        "SELECT data::text AS data, metadata::text AS metadata FROM events WHERE type = 'contact_linked'"
    )
    assert view["party_id"] in event["data"]
    for detail in (NAME, EMAIL):
        assert detail not in event["data"] + event["metadata"]
    kept = await store_pool.fetchval("SELECT string_agg(response_body::text, '') FROM api_requests")
    assert EMAIL not in (kept or "")

    mails = await returned_dossier_mail(store_pool, port, box)
    mail = mails[EMAIL]
    assert mail["Content-Language"] == "en"
    assert mail["Subject"] == "The dossier of «Nem chua Thanh Hóa» needs completing"


async def test_without_a_language_of_their_own_the_mail_is_in_the_engines(
    store_pool: asyncpg.Pool, http: httpx.AsyncClient, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    await cast(store_pool, with_addresses=False)
    await register(store_pool)
    admin = await token_of(store_pool, "administrator", "national", "VN")
    party = await PartyStore(store_pool).add("producer", email=EMAIL)
    linked = await link(http, admin, "producer-1", {"party_id": str(party)})
    assert linked.status_code == 200, linked.text
    assert linked.json()["language"] is None

    mail = (await returned_dossier_mail(store_pool, port, box))[EMAIL]
    assert mail["Content-Language"] == "vi"
    assert mail["Subject"] == "Hồ sơ sản phẩm «Nem chua Thanh Hóa» cần bổ sung"


async def test_a_link_is_refused_outside_the_administrators_jurisdiction_or_when_it_names_no_one(
    store_pool: asyncpg.Pool, http: httpx.AsyncClient
) -> None:
    await cast(store_pool, with_addresses=False)
    admin = await token_of(store_pool, "administrator", "national", "VN")
    producer = await token_of(store_pool, "producer", "province", "38")
    other_province = await token_of(store_pool, "administrator", "province", "1")
    events = await store_pool.fetchval("SELECT count(*) FROM events")

    assert (await link(http, producer, "producer-1", {"email": EMAIL})).status_code == 403
    assert (await link(http, other_province, "producer-1", {"email": EMAIL})).status_code == 403
    unknown = await link(http, admin, "producer-1", {"party_id": str(uuid.uuid4())})
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "UnknownParty"
    for body in ({}, {"display_name": NAME}, {"party_id": str(uuid.uuid4()), "email": EMAIL}):
        assert (await link(http, admin, "producer-1", body)).status_code == 422, body
    assert (await link(http, admin, "producer-1", {"email": "not an address"})).status_code == 422
    assert (await link(http, admin, "no-such-actor", {"email": EMAIL})).status_code == 404
    erased = await PartyStore(store_pool).add("producer", email=EMAIL)
    await PartyStore(store_pool).erase(erased)
    assert (await link(http, admin, "producer-1", {"party_id": str(erased)})).status_code == 422

    assert await store_pool.fetchval("SELECT count(*) FROM events") == events
    assert await store_pool.fetchval("SELECT count(*) FROM actor_parties") == 0
    # No refused request made a party: the only one is the erased party made above.
    assert await store_pool.fetchval("SELECT count(*) FROM parties") == 1


@pytest.fixture
async def producer_url(store_pool: asyncpg.Pool, migrated_database_url: str) -> str:
    await ActorStore(store_pool).add("pm-1", "producer", "province", "38")
    return migrated_database_url


@pytest.mark.usefixtures("fresh_settings_and_logging")
def test_ocop_actor_link_contact(producer_url: str) -> None:
    """At the command line: the details become a party, the language is kept, the change recorded."""
    env = {"OCOP_DATABASE_URL": producer_url, "OCOP_LOG_LEVEL": "WARNING"}
    args = ["actor", "link-contact", "pm-1", "--email", EMAIL, "--phone", PHONE, "--language", "en"]
    done = CliRunner().invoke(ocop_cli, args, env=env)
    assert done.exit_code == 0, done.output
    assert "pm-1: notices go to party" in done.output

    async def read() -> tuple[Any, ...]:
        conn = await asyncpg.connect(producer_url)
        try:
            link = await conn.fetchrow(
                "SELECT p.email, p.phone, l.language FROM actor_parties l JOIN parties p USING (party_id)"
            )
            recorded = await conn.fetchval("SELECT count(*) FROM events WHERE type = 'contact_linked'")
            assert link is not None
            return (*link.values(), recorded)
        finally:
            await conn.close()

    assert asyncio.run(read()) == (EMAIL, PHONE, "en", 1)
    for wrong in (["--language", "fr", "--email", EMAIL], ["--name", NAME], ["--party", "not-a-uuid"]):
        refused = CliRunner().invoke(ocop_cli, ["actor", "link-contact", "pm-1", *wrong], env=env)
        assert refused.exit_code == 2, (wrong, refused.output)
    unknown = CliRunner().invoke(
        ocop_cli, ["actor", "link-contact", "pm-1", "--party", str(uuid.uuid4())], env=env
    )
    assert unknown.exit_code == 1
    assert asyncio.run(read())[-1] == 1  # nothing more recorded
