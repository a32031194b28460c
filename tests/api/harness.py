"""The API over HTTP as the tests call it: ``Api`` (the app in-process through httpx, its pool and its
Temporal environment) and ``Caller`` (an actor with a token). The ``api`` fixture that makes one is
in tests/conftest.py."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
from temporalio.testing import WorkflowEnvironment

from api.access import parse_jurisdiction
from schemas.roles import Role
from store.actors import ActorStore


@dataclass
class Caller:
    """An actor with a token, calling the API."""

    http: httpx.AsyncClient
    id: str
    role: Role
    token: str
    keys: list[str] = field(default_factory=list)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.http.get(path, headers=self.auth, params=params or None)

    async def post(self, path: str, body: Any = None, *, key: str | None = None) -> httpx.Response:
        key = key or str(uuid.uuid4())
        self.keys.append(key)
        return await self.http.post(path, headers={**self.auth, "Idempotency-Key": key}, json=body or {})

    async def act(self, journey_id: str, action: str, body: Any = None, *, key: str | None = None) -> Any:
        """Give ``action`` and expect it to succeed; return the receipt."""
        response = await self.post(f"/v1/journeys/{journey_id}/{action}", body, key=key)
        assert response.status_code == 200, f"{self.id} {action}: {response.status_code} {response.text}"
        return response.json()


@dataclass
class Api:
    http: httpx.AsyncClient
    pool: asyncpg.Pool
    env: WorkflowEnvironment

    async def actor(self, role: Role, jurisdiction: str, actor_id: str | None = None) -> Caller:
        """An actor made straight in the store (the API's own creation is tested separately)."""
        place = parse_jurisdiction(role, jurisdiction)
        new_id = actor_id or f"{role.value}-{uuid.uuid4().hex[:8]}"
        _, token = await ActorStore(self.pool).add(new_id, role.value, place.kind.value, place.value)
        return Caller(self.http, new_id, role, token)

    async def event_count(self) -> int:
        count: int = await self.pool.fetchval("SELECT count(*) FROM events")
        return count

    async def request_count(self) -> int:
        count: int = await self.pool.fetchval("SELECT count(*) FROM api_requests")
        return count
