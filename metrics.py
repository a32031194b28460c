"""Metrics (chỉ số vận hành) in Prometheus's text format: what the API and the worker serve at /metrics.

One registry per process (``REGISTRY``) holds:

- ``ocop_http_requests_total`` and ``ocop_http_request_duration_seconds``: every HTTP request of the
  API, by method, route *template* (``/v1/journeys/{journey_id}``, never the path asked) and status;
- ``ocop_decisions_recorded_total`` and ``ocop_recording_duration_seconds``: events appended to the
  decision log, by stream and event type, and how long each append took (in whichever process
  appends: the worker's recording activities, the API's direct commands);
- ``ocop_feed_head_position``, ``ocop_feed_lag_events`` and ``ocop_feed_lag_seconds``: how far each
  follower of the gap-free feed (the notifier's cursors) is behind the log, read at each scrape;
- ``temporal_*``: the Temporal SDK's own worker metrics (task latencies, polls, slots, sticky
  cache…), forwarded from the SDK's metric buffer (``TemporalMetrics``);
- the process's CPU, memory and garbage collector.

Labels carry only bounded, impersonal values: methods, route templates, statuses, stream and event
types, follower names, and Temporal's namespace, task queue, workflow and activity types. Never an
id, a path, a name, an address or anything a caller typed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg
import structlog
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from temporalio.runtime import (
    BUFFERED_METRIC_KIND_COUNTER,
    BUFFERED_METRIC_KIND_HISTOGRAM,
    MetricBuffer,
    MetricBufferDurationFormat,
    Runtime,
    TelemetryConfig,
)

log = structlog.get_logger(__name__)

CONTENT_TYPE = CONTENT_TYPE_LATEST
REGISTRY = CollectorRegistry(auto_describe=True)
for _standard in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
    REGISTRY.register(_standard)

# Seconds: a page or a read takes milliseconds, a command waits for Temporal and the recording
# activity (tens of milliseconds), an upload or an export may take seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# One append is one statement on PostgreSQL: well under a millisecond to a few hundred.
RECORDING_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
# The only methods that become a label; anything else a client sends is counted as "other".
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "(unmatched)"

HTTP_REQUESTS = Counter(
    "ocop_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "ocop_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
DECISIONS_RECORDED = Counter(
    "ocop_decisions_recorded",
    "Events appended to the decision log (nhật ký quyết định), by stream type and event type; a "
    "retried append that finds its idempotency key already written is not counted again.",
    ["stream_type", "event_type"],
    registry=REGISTRY,
)
RECORDING_DURATION = Histogram(
    "ocop_recording_duration_seconds",
    "Time of one append to the decision log (events, chain head and read model in one transaction).",
    ["stream_type"],
    buckets=RECORDING_BUCKETS,
    registry=REGISTRY,
)
FEED_HEAD = Gauge(
    "ocop_feed_head_position",
    "The last global position of the decision log's feed.",
    registry=REGISTRY,
)
FEED_LAG_EVENTS = Gauge(
    "ocop_feed_lag_events",
    "Events of the feed a follower has not yet taken (head position minus its cursor).",
    ["follower"],
    registry=REGISTRY,
)
FEED_LAG_SECONDS = Gauge(
    "ocop_feed_lag_seconds",
    "Age of the oldest event a follower has not yet taken (0 when it is caught up).",
    ["follower"],
    registry=REGISTRY,
)


def route_label(route_path: str | None) -> str:
    """The route label of a request: its route's template, or ``(unmatched)``."""
    return route_path or UNMATCHED


# Each labelled child, found once: ``labels()`` takes a lock and builds a key at every call, which
# would cost an append or a request as much again as counting it (bounded: the labels are).
_counters: dict[tuple[Counter, tuple[str, ...]], Counter] = {}
_histograms: dict[tuple[Histogram, tuple[str, ...]], Histogram] = {}


def _counter(metric: Counter, *labels: str) -> Counter:
    child = _counters.get((metric, labels))
    if child is None:
        child = _counters.setdefault((metric, labels), metric.labels(*labels))
    return child


def _histogram(metric: Histogram, *labels: str) -> Histogram:
    child = _histograms.get((metric, labels))
    if child is None:
        child = _histograms.setdefault((metric, labels), metric.labels(*labels))
    return child


def observe_request(method: str | None, route_path: str | None, status: int, seconds: float) -> None:
    """Count one answered HTTP request (called by the API's request middleware)."""
    verb = method if method in METHODS else "other"
    route = route_label(route_path)
    _counter(HTTP_REQUESTS, verb, route, str(status)).inc()
    _histogram(HTTP_DURATION, verb, route).observe(seconds)


def observe_append(stream_type: str, event_types: Sequence[str], seconds: float) -> None:
    """Count the events of one append that wrote them (not a replayed one), and its duration."""
    counts: dict[str, int] = defaultdict(int)
    for event_type in event_types:
        counts[event_type] += 1
    for event_type, count in counts.items():
        _counter(DECISIONS_RECORDED, stream_type, event_type).inc(count)
    _histogram(RECORDING_DURATION, stream_type).observe(seconds)


_FEED_LAG = """
SELECT c.name, c.position,
       (SELECT e.recorded_at FROM events e WHERE e.position > c.position ORDER BY e.position LIMIT 1)
           AS oldest_untaken
FROM notifier_cursors c ORDER BY c.name
"""


async def observe_feed(pool: asyncpg.Pool) -> None:
    """Read the feed's head and each follower's cursor now (at a scrape): two index lookups per
    follower. The read models need no gauge: they are written in the transaction of their events."""
    head = int(await pool.fetchval("SELECT coalesce(max(position), 0) FROM events"))
    FEED_HEAD.set(head)
    now = datetime.now(UTC)
    for row in await pool.fetch(_FEED_LAG):
        follower = str(row["name"])
        FEED_LAG_EVENTS.labels(follower).set(max(head - int(row["position"]), 0))
        oldest: datetime | None = row["oldest_untaken"]
        FEED_LAG_SECONDS.labels(follower).set(
            max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
        )


def exposition() -> bytes:
    """The registry in Prometheus's text format."""
    return generate_latest(REGISTRY)


# -- the Temporal SDK's own metrics ---------------------------------------------------------------

# The SDK reports durations in seconds (MetricBufferDurationFormat.SECONDS); a long poll lasts up
# to a minute.
TEMPORAL_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
Labels = tuple[tuple[str, str], ...]


@dataclass
class _Histogram:
    buckets: list[int] = field(default_factory=lambda: [0] * len(TEMPORAL_BUCKETS))
    count: int = 0
    total: float = 0.0

    def observe(self, value: float) -> None:
        for index, bound in enumerate(TEMPORAL_BUCKETS):
            if value <= bound:
                self.buckets[index] += 1
        self.count += 1
        self.total += value


@dataclass
class _Family:
    name: str
    documentation: str
    kind: int
    unit: str | None
    values: dict[Labels, float] = field(default_factory=dict)
    histograms: dict[Labels, _Histogram] = field(default_factory=dict)


def _label_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class TemporalMetrics(Collector):
    """The Temporal SDK's metrics, drained from its metric buffer into this process's registry.

    The SDK's core (in Rust) records into a buffer that must be drained regularly: ``drain`` runs at
    every scrape and every ``DRAIN_SECONDS`` in the worker (``drain_forever``). Counters add their
    deltas, gauges keep their last value, histograms count into ``TEMPORAL_BUCKETS``. Everything
    runs on the event loop's thread, so no lock is needed."""

    DRAIN_SECONDS = 5.0
    BUFFER_SIZE = 100_000

    def __init__(self) -> None:
        self.buffer = MetricBuffer(self.BUFFER_SIZE, MetricBufferDurationFormat.SECONDS)
        self.families: dict[str, _Family] = {}

    def runtime(self) -> Runtime:
        """A Temporal runtime whose metrics go to this collector (one per process: each runtime
        starts threads of its own)."""
        return Runtime(telemetry=TelemetryConfig(metrics=self.buffer))

    def drain(self) -> None:
        for update in self.buffer.retrieve_updates():
            metric = update.metric
            family = self.families.get(metric.name)
            if family is None:
                family = _Family(metric.name, metric.description or metric.name, metric.kind, metric.unit)
                self.families[metric.name] = family
            labels: Labels = tuple(sorted((key, _label_value(v)) for key, v in update.attributes.items()))
            if family.kind == BUFFERED_METRIC_KIND_COUNTER:
                family.values[labels] = family.values.get(labels, 0.0) + update.value
            elif family.kind == BUFFERED_METRIC_KIND_HISTOGRAM:
                family.histograms.setdefault(labels, _Histogram()).observe(float(update.value))
            else:
                family.values[labels] = float(update.value)

    async def drain_forever(self) -> None:
        """Drain the buffer every few seconds, so that it never fills between scrapes."""
        while True:
            await asyncio.sleep(self.DRAIN_SECONDS)
            self.drain()

    def describe(self) -> Iterable[Metric]:
        return []  # the SDK's metrics are known only once it reports them

    def collect(self) -> Iterable[Metric]:
        self.drain()
        for family in self.families.values():
            yield _family_metric(family)


def _family_metric(family: _Family) -> Metric:
    if family.kind == BUFFERED_METRIC_KIND_COUNTER:
        metric = Metric(family.name, family.documentation, "counter")
        for labels, value in family.values.items():
            metric.add_sample(f"{family.name}_total", dict(labels), value)
        return metric
    if family.kind == BUFFERED_METRIC_KIND_HISTOGRAM:
        name = f"{family.name}_seconds" if family.unit == "s" else family.name
        metric = Metric(name, family.documentation, "histogram")
        for labels, histogram in family.histograms.items():
            for bound, count in zip(TEMPORAL_BUCKETS, histogram.buckets, strict=True):
                metric.add_sample(f"{name}_bucket", {**dict(labels), "le": repr(bound)}, count)
            metric.add_sample(f"{name}_bucket", {**dict(labels), "le": "+Inf"}, histogram.count)
            metric.add_sample(f"{name}_count", dict(labels), histogram.count)
            metric.add_sample(f"{name}_sum", dict(labels), histogram.total)
        return metric
    metric = Metric(family.name, family.documentation, "gauge")
    for labels, value in family.values.items():
        metric.add_sample(family.name, dict(labels), value)
    return metric


# -- the worker's endpoint ------------------------------------------------------------------------


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """One HTTP/1.0 exchange: GET /metrics gets the registry, anything else 404."""
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
        method, _, rest = head.partition(b" ")
        target = rest.split(b" ", 1)[0].split(b"?", 1)[0]
        if method in (b"GET", b"HEAD") and target == b"/metrics":
            body, status, content_type = exposition(), b"200 OK", CONTENT_TYPE.encode()
        else:
            body, status, content_type = b"not found\n", b"404 Not Found", b"text/plain; charset=utf-8"
        headers = [
            b"HTTP/1.0 " + status,
            b"Content-Type: " + content_type,
            b"Content-Length: " + str(len(body)).encode(),
            b"Connection: close",
        ]
        writer.write(b"\r\n".join(headers) + b"\r\n\r\n" + (body if method != b"HEAD" else b""))
        await writer.drain()
    except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        pass  # a client that sends no request, or goes away: nothing to answer
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def serve(host: str, port: int) -> asyncio.Server:
    """Serve ``GET /metrics`` on ``host:port`` in this event loop (the worker's endpoint; the
    API serves its own through its router). Close the returned server to stop."""
    server = await asyncio.start_server(_answer, host, port)
    log.info("metrics_serving", host=host, port=server.sockets[0].getsockname()[1])
    return server
