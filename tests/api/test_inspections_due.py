"""GET /v1/inspections/due: the certified products whose periodic inspection is due (qd26-2026 Art.
9.2.a, the interval the rulebook's programme setting), computed from the read models — scoped by
the caller's jurisdiction like the journey lists, filtered by commune and stars, paged, and moved on
by a recorded inspection. Certificates of older rulebooks never appear."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from schemas.roles import Role
from schemas.rulebooks import get_rulebook
from tests.api.cast import upload_pdf
from tests.api.harness import Api, Caller
from tests.factories import HAC_THANH, HOAN_KIEM, OTHER_PROVINCE, THANH_HOA
from workflows.calendar import local_date

QUANG_PHU = 16522  # Phường Quảng Phú, Thanh Hóa
_RULES = get_rulebook("qd26-2026").inspection
assert _RULES is not None
assert _RULES.periodic_interval_days is not None
INTERVAL = _RULES.periodic_interval_days


def _imported(
    journey_id: str, producer: Caller, decided: date, *, province: int = THANH_HOA, commune: int = HAC_THANH,
    stars: int = 4, rulebook: str = "qd26-2026", name: str = "Nem chua Thanh Hóa",
) -> dict[str, Any]:  # fmt: skip
    return {
        "journey_id": journey_id,
        "producer_id": producer.id,
        "product_name": name,
        "product_group": "food",
        "province_code": province,
        "commune_code": commune,
        "rulebook_id": rulebook,
        "level": "province",
        "stars": stars,
        "decision_number": f"QĐ {journey_id}/QĐ-UBND",
        "decision_date": decided.isoformat(),
    }


def _ids(page: dict[str, Any]) -> list[str]:
    return [item["journey_id"] for item in page["items"]]


async def _due(caller: Caller, **params: Any) -> dict[str, Any]:
    response = await caller.get("/v1/inspections/due", **params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def test_the_agency_lists_its_provinces_products_due_an_inspection_and_no_other_provinces(
    api: Api,
) -> None:
    thanh_hoa_admin = await api.actor(Role.ADMINISTRATOR, str(THANH_HOA))
    hanoi_admin = await api.actor(Role.ADMINISTRATOR, str(OTHER_PROVINCE))
    producer = await api.actor(Role.PRODUCER, str(THANH_HOA))
    hanoi_producer = await api.actor(Role.PRODUCER, str(OTHER_PROVINCE))
    agency = await api.actor(Role.PROVINCIAL_OFFICER, str(THANH_HOA))
    hanoi_agency = await api.actor(Role.PROVINCIAL_OFFICER, str(OTHER_PROVINCE))
    # Recognized 100 days ago (under qd26-2026, in force from 2026-05-22): due in 265 days.
    recognized = local_date(datetime.now(UTC)) - timedelta(days=100)
    products = [
        (thanh_hoa_admin, _imported("TH-DUE-A", producer, recognized)),
        (thanh_hoa_admin, _imported("TH-DUE-B", producer, recognized + timedelta(days=20), commune=QUANG_PHU,
                                    stars=3, name="Chè lam Thọ Xuân")),
        (thanh_hoa_admin, _imported("TH-OLD", producer, date(2025, 6, 1), rulebook="qd148-2023")),
        (hanoi_admin, _imported("HN-DUE", hanoi_producer, recognized, province=OTHER_PROVINCE,
                                commune=HOAN_KIEM, name="Ô mai Hàng Đường")),
    ]  # fmt: skip
    for admin, body in products:
        response = await admin.post("/v1/journeys/import", body)
        assert response.status_code == 201, response.text

    ahead = {"within_days": 300}  # both Thanh Hóa products fall due within 300 days
    page = await _due(agency, **ahead)
    assert _ids(page) == ["TH-DUE-A", "TH-DUE-B"]  # the earliest due first; never the qd148 one
    first = page["items"][0]
    assert first["due_on"] == (recognized + timedelta(days=INTERVAL)).isoformat()
    assert (first["counted_from"], first["recognized_on"], first["last_inspected_on"]) == (
        "recognition",
        recognized.isoformat(),
        None,
    )
    assert (first["province_name"], first["commune_name"], first["product_name"]) == (
        "Thanh Hóa",
        "Phường Hạc Thành",
        "Nem chua Thanh Hóa",
    )
    as_of = date.fromisoformat(page["as_of"])
    assert first["days_overdue"] == (as_of - date.fromisoformat(first["due_on"])).days == -265
    assert first["flagged"] is False

    # Scope: another province's products are not listed, even when asked for by its code.
    assert _ids(await _due(agency, province=OTHER_PROVINCE, **ahead)) == []
    assert _ids(await _due(hanoi_agency, **ahead)) == ["HN-DUE"]
    assert _ids(await _due(hanoi_agency, province=THANH_HOA, **ahead)) == []
    # Filters and pages.
    assert _ids(await _due(agency, commune=QUANG_PHU, **ahead)) == ["TH-DUE-B"]
    assert _ids(await _due(agency, stars=4, **ahead)) == ["TH-DUE-A"]
    one = await _due(agency, limit=1, **ahead)
    assert (_ids(one), one["next_cursor"] is not None) == (["TH-DUE-A"], True)
    rest = await _due(agency, limit=1, cursor=one["next_cursor"], **ahead)
    assert (_ids(rest), rest["next_cursor"]) == (["TH-DUE-B"], None)
    # Nothing is due today yet (the certificates are not a year old).
    assert _ids(await _due(agency)) == []

    # A recorded inspection pushes the product's day back, out of the window asked about.
    conclusion = await upload_pdf(agency, "TH-DUE-A", "bien-ban-kiem-tra")
    today = date.fromisoformat(page["as_of"])
    inspected = await agency.act(
        "TH-DUE-A",
        "record-inspection",
        {
            "kind": "periodic",
            "inspected_on": today.isoformat(),
            "checked": ["criteria", "ocop_mark", "promotion"],
            "findings": "Duy trì các tiêu chí theo hồ sơ",
            "meets_criteria": True,
            "conclusion": conclusion,
        },
    )
    assert inspected["event_types"] == ["inspection_recorded"]
    assert _ids(await _due(agency, **ahead)) == ["TH-DUE-B"]
    later = await _due(agency, within_days=INTERVAL + 1)
    pushed = next(item for item in later["items"] if item["journey_id"] == "TH-DUE-A")
    assert (pushed["counted_from"], pushed["last_inspected_on"], pushed["due_on"]) == (
        "inspection",
        today.isoformat(),
        (today + timedelta(days=INTERVAL)).isoformat(),
    )


async def test_a_producer_or_a_council_member_does_not_read_the_list(api: Api) -> None:
    for role in (Role.PRODUCER, Role.COUNCIL_MEMBER):
        caller = await api.actor(role, str(THANH_HOA))
        response = await caller.get("/v1/inspections/due")
        assert response.status_code == 403, (role, response.text)
        assert response.json()["code"] == "AccessDenied"
