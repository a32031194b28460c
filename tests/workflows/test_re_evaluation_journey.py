"""Re-evaluation at expiry under qd26-2026 (Art. 7.6, 12.3) on Temporal's time-skipping server with
a real PostgreSQL log: the window opens at T−180 and its last day passes at T−120 (no 30-day expiry
notice), a producer who files late keeps the certificate until the decision but never past T+180
(``certificate_extended``, then expiry), and the whole re-evaluation escalates after 45 days."""

from __future__ import annotations

from datetime import date, timedelta

import asyncpg
from temporalio.testing import WorkflowEnvironment

from schemas.commands import ApplyReEvaluation
from schemas.journey import JourneyState, Status
from schemas.log import StreamRef
from schemas.rulebook import Level, ReEvaluationRules
from schemas.rulebooks import get_rulebook
from store import EventStore
from tests.factories import PRODUCER, PROVINCIAL_OFFICER, recognize
from tests.workflows.harness import TemporalJourney, running_worker
from tests.workflows.test_journey import PROVINCE_COUNCIL, assert_log_matches, evaluate, eventually, today
from tests.workflows.test_qd26_journey import _submitted
from workflows.calendar import end_of_day

_RULES = get_rulebook("qd26-2026").re_evaluation
assert _RULES is not None
RULES: ReEvaluationRules = _RULES


async def _certified_under_qd26(env: WorkflowEnvironment, driver: TemporalJourney) -> JourneyState:
    await _submitted(driver)
    assert (await driver.accept()).state.rulebook == "qd26-2026"
    await evaluate(driver, PROVINCE_COUNCIL, "R-P1", ["80"] * 8, PROVINCIAL_OFFICER)
    return (await driver.do(recognize(Level.PROVINCE, await today(env)))).state


async def _types(store_pool: asyncpg.Pool, driver: TemporalJourney) -> list[str]:
    events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id=driver.journey_id))
    return [event.type for event in events]


async def _sleep_until(env: WorkflowEnvironment, day: date, *, after: timedelta) -> None:
    """Skip to the start of ``day`` (Vietnam time) plus ``after``."""
    target = end_of_day(day - timedelta(days=1)) + after
    await env.sleep(target - await env.get_current_time())


async def test_a_late_filer_keeps_the_certificate_until_t_plus_180_then_it_expires(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-QD26-LATE")
        certificate = (await _certified_under_qd26(env, driver)).certificate
        assert certificate is not None
        end = certificate.valid_until
        opens_on = end - timedelta(days=RULES.window_opens_days)
        closes_on = end - timedelta(days=RULES.window_closes_days)

        # T−180: not a moment before the window's first day.
        await _sleep_until(env, opens_on, after=-timedelta(hours=1))
        assert (await driver.state()).re_evaluation_window is None
        await env.sleep(timedelta(hours=2))
        state = await eventually(driver, lambda s: s.re_evaluation_window is not None)
        assert state.re_evaluation_window is not None
        assert (state.re_evaluation_window.opens_on, state.re_evaluation_window.closes_on) == (
            opens_on,
            closes_on,
        )
        assert state.re_evaluation_window.rulebook == "qd26-2026"

        # T−120: the window's last day passes with nothing filed.
        await _sleep_until(env, closes_on, after=timedelta(hours=23))
        assert not (await driver.state()).re_evaluation_window.closed  # type: ignore[union-attr]
        await env.sleep(timedelta(hours=2))
        state = await eventually(
            driver, lambda s: s.re_evaluation_window is not None and s.re_evaluation_window.closed
        )

        # Filed late, 100 days before the end; accepted the same day: decided within 45 days or escalated.
        await _sleep_until(env, end - timedelta(days=100), after=timedelta(hours=10))
        await driver.do(ApplyReEvaluation(actor=PRODUCER, documents=["sha256:re-eval"]))
        state = (await driver.accept()).state
        accepted_on = await today(env)
        due = accepted_on + timedelta(days=RULES.completion.amount)
        assert state.deadlines["re_evaluation_completion"].due == due  # type: ignore[index]
        await _sleep_until(env, due, after=timedelta(hours=23))
        assert not (await driver.state()).deadlines["re_evaluation_completion"].missed  # type: ignore[index]
        await env.sleep(timedelta(hours=2))
        state = await eventually(driver, lambda s: s.deadlines["re_evaluation_completion"].missed)  # type: ignore[index]
        assert state.status == Status.AWAITING_ROUND  # escalated, not withdrawn

        # T: the term ends during the re-evaluation — extended, not expired.
        await _sleep_until(env, end + timedelta(days=1), after=timedelta(hours=1))
        state = await eventually(driver, lambda s: s.certificate_extended_until is not None)
        assert state.certificate_extended_until == end + timedelta(days=RULES.extension_days)
        assert state.certificate_in_force == certificate

        # T+180: still no decision — the certificate expires; the re-evaluation goes on.
        extended = end + timedelta(days=RULES.extension_days)
        await _sleep_until(env, extended, after=timedelta(hours=23))
        assert (await driver.state()).certificate_in_force == certificate
        await env.sleep(timedelta(hours=2))
        state = await eventually(driver, lambda s: s.certificate_expired)
        assert (state.status, state.certificate_in_force) == (Status.AWAITING_ROUND, None)

        types = await _types(store_pool, driver)
        assert "expiry_notice_sent" not in types  # no 30-day notice under qd26-2026
        assert [t for t in types if t not in {"re_evaluation_applied", "dossier_accepted"}][-5:] == [
            "re_evaluation_window_opened",
            "re_evaluation_window_closing",
            "deadline_missed",
            "certificate_extended",
            "certificate_expired",
        ]
        events = await EventStore(store_pool).read_stream(StreamRef(type="journey", id=driver.journey_id))
        extension = next(event for event in events if event.type == "certificate_extended")
        assert extension.data["filed_late"] is True
        await assert_log_matches(store_pool, driver)
        await driver.save_history("qd26_re_evaluation_filed_late_extended_then_expired")


async def test_a_producer_who_files_in_the_window_is_renewed_and_the_new_term_gets_its_own_window(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-QD26-ONTIME")
        old = (await _certified_under_qd26(env, driver)).certificate
        assert old is not None
        # 150 days before the end: inside the window.
        await _sleep_until(env, old.valid_until - timedelta(days=150), after=timedelta(hours=10))
        await eventually(driver, lambda s: s.re_evaluation_window is not None)
        await driver.do(ApplyReEvaluation(actor=PRODUCER, documents=["sha256:re-eval"]))
        await driver.accept()
        await evaluate(driver, PROVINCE_COUNCIL, "R-P9", ["75"] * 8, PROVINCIAL_OFFICER)
        state = (await driver.do(recognize(Level.PROVINCE, await today(env), "QĐ-2"))).state
        assert state.status == Status.CERTIFIED
        assert state.certificate is not None
        assert state.certificate.number != old.number
        assert (state.re_evaluation_window, state.certificate_extended_until) == (None, None)
        assert "re_evaluation_completion" not in state.deadlines
        # Past the old term's T−120 and its end: nothing closes, nothing is extended or expires.
        await env.sleep(timedelta(days=160))
        types = await _types(store_pool, driver)
        assert types.count("re_evaluation_window_opened") == 1
        assert not {"re_evaluation_window_closing", "certificate_extended", "certificate_expired"} & set(
            types
        )
        assert (await driver.state()).certificate_in_force == state.certificate
        await assert_log_matches(store_pool, driver)
