"""Benchmark: reading the record. A million journey events, then what an auditor asks of them.

Loads ``--events`` events (default 1,000,000) over ``--streams`` journey streams (default 50,000)
through the store's own append path (``EventStore.append``: canonical JSON, hash chain, feed lock),
several events an append and many concurrent appenders, streams interleaved in time as real
journeys are. The events are real journey events: paths through the lifecycle (register ... enrol,
eight scorecards, finalize, recognize; some returns, amendments, unranked results, expiry notices
and re-evaluations) decided by ``workflows.lifecycle.decide``, cut at random lengths, so that a
stream's log folds into its state with ``workflows.projection.journey_state``.

Then measures, one reader at a time: a journey's history (``read_stream``), its state as of a
moment (``read_stream(as_of=...)`` then ``journey_state``), a page of 500 of the global feed at a
random position (``read_all``), ``verify`` of one stream, and ``verify_all`` of the whole log in
events/s. Prints the store's size on disk, a table and the targets.

The process imports the API and the worker and, like ``ocop api`` / ``ocop worker`` once started,
freezes its start-up heap (``heap.py``) before the timed reads; the feed is also timed before
that, as a baseline, and the ratio printed.

    .venv/bin/python bench/audit.py                                  # 1M events: several minutes
    .venv/bin/python bench/audit.py --events 20000 --streams 1000    # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg
from benchkit import DEFAULT_ADMIN_URL, percentile, progress, scratch_database, verdict
from council import QD26, THANH_HOA, parts_for_total, roster, sheet_for_total, thanh_hoa_communes

import api.app  # noqa: F401  (the heap of a served process: see the feed's baseline)
import worker  # noqa: F401
from heap import settle_startup_heap
from schemas.commands import (
    AcceptDossier,
    AcceptIdea,
    AmendScorecard,
    ApplyReEvaluation,
    ApprovePlan,
    Command,
    EnrolInRound,
    FinalizeResult,
    Recognize,
    RecordAdvisoryStep,
    RegisterIdea,
    ResubmitDossier,
    ResubmitIdea,
    ReturnDossier,
    ReturnIdea,
    ReturnPlan,
    SendExpiryNotice,
    SubmitDossier,
    SubmitPlan,
    SubmitScorecard,
)
from schemas.errors import DomainError
from schemas.events import event_data
from schemas.journey import JourneyState, Status
from schemas.log import Actor, EventMetadata, NewEvent, StreamRef
from schemas.procedure import AdvisoryStep
from schemas.rulebook import Level
from schemas.scorecard import PRODUCT_SETS, SHEETS
from settings import configure_logging
from store import EventStore, create_pool, migrate, verify, verify_all
from workflows.calendar import VIETNAM, local_date
from workflows.ids import journey_workflow_id
from workflows.lifecycle import applicable_rulebook, decide, evolve
from workflows.projection import journey_state

TARGET_HISTORY_P99_MS = 10.0
TARGET_AS_OF_P99_MS = 25.0
TARGET_FEED_P99_MS = 20.0
TARGET_VERIFY_ALL_PER_S = 50_000
FEED_PAGE = 500
TEMPLATES = 240
PLACEHOLDER = "JOURNEY-PLACEHOLDER"
SETS = PRODUCT_SETS["qd26-2026"]
# The commune's Mẫu 03 assessment (qd26-2026 Art. 7.2.a), one text an item of the rulebook.
COMMUNE_ASSESSMENT = {item: "Nguyên liệu, lao động tại địa phương" for item in QD26.commune_assessment}

COMMUNE_OFFICER = Actor(id="officer-commune-th", role="commune_officer")
PROVINCIAL_OFFICER = Actor(id="officer-province-th", role="provincial_officer")
AUTHORITY = Actor(id="authority-th", role="recognition_authority")
SYSTEM = Actor(id="system", role="system")


# -- journeys decided by the lifecycle ----------------------------------------------------------

# One append of a template: (type, data JSON, metadata JSON) of each event one command decided,
# with PLACEHOLDER where the journey's id goes.
Step = list[tuple[str, str, str]]


class TemplateJourney:
    """Runs commands through ``decide`` and ``evolve`` on a clock of its own, as the workflow would,
    and keeps what each step would append. Stops at the first refusal."""

    def __init__(self, rng: random.Random, start: datetime) -> None:
        self.rng = rng
        self.now = start
        self.state: JourneyState | None = None
        self.steps: list[Step] = []
        self.open = True

    def run(self, command: Command, hours: tuple[float, float] = (2, 120)) -> bool:
        if not self.open:
            return False
        rulebook = applicable_rulebook(self.state, self.now)
        try:
            events = decide(self.state, command, rulebook, self.now)  # type: ignore[arg-type]
        except DomainError:
            self.open = False
            return False
        step: Step = []
        for event in events:
            metadata = EventMetadata(
                actor=command.actor,
                authority=command.authority,
                rulebook=getattr(event, "rulebook", None)
                if event.type == "dossier_accepted"
                else rulebook.id,
                reason=getattr(command, "reason", None),
                evidence=command.evidence,
                workflow_id=journey_workflow_id(PLACEHOLDER),
            )
            self.state = evolve(self.state, event, self.now)
            step.append((event.type, json.dumps(event_data(event)), metadata.model_dump_json()))
        self.steps.append(step)
        self.now += timedelta(hours=self.rng.uniform(*hours))
        return True

    def status(self) -> Status | None:
        """A call, not a property, so that type checkers do not pin the status between steps."""
        return self.state.status if self.state else None


def _sheet_of_group(rng: random.Random, group: str) -> str:
    """A product set of the group's sector (QĐ 26/2026 Phụ lục I), drawn at random."""
    sector = SETS.sector_for_group(group)
    assert sector is not None
    return rng.choice(SETS.sets_of_sector(sector.code)).code


def template(rng: random.Random, communes: list[int], sheets: bool = False) -> list[Step]:
    """One product's journey, decided step by step: some go straight, some are returned, some
    amend, some are not ranked, some are certified and re-evaluated three years later. ``sheets``:
    under qd26-2026, the product names its set and every scorecard is a whole sheet of options (the
    event's full size, about 32 criteria); else under qd148-1489-2025 with three part totals."""
    if sheets:  # qd26-2026 is in force from 22 May 2026; start on a working morning after it
        start = datetime(2026, 6, 1, 9, 0, tzinfo=VIETNAM) + timedelta(days=rng.randint(0, 300))
    else:  # qd148-1489-2025 is in force from 6 July 2025; start on a working morning after it
        start = datetime(2025, 8, 4, 9, 0, tzinfo=VIETNAM) + timedelta(days=rng.randint(0, 300))
    journey = TemplateJourney(rng, start)
    producer = Actor(id=f"producer-{PLACEHOLDER}", role="producer")
    council = roster("HD-TH-2025")
    group = rng.choice(["food", "food", "drinks", "handicrafts", "herbal"])
    product_set = _sheet_of_group(rng, group) if sheets else None
    sheet = SHEETS[QD26.id][product_set] if product_set is not None else None
    journey.run(
        RegisterIdea(
            actor=producer,
            journey_id=PLACEHOLDER,
            producer_id=producer.id,
            product_name=rng.choice(["Nem chua", "Chè lam", "Mắm tôm", "Bánh gai", "Rượu cần", "Chiếu cói"]),
            product_group=group,
            province_code=THANH_HOA,
            commune_code=rng.choice(communes),
            product_set=product_set,
        )
    )

    def card(kind: type[SubmitScorecard] | type[AmendScorecard], member: Actor, total: Decimal) -> Command:
        if sheet is not None:
            return kind(actor=member, choices=sheet_for_total(rng, total, sheet))
        return kind(actor=member, parts=parts_for_total(total))

    if rng.random() < 0.2:
        journey.run(ReturnIdea(actor=COMMUNE_OFFICER, reason="Ý tưởng chưa rõ nguồn nguyên liệu"))
        journey.run(ResubmitIdea(actor=producer))
    journey.run(AcceptIdea(actor=COMMUNE_OFFICER))
    journey.run(SubmitPlan(actor=producer, document=f"sha256:{rng.getrandbits(256):064x}"))
    if rng.random() < 0.15:
        journey.run(ReturnPlan(actor=COMMUNE_OFFICER, reason="Thiếu phương án tiêu thụ sản phẩm"))
        journey.run(SubmitPlan(actor=producer, document=f"sha256:{rng.getrandbits(256):064x}"))
    journey.run(ApprovePlan(actor=COMMUNE_OFFICER))
    documents = [f"sha256:{rng.getrandbits(256):064x}" for _ in range(rng.randint(2, 6))]
    journey.run(SubmitDossier(actor=producer, documents=documents))
    if rng.random() < 0.2:
        journey.run(
            ReturnDossier(actor=COMMUNE_OFFICER, missing_items=["phiếu kiểm nghiệm", "nhãn sản phẩm"])
        )
        journey.run(
            ResubmitDossier(actor=producer, documents=[*documents, f"sha256:{rng.getrandbits(256):064x}"])
        )
    for evaluation in range(2):
        journey.run(
            AcceptDossier(
                actor=COMMUNE_OFFICER,
                commune_report=f"sha256:{rng.getrandbits(256):064x}",
                # Mẫu 03 (qd26-2026 Art. 7.2): the commune's assessment and proposal.
                commune_assessment=COMMUNE_ASSESSMENT if sheets else None,
                proposal=f"sha256:{rng.getrandbits(256):064x}" if sheets else None,
            )
        )
        journey.run(
            EnrolInRound(
                actor=PROVINCIAL_OFFICER, round_id=f"R-TH-{evaluation}", level=Level.PROVINCE, council=council
            ),
            hours=(24, 400),
        )
        if sheets:  # QĐ 26/2026 Art. 7.3.c: the advisory team's review before the council scores
            review = RecordAdvisoryStep(
                actor=PROVINCIAL_OFFICER,
                step=AdvisoryStep.REVIEW,
                held_on=local_date(journey.now),
                documents=[f"sha256:{rng.getrandbits(256):064x}"],
            )
            journey.run(review, hours=(1, 24))
        base = rng.randint(40, 49) if rng.random() < 0.1 else rng.randint(60, 88)
        totals = [Decimal(base + rng.randint(-4, 4)) for _ in council.voting_member_ids]
        for member_id, total in zip(council.voting_member_ids, totals, strict=True):
            member = Actor(id=member_id, role="council_member")
            journey.run(card(SubmitScorecard, member, total), hours=(0.05, 2))
        if rng.random() < 0.1:
            member = Actor(id=council.voting_member_ids[rng.randrange(8)], role="council_member")
            journey.run(card(AmendScorecard, member, Decimal(base)), hours=(0.05, 2))
        journey.run(FinalizeResult(actor=Actor(id=council.chair_id, role="council_member")), hours=(24, 200))
        state = journey.state
        if (
            journey.status() != Status.AWAITING_RECOGNITION
            or state is None
            or state.pending_recognition is None
        ):
            break
        journey.run(
            Recognize(
                actor=AUTHORITY,
                level=state.pending_recognition.level,
                decision_number=f"{rng.randint(100, 9999)}/QĐ-UBND",
                decision_date=journey.now.astimezone(VIETNAM).date(),
            )
        )
        if journey.status() != Status.CERTIFIED or rng.random() < 0.5:
            break
        # Three years on, within the notice period: the notice, then a re-evaluation to renew.
        journey.now += timedelta(days=3 * 365 - 20)
        journey.run(SendExpiryNotice(actor=SYSTEM))
        journey.run(ApplyReEvaluation(actor=producer, documents=[f"sha256:{rng.getrandbits(256):064x}"]))
    return journey.steps


# -- loading through EventStore.append ----------------------------------------------------------


@dataclass
class Plan:
    """What one stream gets: the id, a template and how many of its events."""

    journey_id: str
    steps: list[Step]
    length: int


def plan_streams(rng: random.Random, events: int, streams: int, templates: list[list[Step]]) -> list[Plan]:
    """Stream lengths around the mean (mean +- half of it), adding up to ``events`` exactly."""
    sizes = [sum(len(step) for step in steps) for steps in templates]
    longest = max(sizes)
    mean = events / streams
    if mean > longest:
        raise SystemExit(f"--events/--streams is {mean:.0f}; journeys here have at most {longest} events")
    lengths = [max(1, min(longest, round(rng.uniform(mean * 0.5, mean * 1.5)))) for _ in range(streams)]
    gap = events - sum(lengths)
    while gap != 0:
        i = rng.randrange(streams)
        step = 1 if gap > 0 else -1
        if 1 <= lengths[i] + step <= longest:
            lengths[i] += step
            gap -= step
    fitting = {n: [t for t, size in zip(templates, sizes, strict=True) if size >= n] for n in set(lengths)}
    return [Plan(f"TH-{n:06d}", rng.choice(fitting[length]), length) for n, length in enumerate(lengths)]


def batches(rng: random.Random, plan: Plan, most: int) -> list[list[tuple[str, str, str]]]:
    """The stream's first ``length`` events in appends of 1 to ``most`` events (the loader batches
    consecutive steps together; the engine appends one step at a time)."""
    flat = [event for step in plan.steps for event in step][: plan.length]
    out = []
    while flat:
        take = rng.randint(1, most)
        out.append(flat[:take])
        flat = flat[take:]
    return out


def new_events(journey_id: str, batch: list[tuple[str, str, str]], key: str) -> list[NewEvent]:
    events = []
    for event_type, data, metadata in batch:
        meta = json.loads(metadata.replace(PLACEHOLDER, journey_id))
        meta["update_id"] = key
        events.append(
            NewEvent(
                event_id=uuid.uuid4(),
                type=event_type,
                data=json.loads(data.replace(PLACEHOLDER, journey_id)),
                metadata=EventMetadata.model_validate(meta),
            )
        )
    return events


async def load(store: EventStore, plans: list[Plan], appenders: int, most: int, seed: int) -> float:
    """Append every plan's events; each appender keeps a window of streams open and takes the next
    append of a random one, so that streams interleave in the log as journeys do in time."""
    total = sum(plan.length for plan in plans)
    loaded = 0
    began = time.perf_counter()
    last_report = began

    async def appender(number: int) -> None:
        nonlocal loaded, last_report
        rng = random.Random(seed * 1000 + number)
        mine = plans[number::appenders]
        waiting = iter(mine)
        window: list[tuple[Plan, list[list[tuple[str, str, str]]], int]] = []
        while True:
            while len(window) < 64 and (plan := next(waiting, None)) is not None:
                window.append((plan, batches(rng, plan, most), 0))
            if not window:
                return
            slot = rng.randrange(len(window))
            plan, todo, version = window[slot]
            batch = todo.pop(0)
            key = str(uuid.uuid4())
            await store.append(
                StreamRef(type="journey", id=plan.journey_id),
                version,
                new_events(plan.journey_id, batch, key),
                key,
            )
            loaded += len(batch)
            if todo:
                window[slot] = (plan, todo, version + len(batch))
            else:
                window.pop(slot)
            now = time.perf_counter()
            if now - last_report >= 10:
                last_report = now
                progress(f"loaded {loaded:,} of {total:,} events, {loaded / (now - began):,.0f} events/s")

    await asyncio.gather(*(appender(n) for n in range(appenders)))
    return time.perf_counter() - began


# -- reading ------------------------------------------------------------------------------------


@dataclass
class Reading:
    name: str
    target_ms: float | None
    latencies: list[float] = field(default_factory=list)
    rows: int = 0

    def line(self) -> str:
        p50, p99 = percentile(self.latencies, 50), percentile(self.latencies, 99)
        target = (
            "" if self.target_ms is None else f"p99 < {self.target_ms:g} ms: {verdict(p99 < self.target_ms)}"
        )
        rows = self.rows / len(self.latencies) if self.latencies else 0
        return (
            f"{self.name:<38}{len(self.latencies):>8}{rows:>9.1f}{p50:>9.2f}{p99:>9.2f}"
            f"{max(self.latencies) * 1000:>9.2f}   {target}"
        )


async def sample(reading: Reading, calls: list[Callable[[], Awaitable[int]]], warmup: int = 50) -> Reading:
    for call in calls[:warmup]:
        await call()
    for call in calls:
        began = time.perf_counter()
        reading.rows += await call()
        reading.latencies.append(time.perf_counter() - began)
    progress(
        f"{reading.name}: p50 {percentile(reading.latencies, 50):.2f} ms, "
        f"p99 {percentile(reading.latencies, 99):.2f} ms"
    )
    return reading


def megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


@contextlib.asynccontextmanager
async def database(args: argparse.Namespace) -> AsyncIterator[str]:
    """The scratch database (dropped at the end unless ``--keep-database``), or ``--reuse-database``."""
    if args.reuse_database:
        yield args.reuse_database
        return
    if not args.keep_database:
        async with scratch_database(args.admin_url) as url:
            yield url
        return
    name = f"ocop_audit_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(args.admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    url = f"{args.admin_url.rpartition('/')[0]}/{name}"
    await migrate(url)
    yield url
    progress(f"database kept: --reuse-database {url} (drop it when done)")


async def load_log(store: EventStore, args: argparse.Namespace, rng: random.Random) -> float:
    """Load the log; the seconds it took. The plan of a million events goes when this returns."""
    began = time.perf_counter()
    communes = thanh_hoa_communes()
    templates = [template(rng, communes, args.event_size == "sheet") for _ in range(TEMPLATES)]
    plans = plan_streams(rng, args.events, args.streams, templates)
    sizes = sorted(sum(len(s) for s in t) for t in templates)
    cards = [
        len(data.encode()) for t in templates for step in t for kind, data, _ in step if "scorecard" in kind
    ]
    progress(
        f"{TEMPLATES} journeys decided by the lifecycle ({sizes[0]}-{sizes[-1]} events) in "
        f"{time.perf_counter() - began:.1f} s; scorecard events {args.event_size}: "
        f"{sum(cards) / max(len(cards), 1):,.0f} B of data on average, {max(cards, default=0):,} B at most; "
        f"loading {args.events:,} events over {args.streams:,} streams"
    )
    took = await load(store, plans, args.appenders, args.batch, args.seed)
    progress(f"loaded {args.events:,} events in {took:.0f} s = {args.events / took:,.0f} events/s")
    await store.pool.execute("VACUUM ANALYZE events")
    await store.pool.execute("VACUUM ANALYZE streams")
    # Write the load's dirty pages out now, so that the reads below do not compete with a
    # checkpoint spreading a gigabyte of writes over the next minutes.
    try:
        await store.pool.execute("CHECKPOINT")
    except asyncpg.InsufficientPrivilegeError:
        progress("CHECKPOINT needs a superuser or pg_checkpoint: the reads may meet the load's write-back")
    return took


async def main(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    async with database(args) as url:
        pool = await create_pool(url, min_size=args.appenders, max_size=args.appenders)
        store = EventStore(pool)
        if args.reuse_database:
            took = float("nan")
            progress(f"reusing {url}: {await pool.fetchval('SELECT count(*) FROM events'):,} events")
        else:
            took = await load_log(store, args, rng)
        events_total = int(await pool.fetchval("SELECT count(*) FROM events"))
        streams_total = int(await pool.fetchval("SELECT count(*) FROM streams"))
        ids = [
            row["stream_id"]
            for row in await pool.fetch("SELECT stream_id FROM streams WHERE stream_type = 'journey'")
        ]
        refs = [StreamRef(type="journey", id=rng.choice(ids)) for _ in range(args.samples)]

        def history(ref: StreamRef) -> Callable[[], Awaitable[int]]:
            async def call() -> int:
                return len(await store.read_stream(ref))

            return call

        # The moment of each as-of question: the time one of the stream's events was recorded.
        moments: list[datetime] = []
        for ref in refs:
            times = await pool.fetch(
                "SELECT recorded_at FROM events WHERE stream_type = $1 AND stream_id = $2", ref.type, ref.id
            )
            moments.append(rng.choice(times)["recorded_at"])

        def as_of(ref: StreamRef, moment: datetime) -> Callable[[], Awaitable[int]]:
            async def call() -> int:
                events = await store.read_stream(ref, as_of=moment)
                state = journey_state(events)
                assert state is not None
                assert state.version == len(events)
                return len(events)

            return call

        last = int(await pool.fetchval("SELECT max(position) FROM events"))

        def feed(after: int) -> Callable[[], Awaitable[int]]:
            async def call() -> int:
                return len(await store.read_all(after_position=after, limit=FEED_PAGE))

            return call

        def check(ref: StreamRef) -> Callable[[], Awaitable[int]]:
            async def call() -> int:
                report = await verify(pool, ref)
                assert report.ok, report.broken
                return report.events_checked

            return call

        pages = [rng.randrange(0, max(1, last - FEED_PAGE)) for _ in refs]
        # Baseline: the same pages while the collector still walks the start-up heap at each full
        # collection (this process has imported the API and the worker, as `ocop api` has).
        unfrozen = await sample(
            Reading(f"feed page of {FEED_PAGE}, heap as started", None), [feed(p) for p in pages]
        )
        # What `ocop api` and `ocop worker` do once started (heap.py); every reading below runs so.
        settle_startup_heap()
        readings = [
            await sample(Reading("history (read_stream)", TARGET_HISTORY_P99_MS), [history(r) for r in refs]),
            await sample(
                Reading("state as of (read_stream as_of + fold)", TARGET_AS_OF_P99_MS),
                [as_of(r, m) for r, m in zip(refs, moments, strict=True)],
            ),
            await sample(
                Reading(f"feed page of {FEED_PAGE} (read_all)", TARGET_FEED_P99_MS), [feed(p) for p in pages]
            ),
            await sample(Reading("verify one stream", None), [check(r) for r in refs]),
            unfrozen,
        ]
        progress("verify_all of the whole log")
        began = time.perf_counter()
        report = await verify_all(pool)
        verify_took = time.perf_counter() - began
        rate = report.events_checked / verify_took
        database_size = await pool.fetchval("SELECT pg_database_size(current_database())")
        table_total = await pool.fetchval("SELECT pg_total_relation_size('events')")
        heap = await pool.fetchval("SELECT pg_relation_size('events')")
        toast = await pool.fetchval(
            "SELECT coalesce(pg_total_relation_size(reltoastrelid), 0) FROM pg_class WHERE relname = 'events'"
        )
        indexes = await pool.fetchval("SELECT pg_indexes_size('events')")
        server_version = (await pool.fetchval("SHOW server_version")).split()[0]
        await pool.close()
    print()
    print(
        f"Audit reads: {events_total:,} events over {streams_total:,} journey streams, "
        + (
            "reused (loaded earlier); "
            if args.reuse_database
            else f"loaded at {events_total / took:,.0f} events/s by {args.appenders} appenders "
            f"(1-{args.batch} events an append); "
        )
        + f"PostgreSQL {server_version}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    print(f"{'measure':<38}{'samples':>8}{'events':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}   target")
    for reading in readings:
        print(reading.line())
    served, baseline = readings[2], readings[-1]
    print(
        f"feed page, frozen start-up heap / heap as started: p50 "
        f"{percentile(served.latencies, 50) / percentile(baseline.latencies, 50):.2f}x, p99 "
        f"{percentile(served.latencies, 99) / percentile(baseline.latencies, 99):.2f}x"
    )
    print(
        f"verify_all: {report.events_checked:,} events in {report.streams_checked:,} streams, "
        f"{verify_took:.1f} s "
        f"= {rate:,.0f} events/s, {'intact' if report.ok else 'BROKEN'}; "
        f"target >= {TARGET_VERIFY_ALL_PER_S:,} events/s: {verdict(rate >= TARGET_VERIFY_ALL_PER_S)}"
    )
    print(
        f"store size: database {megabytes(database_size)}; events table {megabytes(table_total)} "
        f"(heap {megabytes(heap)}, TOAST {megabytes(toast)}, indexes {megabytes(indexes)}), "
        f"{table_total / max(events_total, 1):,.0f} bytes an event"
    )


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=1_000_000, help="events to load (default 1,000,000)")
    parser.add_argument("--streams", type=int, default=50_000, help="journey streams (default 50,000)")
    parser.add_argument("--appenders", type=int, default=16, help="concurrent appenders (default 16)")
    parser.add_argument("--batch", type=int, default=5, help="at most this many events an append (default 5)")
    parser.add_argument("--samples", type=int, default=1000, help="reads timed per measure (default 1,000)")
    parser.add_argument("--seed", type=int, default=11, help="seed of the journeys and the samples")
    parser.add_argument(
        "--event-size",
        choices=("parts", "sheet"),
        default="parts",
        help="scorecards of three part totals under qd148-1489-2025 (default), or whole qd26-2026 sheets "
        "of options of the products' sets (the full sheet's event, about 32 criteria)",
    )
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="where to create the scratch database")
    parser.add_argument(
        "--keep-database", action="store_true", help="leave the loaded database in place and print its URL"
    )
    parser.add_argument(
        "--reuse-database", metavar="URL", help="measure a database loaded by --keep-database"
    )
    return parser


if __name__ == "__main__":
    configure_logging("console", "WARNING")
    asyncio.run(main(parser().parse_args()))
