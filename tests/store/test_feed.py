"""The global feed (read_all): every committed event is seen once, in position order, and a
transaction that drew a low position but commits late is never skipped."""

from __future__ import annotations

import asyncio
import gc
import random

import pytest

from schemas.log import RecordedEvent
from store import EventStore, FeedBusy
from tests.store.helpers import journey, key, new_event


async def _follow(
    store: EventStore,
    stop: asyncio.Event,
    seen: list[RecordedEvent],
    limit: int,
    busy: list[FeedBusy] | None = None,
) -> None:
    """Read the feed like a projector does: always from the last position seen, retrying when busy."""
    while True:
        finished = stop.is_set()  # read once more after the writers are done
        try:
            batch = await store.read_all(seen[-1].position if seen else 0, limit=limit)
        except FeedBusy as exc:
            if busy is None:
                raise
            busy.append(exc)
            continue
        seen.extend(batch)
        if finished and not batch:
            return
        if not batch:
            await asyncio.sleep(0.002)


async def test_follower_sees_every_event_once_in_order(event_store: EventStore) -> None:
    rng = random.Random(7)
    written: list[int] = []

    async def writer(number: int) -> None:
        for round_ in range(25):
            stream = journey(f"W{number}-{round_ % 3}")
            version = await event_store.stream_version(stream)
            batch = [new_event() for _ in range(rng.randint(1, 3))]
            receipt = await event_store.append(stream, version, batch, key())
            written.extend(receipt.positions)

    stop = asyncio.Event()
    seen: list[RecordedEvent] = []
    follower = asyncio.create_task(_follow(event_store, stop, seen, limit=37))
    await asyncio.gather(*(writer(n) for n in range(8)))
    stop.set()
    await follower

    positions = [e.position for e in seen]
    assert positions == sorted(set(positions)), "positions repeat or go backwards"
    assert positions == sorted(written)
    in_table = await event_store.pool.fetch("SELECT position FROM events ORDER BY position")
    assert positions == [row["position"] for row in in_table]


class _Gate:
    """Pauses an append after its events are written and before it commits."""

    def __init__(self, fail: bool = False) -> None:
        self.reached = asyncio.Event()
        self.release = asyncio.Event()
        self.fail = fail

    async def __call__(self) -> None:
        self.reached.set()
        await self.release.wait()
        if self.fail:
            raise RuntimeError("the slow appender gives up")


async def test_a_slow_transaction_holds_back_later_positions(event_store: EventStore) -> None:
    gate = _Gate()
    slow_store = EventStore(event_store.pool)
    slow_store._before_commit = gate
    slow = asyncio.create_task(slow_store.append(journey("slow"), 0, [new_event()], key()))
    await gate.reached.wait()

    fast = [await event_store.append(journey(f"fast-{n}"), 0, [new_event()], key()) for n in range(2)]
    fast_positions = [r.positions[0] for r in fast]

    # The hazard: a naive reader already sees the later positions, and not the slow one's.
    naive = [
        r["position"] for r in await event_store.pool.fetch("SELECT position FROM events ORDER BY position")
    ]
    assert naive == fast_positions
    # The feed waits instead of returning them, and gives up with FeedBusy after its timeout.
    reader = asyncio.create_task(event_store.read_all())
    await asyncio.sleep(0.5)
    assert not reader.done()
    with pytest.raises(FeedBusy):
        await EventStore(event_store.pool, feed_lock_timeout=0.2).read_all()

    gate.release.set()
    slow_receipt = await slow
    feed = await reader

    assert slow_receipt.positions[0] < min(fast_positions)
    assert [e.position for e in feed] == [slow_receipt.positions[0], *fast_positions]


async def test_a_follower_never_skips_a_late_commit(event_store: EventStore) -> None:
    await event_store.append(journey("before"), 0, [new_event()], key())
    seen = await event_store.read_all()
    gate = _Gate()
    slow_store = EventStore(event_store.pool)
    slow_store._before_commit = gate
    slow = asyncio.create_task(slow_store.append(journey("slow"), 0, [new_event()], key()))
    await gate.reached.wait()
    # A follower polling all along, with a short lock timeout so that it keeps giving way to
    # appenders (which queue behind its lock request) and retries.
    stop = asyncio.Event()
    busy: list[FeedBusy] = []
    follower_store = EventStore(event_store.pool, feed_lock_timeout=0.1)
    follower = asyncio.create_task(_follow(follower_store, stop, seen, limit=10, busy=busy))

    fast = [await event_store.append(journey(f"fast-{n}"), 0, [new_event()], key()) for n in range(3)]
    await asyncio.sleep(0.3)
    assert [e.stream.id for e in seen] == ["before"], "the follower saw later positions before the slow one"
    assert busy, "the follower never waited for the slow appender"
    gate.release.set()
    slow_receipt = await slow
    stop.set()
    await follower

    expected = [slow_receipt.positions[0], *(r.positions[0] for r in fast)]
    assert [e.position for e in seen[1:]] == expected
    assert [e.stream.id for e in seen] == ["before", "slow", "fast-0", "fast-1", "fast-2"]


async def test_a_rolled_back_append_leaves_a_gap_that_does_not_block(event_store: EventStore) -> None:
    gate = _Gate(fail=True)
    slow_store = EventStore(event_store.pool)
    slow_store._before_commit = gate
    slow = asyncio.create_task(slow_store.append(journey("doomed"), 0, [new_event()], key()))
    await gate.reached.wait()
    fast = await event_store.append(journey("fast"), 0, [new_event()], key())

    gate.release.set()
    with pytest.raises(RuntimeError, match="gives up"):
        await slow

    feed = await event_store.read_all()
    assert [e.position for e in feed] == fast.positions
    assert fast.positions[0] > 1  # position 1 was drawn by the rolled-back append
    assert await event_store.stream_version(journey("doomed")) == 0
    assert await event_store.read_all(after_position=fast.positions[0]) == []


@pytest.mark.parametrize("collecting", [True, False])
async def test_a_page_leaves_the_collector_as_it_found_it(event_store: EventStore, collecting: bool) -> None:
    # read_all builds a page's events with the cyclic collector paused (a third of a page's CPU
    # went to collections of the objects it was building); it must then be as it was.
    await event_store.append(journey("J-gc"), 0, [new_event(), new_event()], key())
    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        page = await event_store.read_all(0, 10)
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()
    assert [event.version for event in page] == [1, 2]
