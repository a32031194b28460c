"""Accounts as people use them (issue 12, item 6): an administrator stops actors, rotates tokens
and opens page sign-ins within their jurisdiction; tokens age; every such change is on the
actor's stream of the log, with ids only."""

from __future__ import annotations

import uuid
from typing import Any

from schemas.roles import Role
from tests.api.harness import Api, Caller
from tests.factories import HAC_THANH, HOAN_KIEM


async def _post(
    caller: Caller, path: str, body: object = None, key: str | None = None
) -> tuple[int, dict[str, Any]]:
    response = await caller.post(path, body, key=key)
    return response.status_code, response.json()


async def _actor_stream(api: Api, actor_id: str) -> list[tuple[str, str]]:
    rows = await api.pool.fetch(
        "SELECT type, metadata->'actor'->>'id' AS by FROM events "
        "WHERE stream_type = 'actor' AND stream_id = $1 ORDER BY version",
        actor_id,
    )
    return [(row["type"], row["by"]) for row in rows]


async def test_a_token_past_its_lifetime_gets_401(api: Api) -> None:
    officer = await api.actor(Role.PROVINCIAL_OFFICER, "38")
    assert (await officer.get("/v1/me")).status_code == 200
    # Issued 366 days ago, with the default lifetime of 365 days.
    await api.pool.execute(
        "UPDATE actors SET token_issued_at = now() - interval '366 days' WHERE actor_id = $1", officer.id
    )

    refused = await officer.get("/v1/me")

    assert refused.status_code == 401, refused.text
    assert "expired" in refused.json()["detail"]


async def test_deactivation_refuses_the_token_at_once_and_reactivation_restores_it(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "38", "admin-38")
    officer = await api.actor(Role.COMMUNE_OFFICER, str(HAC_THANH))
    assert (await officer.get("/v1/me")).status_code == 200

    status, stopped = await _post(admin, f"/v1/actors/{officer.id}/deactivate")

    assert status == 200, stopped
    assert stopped["active"] is False
    refused = await officer.get("/v1/me")
    assert refused.status_code == 401
    assert "deactivated" in refused.json()["detail"]
    # A second deactivation is a conflict; the status says so.
    assert (await _post(admin, f"/v1/actors/{officer.id}/deactivate"))[0] == 409
    assert (await admin.get(f"/v1/actors/{officer.id}")).json()["active"] is False

    status, back = await _post(admin, f"/v1/actors/{officer.id}/reactivate")
    assert status == 200
    assert back["active"] is True
    assert (await officer.get("/v1/me")).status_code == 200
    assert await _actor_stream(api, officer.id) == [
        ("actor_deactivated", "admin-38"),
        ("actor_reactivated", "admin-38"),
    ]


async def test_rotation_refuses_the_old_token_and_shows_the_new_one_once(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "VN", "admin-vn")
    auditor = await api.actor(Role.AUDITOR, "VN")
    key = str(uuid.uuid4())

    status, issued = await _post(admin, f"/v1/actors/{auditor.id}/token", key=key)

    assert status == 200, issued
    assert (await auditor.get("/v1/me")).status_code == 401
    fresh = Caller(api.http, auditor.id, auditor.role, issued["token"])
    assert (await fresh.get("/v1/me")).json()["id"] == auditor.id
    # A retry gets the same answer without the token (it is not kept), and rotates nothing.
    status, again = await _post(admin, f"/v1/actors/{auditor.id}/token", key=key)
    assert status == 200
    assert again["token"] is None
    assert (await fresh.get("/v1/me")).status_code == 200
    assert await _actor_stream(api, auditor.id) == [("token_rotated", "admin-vn")]
    assert issued["token"] not in str(await api.pool.fetch("SELECT * FROM events"))
    assert issued["token"] not in str(await api.pool.fetch("SELECT * FROM api_requests"))


async def test_a_rotated_token_lives_from_its_rotation(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "VN")
    officer = await api.actor(Role.PROVINCIAL_OFFICER, "38")
    await api.pool.execute(
        "UPDATE actors SET token_issued_at = now() - interval '400 days' WHERE actor_id = $1", officer.id
    )
    assert (await officer.get("/v1/me")).status_code == 401

    _, issued = await _post(admin, f"/v1/actors/{officer.id}/token")

    renewed = Caller(api.http, officer.id, officer.role, issued["token"])
    assert (await renewed.get("/v1/me")).status_code == 200


async def test_administrators_manage_only_actors_of_their_jurisdiction(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "38")
    hanoi_officer = await api.actor(Role.COMMUNE_OFFICER, str(HOAN_KIEM))
    national_auditor = await api.actor(Role.AUDITOR, "VN")
    officer = await api.actor(Role.PROVINCIAL_OFFICER, "38")
    events_before = await api.event_count()

    for target in (hanoi_officer, national_auditor):
        for action in ("deactivate", "reactivate", "token"):
            assert (await _post(admin, f"/v1/actors/{target.id}/{action}"))[0] == 403, (target.id, action)
        assert (await _post(admin, f"/v1/actors/{target.id}/sign-in", {"user_name": "x"}))[0] == 403
        assert (await admin.get(f"/v1/actors/{target.id}")).status_code == 403
    # Not an administrator: refused, even for an actor of their own province.
    assert (await _post(officer, f"/v1/actors/{admin.id}/deactivate"))[0] == 403
    # Unknown actor: 404; oneself: 409.
    assert (await _post(admin, "/v1/actors/nobody/deactivate"))[0] == 404
    assert (await _post(admin, f"/v1/actors/{admin.id}/deactivate"))[0] == 409

    assert await api.event_count() == events_before
    assert (await hanoi_officer.get("/v1/me")).status_code == 200
    assert (await national_auditor.get("/v1/me")).status_code == 200


async def test_sign_in_and_reset_record_ids_and_no_personal_data(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "38", "admin-38")
    officer = await api.actor(Role.PROVINCIAL_OFFICER, "38")
    user_name = "Nguyễn Thị Hoà"
    key = str(uuid.uuid4())

    status, opened = await _post(admin, f"/v1/actors/{officer.id}/sign-in", {"user_name": user_name}, key)

    assert status == 201, opened
    first = opened["password"]
    assert opened["user_name"] == user_name
    assert len(first) >= 20
    # A retry gets the answer without the password; a second sign-in or a taken name: 409.
    assert (await _post(admin, f"/v1/actors/{officer.id}/sign-in", {"user_name": user_name}, key))[1][
        "password"
    ] is None
    assert (await _post(admin, f"/v1/actors/{officer.id}/sign-in", {"user_name": "other"}))[0] == 409
    other = await api.actor(Role.PROVINCIAL_OFFICER, "38")
    taken = await _post(admin, f"/v1/actors/{other.id}/sign-in", {"user_name": user_name.upper()})
    assert taken[0] == 409
    assert taken[1]["type"].endswith("user-name-taken")
    # Blank or control characters: 422.
    for bad in ("", "   ", "a\nb", " lead"):
        assert (await _post(admin, f"/v1/actors/{other.id}/sign-in", {"user_name": bad}))[0] == 422, bad

    status, reset = await _post(admin, f"/v1/actors/{officer.id}/password-reset", {})
    assert status == 200
    assert reset["password"] not in (None, first)
    assert (await _post(admin, f"/v1/actors/{other.id}/password-reset", {}))[0] == 409  # no sign-in

    assert await _actor_stream(api, officer.id) == [
        ("sign_in_opened", "admin-38"),
        ("password_reset", "admin-38"),
    ]
    log = str(await api.pool.fetch("SELECT data, metadata FROM events"))
    requests = str(await api.pool.fetch("SELECT response_body FROM api_requests"))
    stored_hash = await api.pool.fetchval(
        "SELECT password_hash FROM accounts WHERE actor_id = $1", officer.id
    )
    for secret in (user_name, first, reset["password"], stored_hash):
        assert secret not in log
    for secret in (first, reset["password"]):
        assert secret not in requests
