"""Printed documents (văn bản in) for a caller, the API's downloads and the pages' alike: the
recognition decision, the certificate, a member's scoresheet and a round's minutes as PDFs printed
from the log.

The first download issues a document and records its SHA-256 (``store.issued``); every later one
prints it again from the same events and answers only if the bytes are the same, else 409
``DocumentChanged`` (the log, or the organisation name printed, changed since it was issued). The
hash is in the ``ETag`` and ``X-Document-SHA256`` headers, so a holder of a copy can compare.

Who may download: the certificate is a public document (the registry's product page links it, no
sign-in); the decision and the scoresheets follow the journey's read rules; the minutes the
round's (its council's members and the officers, auditors and authorities of its jurisdiction).
"""

from __future__ import annotations

from collections.abc import Awaitable, Collection

import structlog
from fastapi import Response

from api import access
from api.engine import Engine
from api.errors import Conflict, NotFound
from api.services.journeys import load_journey
from api.services.rounds import round_for
from printed import sources
from printed.sources import NothingToPrint, OrganisationNames, Printed
from schemas.refusals import Reason
from store import producers
from store.issued import DocumentChanged, IssuedDocuments

log = structlog.get_logger(__name__)

# A download is the document itself: the services answer the PDF's response, headers and all.


def organisation_names(engine: Engine) -> OrganisationNames:
    """Producer id -> organisation name, from the producers' register (store/producers.py)."""

    async def names(producer_ids: Collection[str]) -> dict[str, str]:
        return await producers.organisation_names(await engine.pool(), producer_ids)

    return names


async def _issued(engine: Engine, printed: Printed) -> Response:
    """Answer with the document if it is the one issued (issuing it on its first download)."""
    issued = IssuedDocuments(await engine.pool())
    try:
        issue = await issued.issue(
            printed.kind, printed.subject, printed.sources, printed.sha256, len(printed.content)
        )
    except DocumentChanged as error:
        log.error(
            "printed_document_changed",
            kind=error.kind,
            subject=error.subject,
            issued=error.issued,
            rendered=error.rendered,
        )
        raise Conflict(str(error), code="DocumentChanged") from error
    if issue.first:
        log.info("printed_document_issued", kind=printed.kind, subject=printed.subject, sha256=issue.sha256)
    return Response(
        printed.content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{printed.filename}"',
            "ETag": f'"{issue.sha256}"',
            "X-Document-SHA256": issue.sha256,
            "X-Document-Issued-At": issue.issued_at.isoformat(),
            "Cache-Control": "no-cache",
        },
    )


async def _printed(document: Awaitable[Printed]) -> Printed:
    try:
        return await document
    except NothingToPrint as error:
        raise NotFound(str(error)) from error


async def certificate_response(engine: Engine, journey_id: str, number: str | None = None) -> Response:
    """The certificate as issued (``number``: one of the journey's certificates, by default the
    latest); anyone may download it."""
    store = await engine.events()
    if await store.get_read_model("journey", journey_id) is None:
        raise NotFound(Reason("journeys.unknown", journey=journey_id))
    names = organisation_names(engine)
    base_url = engine.settings.public_base_url
    printed = await _printed(sources.certificate(store, journey_id, names, base_url, number))
    return await _issued(engine, printed)


async def decision_response(
    engine: Engine, actor: access.Principal, journey_id: str, number: str | None = None
) -> Response:
    """The recognition decision as issued (of the certificate ``number``, by default the latest),
    for a reader of the journey."""
    await load_journey(engine, actor, journey_id)
    store = await engine.events()
    printed = await _printed(sources.decision(store, journey_id, organisation_names(engine), number))
    return await _issued(engine, printed)


async def scoresheet_response(
    engine: Engine, actor: access.Principal, journey_id: str, member_id: str
) -> Response:
    """A member's scoresheet of the latest finalized result as issued, for a reader of the journey."""
    await load_journey(engine, actor, journey_id)
    store = await engine.events()
    printed = await _printed(sources.scoresheet(store, journey_id, member_id, organisation_names(engine)))
    return await _issued(engine, printed)


async def minutes_response(engine: Engine, actor: access.Principal, round_id: str) -> Response:
    """A round's minutes as issued, for a reader of the round."""
    await round_for(engine, actor, round_id)
    printed = await _printed(sources.minutes(await engine.events(), round_id, organisation_names(engine)))
    return await _issued(engine, printed)
