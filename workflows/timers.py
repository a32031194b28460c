"""The journey's timers as data: which timed step comes next, and when (pure).

The workflow sleeps until the earliest one; on waking it gives itself that step as a command from
the ``system`` actor, so a timed step goes through ``decide`` like any other.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from schemas.commands import (
    CloseReEvaluationWindow,
    ExpireCertificate,
    ExtendCertificate,
    FlagInspectionDue,
    FlagMissedDeadline,
    JourneyCommand,
    LapseDossier,
    OpenReEvaluationWindow,
    SendExpiryNotice,
)
from schemas.events import Certificate, Deadline
from schemas.journey import TERMINAL, JourneyState, Status
from schemas.log import Actor
from schemas.roles import Role
from schemas.rulebooks import get_rulebook
from workflows.calendar import end_of_day
from workflows.inspection import awaiting_inspection_due, inspection_due_instant
from workflows.lifecycle import (
    expiry_instant,
    notice_instant,
    re_evaluation_in_progress,
    re_evaluation_rulebook,
    window_opening_instant,
)
from workflows.passage import passage_deadline

SYSTEM = Actor(id="system", role=Role.SYSTEM.value)


class TimedStep(BaseModel):
    """A step the journey takes by itself at ``at``."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    command: JourneyCommand


def due_steps(
    state: JourneyState, *, passage: bool = True, re_evaluation: bool = True, inspection: bool = True
) -> list[TimedStep]:
    """Every timed step the state is waiting for, earliest first; with ``passage``, also the
    escalation of a dossier kept under an old rulebook past its passage deadline (qd26-2026 Art.
    12.2); with ``re_evaluation``, the re-evaluation window of a certificate whose window opens
    under a rulebook that has one (qd26-2026 Art. 7.6, 12.3) instead of the expiry notice; with
    ``inspection``, the periodic inspection's due day of a certificate whose rulebook sets an
    interval (qd26-2026 Art. 9.2.a, workflows/inspection.py). The workflow turns each on with
    workflow.patched for journeys recorded before it."""
    if state.status in TERMINAL:
        return []
    steps: list[TimedStep] = []
    certificate = state.certificate_in_force
    if certificate is not None:
        steps.extend(_certificate_steps(state, certificate, re_evaluation=re_evaluation))
    due = awaiting_inspection_due(state) if inspection else None
    if due is not None:
        # Cancelled by the certificate's end (expiry, revocation: no certificate in force), moved
        # on by each recorded inspection, and taken once per due day (state.inspection_due_on).
        at = inspection_due_instant(due.due_on)
        steps.append(TimedStep(at=at, command=FlagInspectionDue(actor=SYSTEM)))
    for kind, deadline in state.deadlines.items():
        if deadline.missed:
            continue
        at = end_of_day(deadline.due)
        if kind == Deadline.DOSSIER_COMPLETION:
            if state.status == Status.DOSSIER_RETURNED:
                steps.append(TimedStep(at=at, command=LapseDossier(actor=SYSTEM)))
        else:
            steps.append(TimedStep(at=at, command=FlagMissedDeadline(actor=SYSTEM, deadline=kind.value)))
    kept = passage_deadline(state) if passage else None
    if kept is not None:
        flag = FlagMissedDeadline(actor=SYSTEM, deadline=Deadline.PASSAGE_COMPLETION.value)
        steps.append(TimedStep(at=end_of_day(kept.due), command=flag))
    return sorted(steps, key=lambda step: step.at)


def _certificate_steps(
    state: JourneyState, certificate: Certificate, *, re_evaluation: bool
) -> list[TimedStep]:
    window = state.re_evaluation_window
    in_progress = re_evaluation_in_progress(state)
    if window is None:
        governing = re_evaluation_rulebook(certificate) if re_evaluation else None
        if governing is not None and governing.re_evaluation is not None:
            # The window's notices replace the expiry notice (qd26-2026 Art. 7.6.a).
            at = window_opening_instant(certificate, governing.re_evaluation)
            return [TimedStep(at=at, command=OpenReEvaluationWindow(actor=SYSTEM))]
        steps: list[TimedStep] = []
        if not state.expiry_notice_sent:
            at = notice_instant(certificate, get_rulebook(certificate.rulebook))
            steps.append(TimedStep(at=at, command=SendExpiryNotice(actor=SYSTEM)))
        if not in_progress:
            steps.append(TimedStep(at=expiry_instant(certificate), command=ExpireCertificate(actor=SYSTEM)))
        return steps
    steps = []
    if not window.closed and not in_progress:
        close = CloseReEvaluationWindow(actor=SYSTEM)
        steps.append(TimedStep(at=end_of_day(window.closes_on), command=close))
    extended = state.certificate_extended_until
    if in_progress and extended is None:
        steps.append(TimedStep(at=expiry_instant(certificate), command=ExtendCertificate(actor=SYSTEM)))
    elif in_progress and extended is not None:
        # Valid until the decision, never past the extension (Art. 12.3): the expiry moves with it.
        steps.append(TimedStep(at=end_of_day(extended), command=ExpireCertificate(actor=SYSTEM)))
    else:
        steps.append(TimedStep(at=expiry_instant(certificate), command=ExpireCertificate(actor=SYSTEM)))
    return steps
