"""A journey under qd26-2026 scored criterion by criterion (QĐ 26/2026 Phụ lục II) through Temporal:
8 members fill the whole sheet of a food set; the mean is in the 5★ band but one 5★ minimum is not
met on the council, so the council awards 4★, which the province recognizes (ocop.md §7)."""

from __future__ import annotations

from decimal import Decimal

import asyncpg
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from schemas.commands import RegisterIdea, SubmitScorecard
from schemas.events import Outcome
from schemas.journey import Status
from schemas.log import Actor, StreamRef
from schemas.rulebook import Level
from schemas.scorecard import SHEETS
from store import EventStore
from tests.factories import (
    HAC_THANH,
    PRODUCER,
    PROVINCIAL_OFFICER,
    THANH_HOA,
    council,
    enrol,
    finalize,
    intake_to_dossier,
    recognize,
)
from tests.scoresheets import filled, option_worth, total_of
from tests.workflows.harness import TemporalJourney, running_worker
from workflows.calendar import local_date

FOOD_SET = "I.1.a"  # Rau, củ, quả, hạt tươi
SHEET = SHEETS["qd26-2026"][FOOD_SET]
PROVINCE_COUNCIL = council()  # 9 seats: 8 voting members and the secretary


def _register(journey_id: str) -> RegisterIdea:
    return RegisterIdea(
        actor=PRODUCER,
        journey_id=journey_id,
        producer_id=PRODUCER.id,
        product_name="Bưởi Luận Văn",
        product_group="food",
        product_set=FOOD_SET,
        province_code=THANH_HOA,
        commune_code=HAC_THANH,
    )


async def test_eight_full_sheets_of_a_food_set_capped_from_five_to_four_stars_then_recognized(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    criterion = SHEET.criterion("1.5")
    assert criterion is not None
    # 1.5 needs 3 points for 5★ and 2 for 4★ (its markers). Five members choose its 2-point option,
    # three its best: its council mean is (5 × 2 + 3 × 3) / 8 = 2.375 < 3, so 5★ is held back;
    # 2.375 ≥ 2, so 4★ holds. Every other criterion is at its best.
    assert (criterion.minimum(5), criterion.minimum(4)) == (Decimal("3.00"), Decimal("2.00"))
    short = filled(SHEET, {"1.5": option_worth(criterion, "2.00")})
    full = filled(SHEET)
    voting = PROVINCE_COUNCIL.voting_member_ids
    assert len(voting) == 8
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-SHEET-1")
        await driver.start(_register(driver.journey_id))
        for command in intake_to_dossier():
            await driver.do(command)
        state = (await driver.accept()).state
        assert (state.rulebook, state.product_set) == ("qd26-2026", FOOD_SET)
        await driver.do(enrol(PROVINCE_COUNCIL, "R-SHEET", PROVINCIAL_OFFICER))

        # A sheet with a criterion left out is refused naming it; nothing is recorded.
        first = Actor(id=voting[0], role="council_member")
        missing = {code: choice for code, choice in short.items() if code != "3.2"}
        try:
            await driver.do(SubmitScorecard(actor=first, choices=missing))
        except WorkflowUpdateFailedError as failure:
            cause = failure.cause
            assert isinstance(cause, ApplicationError)
            assert (cause.type, cause.message.split(":")[0]) == ("InvalidScorecard", "criterion 3.2")
            assert cause.details
            assert cause.details[0]["criterion"] == "3.2"
        else:
            raise AssertionError("a sheet without 3.2 was accepted")

        for index, member_id in enumerate(voting):
            choices = short if index < 5 else full
            receipt = await driver.do(
                SubmitScorecard(actor=Actor(id=member_id, role="council_member"), choices=choices)
            )
        card = receipt.state.evaluation.scorecards[voting[-1]] if receipt.state.evaluation else None
        assert card is not None
        assert card.points is not None
        assert card.total == total_of(SHEET, full) == sum(card.points.values())
        state = (await driver.do(finalize(PROVINCE_COUNCIL))).state
        result = state.results[-1]
        # Five sheets one point short on 1.5, three full: the mean is rounded half-up to cents.
        expected_mean = ((5 * total_of(SHEET, short) + 3 * total_of(SHEET, full)) / 8).quantize(
            Decimal("0.01")
        )
        assert expected_mean >= 90
        assert (result.mean, result.band_stars, result.stars) == (expected_mean, 5, 4)
        assert result.held_back is not None
        assert [(held.stars, [s.criterion for s in held.shortfalls]) for held in result.held_back] == [
            (5, ["1.5"])
        ]
        assert result.outcome == Outcome.RECOGNIZE
        assert state.pending_recognition is not None
        assert (state.status, state.pending_recognition.stars) == (Status.AWAITING_RECOGNITION, 4)

        state = (await driver.do(recognize(Level.PROVINCE, local_date(await env.get_current_time())))).state
        assert state.status == Status.CERTIFIED
        assert state.certificate is not None
        assert state.certificate.stars == 4

        events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id=driver.journey_id))
        submitted = [event for event in events if event.type == "scorecard_submitted"]
        assert len(submitted) == 8  # the refused sheet left nothing
        assert submitted[0].data["sheet"] == SHEET.id
        assert len(submitted[0].data["points"]) == len(short)
        finalized = next(event for event in events if event.type == "council_finalized")
        assert (finalized.data["stars"], finalized.data["band_stars"]) == (4, 5)
        await driver.save_history("qd26_sheet_capped_five_to_four_recognized")
