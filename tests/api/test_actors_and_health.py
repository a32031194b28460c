"""Actors (created by administrators, or by ``ocop actor add``), /v1/me, and /health."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx
import structlog
from structlog.testing import capture_logs
from typer.testing import CliRunner

from api.app import create_app
from cli import app as cli_app
from schemas.roles import Role
from settings import Settings, get_settings
from store import create_pool
from store.actors import ActorRecord, ActorStore, token_hash
from tests.api.harness import Api
from tests.factories import HAC_THANH, HOAN_KIEM


async def test_administrators_create_actors_in_their_jurisdiction(api: Api) -> None:
    national = await api.actor(Role.ADMINISTRATOR, "VN", "admin-vn")
    provincial = await api.actor(Role.ADMINISTRATOR, "38", "admin-38")
    officer = await provincial.post(
        "/v1/actors", {"role": "commune_officer", "jurisdiction": str(HAC_THANH), "id": "cb-hac-thanh"}
    )
    assert officer.status_code == 201, officer.text
    created = officer.json()
    assert created["id"] == "cb-hac-thanh"
    assert created["jurisdiction"] == {"kind": "commune", "value": str(HAC_THANH)}
    assert created["created_by"] == "admin-38"
    token = created["token"]
    # Only the token's hash is kept, and the token authenticates.
    stored = await api.pool.fetchval("SELECT token_hash FROM actors WHERE actor_id = 'cb-hac-thanh'")
    assert stored == token_hash(token)
    assert token not in str(await api.pool.fetch("SELECT * FROM actors"))
    me = await api.http.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert (me.json()["id"], me.json()["role"]) == ("cb-hac-thanh", "commune_officer")

    # Outside the administrator's province, or for a non-administrator: refused.
    hanoi = await provincial.post("/v1/actors", {"role": "commune_officer", "jurisdiction": str(HOAN_KIEM)})
    assert hanoi.status_code == 403
    national_auditor = await provincial.post("/v1/actors", {"role": "auditor", "jurisdiction": "VN"})
    assert national_auditor.status_code == 403
    producer = await api.actor(Role.PRODUCER, "38")
    assert (await producer.post("/v1/actors", {"role": "auditor", "jurisdiction": "38"})).status_code == 403
    # Invalid: a role that no actor takes, a jurisdiction that is not one, an id taken.
    for body in (
        {"role": "system", "jurisdiction": "VN"},
        {"role": "provincial_officer", "jurisdiction": "99"},
        {"role": "commune_officer", "jurisdiction": "Huyện Thọ Xuân"},
        {"role": "wizard", "jurisdiction": "VN"},
    ):
        response = await national.post("/v1/actors", body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["errors"]
    taken = await national.post("/v1/actors", {"role": "auditor", "jurisdiction": "VN", "id": "cb-hac-thanh"})
    assert taken.status_code == 409

    # A retry with the same key gets the actor again, without its token (shown once).
    key = "3f1b2c4d-0000-4000-8000-000000000001"
    first = await national.post("/v1/actors", {"role": "auditor", "jurisdiction": "VN"}, key=key)
    again = await national.post("/v1/actors", {"role": "auditor", "jurisdiction": "VN"}, key=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["token"]
    assert again.json()["token"] is None
    assert {**first.json(), "token": None} == again.json()


def test_ocop_actor_add_prints_a_token_once(migrated_database_url: str) -> None:
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            cli_app,
            ["actor", "add", "--role", "administrator", "--jurisdiction", "VN", "--id", "admin-first"],
            env={"OCOP_DATABASE_URL": migrated_database_url, "OCOP_LOG_LEVEL": "WARNING"},
        )
        bad = CliRunner().invoke(
            cli_app,
            ["actor", "add", "--role", "provincial_officer", "--jurisdiction", "VN"],
            env={"OCOP_DATABASE_URL": migrated_database_url, "OCOP_LOG_LEVEL": "WARNING"},
        )
    finally:
        get_settings.cache_clear()
        structlog.reset_defaults()
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()

    async def holder() -> ActorRecord | None:
        pool = await create_pool(migrated_database_url, min_size=1, max_size=1)
        try:
            return await ActorStore(pool).by_token(token)
        finally:
            await pool.close()

    record = asyncio.run(holder())
    assert record is not None
    assert (record.actor_id, record.role, record.jurisdiction_kind) == (
        "admin-first",
        "administrator",
        "national",
    )
    assert bad.exit_code == 2


async def test_health_says_when_the_engine_can_serve(api: Api, store_pool: asyncpg.Pool) -> None:
    ready = await api.http.get("/health")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "temporal": "ok"}}

    # No Temporal at this address: the API still starts, and says why it cannot serve.
    app = create_app(Settings(temporal_address="127.0.0.1:9"), pool=store_pool)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ocop.test") as http,
    ):
        down = await http.get("/health")
        assert down.status_code == 503
        assert down.json()["status"] == "unavailable"
        assert down.json()["checks"]["database"] == "ok"
        assert down.json()["checks"]["temporal"].startswith("temporal:")


async def test_the_access_log_names_the_request_and_the_actor_only(api: Api) -> None:
    producer = await api.actor(Role.PRODUCER, "38")
    with capture_logs() as logs:
        response = await producer.get("/v1/me")
    [line] = [entry for entry in logs if entry["event"] == "request"]
    assert line["request_id"] == response.headers["x-request-id"]
    assert line["actor_id"] == producer.id
    assert (line["route"], line["status"], line["method"]) == ("/v1/me", 200, "GET")
    assert producer.token not in str(logs)
