"""OpenAPI helpers shared by the routers: the problem responses each route may give."""

from __future__ import annotations

from typing import Any

from api.errors import PROBLEM_MEDIA_TYPE

_DESCRIPTIONS = {
    400: "The request could not be read.",
    401: "No valid bearer token.",
    403: "Outside the caller's rights: role, jurisdiction (địa bàn) or council seat.",
    404: "Unknown journey (or resource).",
    409: "Wrong state for this step, a closed journey, or an Idempotency-Key reused for another request.",
    410: "The document's content was erased on a legal request (its hash and metadata stay).",
    413: "The body is larger than 64 KiB (a document upload: than the file or dossier limit).",
    415: "Not a kind of content accepted here (a document's kind is read from its bytes).",
    422: "Invalid input: `errors` lists the failing fields.",
    503: "The database or Temporal cannot be reached; retry later.",
    504: "The engine did not confirm the step in time; retry with the same Idempotency-Key.",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries for these statuses, each an application/problem+json Problem."""
    return {
        status: {
            "description": _DESCRIPTIONS[status],
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


READ = (401, 403, 422, 503)
COMMAND = (401, 403, 404, 409, 413, 422, 503, 504)
