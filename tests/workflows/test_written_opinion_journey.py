"""A re-evaluation by written opinion (qd26-2026 Art. 7.6.c–d) on Temporal's time-skipping server with
a real PostgreSQL log: the agency records its site-check choice, a member asks for a meeting, the chair
cannot finalize by written opinion and finalizes with the meeting's day; the log keeps the mode."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
from temporalio.testing import WorkflowEnvironment

from schemas.commands import ApplyReEvaluation, DecideSiteCheck, FinalizeResult, RequestMeeting
from schemas.journey import Status
from schemas.log import Actor, StreamRef
from schemas.rulebook import SiteCheckGround
from store import EventStore
from tests.factories import PRODUCER, PROVINCIAL_OFFICER, enrol, score_all, sheet_of
from tests.workflows.harness import TemporalJourney, running_worker
from tests.workflows.rounds_harness import refused
from tests.workflows.test_journey import PROVINCE_COUNCIL, eventually, today
from tests.workflows.test_re_evaluation_journey import _certified_under_qd26, _sleep_until


async def test_a_member_takes_the_written_opinion_to_a_meeting_and_the_mode_is_recorded(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-QD26-WRITTEN")
        certificate = (await _certified_under_qd26(env, driver)).certificate
        assert certificate is not None
        await _sleep_until(env, certificate.valid_until - timedelta(days=150), after=timedelta(hours=10))
        await eventually(driver, lambda s: s.re_evaluation_window is not None)
        await driver.do(ApplyReEvaluation(actor=PRODUCER, documents=["sha256:re-eval"]))
        await driver.accept()
        choice = DecideSiteCheck(
            actor=PROVINCIAL_OFFICER, survey=True, survey_grounds=[SiteCheckGround.EVIDENCE_UNCLEAR]
        )
        assert (await driver.do(choice)).state.site_checks == {"province": True}

        await driver.do(enrol(PROVINCE_COUNCIL, "R-P9", PROVINCIAL_OFFICER))
        for command in score_all(PROVINCE_COUNCIL, ["80"] * 8, sheet=sheet_of(await driver.state())):
            await driver.do(command)
        member = Actor(id=PROVINCE_COUNCIL.voting_member_ids[2], role="council_member")
        await driver.do(RequestMeeting(actor=member, reason="Minh chứng tiêu chí 2.2 chưa rõ"))
        chair = Actor(id=PROVINCE_COUNCIL.chair_id, role="council_member")
        await refused(driver.do(FinalizeResult(actor=chair)), "WrongState")
        state = (await driver.do(FinalizeResult(actor=chair, met_on=await today(env)))).state
        assert state.status == Status.AWAITING_RECOGNITION

        events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id=driver.journey_id))
        assert [event.type for event in events][-2:] == ["meeting_requested", "council_finalized"]
        requested = next(event for event in events if event.type == "meeting_requested")
        assert requested.data == {"member_id": member.id}
        assert requested.metadata.reason == "Minh chứng tiêu chí 2.2 chưa rõ"
        decided = next(event for event in events if event.type == "site_check_decided")
        assert decided.data == {"level": "province", "survey": True, "grounds": ["evidence_unclear"]}
        finalized = next(event for event in reversed(events) if event.type == "council_finalized")
        assert finalized.data["evaluation_mode"] == "meeting"
        assert finalized.data["met_on"] == (await today(env)).isoformat()
        assert finalized.data["meeting_grounds"] == ["requested"]
        await driver.save_history("qd26_re_evaluation_written_opinion_goes_to_a_meeting")
