"""The public registry's API (``/v1/registry``): its read model follows the log (in force, superseded,
revoked, expired, each with its date), searches and look-ups, the open-data export, ETag and 304,
the per-client rate limit (429 with Retry-After), ``ocop rebuild`` of the registry, and that no
public answer holds anyone's personal data.

The products are recorded in a real log (``EventStore.append`` with their read model, as the
recording activity does), each step decided by the journey's own rules on a clock the test sets
(``tests.recognitions.PureJourney``); no Temporal is needed to read the registry.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook
from pydantic import TypeAdapter

from api.app import create_app
from api.services.registry import RegistryItem, RegistryProduct, RegistryResults
from rebuild import rebuild_read_models
from schemas.commands import Command, ImportCertified
from schemas.events import JourneyEvent, event_data
from schemas.journey import JourneyState
from schemas.log import EventMetadata, NewEvent, Snapshot, StreamRef
from schemas.rulebook import Level
from settings import Settings
from store import EventStore, PartyStore
from store.actors import ActorStore
from store.registry import registry_differences
from tests.factories import HAC_THANH, PRODUCER, THANH_HOA, expire_certificate, revoke
from tests.recognitions import ADMINISTRATOR, HANOI, HOAN_KIEM, PureJourney, reapplied
from web.public_urls import public_product_path
from workflows.calendar import local_date
from workflows.places import commune_name, province_name


class LoggedJourney(PureJourney):
    """A pure journey whose every step is also recorded in the log, with its read model."""

    def __init__(self, journey_id: str) -> None:
        super().__init__(journey_id)
        self.steps: list[tuple[JourneyState | None, Command, list[JourneyEvent], JourneyState]] = []
        self.recorded = 0

    def run(self, command: Command) -> list[JourneyEvent]:
        prior = self.state
        events = super().run(command)
        self.steps.append((prior, command, events, self.journey))
        return events

    async def record(self, store: EventStore) -> LoggedJourney:
        """Append the steps not recorded yet, each with the read model it led to."""
        for prior, command, events, state in self.steps[self.recorded :]:
            envelopes = [
                NewEvent(
                    event_id=uuid.uuid4(),
                    type=event.type,
                    data=event_data(event),
                    metadata=EventMetadata(actor=command.actor),
                )
                for event in events
            ]
            snapshot = Snapshot(kind="journey", id=self.journey_id, state=state.model_dump(mode="json"))
            await store.append(
                StreamRef(type="journey", id=self.journey_id),
                prior.version if prior else 0,
                envelopes,
                str(uuid.uuid4()),
                snapshot=snapshot,
            )
        self.recorded = len(self.steps)
        return self


def new_product(
    journey_id: str,
    name: str,
    total: str,
    decided: date,
    *,
    province: int = THANH_HOA,
    commune: int = HAC_THANH,
) -> LoggedJourney:
    """A new product of qd148-1489-2025, accepted a month before ``decided`` and recognized then."""
    accepted = date(decided.year, decided.month - 1, 4)
    driver = LoggedJourney(journey_id)
    driver.at(accepted).register(name, "food", province, commune)
    driver.accept()
    driver.at(date(accepted.year, accepted.month, 20)).evaluate(total)
    driver.at(decided).recognize(decided, f"{journey_id}/QĐ-UBND")
    return driver


def imported_product(journey_id: str, name: str, stars: int, decided: date, today: date) -> LoggedJourney:
    driver = LoggedJourney(journey_id)
    driver.at(today).run(
        ImportCertified(
            actor=ADMINISTRATOR,
            journey_id=journey_id,
            producer_id=PRODUCER.id,
            product_name=name,
            product_group="food",
            province_code=THANH_HOA,
            commune_code=HAC_THANH,
            rulebook_id="qd1048-2019",
            level=Level.PROVINCE,
            stars=stars,
            decision_number=f"{journey_id}/QĐ-UBND",
            decision_date=decided,
        )
    )
    return driver


@dataclass
class Registry:
    """A scene of certified products in the log, and the API's app over it."""

    pool: asyncpg.Pool
    store: EventStore
    http: httpx.AsyncClient
    app: FastAPI
    journeys: dict[str, LoggedJourney]

    def state(self, name: str) -> JourneyState:
        return self.journeys[name].journey


def registry_app(pool: asyncpg.Pool, **settings: int) -> FastAPI:
    return create_app(Settings(**settings), pool=pool)  # type: ignore[arg-type]  # the registry's ints


async def build_scene(store: EventStore) -> dict[str, LoggedJourney]:
    """In force (Thanh Hóa 4★, Hà Nội 3★), superseded (4★ re-evaluated to 3★), revoked, expired."""
    renewed = imported_product("J-RE", "Mắm tép Hà Yên", 4, date(2022, 10, 3), today=date(2025, 8, 1))
    reapplied(renewed, upgrade=False, applied=date(2025, 8, 5), total="60", decided=date(2025, 8, 25))
    journeys = {
        "nem": new_product("J-NEM", "Nem chua Thanh Hóa", "80", date(2025, 9, 15)),
        "hanoi": new_product(
            "J-HN", "Trà sen Hồ Tây", "60", date(2025, 10, 10), province=HANOI, commune=HOAN_KIEM
        ),
        "renewed": renewed,
        "revoked": new_product("J-REV", "Bánh gai Tứ Trụ", "60", date(2025, 9, 20)),
        "expired": imported_product("J-EXP", "Chè lam Phủ Quảng", 3, date(2021, 3, 1), date(2023, 1, 9)),
    }
    journeys["revoked"].at(date(2025, 11, 3)).run(revoke())
    journeys["expired"].at(date(2024, 3, 5)).run(expire_certificate())
    for journey in journeys.values():
        await journey.record(store)
    return journeys


@pytest.fixture
async def scene(store_pool: asyncpg.Pool) -> AsyncIterator[Registry]:
    store = EventStore(store_pool)
    journeys = await build_scene(store)
    app = registry_app(store_pool)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ocop.test") as http:
        yield Registry(store_pool, store, http, app, journeys)


async def product_json(scene: Registry, journey_id: str) -> dict[str, object]:
    response = await scene.http.get(f"/v1/registry/products/{journey_id}")
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


# -- the read model follows the log ----------------------------------------------------------------


async def test_each_certificate_has_its_status_and_the_date_of_it(scene: Registry) -> None:
    nem = await product_json(scene, "J-NEM")
    product = nem["product"]
    assert isinstance(product, dict)
    assert {key: product[key] for key in ("status", "status_on", "stars", "current")} == {
        "status": "in_force",
        "status_on": "2025-09-15",
        "stars": 4,
        "current": True,
    }
    assert product["province_name"] == province_name(THANH_HOA)
    assert product["commune_name"] == commune_name(HAC_THANH)
    assert product["url"] == public_product_path("J-NEM")

    renewed = await product_json(scene, "J-RE")
    certificates = renewed["certificates"]
    assert isinstance(certificates, list)
    assert [(c["stars"], c["status"], c["status_on"], c["current"]) for c in certificates] == [
        (3, "in_force", "2025-08-25", True),
        (4, "superseded", "2025-08-25", False),  # replaced by the re-evaluation's decision
    ]

    revoked = (await product_json(scene, "J-REV"))["product"]
    assert isinstance(revoked, dict)
    # Revoked on the day the revocation was recorded (the log's time, in Vietnam).
    recorded = await scene.pool.fetchval(
        "SELECT recorded_at FROM events WHERE stream_id = 'J-REV' AND type = 'revoked'"
    )
    assert (revoked["status"], revoked["status_on"]) == ("revoked", local_date(recorded).isoformat())

    expired = (await product_json(scene, "J-EXP"))["product"]
    assert isinstance(expired, dict)
    valid_until = scene.state("expired").certificate
    assert valid_until is not None
    assert expired["status"] == "expired"
    assert date.fromisoformat(str(expired["status_on"])) > valid_until.valid_until  # the first day out


async def test_the_record_is_verified_with_its_head_hash(scene: Registry) -> None:
    body = await product_json(scene, "J-NEM")
    verification = body["verification"]
    head = await scene.pool.fetchrow(
        "SELECT version, last_hash FROM streams WHERE stream_type = 'journey' AND stream_id = 'J-NEM'"
    )
    assert head is not None
    assert verification == {
        "ok": True,
        "events_checked": head["version"],
        "head_hash": head["last_hash"],
        "head_version": head["version"],
        "broken": [],
    }


async def test_the_answers_have_the_shapes_the_api_documents(scene: Registry) -> None:
    # The routes write their JSON with orjson; the response models are what OpenAPI shows.
    TypeAdapter(RegistryProduct).validate_python(await product_json(scene, "J-RE"))
    listing = (await scene.http.get("/v1/registry/products")).json()
    assert len(TypeAdapter(RegistryResults).validate_python(listing).items) == 5
    found = await scene.http.get(f"/v1/registry/certificates/{scene.state('nem').certificate.number}")  # type: ignore[union-attr]
    assert TypeAdapter(RegistryItem).validate_python(found.json()).journey_id == "J-NEM"


async def test_a_journey_never_certified_is_not_in_the_registry(scene: Registry) -> None:
    driver = LoggedJourney("J-NEW")
    driver.at(date(2025, 9, 1)).register("Mật ong bạc hà")
    await driver.record(scene.store)
    assert (await scene.http.get("/v1/registry/products/J-NEW")).status_code == 404
    missing = await scene.http.get("/v1/registry/products/J-NONE")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


async def test_a_new_recognition_shows_at_once_and_rebuild_repairs_a_registry_row(scene: Registry) -> None:
    nem = scene.journeys["nem"]
    reapplied(nem, upgrade=False, applied=date(2025, 10, 1), total="60", decided=date(2025, 10, 20))
    await nem.record(scene.store)
    certificates = (await product_json(scene, "J-NEM"))["certificates"]
    assert isinstance(certificates, list)
    assert [(c["stars"], c["status"]) for c in certificates] == [(3, "in_force"), (4, "superseded")]

    assert await registry_differences(scene.pool) == []
    await scene.pool.execute("UPDATE registry_products SET stars = 5 WHERE journey_id = 'J-HN'")
    await scene.pool.execute("DELETE FROM registry_products WHERE journey_id = 'J-EXP'")
    assert await registry_differences(scene.pool) == ["J-EXP", "J-HN"]
    checked = await rebuild_read_models(scene.store, write=False)
    assert {"registry:J-EXP", "registry:J-HN"} <= set(checked.differing)
    await rebuild_read_models(scene.store)
    assert await registry_differences(scene.pool) == []
    hanoi = (await product_json(scene, "J-HN"))["product"]
    assert isinstance(hanoi, dict)
    assert hanoi["stars"] == 3


# -- searches and look-ups -------------------------------------------------------------------------


async def search(scene: Registry, **params: str | int) -> list[str]:
    response = await scene.http.get("/v1/registry/products", params=params)
    assert response.status_code == 200, response.text
    return [f"{item['journey_id']}:{item['status']}" for item in response.json()["items"]]


async def test_searches_filter_by_place_stars_year_and_status(scene: Registry) -> None:
    # Each product once, by its latest certificate, newest decision first.
    assert await search(scene) == [
        "J-HN:in_force", "J-REV:revoked", "J-NEM:in_force", "J-RE:in_force", "J-EXP:expired",
    ]  # fmt: skip
    assert await search(scene, province=HANOI) == ["J-HN:in_force"]
    assert await search(scene, province=THANH_HOA, commune=HAC_THANH, stars=4) == ["J-NEM:in_force"]
    assert await search(scene, year=2021) == ["J-EXP:expired"]
    assert await search(scene, status="superseded") == ["J-RE:superseded"]
    assert await search(scene, status="revoked") == ["J-REV:revoked"]
    assert await search(scene, q="nem chua") == ["J-NEM:in_force"]
    assert await search(scene, q="%") == []  # the name's words, not a pattern
    assert await search(scene, product_group="food", page_size=2) == ["J-HN:in_force", "J-REV:revoked"]
    second = await scene.http.get("/v1/registry/products", params={"page": 2, "page_size": 2})
    assert second.json()["more"] is True
    assert (await scene.http.get("/v1/registry/products", params={"stars": 7})).status_code == 422


async def test_look_up_by_certificate_number_and_by_product_code(scene: Registry) -> None:
    renewed = scene.state("renewed")
    old = renewed.past_certificates[0].number
    assert "/" in old  # a number with slashes, as decisions are numbered
    found = await scene.http.get(f"/v1/registry/certificates/{old}")
    assert found.status_code == 200, found.text
    body = found.json()
    assert (body["status"], body["stars"], body["journey_id"]) == ("superseded", 4, "J-RE")
    assert (await scene.http.get("/v1/registry/certificates/no-such-number")).status_code == 404

    # The product code (QĐ 26/2026: assigned when the commune accepts the dossier) as the read model has it.
    stored = await scene.store.get_read_model("journey", "J-NEM")
    assert stored is not None
    code = "38-14797-001-2025"
    with_code = {**stored, "product_code": code}
    await scene.store.put_read_model("journey", "J-NEM", int(stored["version"]), with_code)
    found = await scene.http.get(f"/v1/registry/product-codes/{code}")
    assert found.status_code == 200, found.text
    assert (found.json()["journey_id"], found.json()["product_code"]) == ("J-NEM", code)
    assert (await scene.http.get("/v1/registry/product-codes/38-14797-999-2025")).status_code == 404


# -- open data ---------------------------------------------------------------------------------------


async def test_the_export_lists_every_certificate_in_csv_and_xlsx(scene: Registry) -> None:
    csv_response = await scene.http.get("/v1/registry/export.csv")
    assert csv_response.status_code == 200
    assert csv_response.headers["content-type"].startswith("text/csv")
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith('"journey_id","product_name"')
    assert len(lines) == 1 + 6  # five products, one of them with a superseded certificate
    assert any('"J-RE"' in line and '"superseded"' in line for line in lines)
    assert any('"J-REV"' in line and '"revoked"' in line for line in lines)

    xlsx = await scene.http.get("/v1/registry/export.xlsx", params={"province": THANH_HOA})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["journey_id", "product_name"]
    assert sorted(str(row[0]) for row in rows[1:]) == ["J-EXP", "J-NEM", "J-RE", "J-RE", "J-REV"]
    assert {row[17] for row in rows[1:]} == {"in_force", "superseded", "revoked", "expired"}


async def test_an_exported_name_a_spreadsheet_could_run_is_text(scene: Registry) -> None:
    driver = new_product("J-EQ", '=HYPERLINK("http://x")', "60", date(2025, 9, 18))
    await driver.record(scene.store)
    text = (await scene.http.get("/v1/registry/export.csv")).content.decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"")"' in text
    xlsx = await scene.http.get("/v1/registry/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).active
    assert sheet is not None
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names


# -- built for crowds ------------------------------------------------------------------------------


async def test_public_reads_carry_an_etag_and_answer_304_until_the_registry_changes(scene: Registry) -> None:
    for path in (
        "/v1/registry/products",
        "/v1/registry/products/J-NEM",
        "/v1/registry/export.csv",
        "/v1/registry/export.xlsx",
    ):
        first = await scene.http.get(path)
        assert first.status_code == 200, path
        etag = first.headers["etag"]
        assert first.headers["cache-control"] == "public, max-age=60", path
        again = await scene.http.get(path, headers={"If-None-Match": etag})
        assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag), path
        assert (await scene.http.get(path, headers={"If-None-Match": '"other"'})).status_code == 200
    listing = await scene.http.get("/v1/registry/products")
    etag = listing.headers["etag"]
    await new_product("J-LATER", "Nước mắm Khúc Phụ", "60", date(2025, 11, 20)).record(scene.store)
    changed = await scene.http.get("/v1/registry/products", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["items"][0]["journey_id"] == "J-LATER"


async def test_a_client_past_its_rate_gets_429_with_retry_after_and_others_are_served(
    store_pool: asyncpg.Pool,
) -> None:
    app = registry_app(store_pool, registry_rate_per_minute=6, registry_rate_burst=3)
    crowd = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("203.0.113.7", 5000)), base_url="http://t"
    )
    other = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("203.0.113.8", 5000)), base_url="http://t"
    )
    async with crowd, other:
        answers = [(await crowd.get("/v1/registry/products")).status_code for _ in range(3)]
        assert answers == [200, 200, 200]
        refused = await crowd.get("/v1/registry/products/J-1")
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["code"] == "TooManyRequests"
        assert 1 <= int(refused.headers["retry-after"]) <= 10  # one request more every 10 s
        page = await crowd.get("/registry")
        assert page.status_code == 429
        assert page.headers["content-type"].startswith("text/html")
        assert int(page.headers["retry-after"]) >= 1
        assert "Quá nhiều yêu cầu" in page.text
        assert (await other.get("/v1/registry/products")).status_code == 200


async def test_the_rate_limiter_refills_at_its_rate() -> None:
    from api.services.registry import RateLimiter

    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=2, max_clients=2, clock=lambda: now[0])
    assert [limiter.take("a"), limiter.take("a")] == [None, None]
    assert limiter.take("a") == 1
    now[0] = 1.0
    assert limiter.take("a") is None
    # Idle clients are forgotten once the table is full; a busy one keeps its count.
    assert limiter.take("b") is None
    now[0] = 2.5  # b's bucket is full again, a's is not (it took one more)
    assert limiter.take("a") is None
    assert limiter.take("c") is None
    assert sorted(limiter._buckets) == ["a", "c"]


async def with_organisation(scene: Registry, journey_id: str, producer_id: str) -> None:
    """The journey's read model naming its producer organisation (as a journey registered for one does)."""
    stored = await scene.store.get_read_model("journey", journey_id)
    assert stored is not None
    named = {**stored, "producer_organisation": producer_id}
    await scene.store.put_read_model("journey", journey_id, int(stored["version"]), named)


async def test_the_producer_organisation_is_named_as_its_record_says_now(scene: Registry) -> None:
    await scene.pool.execute(
        """INSERT INTO producers (producer_id, organisation_type, name, province_code, commune_code,
               created_by) VALUES ('HTX-RE', 'cooperative', 'HTX Mắm tép Hà Yên', $1, $2, 'admin-1')""",
        THANH_HOA,
        HAC_THANH,
    )
    assert (await product_json(scene, "J-RE"))["product"]["producer_name"] is None  # type: ignore[index]
    await with_organisation(scene, "J-RE", "HTX-RE")
    body = await product_json(scene, "J-RE")
    names = [c["producer_name"] for c in body["certificates"]]  # type: ignore[attr-defined]
    assert names == ["HTX Mắm tép Hà Yên", "HTX Mắm tép Hà Yên"]
    await scene.pool.execute("UPDATE producers SET name = 'HTX Thủy sản Hà Yên' WHERE producer_id = 'HTX-RE'")
    renamed = (await scene.http.get("/v1/registry/products", params={"q": "mắm tép"})).json()
    assert renamed["items"][0]["producer_name"] == "HTX Thủy sản Hà Yên"
    assert await registry_differences(scene.pool) == []


# -- no personal data ------------------------------------------------------------------------------

PEOPLE = (
    ("Nguyen Thi Hoa", "0912345678", "hoa.nguyen@example.vn", "12 Le Loi, Hac Thanh"),
    ("Tran Van Binh", "0987654321", "binh.tran@example.vn", "5 Tran Phu, Hoan Kiem"),
    ("Le Minh Chau", "+84 24 3825 1234", "chau.le@example.com", "7 Ba Trieu"),
)


async def public_answers(scene: Registry) -> dict[str, str]:
    """Every public answer of the registry, pages included, as text (the xlsx's cells included)."""
    paths = [
        "/registry",
        "/registry?lang=en",
        "/registry?status=superseded",
        "/registry?province=38",
        "/v1/registry/products",
        "/v1/registry/products?status=superseded",
        "/v1/registry/export.csv",
    ]
    for journey_id in ("J-NEM", "J-HN", "J-RE", "J-REV", "J-EXP"):
        paths += [f"/registry/products/{journey_id}", f"/registry/products/{journey_id}?lang=en"]
        paths.append(f"/v1/registry/products/{journey_id}")
    renewed = scene.state("renewed")
    numbers = [c.number for c in (*renewed.past_certificates, renewed.certificate) if c is not None]
    paths += [f"/v1/registry/certificates/{number}" for number in numbers]
    answers: dict[str, str] = {}
    for path in paths:
        response = await scene.http.get(path)
        assert response.status_code == 200, path
        answers[path] = response.text
    xlsx = await scene.http.get("/v1/registry/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).active
    assert sheet is not None
    cells = [
        " ".join("" if cell is None else str(cell) for cell in row)
        for row in sheet.iter_rows(values_only=True)
    ]
    answers["/v1/registry/export.xlsx"] = "\n".join(cells)
    return answers


async def test_no_public_answer_holds_personal_data_of_the_parties(scene: Registry) -> None:
    parties = PartyStore(scene.pool)
    actors = ActorStore(scene.pool)
    # The products' producer, linked to a party with a name, a phone, an e-mail and an address: what
    # a careless join would show.
    await actors.add(PRODUCER.id, "producer", "province", str(THANH_HOA))
    for index, (name, phone, email, address) in enumerate(PEOPLE):
        party = await parties.add("person", display_name=name, phone=phone, email=email, address=address)
        if index == 0:
            await scene.pool.execute(
                "INSERT INTO actor_parties (actor_id, party_id) VALUES ($1, $2)", PRODUCER.id, party
            )
    # The product's producer organisation, whose representative is a person of the parties table.
    representative = await parties.add(
        "producer_representative", display_name=PEOPLE[1][0], phone=PEOPLE[1][1]
    )
    await scene.pool.execute(
        """INSERT INTO producers (producer_id, organisation_type, name, province_code, commune_code,
               party_id, created_by)
           VALUES ('HTX-NEM', 'cooperative', 'HTX Nem chua Hạc Thành', $1, $2, $3, 'admin-1')""",
        THANH_HOA,
        HAC_THANH,
        representative,
    )
    await with_organisation(scene, "J-NEM", "HTX-NEM")
    answers = await public_answers(scene)
    assert len(answers) > 20
    # The organisation is named (its name is public), its representative never.
    assert "HTX Nem chua Hạc Thành" in answers["/registry/products/J-NEM"]
    assert "HTX Nem chua Hạc Thành" in answers["/v1/registry/export.xlsx"]
    found = [
        f"{path}: {value!r}"
        for path, text in answers.items()
        for person in PEOPLE
        for value in person
        if value.lower() in text.lower()
    ]
    assert found == []
    # Nor the producer's account id (the organisation is named where it is known, never a person).
    assert [path for path, text in answers.items() if PRODUCER.id in text] == []
