"""A journey's dossier documents (tài liệu hồ sơ): upload, list, read, erase.

Uploads are multipart, streamed into the document store as they arrive, and naturally idempotent:
a content is addressed by its SHA-256, so sending the same file again for the same journey finds
the first upload (200 instead of 201) and keeps nothing twice; no Idempotency-Key is needed (one
sent is ignored). The erasure is a command like any other, with its Idempotency-Key.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from api import access
from api.deps import CurrentActor, EngineDep, Idempotent, JourneyId
from api.documents import content_response, readable, record_of, upload, view_of
from api.errors import NotFound
from api.idempotency import Outcome
from api.routers.common import COMMAND, READ, problems
from api.services.journeys import load_journey
from schemas.documents import DocumentList, DocumentView, EraseDocument
from schemas.log import Actor
from schemas.refusals import Reason

router = APIRouter(prefix="/v1/journeys", tags=["documents"])

Sha256 = Annotated[
    str,
    Path(pattern=r"^[0-9a-f]{64}$", description="The document's SHA-256 (64 lowercase hex digits)."),
]

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "A PDF, JPEG, PNG, DOCX, XLSX or ODT file (its kind is read "
                            "from its bytes; a part Content-Type that says otherwise is refused).",
                        }
                    },
                }
            }
        },
    }
}


@router.post(
    "/{journey_id}/documents",
    status_code=201,
    response_model=DocumentView,
    summary="Upload a document of the dossier (nộp tài liệu hồ sơ)",
    responses={
        **problems(401, 403, 404, 410, 413, 415, 422, 503),
        200: {"model": DocumentView, "description": "The same content was uploaded before."},
    },
    openapi_extra=_UPLOAD_BODY,
)
async def upload_document(
    journey_id: JourneyId, request: Request, actor: CurrentActor, engine: EngineDep
) -> Response:
    """Keep a file for the journey's dossier, streamed (never whole in memory), by its SHA-256: its
    producer, the officers of its jurisdiction or a member of its council may upload. The answer's
    `reference` is what commands cite (`documents`, `document`, `commune_report`, `evidence`)."""
    journey = await load_journey(engine, actor, journey_id)
    record, created = await upload(engine, actor, journey, request)
    view = view_of(record)
    return JSONResponse(
        view.model_dump(mode="json"), status_code=201 if created else 200, headers={"Location": view.href}
    )


@router.get(
    "/{journey_id}/documents",
    response_model=DocumentList,
    summary="The dossier's documents",
    responses=problems(404, *READ),
)
async def list_documents(journey_id: JourneyId, actor: CurrentActor, engine: EngineDep) -> DocumentList:
    """Every document uploaded for the journey, oldest first (erased ones with when, by whom, why)."""
    journey = await load_journey(engine, actor, journey_id)
    store = await readable(engine, actor, journey)
    records = await store.for_journey(journey_id)
    return DocumentList(
        journey_id=journey_id,
        items=[view_of(record) for record in records],
        total_bytes=sum(record.size for record in records if record.erased_at is None),
    )


@router.get(
    "/{journey_id}/documents/{sha256}",
    response_class=StreamingResponse,
    summary="A document's content, checked against its hash",
    responses={
        **problems(404, 410, *READ),
        200: {"content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}}},
    },
)
async def read_document(
    journey_id: JourneyId, sha256: Sha256, actor: CurrentActor, engine: EngineDep
) -> StreamingResponse:
    """The bytes as uploaded, after checking them against their SHA-256 (a mismatch is a 500 and
    nothing is served); PDFs and images open inline in the browser's own viewer."""
    journey = await load_journey(engine, actor, journey_id)
    store = await readable(engine, actor, journey)
    return await content_response(store, await record_of(store, journey_id, sha256))


@router.post(
    "/{journey_id}/documents/{sha256}/erase",
    response_model=DocumentView,
    summary="Erase a document's content on a legal request",
    responses=problems(*COMMAND),
)
async def erase_document(
    journey_id: JourneyId,
    sha256: Sha256,
    body: EraseDocument,
    once: Idempotent,
) -> Response:
    """An administrator of the journey's jurisdiction erases the content (every journey's copy of
    these bytes): the hash and metadata stay, an event on the stream `document:<sha256>` records
    who, when and why, and commands can no longer cite it. Needs an Idempotency-Key."""
    actor, engine, key = once.actor, once.engine, once.key
    journey = await load_journey(engine, actor, journey_id)
    access.check_erase_document(actor, journey)

    async def work() -> Outcome:
        store = await engine.documents()
        await record_of(store, journey_id, sha256)
        await store.erase(sha256, Actor(id=actor.id, role=actor.role.value), body.reason, str(key))
        record = await store.record(journey_id, sha256)
        if record is None:  # pragma: no cover - rows are never deleted
            raise NotFound(Reason("documents.not_found", sha256=sha256, journey=journey_id))
        return Outcome(200, view_of(record))

    return await once(body, work)
