"""A dossier under a rulebook that scores by option names its product set (issue 14, item 2; QĐ
26/2026 Phụ lục I–II): the set picks the sheet the council scores on, so a dossier filed without one,
at registration or with the dossier, is refused — a first dossier, a resubmission, an upgrade and a
re-evaluation alike — naming the field. The requirement is the rulebook's datum (it has sheets), not
a date or a rulebook id in the logic; older rulebooks score part totals and need none."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.commands import AcceptIdea, SubmitDossier
from schemas.errors import InvalidCommand, ProductSetRequired
from schemas.events import DossierResubmitted, DossierSubmitted, ReEvaluationApplied, UpgradeApplied
from schemas.journey import Status
from schemas.refusals import Reason
from schemas.rulebooks import get_rulebook
from tests.factories import (
    COMMUNE_OFFICER,
    DISTRICT_NAME,
    PRODUCER,
    JourneyDriver,
    accept,
    apply_re_evaluation,
    apply_upgrade,
    approve_plan,
    intake_to_dossier,
    register,
    resubmit_dossier,
    return_dossier,
    submit_dossier,
    submit_plan,
    vn,
)
from workflows.lifecycle import decide, evolve
from workflows.sheets import journey_sheet

FOOD_SET = "I.1.a"  # Rau, củ, quả, hạt tươi (sector I, the older group "food")
DAY = date(2026, 9, 1)  # a Tuesday under qd26-2026


def _in_development(product_set: str | None = None, day: date = DAY) -> JourneyDriver:
    driver = JourneyDriver(now=vn(day))
    driver.run(register(district=None, product_set=product_set))
    driver.run_all([AcceptIdea(actor=COMMUNE_OFFICER), submit_plan(), approve_plan()])
    assert driver.status() == Status.IN_DEVELOPMENT
    return driver


def test_a_dossier_without_a_product_set_is_refused_naming_the_field() -> None:
    driver = _in_development()
    assert driver.rulebook().id == "qd26-2026"
    error = driver.expect_refused(submit_dossier(), ProductSetRequired)  # nothing recorded
    assert isinstance(error, InvalidCommand)
    assert error.http_status == 422
    assert getattr(error, "field", None) == "product_set"
    assert error.why == Reason("journey.product_set_required", rulebook="qd26-2026")
    assert "bộ sản phẩm" in error.told("vi")
    assert "qd26-2026" in error.told("vi")
    assert error.told("en").startswith("name the product set")


def test_a_set_named_with_the_dossier_is_recorded_and_picks_the_sheet() -> None:
    driver = _in_development()
    (event, *_) = driver.run(submit_dossier().model_copy(update={"product_set": FOOD_SET}))
    assert isinstance(event, DossierSubmitted)
    assert event.product_set == FOOD_SET
    assert driver.journey.product_set == FOOD_SET
    sheet = journey_sheet(driver.rulebook(), driver.journey.product_set)
    assert not sheet.flat
    assert sheet.product_set == FOOD_SET


def test_a_set_named_at_registration_is_enough_and_a_different_one_is_refused() -> None:
    driver = _in_development(product_set=FOOD_SET)
    driver.expect_refused(submit_dossier().model_copy(update={"product_set": "II.1.a"}), InvalidCommand)
    (event, *_) = driver.run(submit_dossier())
    assert isinstance(event, DossierSubmitted)
    assert event.product_set is None
    assert driver.journey.product_set == FOOD_SET


def test_an_older_rulebook_scored_by_part_totals_needs_no_set() -> None:
    driver = _in_development(day=date(2026, 3, 2))  # qd148-1489-2025: no sheets of options
    assert driver.rulebook().scorecard_sheet is None
    (event, *_) = driver.run(submit_dossier())
    assert isinstance(event, DossierSubmitted)
    assert driver.journey.product_set is None


def test_the_requirement_is_the_rulebooks_datum_not_its_name() -> None:
    """The same rulebook without its sheets (``scorecard_sheet``) asks for no set: the rule is read
    from the rulebook, not written for qd26-2026 in the logic."""
    driver = _in_development()
    qd26 = get_rulebook("qd26-2026")
    without_sheets = qd26.model_copy(update={"scorecard_sheet": None})
    command = submit_dossier()
    with pytest.raises(ProductSetRequired):
        decide(driver.state, command, qd26, driver.now)
    (event, *_) = decide(driver.state, command, without_sheets, driver.now)
    assert isinstance(event, DossierSubmitted)


def test_a_dossier_filed_before_the_rule_replays_as_it_ran_and_its_resubmission_needs_the_set() -> None:
    """``product_set_required=False`` is how the workflow replays a step recorded before the rule
    (workflows/journey.py, patch qd26-2026-product-set): the dossier is as it was, on the flat sheet.
    Returned, it comes back only with its set."""
    driver = _in_development()
    events = decide(driver.state, submit_dossier(), driver.rulebook(), driver.now, product_set_required=False)
    for event in events:
        driver.state = evolve(driver.state, event, driver.now)
    assert driver.status() == Status.DOSSIER_SUBMITTED
    assert driver.journey.product_set is None
    assert journey_sheet(get_rulebook("qd26-2026"), driver.journey.product_set).flat
    driver.advance(days=1).run(return_dossier())
    error = driver.expect_refused(resubmit_dossier(), ProductSetRequired)
    assert getattr(error, "field", None) == "product_set"
    (event, *_) = driver.run(resubmit_dossier().model_copy(update={"product_set": FOOD_SET}))
    assert isinstance(event, DossierResubmitted)
    assert event.product_set == FOOD_SET
    assert driver.journey.product_set == FOOD_SET


@pytest.mark.parametrize("apply", [apply_upgrade, apply_re_evaluation], ids=["upgrade", "re-evaluation"])
def test_an_older_certificates_next_dossier_under_qd26_names_its_set(apply: object) -> None:
    """Certified under qd148-1489-2025 with no set; its upgrade or re-evaluation is filed under the
    day's rulebook, qd26-2026, and the council will score it on its set's sheet."""
    driver = JourneyDriver()  # 2 March 2026, qd148-1489-2025: an idea that names no set
    driver.run(register(district=DISTRICT_NAME, product_set=None))
    driver.run_all(intake_to_dossier())
    driver.run(accept())
    driver.certify(["80"] * 8)  # 4★, scored on part totals
    assert driver.status() == Status.CERTIFIED
    assert driver.journey.product_set is None
    driver.at(vn(DAY))
    assert callable(apply)
    command = apply(PRODUCER)
    driver.expect_refused(command, ProductSetRequired)
    (event, *_) = driver.run(command.model_copy(update={"product_set": FOOD_SET}))
    assert isinstance(event, UpgradeApplied | ReEvaluationApplied)
    assert event.product_set == FOOD_SET
    assert driver.journey.product_set == FOOD_SET
    assert driver.status() == Status.DOSSIER_SUBMITTED


def test_a_stored_dossier_event_without_the_field_still_parses() -> None:
    for event_type in (DossierResubmitted, UpgradeApplied, ReEvaluationApplied):
        event = event_type.model_validate({"documents": ["sha256:a"]})
        assert event.product_set is None
        assert "product_set" not in event.model_dump(mode="json", exclude_none=False)


def test_the_command_without_a_set_is_still_a_valid_request() -> None:
    # The set is optional in the body (it may have been named at registration): the journey decides.
    assert SubmitDossier(actor=PRODUCER, documents=["sha256:a"]).product_set is None
