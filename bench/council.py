"""Benchmark: a council meeting through the engine, against a bare workflow on the same server.

A provincial round of N products (default 60) with a 9-member council (8 voting): every voting
member submits a scorecard for every product, the chair finalizes each product once its 8
scorecards are in, and the authority recognizes it after: 10 decisions a product, each one a
Temporal update of the real ProductJourney workflow whose recording activity appends to the
decision log, run by the real worker (``worker.build_worker``) in a process of its own. Products
are brought to IN_EVALUATION first (register ... enrol, not measured).

Scorecards are whole qd26-2026 sheets by default (``--scored-by sheet``): the products name their
set (I.1.a, 32 criteria) and each member chooses one option per criterion, scored by the engine's
``score_sheet``; ``--scored-by parts`` gives three part totals as before QĐ 26/2026 (a product with
no set, its dossier handed in on paper before the cut-over: kept under qd148-1489-2025). The bare
ceiling's row is as large as the engine's scorecard event of the same kind.

The ceiling, in the same run on the same server: a bare workflow whose update runs one activity
that INSERTs one decision-sized row (about 1 KB of JSON) with asyncpg, driven with the same
decisions in the same order and the same concurrency. Both run with C concurrent members (one
client task each, plus the chair's and the authority's) and with one client (interactive
latency). Prints decisions/s, p50/p99/max latency, the ratios and the targets.

    .venv/bin/python bench/council.py                  # 60 products, 8 members and 1 client
    .venv/bin/python bench/council.py --products 10    # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchkit import (
    BARE_QUEUE,
    DEFAULT_ADMIN_URL,
    ENGINE_QUEUE,
    BareDecision,
    BareDecisions,
    connect,
    dev_server,
    percentile,
    progress,
    scratch_database,
    verdict,
    workdir,
    worker_process,
)
from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy

from schemas.commands import (
    JOURNEY_ACTIONS,
    AcceptDossier,
    AcceptIdea,
    ApprovePlan,
    Command,
    EnrolInRound,
    FinalizeResult,
    Recognize,
    RecordAdvisoryStep,
    RegisterIdea,
    SubmitDossier,
    SubmitPlan,
    SubmitScorecard,
    update_name,
)
from schemas.council import CouncilRoster, Seat, SeatRole
from schemas.journey import CommandReceipt, Status
from schemas.log import Actor
from schemas.procedure import AdvisoryStep
from schemas.rulebook import Level
from schemas.rulebooks import get_rulebook
from schemas.scorecard import SHEETS, Choice, ScorecardSheet
from settings import configure_logging
from workflows.calendar import local_date
from workflows.ids import journey_workflow_id
from workflows.journey import JourneyStart, ProductJourney
from workflows.sheets import applies, score_sheet

THANH_HOA = 38
VOTING = 8  # a 9-seat council: chair, vice-chair, six members, secretary (who does not score)
DECISIONS_PER_PRODUCT = VOTING + 2  # eight scorecards, the chair's finalization, the recognition
SETUP_CONCURRENCY = 16
TARGET_THROUGHPUT_RATIO = 0.7  # engine decisions/s >= 0.7 x ceiling at C members
TARGET_LATENCY_RATIO = 1.3  # engine p50 <= 1.3 x ceiling p50 with one client

ACTION_OF: dict[type[Command], str] = {command: action for action, command in JOURNEY_ACTIONS.items()}
COMMUNE_OFFICER = Actor(id="bench-commune-officer", role="commune_officer")
PROVINCIAL_OFFICER = Actor(id="bench-provincial-officer", role="provincial_officer")
AUTHORITY = Actor(id="bench-authority", role="recognition_authority")


def thanh_hoa_communes() -> list[int]:
    """Codes of the real communes and wards of Thanh Hóa (province 38 of 2025)."""
    from vietnam_provinces import Ward

    return sorted(int(ward.code) for ward in Ward.iter_all() if int(ward.province_code) == THANH_HOA)


def roster(council_id: str) -> CouncilRoster:
    """Thanh Hóa's provincial council: m1 chairs, m2 is vice-chair, m9 is the secretary."""
    roles = {1: SeatRole.CHAIR, 2: SeatRole.VICE_CHAIR, 9: SeatRole.SECRETARY}
    return CouncilRoster(
        council_id=council_id,
        level=Level.PROVINCE,
        jurisdiction=str(THANH_HOA),
        seats=[
            Seat(member_id=f"{council_id}-m{i}", role=roles.get(i, SeatRole.MEMBER)) for i in range(1, 10)
        ],
    )


def parts_for_total(total: Decimal) -> dict[str, Decimal]:
    """Split ``total`` over parts A, B, C in proportion to qd148's maxima 40/25/35."""
    a = (total * 40 / 100).quantize(Decimal("0.01"))
    b = (total * 25 / 100).quantize(Decimal("0.01"))
    return {"A": a, "B": b, "C": total - a - b}


FOOD_SET = "I.1.a"  # Rau, củ, quả, hạt tươi: 32 criteria
PAPER_BEFORE_QD26 = date(2026, 5, 21)  # the eve of qd26-2026's cut-over
SHEET = SHEETS["qd26-2026"][FOOD_SET]
QD26 = get_rulebook("qd26-2026")
# The commune's Mẫu 03 assessment (qd26-2026 Art. 7.2.a), which its acceptance requires with its
# proposal (Art. 6.2, 7.2.b): one text an item of the rulebook.
COMMUNE_ASSESSMENT = {item: "Nguyên liệu, lao động tại địa phương" for item in QD26.commune_assessment}


def sheet_for_total(rng: random.Random, target: Decimal, sheet: ScorecardSheet = SHEET) -> dict[str, Choice]:
    """A whole sheet whose total is about ``target``: every criterion at its best, then criteria taken
    in a random order lowered, each by as much as is still above the target. The basis of a condition
    keeps its best option, so that every criterion applies, and no criterion falls below its 3★
    minimum, so that every product is ranked (a 4★ minimum may be missed: a capped rank)."""
    bases = {c.condition.criterion for c in sheet.criteria if c.condition is not None}
    choices: dict[str, Choice] = {}
    for criterion in sheet.criteria:
        best = max(range(len(criterion.options)), key=lambda i: criterion.options[i].points)
        choices[criterion.code] = Choice(option=best)
    excess = Decimal(100) - target
    order = [c for c in sheet.criteria if c.code not in bases and not c.variants]
    rng.shuffle(order)
    for criterion in order:
        if excess <= 0:
            break
        current = criterion.options[choices[criterion.code].option or 0].points
        floor = criterion.minimum(3) or Decimal(0)  # never below a 3★ minimum: the product is ranked
        lower = [
            i for i, o in enumerate(criterion.options) if max(current - excess, floor) <= o.points < current
        ]
        if lower:
            chosen = min(lower, key=lambda i: criterion.options[i].points)
            excess -= current - criterion.options[chosen].points
            choices[criterion.code] = Choice(option=chosen)
    # Every basis kept its best option, so every condition holds and every criterion applies.
    assert all(applies(criterion, sheet, choices) for criterion in sheet.criteria)
    return choices


def bare_row(rng: random.Random, product: int, kind: str, member: int, sheets: bool) -> dict[str, Any]:
    """A decision-sized row for the bare workflow, like the engine's scorecard event: a whole sheet's
    choices and points (about 32 criteria) when scored by sheet, else about 1 KB of JSON."""
    if sheets:
        choices = sheet_for_total(rng, Decimal(rng.randint(72, 86)))
        score = score_sheet(SHEET, choices, QD26)
        return {
            "product": product,
            "kind": kind,
            "member": member,
            "round_id": "R-TH-2026-1",
            "member_id": f"HD-TH-2026-m{member + 1}",
            "sheet": SHEET.id,
            "choices": {code: choice.model_dump(mode="json") for code, choice in choices.items()},
            "points": {code: str(points) for code, points in score.points.items()},
            "not_applicable": list(score.not_applicable),
            "parts": {part: str(value) for part, value in score.parts.items()},
            "total": str(score.total),
        }
    return {
        "product": product,
        "kind": kind,
        "member": member,
        "round_id": "R-TH-2026-1",
        "council_id": "HD-TH-2026",
        "scores": [
            {"criterion": f"A{i}", "points": round(rng.uniform(0, 10), 1), "max": 10, "note": "đạt yêu cầu"}
            for i in range(1, 9)
        ],
        "total": round(rng.uniform(70, 90), 2),
        "comment": "Sản phẩm có câu chuyện tốt, bao bì cần cải thiện; hồ sơ đầy đủ theo quy định.",
        "evidence": [f"{rng.getrandbits(256):064x}" for _ in range(2)],
    }


# -- the two contenders -------------------------------------------------------------------------

# decide(product, kind, member): kind is "score" (member 0..7), "finalize" or "recognize".
Decide = Callable[[int, str, int], Awaitable[None]]


class Engine:
    """N products of one round on the engine, each a ProductJourney brought to IN_EVALUATION."""

    def __init__(self, client: Client, products: int, rng: random.Random, sheets: bool) -> None:
        self.client = client
        self.sheets = sheets
        self.run_id = uuid.uuid4().hex[:6]
        self.council = roster(f"HD-TH-{self.run_id}")
        self.round_id = f"R-TH-{self.run_id}"
        self.voting = self.council.voting_member_ids
        communes = thanh_hoa_communes()
        self.journeys = [f"BENCH-{self.run_id}-{n:04d}" for n in range(products)]
        self.communes = [rng.choice(communes) for _ in range(products)]
        # Each product's members score around a base of its own (within the dispersion limit).
        self.totals = [
            [Decimal(base + rng.randint(-4, 4)) for _ in range(VOTING)]
            for base in (rng.randint(72, 86) for _ in range(products))
        ]
        # Scored by sheet: each member's whole sheet, near their total (mean below 90: a 5★ would
        # await the chairman's approval instead of a recognition under qd26-2026).
        self.choices = [
            [sheet_for_total(rng, total) for total in totals] if sheets else [] for totals in self.totals
        ]
        self.handles: list[WorkflowHandle[Any, Any]] = [
            client.get_workflow_handle(journey_workflow_id(j)) for j in self.journeys
        ]

    async def _do(self, product: int, command: Command) -> CommandReceipt:
        receipt: CommandReceipt = await self.handles[product].execute_update(
            update_name(ACTION_OF[type(command)]), command, id=str(uuid.uuid4()), result_type=CommandReceipt
        )
        return receipt

    async def set_up(self, product: int) -> None:
        """Register the product and take it to IN_EVALUATION in the round (not measured)."""
        journey_id = self.journeys[product]
        producer = Actor(id=f"producer-{journey_id}", role="producer")
        self.handles[product] = await self.client.start_workflow(
            ProductJourney.run,
            JourneyStart(journey_id=journey_id),
            id=journey_workflow_id(journey_id),
            task_queue=ENGINE_QUEUE,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
        steps: list[Command] = [
            RegisterIdea(
                actor=producer,
                journey_id=journey_id,
                producer_id=producer.id,
                product_name=f"Sản phẩm OCOP {product + 1}",
                product_group="food",
                product_set=FOOD_SET if self.sheets else None,
                province_code=THANH_HOA,
                commune_code=self.communes[product],
            ),
            AcceptIdea(actor=COMMUNE_OFFICER),
            SubmitPlan(actor=producer, document=f"sha256:plan-{journey_id}"),
            ApprovePlan(actor=COMMUNE_OFFICER),
            # Part totals are the older rulebooks' (a dossier under qd26-2026 names its set and is
            # scored by option): for them the dossier was handed in on paper before the cut-over,
            # so it keeps qd148-1489-2025 (qd26-2026 Art. 12.2).
            SubmitDossier(
                actor=producer,
                documents=[f"sha256:form0{n}-{journey_id}" for n in (1, 2)],
                submitted_on=None if self.sheets else PAPER_BEFORE_QD26,
            ),
            AcceptDossier(
                actor=COMMUNE_OFFICER, commune_report=f"sha256:report-{journey_id}",
                commune_assessment=COMMUNE_ASSESSMENT, proposal=f"sha256:proposal-{journey_id}",
            ),
            EnrolInRound(
                actor=PROVINCIAL_OFFICER, round_id=self.round_id, level=Level.PROVINCE, council=self.council
            ),
        ]  # fmt: skip
        receipt = None
        for command in steps:
            receipt = await self._do(product, command)
        assert receipt is not None
        assert receipt.state.status == Status.IN_EVALUATION
        if self.sheets and receipt.state.accepted_on is not None:
            # QĐ 26/2026 Art. 7.3.c: the advisory team reviews the dossier before the council scores.
            review = RecordAdvisoryStep(
                actor=PROVINCIAL_OFFICER,
                step=AdvisoryStep.REVIEW,
                held_on=receipt.state.accepted_on,
                documents=[f"sha256:review-{journey_id}"],
            )
            await self._do(product, review)

    async def decide(self, product: int, kind: str, member: int) -> None:
        command: Command
        if kind == "score" and self.sheets:
            command = SubmitScorecard(
                actor=Actor(id=self.voting[member], role="council_member"),
                choices=self.choices[product][member],
            )
        elif kind == "score":
            command = SubmitScorecard(
                actor=Actor(id=self.voting[member], role="council_member"),
                parts=parts_for_total(self.totals[product][member]),
            )
        elif kind == "finalize":
            command = FinalizeResult(actor=Actor(id=self.council.chair_id, role="council_member"))
        else:
            command = Recognize(
                actor=AUTHORITY,
                level=Level.PROVINCE,
                decision_number=f"{product + 1}/QĐ-UBND",
                decision_date=local_date(datetime.now(UTC)),
            )
        receipt = await self._do(product, command)
        if kind == "recognize":
            assert receipt.state.status == Status.CERTIFIED, receipt.state.status


class Bare:
    """N bare workflows, one a product, taking the same decisions."""

    def __init__(self, client: Client, products: int, rng: random.Random, sheets: bool) -> None:
        self.client = client
        self.sheets = sheets
        self.run_id = uuid.uuid4().hex[:6]
        self.rng = rng
        self.ids = [f"bare-{self.run_id}-{n:04d}" for n in range(products)]
        self.handles: list[WorkflowHandle[Any, Any]] = []

    async def set_up(self, warmup: int = 20) -> None:
        self.handles = [
            await self.client.start_workflow(BareDecisions.run, id=workflow_id, task_queue=BARE_QUEUE)
            for workflow_id in self.ids
        ]
        for n in range(warmup):  # load the bare worker's code paths before measuring
            await self.decide(n % len(self.ids), "warmup", 0)

    async def decide(self, product: int, kind: str, member: int) -> None:
        data = bare_row(self.rng, product, kind, member, self.sheets and kind in ("score", "warmup"))
        await self.handles[product].execute_update(
            "decide", BareDecision(data=data), id=str(uuid.uuid4()), result_type=int
        )


async def set_up_products(engine: Engine, products: int) -> float:
    """Bring every product to IN_EVALUATION, a few at a time; returns the seconds it took."""
    began = time.perf_counter()
    gate = asyncio.Semaphore(SETUP_CONCURRENCY)

    async def one(product: int) -> None:
        async with gate:
            await engine.set_up(product)

    await asyncio.gather(*(one(p) for p in range(products)))
    return time.perf_counter() - began


# -- the meeting --------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    clients: int
    products: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def decisions(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.decisions / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies, q)


def member_order(member: int, products: int) -> list[int]:
    """The order member ``member`` works through the products: all of them, starting at a product of
    their own (``--together``: everyone starts at the first, as when products are presented in turn)."""
    start = member * products // VOTING
    return [(start + n) % products for n in range(products)]


async def meeting(name: str, decide: Decide, products: int, clients: int, together: bool) -> Result:
    """Every voting member scores every product; the chair finalizes a product once its scorecards are
    in, the authority recognizes it after. ``clients`` tasks share the members' work; with more than
    one, the chair and the authority are two more tasks. Every decision's latency is recorded."""
    result = Result(name, clients, products)

    async def timed(product: int, kind: str, member: int) -> None:
        began = time.perf_counter()
        await decide(product, kind, member)
        result.latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    if clients == 1:
        # One client: the meeting in order, product by product.
        for product in range(products):
            for member in range(VOTING):
                await timed(product, "score", member)
            await timed(product, "finalize", 0)
            await timed(product, "recognize", 0)
    else:
        scored = [0] * products
        to_finalize: asyncio.Queue[int] = asyncio.Queue()
        to_recognize: asyncio.Queue[int] = asyncio.Queue()

        async def members(task: int) -> None:
            mine = [m for m in range(VOTING) if m % clients == task]
            orders = [list(range(products)) if together else member_order(m, products) for m in mine]
            # A task holding several members takes a step for each in turn.
            for step in range(products):
                for member, order in zip(mine, orders, strict=True):
                    product = order[step]
                    await timed(product, "score", member)
                    scored[product] += 1
                    if scored[product] == VOTING:
                        to_finalize.put_nowait(product)

        async def chair() -> None:
            for _ in range(products):
                product = await to_finalize.get()
                await timed(product, "finalize", 0)
                to_recognize.put_nowait(product)

        async def authority() -> None:
            for _ in range(products):
                await timed(await to_recognize.get(), "recognize", 0)

        await asyncio.gather(*(members(t) for t in range(min(clients, VOTING))), chair(), authority())
    result.seconds = time.perf_counter() - began
    return result


# -- CPU accounting (what bounds the run) -------------------------------------------------------

_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime


def _backends(database: str) -> list[int]:
    """The PostgreSQL backends connected to ``database`` (their title names it)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres: ") and f" {database} ".encode() in title:
                pids.append(int(entry.name))
    return pids


def cpu_seconds(worker_pid: int, server_pid: int | None, database: str) -> dict[str, float]:
    """CPU seconds used so far by the worker, the client (this process), the PostgreSQL backends
    serving ``database`` (not the server's shared processes), and the Temporal server."""
    return {
        "worker": _cpu_of(worker_pid),
        "client": _cpu_of(os.getpid()),
        "postgres": sum(_cpu_of(pid) for pid in _backends(database)),
        "temporal": _cpu_of(server_pid) if server_pid else 0.0,
    }


def temporal_pid(address: str) -> int | None:
    """The pid of the dev server listening on ``address`` (a child of this process)."""
    port = address.rpartition(":")[2]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"start-dev" in cmdline and port.encode() in cmdline:
                return int(entry.name)
    return None


@dataclass
class Measured:
    result: Result
    cpu: dict[str, float]


@dataclass(frozen=True)
class Processes:
    """Whose CPU time a run counts."""

    worker: int
    server: int | None
    database: str


async def measure(
    name: str, decide: Decide, products: int, clients: int, together: bool, processes: Processes
) -> Measured:
    before = cpu_seconds(processes.worker, processes.server, processes.database)
    result = await meeting(name, decide, products, clients, together)
    after = cpu_seconds(processes.worker, processes.server, processes.database)
    cpu = {key: after[key] - before[key] for key in before}
    progress(
        f"{name}, {clients} client(s), {products} products: {result.decisions} decisions in "
        f"{result.seconds:.1f} s = {result.per_second:.1f}/s, "
        f"p50 {result.p(50):.0f} ms, p99 {result.p(99):.0f} ms"
    )
    return Measured(result, cpu)


class Profiler:
    """py-spy recording the worker process while a run lasts (``--profile``)."""

    def __init__(self, pid: int, path: Path | None) -> None:
        self.pid = pid
        self.path = path
        self.process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> Profiler:
        if self.path is not None:
            pyspy = Path(sys.executable).parent / "py-spy"
            self.process = await asyncio.create_subprocess_exec(
                str(pyspy), "record", "--pid", str(self.pid), "--rate", "200", "--format", "raw",
                "--output", str(self.path), "--nonblocking",
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.send_signal(2)  # SIGINT: py-spy writes its output and exits
            await self.process.wait()
            progress(f"worker profile written to {self.path}")


def table(rows: list[Measured]) -> str:
    lines = [
        f"{'contender':<14}{'clients':>8}{'products':>9}{'decisions':>10}{'seconds':>9}{'dec/s':>8}"
        f"{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}   CPU ms per decision: worker/client/postgres/temporal"
    ]
    for m in rows:
        r = m.result
        per = "/".join(
            f"{m.cpu[k] * 1000 / max(r.decisions, 1):.1f}"
            for k in ("worker", "client", "postgres", "temporal")
        )
        lines.append(
            f"{r.name:<14}{r.clients:>8}{r.products:>9}{r.decisions:>10}{r.seconds:>9.1f}{r.per_second:>8.1f}"
            f"{r.p(50):>8.0f}{r.p(99):>8.0f}{max(r.latencies) * 1000:>8.0f}   {per}"
        )
    return "\n".join(lines)


async def scorecard_event_bytes(url: str) -> tuple[float, int]:
    """Mean and largest size (bytes of the stored JSON data) of the engine's scorecard events."""
    connection = await asyncpg.connect(url)
    try:
        row = await connection.fetchrow(
            "SELECT avg(octet_length(data::text)) AS mean, max(octet_length(data::text)) AS largest "
            "FROM events WHERE type = 'scorecard_submitted'"
        )
    finally:
        await connection.close()
    assert row is not None  # an aggregate answers one row
    return float(row["mean"] or 0), int(row["largest"] or 0)


async def main(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    sheets = args.scored_by == "sheet"
    async with (
        workdir(args.keep_logs) as directory,
        dev_server(directory) as address,
        scratch_database(args.admin_url) as url,
    ):
        progress(f"Temporal dev server at {address}, database {url.rpartition('/')[2]}")
        async with worker_process(address, url, directory) as worker_pid:
            processes = Processes(worker_pid, temporal_pid(address), url.rpartition("/")[2])
            client = await connect(address)
            rows: list[Measured] = []
            for clients in (args.members, 1):
                engine = Engine(client, args.products, rng, sheets)
                took = await set_up_products(engine, args.products)
                progress(f"{args.products} products enrolled for the engine in {took:.1f} s (not measured)")
                profile = args.profile / f"engine-worker-{clients}.txt" if args.profile else None
                async with Profiler(worker_pid, profile):
                    rows.append(
                        await measure(
                            "engine", engine.decide, args.products, clients, args.together, processes
                        )
                    )
                bare = Bare(client, args.products, rng, sheets)
                await bare.set_up()
                rows.append(
                    await measure(
                        "bare ceiling", bare.decide, args.products, clients, args.together, processes
                    )
                )
        event_mean, event_max = await scorecard_event_bytes(url)
        admin = await asyncpg.connect(args.admin_url)
        server_version = (await admin.fetchval("SHOW server_version")).split()[0]
        await admin.close()
    print()
    order = "everyone in the same order" if args.together else "each member from a product of their own"
    print(
        f"Council meeting: {args.products} products x {DECISIONS_PER_PRODUCT} decisions, "
        f"{VOTING} voting members "
        f"({order}); PostgreSQL {server_version}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    scored = f"whole sheets of {SHEET.id} ({len(SHEET.criteria)} criteria)" if sheets else "three part totals"
    print(f"scorecards: {scored}; scorecard event data {event_mean:.0f} B on average, {event_max} B at most")
    print(table(rows))
    print()
    engine_c, bare_c, engine_1, bare_1 = (m.result for m in rows)
    throughput = engine_c.per_second / bare_c.per_second
    latency = engine_1.p(50) / bare_1.p(50)
    print(
        f"ratio engine/ceiling at {args.members} members: decisions/s {throughput:.2f}, "
        f"p50 {engine_c.p(50) / bare_c.p(50):.2f}, p99 {engine_c.p(99) / bare_c.p(99):.2f}"
    )
    print(
        f"ratio engine/ceiling with 1 client: p50 {latency:.2f}, "
        f"decisions/s {engine_1.per_second / bare_1.per_second:.2f}"
    )
    print(
        f"target decisions/s >= {TARGET_THROUGHPUT_RATIO} x ceiling at {args.members} members: "
        f"{verdict(throughput >= TARGET_THROUGHPUT_RATIO)} ({throughput:.2f})"
    )
    print(
        f"target p50 <= {TARGET_LATENCY_RATIO} x ceiling p50 with 1 client: "
        f"{verdict(latency <= TARGET_LATENCY_RATIO)} ({latency:.2f})"
    )


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--products", type=int, default=60, help="products in the round (default 60)")
    parser.add_argument(
        "--members", type=int, default=8, choices=range(2, VOTING + 1), metavar="C",
        help="concurrent member clients, 2-8 (default 8); the single-client run always follows",
    )  # fmt: skip
    parser.add_argument(
        "--together", action="store_true",
        help="every member works through the products in the same order (default: each from their own)",
    )  # fmt: skip
    parser.add_argument(
        "--scored-by", choices=("sheet", "parts"), default="sheet",
        help="whole qd26-2026 sheets, one option per criterion (default), or three part totals",
    )  # fmt: skip
    parser.add_argument("--profile", type=Path, help="directory for py-spy profiles of the worker (raw)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the scores and communes")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="where to create the scratch database")
    parser.add_argument("--keep-logs", action="store_true", help="keep the server's and the worker's logs")
    return parser


if __name__ == "__main__":
    configure_logging("console", "WARNING")
    asyncio.run(main(parser().parse_args()))
