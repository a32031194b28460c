"""The commune's step under qd26-2026 (Art. 6–7.2, Phụ lục II–III), pure: which numbers a step
needs and how they are written (the rulebook's templates), the product code given once."""

from __future__ import annotations

from datetime import date

from schemas.commands import Command
from schemas.events import DossierAccepted, DossierSubmitted, JourneyEvent, UpgradeApplied
from schemas.rulebooks import get_rulebook
from tests.factories import (
    JourneyDriver,
    apply_upgrade,
    certified,
    intake_to_dossier,
    vn,
)
from workflows.lifecycle import evolve
from workflows.numbering import NumberRequest, numbered, numbers_needed


def _in_development(day: date) -> JourneyDriver:
    driver = JourneyDriver(now=vn(day)).register(district=None)
    driver.run_all(intake_to_dossier()[:-1])
    return driver


def _run_numbered(driver: JourneyDriver, command: Command, numbers: list[int]) -> list[JourneyEvent]:
    """The step as the workflow takes it: decided, numbered, folded."""
    events = numbered(driver.journey, driver.decide(command), driver.now, numbers)
    for event in events:
        driver.state = evolve(driver.state, event, driver.now)
        driver.events.append(event)
    return events


def test_a_dossier_received_under_qd26_needs_the_communes_next_receipt_of_the_year() -> None:
    driver = _in_development(date(2026, 6, 1))
    events = driver.decide(intake_to_dossier()[-1])
    version = driver.journey.version
    assert numbers_needed(driver.journey, events, driver.now) == [
        NumberRequest(scope="receipt/38/14797/2026", owner=f"J-1/{version + 1}")
    ]
    [event] = numbered(driver.journey, events, driver.now, [7])
    assert isinstance(event, DossierSubmitted)
    assert event.receipt_number == "007/PĐK-38-14797-2026"


def test_the_product_code_is_the_communes_sequence_of_the_year_of_acceptance() -> None:
    driver = _in_development(date(2026, 12, 28))
    driver.run(intake_to_dossier()[-1])
    driver.at(vn(date(2027, 1, 4)))
    events = driver.decide(driver.accept())
    assert numbers_needed(driver.journey, events, driver.now) == [
        NumberRequest(scope="product-code/38/14797/2027", owner="J-1")
    ]
    [event] = numbered(driver.journey, events, driver.now, [12])
    assert isinstance(event, DossierAccepted)
    assert event.product_code == "38-14797-012-2027"
    assert driver.journey.product_code is None  # asking allocates nothing


def test_a_product_keeps_its_code_an_upgrade_gets_a_receipt_only() -> None:
    driver = _in_development(date(2026, 6, 1))
    _run_numbered(driver, intake_to_dossier()[-1], [1])
    _run_numbered(driver, driver.accept(), [1])
    assert (driver.journey.product_code, driver.journey.receipt_number) == (
        "38-14797-001-2026",
        "001/PĐK-38-14797-2026",
    )
    driver.evaluate(["60"] * 8)
    driver.recognize()
    driver.advance(days=30)
    events = driver.decide(apply_upgrade())
    assert [request.scope for request in numbers_needed(driver.journey, events, driver.now)] == [
        "receipt/38/14797/2026"
    ]
    [upgrade] = _run_numbered(driver, apply_upgrade(), [5])
    assert isinstance(upgrade, UpgradeApplied)
    assert driver.journey.receipt_number == "005/PĐK-38-14797-2026"
    assert numbers_needed(driver.journey, driver.decide(driver.accept()), driver.now) == []  # the product's
    _run_numbered(driver, driver.accept(), [])
    assert driver.journey.product_code == "38-14797-001-2026"


def test_old_rulebooks_number_nothing() -> None:
    driver = certified()  # recognized under qd148-1489-2025 in March 2026
    assert driver.journey.product_code is None
    driver.at(vn(date(2026, 5, 20)))
    assert numbers_needed(driver.journey, driver.decide(apply_upgrade()), driver.now) == []


def test_the_formats_are_the_rulebooks_data() -> None:
    numbering = get_rulebook("qd26-2026").numbering
    assert numbering is not None
    assert numbering.product_code.format(province=1, commune=4, number=3, year=2026) == "01-00004-003-2026"
    assert get_rulebook("qd148-1489-2025").numbering is None
