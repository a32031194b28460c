"""Metrics (metrics.py): what a Prometheus scrape of the API's and the worker's /metrics shows.

The API's /metrics is scraped over HTTP before and after a scripted evaluation round on a real
worker (Temporal's time-skipping server, real PostgreSQL); the differences must be exactly what the
round recorded in the log and the requests it made. The worker's own endpoint is started as
``ocop worker`` starts it and scraped over a socket.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping

import asyncpg
import httpx
from prometheus_client.parser import text_string_to_metric_families
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from notifier.follower import Notifier, NotifierConfig
from schemas.roles import Role
from settings import Settings
from store.parties import PartyStore
from tests.api.cast import make_cast
from tests.api.harness import Api
from tests.factories import register
from tests.notifier.scene import free_port
from tests.notifier.scene import register as record_idea
from tests.workflows.harness import TemporalJourney
from worker import serve_worker

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
ACTION = "/v1/journeys/{journey_id}/{action}"


def samples_of(text: str) -> Samples:
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


async def scrape(http: httpx.AsyncClient, headers: Mapping[str, str] | None = None) -> Samples:
    response = await http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return samples_of(response.text)


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def delta(after: Samples, before: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


async def test_a_scrape_after_a_round_shows_what_the_round_recorded(api: Api) -> None:
    cast = await make_cast(api)
    before = await scrape(api.http)
    head = value(before, "ocop_feed_head_position")

    journeys = [await cast.to_awaiting_round() for _ in range(2)]
    for journey_id in journeys:
        await cast.evaluate(journey_id)  # enrolled, three scorecards, finalized
    after = await scrape(api.http)

    rows = await api.pool.fetch(
        """SELECT stream_type, type, count(*) AS events, count(DISTINCT idempotency_key) AS appends
        FROM events WHERE position > $1 GROUP BY stream_type, type""",
        int(head),
    )
    recorded = {(row["stream_type"], row["type"]): int(row["events"]) for row in rows}
    assert recorded[("journey", "scorecard_submitted")] == 6
    assert recorded[("journey", "council_finalized")] == 2
    assert recorded[("journey", "enrolled_in_round")] == 2
    # Every event type the round recorded is counted exactly, and nothing it did not record.
    for (stream_type, event_type), events in recorded.items():
        counted = delta(
            after, before, "ocop_decisions_recorded_total", stream_type=stream_type, event_type=event_type
        )
        assert counted == events, (stream_type, event_type)
    counted_types = {
        (dict(labels)["stream_type"], dict(labels)["event_type"])
        for (name, labels), count in after.items()
        if name == "ocop_decisions_recorded_total" and count != before.get((name, labels), 0.0)
    }
    assert counted_types == set(recorded)
    # One recording duration per append (an append may hold several events).
    appends = await api.pool.fetch(
        "SELECT stream_type, count(DISTINCT idempotency_key) AS n FROM events WHERE position > $1 GROUP BY 1",
        int(head),
    )
    for row in appends:
        timed = delta(after, before, "ocop_recording_duration_seconds_count", stream_type=row["stream_type"])
        assert timed == row["n"], row["stream_type"]
    assert value(after, "ocop_feed_head_position") == await api.pool.fetchval(
        "SELECT max(position) FROM events"
    )

    # Requests by route template and status, with their latencies.
    scorecards = {"method": "POST", "route": ACTION.replace("{action}", "submit-scorecard")}
    assert delta(after, before, "ocop_http_requests_total", **scorecards, status="200") == 6
    assert delta(after, before, "ocop_http_request_duration_seconds_count", **scorecards) == 6
    assert (
        delta(after, before, "ocop_http_requests_total", method="POST", route="/v1/journeys", status="201")
        == 2
    )
    enrol = {"method": "POST", "route": "/v1/rounds/{round_id}/enrollments", "status": "200"}
    assert delta(after, before, "ocop_http_requests_total", **enrol) == 2
    # The first scrape is counted by the second.
    assert delta(after, before, "ocop_http_requests_total", method="GET", route="/metrics", status="200") == 1


async def test_labels_hold_no_ids_and_no_personal_data(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.to_awaiting_round()
    name, email, phone = "Nguyễn Thị Lan", "lan.nguyen@thu.example.vn", "0912345678"
    await PartyStore(api.pool).add(Role.PRODUCER.value, display_name=name, email=email, phone=phone)
    # Paths that carry an id, a name, an address: none of them may become a label value.
    await cast.producer.get(f"/v1/journeys/{journey_id}")
    await cast.producer.get(f"/v1/journeys/{journey_id}/history")
    await api.http.get(f"/v1/no-such-thing/{name}", params={"email": email, "phone": phone})
    await api.http.get(f"/hồ-sơ/{journey_id}/{email}")
    await api.http.request("BREW", f"/v1/journeys/{journey_id}")

    samples = await scrape(api.http)
    values = {label_value for (_, labels) in samples for _, label_value in labels}
    people = [caller.id for caller in (cast.producer, cast.commune_officer, cast.chair, cast.authority)]
    for secret in [journey_id, name, email, phone, "Nem chua", *people]:
        assert not [found for found in values if secret in found], secret
    routes = {dict(labels).get("route") for (name, labels) in samples if name == "ocop_http_requests_total"}
    assert {"/v1/journeys/{journey_id}", "/v1/journeys/{journey_id}/history", "(unmatched)"} <= routes
    methods = {dict(labels)["method"] for (name, labels) in samples if name == "ocop_http_requests_total"}
    assert "BREW" not in methods
    assert "other" in methods


async def test_the_metrics_token_is_required_when_set(api: Api) -> None:
    app = create_app(
        Settings(task_queue="unused", metrics_token="scrape-me"),
        temporal_client=api.env.client,
        pool=api.pool,
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ocop.test") as http,
    ):
        missing = await http.get("/metrics")
        assert missing.status_code == 401
        assert missing.headers["content-type"] == "application/problem+json"
        assert missing.headers["www-authenticate"].startswith("Bearer")
        wrong = await http.get("/metrics", headers={"Authorization": "Bearer scrape-you"})
        assert wrong.status_code == 401
        # An actor's API token is not the metrics token.
        actor = await api.actor(Role.AUDITOR, "VN")
        assert (await http.get("/metrics", headers=actor.auth)).status_code == 401
        samples = await scrape(http, {"Authorization": "Bearer scrape-me"})
        assert value(samples, "ocop_feed_head_position") >= 0
    # Unset (the api fixture), anyone who reaches the API reads it.
    await scrape(api.http)


async def test_the_feed_lag_of_the_notifier(store_pool: asyncpg.Pool) -> None:
    for number in (1, 2, 3):
        await record_idea(store_pool, f"J-{number}")
    app = create_app(Settings(temporal_address="127.0.0.1:9"), pool=store_pool)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ocop.test") as http:
        unfollowed = await scrape(http)
        assert value(unfollowed, "ocop_feed_head_position") == 3
        assert ("ocop_feed_lag_events", frozenset({("follower", "lag-test")})) not in unfollowed

        notifier = Notifier(store_pool, None, NotifierConfig(name="lag-test", batch=1))
        assert await notifier.follow_once() == 1
        behind = await scrape(http)
        assert value(behind, "ocop_feed_lag_events", follower="lag-test") == 2
        assert value(behind, "ocop_feed_lag_seconds", follower="lag-test") > 0

        while await notifier.follow_once():
            pass
        caught_up = await scrape(http)
        assert value(caught_up, "ocop_feed_lag_events", follower="lag-test") == 0
        assert value(caught_up, "ocop_feed_lag_seconds", follower="lag-test") == 0


async def _get_metrics(port: int) -> tuple[int, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /metrics HTTP/1.1\r\nHost: worker\r\n\r\n")
    await writer.drain()
    answer = await reader.read()
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body.decode()


async def test_the_worker_serves_the_sdk_metrics_and_its_decisions(
    time_skipping: WorkflowEnvironment,
    migrated_database_url: str,
) -> None:
    port = free_port()
    settings = Settings(
        database_url=migrated_database_url,
        temporal_address=time_skipping.client.service_client.config.target_host,
        task_queue=f"test-{uuid.uuid4().hex[:8]}",
        worker_metrics_port=port,
    )
    stop = asyncio.Event()
    running = asyncio.create_task(serve_worker(settings, stop))
    try:
        for _ in range(100):
            try:
                status, _ = await _get_metrics(port)
                break
            except ConnectionRefusedError:
                await asyncio.sleep(0.1)
        assert status == 200
        _, first = await _get_metrics(port)
        journey = TemporalJourney(time_skipping.client, settings.task_queue, f"J-{uuid.uuid4().hex[:8]}")
        await journey.start(register(journey.journey_id))
        status, text = await _get_metrics(port)
        assert status == 200
        before, after = samples_of(first), samples_of(text)
        assert (
            delta(
                after,
                before,
                "ocop_decisions_recorded_total",
                stream_type="journey",
                event_type="idea_registered",
            )
            == 1
        )
        # The Temporal SDK's own metrics of this worker, by workflow type and task queue.
        task_latency = {
            "namespace": "default",
            "task_queue": settings.task_queue,
            "workflow_type": "ProductJourney",
        }
        executed = [
            count
            for (name, labels), count in after.items()
            if name == "temporal_workflow_task_execution_latency_seconds_count"
            and set(task_latency.items()) <= labels
        ]
        assert sum(executed) >= 1
        assert any(name == "temporal_request_total" for name, _ in after)
        # The step was appended by a local activity (workflows/journey.py, LOCAL_RECORDING).
        assert any(name == "temporal_local_activity_execution_latency_seconds_bucket" for name, _ in after), (
            sorted({name for name, _ in after if "activity" in name})
        )
        assert journey.journey_id not in text
        # Anything but GET /metrics is not found.
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /other HTTP/1.0\r\n\r\n")
        assert (await reader.read()).startswith(b"HTTP/1.0 404")
        writer.close()
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=30)
    # Stopped, the endpoint is gone.
    try:
        await _get_metrics(port)
        raise AssertionError("the worker's /metrics still answers after it stopped")
    except ConnectionRefusedError:
        pass
