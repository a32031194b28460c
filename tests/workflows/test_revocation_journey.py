"""Revocation under qd26-2026 (Art. 8.3–8.4) on Temporal's time-skipping server with a real
PostgreSQL log: the OCOP agency's revocation file starts the 15 days of the decision, which escalate
(``deadline_missed``) when they pass; the authority's revocation then cites the file's ground."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
from temporalio.testing import WorkflowEnvironment

from schemas.commands import OpenRevocation, Revoke
from schemas.journey import Status
from schemas.log import StreamRef
from schemas.rulebook import RevocationGround
from store import EventStore
from tests.factories import AUTHORITY, PROVINCIAL_OFFICER
from tests.workflows.harness import TemporalJourney, running_worker
from tests.workflows.test_journey import assert_log_matches_closed, eventually, today
from tests.workflows.test_re_evaluation_journey import _certified_under_qd26, _sleep_until

CONCLUSION = "sha256:" + "c0" * 32


async def test_the_revocation_decision_escalates_15_days_after_the_conclusion_then_cites_its_ground(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-QD26-REVOKE")
        await _certified_under_qd26(env, driver)
        concluded = await today(env)
        opened = OpenRevocation(
            actor=PROVINCIAL_OFFICER, ground=RevocationGround.C, conclusion=CONCLUSION, concluded_on=concluded
        )
        state = (await driver.do(opened)).state
        due = concluded + timedelta(days=15)
        assert state.deadlines["revocation_decision"].due == due  # type: ignore[index]
        assert state.status == Status.CERTIFIED  # the certificate holds until the decision

        await _sleep_until(env, due, after=timedelta(hours=23))
        assert not (await driver.state()).deadlines["revocation_decision"].missed  # type: ignore[index]
        await env.sleep(timedelta(hours=2))
        state = await eventually(driver, lambda s: s.deadlines["revocation_decision"].missed)  # type: ignore[index]
        assert state.deadlines["revocation_decision"].due_from == "recognition_authority"  # type: ignore[index]

        receipt = await driver.do(Revoke(actor=AUTHORITY, grounds="Vi phạm an toàn thực phẩm theo kết luận"))
        assert receipt.state.status == Status.REVOKED
        final = await driver.handle.result()
        assert final is not None
        types = await assert_log_matches_closed(store_pool, driver)
        assert types[-3:] == ["revocation_opened", "deadline_missed", "revoked"]
        events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id=driver.journey_id))
        assert (events[-1].data["ground"], events[-1].data["conclusion"]) == ("c", CONCLUSION)
        assert events[-2].data["deadline"] == "revocation_decision"
        await driver.save_history("qd26_revocation_file_escalates_then_revoked")
