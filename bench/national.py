"""Benchmark: the engine at national size, brought there through its real paths, then measured.

Loads, in steps of a quarter, a half and the whole of ``--scale`` × the national figures:
18,243 certified products (Vietnam's stock at the end of 2025) imported over the 34 provinces
(``import_certified``, one ProductJourney workflow each, with its live expiry and re-evaluation
timers), and 4,000 journeys in progress at every stage from a registered idea to a product being
scored in a round (the journey's own updates). At each step it measures, over HTTP against the
API in a process of its own, the reads people use most as a signed-in provincial officer, chair,
auditor and producer (p50/p95 over ``--requests`` each); worker and API resident memory, Temporal's
and PostgreSQL's disk. On the empty engine first and on the fully loaded engine last, a council
meeting of ``--products`` products (bench/council.py's, through the real worker) for the ratio;
at full size also ``ocop rebuild`` of every read model (dry run: folds everything, writes nothing),
``verify_all`` (events/s), the feed page of 500 (p99, ten runs) and the start time of a second
worker. Prints a table per step, the growth from a quarter to the full size and the targets of
issue 22 with their verdicts.

    .venv/bin/python bench/national.py                      # national size: about an hour on 2 cores
    .venv/bin/python bench/national.py --scale 0.02          # smoke run: a few minutes

How the stock is spread: the provinces whose stock is published (bench/README.md, from
../shared/domain/sources.md §9: Hà Nội 2,711, Lào Cai 604, Đồng Tháp 357) keep that share of the
national total; the rest is split evenly over the other 31 provinces.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import random
import re
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg
import httpx
from benchkit import (
    DEFAULT_ADMIN_URL,
    ENGINE_QUEUE,
    MAX_IN_FLIGHT,
    connect,
    dev_server,
    engine_of,
    free_port,
    full_collections,
    percentile,
    progress,
    scratch_database,
    verdict,
    workdir,
    worker_process,
)
from council import (
    COMMUNE_ASSESSMENT,
    COMMUNE_OFFICER,
    PROVINCIAL_OFFICER,
    VOTING,
    Bare,
    Engine,
    Measured,
    Processes,
    Profiler,
    cpu_seconds,
    measure,
    set_up_products,
    table,
    temporal_pid,
)

from api.commands import run_action, start_journey
from heap import settle_startup_heap
from schemas.commands import (
    JOURNEY_ACTIONS,
    AcceptDossier,
    AcceptIdea,
    ApprovePlan,
    Command,
    EnrolInRound,
    ImportCertified,
    RecordAdvisoryStep,
    RegisterIdea,
    SubmitDossier,
    SubmitPlan,
    SubmitScorecard,
)
from schemas.council import CouncilRoster, Seat, SeatRole
from schemas.log import Actor
from schemas.procedure import AdvisoryStep
from schemas.rulebook import Level
from schemas.rulebooks import rulebook_in_force
from schemas.scorecard import sheet_by_id
from settings import configure_logging
from store import EventStore, create_pool, verify_all
from tests.scoresheets import filled
from workflows.calendar import local_date

NATIONAL_CERTIFIED = 18_243
NATIONAL_IN_PROGRESS = 4_000
# Published provincial stocks (sources.md §9), by 2025 province code.
PUBLISHED_STOCK = {1: 2_711, 15: 604, 82: 357}  # Hà Nội, Lào Cai, Đồng Tháp
ADMINISTRATOR = Actor(id="admin-national", role="administrator")
ACTION_OF: dict[type[Command], str] = {command: action for action, command in JOURNEY_ACTIONS.items()}
PRODUCT_SET = "I.1.a"  # a QĐ 26/2026 product set, so in-progress dossiers pick a real sheet
ROOT = Path(__file__).resolve().parent.parent
# A full QĐ 26/2026 sheet of the product set (every applicable criterion answered), as members submit it.
FULL_SHEET = filled(sheet_by_id(f"qd26-2026/{PRODUCT_SET}"))
BASE_RE = re.compile(r'name="csrf" value="([^"]+)"')

# Targets of issue 22.
TARGET_MEETING_RATE = 0.9  # decisions/s loaded >= 0.9 x empty
TARGET_MEETING_P50 = 1.2  # p50 loaded <= 1.2 x empty
TARGET_READ_P95_MS = 150.0
TARGET_HEAVY_READ_P95_MS = 300.0  # statistics, plan progress
TARGET_GROWTH = 1.5  # full-size p95 <= 1.5 x quarter-size p95
TARGET_IMPORT_MINUTES = 4.0
TARGET_FEED_P99_MS = 20.0
TARGET_REBUILD_MINUTES = 5.0
TARGET_VERIFY_RATE = 100_000.0
HEAVY_READS = {"statistics", "plan progress"}


# -- the provinces and their stock --------------------------------------------------------------


@dataclass(frozen=True)
class Province:
    code: int
    name: str
    communes: tuple[int, ...]


def provinces() -> list[Province]:
    """The 34 provinces of 2025 with their communes (vietnam-provinces)."""
    from vietnam_provinces import Province as VnProvince
    from vietnam_provinces import Ward

    communes: dict[int, list[int]] = {}
    for ward in Ward.iter_all():
        communes.setdefault(int(ward.province_code), []).append(int(ward.code))
    return [
        Province(int(p.code), p.name, tuple(sorted(communes[int(p.code)])))
        for p in VnProvince.iter_all()
        if communes.get(int(p.code))
    ]


def share_of(all_provinces: list[Province], total: int) -> dict[int, int]:
    """How many of ``total`` products each province holds (published shares, the rest evenly)."""
    codes = [p.code for p in all_provinces]
    published = {c: n * total // NATIONAL_CERTIFIED for c, n in PUBLISHED_STOCK.items() if c in codes}
    others = [code for code in codes if code not in published]
    rest = total - sum(published.values())
    shares = {code: rest // len(others) for code in others}
    for code in others[: rest % len(others)]:
        shares[code] += 1
    return {**shares, **published}


def spread(all_provinces: list[Province], total: int, rng: random.Random) -> list[Province]:
    """``total`` provinces, one per product, in a shuffled order (shares as ``share_of``)."""
    by_code = {p.code: p for p in all_provinces}
    chosen = [by_code[code] for code, n in share_of(all_provinces, total).items() for _ in range(n)]
    rng.shuffle(chosen)
    return chosen


# -- loading: certified stock and journeys in progress ------------------------------------------


def certificate(rng: random.Random, province: Province, journey_id: str) -> ImportCertified:
    """A certificate recognized in the last three years (still valid, its timers live)."""
    today = local_date(datetime.now(UTC))
    earliest = today.replace(year=today.year - 3) + timedelta(days=1)
    decided: date = earliest + timedelta(days=rng.randint(0, (today - earliest).days))
    rulebook = rulebook_in_force(decided)
    return ImportCertified(
        actor=ADMINISTRATOR,
        journey_id=journey_id,
        producer_id=f"producer-{journey_id}",
        product_name=rng.choice(["Nem chua", "Chè lam", "Mắm tôm", "Bánh gai", "Rượu cần", "Chiếu cói"]),
        product_group=rng.choice([group.code for group in rulebook.product_groups]),
        province_code=province.code,
        commune_code=rng.choice(province.communes),
        rulebook_id=rulebook.id,
        level=Level.PROVINCE,
        stars=rng.choice([3, 3, 4]),
        decision_number=f"{rng.randint(100, 4999)}/QĐ-UBND",
        decision_date=decided,
    )


def council_of(province: Province) -> CouncilRoster:
    roles = {1: SeatRole.CHAIR, 2: SeatRole.VICE_CHAIR, 9: SeatRole.SECRETARY}
    council_id = f"HD-{province.code}-national"
    return CouncilRoster(
        council_id=council_id,
        level=Level.PROVINCE,
        jurisdiction=str(province.code),
        seats=[
            Seat(member_id=f"{council_id}-m{i}", role=roles.get(i, SeatRole.MEMBER)) for i in range(1, 10)
        ],
    )


def journey_steps(journey_id: str, province: Province, commune: int, stage: int) -> list[Command]:
    """The first ``stage`` steps of a product's journey (1: a registered idea … 8: being scored)."""
    producer = Actor(id=f"producer-{journey_id}", role="producer")
    council = council_of(province)
    steps: list[Command] = [
        RegisterIdea(
            actor=producer, journey_id=journey_id, producer_id=producer.id,
            product_name="Sản phẩm đang đánh giá", product_group="food", province_code=province.code,
            commune_code=commune, product_set=PRODUCT_SET,
        ),
        AcceptIdea(actor=COMMUNE_OFFICER),
        SubmitPlan(actor=producer, document=f"sha256:plan-{journey_id}"),
        ApprovePlan(actor=COMMUNE_OFFICER),
        SubmitDossier(actor=producer, documents=[f"sha256:form0{n}-{journey_id}" for n in (1, 2)]),
        AcceptDossier(
            actor=COMMUNE_OFFICER, commune_report=f"sha256:report-{journey_id}",
            commune_assessment=COMMUNE_ASSESSMENT, proposal=f"sha256:proposal-{journey_id}",
        ),
        EnrolInRound(
            actor=PROVINCIAL_OFFICER, round_id=f"R-{province.code}-national", level=Level.PROVINCE,
            council=council,
        ),
    ]  # fmt: skip
    # The advisory team's review (QĐ 26/2026 Art. 7.3.c), which the council waits for, then three sheets.
    review = RecordAdvisoryStep(
        actor=PROVINCIAL_OFFICER, step=AdvisoryStep.REVIEW, held_on=local_date(datetime.now(UTC)),
        documents=[f"sha256:review-{journey_id}"],
    )  # fmt: skip
    scorecards: list[Command] = [review] + [
        SubmitScorecard(actor=Actor(id=member, role="council_member"), choices=FULL_SHEET)
        for member in council.voting_member_ids[:3]
    ]
    return (steps + scorecards)[: stage if stage < 8 else len(steps) + len(scorecards)]


async def run_steps(engine: Any, journey_id: str, steps: list[Command]) -> None:
    """A journey's steps through the API's commands: the first starts its workflow (update-with-start)."""
    first, *rest = steps
    await start_journey(engine, journey_id, ACTION_OF[type(first)], first, uuid.uuid4())
    for command in rest:
        await run_action(engine, journey_id, ACTION_OF[type(command)], command, uuid.uuid4())


async def collected(
    directory: Path, pauses: dict[str, tuple[int, float, float]], run: Awaitable[Measured]
) -> Measured:
    """``run``'s result; the worker's full collections while it ran go into ``pauses``."""
    count, seconds, _ = full_collections(directory)
    measured = await run
    after = full_collections(directory)
    largest = after[2] if after[0] > count else 0.0  # the process's largest, if it fell in this run
    pauses[measured.result.name] = (after[0] - count, after[1] - seconds, largest)
    return measured


async def in_flight(jobs: list[Callable[[], Awaitable[None]]], concurrency: int, label: str) -> float:
    """Run ``jobs`` with at most ``concurrency`` at once; returns the seconds it took."""
    gate = asyncio.Semaphore(concurrency)
    done = 0
    failures: list[str] = []
    began = time.perf_counter()

    async def one(job: Callable[[], Awaitable[None]]) -> None:
        nonlocal done
        async with gate:
            try:
                await job()
            except Exception as error:  # counted and reported: the load goes on
                cause = getattr(error, "cause", None)
                failures.append(f"{type(error).__name__}: {error} ({cause!r})")
        done += 1
        if done % 1000 == 0:
            progress(f"{label}: {done:,} of {len(jobs):,}, {done / (time.perf_counter() - began):.1f}/s")

    await asyncio.gather(*(one(job) for job in jobs))
    if failures:
        progress(f"{label}: {len(failures)} FAILED, the first: {failures[0]}")
    return time.perf_counter() - began


# -- the API in a process of its own, and its callers -------------------------------------------


class ApiProcess:
    """``ocop api`` on a free port against the bench's Temporal and database."""

    def __init__(self, address: str, url: str, directory: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "OCOP_DATABASE_URL": url,
            "TEMPORAL_ADDRESS": address,
            "OCOP_TASK_QUEUE": ENGINE_QUEUE,
            "OCOP_API_PORT": str(self.port),
            "OCOP_LOG_FORMAT": "json",
            "OCOP_LOG_LEVEL": "WARNING",
            "OCOP_DOCUMENTS_DIR": str(directory / "documents"),
            # The bench is one client of the public registry: its per-client limit would answer 429.
            "OCOP_REGISTRY_RATE_PER_MINUTE": "1000000",
            "OCOP_REGISTRY_RATE_BURST": "100000",
        }
        self.log = directory / "api.log"
        self.process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> ApiProcess:
        # This checkout's cli.py (not the installed ``ocop``, which may be another checkout's).
        root = ROOT
        env = {**self.env, "PYTHONPATH": str(root)}
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, str(root / "cli.py"), "api", "--port", str(self.port),
                env=env, stdout=log, stderr=log, cwd=root,
            )  # fmt: skip
        async with httpx.AsyncClient(base_url=self.base) as http:
            for _ in range(600):
                try:
                    if (await http.get("/health")).status_code < 500:
                        return self
                except httpx.TransportError:
                    pass
                if self.process.returncode is not None:
                    break
                await asyncio.sleep(0.1)
        raise RuntimeError(f"the API did not start; see {self.log}")

    async def __aexit__(self, *exc: object) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


@dataclass
class Caller:
    """A signed-in person: a bearer token for the API and a page session (cookies) for the pages."""

    name: str
    http: httpx.AsyncClient

    @classmethod
    async def signed_in(cls, name: str, base: str, token: str) -> Caller:
        """Sign in through the sign-in form with the token. The session cookie is ``Secure``, which
        httpx keeps to https: it is carried by hand, as a browser on loopback would."""
        http = httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        form = await http.get("/signin")
        csrf = BASE_RE.search(form.text)
        data = {"token": token, **({"csrf": csrf.group(1)} if csrf else {})}
        signed = await http.post(
            "/signin", data=data, follow_redirects=False, headers={"Cookie": session_cookie(form)}
        )
        http.headers["Cookie"] = session_cookie(signed)
        if not http.headers["Cookie"]:
            raise RuntimeError(f"{name} could not sign in: {signed.status_code}")
        return cls(name, http)


def session_cookie(response: httpx.Response) -> str:
    """The ``name=value`` of the page session a response set ('' if none)."""
    from web.session import SESSION_COOKIE

    for header in response.headers.get_list("set-cookie"):
        if header.startswith(SESSION_COOKIE + "="):
            return header.split(";", 1)[0]
    return ""


async def make_callers(pool: asyncpg.Pool, base: str, chair_token: str) -> dict[str, Caller]:
    """The four readers; the chair is the round's seated chair (a new token of theirs)."""
    from store.actors import ActorStore

    actors = ActorStore(pool)
    made: dict[str, Caller] = {}
    for name, actor_id, role, kind, jurisdiction in (
        ("officer", f"bench-officer-{uuid.uuid4().hex[:6]}", "provincial_officer", "province", "38"),
        ("auditor", f"bench-auditor-{uuid.uuid4().hex[:6]}", "auditor", "national", "VN"),
        ("producer", "producer-national-reader", "producer", "province", "38"),
    ):
        _, token = await actors.add(actor_id, role, kind, jurisdiction)
        made[name] = await Caller.signed_in(name, base, token)
    made["chair"] = await Caller.signed_in("chair", base, chair_token)
    return made


BOARD_COMMUNE = 14797  # a commune of Thanh Hóa, as in deploy/walkthrough.sh


async def api_round(pool: asyncpg.Pool, base: str, products: int, run_id: str) -> tuple[str, str, list[str]]:
    """A provincial round of ``products`` products built through the API as people build it
    (register … accept the dossier, appoint the council, open the round, enrol each), and the year's
    plan; returns the round id, the chair's token and the journeys."""
    from store.actors import ActorStore

    actors = ActorStore(pool)
    tokens: dict[str, str] = {}
    for name, role, kind, where in (
        ("producer", "producer", "province", "38"),
        ("commune", "commune_officer", "commune", str(BOARD_COMMUNE)),
        ("province", "provincial_officer", "province", "38"),
        *((f"m{i}", "council_member", "province", "38") for i in range(1, 10)),
    ):
        _, tokens[name] = await actors.add(f"{name}-{run_id}", role, kind, where)

    async with httpx.AsyncClient(base_url=base, timeout=120) as http:

        async def post(path: str, who: str, body: dict[str, Any]) -> dict[str, Any]:
            headers = {"Authorization": f"Bearer {tokens[who]}", "Idempotency-Key": str(uuid.uuid4())}
            response = await http.post(path, json=body, headers=headers)
            if response.status_code >= 300:
                raise RuntimeError(f"POST {path} as {who}: {response.status_code} {response.text[:300]}")
            answer: dict[str, Any] = response.json()
            return answer

        async def upload(path: str, who: str, title: str) -> str:
            """A one-page PDF of the dossier, uploaded for the journey; the reference commands cite."""
            from demo import sample_pdf

            content = sample_pdf(f"{title} {uuid.uuid4()}")
            response = await http.post(
                f"{path}/documents",
                headers={"Authorization": f"Bearer {tokens[who]}"},
                files={"file": (f"{title}.pdf", content, "application/pdf")},
            )
            if response.status_code >= 300:
                raise RuntimeError(f"upload to {path}: {response.status_code} {response.text[:300]}")
            return str(response.json()["reference"])

        async def one(n: int) -> str:
            journey = await post(
                "/v1/journeys", "producer",
                {"product_name": f"Sản phẩm {n + 1}", "product_group": "food", "province_code": 38,
                 "commune_code": BOARD_COMMUNE, "product_set": PRODUCT_SET},
            )  # fmt: skip
            path = f"/v1/journeys/{journey['journey_id']}"
            await post(f"{path}/accept-idea", "commune", {})
            await post(
                f"{path}/submit-plan", "producer", {"document": await upload(path, "producer", "plan")}
            )
            await post(f"{path}/approve-plan", "commune", {})
            forms = [await upload(path, "producer", form) for form in ("Mau 01", "Mau 02")]
            await post(f"{path}/submit-dossier", "producer", {"documents": forms})
            report = await upload(path, "commune", "Mau 03")
            proposal = await upload(path, "commune", "De nghi")
            acceptance = {
                "commune_report": report,
                "commune_assessment": COMMUNE_ASSESSMENT,
                "proposal": proposal,
            }
            await post(f"{path}/accept-dossier", "commune", acceptance)
            review = {
                "step": "review",
                "held_on": local_date(datetime.now(UTC)).isoformat(),
                "documents": [await upload(path, "province", "Bien ban To tu van")],
            }
            await post(f"{path}/record-advisory-step", "province", review)
            return str(journey["journey_id"])

        gate = asyncio.Semaphore(8)

        async def gated(n: int) -> str:
            async with gate:
                return await one(n)

        journeys = list(await asyncio.gather(*(gated(n) for n in range(products))))
        roles = {1: "chair", 2: "vice_chair", 9: "secretary"}
        seats = [{"member_id": f"m{i}-{run_id}", "role": roles.get(i, "member")} for i in range(1, 10)]
        today = local_date(datetime.now(UTC)).isoformat()
        council_id, round_id = f"HD-{run_id}", f"R-{run_id}"
        await post(
            "/v1/councils", "province",
            {"council_id": council_id, "name": "Hội đồng OCOP tỉnh Thanh Hóa", "level": "province",
             "jurisdiction": "38", "seats": seats, "extra_rounds_allowed": True},
        )  # fmt: skip
        await post(
            "/v1/rounds", "province",
            {"round_id": round_id, "name": "Đợt 1", "council_id": council_id, "cut_off": today,
             "meeting_date": today},
        )  # fmt: skip
        for journey_id in journeys:
            await post(f"/v1/rounds/{round_id}/enrollments", "province", {"journey_id": journey_id})
        year = local_date(datetime.now(UTC)).year
        headers = {"Authorization": f"Bearer {tokens['province']}", "Idempotency-Key": str(uuid.uuid4())}
        plan = await http.put(f"/v1/plans/38/{year}", json={"targets": {"3": 40, "4": 10}}, headers=headers)
        if plan.status_code >= 300:
            progress(f"the year's plan was refused: {plan.status_code} {plan.text[:200]}")
    return round_id, tokens["m1"], journeys


@dataclass
class Read:
    name: str
    who: str
    path: Callable[[], str]
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)


def reads(journey_ids: list[str], round_id: str, positions: int, rng: random.Random) -> list[Read]:
    year = local_date(datetime.now(UTC)).year
    return [
        Read("my work (page)", "officer", lambda: "/"),
        Read("journey list, filtered", "officer", lambda: "/v1/journeys?province=38&state=IN_EVALUATION"),
        Read("journey list (page)", "officer", lambda: "/journeys?province=38"),
        Read("board of the round (page)", "chair", lambda: f"/rounds/{round_id}/board"),
        Read("round results", "officer", lambda: f"/v1/rounds/{round_id}/results"),
        Read("timeline (page)", "auditor", lambda: f"/journeys/{rng.choice(journey_ids)}"),
        Read("history", "auditor", lambda: f"/v1/journeys/{rng.choice(journey_ids)}/history"),
        Read("statistics", "officer", lambda: "/v1/statistics?province=38"),
        Read("plan progress", "officer", lambda: f"/v1/plans/38/{year}/progress"),
        Read(
            "feed page of 500", "auditor", lambda: f"/v1/events?after={rng.randint(0, positions)}&limit=500"
        ),
        Read("my work (producer)", "producer", lambda: "/"),
        Read("public registry search", "producer", lambda: "/v1/registry/products?province=38&stars=4"),
    ]


async def sample_reads(callers: dict[str, Caller], plan: list[Read], requests: int) -> list[Read]:
    for read in plan:
        http = callers[read.who].http
        for n in range(requests + 10):
            began = time.perf_counter()
            response = await http.get(read.path())
            took = time.perf_counter() - began
            if n >= 10:  # the first ten warm the caches
                read.latencies.append(took)
                read.statuses[response.status_code] = read.statuses.get(response.status_code, 0) + 1
    return plan


# -- what the machine holds ---------------------------------------------------------------------


def rss_mib(pid: int) -> float:
    """Resident memory of process ``pid`` (VmRSS), in MiB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    kib = next((line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")), "nan")
    return float(kib) / 1024


def temporal_disk_mib(directory: Path) -> float:
    return sum(p.stat().st_size for p in directory.glob("temporal.db*")) / 2**20


async def postgres_disk_mib(pool: asyncpg.Pool) -> float:
    size: int = await pool.fetchval("SELECT pg_database_size(current_database())")
    return size / 2**20


@dataclass
class Step:
    size: float
    certified: int
    in_progress: int
    events: int
    reads: list[Read]
    worker_mib: float
    api_mib: float
    temporal_mib: float
    postgres_mib: float
    import_seconds: float


async def analyzed(pool: asyncpg.Pool) -> None:
    """The planner's statistics of the loaded tables, as a served database keeps them. This machine's
    PostgreSQL runs with ``autovacuum = off``: with the statistics of an empty database the planner
    takes the GIN index on read models for a few hundred rows and ANDs it with a scan of every
    journey's key (my work grew ×7 from a quarter to the whole size at --scale 0.25 for that alone).
    Where autovacuum is on, nothing is done: its own ANALYZE keeps them."""
    if await pool.fetchval("SHOW autovacuum") == "off":
        began = time.perf_counter()
        await pool.execute("ANALYZE")
        took = time.perf_counter() - began
        progress(f"autovacuum is off on this server: ANALYZE, as it would, in {took:.1f} s")


def p95_ms(read: Read) -> float:
    return percentile(read.latencies, 95)


def step_table(step: Step) -> str:
    lines = [
        f"\n== {step.size:g} of the size: {step.certified:,} certified, {step.in_progress:,} in progress, "
        f"{step.events:,} events; worker {step.worker_mib:.0f} MiB, API {step.api_mib:.0f} MiB, "
        f"Temporal disk {step.temporal_mib:.0f} MiB, PostgreSQL {step.postgres_mib:.0f} MiB",
        f"{'read':<28}{'who':<10}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}{'target':>8}"
        "  verdict   statuses",
    ]
    for read in step.reads:
        target = TARGET_HEAVY_READ_P95_MS if read.name in HEAVY_READS else TARGET_READ_P95_MS
        ok = all(status < 400 for status in read.statuses)
        lines.append(
            f"{read.name:<28}{read.who:<10}{percentile(read.latencies, 50):>8.1f}{p95_ms(read):>8.1f}"
            f"{percentile(read.latencies, 99):>8.1f}{max(read.latencies, default=0) * 1000:>8.1f}"
            f"{target:>8.0f}  {verdict(p95_ms(read) < target) if ok else 'n/a (error)':<9} {read.statuses}"
        )
    return "\n".join(lines)


# -- the run ------------------------------------------------------------------------------------


async def main(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    all_provinces = provinces()
    thanh_hoa = next(p for p in all_provinces if p.code == 38)
    total_certified = round(NATIONAL_CERTIFIED * args.scale)
    total_in_progress = round(NATIONAL_IN_PROGRESS * args.scale)
    certified_places = spread(all_provinces, total_certified, rng)
    progress_places = spread(all_provinces, total_in_progress, rng)
    run_id = uuid.uuid4().hex[:6]
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    steps: list[Step] = []
    pauses: dict[str, tuple[int, float, float]] = {}  # the worker's full collections in each meeting
    async with (
        workdir(args.keep_logs) as directory,
        dev_server(directory) as address,
        scratch_database(args.admin_url, prefix="ocop_national", keep=args.keep_database) as url,
    ):
        progress(f"Temporal dev server at {address}, database {url.rpartition('/')[2]}")
        server = temporal_pid(address)
        database = url.rpartition("/")[2]
        async with (
            worker_process(address, url, directory) as worker_pid,
            ApiProcess(address, url, directory) as api,
        ):
            client = await connect(address)
            engine = engine_of(client, url)
            pool = await create_pool(url, min_size=1, max_size=8)
            processes = Processes(worker_pid, server, database)
            # The meeting on the empty engine: the baseline of the loaded one.
            empty_engine = Engine(client, args.products, rng, True)
            await set_up_products(empty_engine, args.products)
            async with Profiler(worker_pid, args.profile / "worker-empty.txt" if args.profile else None):
                empty = await collected(
                    directory,
                    pauses,
                    measure("empty engine", empty_engine.decide, args.products, VOTING, False, processes),
                )
            # The same meeting through bare workflows (bench/council.py's ceiling): what the server
            # and the machine give alone, empty and loaded, so the loaded engine's ratio can be read
            # against the ceiling's own.
            empty_bare = Bare(client, args.products, rng, True)
            await empty_bare.set_up()
            empty_ceiling = await collected(
                directory,
                pauses,
                measure("empty, bare ceiling", empty_bare.decide, args.products, VOTING, False, processes),
            )
            # The round the chair's board shows, built through the API and kept through the load.
            board_round, chair_token, journeys_seen = await api_round(pool, api.base, args.products, run_id)
            callers = await make_callers(pool, api.base, chair_token)
            loaded_certified = loaded_progress = 0
            import_seconds = 0.0
            import_cpu: dict[str, float] = {}  # CPU seconds of each process during the imports
            for size in args.steps:
                want_certified = round(total_certified * size)
                want_progress = round(total_in_progress * size)
                jobs: list[Callable[[], Awaitable[None]]] = []
                for n in range(loaded_certified, want_certified):
                    journey_id = f"IMP-{run_id}-{n:05d}"
                    command = certificate(rng, certified_places[n], journey_id)
                    jobs.append(functools.partial(run_steps, engine, journey_id, [command]))
                    journeys_seen.append(journey_id)
                before = cpu_seconds(worker_pid, server, database)
                took = await in_flight(jobs, args.concurrency, f"import to {size:g}")
                after = cpu_seconds(worker_pid, server, database)
                import_seconds += took
                for key in after:
                    import_cpu[key] = import_cpu.get(key, 0.0) + after[key] - before[key]
                jobs = []
                for n in range(loaded_progress, want_progress):
                    journey_id = f"WIP-{run_id}-{n:05d}"
                    place = progress_places[n]
                    commands = journey_steps(journey_id, place, rng.choice(place.communes), rng.randint(1, 8))
                    jobs.append(functools.partial(run_steps, engine, journey_id, commands))
                    journeys_seen.append(journey_id)
                await in_flight(jobs, args.concurrency, f"journeys in progress to {size:g}")
                loaded_certified, loaded_progress = want_certified, want_progress
                events = int(await pool.fetchval("SELECT count(*) FROM events"))
                await analyzed(pool)
                progress(f"size {size:g}: {events:,} events; sampling reads")
                plan = reads(journeys_seen, board_round, events, rng)
                sampled = await sample_reads(callers, plan, args.requests)
                steps.append(
                    Step(
                        size, want_certified, want_progress, events, sampled,
                        rss_mib(worker_pid), rss_mib(api.pid),
                        temporal_disk_mib(directory), await postgres_disk_mib(pool), import_seconds,
                    )
                )  # fmt: skip
                print(step_table(steps[-1]), flush=True)
            # The meeting on the loaded engine.
            loaded_engine = Engine(client, args.products, rng, True)
            await set_up_products(loaded_engine, args.products)
            async with Profiler(worker_pid, args.profile / "worker-loaded.txt" if args.profile else None):
                loaded = await collected(
                    directory,
                    pauses,
                    measure("loaded engine", loaded_engine.decide, args.products, VOTING, False, processes),
                )
            loaded_bare = Bare(client, args.products, rng, True)
            await loaded_bare.set_up()
            loaded_ceiling = await collected(
                directory,
                pauses,
                measure("loaded, bare ceiling", loaded_bare.decide, args.products, VOTING, False, processes),
            )
            # Full-size operations.
            store = EventStore(pool)
            from rebuild import rebuild_read_models

            began = time.perf_counter()
            rebuilt = await rebuild_read_models(store, write=False)
            rebuild_seconds = time.perf_counter() - began
            began = time.perf_counter()
            verified = await verify_all(store)
            verify_seconds = time.perf_counter() - began
            feed_runs: list[float] = []
            events = steps[-1].events
            # As `ocop api` does once started (heap.py): the collector no longer walks the start-up heap
            # at each full collection (bench/audit.py measures the feed both ways).
            settle_startup_heap()
            feed_cpu: list[float] = []  # CPU seconds of this process a page
            feed_load = os.getloadavg()[0]
            for _ in range(10):
                latencies = []
                for _ in range(200):
                    position = rng.randint(0, max(events - 500, 0))
                    began, used = time.perf_counter(), time.process_time()
                    await store.read_all(position, 500)
                    latencies.append(time.perf_counter() - began)
                    feed_cpu.append(time.process_time() - used)
                feed_runs.append(percentile(latencies, 99))  # ms
            began = time.perf_counter()
            async with worker_process(address, url, directory):
                worker_start = time.perf_counter() - began
            for caller in callers.values():
                await caller.http.aclose()
            await pool.close()
            await engine.close()

    print("\n== Targets (issue 22)")
    full, quarter = steps[-1], steps[0]
    rate_ratio = loaded.result.per_second / empty.result.per_second
    p50_ratio = loaded.result.p(50) / empty.result.p(50)
    print(
        f"council meeting of {args.products}: empty {empty.result.per_second:.1f} dec/s "
        f"p50 {empty.result.p(50):.0f} ms; loaded {loaded.result.per_second:.1f} dec/s "
        f"p50 {loaded.result.p(50):.0f} ms; rate ratio {rate_ratio:.2f} "
        f"(≥ {TARGET_MEETING_RATE}: {verdict(rate_ratio >= TARGET_MEETING_RATE)}), "
        f"p50 ratio {p50_ratio:.2f} (≤ {TARGET_MEETING_P50}: {verdict(p50_ratio <= TARGET_MEETING_P50)})"
    )
    print(table([empty, loaded, empty_ceiling, loaded_ceiling]))
    print(
        "  the worker's full collections (each walks every object it holds, the workflow cache's too): "
        + "; ".join(
            f"{name} {count} taking {seconds * 1000:.0f} ms (the longest yet {largest * 1000:.0f})"
            for name, (count, seconds, largest) in pauses.items()
        )
    )
    ceiling_rate = loaded_ceiling.result.per_second / empty_ceiling.result.per_second
    ceiling_p50 = loaded_ceiling.result.p(50) / empty_ceiling.result.p(50)
    print(
        f"  the bare ceiling's meeting (no engine): empty {empty_ceiling.result.per_second:.1f} dec/s "
        f"p50 {empty_ceiling.result.p(50):.0f} ms; loaded {loaded_ceiling.result.per_second:.1f} dec/s "
        f"p50 {loaded_ceiling.result.p(50):.0f} ms; rate ratio {ceiling_rate:.2f}, "
        f"p50 ratio {ceiling_p50:.2f} "
        f"(what the loaded server and machine cost any workflow); engine against the ceiling: "
        f"empty {empty.result.per_second / empty_ceiling.result.per_second:.2f}, "
        f"loaded {loaded.result.per_second / loaded_ceiling.result.per_second:.2f}"
    )
    for read_full, read_quarter in zip(full.reads, quarter.reads, strict=True):
        growth = p95_ms(read_full) / p95_ms(read_quarter) if read_quarter.latencies else float("nan")
        print(
            f"growth of {read_full.name:<28} p95 {p95_ms(read_quarter):.1f} → {p95_ms(read_full):.1f} ms: "
            f"×{growth:.2f} (≤ {TARGET_GROWTH}: {verdict(growth <= TARGET_GROWTH)})"
        )
    projected = NATIONAL_CERTIFIED * full.import_seconds / max(full.certified, 1) / 60
    print(
        f"import: {full.certified:,} certified in {full.import_seconds / 60:.1f} min "
        f"({full.certified / full.import_seconds:.1f}/s); "
        f"projected for {NATIONAL_CERTIFIED:,}: {projected:.1f} min "
        f"(< {TARGET_IMPORT_MINUTES:g}: {verdict(projected < TARGET_IMPORT_MINUTES)})"
    )
    per_journey = ", ".join(
        f"{key} {seconds * 1000 / max(full.certified, 1):.1f}" for key, seconds in import_cpu.items()
    )
    print(f"import CPU ms per journey (what bounds it, whatever the load): {per_journey}")
    good_feed = sum(p < TARGET_FEED_P99_MS for p in feed_runs)
    print(
        f"feed page of 500: p99 per run {', '.join(f'{p:.1f}' for p in feed_runs)} ms; "
        f"{good_feed} of 10 under {TARGET_FEED_P99_MS:g} ms ({verdict(good_feed >= 9)}); "
        f"CPU a page p50 {percentile(feed_cpu, 50):.1f} ms, p99 {percentile(feed_cpu, 99):.1f} ms "
        f"(load average {feed_load:.1f} before the runs)"
    )
    rebuild_projected = rebuild_seconds * NATIONAL_CERTIFIED / max(full.certified, 1) / 60
    print(
        f"rebuild (dry run) of {rebuilt.events_read:,} events: {rebuild_seconds:.1f} s; "
        f"projected at national size {rebuild_projected:.1f} min "
        f"(< {TARGET_REBUILD_MINUTES:g}: {verdict(rebuild_projected < TARGET_REBUILD_MINUTES)})"
    )
    verify_rate = verified.events_checked / verify_seconds if verify_seconds else 0.0
    print(
        f"verify_all: {verified.events_checked:,} events in {verify_seconds:.2f} s = {verify_rate:,.0f}/s "
        f"(≥ {TARGET_VERIFY_RATE:,.0f}: {verdict(verify_rate >= TARGET_VERIFY_RATE)}); ok={verified.ok}"
    )
    print(
        f"worker: {full.worker_mib:.0f} MiB resident with {full.certified + full.in_progress:,} journeys "
        f"(target < 2048 MiB: {verdict(full.worker_mib < 2048)}); "
        f"a second worker started in {worker_start:.1f} s"
    )
    thanh_hoa_share = share_of(all_provinces, total_certified).get(thanh_hoa.code, 0)
    print(f"Thanh Hóa's share of the stock: {thanh_hoa_share:,}")


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the national size (default 1)")
    parser.add_argument(
        "--steps", type=lambda text: [float(s) for s in text.split(",")], default=[0.25, 0.5, 1.0],
        help="sizes measured, as fractions of --scale (default 0.25,0.5,1)",
    )  # fmt: skip
    parser.add_argument(
        "--products", type=int, default=60, help="products of the council meeting (default 60)"
    )
    parser.add_argument("--requests", type=int, default=200, help="requests per read and step (default 200)")
    parser.add_argument(
        "--concurrency", type=int, default=32, help=f"loads in flight, at most {MAX_IN_FLIGHT}"
    )
    parser.add_argument("--seed", type=int, default=22, help="seed of the generated stock")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="where to create the scratch database")
    parser.add_argument(
        "--keep-database", action="store_true", help="leave the loaded database in place (its URL is printed)"
    )
    parser.add_argument("--keep-logs", action="store_true", help="keep the server's, worker's and API's logs")
    parser.add_argument(
        "--profile", type=Path, help="directory for py-spy profiles (raw) of the worker in both meetings"
    )
    return parser


if __name__ == "__main__":
    arguments = parser().parse_args()
    if not 1 <= arguments.concurrency <= MAX_IN_FLIGHT:
        raise SystemExit(f"--concurrency must be between 1 and {MAX_IN_FLIGHT}")
    configure_logging("console", "WARNING")
    asyncio.run(main(arguments))
