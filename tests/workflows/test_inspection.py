"""Post-recognition inspection under qd26-2026 (Art. 9) as pure decisions: who inspects which
product, what an inspection records, and that a conclusion that the product no longer meets the
criteria opens the revocation file on ground (b) (Art. 8.1.b) with its 15 days."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.commands import RecordInspection, Revoke
from schemas.errors import InvalidCommand, NotAllowed, NotCertified
from schemas.events import Deadline, InspectionRecorded, RevocationOpened, Revoked
from schemas.journey import Status
from schemas.log import Actor
from schemas.rulebook import InspectionCheck, InspectionKind, Level, RevocationGround
from schemas.rulebooks import get_rulebook
from tests.factories import (
    AUTHORITY,
    CENTRAL_OFFICER,
    COMMUNE_OFFICER,
    PROVINCIAL_OFFICER,
    JourneyDriver,
    certified,
    journey_in,
    vn,
)

QD26 = get_rulebook("qd26-2026")
CONCLUSION = "sha256:" + "c1" * 32
PHOTO = "sha256:" + "e0" * 32
BODY = "Cơ quan quản lý OCOP tỉnh Thanh Hóa"


def _inspection(
    actor: Actor = PROVINCIAL_OFFICER,
    *,
    meets: bool = True,
    checked: tuple[InspectionCheck, ...] = tuple(InspectionCheck),
    on: date = date(2026, 10, 15),
    kind: InspectionKind = InspectionKind.PERIODIC,
    reason: str | None = None,
) -> RecordInspection:
    return RecordInspection(
        actor=actor,
        authority=BODY if actor == PROVINCIAL_OFFICER else "Bộ Nông nghiệp và Môi trường",
        kind=kind,
        inspected_on=on,
        checked=list(checked),
        findings="Kết quả kiểm tra theo biên bản",
        meets_criteria=meets,
        conclusion=CONCLUSION,
        evidence=[PHOTO],
        reason=reason,
    )


def _qd26_certificate(stars: int = 4) -> JourneyDriver:
    """A 4★ certificate of Thanh Hóa under qd26-2026 (recognized 1 June 2026); ``stars`` rewrites it."""
    driver = certified(now=vn(date(2026, 6, 1)))
    assert driver.journey.rulebook == "qd26-2026"
    state = driver.journey
    assert state.certificate is not None
    driver.state = state.model_copy(
        update={"certificate": state.certificate.model_copy(update={"stars": stars})}
    )
    driver.at(vn(date(2026, 10, 20)))
    return driver


def test_the_rulebook_names_what_an_inspection_checks_and_its_failing_ground() -> None:
    assert QD26.inspection is not None
    assert set(QD26.inspection.checks) == set(InspectionCheck)  # Art. 9.3 a, b
    assert QD26.inspection.ministry_stars == [5]  # Art. 9.4.b
    assert QD26.inspection.failing_ground == RevocationGround.B  # Art. 8.1.b


def test_the_provincial_agency_records_a_periodic_inspection_with_its_body_checks_and_evidence() -> None:
    driver = _qd26_certificate()
    [recorded] = driver.run(_inspection())
    assert isinstance(recorded, InspectionRecorded)
    assert (recorded.level, recorded.body, recorded.kind) == (Level.PROVINCE, BODY, InspectionKind.PERIODIC)
    assert recorded.checked == list(InspectionCheck)
    assert (recorded.conclusion, recorded.evidence, recorded.meets_criteria) == (CONCLUSION, [PHOTO], True)
    assert recorded.inspected_on == date(2026, 10, 15)
    [record] = driver.journey.inspections
    assert (record.level, record.inspected_on, record.meets_criteria) == (
        Level.PROVINCE,
        date(2026, 10, 15),
        True,
    )
    # A product that still meets the criteria keeps its certificate and has no revocation file.
    assert driver.status() == Status.CERTIFIED
    assert driver.journey.revocation_file is None
    assert Deadline.REVOCATION_DECISION not in driver.journey.deadlines


def test_a_conclusion_that_the_product_no_longer_meets_the_criteria_opens_a_revocation_on_ground_b() -> None:
    driver = _qd26_certificate()
    recorded, opened = driver.run(_inspection(meets=False, kind=InspectionKind.AD_HOC))
    assert isinstance(recorded, InspectionRecorded)
    assert isinstance(opened, RevocationOpened)
    assert (opened.ground, opened.conclusion, opened.concluded_on) == (
        RevocationGround.B,
        CONCLUSION,
        date(2026, 10, 15),
    )
    assert opened.decision_due == date(2026, 10, 30)  # 15 days from the inspection's conclusion
    assert driver.journey.deadlines[Deadline.REVOCATION_DECISION].due == date(2026, 10, 30)
    # The authority's revocation then cites the inspection's ground and conclusion.
    [revoked] = driver.run(
        Revoke(actor=AUTHORITY, grounds="Không còn đáp ứng tiêu chí theo kết luận kiểm tra")
    )
    assert isinstance(revoked, Revoked)
    assert (revoked.ground, revoked.conclusion) == (RevocationGround.B, CONCLUSION)


def test_a_second_failing_inspection_is_recorded_without_a_second_revocation_file() -> None:
    driver = _qd26_certificate()
    driver.run(_inspection(meets=False))
    [recorded] = driver.run(_inspection(meets=False, on=date(2026, 10, 18)))
    assert isinstance(recorded, InspectionRecorded)
    assert len(driver.journey.inspections) == 2
    assert driver.journey.deadlines[Deadline.REVOCATION_DECISION].due == date(2026, 10, 30)  # unchanged


def test_a_failing_conclusion_must_have_checked_the_criteria() -> None:
    driver = _qd26_certificate()
    driver.expect_refused(_inspection(meets=False, checked=(InspectionCheck.OCOP_MARK,)), InvalidCommand)
    driver.run(_inspection(meets=True, checked=(InspectionCheck.OCOP_MARK,)))


def test_the_ministry_inspects_5_star_products_and_3_or_4_star_ones_only_saying_why() -> None:
    five = _qd26_certificate(stars=5)
    [recorded] = five.run(_inspection(CENTRAL_OFFICER))
    assert isinstance(recorded, InspectionRecorded)
    assert recorded.level == Level.CENTRAL
    four = _qd26_certificate(stars=4)
    four.expect_refused(_inspection(CENTRAL_OFFICER), InvalidCommand)
    [recorded] = four.run(_inspection(CENTRAL_OFFICER, reason="Phản ánh của người tiêu dùng về chất lượng"))
    assert isinstance(recorded, InspectionRecorded)
    assert recorded.level == Level.CENTRAL


@pytest.mark.parametrize("actor", [COMMUNE_OFFICER, AUTHORITY])
def test_only_the_ocop_agencies_inspect(actor: Actor) -> None:
    _qd26_certificate().expect_refused(_inspection(actor), NotAllowed)


def test_an_inspection_is_dated_between_the_recognition_and_today() -> None:
    driver = _qd26_certificate()
    driver.expect_refused(_inspection(on=date(2026, 10, 21)), InvalidCommand)  # tomorrow
    driver.expect_refused(_inspection(on=date(2026, 5, 31)), InvalidCommand)  # before the recognition
    driver.run(_inspection(on=date(2026, 6, 1)))


def test_only_a_certified_product_under_a_rulebook_with_inspections_is_inspected() -> None:
    journey_in(Status.DOSSIER_SUBMITTED).expect_refused(_inspection(), NotCertified)
    old = certified()  # qd148-1489-2025: no post-recognition inspection in that rulebook
    old.at(vn(date(2026, 10, 20)))
    old.expect_refused(_inspection(), InvalidCommand)


def test_a_revoked_product_is_no_longer_inspected() -> None:
    driver = _qd26_certificate()
    driver.run(_inspection(meets=False))
    driver.run(Revoke(actor=AUTHORITY, grounds="Theo kết luận kiểm tra"))
    driver.expect_refused(_inspection(), NotCertified)
