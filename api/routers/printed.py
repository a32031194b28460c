"""Printed documents (văn bản in): the recognition decision, the certificate, a member's scoresheet
and a round's minutes as PDFs printed from the log.

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
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Path, Query, Response

from api import access
from api.deps import CurrentActor, EngineDep, JourneyId
from api.engine import Engine
from api.errors import Conflict, NotFound
from api.routers.common import READ, problems
from api.routers.journeys import load_journey
from api.routers.rounds import RoundId, load_round
from printed import sources
from printed.sources import NothingToPrint, OrganisationNames, Printed
from schemas.refusals import Reason
from store import producers
from store.issued import DocumentChanged, IssuedDocuments

log = structlog.get_logger(__name__)

router = APIRouter(prefix="/v1", tags=["printed documents"])

CertificateNumber = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        pattern=r"^[^\x00-\x1f]+$",
        description="One of the journey's certificates (số giấy chứng nhận); by default its latest.",
    ),
]
MemberId = Annotated[str, Path(pattern=r"^[\w.@-]{1,200}$", description="The council member's actor id.")]
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The PDF, as issued."}
}


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


# -- one path for the API and the pages (web/printed.py) -----------------------------------------


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
    state = await load_round(engine, round_id)
    seated = any(seat.member_id == actor.id for seat in state.council.seats)
    access.check_read_council(actor, state.level, state.jurisdiction, seated)
    printed = await _printed(sources.minutes(await engine.events(), round_id, organisation_names(engine)))
    return await _issued(engine, printed)


# -- the API's routes -----------------------------------------------------------------------------


@router.get(
    "/journeys/{journey_id}/certificate.pdf",
    response_class=Response,
    summary="The certificate (giấy chứng nhận kết quả phân hạng sản phẩm OCOP) as a PDF; public",
    responses={**problems(404, 409, 422, 503), **PDF},
)
async def certificate_pdf(
    journey_id: JourneyId, engine: EngineDep, number: CertificateNumber = None
) -> Response:
    """The certificate of the product's latest recognition (or the one numbered ``number``), with its
    QR code to the product's public page; one no longer in force says so. Public, like the registry:
    no sign-in."""
    return await certificate_response(engine, journey_id, number)


@router.get(
    "/journeys/{journey_id}/decision.pdf",
    response_class=Response,
    summary="The recognition decision (quyết định công nhận) as a PDF",
    responses={**problems(404, 409, *READ), **PDF},
)
async def decision_pdf(
    journey_id: JourneyId, actor: CurrentActor, engine: EngineDep, number: CertificateNumber = None
) -> Response:
    """The decision of the product's latest recognition (or of the certificate ``number``), listing
    every product recognized under its number by the same authority. Read by whoever may read the
    journey."""
    return await decision_response(engine, actor, journey_id, number)


@router.get(
    "/journeys/{journey_id}/scoresheets/{member_id}.pdf",
    response_class=Response,
    summary="A member's filled scoresheet (phiếu đánh giá, Phụ lục II) as a PDF",
    responses={**problems(404, 409, *READ), **PDF},
)
async def scoresheet_pdf(
    journey_id: JourneyId, member_id: MemberId, actor: CurrentActor, engine: EngineDep
) -> Response:
    """The member's scorecard in the product's latest finalized council result, as the chair
    finalized it. Read by whoever may read the journey (after finalization every scorecard is
    open to its readers)."""
    return await scoresheet_response(engine, actor, journey_id, member_id)


@router.get(
    "/rounds/{round_id}/minutes.pdf",
    response_class=Response,
    summary="A round's minutes (biên bản họp Hội đồng) as a PDF",
    responses={**problems(404, 409, *READ), **PDF},
)
async def minutes_pdf(round_id: RoundId, actor: CurrentActor, engine: EngineDep) -> Response:
    """The minutes of a round whose results are published: the council's members and who took part,
    each product's mean, stars and rank. Read by the council's members and by the officers,
    auditors, authorities and administrators of its jurisdiction."""
    return await minutes_response(engine, actor, round_id)
