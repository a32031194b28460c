"""What the API talks to: the Temporal client (commands) and the database pool (reads, actors,
the request log). Either may be injected (tests); otherwise each is connected on first use and
again after a failure, so the API starts, and says why it cannot serve, while a dependency is down."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import asyncpg
import structlog
from temporalio.client import Client

from api.errors import Unavailable
from schemas.refusals import Reason
from settings import Settings
from store import EventStore, create_pool, migrate
from store.actors import ActorStore
from store.documents import DocumentStore
from store.requests import RequestLog
from workflows.client import connect_temporal

log = structlog.get_logger(__name__)

HEALTH_TIMEOUT = 2.0


class Engine:
    """The API's connections, opened lazily and closed with the app."""

    def __init__(
        self, settings: Settings, *, temporal_client: Client | None = None, pool: asyncpg.Pool | None = None
    ) -> None:
        self.settings = settings
        self._client = temporal_client
        self._pool = pool
        self._owns_pool = pool is None
        # One lock each: a slow Temporal connection does not hold up the database.
        self._client_lock = asyncio.Lock()
        self._pool_lock = asyncio.Lock()
        self._documents_opened = False

    @property
    def task_queue(self) -> str:
        return self.settings.task_queue

    async def start(self) -> None:
        """Connect what was not injected; a failure is logged and retried on first use."""
        for name, connect in (("database", self.pool), ("temporal", self.client)):
            try:
                await connect()
            except Unavailable as exc:
                log.warning("api_dependency_unavailable", dependency=name, reason=exc.detail)

    async def close(self) -> None:
        if self._owns_pool and self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def client(self) -> Client:
        if self._client is not None:
            return self._client
        async with self._client_lock:
            if self._client is None:
                try:
                    self._client = await connect_temporal(self.settings)
                except Exception as exc:  # any failure to connect means the same: not now
                    raise Unavailable(Reason("engine.temporal", problem=str(exc))) from exc
        return self._client

    async def pool(self) -> asyncpg.Pool:
        if self._pool is not None:
            return self._pool
        async with self._pool_lock:
            if self._pool is None:
                url = self.settings.database_url
                if not url:
                    raise Unavailable(Reason("engine.no_database"))
                try:
                    await migrate(url)
                    self._pool = await create_pool(url, self.settings.db_pool_min, self.settings.db_pool_max)
                except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                    raise Unavailable(Reason("engine.database", problem=str(exc))) from exc
        return self._pool

    async def events(self) -> EventStore:
        return EventStore(await self.pool())

    async def actors(self) -> ActorStore:
        return ActorStore(await self.pool())

    async def requests(self) -> RequestLog:
        return RequestLog(await self.pool())

    async def documents(self) -> DocumentStore:
        """The document store (files under ``settings.documents_root``, metadata in the pool)."""
        store = DocumentStore(await self.pool(), self.settings.documents_root)
        if not self._documents_opened:
            await asyncio.to_thread(store.open_store)
            self._documents_opened = True
        return store

    async def health(self) -> dict[str, str]:
        """Each dependency: "ok", or why it cannot serve."""
        checks: dict[str, str] = {}
        try:
            pool = await self.pool()
            await pool.fetchval("SELECT 1", timeout=HEALTH_TIMEOUT)
            checks["database"] = "ok"
        except Unavailable as exc:
            checks["database"] = exc.detail
        except Exception as exc:  # the health check reports every failure, whatever its kind
            checks["database"] = f"database: {type(exc).__name__}: {exc}"
        try:
            client = await self.client()
            serving = await client.service_client.check_health(timeout=timedelta(seconds=HEALTH_TIMEOUT))
            checks["temporal"] = "ok" if serving else "temporal: the workflow service is not serving"
        except Unavailable as exc:
            checks["temporal"] = exc.detail
        except Exception as exc:  # the health check reports every failure, whatever its kind
            checks["temporal"] = f"temporal: {type(exc).__name__}: {exc}"
        return checks
