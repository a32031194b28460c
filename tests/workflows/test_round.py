"""Councils, evaluation rounds and plans through the real worker: EvaluationRound and ProductJourney
workflows on Temporal's time-skipping test server, councils and plans recorded straight to the log
(``activities.direct``), every decision in a real PostgreSQL log, reports read from its read models.

What these tests prove, and what they do not:
- Each refusal is checked as the API sees it (the update fails with ``ApplicationError.type`` of
  the domain error) and by stream versions left unchanged (nothing was recorded).
- After each step that moves journeys, ``assert_rounds_and_journeys_agree`` compares every round's
  list with every journey's own log, read model and workflow state.
- The time-skipping server's clock starts at today's real date, so recognitions are dated this
  year or later; past-year plan arithmetic is proven on pure folds (test_plan_rules.py,
  tests/store/test_reports.py). The year boundary is shown here by moving the clock to 1 January.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import asyncpg
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from activities.direct import CouncilCommands, PlanCommands
from schemas.commands import (
    AmendScorecard,
    ApplyReEvaluation,
    ApplyUpgrade,
    EnrolInRound,
    ImportCertified,
    RegisterIdea,
    SubmitScorecard,
    Withdraw,
)
from schemas.council import (
    AppointCouncil,
    ChangeMembership,
    Council,
    CouncilRoster,
    DeclareConflict,
    Seat,
    SeatRole,
)
from schemas.journey import JourneyState, Status
from schemas.log import Actor, StreamRef
from schemas.plan import SetPlan, StarProgress
from schemas.round import CloseRound, EnrolJourney, OpenRound, PublishResults, ResultRow, RoundStatus
from schemas.rulebook import Level
from store import EventStore
from store.reports import council_workload, progress_of_plan, round_results, statistics
from tests.factories import (
    DISTRICT_NAME,
    DISTRICT_OFFICER,
    HAC_THANH,
    PRODUCER,
    PROVINCIAL_OFFICER,
    THANH_HOA,
    council,
    finalize,
    intake_to_dossier,
    member,
    parts_for_total,
    recognize,
    set_of_group,
    sheet_of,
)
from tests.recognitions import ADMINISTRATOR, HANOI, HOAN_KIEM
from tests.scoresheets import sheet_for_total
from tests.workflows.harness import TemporalJourney, running_worker
from tests.workflows.rounds_harness import (
    RoundDriver,
    assert_rebuild_reproduces_every_read_model,
    assert_rounds_and_journeys_agree,
    refused,
    round_state_when,
    versions,
)
from workflows.calendar import VIETNAM, end_of_day, local_date

PROVINCE = council()  # HD-TH-2025: m1 chair, m2 vice-chair, m3..m8 members, m9 secretary -> 8 voting
DISTRICT = council("HD-TX", Level.DISTRICT, DISTRICT_NAME, size=7)  # m7 secretary -> 6 voting
SECRETARY = member(PROVINCE.council_id, 9)
OTHER_DISTRICT = "Huyện Triệu Sơn"


def seat(index: int, roster: CouncilRoster = PROVINCE) -> Actor:
    return member(roster.council_id, index)


async def today(env: WorkflowEnvironment) -> date:
    return local_date(await env.get_current_time())


async def sleep_until(env: WorkflowEnvironment, moment: datetime) -> None:
    await env.sleep(moment - await env.get_current_time())


async def appoint(
    store: EventStore, roster: CouncilRoster, name: str, officer: Actor, *, extra_rounds_allowed: bool = True
) -> Council:
    """The council appointed through its commands; by default its regulation provides for rounds off
    the national calendar (qd26-2026 Art. 5), which these tests open."""
    receipt = await CouncilCommands(store).handle(
        roster.council_id,
        AppointCouncil(
            actor=officer,
            council_id=roster.council_id,
            name=name,
            level=roster.level,
            jurisdiction=roster.jurisdiction,
            seats=roster.seats,
            extra_rounds_allowed=extra_rounds_allowed,
        ),
        f"appoint-{roster.council_id}",
    )
    assert receipt.event_types == ["council_appointed"]
    return receipt.state


async def declare_conflict(
    store: EventStore, member_actor: Actor, journey_id: str, client: Client | None = None
) -> Council:
    council_id = member_actor.id.rsplit("-m", 1)[0]
    receipt = await CouncilCommands(store, client).handle(
        council_id,
        DeclareConflict(actor=member_actor, member_id=member_actor.id, journey_id=journey_id),
        f"conflict-{member_actor.id}-{journey_id}",
    )
    return receipt.state


def registration(
    journey_id: str,
    name: str,
    group: str = "food",
    district: str | None = None,
    province: int = THANH_HOA,
    commune: int = HAC_THANH,
) -> RegisterIdea:
    return RegisterIdea(
        actor=PRODUCER,
        journey_id=journey_id,
        producer_id=PRODUCER.id,
        product_name=name,
        product_group=group,
        province_code=province,
        commune_code=commune,
        district=district,
        product_set=set_of_group(group),  # a dossier submitted today (qd26-2026) names its set
    )


async def dossier_submitted(driver: TemporalJourney, register: RegisterIdea) -> None:
    await driver.start(register)
    for command in intake_to_dossier():
        await driver.do(command)


async def awaiting_round(
    driver: TemporalJourney, register: RegisterIdea, accepted_on: date | None = None
) -> JourneyState:
    await dossier_submitted(driver, register)
    return (await driver.accept(accepted_on)).state


async def score(driver: TemporalJourney, roster: CouncilRoster, totals: dict[int, str]) -> JourneyState:
    """Seat index -> total; each part in proportion to the maxima A40 B25 C35 (both 148 rulebooks)."""
    state = await driver.state()
    for index, total in totals.items():
        state = (await driver.do(await card(driver, SubmitScorecard, seat(index, roster), total))).state
    return state


async def card(
    driver: TemporalJourney, kind: type[SubmitScorecard] | type[AmendScorecard], actor: Actor, total: str
) -> SubmitScorecard | AmendScorecard:
    """A scorecard worth ``total`` on the journey's sheet: a whole sheet of options where it is scored
    by option (its set's sheet under qd26-2026), else part totals in proportion to the maxima."""
    sheet = sheet_of(await driver.state())
    if sheet.flat:
        return kind(actor=actor, parts=parts_for_total(total))
    return kind(actor=actor, choices=sheet_for_total(sheet, total))


def every_seat(*totals: str) -> dict[int, str]:
    return dict(enumerate(totals, start=1))


def table(rows: list[ResultRow]) -> dict[str, tuple[Decimal | None, int | None, str]]:
    return {row.journey_id: (row.mean, row.stars, row.next_step) for row in rows}


def print_results(title: str, rows: list[ResultRow]) -> None:
    print(f"\n{title}")
    print(f"{'product':<34} {'mean':>6}  {'stars':<5}  next step")
    for row in rows:
        mean = f"{row.mean:.2f}" if row.mean is not None else "—"
        stars = "★" * row.stars if row.stars else "—"
        print(f"{row.product_name:<34} {mean:>6}  {stars:<5}  {row.next_step}")


def open_command(round_id: str, name: str, roster: CouncilRoster, cut_off: date, meeting: date) -> OpenRound:
    officer = DISTRICT_OFFICER if roster.level == Level.DISTRICT else PROVINCIAL_OFFICER
    return OpenRound(
        actor=officer,
        round_id=round_id,
        name=name,
        council_id=roster.council_id,
        cut_off=cut_off,
        meeting_date=meeting,
    )


# -- a provincial round under qd148-1489-2025 --------------------------------------------------

# A paper acceptance dated while qd148-1489-2025 was in force (2025-07-06 -> 2026-05-21).
QD148_1489_DAY = date(2026, 3, 2)

PRODUCTS = {
    "J01": "Nem chua Hạc Thành",
    "J02": "Chè lam Phủ Quảng",
    "J03": "Mắm tép Hà Yên",
    "J04": "Bánh gai Tứ Trụ",
    "J05": "Nước mắm Khúc Phụ",
    "J06": "Mật ong Như Xuân",
    "J07": "Rượu nếp cẩm Lang Chánh",
    "J08": "Giò chả Quảng Xương",
    "J09": "Bưởi Luận Văn",
    "J10": "Cam Vân Du",
    "J11": "Chiếu cói Nga Sơn",
    "J12": "Gạo nếp cái hoa vàng Thiệu Hóa",
}
GROUPS = {"J11": "handicrafts", "J07": "drinks"}
SCORES: dict[str, dict[int, str]] = {
    "J01": every_seat("72", "74", "71", "73", "75", "70", "72", "73"),
    "J02": every_seat("55", "56", "54", "57", "58", "53", "55", "56"),
    "J03": every_seat("92", "93", "91", "94", "92", "90", "95", "92"),
    "J04": every_seat("80", "85", "78", "82", "90", "79", "81", "76"),  # 90 - 76 = 14 > 10
    "J05": every_seat("66", "67", "65", "68", "64"),  # 5 of the 6 needed
    "J06": {1: "65", 2: "66", 3: "64", 5: "67", 6: "63", 7: "65", 8: "66"},  # m4 declared a conflict
    "J07": every_seat("45", "48", "44", "46", "47", "45", "43", "46"),
    "J08": every_seat(*["75"] * 8),
    "J09": every_seat(*["70"] * 7, "69.96"),
    "J10": every_seat(*["90"] * 7, "89.92"),
    "J11": every_seat("60", "61", "62"),  # then withdrawn by its producer
}


async def test_a_provincial_round_of_twelve_products_under_qd148_1489_2025(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    store = EventStore(store_pool)
    await appoint(
        store, PROVINCE, "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa", PROVINCIAL_OFFICER
    )
    # m4's family runs the J06 apiary: m4 declares it before the round.
    council_state = await declare_conflict(store, seat(4), "J06")
    await PlanCommands(store).handle(
        SetPlan(
            actor=PROVINCIAL_OFFICER,
            province_code=THANH_HOA,
            year=(await today(env)).year,
            targets={3: 137, 4: 20, 5: 3},
            total=160,
        ),
        "plan-38",
    )
    async with running_worker(env.client, store_pool) as task_queue:
        drivers = {journey_id: TemporalJourney(env.client, task_queue, journey_id) for journey_id in PRODUCTS}
        outsider = TemporalJourney(env.client, task_queue, "J-HN")  # Phở Hà Nội: another province
        await asyncio.gather(
            *(
                awaiting_round(
                    drivers[journey_id],
                    registration(journey_id, name, GROUPS.get(journey_id, "food")),
                    QD148_1489_DAY,  # pins qd148-1489-2025 (a dossier accepted today pins qd26-2026)
                )
                for journey_id, name in PRODUCTS.items()
                if journey_id != "J12"
            ),
            dossier_submitted(drivers["J12"], registration("J12", PRODUCTS["J12"])),  # not accepted yet
            awaiting_round(
                outsider, registration("J-HN", "Phở bò Hà Nội", province=HANOI, commune=HOAN_KIEM)
            ),
        )
        day0 = await today(env)
        cut_off = day0 + timedelta(days=3)
        r1 = RoundDriver(env.client, task_queue, "R-TH-1")
        opened = await r1.open(open_command("R-TH-1", "Đợt 1", PROVINCE, cut_off, day0 + timedelta(days=7)))
        assert opened.event_types == ["round_opened"]
        assert opened.state.council == council_state  # fixed as it stood at the opening
        every_journey = [*PRODUCTS, "J-HN"]

        async def agree(*round_ids: str) -> None:
            await assert_rounds_and_journeys_agree(store, env.client, round_ids, every_journey)

        # Enrolment before the cut-off: ten products today, J10 in the last hour of the cut-off day.
        for journey_id in ["J01", "J02", "J03", "J04", "J05", "J06", "J07", "J08", "J09", "J11"]:
            receipt = await r1.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id=journey_id))
            assert receipt.event_types == ["journey_enrolled"]
        j06 = await drivers["J06"].state()
        assert (j06.status, j06.round_id) == (Status.IN_EVALUATION, "R-TH-1")
        assert j06.evaluation is not None
        assert j06.evaluation.council.conflicts == [seat(4).id]
        await agree("R-TH-1")

        # Refused enrolments record nothing, in the round or in the journeys.
        streams = [("round", "R-TH-1"), ("journey", "J12"), ("journey", "J-HN"), ("journey", "J01")]
        before = await versions(store, *streams)
        for journey_id, officer, error_type in [
            ("J12", PROVINCIAL_OFFICER, "WrongState"),  # its dossier is not accepted: not awaiting a round
            ("J-HN", PROVINCIAL_OFFICER, "NotAllowed"),  # Hà Nội's product, not Thanh Hóa's
            ("J01", PROVINCIAL_OFFICER, "WrongState"),  # enrolled already
            ("J-404", PROVINCIAL_OFFICER, "UnknownJourney"),
            ("J10", DISTRICT_OFFICER, "NotAllowed"),  # a provincial round is run by the province
        ]:
            await refused(r1.do(EnrolJourney(actor=officer, journey_id=journey_id)), error_type)
        assert await versions(store, *streams) == before

        await sleep_until(env, datetime.combine(cut_off, time(23), VIETNAM))
        assert (await r1.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J10"))).state.enrolment_open
        # Midnight after the cut-off day: the round's timer closes enrolment by itself.
        await env.sleep(timedelta(hours=2))
        r1_state = await round_state_when(r1, lambda state: not state.enrolment_open)
        assert r1_state.status == RoundStatus.OPEN
        last = (await store.read_stream(StreamRef(type="round", id="R-TH-1")))[-1]
        assert (last.type, last.metadata.actor.role) == ("enrolment_closed", "system")
        assert await env.get_current_time() >= end_of_day(cut_off)

        # J12's dossier is accepted the day after the cut-off: the round refuses it (enrolment is
        # closed), and so would the journey itself, by its acceptance date, if the round's activity
        # asked it (the round never does once closed: this shows the journey's own rule).
        j12 = (await drivers["J12"].accept()).state
        assert j12.accepted_on == cut_off + timedelta(days=1)
        before = await versions(store, ("round", "R-TH-1"), ("journey", "J12"))
        await refused(r1.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J12")), "AfterCutOff")
        late = EnrolInRound(
            actor=PROVINCIAL_OFFICER, round_id="R-TH-1", level=Level.PROVINCE,
            council=council_state.roster_for("J12"), cut_off=cut_off,
        )  # fmt: skip
        cause = await refused(drivers["J12"].do(late), "AfterCutOff")
        assert "after the round's cut-off" in cause.message
        assert await versions(store, ("round", "R-TH-1"), ("journey", "J12")) == before

        # The meeting: every voting member scores every product (but J05's and J11's, see below).
        await sleep_until(env, datetime.combine(day0 + timedelta(days=7), time(8), VIETNAM))
        await asyncio.gather(
            *(score(drivers[journey_id], PROVINCE, totals) for journey_id, totals in SCORES.items())
        )

        refusals = [
            ("J01", SubmitScorecard(actor=SECRETARY, parts=parts_for_total("70")), "SecretaryCannotScore"),
            ("J01", SubmitScorecard(actor=seat(10), parts=parts_for_total("70")), "NotAVotingMember"),
            ("J01", SubmitScorecard(actor=seat(1), parts=parts_for_total("70")), "AlreadyScored"),
            ("J01", finalize(PROVINCE).model_copy(update={"actor": seat(2)}), "NotAllowed"),  # vice-chair
            ("J06", SubmitScorecard(actor=seat(4), parts=parts_for_total("70")), "ConflictOfInterest"),
            ("J04", finalize(PROVINCE), "DispersionTooWide"),  # 90 - 76 = 14 points apart
            ("J05", finalize(PROVINCE), "QuorumNotMet"),  # 5 of ceil(8 * 2/3) = 6
        ]
        for journey_id, command, error_type in refusals:
            before = await versions(store, ("journey", journey_id))
            await refused(drivers[journey_id].do(command), error_type)
            assert await versions(store, ("journey", journey_id)) == before, (journey_id, error_type)

        # m5 amends J04 from 90 to 84: 85 - 76 = 9 points apart, the chair may finalize.
        await drivers["J04"].do(await card(drivers["J04"], AmendScorecard, seat(5), "84"))
        await drivers["J11"].do(Withdraw(actor=PRODUCER))
        for journey_id in ["J01", "J02", "J03", "J04", "J06", "J07", "J09", "J10"]:
            assert (await drivers[journey_id].do(finalize(PROVINCE))).event_types == ["council_finalized"]
        await drivers["J08"].do(finalize(PROVINCE, failed=["Tiêu chí an toàn thực phẩm"]))
        j06 = await drivers["J06"].state()
        assert j06.results[-1].mean == Decimal("65.14")  # quorum for 7 eligible: ceil(14/3) = 5, met

        # The next round, then close this one: J05 (no quorum) is carried over to it.
        r2 = RoundDriver(env.client, task_queue, "R-TH-2")
        day7 = await today(env)
        await r2.open(
            open_command("R-TH-2", "Đợt 2", PROVINCE, day7 + timedelta(days=30), day7 + timedelta(days=35))
        )
        # The late one waits for this round.
        await r2.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J12"))
        before = await versions(store, ("round", "R-TH-1"), ("journey", "J05"))
        await refused(r1.do(CloseRound(actor=PROVINCIAL_OFFICER)), "WrongState")  # J05 needs a next round
        await refused(r1.do(PublishResults(actor=PROVINCIAL_OFFICER)), "WrongState")  # not closed yet
        assert await versions(store, ("round", "R-TH-1"), ("journey", "J05")) == before
        closed = await r1.do(CloseRound(actor=PROVINCIAL_OFFICER, carry_over_to="R-TH-2"))
        assert closed.event_types == ["journey_carried_over", "round_closed"]
        assert closed.state.carried_out == {"J05": "R-TH-2"}
        j05 = await drivers["J05"].state()
        assert (j05.status, j05.round_id) == (Status.IN_EVALUATION, "R-TH-2")
        assert j05.evaluation is not None
        assert sorted(j05.evaluation.scorecards) == [seat(i).id for i in range(1, 6)]  # kept
        await agree("R-TH-1", "R-TH-2")

        published = await r1.do(PublishResults(actor=PROVINCIAL_OFFICER))
        rows = published.state.results
        print_results("Đợt 1 — Hội đồng OCOP tỉnh Thanh Hóa (qd148-1489-2025)", rows)
        # In the order of enrolment (J10 came last, on the cut-off day).
        assert [row.journey_id for row in rows] == [*(f"J{i:02}" for i in range(1, 10)), "J11", "J10"]
        assert table(rows) == {
            # 72+74+71+73+75+70+72+73 = 580 / 8 = 72.50 -> [70, 90) 4★, the province recognizes it
            "J01": (Decimal("72.50"), 4, "recognize:province:4"),
            # 55+56+54+57+58+53+55+56 = 444 / 8 = 55.50 -> [50, 70) 3★
            "J02": (Decimal("55.50"), 3, "recognize:province:3"),
            # 92+93+91+94+92+90+95+92 = 739 / 8 = 92.375 -> 92.38 (half-up) -> 5★ band: the province
            # recognizes 4★ and forwards the product to the central council
            "J03": (Decimal("92.38"), 5, "recognize_then_forward:province:4:central"),
            # after m5's amendment 90 -> 84: 80+85+78+82+84+79+81+76 = 645 / 8 = 80.625 -> 80.63 -> 4★
            "J04": (Decimal("80.63"), 4, "recognize:province:4"),
            "J05": (None, None, "carried_over:R-TH-2"),
            # m4 conflicted: 65+66+64+67+63+65+66 = 456 / 7 = 65.142857... -> 65.14 -> 3★
            "J06": (Decimal("65.14"), 3, "recognize:province:3"),
            # 45+48+44+46+47+45+43+46 = 364 / 8 = 45.50 -> 2★: not ranked
            "J07": (Decimal("45.50"), 2, "not_ranked"),
            # 75 x 8 = 75.00 -> 4★ band, but a mandatory criterion failed: not ranked
            "J08": (Decimal("75.00"), 4, "not_ranked"),
            # 70 x 7 + 69.96 = 559.96 / 8 = 69.995 -> 70.00 (half-up) -> 4★, on the band's edge
            "J09": (Decimal("70.00"), 4, "recognize:province:4"),
            # 90 x 7 + 89.92 = 719.92 / 8 = 89.99 -> 4★: below 90, not forwarded
            "J10": (Decimal("89.99"), 4, "recognize:province:4"),
            "J11": (None, None, "withdrawn"),
        }
        assert {row.product_name for row in rows} == {PRODUCTS[key] for key in table(rows)}
        assert await round_results(store_pool, "R-TH-1") == rows  # the report reads the published table
        assert await r1.handle.result() is not None  # published: the round's workflow has ended

        # Round 2: the rest of J05's council scores; J12 is evaluated.
        await score(drivers["J05"], PROVINCE, {6: "66", 7: "65", 8: "67"})
        await score(drivers["J12"], PROVINCE, every_seat(*["78"] * 8))
        for journey_id in ("J05", "J12"):
            await drivers[journey_id].do(finalize(PROVINCE))
        assert (await r2.do(CloseRound(actor=PROVINCIAL_OFFICER))).event_types == ["round_closed"]
        rows2 = (await r2.do(PublishResults(actor=PROVINCIAL_OFFICER))).state.results
        print_results("Đợt 2", rows2)
        assert table(rows2) == {
            "J12": (Decimal("78.00"), 4, "recognize:province:4"),  # 78 x 8 / 8
            # 66+67+65+68+64 (round 1) + 66+65+67 (round 2) = 528 / 8 = 66.00 -> 3★
            "J05": (Decimal("66.00"), 3, "recognize:province:3"),
        }
        await agree("R-TH-1", "R-TH-2")

        workload = await council_workload(store_pool, PROVINCE.council_id)
        assert (workload.rounds_open, workload.rounds_closed, workload.rounds_published) == (0, 0, 2)
        # J01..J12 once each (J05 in round 2 only); J11 withdrew, the 11 others are finalized.
        assert (
            workload.products_enrolled,
            workload.awaiting_scorecards_or_finalization,
            workload.finalized,
        ) == (12, 0, 11)
        report = await assert_rebuild_reproduces_every_read_model(store)
        assert report.read_models == {"council": 1, "journey": 13, "plan": 1, "round": 2}


# -- qd148-2023: a district round feeds a provincial round -------------------------------------

DISTRICT_PRODUCTS = {
    "D1": "Giò chả Thọ Xuân",
    "D2": "Bánh răng bừa Xuân Lập",
    "D3": "Rượu men lá Xuân Phú",
    "D4": "Mật mía Thọ Lập",
    "D5": "Nem chua Lam Sơn",
}


async def test_qd148_2023_a_district_round_feeds_a_provincial_round(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    store = EventStore(store_pool)
    await appoint(store, DISTRICT, "Hội đồng OCOP huyện Thọ Xuân", DISTRICT_OFFICER)
    await appoint(store, PROVINCE, "Hội đồng OCOP tỉnh Thanh Hóa", PROVINCIAL_OFFICER)
    await declare_conflict(store, seat(3), "D1")  # at the province, m3 cannot score D1
    async with running_worker(env.client, store_pool) as task_queue:
        drivers = {
            journey_id: TemporalJourney(env.client, task_queue, journey_id)
            for journey_id in [*DISTRICT_PRODUCTS, "D-TS"]
        }
        # Accepted on 2 May 2024 (a paper decision entered now): qd148-2023 is pinned, district first.
        await asyncio.gather(
            *(
                awaiting_round(
                    drivers[key], registration(key, name, district=DISTRICT_NAME), date(2024, 5, 2)
                )
                for key, name in DISTRICT_PRODUCTS.items()
            ),
            awaiting_round(
                drivers["D-TS"],
                registration("D-TS", "Bánh lá Triệu Sơn", district=OTHER_DISTRICT),
                date(2024, 5, 2),
            ),
        )
        first = await drivers["D1"].state()
        assert (first.rulebook, first.level) == ("qd148-2023", Level.DISTRICT)
        day0 = await today(env)
        rd1 = RoundDriver(env.client, task_queue, "R-TX-1")
        rd2 = RoundDriver(env.client, task_queue, "R-TX-2")
        rp1 = RoundDriver(env.client, task_queue, "R-TH-1")
        await rd1.open(
            open_command(
                "R-TX-1", "Đợt 1 huyện", DISTRICT, day0 + timedelta(days=3), day0 + timedelta(days=5)
            )
        )
        await rd2.open(
            open_command(
                "R-TX-2", "Đợt 2 huyện", DISTRICT, day0 + timedelta(days=25), day0 + timedelta(days=28)
            )
        )
        await rp1.open(
            open_command(
                "R-TH-1", "Đợt 1 tỉnh", PROVINCE, day0 + timedelta(days=20), day0 + timedelta(days=24)
            )
        )
        every_journey = [*DISTRICT_PRODUCTS, "D-TS"]

        async def agree() -> None:
            await assert_rounds_and_journeys_agree(
                store, env.client, ["R-TX-1", "R-TX-2", "R-TH-1"], every_journey
            )

        streams = [("round", "R-TX-1"), ("round", "R-TH-1"), ("journey", "D2"), ("journey", "D-TS")]
        before = await versions(store, *streams)
        # D2 awaits its district round, not a provincial one; D-TS is Triệu Sơn's, not Thọ Xuân's.
        await refused(rp1.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="D2")), "WrongLevel")
        await refused(rd1.do(EnrolJourney(actor=DISTRICT_OFFICER, journey_id="D-TS")), "NotAllowed")
        assert await versions(store, *streams) == before
        for key in DISTRICT_PRODUCTS:
            await rd1.do(EnrolJourney(actor=DISTRICT_OFFICER, journey_id=key))
        await agree()

        # The district council: 6 voting members, quorum ceil(6 * 2/3) = 4.
        await asyncio.gather(
            score(drivers["D1"], DISTRICT, every_seat("75", "76", "74", "75", "77", "73")),
            score(drivers["D2"], DISTRICT, every_seat("60", "61", "59", "60", "62", "58")),
            score(drivers["D3"], DISTRICT, every_seat("45", "44", "46", "45", "47", "43")),
            score(drivers["D4"], DISTRICT, every_seat("70", "80", "72", "74", "82", "71")),  # 12 apart
            score(drivers["D5"], DISTRICT, every_seat("62", "63", "61")),  # 3 of 4
        )
        await refused(drivers["D4"].do(finalize(DISTRICT)), "DispersionTooWide")
        await refused(drivers["D5"].do(finalize(DISTRICT)), "QuorumNotMet")
        await refused(
            drivers["D1"].do(await card(drivers["D1"], SubmitScorecard, seat(7, DISTRICT), "70")),
            "SecretaryCannotScore",
        )
        # m5 amends 82 -> 79: 80 - 70 = 10 points apart, allowed.
        await drivers["D4"].do(await card(drivers["D4"], AmendScorecard, seat(5, DISTRICT), "79"))
        for key in ("D1", "D2", "D3", "D4"):
            await drivers[key].do(finalize(DISTRICT))
        # D5 cannot be carried to the province's round: it belongs to another council.
        await refused(rd1.do(CloseRound(actor=DISTRICT_OFFICER, carry_over_to="R-TH-1")), "InvalidCommand")
        await rd1.do(CloseRound(actor=DISTRICT_OFFICER, carry_over_to="R-TX-2"))
        district_rows = (await rd1.do(PublishResults(actor=DISTRICT_OFFICER))).state.results
        print_results("Đợt 1 — Hội đồng OCOP huyện Thọ Xuân (qd148-2023)", district_rows)
        assert table(district_rows) == {
            # 75+76+74+75+77+73 = 450 / 6 = 75.00 -> 4★ band: the district certifies only 3★, forwards from 70
            "D1": (Decimal("75.00"), 4, "forward:province"),
            # 60+61+59+60+62+58 = 360 / 6 = 60.00 -> 3★, recognized by the district
            "D2": (Decimal("60.00"), 3, "recognize:district:3"),
            # 45+44+46+45+47+43 = 270 / 6 = 45.00 -> 2★
            "D3": (Decimal("45.00"), 2, "not_ranked"),
            # after 82 -> 79: 70+80+72+74+79+71 = 446 / 6 = 74.333... -> 74.33 -> forwarded
            "D4": (Decimal("74.33"), 4, "forward:province"),
            "D5": (None, None, "carried_over:R-TX-2"),
        }
        await drivers["D2"].do(recognize(Level.DISTRICT, await today(env), "QĐ 12/QĐ-UBND huyện"))
        await agree()

        # The province: the forwarded products only.
        for key in ("D1", "D4"):
            await rp1.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id=key))
        # D2 is certified 3★ by the district; D3 was not ranked, its journey has ended.
        await refused(rp1.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="D2")), "WrongState")
        await refused(rp1.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="D3")), "WrongState")
        await refused(
            drivers["D1"].do(await card(drivers["D1"], SubmitScorecard, seat(3), "80")),
            "ConflictOfInterest",
        )
        await score(drivers["D1"], PROVINCE, {1: "80", 2: "81", 4: "79", 5: "82", 6: "80", 7: "78", 8: "80"})
        await score(drivers["D4"], PROVINCE, every_seat("65", "66", "64", "65", "66", "64", "65", "65"))
        await score(drivers["D5"], DISTRICT, {4: "62"})  # round 2 of the district: the quorum is met
        for key, roster in (("D1", PROVINCE), ("D4", PROVINCE), ("D5", DISTRICT)):
            await drivers[key].do(finalize(roster))
        for driver, officer in ((rp1, PROVINCIAL_OFFICER), (rd2, DISTRICT_OFFICER)):
            await driver.do(CloseRound(actor=officer))
        provincial_rows = (await rp1.do(PublishResults(actor=PROVINCIAL_OFFICER))).state.results
        print_results("Đợt 1 — Hội đồng OCOP tỉnh Thanh Hóa (qd148-2023 products)", provincial_rows)
        assert table(provincial_rows) == {
            # m3 conflicted: 80+81+79+82+80+78+80 = 560 / 7 = 80.00 -> 4★
            "D1": (Decimal("80.00"), 4, "recognize:province:4"),
            # 65+66+64+65+66+64+65+65 = 520 / 8 = 65.00 -> 3★: the province certifies 3★ for a
            # product forwarded from a district that scores 50–69 there
            "D4": (Decimal("65.00"), 3, "recognize:province:3"),
        }
        second_rows = (await rd2.do(PublishResults(actor=DISTRICT_OFFICER))).state.results
        # 62+63+61 (round 1) + 62 (round 2) = 248 / 4 = 62.00 -> 3★
        assert table(second_rows) == {"D5": (Decimal("62.00"), 3, "recognize:district:3")}
        d1 = await drivers["D1"].state()
        assert [(result.round_id, result.level, result.mean) for result in d1.results] == [
            ("R-TX-1", Level.DISTRICT, Decimal("75.00")),
            ("R-TH-1", Level.PROVINCE, Decimal("80.00")),
        ]
        await agree()
        district_load = await council_workload(store_pool, DISTRICT.council_id)
        assert (district_load.rounds_published, district_load.products_enrolled, district_load.finalized) == (
            2,
            5,
            5,
        )
        await assert_rebuild_reproduces_every_read_model(store)


# -- membership as it stood when the round opened ----------------------------------------------


def without(roster: CouncilRoster, index: int, add: int) -> list[Seat]:
    """The roster's seats without seat ``index``, with a new member ``add``."""
    seats = [seat_ for seat_ in roster.seats if seat_.member_id != seat(index, roster).id]
    return [*seats, Seat(member_id=seat(add, roster).id, role=SeatRole.MEMBER)]


async def test_a_round_keeps_the_membership_of_its_opening_and_the_next_round_takes_the_new_one(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    store = EventStore(store_pool)
    await appoint(store, PROVINCE, "Hội đồng OCOP tỉnh Thanh Hóa", PROVINCIAL_OFFICER)
    async with running_worker(env.client, store_pool) as task_queue:
        drivers = {key: TemporalJourney(env.client, task_queue, key) for key in ("J-A", "J-B", "J-C")}
        await asyncio.gather(
            *(awaiting_round(driver, registration(key, f"Sản phẩm {key}")) for key, driver in drivers.items())
        )
        day0 = await today(env)
        r1 = RoundDriver(env.client, task_queue, "R-1")
        r2 = RoundDriver(env.client, task_queue, "R-2")
        opened = await r1.open(
            open_command("R-1", "Đợt 1", PROVINCE, day0 + timedelta(days=5), day0 + timedelta(days=9))
        )
        await r1.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J-A"))

        # Kiện toàn Hội đồng: m8 leaves, m10 joins, after round 1 opened.
        changed = await CouncilCommands(store).handle(
            PROVINCE.council_id,
            ChangeMembership(actor=PROVINCIAL_OFFICER, seats=without(PROVINCE, 8, 10)),
            "change-1",
        )
        assert changed.event_types == ["membership_changed"]
        assert changed.state.version == 2
        events = await store.read_stream(StreamRef(type="council", id=PROVINCE.council_id))
        assert (events[-1].data["added"], events[-1].data["removed"]) == ([seat(10).id], [seat(8).id])

        await r1.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J-B"))  # after the change, same round
        await r2.open(
            open_command("R-2", "Đợt 2", PROVINCE, day0 + timedelta(days=20), day0 + timedelta(days=25))
        )
        await r2.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J-C"))
        assert (await r1.state()).council == opened.state.council  # round 1 keeps its snapshot
        assert [s.member_id for s in (await r2.state()).council.seats] == [
            s.member_id for s in without(PROVINCE, 8, 10)
        ]

        for key in ("J-A", "J-B"):  # round 1: m8 still scores, m10 does not sit yet
            await drivers[key].do(await card(drivers[key], SubmitScorecard, seat(8), "75"))
            await refused(
                drivers[key].do(SubmitScorecard(actor=seat(10), parts=parts_for_total("75"))),
                "NotAVotingMember",
            )
        # round 2: m10 scores, m8 has left
        await drivers["J-C"].do(await card(drivers["J-C"], SubmitScorecard, seat(10), "75"))
        await refused(
            drivers["J-C"].do(await card(drivers["J-C"], SubmitScorecard, seat(8), "75")), "NotAVotingMember"
        )
        await assert_rounds_and_journeys_agree(store, env.client, ["R-1", "R-2"], drivers)
        await assert_rebuild_reproduces_every_read_model(store)


# -- closing a round carries its unfinished products over --------------------------------------


async def test_closing_a_round_carries_an_unfinished_product_to_the_councils_next_round(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    store = EventStore(store_pool)
    await appoint(store, PROVINCE, "Hội đồng OCOP tỉnh Thanh Hóa", PROVINCIAL_OFFICER)
    other = council("HD-TH-DL", Level.PROVINCE, str(THANH_HOA))  # another provincial council (tourism)
    await appoint(store, other, "Hội đồng OCOP du lịch tỉnh Thanh Hóa", PROVINCIAL_OFFICER)
    async with running_worker(env.client, store_pool) as task_queue:
        drivers = {key: TemporalJourney(env.client, task_queue, key) for key in ("J-A", "J-B")}
        await asyncio.gather(
            *(awaiting_round(driver, registration(key, f"Sản phẩm {key}")) for key, driver in drivers.items())
        )
        day0 = await today(env)
        r1, r2, rx = (RoundDriver(env.client, task_queue, key) for key in ("R-1", "R-2", "R-X"))
        await r1.open(
            open_command("R-1", "Đợt 1", PROVINCE, day0 + timedelta(days=5), day0 + timedelta(days=9))
        )
        await rx.open(
            open_command("R-X", "Đợt du lịch", other, day0 + timedelta(days=5), day0 + timedelta(days=9))
        )
        for key in drivers:
            await r1.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id=key))
        await score(drivers["J-A"], PROVINCE, every_seat("70", "72", "71", "73", "74"))  # 5 of 6: no quorum
        await score(drivers["J-B"], PROVINCE, every_seat(*["80"] * 8))
        await drivers["J-B"].do(finalize(PROVINCE))
        # m5 leaves and m10 joins before round 2 opens.
        await CouncilCommands(store).handle(
            PROVINCE.council_id,
            ChangeMembership(actor=PROVINCIAL_OFFICER, seats=without(PROVINCE, 5, 10)),
            "change-1",
        )
        await r2.open(
            open_command("R-2", "Đợt 2", PROVINCE, day0 + timedelta(days=30), day0 + timedelta(days=35))
        )

        streams = [("round", "R-1"), ("round", "R-2"), ("round", "R-X"), ("journey", "J-A")]
        before = await versions(store, *streams)
        await refused(r1.do(CloseRound(actor=PROVINCIAL_OFFICER)), "WrongState")  # J-A is unfinished
        # Into itself (before the fix in round_rules this deadlocked: the carry-over activity waited
        # on an update of the very round whose close held the lock).
        await refused(r1.do(CloseRound(actor=PROVINCIAL_OFFICER, carry_over_to="R-1")), "InvalidCommand")
        await refused(r1.do(CloseRound(actor=PROVINCIAL_OFFICER, carry_over_to="R-none")), "WrongState")
        await refused(r1.do(CloseRound(actor=PROVINCIAL_OFFICER, carry_over_to="R-X")), "InvalidCommand")
        assert await versions(store, *streams) == before

        closed = await r1.do(CloseRound(actor=PROVINCIAL_OFFICER, carry_over_to="R-2"), update_id="close-R-1")
        assert closed.event_types == ["journey_carried_over", "round_closed"]
        after = await versions(store, *streams)
        again = await r1.do(CloseRound(actor=PROVINCIAL_OFFICER, carry_over_to="R-2"), update_id="close-R-1")
        assert again == closed  # the same request again: the same answer, nothing recorded twice
        assert await versions(store, *streams) == after

        journey_log = await store.read_stream(StreamRef(type="journey", id="J-A"))
        carried = journey_log[-1]
        assert (carried.type, carried.data["from_round"], carried.data["to_round"]) == (
            "carried_over",
            "R-1",
            "R-2",
        )
        j_a = await drivers["J-A"].state()
        assert j_a.evaluation is not None
        assert (j_a.status, j_a.round_id, j_a.evaluation.round_id) == (Status.IN_EVALUATION, "R-2", "R-2")
        # Scorecards of members who still sit carry over; m5 has left, and so has their scorecard.
        assert sorted(j_a.evaluation.scorecards) == [seat(i).id for i in (1, 2, 3, 4)]
        r2_state = await r2.state()
        assert (r2_state.journeys, r2_state.carried_in) == (["J-A"], {"J-A": "R-1"})
        await assert_rounds_and_journeys_agree(store, env.client, ["R-1", "R-2", "R-X"], drivers)

        rows = (await r1.do(PublishResults(actor=PROVINCIAL_OFFICER))).state.results
        assert table(rows) == {
            "J-A": (None, None, "carried_over:R-2"),
            "J-B": (Decimal("80.00"), 4, "recognize:province:4"),
        }
        await refused(
            drivers["J-A"].do(await card(drivers["J-A"], SubmitScorecard, seat(5), "74")), "NotAVotingMember"
        )
        await score(drivers["J-A"], PROVINCE, {6: "72", 7: "70", 10: "71"})
        await drivers["J-A"].do(finalize(PROVINCE))
        await r2.do(CloseRound(actor=PROVINCIAL_OFFICER))
        rows2 = (await r2.do(PublishResults(actor=PROVINCIAL_OFFICER))).state.results
        # kept 70+72+71+73, new 72+70+71: 499 / 7 = 71.2857... -> 71.29 -> 4★
        assert table(rows2) == {"J-A": (Decimal("71.29"), 4, "recognize:province:4")}
        await assert_rounds_and_journeys_agree(store, env.client, ["R-1", "R-2", "R-X"], drivers)
        await assert_rebuild_reproduces_every_read_model(store)


async def test_one_product_enrolled_in_two_rounds_at_once_lands_in_exactly_one(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    store = EventStore(store_pool)
    await appoint(store, PROVINCE, "Hội đồng OCOP tỉnh Thanh Hóa", PROVINCIAL_OFFICER)
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-A")
        await awaiting_round(driver, registration("J-A", "Sản phẩm J-A"))
        day0 = await today(env)
        r1, r2 = (RoundDriver(env.client, task_queue, key) for key in ("R-1", "R-2"))
        for driver_, key in ((r1, "R-1"), (r2, "R-2")):
            await driver_.open(
                open_command(key, key, PROVINCE, day0 + timedelta(days=5), day0 + timedelta(days=9))
            )
        outcomes = await asyncio.gather(
            r1.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J-A")),
            r2.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J-A")),
            return_exceptions=True,
        )
        failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        assert len(failures) == 1, outcomes
        # The loser is refused by the journey itself: it is in evaluation in the other round already.
        assert isinstance(failures[0], WorkflowUpdateFailedError)
        assert isinstance(failures[0].cause, ApplicationError)
        assert failures[0].cause.type == "WrongState"
        await assert_rounds_and_journeys_agree(store, env.client, ["R-1", "R-2"], ["J-A"])


async def test_opening_a_round_is_refused_without_its_council_or_with_wrong_dates(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    store = EventStore(store_pool)
    await appoint(store, PROVINCE, "Hội đồng OCOP tỉnh Thanh Hóa", PROVINCIAL_OFFICER)
    async with running_worker(env.client, store_pool) as task_queue:
        day0 = await today(env)
        r1 = RoundDriver(env.client, task_queue, "R-1")
        good = open_command("R-1", "Đợt 1", PROVINCE, day0 + timedelta(days=5), day0 + timedelta(days=9))
        for command, error_type in [
            (good.model_copy(update={"round_id": "R-2"}), "InvalidCommand"),  # not this round's id
            (good.model_copy(update={"council_id": "HD-none"}), "InvalidCommand"),
            (good.model_copy(update={"cut_off": day0 - timedelta(days=1)}), "AfterCutOff"),
            (good.model_copy(update={"meeting_date": day0 + timedelta(days=4)}), "InvalidCommand"),
            (good.model_copy(update={"actor": DISTRICT_OFFICER}), "NotAllowed"),
        ]:
            await refused(r1.open(command), error_type)
            assert await versions(store, ("round", "R-1")) == [0]
        assert (await r1.open(good)).state.version == 1
        await refused(r1.open(good), "WrongState")


async def test_a_conflict_declared_after_enrolment_stops_the_member_scoring(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    store = EventStore(store_pool)
    await appoint(store, PROVINCE, "Hội đồng OCOP tỉnh Thanh Hóa", PROVINCIAL_OFFICER)
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-A")
        await awaiting_round(driver, registration("J-A", "Sản phẩm J-A"))
        day0 = await today(env)
        r1 = RoundDriver(env.client, task_queue, "R-1")
        await r1.open(
            open_command("R-1", "Đợt 1", PROVINCE, day0 + timedelta(days=5), day0 + timedelta(days=9))
        )
        await r1.do(EnrolJourney(actor=PROVINCIAL_OFFICER, journey_id="J-A"))
        await driver.do(await card(driver, SubmitScorecard, seat(3), "70"))
        await driver.do(await card(driver, SubmitScorecard, seat(5), "72"))
        # At the meeting, after m5 scored and before m4 did, both declare a conflict.
        await declare_conflict(store, seat(4), "J-A", env.client)
        await declare_conflict(store, seat(5), "J-A", env.client)
        await refused(driver.do(await card(driver, SubmitScorecard, seat(4), "70")), "ConflictOfInterest")
        state = await driver.state()
        assert state.evaluation is not None
        assert list(state.evaluation.scorecards) == [seat(3).id]  # m5's scorecard is set aside
        events = await store.read_stream(StreamRef(type="journey", id="J-A"))
        recorded = [e for e in events if e.type == "conflict_recorded"]
        assert [(e.data["member_id"], e.data["voided_total"]) for e in recorded] == [
            (seat(4).id, None),
            (seat(5).id, "72.00"),  # decimals travel as exact strings
        ]
        # The same declaration again (a retry) records nothing more.
        await declare_conflict(store, seat(4), "J-A", env.client)
        assert await store.stream_version(StreamRef(type="journey", id="J-A")) == events[-1].version


# -- plans: progress from this year's recognitions, end to end ---------------------------------


async def to_certified(driver: TemporalJourney, total: str, decided: date | None = None) -> JourneyState:
    """Enrol at the province, every voting member scores ``total``, finalize, and (if ``decided``)
    recognize. The enrolment is the journey's own update, as the round's activity sends it."""
    await driver.do(
        EnrolInRound(actor=PROVINCIAL_OFFICER, round_id="R-PLAN", level=Level.PROVINCE, council=PROVINCE)
    )
    await score(driver, PROVINCE, every_seat(*[total] * 8))
    state = (await driver.do(finalize(PROVINCE))).state
    if decided is not None:
        state = (await driver.do(recognize(Level.PROVINCE, decided, f"QĐ-{driver.journey_id}"))).state
    return state


def imported_product(journey_id: str, stars: int, decided: date) -> ImportCertified:
    return ImportCertified(
        actor=ADMINISTRATOR,
        journey_id=journey_id,
        producer_id=PRODUCER.id,
        product_name=f"Sản phẩm {journey_id}",
        product_group="food",
        province_code=THANH_HOA,
        commune_code=HAC_THANH,
        rulebook_id="qd148-2023",
        level=Level.PROVINCE,
        stars=stars,
        decision_number=f"QĐ-cũ-{journey_id}",
        decision_date=decided,
    )


async def test_plan_progress_counts_this_years_recognitions_by_kind_across_new_year(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    store = EventStore(store_pool)
    day0 = await today(env)
    year = day0.year
    plans = PlanCommands(store)
    receipt = await plans.handle(
        SetPlan(
            actor=PROVINCIAL_OFFICER,
            province_code=THANH_HOA,
            year=year,
            targets={3: 137, 4: 20, 5: 3},
            total=160,
        ),
        f"plan-{year}",
    )
    assert receipt.state.targets == {3: 137, 4: 20, 5: 3}
    # A second request (a revision for next year) reads the stream back from the log.
    await plans.handle(
        SetPlan(actor=PROVINCIAL_OFFICER, province_code=THANH_HOA, year=year + 1, targets={3: 10}),
        "plan-next",
    )
    await plans.handle(
        SetPlan(actor=PROVINCIAL_OFFICER, province_code=THANH_HOA, year=year + 1, targets={3: 12}),
        "plan-next-2",
    )
    assert (await plans.get(THANH_HOA, year + 1)) is not None
    async with running_worker(env.client, store_pool) as task_queue:
        drivers = {
            key: TemporalJourney(env.client, task_queue, key) for key in ("P-3", "P-4", "P-DEC31", "P-JAN1")
        }
        await asyncio.gather(
            *(awaiting_round(driver, registration(key, f"Sản phẩm {key}")) for key, driver in drivers.items())
        )
        upgrade = TemporalJourney(env.client, task_queue, "P-UP")
        renewal = TemporalJourney(env.client, task_queue, "P-RE")
        await upgrade.start(imported_product("P-UP", 3, date(2024, 3, 1)))  # valid until 2027-02-28
        await renewal.start(imported_product("P-RE", 4, date(2024, 1, 10)))  # valid until 2027-01-09
        # Imported with no set, filed today under qd26-2026: the applications name theirs.
        await upgrade.do(ApplyUpgrade(actor=PRODUCER, documents=["sha256:upgrade"], product_set="I.1.a"))
        await renewal.do(
            ApplyReEvaluation(actor=PRODUCER, documents=["sha256:re-evaluation"], product_set="I.1.a")
        )
        for driver in (upgrade, renewal):
            await driver.accept()

        await to_certified(drivers["P-3"], "60", day0)  # new 3★, today
        await to_certified(drivers["P-4"], "80", day0)  # new 4★, today
        await to_certified(upgrade, "80", day0)  # 3★ -> 4★: an upgrade, today
        await to_certified(renewal, "75", day0)  # 4★ renewed: a re-evaluation, today
        await to_certified(drivers["P-DEC31"], "60")
        await to_certified(drivers["P-JAN1"], "60")
        # New Year's Day in Vietnam: one decision is dated 31 December, the other 1 January.
        await sleep_until(env, datetime.combine(date(year + 1, 1, 1), time(9), VIETNAM))
        await drivers["P-DEC31"].do(recognize(Level.PROVINCE, date(year, 12, 31), "QĐ-3112"))
        await drivers["P-JAN1"].do(recognize(Level.PROVINCE, date(year + 1, 1, 1), "QĐ-0101"))

        progress = await progress_of_plan(store_pool, THANH_HOA, year)
        assert progress is not None
        # 3★ new: P-3, P-DEC31 (31 December). 4★ new: P-4; upgrade: P-UP; re-evaluation: P-RE.
        # P-JAN1 (1 January) belongs to next year; the imported certificates' 2024 decisions too.
        assert progress.by_star == [
            StarProgress(stars=3, target=137, new=2, upgrade=0, re_evaluation=0, remaining=135),
            StarProgress(stars=4, target=20, new=1, upgrade=1, re_evaluation=1, remaining=19),
            StarProgress(stars=5, target=3, new=0, upgrade=0, re_evaluation=0, remaining=3),
        ]
        assert (progress.total_target, progress.total_new, progress.total_remaining) == (160, 3, 157)
        following = await progress_of_plan(store_pool, THANH_HOA, year + 1)
        assert following is not None
        assert following.by_star[0] == StarProgress(stars=3, target=12, new=1, remaining=11)  # P-JAN1
        assert await progress_of_plan(store_pool, THANH_HOA, year + 2) is None  # no plan

        rows = {
            (row.level, row.stars, row.kind): row.recognitions
            for row in await statistics(store_pool, province_code=THANH_HOA, year=year)
        }
        assert rows == {
            ("province", 3, "new"): 2,
            ("province", 4, "new"): 1,
            ("province", 4, "upgrade"): 1,
            ("province", 4, "re_evaluation"): 1,
        }
        report = await assert_rebuild_reproduces_every_read_model(store)
        assert report.read_models == {"journey": 6, "plan": 2}
