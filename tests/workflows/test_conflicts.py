"""A conflict of interest declared during an evaluation (ocop.md §4): the member stops scoring the
product, and a scorecard they already gave it is set aside."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.commands import Command, RecordConflict, SubmitScorecard
from schemas.errors import ConflictOfInterest, DomainError, NotAllowed, NotAVotingMember, WrongState
from schemas.journey import JourneyState
from schemas.log import Actor
from tests.factories import (
    PROVINCIAL_OFFICER,
    accept,
    council,
    enrol,
    intake_to_dossier,
    member,
    parts,
    register,
)
from workflows.lifecycle import applicable_rulebook, decide, evolve
from workflows.scoring import quorum_required

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
ROSTER = council()


def run(state: JourneyState | None, command: Command) -> JourneyState:
    for event in decide(state, command, applicable_rulebook(state, NOW), NOW):  # type: ignore[arg-type]
        state = evolve(state, event, NOW)
    assert state is not None
    return state


def in_evaluation() -> JourneyState:
    state = run(None, register())
    for command in [*intake_to_dossier(), accept(), enrol(ROSTER)]:
        state = run(state, command)
    return state


def test_a_declared_conflict_sets_aside_the_members_scorecard_and_stops_them_scoring() -> None:
    state = run(
        in_evaluation(), SubmitScorecard(actor=member(ROSTER.council_id, 3), parts=parts("30", "20", "30"))
    )
    state = run(
        state, RecordConflict(actor=member(ROSTER.council_id, 3), member_id=member(ROSTER.council_id, 3).id)
    )
    assert state.evaluation is not None
    assert state.evaluation.scorecards == {}
    assert state.evaluation.council.conflicts == [member(ROSTER.council_id, 3).id]
    # 8 voting members, one conflicted: 2/3 of 7 rounded up is 5 (it was 6 of 8).
    assert quorum_required(state.evaluation.council, applicable_rulebook(state, NOW)) == 5
    with pytest.raises(ConflictOfInterest):
        decide(
            state,
            SubmitScorecard(actor=member(ROSTER.council_id, 3), parts=parts("30", "20", "30")),
            applicable_rulebook(state, NOW),
            NOW,
        )


@pytest.mark.parametrize(
    ("actor", "member_id", "error"),
    [
        (member(ROSTER.council_id, 4), member(ROSTER.council_id, 3).id, NotAllowed),  # for someone else
        (PROVINCIAL_OFFICER, "someone-else", NotAVotingMember),  # not on the council
        (Actor(id="producer-1", role="producer"), "producer-1", NotAllowed),
    ],
)
def test_who_may_record_a_conflict(actor: Actor, member_id: str, error: type[DomainError]) -> None:
    state = in_evaluation()
    with pytest.raises(error):
        decide(state, RecordConflict(actor=actor, member_id=member_id), applicable_rulebook(state, NOW), NOW)


def test_the_officer_records_a_members_conflict_once() -> None:
    command = RecordConflict(actor=PROVINCIAL_OFFICER, member_id=member(ROSTER.council_id, 5).id)
    state = run(in_evaluation(), command)
    with pytest.raises(WrongState):
        decide(state, command, applicable_rulebook(state, NOW), NOW)
    assert state.evaluation is not None
    assert state.evaluation.council.conflicts == [member(ROSTER.council_id, 5).id]
