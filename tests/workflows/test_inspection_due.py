"""The periodic inspection's due day (kiểm tra định kỳ, qd26-2026 Art. 9.2.a) as pure decisions:
the interval is the rulebook's (the programme's setting; the decision sets none), counted from the
recognition or the last recorded inspection, whichever is later; the timer records
``inspection_due`` once per due day, moves on with each inspection and ends with the certificate."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from schemas.commands import ExpireCertificate, FlagInspectionDue, Revoke
from schemas.errors import NotDue, WrongState
from schemas.events import InspectionBasis, InspectionDue
from schemas.journey import Status
from schemas.rulebooks import RULEBOOKS, get_rulebook
from tests.factories import AUTHORITY, JourneyDriver, certified, vn
from tests.workflows.test_inspection import _inspection
from workflows.calendar import VIETNAM
from workflows.inspection import inspection_due_date
from workflows.timers import SYSTEM, due_steps

RECOGNIZED = date(2026, 6, 1)
INTERVAL = 365


def _qd26_certificate() -> JourneyDriver:
    """A 4★ certificate of Thanh Hóa pinned to qd26-2026, recognized on ``RECOGNIZED`` (the state of
    a certified product, made from an earlier one: these rules start at the certificate)."""
    driver = certified(now=vn(date(2026, 3, 2)))
    state = driver.journey
    assert state.certificate is not None
    certificate = state.certificate.model_copy(
        update={"decision_date": RECOGNIZED, "valid_until": date(2029, 5, 31), "rulebook": "qd26-2026"}
    )
    driver.state = state.model_copy(update={"rulebook": "qd26-2026", "certificate": certificate})
    driver.at(vn(RECOGNIZED))
    return driver


def _flag_steps(driver: JourneyDriver) -> list[datetime]:
    return [step.at for step in due_steps(driver.journey) if isinstance(step.command, FlagInspectionDue)]


def _start_of(day: date) -> datetime:
    """Midnight at the start of ``day``, Vietnam time."""
    return datetime.combine(day, time(0), tzinfo=VIETNAM)


def test_the_interval_is_the_programmes_setting_in_qd26_and_older_rulebooks_have_none() -> None:
    rules = get_rulebook("qd26-2026").inspection
    assert rules is not None
    assert rules.periodic_interval_days == INTERVAL
    assert rules.periodic_interval_source is not None
    assert "programme's setting" in rules.periodic_interval_source  # not the decision's text
    for book in RULEBOOKS.values():
        if book.id != "qd26-2026":
            assert book.inspection is None or book.inspection.periodic_interval_days is None, book.id


def test_the_timer_waits_for_the_interval_from_the_recognition() -> None:
    driver = _qd26_certificate()
    assert _flag_steps(driver) == [_start_of(RECOGNIZED + timedelta(days=INTERVAL))]


def test_the_inspection_due_is_refused_before_the_day_and_recorded_on_it_once() -> None:
    driver = _qd26_certificate()
    due_on = RECOGNIZED + timedelta(days=INTERVAL)
    driver.at(_start_of(due_on) - timedelta(seconds=1))
    driver.expect_refused(FlagInspectionDue(actor=SYSTEM), NotDue)
    driver.at(_start_of(due_on))
    [due] = driver.run(FlagInspectionDue(actor=SYSTEM))
    assert isinstance(due, InspectionDue)
    assert (due.due_on, due.counted_from, due.since, due.interval_days, due.stars) == (
        due_on,
        InspectionBasis.RECOGNITION,
        RECOGNIZED,
        INTERVAL,
        4,
    )
    certificate = driver.journey.certificate
    assert certificate is not None
    assert due.certificate_number == certificate.number
    assert driver.journey.inspection_due_on == due_on
    # Taken once per due day: nothing more is waited for, and a second flag is refused.
    assert _flag_steps(driver) == []
    driver.advance(days=30)
    driver.expect_refused(FlagInspectionDue(actor=SYSTEM), WrongState)


def test_each_recorded_inspection_pushes_the_due_day_back() -> None:
    driver = _qd26_certificate()
    driver.at(vn(date(2026, 10, 20)))
    driver.run(_inspection(on=date(2026, 10, 15)))
    due = inspection_due_date(driver.journey)
    assert due is not None
    assert (due.due_on, due.counted_from, due.since) == (
        date(2026, 10, 15) + timedelta(days=INTERVAL),
        InspectionBasis.INSPECTION,
        date(2026, 10, 15),
    )
    assert _flag_steps(driver) == [_start_of(date(2026, 10, 15) + timedelta(days=INTERVAL))]


def test_an_inspection_after_the_flag_sets_the_timer_again() -> None:
    driver = _qd26_certificate()
    driver.at(_start_of(RECOGNIZED + timedelta(days=INTERVAL)))
    driver.run(FlagInspectionDue(actor=SYSTEM))
    assert _flag_steps(driver) == []
    driver.advance(days=10)
    inspected = driver.today
    driver.run(_inspection(on=inspected))
    assert _flag_steps(driver) == [_start_of(inspected + timedelta(days=INTERVAL))]


def test_revocation_and_expiry_cancel_the_timer() -> None:
    revoked = _qd26_certificate()
    revoked.advance(days=30)
    revoked.run(_inspection(meets=False, on=revoked.today))
    revoked.run(Revoke(actor=AUTHORITY, grounds="Theo kết luận kiểm tra"))
    assert revoked.status() == Status.REVOKED
    assert _flag_steps(revoked) == []

    expired = _qd26_certificate()
    # A certificate whose term ends before its inspection falls due: the expiry ends the timer.
    certificate = expired.journey.certificate
    assert certificate is not None
    short = certificate.model_copy(update={"valid_until": RECOGNIZED + timedelta(days=100)})
    expired.state = expired.journey.model_copy(update={"certificate": short})
    expired.at(vn(RECOGNIZED + timedelta(days=102)))
    expired.run(ExpireCertificate(actor=SYSTEM))
    assert expired.status() == Status.EXPIRED
    assert _flag_steps(expired) == []
    expired.expect_refused(FlagInspectionDue(actor=SYSTEM), WrongState)


def test_a_certificate_under_an_older_rulebook_never_falls_due_by_itself() -> None:
    old = certified(now=vn(date(2026, 3, 2)))  # qd148-1489-2025
    assert old.journey.rulebook == "qd148-1489-2025"
    assert inspection_due_date(old.journey) is None
    assert _flag_steps(old) == []


def test_a_journey_recorded_before_the_patch_waits_for_no_inspection() -> None:
    # The workflow asks due_steps(inspection=False) for a step recorded before the timer shipped
    # (workflow.patched), so that its history replays as it ran.
    driver = _qd26_certificate()
    steps = due_steps(driver.journey, inspection=False)
    assert not any(isinstance(step.command, FlagInspectionDue) for step in steps)
    assert steps  # its certificate's own timers are still there
