"""Benchmark: ``verify_all`` of a loaded log against reading the same rows without checking them.

Needs a loaded database (``bench/audit.py --keep-database`` leaves one of a million events):

    .venv/bin/python bench/verify_all.py --database postgresql://postgres@127.0.0.1:5432/ocop_audit_...

Runs, in turns (``--runs`` each, default 5): ``verify_all`` of the whole log, and a bare pass that
reads the same rows in the same order through a cursor in pages of the same size and checks
nothing (what the database and the driver cost). Each run gives events/s and the CPU time an
event took in this process and in the database's backend (read from /proc when the server runs on
this machine, which on a shared machine says more than the wall clock). Prints the median of each.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg
from benchkit import progress

from settings import configure_logging
from store import create_pool, verify_all
from store.verify import _ALL_EVENTS

TARGET_PER_S = 100_000


def backend_cpu(pid: int) -> float | None:
    """CPU seconds the server process ``pid`` used so far, or None when it is not on this machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def bare_pass(pool: asyncpg.Pool, page_size: int = 5000) -> int:
    """Read every event row as verify_all does, checking nothing."""
    count = 0
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        cursor = await conn.cursor(_ALL_EVENTS)
        while rows := await cursor.fetch(page_size):
            count += len(rows)
    return count


async def timed(pool: asyncpg.Pool, call: Callable[[], Awaitable[int]]) -> tuple[float, float, float | None]:
    """events/s, client CPU µs an event, server CPU µs an event (None when not measurable)."""
    # The pool has one connection: the pass runs on it, so its backend's CPU is the pass's.
    pid = int(await pool.fetchval("SELECT pg_backend_pid()"))
    server_before = backend_cpu(pid)
    client_before = time.process_time()
    began = time.perf_counter()
    events = await call()
    wall = time.perf_counter() - began
    client = time.process_time() - client_before
    server_after = backend_cpu(pid)
    server = None if server_before is None or server_after is None else server_after - server_before
    return events / wall, client / events * 1e6, None if server is None else server / events * 1e6


async def verified(pool: asyncpg.Pool) -> int:
    report = await verify_all(pool)
    assert report.ok, report.broken[:5]
    return report.events_checked


async def main(args: argparse.Namespace) -> None:
    pool = await create_pool(args.database, min_size=1, max_size=1)
    passes: dict[str, Callable[[], Awaitable[int]]] = {
        "verify_all": lambda: verified(pool),
        "bare read (no checks)": lambda: bare_pass(pool),
    }
    results: dict[str, list[tuple[float, float, float | None]]] = {name: [] for name in passes}
    for run in range(args.runs):
        for name, call in passes.items():
            result = timed(pool, call)
            rate, client, server = await result
            results[name].append((rate, client, server))
            server_text = "?" if server is None else f"{server:.1f}"
            progress(
                f"run {run + 1}: {name} {rate:,.0f} events/s, CPU µs an event client {client:.1f}, "
                f"server {server_text}"
            )
    await pool.close()
    print(
        f"\n{'pass':<24}{'events/s':>12}{'client µs/event':>17}{'server µs/event':>17}"
        f"   (medians of {args.runs})"
    )
    for name, rows in results.items():
        servers = [row[2] for row in rows if row[2] is not None]
        server_text = f"{statistics.median(servers):.1f}" if servers else "?"
        print(
            f"{name:<24}{statistics.median(row[0] for row in rows):>12,.0f}"
            f"{statistics.median(row[1] for row in rows):>17.1f}{server_text:>17}"
        )
    rate = statistics.median(row[0] for row in results["verify_all"])
    bare = statistics.median(row[0] for row in results["bare read (no checks)"])
    print(
        f"verify_all / bare read: {rate / bare:.2f}; target >= {TARGET_PER_S:,} events/s: "
        f"{'met' if rate >= TARGET_PER_S else 'MISSED'} (load average {os.getloadavg()[0]:.1f})"
    )


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--database", required=True, help="URL of a loaded database (audit.py --keep-database)"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of each pass, in turns (default 5)")
    return parser


if __name__ == "__main__":
    configure_logging("console", "WARNING")
    asyncio.run(main(parser().parse_args()))
