"""qd26-2026's re-evaluation window (Art. 7.6, 12.3) and revocation (Art. 8) as pure decisions:
which rulebook a certificate's window follows, what the timers ask for, and what a revocation cites."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from schemas.commands import (
    ExpireCertificate,
    ExtendCertificate,
    FlagMissedDeadline,
    OpenReEvaluationWindow,
    OpenRevocation,
    Revoke,
)
from schemas.errors import InvalidCommand, NotAllowed, NotDue, WrongState
from schemas.events import Deadline, Revoked
from schemas.journey import Status
from schemas.rulebook import RevocationGround
from schemas.rulebooks import get_rulebook
from tests.factories import (
    AUTHORITY,
    PROVINCIAL_OFFICER,
    JourneyDriver,
    apply_re_evaluation,
    apply_upgrade,
    certified,
    send_expiry_notice,
    vn,
    withdraw,
)
from workflows.calendar import end_of_day
from workflows.lifecycle import re_evaluation_rulebook
from workflows.timers import SYSTEM, due_steps

QD26 = get_rulebook("qd26-2026")
CONCLUSION = "sha256:" + "c0" * 32


def _ending_on(valid_until: date) -> JourneyDriver:
    """A qd148-1489-2025 certificate (recognized 2 March 2026) whose term ends on ``valid_until``."""
    driver = certified()
    state = driver.journey
    assert state.certificate is not None
    driver.state = state.model_copy(
        update={"certificate": state.certificate.model_copy(update={"valid_until": valid_until})}
    )
    return driver


def test_the_rulebook_in_force_at_t_minus_180_decides_the_certificates_re_evaluation() -> None:
    # T−180 on 21 May 2026 (qd148-1489-2025, no window): the 30-day expiry notice, as before.
    before = _ending_on(date(2026, 11, 17))
    assert before.journey.certificate is not None
    assert re_evaluation_rulebook(before.journey.certificate) is None
    assert [type(step.command).__name__ for step in due_steps(before.journey)] == [
        "SendExpiryNotice",
        "ExpireCertificate",
    ]
    # T−180 on 22 May 2026 (qd26-2026's first day): its window, and no 30-day notice.
    after = _ending_on(date(2026, 11, 18))
    assert after.journey.certificate is not None
    governing = re_evaluation_rulebook(after.journey.certificate)
    assert governing is not None
    assert governing.id == "qd26-2026"
    [step] = due_steps(after.journey)
    assert step.command == OpenReEvaluationWindow(actor=SYSTEM)
    assert step.at == vn(date(2026, 5, 22), 0)


def test_the_window_opens_at_t_minus_180_not_before_and_then_the_expiry_notice_is_refused() -> None:
    driver = certified()  # qd148-1489-2025, valid until 2029-03-01: T−180 is 2028-09-02
    [step] = due_steps(driver.journey)
    assert step.at == end_of_day(date(2028, 9, 1))
    driver.at(step.at - timedelta(seconds=1))
    driver.expect_refused(step.command, NotDue)
    driver.at(step.at)
    [opened] = driver.run(step.command)
    assert (opened.opens_on, opened.closes_on) == (date(2028, 9, 2), date(2028, 11, 1))  # type: ignore[union-attr]
    driver.at(vn(date(2029, 2, 1)))  # the old 30-day notice's day
    driver.expect_refused(send_expiry_notice(), WrongState)
    assert [type(s.command).__name__ for s in due_steps(driver.journey)] == [
        "CloseReEvaluationWindow",
        "ExpireCertificate",
    ]


def _qd26_certificate() -> JourneyDriver:
    driver = certified(now=vn(date(2026, 6, 1)))
    assert driver.journey.rulebook == "qd26-2026"
    return driver


def _revoke(
    ground: RevocationGround | None, concluded_on: date | None, conclusion: str | None = CONCLUSION
) -> Revoke:
    return Revoke(
        actor=AUTHORITY,
        grounds="Theo kết luận kiểm tra",
        ground=ground,
        conclusion=conclusion,
        concluded_on=concluded_on,
    )


@pytest.mark.parametrize("ground", list(RevocationGround))
def test_a_qd26_revocation_cites_its_ground_and_conclusion_and_is_due_15_days_after_it(
    ground: RevocationGround,
) -> None:
    assert QD26.revocation is not None
    assert ground in QD26.revocation.grounds
    driver = _qd26_certificate()
    driver.at(vn(date(2026, 9, 20)))
    [revoked] = driver.run(_revoke(ground, date(2026, 9, 10)))
    assert isinstance(revoked, Revoked)
    assert (revoked.ground, revoked.conclusion, revoked.concluded_on) == (
        ground,
        CONCLUSION,
        date(2026, 9, 10),
    )
    assert revoked.decision_due == date(2026, 9, 25)  # 15 days after the conclusion
    assert driver.journey.status == "REVOKED"


def test_a_qd26_revocation_lacking_its_ground_or_conclusion_or_dated_out_of_bounds_is_refused() -> None:
    driver = _qd26_certificate()
    driver.at(vn(date(2026, 9, 20)))
    driver.expect_refused(_revoke(None, date(2026, 9, 10)), InvalidCommand)
    driver.expect_refused(_revoke(RevocationGround.B, None), InvalidCommand)
    driver.expect_refused(_revoke(RevocationGround.B, date(2026, 9, 10), conclusion=None), InvalidCommand)
    driver.expect_refused(_revoke(RevocationGround.B, date(2026, 9, 21)), InvalidCommand)  # in the future
    driver.expect_refused(
        _revoke(RevocationGround.B, date(2026, 5, 30)), InvalidCommand
    )  # before recognition


def test_an_old_rulebook_certificate_is_still_revoked_on_free_grounds() -> None:
    driver = certified()  # qd148-1489-2025
    driver.at(vn(date(2026, 9, 20)))
    [revoked] = driver.run(Revoke(actor=AUTHORITY, grounds="Vi phạm an toàn thực phẩm"))
    assert isinstance(revoked, Revoked)
    assert (revoked.ground, revoked.decision_due) == (None, None)


def _late_re_evaluation_extended() -> JourneyDriver:
    """A certificate valid until 2029-03-01 whose re-evaluation was filed after T−120 and is still
    open at the end of its term: extended (Art. 12.3)."""
    driver = certified()
    driver.at(end_of_day(date(2028, 9, 1))).run(OpenReEvaluationWindow(actor=SYSTEM))
    driver.at(end_of_day(date(2028, 11, 1)))
    [closing] = due_steps(driver.journey)[:1]
    driver.run(closing.command)
    driver.at(vn(date(2029, 1, 5))).run(apply_re_evaluation())
    assert driver.journey.re_evaluation_window is not None
    assert driver.journey.re_evaluation_window.filed_late
    [extend] = [step for step in due_steps(driver.journey) if step.command == ExtendCertificate(actor=SYSTEM)]
    assert extend.at == end_of_day(date(2029, 3, 1))
    driver.at(extend.at).run(extend.command)
    return driver


def test_the_extension_moves_the_expiry_to_t_plus_180_and_a_withdrawn_re_evaluation_ends_it_at_once() -> None:
    driver = _late_re_evaluation_extended()
    assert driver.journey.certificate_extended_until == date(2029, 8, 28)
    [expiry] = [step for step in due_steps(driver.journey) if step.command == ExpireCertificate(actor=SYSTEM)]
    assert expiry.at == end_of_day(date(2029, 8, 28))
    driver.at(expiry.at - timedelta(seconds=1))
    driver.expect_refused(ExpireCertificate(actor=SYSTEM), NotDue)
    # The producer withdraws the re-evaluation the day before: no decision will come, so the
    # extended certificate (valid "until the decision") ends at once.
    driver.run(withdraw())
    assert driver.journey.status == Status.CERTIFIED
    [now_due] = due_steps(driver.journey)
    assert now_due.command == ExpireCertificate(actor=SYSTEM)
    assert now_due.at == end_of_day(date(2029, 3, 1))
    [expired] = driver.run(now_due.command)
    assert expired.type == "certificate_expired"
    assert driver.journey.certificate_in_force is None


def test_a_re_evaluation_accepted_under_the_window_is_due_45_days_later() -> None:
    driver = _late_re_evaluation_extended()
    driver.run(driver.accept())
    deadline = driver.journey.deadlines[Deadline.RE_EVALUATION_COMPLETION]
    assert deadline.due == driver.today + timedelta(days=45)
    assert deadline.due_from == "provincial_officer"
    flag = FlagMissedDeadline(actor=SYSTEM, deadline="re_evaluation_completion")
    driver.at(end_of_day(deadline.due) - timedelta(seconds=1))
    driver.expect_refused(flag, NotDue)
    driver.at(end_of_day(deadline.due))
    [missed] = driver.run(flag)
    assert missed.type == "deadline_missed"
    assert driver.journey.status == Status.AWAITING_ROUND


def test_the_agencys_revocation_file_opens_only_under_named_grounds_once_and_outlives_an_application() -> (
    None
):
    file = OpenRevocation(
        actor=PROVINCIAL_OFFICER,
        ground=RevocationGround.A,
        conclusion=CONCLUSION,
        concluded_on=date(2026, 9, 10),
    )
    old = certified()  # qd148-1489-2025: free grounds, no file
    old.at(vn(date(2026, 9, 20)))
    old.expect_refused(file, InvalidCommand)
    driver = _qd26_certificate()
    driver.at(vn(date(2026, 9, 20)))
    driver.expect_refused(file.model_copy(update={"actor": AUTHORITY}), NotAllowed)
    driver.run(file)
    assert driver.journey.deadlines[Deadline.REVOCATION_DECISION].due == date(2026, 9, 25)
    driver.expect_refused(file, WrongState)
    # An upgrade filed and withdrawn meanwhile does not close the file's deadline.
    driver.run(apply_upgrade())
    driver.run(withdraw())
    assert Deadline.REVOCATION_DECISION in driver.journey.deadlines
    [revoked] = driver.run(Revoke(actor=AUTHORITY, grounds="Giả mạo hồ sơ"))
    assert isinstance(revoked, Revoked)
    assert (revoked.ground, revoked.decision_due) == (RevocationGround.A, date(2026, 9, 25))
