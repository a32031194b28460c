"""The journey's timers as data: which timed step comes next, and when (pure).

The workflow sleeps until the earliest one; on waking it gives itself that step as a command from
the ``system`` actor, so a timed step goes through ``decide`` like any other.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from schemas.commands import (
    ExpireCertificate,
    FlagMissedDeadline,
    JourneyCommand,
    LapseDossier,
    SendExpiryNotice,
)
from schemas.events import Deadline
from schemas.journey import TERMINAL, JourneyState, Status
from schemas.log import Actor
from schemas.roles import Role
from schemas.rulebooks import get_rulebook
from workflows.calendar import end_of_day
from workflows.lifecycle import expiry_instant, notice_instant, re_evaluation_in_progress
from workflows.passage import passage_deadline

SYSTEM = Actor(id="system", role=Role.SYSTEM.value)


class TimedStep(BaseModel):
    """A step the journey takes by itself at ``at``."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    command: JourneyCommand


def due_steps(state: JourneyState, *, passage: bool = True) -> list[TimedStep]:
    """Every timed step the state is waiting for, earliest first; with ``passage``, also the
    escalation of a dossier kept under an old rulebook past its passage deadline (qd26-2026 Art.
    12.2; the workflow turns it on with workflow.patched for journeys recorded before it)."""
    if state.status in TERMINAL:
        return []
    steps: list[TimedStep] = []
    certificate = state.certificate_in_force
    if certificate is not None:
        rulebook = get_rulebook(certificate.rulebook)
        if not state.expiry_notice_sent:
            steps.append(
                TimedStep(at=notice_instant(certificate, rulebook), command=SendExpiryNotice(actor=SYSTEM))
            )
        if not re_evaluation_in_progress(state):
            steps.append(TimedStep(at=expiry_instant(certificate), command=ExpireCertificate(actor=SYSTEM)))
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
