"""GET /v1/journeys: filters and cursor pagination."""

from __future__ import annotations

from typing import Any

from tests.api.cast import make_cast
from tests.api.harness import Api


async def test_journeys_page_by_cursor_and_filter(api: Api) -> None:
    cast = await make_cast(api)
    ids = sorted([await cast.register() for _ in range(5)])
    await cast.commune_officer.act(ids[0], "accept-idea")
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = (await cast.provincial_officer.get("/v1/journeys", **params)).json()
        seen.extend(item["journey_id"] for item in page["items"])
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == ids
    accepted = (await cast.provincial_officer.get("/v1/journeys", state="PLAN_PENDING")).json()
    assert [item["journey_id"] for item in accepted["items"]] == [ids[0]]
    assert (await cast.provincial_officer.get("/v1/journeys", province=1)).json()["items"] == []
    producer = cast.producer
    mine = (await producer.get("/v1/journeys", producer=producer.id, rulebook="qd26-2026")).json()
    assert len(mine["items"]) == 5
    assert (await cast.provincial_officer.get("/v1/journeys", level="province")).json()["items"] == []
