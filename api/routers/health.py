"""Health: can the engine serve (database and Temporal reachable)?"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import EngineDep
from schemas.api import HealthView

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthView,
    summary="Whether the engine can serve",
    responses={
        503: {"model": HealthView, "description": "A dependency cannot be reached: `checks` says which."}
    },
)
async def health(engine: EngineDep) -> JSONResponse:
    """200 once the database and Temporal answer; 503 with the reason otherwise. No token needed."""
    checks = await engine.health()
    ok = all(value == "ok" for value in checks.values())
    view = HealthView(status="ok" if ok else "unavailable", checks=checks)
    return JSONResponse(view.model_dump(mode="json"), status_code=200 if ok else 503)
