"""Metrics (chỉ số vận hành): the API process's registry in Prometheus's text format (metrics.py).

Open unless ``OCOP_METRICS_TOKEN`` is set; then only ``Authorization: Bearer <that token>`` reads it.
It holds no personal data (route templates, statuses, event types, counts), but it tells how busy
each route is, which a province may prefer to keep to its monitoring.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Security
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

import metrics
from api.deps import EngineDep
from api.errors import Unauthorized
from schemas.refusals import Reason

router = APIRouter()

_metrics_bearer = HTTPBearer(auto_error=False, scheme_name="metrics bearer")


@router.get("/metrics", include_in_schema=False)
async def scrape(
    engine: EngineDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_metrics_bearer)],
) -> Response:
    """The API's metrics, with the feed's lag read now."""
    expected = engine.settings.metrics_token
    if expected:
        given = credentials.credentials if credentials is not None else ""
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise Unauthorized(Reason("metrics.no_token"))
    await metrics.observe_feed(await engine.pool())
    return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)
