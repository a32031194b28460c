"""The provincial step under qd26-2026 (Art. 7.3) on Temporal's time-skipping server with a real
PostgreSQL log: the province returns the commune's file for completion, the commune sends it again,
the advisory team's steps are recorded, and a 2★ result ends with the written notice (no decision)."""

from __future__ import annotations

import asyncpg
from temporalio.testing import WorkflowEnvironment

from schemas.commands import AcceptDossier, RecordAdvisoryStep, ReturnDossier
from schemas.journey import Status
from schemas.log import StreamRef
from schemas.procedure import AdvisoryStep
from store import EventStore
from tests.factories import COMMUNE_OFFICER, PROVINCIAL_OFFICER, resubmit_dossier
from tests.workflows.harness import TemporalJourney, running_worker
from tests.workflows.test_commune_numbering import _submitted
from tests.workflows.test_journey import PROVINCE_COUNCIL, assert_log_matches_closed, evaluate, today

ASSESSMENT = {
    "local_raw_material": "Nếp cái hoa vàng của xã",
    "local_labour": "12 lao động trong xã",
    "idea_origin": "Sản phẩm truyền thống",
    "local_identity": "Men lá theo kinh nghiệm cộng đồng",
}


async def test_returned_by_the_province_sent_again_reviewed_and_a_two_star_result_notified(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-QD26-PROVINCE")
        await _submitted(driver)
        accept = AcceptDossier(
            actor=COMMUNE_OFFICER,
            commune_report="sha256:mau-03",
            commune_assessment=ASSESSMENT,
            proposal="sha256:proposal",
        )
        state = (await driver.do(accept)).state
        code = state.product_code
        assert code is not None
        assert state.commune_review is not None
        assert state.commune_review.assessment == ASSESSMENT

        returned = ReturnDossier(actor=PROVINCIAL_OFFICER, missing_items=["phiếu kiểm nghiệm vi sinh"])
        state = (await driver.do(returned)).state
        assert (state.status, state.level) == (Status.DOSSIER_RETURNED, None)
        await driver.do(resubmit_dossier())
        state = (await driver.do(accept)).state
        assert (state.status, state.product_code) == (Status.AWAITING_ROUND, code)  # the code stays

        day = await today(env)
        for step in (AdvisoryStep.REVIEW, AdvisoryStep.SITE_SURVEY, AdvisoryStep.REPORT):
            advisory = RecordAdvisoryStep(
                actor=PROVINCIAL_OFFICER, step=step, held_on=day, documents=[f"sha256:{step.value}"]
            )
            await driver.do(advisory)
        assert [record.step for record in (await driver.state()).advisory] == [
            AdvisoryStep.REVIEW,
            AdvisoryStep.SITE_SURVEY,
            AdvisoryStep.REPORT,
        ]

        state = await evaluate(driver, PROVINCE_COUNCIL, "R-P1", ["40"] * 8, PROVINCIAL_OFFICER)
        assert (state.status, state.results[-1].stars) == (Status.NOT_RANKED, 2)
        await driver.handle.result()
        types = await assert_log_matches_closed(store_pool, driver)
        assert types[-2:] == ["council_finalized", "result_notice_issued"]
        assert types.count("dossier_returned") == 1
        events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id=driver.journey_id))
        returned_event = next(event for event in events if event.type == "dossier_returned")
        assert returned_event.data["level"] == "province"
        assert returned_event.metadata.actor.role == "provincial_officer"
        assert events[-1].data["notified"] == ["producer", "commune_officer"]
        await driver.save_history("qd26_province_returns_advisory_steps_two_stars_notified")
