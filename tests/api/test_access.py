"""The access policy on its own (pure functions): roles, jurisdictions, seats."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.access import (
    ACTION_ROLES,
    AccessDenied,
    Place,
    Principal,
    check_act,
    check_action,
    check_create_actor,
    check_import,
    check_read,
    check_read_log,
    check_register,
    covers,
    jurisdiction_filter,
    list_scope,
    merge_filters,
    parse_jurisdiction,
    within,
)
from schemas.api import Jurisdiction, JurisdictionKind
from schemas.commands import JOURNEY_ACTIONS
from schemas.journey import JourneyState, Status
from schemas.roles import Role
from tests.factories import DISTRICT_NAME, HAC_THANH, HOAN_KIEM, THANH_HOA

HA_NOI = 1
JOURNEY = JourneyState(
    journey_id="J-1",
    producer_id="producer-1",
    product_name="Nem chua",
    product_group="food",
    province_code=THANH_HOA,
    commune_code=HAC_THANH,
    district=DISTRICT_NAME,
    registered_at=datetime(2026, 3, 2, tzinfo=UTC),
    status=Status.IN_EVALUATION,
    rulebook="qd148-1489-2025",
    updated_at=datetime(2026, 3, 2, tzinfo=UTC),
)


def who(role: Role, jurisdiction: str = "VN", actor_id: str = "a-1") -> Principal:
    return Principal(id=actor_id, role=role, jurisdiction=parse_jurisdiction(role, jurisdiction))


def test_jurisdictions_are_read_by_role() -> None:
    assert parse_jurisdiction(Role.COMMUNE_OFFICER, str(HAC_THANH)) == Jurisdiction(
        kind=JurisdictionKind.COMMUNE, value=str(HAC_THANH)
    )
    assert parse_jurisdiction(Role.PROVINCIAL_OFFICER, "038").value == "38"
    assert parse_jurisdiction(Role.DISTRICT_OFFICER, DISTRICT_NAME).kind == JurisdictionKind.DISTRICT
    assert parse_jurisdiction(Role.AUDITOR, "vn").kind == JurisdictionKind.NATIONAL
    assert parse_jurisdiction(Role.AUDITOR, "38").kind == JurisdictionKind.PROVINCE
    assert parse_jurisdiction(Role.AUDITOR, f"commune:{HAC_THANH}").kind == JurisdictionKind.COMMUNE
    assert parse_jurisdiction(Role.RECOGNITION_AUTHORITY, DISTRICT_NAME).kind == JurisdictionKind.DISTRICT


@pytest.mark.parametrize(
    ("role", "text"),
    [
        (Role.SYSTEM, "VN"),
        (Role.COMMUNE_OFFICER, "38"),  # 38 is no commune of 2025
        (Role.COMMUNE_OFFICER, DISTRICT_NAME),
        (Role.PROVINCIAL_OFFICER, "99"),
        (Role.PROVINCIAL_OFFICER, "VN"),
        (Role.CENTRAL_OFFICER, "38"),
        (Role.DISTRICT_OFFICER, "123"),
        (Role.AUDITOR, "province:abc"),
        (Role.AUDITOR, "national:38"),
    ],
)
def test_jurisdictions_that_are_not_ones(role: Role, text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        parse_jurisdiction(role, text)


def test_covers_and_within() -> None:
    place = Place(THANH_HOA, HAC_THANH, DISTRICT_NAME)
    assert covers(parse_jurisdiction(Role.AUDITOR, "VN"), place)
    assert covers(parse_jurisdiction(Role.AUDITOR, "38"), place)
    assert covers(parse_jurisdiction(Role.COMMUNE_OFFICER, str(HAC_THANH)), place)
    assert covers(parse_jurisdiction(Role.DISTRICT_OFFICER, DISTRICT_NAME), place)
    assert not covers(parse_jurisdiction(Role.AUDITOR, "1"), place)
    assert not covers(parse_jurisdiction(Role.COMMUNE_OFFICER, str(HOAN_KIEM)), place)
    assert not covers(parse_jurisdiction(Role.DISTRICT_OFFICER, "Huyện Triệu Sơn"), place)
    assert not covers(parse_jurisdiction(Role.DISTRICT_OFFICER, DISTRICT_NAME), place._replace(district=None))
    province = parse_jurisdiction(Role.ADMINISTRATOR, "38")
    assert within(parse_jurisdiction(Role.COMMUNE_OFFICER, str(HAC_THANH)), province)
    assert not within(parse_jurisdiction(Role.COMMUNE_OFFICER, str(HOAN_KIEM)), province)
    assert not within(parse_jurisdiction(Role.DISTRICT_OFFICER, DISTRICT_NAME), province)
    assert not within(parse_jurisdiction(Role.AUDITOR, "VN"), province)
    assert within(province, parse_jurisdiction(Role.ADMINISTRATOR, "VN"))


def test_every_exposed_action_has_roles_and_auditors_change_nothing() -> None:
    # record-conflict has no journey route: conflicts are declared to the council (councils.py).
    exposed = set(JOURNEY_ACTIONS) - {"register-idea", "import-certified", "record-conflict"}
    assert exposed <= set(ACTION_ROLES)
    for action in exposed:
        with pytest.raises(AccessDenied, match="auditors"):
            check_action(who(Role.AUDITOR), action)
        with pytest.raises(AccessDenied):
            check_action(who(Role.ADMINISTRATOR), action)
    check_action(who(Role.PRODUCER), "withdraw")
    with pytest.raises(AccessDenied):
        check_action(who(Role.PRODUCER), "accept-idea")
    with pytest.raises(AccessDenied):
        check_action(who(Role.COUNCIL_MEMBER), "enrol")
    with pytest.raises(AccessDenied):
        check_action(who(Role.RECOGNITION_AUTHORITY), "finalize")
    with pytest.raises(AccessDenied):
        check_action(who(Role.PRODUCER), "an-action-nobody-listed")


def test_producers_read_and_act_on_their_own_journeys_only() -> None:
    own, other = who(Role.PRODUCER, "38", "producer-1"), who(Role.PRODUCER, "38", "producer-2")
    check_read(own, JOURNEY, seated=False)
    check_act(own, JOURNEY, "withdraw")
    with pytest.raises(AccessDenied):
        check_read(other, JOURNEY, seated=False)
    with pytest.raises(AccessDenied):
        check_act(other, JOURNEY, "withdraw")
    assert list_scope(other) == {"producer_id": "producer-2"}
    check_register(own)
    with pytest.raises(AccessDenied):
        check_register(who(Role.COMMUNE_OFFICER, str(HAC_THANH)))


def test_officers_authorities_and_auditors_by_jurisdiction() -> None:
    inside = [
        who(Role.COMMUNE_OFFICER, str(HAC_THANH)),
        who(Role.DISTRICT_OFFICER, DISTRICT_NAME),
        who(Role.PROVINCIAL_OFFICER, "38"),
        who(Role.CENTRAL_OFFICER, "VN"),
        who(Role.RECOGNITION_AUTHORITY, "38"),
        who(Role.AUDITOR, "VN"),
    ]
    outside = [
        who(Role.COMMUNE_OFFICER, str(HOAN_KIEM)),
        who(Role.DISTRICT_OFFICER, "Huyện Triệu Sơn"),
        who(Role.PROVINCIAL_OFFICER, "1"),
        who(Role.RECOGNITION_AUTHORITY, "1"),
        who(Role.AUDITOR, "1"),
    ]
    for principal in inside:
        check_read(principal, JOURNEY, seated=False)
    for principal in outside:
        with pytest.raises(AccessDenied, match="outside your jurisdiction"):
            check_read(principal, JOURNEY, seated=False)
    check_act(who(Role.PROVINCIAL_OFFICER, "38"), JOURNEY, "enrol")
    with pytest.raises(AccessDenied, match="outside"):
        check_act(who(Role.PROVINCIAL_OFFICER, "1"), JOURNEY, "enrol")
    check_act(who(Role.RECOGNITION_AUTHORITY, "38"), JOURNEY, "recognize")
    with pytest.raises(AccessDenied):
        check_act(who(Role.RECOGNITION_AUTHORITY, "1"), JOURNEY, "revoke")
    assert list_scope(who(Role.PROVINCIAL_OFFICER, "38")) == {"province_code": 38}
    assert list_scope(who(Role.AUDITOR, "VN")) == {}


def test_council_members_read_where_seated_and_leave_seats_to_the_journey() -> None:
    member = who(Role.COUNCIL_MEMBER, "38", "HD-TH-2025-m1")
    check_read(member, JOURNEY, seated=True)
    with pytest.raises(AccessDenied, match="councils evaluate"):
        check_read(member, JOURNEY, seated=False)
    check_act(member, JOURNEY, "submit-scorecard")  # the seat is the journey's to check
    assert list_scope(member) is None


def test_the_log_the_actors_and_imports() -> None:
    check_read_log(who(Role.AUDITOR, "VN"))
    check_read_log(who(Role.CENTRAL_OFFICER, "VN"))
    for principal in (who(Role.AUDITOR, "38"), who(Role.PRODUCER, "VN"), who(Role.COUNCIL_MEMBER, "VN")):
        with pytest.raises(AccessDenied):
            check_read_log(principal)
    admin_38 = who(Role.ADMINISTRATOR, "38")
    check_create_actor(
        admin_38, Role.COMMUNE_OFFICER, parse_jurisdiction(Role.COMMUNE_OFFICER, str(HAC_THANH))
    )
    with pytest.raises(AccessDenied):
        check_create_actor(admin_38, Role.AUDITOR, parse_jurisdiction(Role.AUDITOR, "VN"))
    with pytest.raises(AccessDenied):
        check_create_actor(who(Role.AUDITOR), Role.AUDITOR, parse_jurisdiction(Role.AUDITOR, "VN"))
    place = Place(THANH_HOA, HAC_THANH, None)
    check_import(admin_38, place)
    with pytest.raises(AccessDenied):
        check_import(who(Role.ADMINISTRATOR, "1"), place)
    with pytest.raises(AccessDenied):
        check_import(who(Role.PRODUCER), place)


def test_merging_filters() -> None:
    assert merge_filters({"province_code": 38}, {"status": "CERTIFIED"}) == {
        "province_code": 38,
        "status": "CERTIFIED",
    }
    assert merge_filters({"province_code": 38}, {"province_code": 38}) == {"province_code": 38}
    assert merge_filters({"province_code": 38}, {"province_code": 1}) is None
    assert merge_filters({"a": {"b": 1}}, {"a": {"c": 2}}) == {"a": {"b": 1, "c": 2}}
    assert merge_filters({"a": {"b": 1}}, {"a": {"b": 2}}) is None


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=40000))
def test_a_jurisdiction_filter_selects_what_covers_admits(province: int, commune: int) -> None:
    place = Place(province, commune, None)
    state = {"province_code": province, "commune_code": commune, "district": None}
    for jurisdiction in (
        Jurisdiction(kind=JurisdictionKind.PROVINCE, value=str(THANH_HOA)),
        Jurisdiction(kind=JurisdictionKind.COMMUNE, value=str(HAC_THANH)),
        Jurisdiction(kind=JurisdictionKind.NATIONAL, value="VN"),
    ):
        selected = all(state.get(key) == value for key, value in jurisdiction_filter(jurisdiction).items())
        assert selected == covers(jurisdiction, place)
