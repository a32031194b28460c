"""Printed documents on the pages (văn bản in): the certificate, the decision, the members'
scoresheets and a round's minutes as PDFs, through the API's own downloads (api.services.printed:
the same access rules, the same check against the hash recorded when each was issued)."""

from __future__ import annotations

from fastapi import Response

from api.deps import CertificateNumber, JourneyId, MemberId, RoundId
from api.services.journeys import load_journey
from api.services.printed import (
    certificate_response,
    decision_response,
    minutes_response,
    scoresheet_response,
)
from printed.sources import scorers
from web.pages import SignedIn, page_router

router = page_router()  # this module's pages; web/__init__.py includes them


@router.get("/journeys/{journey_id}/certificate.pdf")
async def certificate_page(
    journey_id: JourneyId, page: SignedIn, number: CertificateNumber = None
) -> Response:
    """The certificate as issued (public through the API too)."""
    return await certificate_response(page.engine, journey_id, number)


@router.get("/journeys/{journey_id}/decision.pdf")
async def decision_page(journey_id: JourneyId, page: SignedIn, number: CertificateNumber = None) -> Response:
    return await decision_response(page.engine, page.me, journey_id, number)


@router.get("/journeys/{journey_id}/scoresheets")
async def scoresheets_page(journey_id: JourneyId, page: SignedIn) -> Response:
    """The scoresheets of the journey's latest finalized result, one link each."""
    journey = await load_journey(page.engine, page.me, journey_id)
    members = await scorers(await page.engine.events(), journey_id)
    return page.render("printed_scoresheets.html", journey=journey, members=members)


@router.get("/journeys/{journey_id}/scoresheets/{member_id}.pdf")
async def scoresheet_page(journey_id: JourneyId, member_id: MemberId, page: SignedIn) -> Response:
    return await scoresheet_response(page.engine, page.me, journey_id, member_id)


@router.get("/rounds/{round_id}/minutes.pdf")
async def minutes_page(round_id: RoundId, page: SignedIn) -> Response:
    return await minutes_response(page.engine, page.me, round_id)
