"""``ocop rebuild``: every journey read model recomputed from the log equals the stored one; a
corrupted read model is reported (and, without --check, rewritten)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import asyncpg
from temporalio.testing import ActivityEnvironment

from activities.recording import Recording, RecordJourneyEvents
from schemas.commands import Command
from schemas.events import event_data
from schemas.journey import JourneyState
from schemas.log import EventMetadata, NewEvent
from store import EventStore
from tests.factories import accept, intake_to_dossier, register
from tests.test_cli import ocop
from workflows.lifecycle import applicable_rulebook, decide
from workflows.projection import fold


async def record_journey(store: EventStore, journey_id: str, commands: list[Command]) -> JourneyState:
    """Record a journey through the real recording activity (as its workflow would)."""
    recording = Recording(store)
    state: JourneyState | None = None
    for command in commands:
        now = datetime.now(UTC)
        events = decide(state, command, applicable_rulebook(state, now), now)  # type: ignore[arg-type]
        envelopes = [
            NewEvent(
                event_id=uuid.uuid4(),
                type=event.type,
                data=event_data(event),
                metadata=EventMetadata(actor=command.actor),
            )
            for event in events
        ]
        request = RecordJourneyEvents(
            journey_id=journey_id,
            expected_version=state.version if state else 0,
            events=envelopes,
            idempotency_key=str(uuid.uuid4()),
            prior_state=state,
        )
        receipt = await ActivityEnvironment().run(recording.record_journey_events, request)
        state = fold(state, events, receipt.recorded_at)
    assert state is not None
    return state


async def test_rebuild_finds_and_repairs_a_corrupted_read_model(
    event_store: EventStore, migrated_database_url: str
) -> None:
    for journey_id in ("J-A", "J-B"):
        # Today qd26-2026 pins: the acceptance gives the Mẫu 03 assessment and the proposal.
        steps = [register(journey_id), *intake_to_dossier(), accept(review=True)]
        await record_journey(event_store, journey_id, steps)

    check = await asyncio.to_thread(ocop, "rebuild", "--check", url=migrated_database_url)
    assert check.exit_code == 0, check.output
    assert "2 journeys folded" in check.output, check.output
    assert "every read model matches the log" in check.output

    conn = await asyncpg.connect(migrated_database_url)
    try:
        await conn.execute(
            """UPDATE read_models SET state = jsonb_set(state, '{status}', '"CERTIFIED"')
               WHERE kind = 'journey' AND id = 'J-B'"""
        )
    finally:
        await conn.close()

    check = await asyncio.to_thread(ocop, "rebuild", "--check", url=migrated_database_url)
    assert check.exit_code == 1
    assert "journey:J-B" in check.output
    assert "journey:J-A" not in check.output

    repaired = await asyncio.to_thread(ocop, "rebuild", url=migrated_database_url)
    assert repaired.exit_code == 0, repaired.output
    assert "journey:J-B" in repaired.output
    stored = await event_store.get_read_model("journey", "J-B")
    assert stored is not None
    assert stored["status"] == "AWAITING_ROUND"
    again = await asyncio.to_thread(ocop, "rebuild", "--check", url=migrated_database_url)
    assert again.exit_code == 0, again.output
