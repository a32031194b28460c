"""Benchmark: does the council meeting slow down as the round grows? 30, 60 and 120 products.

Runs the engine's side of ``council.py`` (the real ProductJourney workflow and worker, C concurrent
members plus the chair and the authority, 10 decisions a product) at each size in turn on one
Temporal dev server and one database, after bringing that size's products to IN_EVALUATION (not
measured). Prints decisions/s and p50/p99 at each size, and whether the largest keeps at least 0.8
of the smallest's decisions/s.

    .venv/bin/python bench/growth.py                    # 30, 60, 120 products
    .venv/bin/python bench/growth.py --sizes 5,10,20    # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchkit import (
    DEFAULT_ADMIN_URL,
    connect,
    dev_server,
    progress,
    scratch_database,
    verdict,
    workdir,
    worker_process,
)
from council import VOTING, Engine, Measured, Processes, measure, set_up_products, table, temporal_pid

from settings import configure_logging

TARGET_RATIO = 0.8  # decisions/s at the largest size >= 0.8 x at the smallest


async def main(args: argparse.Namespace) -> None:
    sizes = [int(size) for size in args.sizes.split(",")]
    rng = random.Random(args.seed)
    rows: list[Measured] = []
    async with (
        workdir(args.keep_logs) as directory,
        dev_server(directory) as address,
        scratch_database(args.admin_url) as url,
    ):
        progress(f"Temporal dev server at {address}, database {url.rpartition('/')[2]}")
        async with worker_process(address, url, directory) as worker_pid:
            processes = Processes(worker_pid, temporal_pid(address), url.rpartition("/")[2])
            client = await connect(address)
            for products in sizes:
                engine = Engine(client, products, rng, args.scored_by == "sheet")
                took = await set_up_products(engine, products)
                progress(f"{products} products enrolled in {took:.1f} s (not measured)")
                rows.append(await measure("engine", engine.decide, products, args.members, False, processes))
    print()
    print(
        f"Council meeting as the round grows: {args.members} concurrent members of {VOTING}, "
        f"one server and database for all sizes; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    print(table(rows))
    print()
    smallest, largest = rows[0].result, rows[-1].result
    ratio = largest.per_second / smallest.per_second
    print(
        f"target decisions/s at {largest.products} products >= {TARGET_RATIO} x at {smallest.products}: "
        f"{verdict(ratio >= TARGET_RATIO)} "
        f"({largest.per_second:.1f}/s vs {smallest.per_second:.1f}/s = {ratio:.2f})"
    )


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes", default="30,60,120", help="products in each round, in order (default 30,60,120)"
    )
    parser.add_argument(
        "--members", type=int, default=8, choices=range(2, VOTING + 1), metavar="C",
        help="concurrent member clients, 2-8 (default 8)",
    )  # fmt: skip
    parser.add_argument(
        "--scored-by", choices=("sheet", "parts"), default="sheet",
        help="whole qd26-2026 sheets, one option per criterion (default), or three part totals",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=7, help="seed of the scores and communes")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="where to create the scratch database")
    parser.add_argument("--keep-logs", action="store_true", help="keep the server's and the worker's logs")
    return parser


if __name__ == "__main__":
    configure_logging("console", "WARNING")
    asyncio.run(main(parser().parse_args()))
