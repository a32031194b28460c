"""ProductJourney on Temporal's time-skipping test server with a real PostgreSQL log."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import asyncpg
import holidays
import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from schemas.commands import (
    AmendScorecard,
    ApplyReEvaluation,
    ApplyUpgrade,
    ImportCertified,
    ResubmitDossier,
    ReturnDossier,
    Revoke,
    SubmitScorecard,
    Withdraw,
)
from schemas.council import CouncilRoster
from schemas.events import Outcome
from schemas.journey import JourneyState, Status
from schemas.log import Actor, StreamRef
from schemas.rulebook import Level
from store import EventStore, verify
from tests.factories import (
    AUTHORITY,
    CENTRAL_OFFICER,
    COMMUNE_OFFICER,
    DISTRICT_NAME,
    DISTRICT_OFFICER,
    HAC_THANH,
    PRODUCER,
    PROVINCIAL_OFFICER,
    THANH_HOA,
    council,
    enrol,
    finalize,
    intake_to_dossier,
    member,
    parts,
    recognize,
    register,
    score_all,
    sheet_of,
)
from tests.workflows.harness import TemporalJourney, running_worker
from workflows.calendar import add_months, add_working_days, local_date
from workflows.lifecycle import expiry_instant
from workflows.projection import journey_state

PROVINCE_COUNCIL = council()  # 9 seats: chair, vice-chair, 6 members, secretary -> 8 voting
# A paper acceptance dated while qd148-1489-2025 was in force (2025-07-06 -> 2026-05-21): the tests
# of that rulebook's behaviour pin it so, now that a dossier accepted today pins qd26-2026.
QD148_1489_DAY = date(2026, 3, 2)
CENTRAL_COUNCIL = council("HD-TW", Level.CENTRAL, "VN", size=7, secretary=False)


async def today(env: WorkflowEnvironment) -> date:
    return local_date(await env.get_current_time())


async def eventually(
    driver: TemporalJourney, predicate: Callable[[JourneyState], bool], seconds: float = 10.0
) -> JourneyState:
    """The journey's state once ``predicate`` holds (a timer's step records through an activity)."""
    for _ in range(int(seconds / 0.05)):
        state = await driver.state()
        if predicate(state):
            return state
        await asyncio.sleep(0.05)
    raise AssertionError(f"the journey never reached the expected state: {await driver.state()}")


async def assert_log_matches(store_pool: asyncpg.Pool, driver: TemporalJourney) -> list[str]:
    """The journey's log verifies, and folding it reproduces the stored read model and the live state."""
    store = EventStore(store_pool)
    stream = StreamRef(type="journey", id=driver.journey_id)
    events = await store.read_stream(stream)
    report = await verify(store_pool, stream)
    assert report.ok, report.broken
    rebuilt = journey_state(events)
    stored = await store.get_read_model("journey", driver.journey_id)
    assert rebuilt is not None
    assert stored is not None
    assert JourneyState.model_validate(stored) == rebuilt
    assert rebuilt == await driver.state()
    return [event.type for event in events]


async def to_awaiting_round(
    driver: TemporalJourney,
    district: str | None = None,
    accepted_on: date | None = None,
    report: str | None = "sha256:commune-report",
) -> None:
    await driver.start(register(driver.journey_id, district=district))
    for command in intake_to_dossier():
        await driver.do(command)
    await driver.accept(accepted_on, report)


async def evaluate(
    driver: TemporalJourney, roster: CouncilRoster, round_id: str, totals: list[str], officer: Actor
) -> JourneyState:
    enrolled = (await driver.do(enrol(roster, round_id, officer))).state
    for command in score_all(roster, totals, sheet=sheet_of(enrolled)):
        await driver.do(command)
    return (await driver.do(finalize(roster))).state


async def certify_four_stars(env: WorkflowEnvironment, driver: TemporalJourney) -> JourneyState:
    """A qd148-1489-2025 journey to a provincial 4★ certificate (mean 80.00)."""
    await to_awaiting_round(driver, accepted_on=QD148_1489_DAY)
    state = await evaluate(driver, PROVINCE_COUNCIL, "R-P1", ["80"] * 8, PROVINCIAL_OFFICER)
    assert state.pending_recognition is not None
    assert state.pending_recognition.stars == 4
    return (await driver.do(recognize(Level.PROVINCE, await today(env)))).state


async def test_qd148_2023_journey_goes_through_district_and_province_to_four_stars(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-148-2023")
        # Accepted on a day of 2024 (a paper decision entered later): qd148-2023 is pinned.
        await to_awaiting_round(driver, accepted_on=date(2024, 5, 2), report=None, district=DISTRICT_NAME)
        state = await driver.state()
        assert (state.rulebook, state.status, state.level) == (
            "qd148-2023",
            Status.AWAITING_ROUND,
            Level.DISTRICT,
        )

        district = council("HD-TX", Level.DISTRICT, DISTRICT_NAME, size=7)  # 6 voting
        # 75+76+74+75+77+73 = 450, /6 = 75.00 -> 4★: the district certifies only 3★, forwards from 70.
        state = await evaluate(
            driver, district, "R-D1", ["75", "76", "74", "75", "77", "73"], DISTRICT_OFFICER
        )
        assert state.results[-1].mean == Decimal("75.00")
        assert state.results[-1].outcome == Outcome.FORWARD
        assert (state.status, state.level) == (Status.AWAITING_ROUND, Level.PROVINCE)

        # 80+81+79+82+80+78+81+79 = 640, /8 = 80.00 -> 4★, certified by the province.
        state = await evaluate(
            driver,
            PROVINCE_COUNCIL,
            "R-P1",
            ["80", "81", "79", "82", "80", "78", "81", "79"],
            PROVINCIAL_OFFICER,
        )
        assert state.results[-1].mean == Decimal("80.00")
        assert (state.status, state.level) == (Status.AWAITING_RECOGNITION, Level.PROVINCE)

        decided = await today(env)
        receipt = await driver.do(recognize(Level.PROVINCE, decided, "QĐ 1234/QĐ-UBND"))
        certificate = receipt.state.certificate
        assert receipt.state.status == Status.CERTIFIED
        assert certificate is not None
        assert (certificate.stars, certificate.level, certificate.rulebook) == (
            4,
            Level.PROVINCE,
            "qd148-2023",
        )
        assert certificate.valid_until == add_months(decided, 36) - timedelta(days=1)

        types = await assert_log_matches(store_pool, driver)
        assert types == [
            "idea_registered", "idea_accepted", "plan_submitted", "plan_approved", "dossier_submitted",
            "dossier_accepted", "enrolled_in_round", *["scorecard_submitted"] * 6, "council_finalized",
            "enrolled_in_round", *["scorecard_submitted"] * 8, "council_finalized", "recognized",
        ]  # fmt: skip
        await driver.save_history("qd148_2023_district_province_four_stars")


async def test_potential_five_star_holds_a_provincial_certificate_until_the_central_council_raises_it(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-5STAR")
        await to_awaiting_round(driver, accepted_on=QD148_1489_DAY)
        # 92+93+91+94+92+90+95+92 = 739, /8 = 92.375 -> 92.38 (half-up) -> 5★ band at the province.
        state = await evaluate(
            driver,
            PROVINCE_COUNCIL,
            "R-P1",
            ["92", "93", "91", "94", "92", "90", "95", "92"],
            PROVINCIAL_OFFICER,
        )
        assert state.results[-1].mean == Decimal("92.38")
        assert state.results[-1].outcome == Outcome.RECOGNIZE_THEN_FORWARD
        state = (await driver.do(recognize(Level.PROVINCE, await today(env), "QĐ-P"))).state
        assert (state.status, state.level, state.stars) == (Status.AWAITING_ROUND, Level.CENTRAL, 4)

        # 91+92+90+93+94 = 460, /5 = 92.00 -> 5★ at the central council.
        state = await evaluate(
            driver, CENTRAL_COUNCIL, "R-TW1", ["91", "92", "90", "93", "94"], CENTRAL_OFFICER
        )
        assert (state.status, state.pending_recognition and state.pending_recognition.stars) == (
            Status.AWAITING_RECOGNITION,
            5,
        )
        receipt = await driver.do(recognize(Level.CENTRAL, await today(env), "QĐ-TW"))
        assert receipt.event_types == ["certificate_superseded", "recognized"]
        assert (receipt.state.status, receipt.state.stars) == (Status.CERTIFIED, 5)
        assert [c.stars for c in receipt.state.past_certificates] == [4]
        await assert_log_matches(store_pool, driver)
        await driver.save_history("potential_five_stars_raised")


async def test_central_result_below_ninety_keeps_the_provincial_certificate(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-5STAR-NO")
        await to_awaiting_round(driver, accepted_on=QD148_1489_DAY)
        await evaluate(driver, PROVINCE_COUNCIL, "R-P1", ["91"] * 8, PROVINCIAL_OFFICER)
        provincial = (await driver.do(recognize(Level.PROVINCE, await today(env), "QĐ-P"))).state.certificate
        await driver.do(enrol(CENTRAL_COUNCIL, "R-TW1", CENTRAL_OFFICER))
        central = sheet_of(await driver.state())
        for command in score_all(
            CENTRAL_COUNCIL, ["88", "89", "87", "90", "86"], sheet=central
        ):  # 88.00 -> 4★
            await driver.do(command)
        receipt = await driver.do(finalize(CENTRAL_COUNCIL))
        assert receipt.event_types == ["council_finalized", "central_result_below_threshold"]
        assert receipt.state.status == Status.CERTIFIED
        assert receipt.state.certificate == provincial
        assert receipt.state.stars == 4
        await assert_log_matches(store_pool, driver)
        await driver.save_history("potential_five_stars_kept_at_four")


async def test_a_certificate_recognized_today_gets_the_window_notices_not_the_30_day_one_and_expires_at_36(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    # A qd148-1489-2025 certificate whose re-evaluation window opens under qd26-2026 follows it (Art.
    # 12.1: the term stands, the re-evaluation is the new rulebook's): T−180 and T−120, no notice at
    # T−30. (The recorded history expiry_notice_and_expiry.json keeps the 30-day notice as it ran.)
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-EXPIRY")
        state = await certify_four_stars(env, driver)
        certificate = state.certificate
        assert certificate is not None

        notice_at = expiry_instant(certificate) - timedelta(days=30)
        await env.sleep(notice_at - await env.get_current_time() + timedelta(days=1))
        state = await driver.state()
        assert state.re_evaluation_window is not None
        assert (state.re_evaluation_window.rulebook, state.re_evaluation_window.closed) == ("qd26-2026", True)
        assert not state.expiry_notice_sent

        await env.sleep(expiry_instant(certificate) - await env.get_current_time() - timedelta(days=1))
        assert (await driver.state()).status == Status.CERTIFIED  # the last valid day
        await env.sleep(timedelta(days=2))  # past the end of the 36 months
        final = await driver.handle.result()  # the journey ended by itself
        assert final is not None
        assert final.status == Status.EXPIRED
        types = await assert_log_matches_closed(store_pool, driver)
        assert types[-3:] == [
            "re_evaluation_window_opened",
            "re_evaluation_window_closing",
            "certificate_expired",
        ]


async def assert_log_matches_closed(store_pool: asyncpg.Pool, driver: TemporalJourney) -> list[str]:
    """As ``assert_log_matches`` for a journey whose workflow has completed (compare with its result)."""
    store = EventStore(store_pool)
    stream = StreamRef(type="journey", id=driver.journey_id)
    events = await store.read_stream(stream)
    assert (await verify(store_pool, stream)).ok
    rebuilt = journey_state(events)
    stored = await store.get_read_model("journey", driver.journey_id)
    assert stored is not None
    assert JourneyState.model_validate(stored) == rebuilt == await driver.handle.result()
    return [event.type for event in events]


async def test_re_evaluation_downgrades_four_stars_to_three_and_starts_a_new_term(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-REEVAL")
        old = (await certify_four_stars(env, driver)).certificate
        assert old is not None
        await env.sleep(timedelta(days=30 * 34))
        await driver.do(ApplyReEvaluation(actor=PRODUCER, documents=["sha256:re-eval"]))
        # The certificate was qd148-1489-2025's; its re-evaluation follows the rulebook of the day.
        assert (await driver.accept()).state.rulebook == "qd26-2026"
        # 60+62+58+61+59+60+60+60 = 480, /8 = 60.00 -> 3★
        state = await evaluate(
            driver,
            PROVINCE_COUNCIL,
            "R-P9",
            ["60", "62", "58", "61", "59", "60", "60", "60"],
            PROVINCIAL_OFFICER,
        )
        assert state.pending_recognition is not None
        assert state.pending_recognition.stars == 3
        decided = await today(env)
        receipt = await driver.do(recognize(Level.PROVINCE, decided, "QĐ-RE"))
        assert receipt.event_types == ["certificate_superseded", "recognized"]
        new = receipt.state.certificate
        assert new is not None
        assert (receipt.state.status, new.stars) == (Status.CERTIFIED, 3)
        assert new.valid_until == add_months(decided, 36) - timedelta(days=1) > old.valid_until
        assert receipt.state.past_certificates == [old]
        assert not receipt.state.expiry_notice_sent  # a new term, a new notice later
        await assert_log_matches(store_pool, driver)
        await driver.save_history("re_evaluation_downgrade")


async def test_a_returned_dossier_lapses_after_15_working_days_across_tet(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        # Move the test server's clock to a few days before the next Tết holidays.
        now_day = await today(env)
        tet = min(
            day
            for day, name in holidays.country_holidays("VN", years=[now_day.year, now_day.year + 1]).items()
            if "Lunar New Year" in name and day > now_day + timedelta(days=7)
        )
        start = tet - timedelta(days=5)
        while start.weekday() >= 5:
            start -= timedelta(days=1)
        await env.sleep(timedelta(days=(start - now_day).days))

        driver = TemporalJourney(env.client, task_queue, "J-LAPSE")
        await driver.start(register("J-LAPSE"))
        for command in intake_to_dossier():
            await driver.do(command)
        returned_on = await today(env)
        receipt = await driver.do(ReturnDossier(actor=COMMUNE_OFFICER, missing_items=["Mẫu 02"]))
        due = receipt.state.deadlines["dossier_completion"].due  # type: ignore[index]
        assert due == add_working_days(returned_on, 15)
        weekdays_only = returned_on
        for _ in range(15):
            weekdays_only += timedelta(days=1)
            while weekdays_only.weekday() >= 5:
                weekdays_only += timedelta(days=1)
        assert due > weekdays_only + timedelta(days=3)  # Tết pushes the deadline past a weekday count

        await env.sleep(timedelta(days=(due - returned_on).days - 1))
        assert (await driver.state()).status == Status.DOSSIER_RETURNED  # not yet: the due day is allowed
        await env.sleep(timedelta(days=3))
        assert await driver.handle.result() is not None
        types = await assert_log_matches_closed(store_pool, driver)
        assert types[-1] == "withdrawn"
        events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id="J-LAPSE"))
        assert events[-1].data["lapsed"] is True
        assert events[-1].metadata.actor.role == "system"
        await driver.save_history("dossier_lapses_across_tet")


async def test_revocation_ends_the_journey_and_names_its_grounds(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-REVOKE")
        await certify_four_stars(env, driver)
        receipt = await driver.do(Revoke(actor=AUTHORITY, grounds="Không duy trì tiêu chí bắt buộc 3 sao"))
        assert receipt.state.status == Status.REVOKED
        assert receipt.state.stars is None
        assert await driver.handle.result() is not None
        events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id="J-REVOKE"))
        assert events[-1].type == "revoked"
        assert events[-1].metadata.reason == "Không duy trì tiêu chí bắt buộc 3 sao"
        await driver.save_history("revocation")


async def test_a_refused_update_records_nothing_and_changes_nothing(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-REFUSED")
        await to_awaiting_round(driver, accepted_on=QD148_1489_DAY)  # scored on part totals
        await driver.do(enrol(PROVINCE_COUNCIL, "R-P1", PROVINCIAL_OFFICER))
        before = await driver.state()
        stream = StreamRef(type="journey", id="J-REFUSED")
        version = await EventStore(store_pool).stream_version(stream)

        refusals = [
            (
                SubmitScorecard(actor=member("HD-TH-2025", 9), parts=parts("30", "20", "30")),
                "SecretaryCannotScore",
            ),
            (
                SubmitScorecard(actor=member("HD-TH-2025", 3), parts=parts("41", "20", "30")),
                "ScoreOutOfRange",
            ),
            (AmendScorecard(actor=member("HD-TH-2025", 3), parts=parts("30", "20", "30")), "NoScorecard"),
            (finalize(PROVINCE_COUNCIL), "QuorumNotMet"),
            (Withdraw(actor=COMMUNE_OFFICER), "NotAllowed"),
            (ApplyUpgrade(actor=PRODUCER, documents=["x"]), "WrongState"),
        ]
        for command, error_type in refusals:
            with pytest.raises(WorkflowUpdateFailedError) as failure:
                await driver.do(command)
            cause = failure.value.cause
            assert isinstance(cause, ApplicationError)
            assert cause.type == error_type, (command, cause)
        assert await driver.state() == before
        assert await EventStore(store_pool).stream_version(stream) == version


async def test_the_same_update_id_twice_records_one_decision_and_answers_alike(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-IDEM")
        await to_awaiting_round(driver, accepted_on=QD148_1489_DAY)  # scored on part totals
        await driver.do(enrol(PROVINCE_COUNCIL, "R-P1", PROVINCIAL_OFFICER))
        command = SubmitScorecard(actor=member("HD-TH-2025", 3), parts=parts("30", "20", "30"))
        first = await driver.do(command, update_id="a3f1c9e0-0000-4000-8000-000000000001")
        second = await driver.do(command, update_id="a3f1c9e0-0000-4000-8000-000000000001")
        assert first == second
        events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id="J-IDEM"))
        assert [e.type for e in events].count("scorecard_submitted") == 1


async def test_a_withdrawn_upgrade_returns_to_the_certificate_in_force(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-UPG")
        certificate = (await certify_four_stars(env, driver)).certificate
        await driver.do(ApplyUpgrade(actor=PRODUCER, documents=["sha256:upgrade"]))
        await driver.do(ReturnDossier(actor=COMMUNE_OFFICER, missing_items=["kết quả kiểm nghiệm"]))
        await driver.do(ResubmitDossier(actor=PRODUCER, documents=["sha256:upgrade-2"]))
        receipt = await driver.do(Withdraw(actor=PRODUCER))
        assert receipt.state.status == Status.CERTIFIED
        assert receipt.state.certificate == certificate
        await assert_log_matches(store_pool, driver)


async def test_an_imported_certificate_runs_its_expiry_timers(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-IMPORTED")
        decided = add_months(await today(env), -36) + timedelta(days=10)  # ends in about 9 days
        receipt = await driver.start(
            ImportCertified(
                actor=Actor(id="admin-1", role="administrator"),
                journey_id="J-IMPORTED",
                producer_id=PRODUCER.id,
                product_name="Chè lam Phủ Quảng",
                product_group="food",
                province_code=THANH_HOA,
                commune_code=HAC_THANH,
                district=DISTRICT_NAME,
                rulebook_id="qd148-2023",
                level=Level.DISTRICT,
                stars=3,
                decision_number="QĐ 768/QĐ-UBND",
                decision_date=decided,
            )
        )
        assert receipt.state.status == Status.CERTIFIED
        assert receipt.state.imported
        # Its window opened under qd26-2026 (T−180 in June 2026) and closed (T−120 in August): both
        # fall due at once, and no 30-day notice comes (the recorded history
        # imported_certificate_expires.json keeps the 30-day notice, as it ran before the patch).
        window_closed = lambda s: bool(s.re_evaluation_window and s.re_evaluation_window.closed)  # noqa: E731
        state = await eventually(driver, window_closed)
        assert (state.status, state.expiry_notice_sent) == (Status.CERTIFIED, False)
        await env.sleep(timedelta(days=12))
        final = await driver.handle.result()
        assert final is not None
        assert final.status == Status.EXPIRED
        types = await assert_log_matches_closed(store_pool, driver)
        assert types == [
            "certified_imported",
            "re_evaluation_window_opened",
            "re_evaluation_window_closing",
            "certificate_expired",
        ]
