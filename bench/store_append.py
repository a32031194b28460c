"""Benchmark: EventStore.append against a plain asyncpg INSERT of the same rows.

Creates a scratch database on the local PostgreSQL, migrates it, then for 1 and 16 concurrent
writers appends decision-sized events (about 1 KB of JSON each, one to three per transaction,
each writer on a few streams of its own with the versions it knows) for a fixed time. The plain
baseline inserts the same rows, one multi-row INSERT per transaction, into a bare table with no
hash chain, no stream head and no feed lock. Prints events/s, appends/s and p50/p99 latency, the
ratio store/plain, whether the target (>= 0.5 of plain at 16 writers) is met, and how fast
verify_all reads back what was written. Drops the database at the end.

    .venv/bin/python bench/store_append.py            # 20 s per configuration
    .venv/bin/python bench/store_append.py --seconds 3  # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from schemas.log import Actor, EventMetadata, NewEvent, StreamRef
from settings import configure_logging
from store import EventStore, create_pool, migrate, verify_all

TARGET_RATIO = 0.5
STREAMS_PER_WRITER = 4

PLAIN_TABLE = """
CREATE TABLE plain_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id uuid NOT NULL,
    stream_type text NOT NULL,
    stream_id text NOT NULL,
    version integer NOT NULL,
    type text NOT NULL,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL
)"""

PLAIN_INSERT = """
INSERT INTO plain_events (event_id, stream_type, stream_id, version, type, data, metadata, recorded_at)
SELECT e.event_id, $1, $2, e.version, e.type, e.data::jsonb, e.metadata::jsonb, $3
FROM unnest($4::uuid[], $5::int[], $6::text[], $7::text[], $8::text[])
     AS e(event_id, version, type, data, metadata)
"""


def decision_data(rng: random.Random, dossier: str) -> dict[str, Any]:
    """A council member's scorecard: about 1 KB of JSON."""
    return {
        "dossier_id": dossier,
        "round_id": "R-2025-HN-2",
        "council_id": "C-HN-PROV-1",
        "rulebook": "2025.1",
        "scores": [
            {"criterion": f"A{i}", "points": round(rng.uniform(0, 10), 1), "max": 10, "note": "đạt yêu cầu"}
            for i in range(1, 9)
        ],
        "total": round(rng.uniform(50, 100), 2),
        "proposed_stars": rng.choice([3, 4, 5]),
        "comment": "Sản phẩm có câu chuyện tốt, bao bì cần cải thiện; hồ sơ đầy đủ theo quy định.",
        "evidence": [f"{rng.getrandbits(256):064x}" for _ in range(2)],
    }


METADATA = EventMetadata(
    actor=Actor(id="party-7f3a", role="council_member"),
    authority="province:HN",
    rulebook="2025.1",
    reason="scorecard submitted",
    workflow_id="journey-J-1",
)


@dataclass
class Result:
    name: str
    writers: int
    seconds: float
    appends: int = 0
    events: int = 0
    latencies: list[float] = field(default_factory=list)

    @property
    def appends_per_s(self) -> float:
        return self.appends / self.seconds

    @property
    def events_per_s(self) -> float:
        return self.events / self.seconds

    def percentile(self, p: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1] * 1000


Append = Callable[[str, int, list[tuple[uuid.UUID, str, dict[str, Any]]]], Awaitable[None]]


async def run(name: str, writers: int, seconds: float, append: Append, warmup: float) -> Result:
    """Each writer appends to its own streams as fast as it can; only the timed window counts."""
    result = Result(name, writers, seconds)
    run_id = uuid.uuid4().hex[:6]
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + seconds

    async def writer(number: int) -> None:
        rng = random.Random(number)
        versions = [0] * STREAMS_PER_WRITER
        while (now := time.perf_counter()) < stop_at:
            slot = rng.randrange(STREAMS_PER_WRITER)
            stream_id = f"J-{run_id}-{number}-{slot}"
            batch = [
                (uuid.uuid4(), rng.choice(["ScorecardSubmitted", "DossierReviewed", "RoundNoteAdded"]), data)
                for data in (decision_data(rng, stream_id) for _ in range(rng.randint(1, 3)))
            ]
            began = time.perf_counter()
            await append(stream_id, versions[slot], batch)
            ended = time.perf_counter()
            versions[slot] += len(batch)
            if now >= measure_from and ended <= stop_at:
                result.appends += 1
                result.events += len(batch)
                result.latencies.append(ended - began)

    await asyncio.gather(*(writer(n) for n in range(writers)))
    return result


def store_append(store: EventStore) -> Append:
    async def append(
        stream_id: str, version: int, batch: list[tuple[uuid.UUID, str, dict[str, Any]]]
    ) -> None:
        events = [NewEvent(event_id=i, type=t, data=d, metadata=METADATA) for i, t, d in batch]
        await store.append(StreamRef(type="journey", id=stream_id), version, events, f"k-{batch[0][0]}")

    return append


def plain_append(pool: asyncpg.Pool) -> Append:
    metadata = METADATA.model_dump(mode="json")

    async def append(
        stream_id: str, version: int, batch: list[tuple[uuid.UUID, str, dict[str, Any]]]
    ) -> None:
        async with pool.acquire() as conn:
            # One statement inserting the 1-3 rows is its own transaction: one round trip.
            await conn.execute(
                PLAIN_INSERT,
                "journey",
                stream_id,
                datetime.now(UTC),
                [i for i, _, _ in batch],
                [version + n for n in range(1, len(batch) + 1)],
                [t for _, t, _ in batch],
                [json.dumps(d, ensure_ascii=False) for _, _, d in batch],
                [json.dumps(metadata) for _ in batch],
            )

    return append


def table(results: list[Result]) -> str:
    lines = [
        f"{'configuration':<14}{'writers':>8}{'appends/s':>11}{'events/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
    ]
    for r in results:
        lines.append(
            f"{r.name:<14}{r.writers:>8}{r.appends_per_s:>11.0f}{r.events_per_s:>10.0f}"
            f"{r.percentile(50):>9.2f}{r.percentile(99):>9.2f}"
        )
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> None:
    base = args.admin_url.rpartition("/")[0]
    name = f"ocop_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(args.admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{base}/{name}"
    try:
        await migrate(url)
        writer_counts = [int(w) for w in args.writers.split(",")]
        pool = await create_pool(url, min_size=max(writer_counts), max_size=max(writer_counts))
        await pool.execute(PLAIN_TABLE)
        store = EventStore(pool)
        results: list[Result] = []
        contenders = (("store", store_append(store)), ("plain INSERT", plain_append(pool)))
        for writers in writer_counts:
            totals = {label: Result(label, writers, 0.0) for label, _ in contenders}
            # Store and plain take turns in slices, so that other load on the machine weighs on both.
            for round_ in range(1, args.rounds + 1):
                for label, append in contenders:
                    part = await run(label, writers, args.seconds / args.rounds, append, warmup=args.warmup)
                    total = totals[label]
                    total.seconds += part.seconds
                    total.appends += part.appends
                    total.events += part.events
                    total.latencies.extend(part.latencies)
                    print(
                        f"{label}, {writers} writer(s), slice {round_}/{args.rounds}: "
                        f"{part.events_per_s:,.0f} events/s, {part.appends_per_s:,.0f} appends/s, "
                        f"p50 {part.percentile(50):.2f} ms (load average {os.getloadavg()[0]:.1f})",
                        flush=True,
                    )
            results.extend(totals.values())
        print()
        server = await admin.fetchval("SHOW server_version")
        python = sys.version.split()[0]
        print(
            f"PostgreSQL {server.split()[0]}, Python {python}, {os.cpu_count()} CPUs, "
            f"{args.seconds:g} s measured per configuration in {args.rounds} slices"
        )
        print(table(results))
        print()
        by = {(r.name, r.writers): r for r in results}
        for writers in writer_counts:
            ratio = by[("store", writers)].events_per_s / by[("plain INSERT", writers)].events_per_s
            print(f"ratio store/plain at {writers:>2} writer(s): {ratio:.2f}")
        top = max(writer_counts)
        ratio = by[("store", top)].events_per_s / by[("plain INSERT", top)].events_per_s
        verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
        print(f"target (store >= {TARGET_RATIO} x plain at {top} writers): {verdict} ({ratio:.2f})")
        began = time.perf_counter()
        report = await verify_all(pool)
        took = time.perf_counter() - began
        print(
            f"verify_all: {report.events_checked:,} events in {report.streams_checked:,} streams, "
            f"{took:.1f} s = {report.events_checked / took:,.0f} events/s, "
            f"{'intact' if report.ok else 'BROKEN'}"
        )
        await pool.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="measured time per configuration")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured time before each slice")
    parser.add_argument(
        "--rounds", type=int, default=4, help="slices per configuration, store and plain in turn"
    )
    parser.add_argument("--writers", default="1,16", help="comma-separated writer counts")
    parser.add_argument(
        "--admin-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="where to create the scratch database",
    )
    configure_logging("console", "WARNING")
    asyncio.run(main(parser.parse_args()))
