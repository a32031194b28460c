"""The decision log through the API: the gap-free global feed, and verification that names a
tampered stream."""

from __future__ import annotations

from typing import Any

from schemas.roles import Role
from store import EventStore
from tests.api.cast import make_cast
from tests.api.harness import Api


async def test_the_feed_pages_in_order_without_gaps(api: Api) -> None:
    cast = await make_cast(api)
    for _ in range(3):
        journey_id = await cast.register()
        await cast.commune_officer.act(journey_id, "accept-idea")
    auditor = await api.actor(Role.AUDITOR, "VN")
    seen: list[dict[str, Any]] = []
    after = 0
    while True:
        page = await auditor.get("/v1/events", after=after, limit=4)
        assert page.status_code == 200, page.text
        body = page.json()
        if not body["events"]:
            assert body["next_after"] == after
            break
        seen.extend(body["events"])
        after = body["next_after"]
        assert after == body["events"][-1]["position"]
    positions = [event["position"] for event in seen]
    assert positions == sorted(positions)
    assert positions == list(range(positions[0], positions[0] + len(positions)))
    stored = await EventStore(api.pool).read_all(0, 1000)
    assert [str(event.event_id) for event in stored] == [event["event_id"] for event in seen]
    assert len(seen) == 6
    # The feed spans every journey: national readers only.
    for reader in (cast.provincial_officer, cast.producer, await api.actor(Role.AUDITOR, "38")):
        assert (await reader.get("/v1/events")).status_code == 403
        assert (await reader.get("/v1/verify")).status_code == 403


async def test_verify_reports_intact_then_names_the_tampered_stream(api: Api) -> None:
    cast = await make_cast(api)
    tampered = await cast.register()
    untouched = await cast.register()
    await cast.commune_officer.act(tampered, "accept-idea")
    auditor = await api.actor(Role.AUDITOR, "VN")
    intact = (await auditor.get("/v1/verify")).json()
    assert intact == {"ok": True, "streams_checked": 2, "events_checked": 3, "broken": []}

    async with api.pool.acquire() as conn, conn.transaction():
        await conn.execute("ALTER TABLE events DISABLE TRIGGER events_no_update_delete")
        await conn.execute(
            """UPDATE events SET data = jsonb_set(data, '{product_name}', '"Nem chua giả"')
            WHERE stream_id = $1 AND version = 1""",
            tampered,
        )
        await conn.execute("ALTER TABLE events ENABLE TRIGGER events_no_update_delete")

    report = (await auditor.get("/v1/verify")).json()
    assert report["ok"] is False
    assert report["broken"] == [
        {
            "stream": {"type": "journey", "id": tampered},
            "version": 1,
            "kind": "edited",  # what broke, as a code a reader's page words
            "problem": report["broken"][0]["problem"],
        }
    ]
    one = (await auditor.get(f"/v1/journeys/{tampered}/verify")).json()
    assert (one["ok"], one["broken"][0]["version"]) == (False, 1)
    assert (await auditor.get(f"/v1/journeys/{untouched}/verify")).json()["ok"] is True
