"""The journey's timers as data (``due_steps``): which timed step comes next, and when."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from schemas.commands import (
    ExpireCertificate,
    FlagMissedDeadline,
    LapseDossier,
    SendExpiryNotice,
)
from schemas.errors import NotDue
from schemas.journey import TERMINAL, JourneyState, Status
from tests.factories import (
    JourneyDriver,
    apply_re_evaluation,
    apply_upgrade,
    certified,
    enrol,
    journey_in,
    province_council,
    resubmit_dossier,
    return_dossier,
    send_expiry_notice,
    vn,
)
from workflows.calendar import VIETNAM, end_of_day
from workflows.timers import SYSTEM, TimedStep, due_steps

# These journeys run in early 2026 under qd148-1489-2025, so an open dossier of theirs also waits
# for the passage deadline of qd26-2026 (2026-07-21): the tests of the other timers leave it out
# (passage=False), the tests of the passage at the end of this file ask for it. Their certificates
# (valid until 2029) would follow qd26-2026's re-evaluation window (tests/workflows/test_re_evaluation.py);
# these tests keep the expiry notice of the older rulebooks, as journeys recorded before that patch
# run it (re_evaluation=False).


def _due(state: JourneyState) -> list[TimedStep]:
    return due_steps(state, passage=False, re_evaluation=False)


def _steps(driver: JourneyDriver) -> list[tuple[str, object]]:
    """(command name, instant) of each due step but the passage's, earliest first."""
    return [(type(step.command).__name__, step.at) for step in _due(driver.journey)]


def test_a_fresh_journey_waits_for_no_timer() -> None:
    for status in (Status.IDEA_REGISTERED, Status.PLAN_PENDING, Status.IN_DEVELOPMENT, Status.AWAITING_ROUND):
        assert _due(journey_in(status).journey) == [], status


def test_a_submitted_dossier_waits_for_the_commune_report() -> None:
    driver = journey_in(Status.DOSSIER_SUBMITTED)  # submitted Monday 2 March 2026, due 16 March
    [step] = _due(driver.journey)
    assert step == TimedStep(
        at=end_of_day(date(2026, 3, 16)),
        command=FlagMissedDeadline(actor=SYSTEM, deadline="commune_report"),
    )


def test_a_returned_dossier_waits_for_its_lapse_only() -> None:
    driver = JourneyDriver(now=vn(date(2026, 2, 10))).to_dossier_submitted()
    driver.run(return_dossier())
    # Due 2026-03-10 (15 working days across Tết); it lapses at midnight after, Vietnam time.
    assert _due(driver.journey) == [
        TimedStep(at=end_of_day(date(2026, 3, 10)), command=LapseDossier(actor=SYSTEM))
    ]
    assert end_of_day(date(2026, 3, 10)) == vn(date(2026, 3, 11), 0)


def test_the_lapse_step_goes_once_the_dossier_is_resubmitted() -> None:
    driver = JourneyDriver(now=vn(date(2026, 2, 10))).to_dossier_submitted()
    driver.run(return_dossier())
    driver.at(vn(date(2026, 3, 9)))
    driver.run(resubmit_dossier())
    names = [name for name, _ in _steps(driver)]
    assert "LapseDossier" not in names
    assert names == ["FlagMissedDeadline"]  # the commune report is due again


def test_awaiting_recognition_waits_for_the_recognition_deadline() -> None:
    driver = journey_in(Status.AWAITING_RECOGNITION)  # finalized 2 March 2026, due 23 March
    assert _due(driver.journey) == [
        TimedStep(
            at=end_of_day(date(2026, 3, 23)), command=FlagMissedDeadline(actor=SYSTEM, deadline="recognition")
        )
    ]
    driver.at(end_of_day(date(2026, 3, 23)))
    driver.run(_due(driver.journey)[0].command)
    assert _due(driver.journey) == []  # escalated once, not again


def test_a_certificate_waits_for_its_notice_then_its_expiry() -> None:
    driver = certified()  # valid until 2029-03-01
    expiry = vn(date(2029, 3, 2), 0)  # midnight after the last valid day
    notice = expiry - timedelta(days=30)  # 2029-01-31 00:00
    assert notice == vn(date(2029, 1, 31), 0)
    assert _due(driver.journey) == [
        TimedStep(at=notice, command=SendExpiryNotice(actor=SYSTEM)),
        TimedStep(at=expiry, command=ExpireCertificate(actor=SYSTEM)),
    ]
    driver.at(notice).run(send_expiry_notice())
    assert _steps(driver) == [("ExpireCertificate", expiry)]


def test_the_due_steps_are_accepted_at_their_instant_and_not_a_moment_before() -> None:
    driver = certified()
    for _ in range(2):
        step = _due(driver.journey)[0]
        driver.at(step.at - timedelta(microseconds=1))
        driver.expect_refused(step.command, NotDue)
        driver.at(step.at)
        driver.run(step.command)
    assert driver.journey.status == Status.EXPIRED
    assert _due(driver.journey) == []


def test_no_expiry_step_while_a_re_evaluation_is_in_progress() -> None:
    driver = certified()
    driver.at(vn(date(2029, 1, 2)))
    driver.run(apply_re_evaluation())
    driver.run(driver.accept())
    driver.run(enrol(province_council(), "R-2029"))
    names = [name for name, _ in _steps(driver)]
    assert "ExpireCertificate" not in names
    assert names == ["SendExpiryNotice"]


def test_an_upgrade_in_progress_keeps_the_expiry_step() -> None:
    driver = certified(["60"] * 6)
    driver.at(vn(date(2029, 1, 2)))
    driver.run(apply_upgrade())
    names = [name for name, _ in _steps(driver)]
    assert "ExpireCertificate" in names


def test_the_provincial_certificate_of_a_forwarded_product_has_its_timers() -> None:
    driver = certified(["92"] * 8)
    assert (driver.journey.status, driver.journey.stars) == (Status.AWAITING_ROUND, 4)
    assert [name for name, _ in _steps(driver)] == ["SendExpiryNotice", "ExpireCertificate"]


@pytest.mark.parametrize("status", sorted(TERMINAL))
def test_terminal_states_wait_for_nothing(status: Status) -> None:
    assert due_steps(journey_in(status).journey) == []


def test_steps_are_sorted_earliest_first() -> None:
    driver = certified()
    driver.at(vn(date(2029, 1, 2)))
    driver.run(apply_upgrade())  # opens a commune report deadline beside the certificate's timers
    instants = [step.at for step in _due(driver.journey)]
    assert instants == sorted(instants)
    assert len(instants) == 3
    assert all(
        instant.tzinfo is not None and instant.utcoffset() == VIETNAM.utcoffset(None) for instant in instants
    )
