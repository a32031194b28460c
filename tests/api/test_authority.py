"""Authority = role + level + jurisdiction (thẩm quyền, ocop.md §7): a recognition authority signs
only at its own level, by the pinned rulebook's authority table; pure functions, no I/O."""

from __future__ import annotations

import pytest

from api.access import AccessDenied, Principal, check_act, parse_jurisdiction, required_authority_level
from schemas.journey import JourneyState, Status
from schemas.roles import Role
from schemas.rulebook import AuthorityAction, Level
from schemas.rulebooks import RULEBOOKS
from tests.factories import JourneyDriver, certified

PROVINCIAL_AUTHORITY = "38"  # Chủ tịch UBND tỉnh Thanh Hóa
MINISTER = "VN"  # Bộ trưởng Bộ Nông nghiệp và Môi trường


def authority(jurisdiction: str) -> Principal:
    return Principal(
        id="authority-1",
        role=Role.RECOGNITION_AUTHORITY,
        jurisdiction=parse_jurisdiction(Role.RECOGNITION_AUTHORITY, jurisdiction),
    )


def awaiting_provincial_recognition() -> JourneyState:
    driver = JourneyDriver().to_awaiting_round()
    driver.evaluate(["80"] * 8)
    journey = driver.journey
    assert journey.pending_recognition is not None
    assert journey.pending_recognition.level == Level.PROVINCE
    return journey


def awaiting_central_recognition() -> JourneyState:
    """A potential 5★: recognized 4★ at the province while forwarded, then 5★ centrally."""
    driver = JourneyDriver().to_awaiting_round()
    driver.evaluate(["95"] * 8)
    driver.recognize()
    assert driver.journey.level == Level.CENTRAL
    driver.evaluate(["95"] * 7)
    journey = driver.journey
    assert journey.status == Status.AWAITING_RECOGNITION
    assert journey.pending_recognition is not None
    assert journey.pending_recognition.level == Level.CENTRAL
    return journey


def test_a_provincial_result_is_signed_by_the_provincial_authority_only() -> None:
    journey = awaiting_provincial_recognition()
    check_act(authority(PROVINCIAL_AUTHORITY), journey, "recognize")
    with pytest.raises(AccessDenied, match="province authority"):
        check_act(authority(MINISTER), journey, "recognize")


def test_a_central_result_is_signed_by_the_minister_only() -> None:
    journey = awaiting_central_recognition()
    check_act(authority(MINISTER), journey, "recognize")
    with pytest.raises(AccessDenied, match="central authority"):
        check_act(authority(PROVINCIAL_AUTHORITY), journey, "recognize")


def test_revocation_follows_the_rank_of_the_certificate() -> None:
    four = certified(["80"] * 8).journey
    check_act(authority(PROVINCIAL_AUTHORITY), four, "revoke")
    with pytest.raises(AccessDenied, match="province authority"):
        check_act(authority(MINISTER), four, "revoke")
    five = JourneyDriver().to_awaiting_round()
    five.evaluate(["95"] * 8)
    five.recognize()
    five.evaluate(["95"] * 7)
    five.recognize()
    assert five.journey.certificate_in_force is not None
    assert five.journey.certificate_in_force.stars == 5
    check_act(authority(MINISTER), five.journey, "revoke")
    with pytest.raises(AccessDenied, match="central authority"):
        check_act(authority(PROVINCIAL_AUTHORITY), five.journey, "revoke")


def test_the_authority_table_is_the_rulebooks() -> None:
    """Every rank a rulebook recognizes has an authority that revokes it, at a level that
    recognizes that rank (so the star table and 'the level that recognized it' agree)."""
    for book in RULEBOOKS.values():
        for rules in book.levels:
            if rules.certifies:
                signer = book.authority_level(AuthorityAction.RECOGNIZE, level=rules.level, stars=0)
                assert signer == rules.level
            for stars in rules.certifies:
                revoking = book.authority_level(AuthorityAction.REVOKE, level=rules.level, stars=stars)
                assert stars in book.level_rules(revoking).certifies, (book.id, stars)


def test_nothing_to_sign_is_left_to_the_journey() -> None:
    journey = JourneyDriver().to_awaiting_round().journey
    assert required_authority_level(journey, "recognize") is None
    assert required_authority_level(journey, "revoke") is None
