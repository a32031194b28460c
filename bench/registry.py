"""The public registry under a crowd: look-ups by product code and searches at 20,000 certified
products, 50 concurrent clients, against a bare endpoint of the same framework reading one row of
the same table, in the same run.

The engine's API runs as ``ocop api`` does (its own process, uvicorn, the app's middleware, JSON
logs at INFO to a file, the registry's rate limit counting every request but set high enough never
to refuse); the bare endpoint is a FastAPI app of one route (``GET /bare/{code}``: one
``SELECT * FROM registry_products`` row by product code on an asyncpg pool of the same size,
returned as FastAPI returns a dict) in a process of its own. The registry's rows (and their
streams' heads, which the registry joins) are inserted straight into a scratch database.

Clients are keep-alive HTTP/1.1 connections of a minimal client (this process), so that the load
generator costs little of the two cores; each waits for its answer before it asks again. Engine
and bare take turns in ``--rounds`` slices of ``--seconds`` each after ``--warmup``.

Targets: look-ups at least 0.7 of the bare endpoint's requests/s, and their p99 under 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchkit  # the path above makes the sibling importable as a script

PRODUCTS = 20_000
CLIENTS = 50
POOL_SIZE = 10


# -- the data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """What the clients ask for: product codes that exist, and searches people make."""

    codes: list[str]
    provinces: list[int]


async def load_registry(url: str, products: int, seed: int) -> Catalogue:
    """``products`` certified products over the 34 provinces and their communes, about one in ten
    with a superseded earlier certificate, a few expired or revoked; their streams' heads."""
    import asyncpg
    from vietnam_provinces import Province, ProvinceCode, Ward

    rng = random.Random(seed)
    provinces = [int(p.code) for p in Province.iter_all()]
    communes = {code: [int(w.code) for w in Ward.iter_by_province(ProvinceCode(code))] for code in provinces}
    sets = ["I.1.a", "I.1.b", "I.2.a", "I.2.b", "I.3.a", "II.1.a", "III.1", "IV.1", "V.1", "VI.1"]
    rows: list[tuple[Any, ...]] = []
    heads: list[tuple[Any, ...]] = []
    codes: list[str] = []
    sequence: dict[tuple[int, int], int] = {}
    for index in range(products):
        journey_id = f"bench-{index:06d}"
        province = rng.choice(provinces)
        commune = rng.choice(communes[province])
        decided = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 7 * 365))
        year = decided.year
        sequence[(commune, year)] = sequence.get((commune, year), 0) + 1
        code = f"{province:02d}-{commune}-{sequence[(commune, year)]:03d}-{year}"
        codes.append(code)
        stars = rng.choices((3, 4, 5), weights=(70, 27, 3))[0]
        status = rng.choices(("in_force", "expired", "revoked"), weights=(90, 8, 2))[0]
        valid_until = decided + timedelta(days=3 * 365)
        status_on = {"in_force": decided, "expired": valid_until + timedelta(days=1)}.get(
            status, decided + timedelta(days=200)
        )
        common = (journey_id, f"Sản phẩm OCOP số {index}", "food", rng.choice(sets), province, commune, code)
        if rng.random() < 0.1:  # an earlier certificate, superseded by this one
            earlier = decided - timedelta(days=3 * 365)
            rows.append(
                (*common[:2], f"{index}/QĐ-UBND-cu", False, *common[2:], "bench", None, 3, "province",
                 "qd148-2023", f"{index}/QĐ-UBND-cu", earlier, earlier + timedelta(days=3 * 365), None,
                 "superseded", decided, earlier.year)
            )  # fmt: skip
        rows.append(
            (*common[:2], f"{index}/QĐ-UBND", True, *common[2:], "bench", None, stars, "province",
             "qd148-1489-2025", f"{index}/QĐ-UBND", decided, valid_until, None, status, status_on, year)
        )  # fmt: skip
        heads.append(("journey", journey_id, rng.randrange(12, 30), f"{rng.getrandbits(256):064x}"))
    columns = [
        "journey_id", "product_name", "certificate_number", "is_current", "product_group", "product_set",
        "province_code", "commune_code", "product_code", "producer_id", "producer_name", "stars", "level",
        "rulebook", "decision_number", "decision_date", "valid_until", "extended_until", "status",
        "status_on", "year",
    ]  # fmt: skip
    conn = await asyncpg.connect(url)
    try:
        await conn.copy_records_to_table("registry_products", records=rows, columns=columns)
        await conn.copy_records_to_table(
            "streams", records=heads, columns=["stream_type", "stream_id", "version", "last_hash"]
        )
        await conn.execute("ANALYZE registry_products; ANALYZE streams")
    finally:
        await conn.close()
    return Catalogue(codes=codes, provinces=provinces)


def search_path(rng: random.Random, catalogue: Catalogue) -> str:
    """A search people make: a province, perhaps stars or a year, the first pages."""
    kind = rng.random()
    if kind < 0.15:
        return f"/v1/registry/products?page={rng.randint(1, 3)}"
    province = rng.choice(catalogue.provinces)
    if kind < 0.55:
        return f"/v1/registry/products?province={province}"
    if kind < 0.8:
        return f"/v1/registry/products?province={province}&stars={rng.choice((3, 4, 5))}"
    return (
        f"/v1/registry/products?province={province}&year={rng.randint(2019, 2025)}&page={rng.randint(1, 2)}"
    )


# -- the servers ----------------------------------------------------------------------------------


def bare_app(database_url: str) -> Any:
    """A FastAPI app of one route reading one registry row by product code (the ceiling)."""
    import asyncpg
    from fastapi import FastAPI, HTTPException

    pools: list[asyncpg.Pool] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pools.append(await asyncpg.create_pool(database_url, min_size=POOL_SIZE, max_size=POOL_SIZE))
        yield
        await pools[0].close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/bare/{code}")
    async def bare(code: str) -> dict[str, Any]:
        row = await pools[0].fetchrow(
            "SELECT * FROM registry_products WHERE product_code = $1 AND is_current", code
        )
        if row is None:
            raise HTTPException(404)
        return dict(row)

    return app


def serve_bare(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run(
        bare_app(args.database_url), host="127.0.0.1", port=args.port, log_config=None, access_log=False
    )


async def wait_until_up(port: int, path: str, process: asyncio.subprocess.Process, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise RuntimeError(f"a server exited ({process.returncode}); see {log}")
        try:
            status, _ = await Connection.get_once(port, path)
            if status < 500:
                return
        except OSError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError(f"no server on {port} within 60 s; see {log}")


@asynccontextmanager
async def server(
    command: list[str], env: dict[str, str], log: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=benchkit.ROOT, env={**os.environ, **env}, stdout=out, stderr=out
        )
    try:
        yield process
    finally:
        await benchkit._stop(process)


# -- the clients ----------------------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection: a request, then its whole answer, then the next."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    @classmethod
    async def get_once(cls, port: int, path: str) -> tuple[int, bytes]:
        connection = await cls.open(port)
        try:
            return await connection.get(path)
        finally:
            connection.close()

    async def get(self, path: str) -> tuple[int, bytes]:
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
        body = await self.reader.readexactly(length) if length else b""
        return status, body

    def close(self) -> None:
        self.writer.close()


@dataclass
class Result:
    requests: int = 0
    failures: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    def add(self, other: Result) -> None:
        self.requests += other.requests
        self.failures += other.failures
        self.seconds += other.seconds
        self.latencies += other.latencies

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def drive(
    port: int, paths: Callable[[random.Random], str], clients: int, seconds: float, seed: int
) -> Result:
    """``clients`` connections asking in a loop for ``seconds``; only answers within the time count."""
    connections = [await Connection.open(port) for _ in range(clients)]
    result = Result()
    started = time.perf_counter()
    ends = started + seconds

    async def client(connection: Connection, rng: random.Random) -> None:
        while (now := time.perf_counter()) < ends:
            status, _ = await connection.get(paths(rng))
            finished = time.perf_counter()
            if finished > ends:
                return
            result.latencies.append(finished - now)
            result.requests += 1
            if status != 200:
                result.failures += 1

    try:
        await asyncio.gather(*(client(c, random.Random(seed + i)) for i, c in enumerate(connections)))
    finally:
        for connection in connections:
            connection.close()
    result.seconds = time.perf_counter() - started
    return result


# -- the run --------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> None:
    async with (
        benchkit.workdir() as work,
        benchkit.scratch_database(args.admin_url, "ocop_bench_registry") as url,
    ):
        benchkit.progress(f"loading {args.products:,} certified products")
        catalogue = await load_registry(url, args.products, args.seed)
        engine_port, bare_port = benchkit.free_port(), benchkit.free_port()
        env = {
            # The engine of this checkout, whatever the virtual environment was installed from.
            "PYTHONPATH": str(benchkit.ROOT),
            "OCOP_DATABASE_URL": url,
            "OCOP_LOG_FORMAT": "json",
            "OCOP_LOG_LEVEL": "INFO",
            "OCOP_DB_POOL_MIN": str(POOL_SIZE),
            "OCOP_DB_POOL_MAX": str(POOL_SIZE),
            # Counted at every request, never refusing: one client address is the whole crowd here.
            "OCOP_REGISTRY_RATE_PER_MINUTE": str(10**12),
            "OCOP_REGISTRY_RATE_BURST": str(10**12),
        }
        ocop = Path(sys.executable).parent / "ocop"
        engine_command = [str(ocop), "api", "--port", str(engine_port)]
        bare_command = [sys.executable, __file__, "bare", "--port", str(bare_port), "--database-url", url]
        async with (
            server(engine_command, env, work / "api.log") as engine_process,
            server(bare_command, {}, work / "bare.log") as bare_process,
        ):
            sample = catalogue.codes[0]
            await wait_until_up(
                engine_port, f"/v1/registry/product-codes/{sample}", engine_process, work / "api.log"
            )
            await wait_until_up(bare_port, f"/bare/{sample}", bare_process, work / "bare.log")
            status, body = await Connection.get_once(engine_port, f"/v1/registry/product-codes/{sample}")
            assert status == 200, (status, body[:200])

            def lookup(rng: random.Random) -> str:
                return f"/v1/registry/product-codes/{rng.choice(catalogue.codes)}"

            def bare(rng: random.Random) -> str:
                return f"/bare/{rng.choice(catalogue.codes)}"

            def searches(rng: random.Random) -> str:
                return search_path(rng, catalogue)

            contenders = (
                ("look-ups", engine_port, lookup),
                ("bare", bare_port, bare),
                ("searches", engine_port, searches),
            )
            totals = {name: Result() for name, _, _ in contenders}
            for round_number in range(1, args.rounds + 1):
                for name, port, paths in contenders:
                    await drive(port, paths, args.clients, args.warmup, args.seed + round_number)
                    result = await drive(
                        port, paths, args.clients, args.seconds, args.seed + 100 * round_number
                    )
                    totals[name].add(result)
                    benchkit.progress(
                        f"round {round_number} {name}: {result.rate:,.0f} requests/s, "
                        f"p50 {benchkit.percentile(result.latencies, 50):.1f} ms, "
                        f"p99 {benchkit.percentile(result.latencies, 99):.1f} ms, {result.failures} not 200"
                    )
    print()
    print(f"{args.products:,} certified products, {args.clients} concurrent clients, "
          f"{args.rounds} x {args.seconds:g} s each")  # fmt: skip
    print(f"{'':<34}{'requests/s':>12}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}")
    base = totals["bare"].rate
    labels = {
        "look-ups": "look-up by product code (engine)",
        "searches": "search (engine)",
        "bare": "bare endpoint, one row",
    }
    for name in ("look-ups", "searches", "bare"):
        result = totals[name]
        print(
            f"{labels[name]:<34}{result.rate:>12,.0f}{benchkit.percentile(result.latencies, 50):>9.1f}"
            f"{benchkit.percentile(result.latencies, 99):>9.1f}{result.rate / base if base else 0:>8.2f}"
        )
    lookups = totals["look-ups"]
    print()
    print(f"look-ups >= 0.7 of the bare endpoint: {benchkit.verdict(lookups.rate >= 0.7 * base)}")
    print(f"look-up p99 < 50 ms: {benchkit.verdict(benchkit.percentile(lookups.latencies, 99) < 50)}")
    failures = sum(result.failures for result in totals.values())
    if failures:
        print(f"{failures} answers were not 200")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")
    bare = sub.add_parser("bare", help="serve the bare endpoint (the benchmark starts it)")
    bare.add_argument("--port", type=int, required=True)
    bare.add_argument("--database-url", required=True)
    parser.add_argument("--products", type=int, default=PRODUCTS)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--seconds", type=float, default=10.0, help="each measured slice")
    parser.add_argument("--warmup", type=float, default=2.0, help="before each slice")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--admin-url", default=benchkit.DEFAULT_ADMIN_URL)
    args = parser.parse_args()
    if args.command == "bare":
        serve_bare(args)
    else:
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
