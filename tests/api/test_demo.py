"""``ocop demo`` against the app in-process (httpx's ASGI transport) with a real worker on the
time-skipping server: what it loads, and that a second run loads nothing again."""

from __future__ import annotations

import re

import httpx

from demo import COUNCIL_ID, PLAN_YEAR, PRODUCTS, RECOGNIZED, ROUND_ID, load_demo, today_in_vietnam
from schemas.roles import Role
from tests.api.harness import Api


async def test_the_demo_loads_a_round_and_a_plan_through_the_api(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "VN", "admin-demo")
    lines: list[str] = []
    summary = await load_demo(api.http, admin.token, lines.append)

    assert not summary.loaded_already
    assert len(summary.journeys) == len(PRODUCTS) == 12
    rows = {row["product_name"]: row for row in summary.results}
    assert set(rows) == {product for product, _, _, _ in PRODUCTS}
    # 74+72+75+73+71+74+72+73 = 584 / 8 = 73.00 -> 4★; 54+56+55+53+57+55+54+56 = 440 / 8 = 55.00 -> 3★
    assert (rows["Nem chua Hạc Thành"]["mean"], rows["Nem chua Hạc Thành"]["stars"]) == ("73.00", 4)
    assert (rows["Bưởi Luận Văn"]["mean"], rows["Bưởi Luận Văn"]["stars"]) == ("55.00", 3)
    assert all(row["next_step"].startswith("recognize") for row in rows.values())

    results = (await admin.get(f"/v1/rounds/{ROUND_ID}/results")).json()
    assert results["published"] is True
    assert results["rows"] == summary.results
    council = (await admin.get(f"/v1/councils/{COUNCIL_ID}")).json()
    assert len(council["council"]["seats"]) == 9
    assert council["workload"]["finalized"] == 12

    plan = summary.progress[PLAN_YEAR]
    assert (plan["total_target"], {row["stars"]: row["target"] for row in plan["by_star"]}) == (
        160,
        {3: 137, 4: 20, 5: 3},
    )
    this_year = summary.progress[today_in_vietnam().year]
    assert this_year["total_new"] == RECOGNIZED
    progress = (await admin.get(f"/v1/plans/38/{today_in_vietnam().year}/progress")).json()
    assert progress == this_year
    assert any("Tokens of the demo's actors" in line for line in lines)
    assert any(f"/v1/rounds/{ROUND_ID}/results" in line for line in lines)
    # The administrator and one person of each kind sign in to the pages with a first password.
    officer = next(p for p in summary.people if p.id == "th-provincial-officer")
    assert officer.password is not None
    assert summary.admin_password is not None
    assert any(officer.id in line and officer.password in line for line in lines)
    for user_name, password in ((officer.id, officer.password), ("admin-demo", summary.admin_password)):
        form = await api.http.get("/signin")
        signed = await api.http.post(
            "/signin",
            data={"user_name": user_name, "password": password, "next": "/", "csrf": _csrf(form.text)},
            headers={"Cookie": _cookie(form)},
        )
        assert (signed.status_code, signed.headers["location"]) == (303, "/account/password?next=%2F")

    # A second run finds the round and records nothing.
    events = await api.event_count()
    again = await load_demo(api.http, admin.token, lines.append)
    assert again.loaded_already
    assert again.results == summary.results
    assert await api.event_count() == events


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _cookie(response: httpx.Response) -> str:
    return "; ".join(raw.split(";", 1)[0] for raw in response.headers.get_list("set-cookie"))
