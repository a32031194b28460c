"""Benchmark: importing historical certificates, and how long the national stock would take.

Imports ``--products`` (default 2,000) products certified before the engine existed, the way the
engine imports them: a ProductJourney workflow started per product (as the API and the journey
tests' driver start one) and its ``import_certified`` update (ImportCertified, actor role
administrator), with at most ``--concurrency`` imports in flight. Products are Thanh Hóa's
(real commune codes of province 38), recognized at the provincial level with 3 or 4 stars on dates
spread over the last three years under the rulebook then in force, so every certificate is still
valid and its expiry timers are live (those within a month of their end send their expiry notice at
once, as the engine would). Prints journeys/s, the latency of one import, and the time projected
for 16,000 products (the national stock) against the target of 15 minutes.

    .venv/bin/python bench/import.py                    # 2,000 products
    .venv/bin/python bench/import.py --products 100     # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg
from benchkit import (
    DEFAULT_ADMIN_URL,
    ENGINE_QUEUE,
    MAX_IN_FLIGHT,
    connect,
    dev_server,
    percentile,
    progress,
    scratch_database,
    verdict,
    workdir,
    worker_process,
)
from council import THANH_HOA, cpu_seconds, temporal_pid, thanh_hoa_communes
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy

from schemas.commands import JOURNEY_ACTIONS, ImportCertified, update_name
from schemas.journey import CommandReceipt, Status
from schemas.log import Actor
from schemas.rulebook import Level
from schemas.rulebooks import rulebook_in_force
from settings import configure_logging
from workflows.calendar import local_date
from workflows.ids import journey_workflow_id
from workflows.journey import JourneyStart, ProductJourney

NATIONAL_STOCK = 16_000
TARGET_MINUTES = 15.0
ADMINISTRATOR = Actor(id="admin-import-th", role="administrator")
IMPORT = update_name(
    next(action for action, command in JOURNEY_ACTIONS.items() if command is ImportCertified)
)


def certificates(rng: random.Random, products: int, run_id: str) -> list[ImportCertified]:
    """Thanh Hóa's historic certificates, recognized over the last three years (all still valid)."""
    communes = thanh_hoa_communes()
    today = local_date(datetime.now(UTC))
    earliest = today.replace(year=today.year - 3) + timedelta(days=1)
    span = (today - earliest).days
    commands = []
    for n in range(products):
        decided: date = earliest + timedelta(days=rng.randint(0, span))
        rulebook = rulebook_in_force(decided)
        journey_id = f"TH-IMP-{run_id}-{n:05d}"
        commands.append(
            ImportCertified(
                actor=ADMINISTRATOR,
                journey_id=journey_id,
                producer_id=f"producer-{journey_id}",
                product_name=rng.choice(
                    ["Nem chua", "Chè lam", "Mắm tôm", "Bánh gai", "Rượu cần", "Chiếu cói"]
                ),
                product_group=rng.choice([group.code for group in rulebook.product_groups]),
                province_code=THANH_HOA,
                commune_code=rng.choice(communes),
                rulebook_id=rulebook.id,
                level=Level.PROVINCE,
                stars=rng.choice([3, 3, 4]),
                decision_number=f"{rng.randint(100, 4999)}/QĐ-UBND",
                decision_date=decided,
            )
        )
    return commands


async def import_one(client: Client, command: ImportCertified) -> float:
    """Start the journey's workflow and run its import update; returns the seconds it took."""
    began = time.perf_counter()
    handle = await client.start_workflow(
        ProductJourney.run,
        JourneyStart(journey_id=command.journey_id),
        id=journey_workflow_id(command.journey_id),
        task_queue=ENGINE_QUEUE,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    receipt: CommandReceipt = await handle.execute_update(
        IMPORT, command, id=str(uuid.uuid4()), result_type=CommandReceipt
    )
    assert receipt.state.status == Status.CERTIFIED, receipt.state.status
    return time.perf_counter() - began


async def main(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    commands = certificates(rng, args.products, uuid.uuid4().hex[:6])
    latencies: list[float] = []
    failures: list[str] = []
    async with (
        workdir(args.keep_logs) as directory,
        dev_server(directory) as address,
        scratch_database(args.admin_url) as url,
    ):
        progress(f"Temporal dev server at {address}, database {url.rpartition('/')[2]}")
        server = temporal_pid(address)
        async with worker_process(address, url, directory) as worker_pid:
            client = await connect(address)
            # Warm the worker (imports, sandbox) with a few imports before measuring.
            for command in certificates(rng, args.warmup, "warm"):
                await import_one(client, command)
            gate = asyncio.Semaphore(args.concurrency)
            done = 0
            before = cpu_seconds(worker_pid, server, url.rpartition("/")[2])
            began = time.perf_counter()

            async def one(command: ImportCertified) -> None:
                nonlocal done
                async with gate:
                    try:
                        latencies.append(await import_one(client, command))
                    except Exception as error:  # counted and reported: the run goes on
                        failures.append(f"{command.journey_id}: {type(error).__name__}: {error}")
                done += 1
                if done % 250 == 0:
                    elapsed = time.perf_counter() - began
                    progress(f"imported {done:,} of {args.products:,}: {done / elapsed:.1f} journeys/s")

            await asyncio.gather(*(one(command) for command in commands))
            took = time.perf_counter() - began
            after = cpu_seconds(worker_pid, server, url.rpartition("/")[2])
            await asyncio.sleep(args.settle)  # expiry notices due at once are recorded by timers
        pool = await asyncpg.connect(url)
        counts: dict[str, int] = {
            row["type"]: row["count"]
            for row in await pool.fetch("SELECT type, count(*) FROM events GROUP BY type")
        }
        server_version = (await pool.fetchval("SHOW server_version")).split()[0]
        await pool.close()
    rate = len(latencies) / took
    projected = NATIONAL_STOCK / rate / 60
    cpu = {key: (after[key] - before[key]) * 1000 / args.products for key in before}
    print()
    print(
        f"Import of historic certificates: {args.products:,} journeys, {args.concurrency} in flight; "
        f"PostgreSQL {server_version}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    print(
        f"{'journeys':>9}{'seconds':>9}{'journeys/s':>12}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        "   CPU ms per journey"
    )
    print(
        f"{args.products:>9,}{took:>9.1f}{rate:>12.1f}{percentile(latencies, 50):>9.0f}"
        f"{percentile(latencies, 99):>9.0f}{max(latencies) * 1000:>9.0f}   "
        + ", ".join(f"{key} {value:.1f}" for key, value in cpu.items())
    )
    print(
        f"log: {counts.get('certified_imported', 0):,} certified_imported, "
        f"{counts.get('expiry_notice_sent', 0):,} expiry_notice_sent (notices due at import, by timers)"
    )
    if failures:
        print(f"FAILED imports: {len(failures)}, the first: {failures[0]}")
    print(
        f"projected for {NATIONAL_STOCK:,} (the national stock): {projected:.1f} min; "
        f"target under {TARGET_MINUTES:g} min: {verdict(projected < TARGET_MINUTES)}"
    )


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--products", type=int, default=2000, help="journeys to import (default 2,000)")
    parser.add_argument(
        "--concurrency", type=int, default=32, help=f"imports in flight, at most {MAX_IN_FLIGHT} (default 32)"
    )
    parser.add_argument("--warmup", type=int, default=20, help="imports before measuring (default 20)")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds left for timers after the import")
    parser.add_argument("--seed", type=int, default=5, help="seed of the certificates")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="where to create the scratch database")
    parser.add_argument("--keep-logs", action="store_true", help="keep the server's and the worker's logs")
    return parser


if __name__ == "__main__":
    arguments = parser().parse_args()
    if not 1 <= arguments.concurrency <= MAX_IN_FLIGHT:
        raise SystemExit(f"--concurrency must be between 1 and {MAX_IN_FLIGHT}")
    configure_logging("console", "WARNING")
    asyncio.run(main(arguments))
