"""Benchmark: what counting costs an append (metrics.py) — EventStore.append with its metrics
against the same appends with the counting turned off, in the same process.

Creates a scratch database on the local PostgreSQL, migrates it, then one writer appends a
decision-sized event (a scorecard, about 1 KB of JSON) per append, in alternating slices with
``metrics.observe_append`` live and replaced by a no-op, so that other load on a shared machine
weighs on both alike. Prints appends/s and p50/p99 of each, the ratio counted/uncounted, the cost
of one count alone, and the time of one scrape (the registry's text). Drops the database.

    .venv/bin/python bench/metrics_cost.py               # 4 slices of 5 s each way
    .venv/bin/python bench/metrics_cost.py --seconds 1   # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchkit import percentile, progress, scratch_database

import metrics  # after the path is set: the engine's modules
from schemas.log import Actor, EventMetadata, NewEvent, StreamRef
from settings import configure_logging
from store import EventStore, create_pool

SCORECARD = {"parts": {"A": "32.00", "B": "20.00", "C": "28.00"}, "note": "x" * 900}


def _off(stream_type: str, event_types: Sequence[str], seconds: float) -> None:
    """The counting turned off."""


async def _slice(store: EventStore, stream: StreamRef, version: list[int], seconds: float) -> list[float]:
    latencies: list[float] = []
    meta = EventMetadata(actor=Actor(id="bench", role="council_member"))
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        event = NewEvent(event_id=uuid.uuid4(), type="scorecard_submitted", data=SCORECARD, metadata=meta)
        started = time.perf_counter()
        await store.append(stream, version[0], [event], f"bench-{uuid.uuid4()}")
        latencies.append(time.perf_counter() - started)
        version[0] += 1
    return latencies


async def run(args: argparse.Namespace) -> None:
    async with scratch_database(args.admin_url, "ocop_bench_metrics") as url:
        pool = await create_pool(url, 1, 2)
        try:
            store = EventStore(pool)
            stream = StreamRef(type="journey", id="J-BENCH")
            version = [0]
            live: Callable[[str, Sequence[str], float], None] = metrics.observe_append
            await _slice(store, stream, version, args.warmup)
            results: dict[str, list[float]] = {"counted": [], "uncounted": []}
            for index in range(args.rounds):
                for name in ("counted", "uncounted") if index % 2 == 0 else ("uncounted", "counted"):
                    metrics.observe_append = live if name == "counted" else _off  # type: ignore[assignment]
                    latencies = await _slice(store, stream, version, args.seconds)
                    results[name].extend(latencies)
                    rate = len(latencies) / args.seconds
                    progress(f"slice {index + 1}/{args.rounds} {name}: {rate:,.0f} appends/s")
            metrics.observe_append = live  # type: ignore[assignment]
        finally:
            await pool.close()
    total = args.rounds * args.seconds
    rates = {name: len(latencies) / total for name, latencies in results.items()}
    print(f"{'':10} {'appends/s':>10} {'p50 ms':>8} {'p99 ms':>8}")
    for name, latencies in results.items():
        p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
        print(f"{name:10} {rates[name]:>10,.0f} {p50:>8.2f} {p99:>8.2f}")
    print(f"ratio counted/uncounted (appends/s): {rates['counted'] / rates['uncounted']:.3f}")
    calls = 100_000
    started = time.perf_counter()
    for _ in range(calls):
        metrics.observe_append("journey", ["scorecard_submitted"], 0.001)
    alone = (time.perf_counter() - started) / calls
    share = alone * 1000 / percentile(results["uncounted"], 50)
    print(f"one count alone: {alone * 1e6:.1f} us ({share:.1%} of an uncounted p50 append)")
    started = time.perf_counter()
    for _ in range(100):
        metrics.exposition()
    print(f"one scrape's text: {(time.perf_counter() - started) * 10:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one slice")
    parser.add_argument("--rounds", type=int, default=4, help="slices of each kind")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    configure_logging("console", "WARNING")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
