"""Printed documents (văn bản in): the routes over ``api.services.printed`` — the recognition
decision, the certificate, a member's scoresheet and a round's minutes as PDFs printed from the log,
each checked against the SHA-256 recorded when it was first issued (``ETag``, ``X-Document-SHA256``).
The certificate is public; the rest follow the journey's or the round's read rules."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api.deps import CertificateNumber, CurrentActor, EngineDep, JourneyId, MemberId, RoundId
from api.routers.common import READ, problems
from api.services.printed import (
    certificate_response,
    decision_response,
    minutes_response,
    scoresheet_response,
)

router = APIRouter(prefix="/v1", tags=["printed documents"])

PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The PDF, as issued."}
}


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
