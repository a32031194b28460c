"""Reports (store/reports.py) over read models on a real PostgreSQL log.

Rounds and journeys are written through the real recording activity (``Recording``, run in
Temporal's ``ActivityEnvironment``) with decisions from the real rules (``decide_round``,
``decide``), exactly as their workflows would record them; councils and plans through
``CouncilCommands`` / ``PlanCommands``. Recognitions dated in past years cannot be recorded that
way (the log stamps the present), so the plan and statistics reports read journeys folded purely
with fixed clocks (``tests.recognitions``) and put as read models: they prove the reports' arithmetic
and SQL over read models, not how those read models were written.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import asyncpg
from temporalio.testing import ActivityEnvironment

from activities.direct import CouncilCommands, PlanCommands
from activities.recording import Recording, RecordJourneyEvents, RecordRoundEvents
from rebuild import rebuild_read_models
from schemas.commands import CarryOver, Command, JourneyCommand, Withdraw
from schemas.council import AppointCouncil, Council
from schemas.events import event_data
from schemas.journey import JourneyState
from schemas.log import EventMetadata, NewEvent
from schemas.plan import SetPlan, StarProgress
from schemas.round import (
    CloseRound,
    EnrolJourney,
    OpenRound,
    PublishResults,
    RoundCommand,
    RoundState,
    TakeCarriedOver,
)
from schemas.scorecard import SHEETS
from store import EventStore
from store.folds import JOURNEY_FOLDS, RECOGNITIONS, fold_differences
from store.reports import (
    CouncilWorkload,
    StatisticsRow,
    council_workload,
    progress_of_plan,
    round_results,
    statistics,
)
from tests.factories import (
    PRODUCER,
    PROVINCIAL_OFFICER,
    THANH_HOA,
    accept,
    advisory_review,
    council,
    enrol,
    finalize,
    intake_to_dossier,
    recognize,
    register,
    score_all,
    set_of_group,
)
from tests.recognitions import HANOI, plan_journeys
from tests.workflows.rounds_harness import assert_rebuild_reproduces_every_read_model
from workflows.calendar import local_date
from workflows.lifecycle import applicable_rulebook, decide
from workflows.projection import fold
from workflows.round_rules import RoundFacts, decide_round, fold_round, result_row

# Dossiers accepted today pin qd26-2026: members score whole sheets of the food set.
TODAYS_SHEET = SHEETS["qd26-2026"][set_of_group("food")]
ROSTER = council()  # HD-TH-2025, 8 voting members


class Recorder:
    """Decide with the real rules and record through the real recording activity, step by step."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.recording = Recording(store)
        self.journeys: dict[str, JourneyState] = {}
        self.rounds: dict[str, RoundState] = {}

    async def journey(self, journey_id: str, *commands: Command) -> JourneyState:
        for command in commands:
            now = datetime.now(UTC)
            state = self.journeys.get(journey_id)
            # Every command given here is a member of the JourneyCommand union.
            journey_command: JourneyCommand = command  # type: ignore[assignment]
            events = decide(state, journey_command, applicable_rulebook(state, now), now)
            request = RecordJourneyEvents(
                journey_id=journey_id,
                expected_version=state.version if state else 0,
                events=[self._envelope(event.type, event_data(event), command) for event in events],
                idempotency_key=str(uuid.uuid4()),
                prior_state=state,
            )
            receipt = await ActivityEnvironment().run(self.recording.record_journey_events, request)
            folded = fold(state, events, receipt.recorded_at)
            assert folded is not None
            self.journeys[journey_id] = folded
        return self.journeys[journey_id]

    async def round(
        self, round_id: str, command: RoundCommand, facts: RoundFacts | None = None
    ) -> RoundState:
        state = self.rounds.get(round_id)
        events = decide_round(state, command, datetime.now(UTC), facts)
        request = RecordRoundEvents(
            round_id=round_id,
            expected_version=state.version if state else 0,
            events=[
                self._envelope(event.type, event.model_dump(mode="json", exclude={"type"}), command)
                for event in events
            ],
            idempotency_key=str(uuid.uuid4()),
            prior_state=state,
        )
        receipt = await ActivityEnvironment().run(self.recording.record_round_events, request)
        folded = fold_round(state, events, receipt.recorded_at)
        assert folded is not None
        self.rounds[round_id] = folded
        return folded

    async def publish(self, round_id: str) -> RoundState:
        """Publish with the rows the round workflow would compute from the journeys' read models."""
        state = self.rounds[round_id]
        rows = []
        for journey_id in state.journeys:
            stored = await self.store.get_read_model("journey", journey_id)
            assert stored is not None
            rows.append(result_row(JourneyState.model_validate(stored), state))
        return await self.round(round_id, PublishResults(actor=PROVINCIAL_OFFICER), RoundFacts(results=rows))

    @staticmethod
    def _envelope(event_type: str, data: dict[str, object], command: Command | RoundCommand) -> NewEvent:
        return NewEvent(
            event_id=uuid.uuid4(), type=event_type, data=data, metadata=EventMetadata(actor=command.actor)
        )


async def appointed(store: EventStore) -> Council:
    receipt = await CouncilCommands(store).handle(
        ROSTER.council_id,
        AppointCouncil(
            actor=PROVINCIAL_OFFICER,
            council_id=ROSTER.council_id,
            name="Hội đồng OCOP tỉnh Thanh Hóa",
            level=ROSTER.level,
            jurisdiction=ROSTER.jurisdiction,
            seats=ROSTER.seats,
            extra_rounds_allowed=True,  # rounds off the calendar (Art. 5)
        ),
        "appoint",
    )
    return receipt.state


def open_round(round_id: str) -> OpenRound:
    today = datetime.now(UTC).date()
    return OpenRound(
        actor=PROVINCIAL_OFFICER,
        round_id=round_id,
        name=round_id,
        council_id=ROSTER.council_id,
        cut_off=date(today.year + 1, 1, 31),
        meeting_date=date(today.year + 1, 2, 10),
    )


async def enrolled(recorder: Recorder, round_id: str, journey_id: str, council_state: Council) -> None:
    """The journey's enrolment, then the round's (the order of the round's activity and its record)."""
    await recorder.journey(
        journey_id,
        register(journey_id),
        *intake_to_dossier(),
        accept(review=True),  # today: qd26-2026 (Mẫu 03 and the proposal)
        advisory_review(local_date(datetime.now(UTC))),  # the advisory team's, before the council
        enrol(council_state.roster_for(journey_id), round_id),
    )
    await recorder.round(round_id, EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id=journey_id))


async def test_round_results_follow_the_journeys_until_published_then_stay_as_published(
    store_pool: asyncpg.Pool,
) -> None:
    store = EventStore(store_pool)
    recorder = Recorder(store)
    council_state = await appointed(store)
    await recorder.round("R-1", open_round("R-1"), RoundFacts(council=council_state))
    for journey_id in ("J-1", "J-2", "J-3"):
        await enrolled(recorder, "R-1", journey_id, council_state)
    await recorder.journey("J-1", *score_all(ROSTER, ["80"] * 8, sheet=TODAYS_SHEET), finalize(ROSTER))
    await recorder.journey("J-3", Withdraw(actor=PRODUCER))

    live = await round_results(store_pool, "R-1")
    assert live is not None
    assert [(row.journey_id, row.mean, row.stars, row.next_step) for row in live] == [
        ("J-1", Decimal("80.00"), 4, "recognize:province:4"),
        ("J-2", None, None, "pending"),
        ("J-3", None, None, "withdrawn"),
    ]
    # 60 x 8 / 8 = 60.00 -> 3★: the open round's table follows the journey.
    await recorder.journey("J-2", *score_all(ROSTER, ["60"] * 8, sheet=TODAYS_SHEET), finalize(ROSTER))
    live = await round_results(store_pool, "R-1")
    assert live is not None
    assert live[1].next_step == "recognize:province:3"

    await recorder.round("R-1", CloseRound(actor=PROVINCIAL_OFFICER), RoundFacts())
    published = await recorder.publish("R-1")
    assert await round_results(store_pool, "R-1") == published.results == live
    # After publication the table is the one published, whatever happens to the journeys next.
    # Today in Vietnam, where the council's result is dated (not the UTC date).
    await recorder.journey("J-1", recognize(ROSTER.level, local_date(datetime.now(UTC))))
    assert await round_results(store_pool, "R-1") == published.results
    assert await round_results(store_pool, "R-none") is None
    await assert_rebuild_reproduces_every_read_model(store)


async def test_a_councils_workload_counts_a_carried_over_product_once_in_its_new_round(
    store_pool: asyncpg.Pool,
) -> None:
    store = EventStore(store_pool)
    recorder = Recorder(store)
    council_state = await appointed(store)
    await recorder.round("R-1", open_round("R-1"), RoundFacts(council=council_state))
    for journey_id in ("J-1", "J-2"):
        await enrolled(recorder, "R-1", journey_id, council_state)
    await recorder.journey("J-1", *score_all(ROSTER, ["80"] * 8, sheet=TODAYS_SHEET), finalize(ROSTER))
    await recorder.journey("J-2", *score_all(ROSTER, ["70"] * 3, sheet=TODAYS_SHEET))
    assert await council_workload(store_pool, ROSTER.council_id) == CouncilWorkload(
        council_id=ROSTER.council_id, rounds_open=1, rounds_closed=0, rounds_published=0,
        products_enrolled=2, awaiting_scorecards_or_finalization=1, finalized=1,
    )  # fmt: skip

    # J-2 is carried over to round 2: the journey first, then each round records its side.
    await recorder.round("R-2", open_round("R-2"), RoundFacts(council=council_state))
    await recorder.journey(
        "J-2",
        CarryOver(
            actor=PROVINCIAL_OFFICER,
            from_round="R-1",
            to_round="R-2",
            council=council_state.roster_for("J-2"),
        ),
    )
    await recorder.round("R-2", TakeCarriedOver(actor=PROVINCIAL_OFFICER, journey_id="J-2", from_round="R-1"))
    await recorder.round(
        "R-1", CloseRound(actor=PROVINCIAL_OFFICER, carry_over_to="R-2"), RoundFacts(unfinished=["J-2"])
    )
    await recorder.publish("R-1")
    # J-2 is listed by both rounds (enrolled in one, carried into the other) but is one product on
    # the council's table, still awaiting its scorecards in round 2.
    assert await council_workload(store_pool, ROSTER.council_id) == CouncilWorkload(
        council_id=ROSTER.council_id, rounds_open=1, rounds_closed=0, rounds_published=1,
        products_enrolled=2, awaiting_scorecards_or_finalization=1, finalized=1,
    )  # fmt: skip
    await recorder.journey("J-2", *score_all(ROSTER, ["70"] * 8, sheet=TODAYS_SHEET)[3:], finalize(ROSTER))
    workload = await council_workload(store_pool, ROSTER.council_id)
    assert (workload.awaiting_scorecards_or_finalization, workload.finalized) == (0, 2)
    empty = await council_workload(store_pool, "HD-other")
    assert (empty.rounds_open, empty.products_enrolled) == (0, 0)
    await assert_rebuild_reproduces_every_read_model(store)


async def put_plan_journeys(store: EventStore) -> None:
    for journey_id, journey in plan_journeys().items():
        await store.put_read_model("journey", journey_id, journey.version, journey.model_dump(mode="json"))


async def test_statistics_count_recognitions_by_province_level_star_group_year_and_kind(
    store_pool: asyncpg.Pool,
) -> None:
    await put_plan_journeys(EventStore(store_pool))

    def row(
        province: int, year: int, level: str, stars: int, group: str, kind: str, count: int
    ) -> StatisticsRow:
        return StatisticsRow(
            province_code=province, level=level, stars=stars, product_group=group, year=year, kind=kind,
            recognitions=count,
        )  # fmt: skip

    # Each journey's recognitions (tests/recognitions.py), by decision date.
    assert await statistics(store_pool) == [
        row(HANOI, 2025, "province", 3, "food", "new", 1),  # HN-NEW
        row(THANH_HOA, 2022, "province", 4, "food", "new", 1),  # R-4TO3's imported certificate
        row(THANH_HOA, 2023, "province", 3, "food", "new", 1),  # U-3TO4's imported certificate
        row(THANH_HOA, 2024, "district", 3, "food", "new", 1),  # N-2024-12-31
        row(THANH_HOA, 2025, "central", 5, "food", "new", 1),  # N-5STAR at the centre
        row(THANH_HOA, 2025, "district", 3, "food", "new", 1),  # N-2025-01-01
        row(THANH_HOA, 2025, "province", 3, "food", "new", 1),  # N-2025-12-31
        row(THANH_HOA, 2025, "province", 3, "food", "re_evaluation", 1),  # R-4TO3
        row(THANH_HOA, 2025, "province", 3, "handicrafts", "new", 1),  # N-HANDICRAFT
        row(THANH_HOA, 2025, "province", 4, "food", "new", 2),  # N-4STAR, N-5STAR at the province
        row(THANH_HOA, 2025, "province", 4, "food", "upgrade", 1),  # U-3TO4
        row(THANH_HOA, 2026, "province", 4, "food", "new", 1),  # N-2026-01-01
    ]
    thanh_hoa_2025 = await statistics(store_pool, province_code=THANH_HOA, year=2025)
    assert sum(item.recognitions for item in thanh_hoa_2025) == 8
    assert {item.year for item in thanh_hoa_2025} == {2025}
    assert [item.province_code for item in await statistics(store_pool, province_code=HANOI)] == [HANOI]


async def test_statistics_follow_a_journeys_read_model_and_rebuild_repairs_their_count(
    store_pool: asyncpg.Pool,
) -> None:
    """The count is a table the database keeps from each journey's read model (migrations/0013):
    a recognition written shows at once, a journey moved to another commune moves its rows, and a
    tampered or lost row is found and rewritten by ``ocop rebuild``."""
    store = EventStore(store_pool)
    await put_plan_journeys(store)
    journeys = plan_journeys()

    def hanoi_2025(rows: list[StatisticsRow]) -> int:
        return sum(item.recognitions for item in rows if item.province_code == HANOI and item.year == 2025)

    assert hanoi_2025(await statistics(store_pool)) == 1
    moved = journeys["N-4STAR"].model_copy(update={"province_code": HANOI, "commune_code": 4})
    await store.put_read_model("journey", "N-4STAR", moved.version + 1, moved.model_dump(mode="json"))
    assert hanoi_2025(await statistics(store_pool)) == 2
    by_commune = await statistics(store_pool, province_code=HANOI, year=2025, by_commune=True)
    assert {(item.commune_code, item.recognitions) for item in by_commune if item.stars == 4} == {(4, 1)}

    assert await fold_differences(store_pool, RECOGNITIONS) == []
    await store_pool.execute("UPDATE recognitions_counted SET stars = 5 WHERE journey_id = 'HN-NEW'")
    await store_pool.execute("DELETE FROM recognitions_counted WHERE journey_id = 'U-3TO4'")
    tampered = await statistics(store_pool, province_code=THANH_HOA, year=2025)
    assert not any(item.kind == "upgrade" for item in tampered)
    checked = await rebuild_read_models(store, write=False)
    assert {"recognitions:HN-NEW", "recognitions:U-3TO4"} <= set(checked.differing)
    await rebuild_read_models(store)
    assert await fold_differences(store_pool, RECOGNITIONS) == []
    repaired = await statistics(store_pool, province_code=THANH_HOA, year=2025)
    assert [item.recognitions for item in repaired if item.kind == "upgrade"] == [1]


async def test_every_table_a_trigger_folds_from_read_models_is_checked_by_rebuild(
    store_pool: asyncpg.Pool,
) -> None:
    """A fold the database keeps but ``ocop rebuild`` does not know would drift unseen."""
    triggers = await store_pool.fetch(
        """SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
           WHERE c.relname = 'read_models' AND NOT t.tgisinternal ORDER BY 1"""
    )
    assert len(triggers) >= 2
    assert sorted(row["tgname"] for row in triggers) == sorted(fold.trigger for fold in JOURNEY_FOLDS)


async def test_plan_progress_reads_the_plan_and_the_journeys_of_its_province(
    store_pool: asyncpg.Pool,
) -> None:
    store = EventStore(store_pool)
    await put_plan_journeys(store)
    plans = PlanCommands(store)
    assert await progress_of_plan(store_pool, THANH_HOA, 2025) is None  # no plan yet
    await plans.handle(
        SetPlan(actor=PROVINCIAL_OFFICER, province_code=THANH_HOA, year=2025, targets={3: 130, 4: 20, 5: 3}),
        "plan-1",
    )
    revised = await plans.handle(
        SetPlan(
            actor=PROVINCIAL_OFFICER,
            province_code=THANH_HOA,
            year=2025,
            targets={3: 137, 4: 20, 5: 3},
            total=160,
            reason="Điều chỉnh kế hoạch",
        ),
        "plan-2",
    )
    assert revised.state.version == 2
    progress = await progress_of_plan(store_pool, THANH_HOA, 2025)
    assert progress is not None
    # As in test_plan_rules.py: 3★ new N-2025-01-01 (1 January), N-2025-12-31 (31 December),
    # N-HANDICRAFT; re-evaluation R-4TO3. 4★ new N-4STAR; upgrade U-3TO4. 5★ new N-5STAR (its
    # provincial 4★ of the same year is not counted again). 2024-12-31, 2026-01-01 and Hà Nội
    # are outside.
    assert progress.by_star == [
        StarProgress(stars=3, target=137, new=3, upgrade=0, re_evaluation=1, remaining=134),
        StarProgress(stars=4, target=20, new=1, upgrade=1, re_evaluation=0, remaining=19),
        StarProgress(stars=5, target=3, new=1, upgrade=0, re_evaluation=0, remaining=2),
    ]
    assert (progress.total_target, progress.total_new, progress.total_remaining) == (160, 5, 155)
    assert await progress_of_plan(store_pool, HANOI, 2025) is None
