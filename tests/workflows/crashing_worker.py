"""Run the engine's real worker in a process of its own, for the crash tests.

With CRASH_MARKER set, the recording activity hangs right after its first scorecard commits,
having written the receipt to that file: the test then kills this process, so the decision is
committed but never acknowledged to Temporal.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from temporalio import activity

import settings
import worker
from activities.recording import Recording, RecordJourneyEvents
from schemas.log import AppendReceipt

MARKER = os.environ.get("CRASH_MARKER")

if MARKER:
    record = Recording.record_journey_events

    marker = Path(MARKER)

    # ``self`` stays unannotated: Temporal would otherwise count it as a payload parameter.
    @activity.defn(name="record_journey_events")
    async def hang_after_commit(self, request: RecordJourneyEvents) -> AppendReceipt:  # type: ignore[no-untyped-def]
        receipt = await record(self, request)
        if request.events[0].type == "scorecard_submitted":
            await asyncio.to_thread(marker.write_text, receipt.model_dump_json(), encoding="utf-8")
            await asyncio.Event().wait()  # never returns: the test kills this process now
        return receipt

    Recording.record_journey_events = hang_after_commit  # type: ignore[method-assign]


if __name__ == "__main__":
    worker.main(settings.Settings())  # leaves without the interpreter teardown, as `ocop worker` does
