"""The dossier's documents on the pages (tài liệu hồ sơ): a file chosen on a step's form is uploaded
by ``static/documents.js`` (with its progress) to this module's upload route, and the journey page
lists the documents the reader may open, each shown by the browser's own viewer.

Every upload and read goes through ``api.documents``, the API's own path: the same access rules,
limits, content checks and hash verification.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from api.access import AccessDenied
from api.deps import JourneyId
from api.documents import content_response, readable, record_of, upload, view_of
from api.services.journeys import load_journey
from schemas.documents import DocumentView
from schemas.journey import JourneyState
from web.pages import FormExpired, Page, SignedIn, page_router

router = page_router()  # this module's pages; web/__init__.py includes them

CSRF_HEADER = "X-CSRF-Token"
Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]


async def listing(page: Page, journey: JourneyState) -> list[DocumentView] | None:
    """The journey's documents with links to their page route, or None when the reader may not read
    them (the page then shows the cited hashes only)."""
    try:
        store = await readable(page.engine, page.me, journey)
    except AccessDenied:
        return None
    return [
        view_of(record, href_prefix="/journeys") for record in await store.for_journey(journey.journey_id)
    ]


@router.post("/journeys/{journey_id}/documents")
async def upload_page_document(journey_id: JourneyId, request: Request, page: SignedIn) -> Response:
    """The page's upload (multipart, streamed): the session's CSRF token comes in a header, since
    the body is the file. Answers the document as JSON for the script."""
    if not page.session.accepts(request.headers.get(CSRF_HEADER)):
        raise FormExpired
    journey = await load_journey(page.engine, page.me, journey_id)
    record, created = await upload(page.engine, page.me, journey, request)
    view = view_of(record, href_prefix="/journeys")
    return JSONResponse(view.model_dump(mode="json"), status_code=201 if created else 200)


@router.get("/journeys/{journey_id}/documents/{sha256}")
async def open_page_document(journey_id: JourneyId, sha256: Sha256, page: SignedIn) -> StreamingResponse:
    """The document in the browser's own viewer, once checked against its hash."""
    journey = await load_journey(page.engine, page.me, journey_id)
    store = await readable(page.engine, page.me, journey)
    return await content_response(store, await record_of(store, journey_id, sha256))
