"""Producers (chủ thể OCOP) over HTTP: who enters, reads and changes them; the representative's
personal data kept out of the log and erased on request with the log still verifying; journeys
naming their organisation; statistics by organisation type."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx
from typer.testing import CliRunner

from cli import app as cli_app
from schemas.roles import Role
from settings import get_settings
from store.verify import verify_all
from tests.api.cast import IDEA
from tests.api.harness import Api, Caller
from tests.factories import HAC_THANH, HOAN_KIEM, THANH_HOA

LAN: dict[str, Any] = {
    "name": "Nguyễn Thị Lan",
    "phone": "0912 345 678",
    "email": "lan.nguyen@example.vn",
    "gender": "female",
    "ethnicity": "Mường",
    "disability": False,
}
ADDRESS = "Thôn Đông, số 12"
PERSONAL: tuple[str, ...] = ("Nguyễn Thị Lan", "0912 345 678", "lan.nguyen@example.vn", "Mường", ADDRESS)


def cooperative(**extra: Any) -> dict[str, Any]:
    return {
        "organisation_type": "cooperative",
        "name": "HTX Nem chua Hạc Thành",
        "registration_number": "2801000123",
        "province_code": THANH_HOA,
        "commune_code": HAC_THANH,
        "address": ADDRESS,
        "representative": LAN,
        **extra,
    }


async def patch(caller: Caller, path: str, body: dict[str, Any]) -> httpx.Response:
    headers = {**caller.auth, "Idempotency-Key": str(uuid.uuid4())}
    return await caller.http.patch(path, headers=headers, json=body)


async def log_text(api: Api) -> str:
    rows = await api.pool.fetch("SELECT data::text AS data, metadata::text AS metadata FROM events")
    return "\n".join(f"{row['data']} {row['metadata']}" for row in rows)


async def test_officers_of_the_commune_and_province_enter_and_read_producers_of_their_jurisdiction(
    api: Api,
) -> None:
    officer = await api.actor(Role.COMMUNE_OFFICER, str(HAC_THANH))
    created = await officer.post("/v1/producers", cooperative(id="htx-nem-chua"))
    assert created.status_code == 201, created.text
    view = created.json()
    assert view["organisation_type_name"] == "Hợp tác xã"
    assert view["representative"]["name"] == LAN["name"]
    assert view["representative"]["gender"] == "female"
    assert view["address"] == ADDRESS
    assert view["version"] == 1

    # The log holds the type and the place, never the representative's details or the address.
    stream = await api.pool.fetch(
        "SELECT type, data FROM events WHERE stream_type = 'producer' AND stream_id = 'htx-nem-chua'"
    )
    assert [row["type"] for row in stream] == ["producer_registered"]
    assert stream[0]["data"]["organisation_type"] == "cooperative"
    text = await log_text(api)
    assert [value for value in PERSONAL if value in text] == []

    province = await api.actor(Role.PROVINCIAL_OFFICER, str(THANH_HOA))
    assert (await province.get("/v1/producers/htx-nem-chua")).status_code == 200
    listed = await province.get("/v1/producers")
    assert [item["id"] for item in listed.json()["items"]] == ["htx-nem-chua"]
    for cursor in ("AA", "!!", "_w"):  # U+0000, not base64, not UTF-8: not a cursor this API gave
        assert (await province.get("/v1/producers", cursor=cursor)).status_code == 422, cursor

    # Another province's agency and another commune's officer see nothing of it, and enter nothing here.
    hanoi = await api.actor(Role.PROVINCIAL_OFFICER, "1")
    assert (await hanoi.get("/v1/producers/htx-nem-chua")).status_code == 403
    assert (await hanoi.get("/v1/producers")).json()["items"] == []
    hoan_kiem = await api.actor(Role.COMMUNE_OFFICER, str(HOAN_KIEM))
    assert (await hoan_kiem.post("/v1/producers", cooperative(registration_number=None))).status_code == 403
    # Auditors read, they enter nothing; a council member does neither.
    auditor = await api.actor(Role.AUDITOR, str(THANH_HOA))
    assert (await auditor.get("/v1/producers/htx-nem-chua")).status_code == 200
    assert (await auditor.post("/v1/producers", cooperative(registration_number=None))).status_code == 403
    member = await api.actor(Role.COUNCIL_MEMBER, str(THANH_HOA))
    assert (await member.get("/v1/producers/htx-nem-chua")).status_code == 403

    # A registration number names one organisation of a province; a commune must be of 2025.
    again = await province.post("/v1/producers", cooperative(name="HTX khác"))
    assert again.status_code == 409
    assert again.json()["code"] == "RegistrationTaken"
    wrong = await province.post(
        "/v1/producers", cooperative(registration_number=None, commune_code=HOAN_KIEM)
    )
    assert wrong.status_code == 422
    tourism_type = await province.post(
        "/v1/producers", cooperative(registration_number=None, organisation_type="no-such-type")
    )
    assert tourism_type.status_code == 422


async def test_a_producer_enters_their_own_organisation_changes_it_and_registers_ideas_for_it(
    api: Api,
) -> None:
    producer = await api.actor(Role.PRODUCER, str(THANH_HOA))
    created = await producer.post("/v1/producers", cooperative(id="htx-cua-toi"))
    assert created.status_code == 201, created.text
    assert created.json()["accounts"] == [producer.id]
    twice = await producer.post("/v1/producers", cooperative(registration_number=None))
    assert twice.status_code == 403  # one organisation an account

    renamed = await patch(producer, "/v1/producers/htx-cua-toi", {"name": "HTX Nem chua Hạc Thành mới"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "HTX Nem chua Hạc Thành mới"
    changes = await api.pool.fetch(
        "SELECT data FROM events WHERE stream_id = 'htx-cua-toi' AND type = 'producer_updated'"
    )
    assert [row["data"]["changed"] for row in changes] == [["name"]]
    unchanged = await patch(producer, "/v1/producers/htx-cua-toi", {"name": "HTX Nem chua Hạc Thành mới"})
    assert (unchanged.status_code, unchanged.json()["code"]) == (409, "NothingChanged")

    neighbour = await api.actor(Role.PRODUCER, str(THANH_HOA))
    assert (await neighbour.get("/v1/producers/htx-cua-toi")).status_code == 403
    assert (await patch(neighbour, "/v1/producers/htx-cua-toi", {"name": "Của tôi"})).status_code == 403
    assert (await neighbour.get("/v1/producers")).json()["items"] == []

    # Its ideas name the organisation its account acts for; naming another is refused.
    idea = await producer.post("/v1/journeys", IDEA)
    assert idea.status_code == 201, idea.text
    assert idea.json()["state"]["producer_organisation"] == "htx-cua-toi"
    other = await producer.post("/v1/journeys", {**IDEA, "producer_organisation": "htx-khac"})
    assert other.status_code == 403
    # A producer with no organisation registers as before, naming none.
    plain = await neighbour.post("/v1/journeys", IDEA)
    assert plain.status_code == 201, plain.text
    assert "producer_organisation" not in plain.json()["state"]

    # An officer links another producer account to the organisation; only a producer's account.
    officer = await api.actor(Role.COMMUNE_OFFICER, str(HAC_THANH))
    second = await api.actor(Role.PRODUCER, str(THANH_HOA))
    linked = await officer.post("/v1/producers/htx-cua-toi/accounts", {"actor_id": second.id})
    assert linked.status_code == 200, linked.text
    assert sorted(linked.json()["accounts"]) == sorted([producer.id, second.id])
    not_producer = await officer.post("/v1/producers/htx-cua-toi/accounts", {"actor_id": officer.id})
    assert not_producer.status_code == 422
    assert (await second.get("/v1/producers/htx-cua-toi")).status_code == 200


async def test_an_import_names_an_organisation_that_exists_in_the_jurisdiction_and_statistics_split_by_type(
    api: Api,
) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, str(THANH_HOA))
    made = await admin.post("/v1/producers", cooperative(id="htx-xua", organisation_type="farm"))
    assert made.status_code == 201, made.text
    today = (await api.env.get_current_time()).date()
    body = {
        "journey_id": "TH-2023-0007",
        "producer_id": "htx-xua",
        "product_name": "Nem chua",
        "product_group": "food",
        "province_code": THANH_HOA,
        "commune_code": HAC_THANH,
        "rulebook_id": "qd148-2023",
        "level": "province",
        "stars": 4,
        "decision_number": "QĐ 7/QĐ-UBND",
        "decision_date": (today - timedelta(days=400)).isoformat(),
    }
    unknown = await admin.post("/v1/journeys/import", {**body, "producer_organisation": "no-such-org"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["body", "producer_organisation"]
    hanoi_admin = await api.actor(Role.ADMINISTRATOR, "VN")
    hanoi_made = await hanoi_admin.post(
        "/v1/producers",
        cooperative(id="htx-ha-noi", registration_number=None, province_code=1, commune_code=HOAN_KIEM),
    )
    assert hanoi_made.status_code == 201
    elsewhere = await admin.post("/v1/journeys/import", {**body, "producer_organisation": "htx-ha-noi"})
    assert elsewhere.status_code == 403
    imported = await admin.post("/v1/journeys/import", {**body, "producer_organisation": "htx-xua"})
    assert imported.status_code == 201, imported.text
    assert imported.json()["state"]["producer_organisation"] == "htx-xua"

    stats = await admin.get("/v1/statistics", province=str(THANH_HOA))
    assert stats.status_code == 200, stats.text
    assert [(row["organisation_type"], row["recognitions"]) for row in stats.json()["rows"]] == [("farm", 1)]


async def test_an_administrator_erases_the_representative_and_the_log_still_verifies(
    api: Api, migrated_database_url: str
) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, str(THANH_HOA))
    officer = await api.actor(Role.COMMUNE_OFFICER, str(HAC_THANH))
    assert (await officer.post("/v1/producers", cooperative(id="htx-xoa"))).status_code == 201
    assert (
        await officer.post("/v1/producers", cooperative(id="htx-cli", registration_number=None))
    ).status_code == 201

    # Only an administrator erases.
    assert (await officer.post("/v1/producers/htx-xoa/erase-representative")).status_code == 403
    erased = await admin.post("/v1/producers/htx-xoa/erase-representative")
    assert erased.status_code == 200, erased.text
    representative = erased.json()["representative"]
    assert representative["erased_at"] is not None
    assert [
        representative[name] for name in ("name", "phone", "email", "gender", "ethnicity", "disability")
    ] == [None] * 6
    assert erased.json()["address"] is None
    again = await admin.post("/v1/producers/htx-xoa/erase-representative")
    assert (again.status_code, again.json()["code"]) == (409, "ErasedAlready")

    # The command line asks for a confirmation (no: nothing erased), or takes --yes.
    def ocop(*args: str, answer: str = "") -> Any:
        get_settings.cache_clear()  # the command reads this test's environment
        return CliRunner().invoke(
            cli_app, list(args), input=answer, env={"OCOP_DATABASE_URL": migrated_database_url}
        )

    declined = await asyncio.to_thread(ocop, "producers", "erase", "htx-cli", answer="n\n")
    assert declined.exit_code == 1, declined.output
    kept = (await admin.get("/v1/producers/htx-cli")).json()["representative"]
    assert kept["name"] == LAN["name"]
    done = await asyncio.to_thread(ocop, "producers", "erase", "htx-cli", "--yes")
    assert done.exit_code == 0, done.output
    assert (await admin.get("/v1/producers/htx-cli")).json()["representative"]["name"] is None
    unknown = await asyncio.to_thread(ocop, "producers", "erase", "no-such-producer", "--yes")
    assert unknown.exit_code == 1

    # Nothing personal is left anywhere in the database; every chain verifies.
    dump = "\n".join(str(dict(row)) for row in await api.pool.fetch("SELECT * FROM parties"))
    assert [value for value in PERSONAL if value in dump] == []
    assert [value for value in PERSONAL if value in await log_text(api)] == []
    report = await verify_all(api.pool)
    assert report.ok, report
    types = await api.pool.fetch(
        "SELECT type FROM events WHERE stream_type = 'producer' AND stream_id = 'htx-xoa' ORDER BY version"
    )
    assert [row["type"] for row in types] == ["producer_registered", "representative_erased"]
    verified = await asyncio.to_thread(ocop, "verify")
    assert verified.exit_code == 0, verified.output
