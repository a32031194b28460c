"""The certificate's number (số giấy chứng nhận), drawn at recognition.

Idempotent on the recognition: the owner of the number is the journey and the recognition's rank
among the journey's recognitions, so a retried activity (or a workflow replayed) gets the number it
got before, and the journey's next recognition (an upgrade, a renewal, the central 5★) a new one.
"""

from __future__ import annotations

import asyncpg
import structlog
from pydantic import BaseModel, ConfigDict, Field
from temporalio import activity

from printed.numbering import certificate_scope, shipped_numbering
from schemas.rulebook import Level
from store.sequences import allocate_number

log = structlog.get_logger(__name__)


class CertificateNumberRequest(BaseModel):
    """The recognition a number is drawn for."""

    model_config = ConfigDict(frozen=True)

    journey_id: str
    recognition: int = Field(gt=0, description="1 for the journey's first recognition, and so on.")
    level: Level
    province_code: int
    decision_year: int


class CertificateNumbers:
    """Built once per worker with the database pool."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @activity.defn(name="assign_certificate_number")
    async def assign_certificate_number(self, request: CertificateNumberRequest) -> str:
        """The certificate number of this recognition: the next of its scope, once. A number another
        product holds already (an imported certificate gives its own) is passed over, so that a
        number names one certificate; the numbers passed over are owned too, so a retry draws
        the same one."""
        numbering = shipped_numbering()
        scope = certificate_scope(request.level, request.province_code, request.decision_year)
        owner = f"{request.journey_id}/recognition/{request.recognition}"
        drawn, passed_over = owner, 0
        while True:
            sequence = await allocate_number(self._pool, scope, drawn)
            number = numbering.number(request.level, request.province_code, sequence, request.decision_year)
            held = await self._pool.fetchval(
                "SELECT 1 FROM registry_products WHERE certificate_number = $1 AND journey_id <> $2 LIMIT 1",
                number,
                request.journey_id,
            )
            if held is None:
                break
            passed_over += 1
            log.info("certificate_number_passed_over", scope=scope, owner=owner, number=number)
            drawn = f"{owner}/passed-over/{passed_over}"
        log.info("certificate_number_assigned", scope=scope, owner=owner, number=number)
        return number
