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

Then, in the same run on the same server and worker, the same number of products from province
Excel sheets (``ocop import stock``'s path, store/stock_import.py): each sheet written with
openpyxl, read, every row checked by the journey's own rules, the producers entered and each
product imported through the same update at the same concurrency, the two paths taking turns
(``--rounds``). Prints rows/s of both paths, their ratio (target: the sheets at least 0.9 of the
direct import, so that reading and checking a sheet is not what bounds it) and the CPU per row of
the worker, this process (which reads the sheet: the API's part when one is uploaded), PostgreSQL
and Temporal.

    .venv/bin/python bench/import.py                    # 2,000 products
    .venv/bin/python bench/import.py --products 100     # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import io
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
    MAX_IN_FLIGHT,
    connect,
    dev_server,
    engine_of,
    percentile,
    progress,
    scratch_database,
    verdict,
    workdir,
    worker_process,
)
from council import THANH_HOA, cpu_seconds, temporal_pid, thanh_hoa_communes

from api.commands import start_journey
from api.engine import Engine
from schemas.commands import ImportCertified
from schemas.journey import CommandReceipt, Status
from schemas.log import Actor
from schemas.rulebook import Level
from schemas.rulebooks import rulebook_in_force
from settings import configure_logging
from store import create_pool, stock_import
from workflows.calendar import local_date

NATIONAL_STOCK = 16_000
TARGET_MINUTES = 15.0
TARGET_RATIO = 0.9  # the sheet's path against the direct import
AUTHORITY = "UBND tỉnh Thanh Hóa"
HEADER = [
    *("STT", "Tên sản phẩm", "Nhóm sản phẩm", "Loại hình chủ thể", "Tên chủ thể", "Xã/phường", "Địa chỉ"),
    *("Người đại diện", "Số điện thoại", "Hạng hiện tại"),
    *("Hạng (lần 1)", "Ngày công nhận (lần 1)", "Số quyết định (lần 1)", "Cơ quan ban hành (lần 1)"),
]
ADMINISTRATOR = Actor(id="admin-import-th", role="administrator")


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


def stock_sheet(rng: random.Random, products: int, run_id: str) -> bytes:
    """Thanh Hóa's certified products as a province writes them in its sheet (two a producer)."""
    from openpyxl import Workbook

    communes = thanh_hoa_communes()
    today = local_date(datetime.now(UTC))
    earliest = today.replace(year=today.year - 3) + timedelta(days=1)
    span = (today - earliest).days
    book = Workbook(write_only=True)
    sheet = book.create_sheet("OCOP")
    sheet.append(["DANH SÁCH SẢN PHẨM OCOP TỈNH THANH HÓA"])
    sheet.append(HEADER)
    for n in range(products):
        decided = earliest + timedelta(days=rng.randint(0, span))
        stars = rng.choice([3, 3, 4])
        product = f"{rng.choice(['Nem chua', 'Chè lam', 'Mắm tôm', 'Bánh gai'])} {run_id}-{n}"
        kind = rng.choice(["HTX", "Hộ kinh doanh", "Doanh nghiệp nhỏ và vừa"])
        commune = communes[(n // 2) % len(communes)]
        decision = f"{rng.randint(100, 4999)}/QĐ-UBND-{n}"
        producer = f"Chủ thể {run_id}-{n // 2}"
        place = (commune, f"Thôn {n}", f"Người đại diện {n}", f"09{n:08d}")
        sheet.append(
            [n + 1, product, "Thực phẩm", kind, producer, *place, stars, stars, decided, decision, AUTHORITY]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def start_one(
    engine: Engine, journey_id: str, command: ImportCertified, key: uuid.UUID
) -> CommandReceipt:
    """The sheet's path to Temporal: the API's start of a journey, as ``import_one`` and the CLI take."""
    return await start_journey(engine, journey_id, "import-certified", command, key)


async def import_sheet(
    engine: Engine, url: str, data: bytes, concurrency: int
) -> tuple[stock_import.StockReport, float]:
    """The sheet read, checked and imported as ``ocop import stock`` does; returns its report and
    the seconds from the file's bytes to the last import."""
    pool = await create_pool(url, min_size=1, max_size=8)
    try:
        began = time.perf_counter()
        rows = await asyncio.to_thread(stock_import.read_stock, data)
        plan = stock_import.check_stock(
            rows,
            province_code=THANH_HOA,
            actor=ADMINISTRATOR,
            covers=lambda p, c: True,
            now=datetime.now(UTC),
        )

        async def start(journey_id: str, command: ImportCertified, key: uuid.UUID) -> CommandReceipt:
            return await start_one(engine, journey_id, command, key)

        report = await stock_import.import_stock(
            pool, plan, start, ADMINISTRATOR, dry_run=False, progress=progress, concurrency=concurrency
        )
        return report, time.perf_counter() - began
    finally:
        await pool.close()


async def import_one(engine: Engine, command: ImportCertified) -> float:
    """Start the journey's workflow with its import (the API's start_journey); returns the seconds it took."""
    began = time.perf_counter()
    receipt = await start_one(engine, command.journey_id, command, uuid.uuid4())
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
            engine = engine_of(client, url)
            # Warm the worker (imports, sandbox) with a few imports before measuring.
            for command in certificates(rng, args.warmup, "warm"):
                await import_one(engine, command)
            database = url.rpartition("/")[2]
            # The two paths take turns in ``--rounds`` slices, in the order A B B A A B ..., so that
            # the server's growing state and the machine's other load weigh on both alike.
            rounds = args.rounds if args.sheet else 1
            cuts = [args.products * i // rounds for i in range(rounds + 1)]
            slices = [commands[cuts[i] : cuts[i + 1]] for i in range(rounds)]
            sheets = [
                stock_sheet(rng, cuts[i + 1] - cuts[i], uuid.uuid4().hex[:6])
                for i in range(rounds)
                if args.sheet
            ]
            stocks: list[stock_import.StockReport] = []
            sheet_took = 0.0
            sheet_cpu_seconds: dict[str, float] = {}
            took = 0.0
            direct_cpu_seconds: dict[str, float] = {}
            done = 0

            def add_cpu(total: dict[str, float], start_cpu: dict[str, float]) -> None:
                end_cpu = cpu_seconds(worker_pid, server, database)
                for key in start_cpu:
                    total[key] = total.get(key, 0.0) + end_cpu[key] - start_cpu[key]

            async def sheet_slice(data: bytes) -> None:
                nonlocal sheet_took
                start_cpu = cpu_seconds(worker_pid, server, database)
                report, seconds = await import_sheet(engine, url, data, args.concurrency)
                add_cpu(sheet_cpu_seconds, start_cpu)
                stocks.append(report)
                sheet_took += seconds

            async def direct_slice(batch: list[ImportCertified]) -> None:
                nonlocal took
                gate = asyncio.Semaphore(args.concurrency)
                start_cpu = cpu_seconds(worker_pid, server, database)
                began = time.perf_counter()

                async def one(command: ImportCertified) -> None:
                    nonlocal done
                    async with gate:
                        try:
                            latencies.append(await import_one(engine, command))
                        except Exception as error:  # counted and reported: the run goes on
                            failures.append(f"{command.journey_id}: {type(error).__name__}: {error}")
                    done += 1
                    if done % 250 == 0:
                        progress(f"imported {done:,} of {args.products:,} directly")

                await asyncio.gather(*(one(command) for command in batch))
                took += time.perf_counter() - began
                add_cpu(direct_cpu_seconds, start_cpu)

            for index, batch in enumerate(slices):
                if not sheets:
                    await direct_slice(batch)
                elif index % 2 == 0:
                    await direct_slice(batch)
                    await sheet_slice(sheets[index])
                else:
                    await sheet_slice(sheets[index])
                    await direct_slice(batch)
            await asyncio.sleep(args.settle)  # expiry notices due at once are recorded by timers
            await engine.close()
        pool = await asyncpg.connect(url)
        counts: dict[str, int] = {
            row["type"]: row["count"]
            for row in await pool.fetch("SELECT type, count(*) FROM events GROUP BY type")
        }
        server_version = (await pool.fetchval("SHOW server_version")).split()[0]
        await pool.close()
    rate = len(latencies) / took
    projected = NATIONAL_STOCK / rate / 60
    cpu = {key: value * 1000 / args.products for key, value in direct_cpu_seconds.items()}
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
    if not stocks:
        return
    imported = sum(stock.imported for stock in stocks)
    sheet_rate = imported / sheet_took
    sheet_cpu = {key: value * 1000 / args.products for key, value in sheet_cpu_seconds.items()}
    print()
    print(
        f"From province sheets ({len(sheets)} sheets, {sum(len(data) for data in sheets) / 1e6:.2f} MB xlsx, "
        f"{sum(stock.rows for stock in stocks):,} rows, in turns with the direct import): "
        f"{imported:,} imported, {sum(stock.producers_created for stock in stocks):,} producers entered, "
        f"{sum(len(stock.refused_rows) for stock in stocks)} rows refused, "
        f"{sum(len(stock.failures) for stock in stocks)} failed"
    )
    print(f"{'path':>10}{'rows':>7}{'seconds':>9}{'rows/s':>8}   CPU ms per row")
    for label, count, seconds, per_row in (
        ("direct", len(latencies), took, cpu),
        ("sheet", imported, sheet_took, sheet_cpu),
    ):
        print(
            f"{label:>10}{count:>7,}{seconds:>9.1f}{count / seconds:>8.1f}   "
            + ", ".join(f"{key} {value:.1f}" for key, value in per_row.items())
        )
    ratio = sheet_rate / rate
    print(f"sheet / direct: {ratio:.2f}; target at least {TARGET_RATIO:g}: {verdict(ratio >= TARGET_RATIO)}")


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
    parser.add_argument(
        "--no-sheet", dest="sheet", action="store_false", help="skip the import from a province's sheet"
    )
    parser.add_argument("--rounds", type=int, default=4, help="turns of the two paths (default 4)")
    return parser


if __name__ == "__main__":
    arguments = parser().parse_args()
    if not 1 <= arguments.concurrency <= MAX_IN_FLIGHT:
        raise SystemExit(f"--concurrency must be between 1 and {MAX_IN_FLIGHT}")
    configure_logging("console", "WARNING")
    asyncio.run(main(arguments))
