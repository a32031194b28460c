"""Post-recognition inspection (qd26-2026 Art. 9) on Temporal's time-skipping server with a real
PostgreSQL log: the agency's inspection is recorded with its body and evidence, and a conclusion
that the product no longer meets the criteria opens the revocation file on ground (b), whose 15
days then escalate (``deadline_missed``) like any revocation file's."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
from temporalio.testing import WorkflowEnvironment

from schemas.commands import RecordInspection
from schemas.journey import Status
from schemas.log import StreamRef
from schemas.rulebook import InspectionCheck, InspectionKind
from store import EventStore
from tests.factories import PROVINCIAL_OFFICER
from tests.workflows.harness import TemporalJourney, running_worker
from tests.workflows.test_journey import eventually, today
from tests.workflows.test_re_evaluation_journey import _certified_under_qd26, _sleep_until

CONCLUSION = "sha256:" + "c1" * 32
PHOTO = "sha256:" + "e0" * 32
BODY = "Cơ quan quản lý OCOP tỉnh Thanh Hóa"


async def test_a_failing_inspection_opens_the_revocation_file_whose_15_days_escalate(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-QD26-INSPECT")
        await _certified_under_qd26(env, driver)
        periodic = RecordInspection(
            actor=PROVINCIAL_OFFICER,
            authority=BODY,
            kind=InspectionKind.PERIODIC,
            inspected_on=await today(env),
            checked=list(InspectionCheck),
            findings="Duy trì các tiêu chí theo hồ sơ",
            meets_criteria=True,
            conclusion=CONCLUSION,
        )
        receipt = await driver.do(periodic)
        assert receipt.event_types == ["inspection_recorded"]
        assert receipt.state.revocation_file is None

        await env.sleep(timedelta(days=40))
        concluded = await today(env)
        failing = periodic.model_copy(
            update={
                "kind": InspectionKind.AD_HOC,
                "inspected_on": concluded,
                "meets_criteria": False,
                "evidence": [PHOTO],
            }
        )
        receipt = await driver.do(failing)
        assert receipt.event_types == ["inspection_recorded", "revocation_opened"]
        state = receipt.state
        assert state.status == Status.CERTIFIED  # the certificate holds until the authority decides
        assert [record.meets_criteria for record in state.inspections] == [True, False]
        due = concluded + timedelta(days=15)
        assert state.deadlines["revocation_decision"].due == due  # type: ignore[index]

        await _sleep_until(env, due, after=timedelta(hours=25))
        await eventually(driver, lambda s: s.deadlines["revocation_decision"].missed)  # type: ignore[index]
        events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id=driver.journey_id))
        inspected = [event for event in events if event.type == "inspection_recorded"]
        assert [event.data["meets_criteria"] for event in inspected] == [True, False]
        assert inspected[-1].data["body"] == BODY
        assert inspected[-1].metadata.authority == BODY
        assert inspected[-1].metadata.evidence == [PHOTO]
        opened = next(event for event in events if event.type == "revocation_opened")
        assert (opened.data["ground"], opened.data["conclusion"]) == ("b", CONCLUSION)
        assert events[-1].type == "deadline_missed"
