"""The HTTP API's app factory (FastAPI).

``create_app`` builds the app; its lifespan connects to Temporal (pydantic converter) and opens a
migrated database pool unless they are injected (tests inject them). Run it with ``ocop api``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema
from temporalio.client import Client

import web
from api import docs, errors
from api.documents import MULTIPART_OVERHEAD
from api.engine import Engine
from api.middleware import RequestContext
from api.routers import (
    actors,
    councils,
    documents,
    events,
    health,
    inspections,
    journeys,
    metrics,
    plans,
    printed,
    producers,
    registry,
    reports,
    rounds,
)
from heap import settle_startup_heap
from schemas.api import Problem
from settings import Settings, get_settings

DESCRIPTION = """\
The OCOP evaluation engine (Chương trình mỗi xã một sản phẩm): each product's journey from the
producer's idea through the evaluation councils (Hội đồng đánh giá, phân hạng) to a 3-, 4- or
5-star certificate (giấy chứng nhận), and its decision log (nhật ký quyết định).

* **Authentication**: `Authorization: Bearer <token>`; administrators create actors
  (`POST /v1/actors`, or `ocop actor add` for the first one) and each token is shown once.
* **Access**: by role, jurisdiction (địa bàn) and council seat. A producer sees their own journeys,
  officers, authorities and auditors those of their jurisdiction, council members those their
  councils evaluate. Auditors change nothing.
* **Commands** are `POST`s and need an `Idempotency-Key` (a UUID): a retry with the same key gets
  the same response and records nothing twice; the same key with another body is a 409. The
  response carries the receipt (event ids, positions, stream version) and the new state.
* **Errors** are problem details (RFC 9457, `application/problem+json`).
"""


def create_served_app() -> FastAPI:
    """The app ``ocop api`` serves (uvicorn's factory): settings from the environment, and the
    start-up heap frozen once the engine is connected."""
    return create_app(settle_heap=True)


def create_app(
    settings: Settings | None = None,
    *,
    temporal_client: Client | None = None,
    pool: asyncpg.Pool | None = None,
    settle_heap: bool = False,
) -> FastAPI:
    """The API, with its engine connections (injected or opened by the lifespan).

    ``settle_heap``: once started, freeze the start-up heap for the garbage collector (``heap``);
    for a process that serves this one app until it exits."""
    engine = Engine(settings or get_settings(), temporal_client=temporal_client, pool=pool)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await engine.start()
        if settle_heap:
            settle_startup_heap()
        try:
            yield
        finally:
            await engine.close()

    app = FastAPI(
        title="OCOP evaluation engine",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs and /redoc from the installed files, not FastAPI's CDN pages (api/docs.py).
        docs_url=None,
        redoc_url=None,
        openapi_tags=[
            {"name": "journeys", "description": "Product journeys: commands and reads."},
            {"name": "documents", "description": "A dossier's documents: upload, read, erase."},
            {"name": "councils", "description": "Evaluation councils: appointment, membership, conflicts."},
            {"name": "rounds", "description": "Evaluation rounds: open, enrol, close, publish, results."},
            {"name": "plans", "description": "A province's yearly targets and its progress."},
            {"name": "reports", "description": "Statistics of recognitions."},
            {"name": "printed documents", "description": "Decisions, certificates, scoresheets, minutes."},
            {"name": "registry", "description": "The public registry of certified products: no sign-in."},
            {"name": "decision log", "description": "The global feed and its verification."},
            {"name": "actors", "description": "Who may call the API."},
            {"name": "producers", "description": "Producers (chủ thể OCOP) and the stock import."},
            {"name": "health", "description": "Readiness."},
        ],
    )
    app.state.engine = engine
    errors.install(app)
    app.add_middleware(
        RequestContext,
        # A document upload streams up to the file limit (plus its multipart framing) into the store.
        max_upload_bytes=engine.settings.documents_max_file_bytes + MULTIPART_OVERHEAD,
    )
    for router in (
        # First: the public registry's crowd pays for the routes tried before its own.
        registry.router,
        journeys.router,
        documents.router,
        councils.router,
        rounds.router,
        plans.router,
        printed.router,
        producers.router,
        reports.router,
        inspections.router,
        events.router,
        actors.router,
        health.router,
        metrics.router,
        docs.router,
    ):
        app.include_router(router)
    app.include_router(web.router)  # the web pages (not in the OpenAPI schema)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            # Problem responses are referenced by $ref (served as application/problem+json, which
            # FastAPI's response models cannot name): add their schemas.
            _, definitions = models_json_schema(
                [(Problem, "serialization")], ref_template="#/components/schemas/{model}"
            )
            schema.setdefault("components", {}).setdefault("schemas", {}).update(definitions.get("$defs", {}))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to customize
    return app
