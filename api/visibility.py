"""Independent scoring (chấm điểm độc lập): what a reader may see of the scorecards of a product
whose council evaluation is still open. Pure: no I/O; every read of a journey (the API's routes and,
through them, the pages) passes what it answers through here.

The rule, decided by ``sees_scores``:

- A voting member of the open evaluation's council sees the other members' scores once their own
  scorecard for the product is in (the record keeps it; amending stays allowed). Before that they
  see who has scored and when, never what.
- A member who declared a conflict of interest with the product sees no one's scores (their own
  sheet, set aside, stays theirs) until the evaluation closes.
- Everyone else who may read the journey — the chair before their own sheet is in, officers,
  auditors, recognition authorities, administrators, members of another council, the producer —
  sees who has scored and when, and no score, until the evaluation closes: nobody who could pass a
  number on to a member has one.
- The evaluation closes when the council's result is finalized (or the journey leaves it without
  a result: withdrawn or revoked). From then on every reader of the journey sees every sheet of it,
  in the state as of any moment and in the history.

Only scorecards of the evaluation still open are ever sealed: sheets of an earlier, finalized
evaluation of the same journey (another level, an earlier application) are read whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar

from api.access import Principal
from schemas.api import HistoryEntry
from schemas.journey import OPENS_EVALUATION, CommandReceipt, Evaluation, JourneyState, SealedScorecard
from schemas.log import RecordedEvent
from schemas.roles import Role

# The facts of an event that are a member's scores, by event type; ``member_id`` names whose.
SCORE_FIELDS: dict[str, tuple[str, ...]] = {
    "scorecard_submitted": ("parts", "total", "choices", "points", "not_applicable"),
    "scorecard_amended": ("parts", "total", "previous_total", "choices", "points", "not_applicable"),
    "conflict_recorded": ("voided_total",),
}


# A history entry or a feed event: both carry the event's facts and a ``sealed`` list.
Sealable = TypeVar("Sealable", HistoryEntry, RecordedEvent)


class LoggedEvent(Protocol):
    """What ``open_since`` reads of an event: a history entry or a recorded event."""

    @property
    def type(self) -> str: ...

    @property
    def version(self) -> int: ...


def sees_scores(reader: Principal, evaluation: Evaluation | None) -> bool:
    """May ``reader`` see every scorecard of ``evaluation``, the journey's evaluation now (None:
    no evaluation is open, nothing is sealed)?"""
    if evaluation is None:
        return True
    council = evaluation.council
    return (
        reader.role == Role.COUNCIL_MEMBER
        and reader.id in council.voting_member_ids
        and reader.id not in council.conflicts
        and reader.id in evaluation.scorecards
    )


def seal_evaluation(reader: Principal, evaluation: Evaluation) -> Evaluation:
    """``evaluation``, open now, as ``reader`` may see it: whole if they may see its scores, else
    their own scorecard whole and the others' as who submitted and how often amended (``sealed``)."""
    return evaluation if sees_scores(reader, evaluation) else _sealed(reader, evaluation)


def _sealed(reader: Principal, evaluation: Evaluation) -> Evaluation:
    others = [member for member in evaluation.scorecards if member != reader.id]
    if not others:
        return evaluation
    sealed = {
        member: SealedScorecard(member_id=member, amendments=evaluation.scorecards[member].amendments)
        for member in others
    }
    own = {member: card for member, card in evaluation.scorecards.items() if member not in others}
    return evaluation.model_copy(update={"scorecards": own, "sealed": {**evaluation.sealed, **sealed}})


def seal_state(reader: Principal, journey: JourneyState) -> JourneyState:
    """The journey's current state (``GET /v1/journeys/{id}``, the list, the board) as ``reader``
    may see it."""
    if journey.evaluation is None:
        return journey
    sealed = seal_evaluation(reader, journey.evaluation)
    return journey if sealed is journey.evaluation else journey.model_copy(update={"evaluation": sealed})


def seal_receipt(reader: Principal, receipt: CommandReceipt) -> CommandReceipt:
    """A command's receipt carries the new state: the same seal as a read of it."""
    state = seal_state(reader, receipt.state)
    return receipt if state is receipt.state else receipt.model_copy(update={"state": state})


def open_since(journey: JourneyState, events: Iterable[LoggedEvent]) -> int | None:
    """The stream version of the event that opened the evaluation still open in ``journey`` (its
    current state); None when no evaluation is open. ``events``: the journey's log, in order."""
    if journey.evaluation is None:
        return None
    opened = [event.version for event in events if event.type == OPENS_EVALUATION]
    return opened[-1] if opened else None


def seal_state_then(
    reader: Principal, journey: JourneyState, then: JourneyState, since: int | None
) -> JourneyState:
    """The state as of a moment (``GET /v1/journeys/{id}/state?as_of=``) as ``reader`` may see
    it: sealed when its evaluation is the one still open now (``since``: ``open_since`` of the
    whole log), by what the reader may see now; an evaluation closed since is read whole."""
    if (
        since is None
        or then.evaluation is None
        or then.version < since
        or sees_scores(reader, journey.evaluation)
    ):
        return then
    # What the reader may see now decides (a sheet they had then may have been set aside since).
    return then.model_copy(update={"evaluation": _sealed(reader, then.evaluation)})


def seal_history(reader: Principal, journey: JourneyState, entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """The journey's history (``GET /v1/journeys/{id}/history``, the timeline, its exports) as
    ``reader`` may see it: in the evaluation still open, another member's scorecard entries keep
    who (``member_id``, the actor) and when, and lose their scores (named in ``sealed``).

    A sealed entry keeps its ``hash`` and ``prev_hash`` as recorded: the chain is not recomputed
    from what a reader sees, ``/verify`` checks it over the stored events for every reader, and an
    auditor who reads the history once the result is finalized gets the same entries whole, with
    the same hashes, and can recompute each link."""
    since = open_since(journey, entries)
    if since is None or sees_scores(reader, journey.evaluation):
        return entries
    return [_seal_entry(reader, entry) if entry.version > since else entry for entry in entries]


def seal_feed(
    reader: Principal, events: list[RecordedEvent], open_since: Mapping[str, int]
) -> list[RecordedEvent]:
    """A page of the global feed (``GET /v1/events``) as ``reader`` may see it. ``open_since``:
    for each journey of the page whose evaluation is open now, ``open_since`` of its log. The
    feed's readers (national auditors, administrators, central officers: ``access.check_read_log``)
    sit on no council, so every member's score of an open evaluation is withheld from them; a
    follower reads it whole by asking again from an earlier position once the result is
    finalized. Hashes stay."""
    return [_seal_entry(reader, event) if _open(event, open_since) else event for event in events]


def _open(event: RecordedEvent, open_since: Mapping[str, int]) -> bool:
    """Was ``event`` recorded in a journey's evaluation that is open now?"""
    since = open_since.get(event.stream.id) if event.stream.type == "journey" else None
    return since is not None and event.version > since


def _seal_entry(reader: Principal, entry: Sealable) -> Sealable:
    fields = SCORE_FIELDS.get(entry.type)
    if fields is None or entry.data.get("member_id") == reader.id:
        return entry
    withheld = [name for name in fields if name in entry.data]
    if not withheld:
        return entry
    data = {key: value for key, value in entry.data.items() if key not in withheld}
    return entry.model_copy(update={"data": data, "sealed": withheld})
