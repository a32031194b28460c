"""Certificate numbers (số giấy chứng nhận): written with their level's or their province's pattern,
drawn once per recognition from the province's sequence of the year, never taken from the caller."""

from __future__ import annotations

import asyncpg
import pytest
from pydantic import ValidationError
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from printed.numbering import CertificateNumbering, certificate_scope, shipped_numbering
from schemas.log import StreamRef
from schemas.rulebook import Level
from store import EventStore
from store.sequences import numbers_of
from tests.factories import PROVINCIAL_OFFICER, THANH_HOA, recognize
from tests.workflows.harness import TemporalJourney, running_worker
from tests.workflows.test_journey import PROVINCE_COUNCIL, QD148_1489_DAY, evaluate, to_awaiting_round, today

HA_NOI = 1


def test_each_level_writes_its_own_pattern_and_a_province_may_set_its_own() -> None:
    numbering = CertificateNumbering(
        levels={
            Level.PROVINCE: "{number:03d}/{year}/GCN-OCOP-{province:02d}",
            Level.CENTRAL: "{number}/{year}/TW",
        },
        provinces={THANH_HOA: {Level.PROVINCE: "{number:04d}/GCN-UBND-TH{province}/{year}"}},
    )
    assert numbering.number(Level.PROVINCE, HA_NOI, 7, 2026) == "007/2026/GCN-OCOP-01"
    assert numbering.number(Level.PROVINCE, THANH_HOA, 7, 2026) == "0007/GCN-UBND-TH38/2026"
    assert numbering.number(Level.CENTRAL, THANH_HOA, 7, 2026) == "7/2026/TW"
    shipped = shipped_numbering()
    assert shipped.number(Level.PROVINCE, THANH_HOA, 12, 2026) == "012/2026/GCN-OCOP-38"
    assert shipped.number(Level.CENTRAL, THANH_HOA, 3, 2026) == "003/2026/GCN-OCOP-TW"


OWN = "{number}/{year}/{province}"


@pytest.mark.parametrize(
    ("levels", "provinces", "problem"),
    [
        ({Level.PROVINCE: "{number}/{year}/GCN"}, {}, "must contain {province}"),
        ({Level.PROVINCE: "{province}/GCN-{year}"}, {}, "must contain {number}"),
        ({Level.PROVINCE: OWN + "/{commune}"}, {}, "commune"),
        ({Level.PROVINCE: OWN}, {THANH_HOA: {Level.PROVINCE: "{number}/{year}"}}, "{province}"),
        ({Level.PROVINCE: OWN}, {THANH_HOA: {Level.CENTRAL: "{number}/{year}"}}, "ministry"),
        ({Level.PROVINCE: OWN, Level.DISTRICT: OWN}, {}, "two levels"),
    ],
)
def test_a_pattern_that_could_repeat_a_number_is_refused(
    levels: dict[Level, str], provinces: dict[int, dict[Level, str]], problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem):
        CertificateNumbering(levels=levels, provinces=provinces)


def test_each_province_and_year_counts_on_its_own() -> None:
    assert certificate_scope(Level.PROVINCE, THANH_HOA, 2026) == "certificate/38/2026"
    assert certificate_scope(Level.PROVINCE, HA_NOI, 2026) == "certificate/01/2026"
    assert certificate_scope(Level.CENTRAL, THANH_HOA, 2026) == "certificate/VN/2026"
    assert certificate_scope(Level.DISTRICT, THANH_HOA, 2026) == "certificate/38/district/2026"


async def test_recognitions_draw_consecutive_numbers_once_and_a_retry_keeps_its_own(
    time_skipping: WorkflowEnvironment,
    store_pool: asyncpg.Pool,
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        first = TemporalJourney(env.client, task_queue, "J-NUM-1")
        second = TemporalJourney(env.client, task_queue, "J-NUM-2")
        for driver, round_id in ((first, "R-N1"), (second, "R-N2")):
            await to_awaiting_round(driver, accepted_on=QD148_1489_DAY)
            await evaluate(driver, PROVINCE_COUNCIL, round_id, ["80"] * 8, PROVINCIAL_OFFICER)
        day = await today(env)
        year = day.year
        # The caller's own number is not taken: the engine draws it.
        command = recognize(Level.PROVINCE, day, "QĐ 15/QĐ-UBND").model_copy(
            update={"certificate_number": "SỐ-TỰ-ĐẶT"}
        )
        one = await first.do(command, update_id="recognize-1")
        again = await first.do(command, update_id="recognize-1")
        two = await second.do(recognize(Level.PROVINCE, day, "QĐ 15/QĐ-UBND"))
        await first.save_history("certificate_number_drawn_at_recognition")

    assert one.state.certificate is not None
    assert two.state.certificate is not None
    assert one.state.certificate.number == f"001/{year}/GCN-OCOP-38"
    assert two.state.certificate.number == f"002/{year}/GCN-OCOP-38"
    assert again.state.certificate == one.state.certificate
    assert one.state.recognitions[-1].certificate_number == f"001/{year}/GCN-OCOP-38"
    assert await numbers_of(store_pool, f"certificate/38/{year}") == {
        "J-NUM-1/recognition/1": 1,
        "J-NUM-2/recognition/1": 2,
    }
    recorded = await EventStore(store_pool).read_stream(StreamRef(type="journey", id="J-NUM-1"))
    recognized = [event for event in recorded if event.type == "recognized"]
    assert len(recognized) == 1
    assert recognized[0].data["certificate"]["number"] == f"001/{year}/GCN-OCOP-38"


async def test_a_refused_recognition_draws_no_number(
    time_skipping: WorkflowEnvironment,
    store_pool: asyncpg.Pool,
) -> None:
    env = time_skipping
    async with running_worker(env.client, store_pool) as task_queue:
        driver = TemporalJourney(env.client, task_queue, "J-NUM-3")
        await to_awaiting_round(driver, accepted_on=QD148_1489_DAY)
        await evaluate(driver, PROVINCE_COUNCIL, "R-N3", ["80"] * 8, PROVINCIAL_OFFICER)
        day = await today(env)
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await driver.do(recognize(Level.PROVINCE, day.replace(year=day.year + 1)))
        assert "future" in str(refused.value.cause)
    assert await numbers_of(store_pool, f"certificate/38/{day.year + 1}") == {}
    assert await numbers_of(store_pool, f"certificate/38/{day.year}") == {}
