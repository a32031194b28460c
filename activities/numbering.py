"""Sequence numbers for a journey step (số thứ tự): the commune's receipts and product codes.

Idempotent by construction: ``store.sequences.allocate_number`` gives an owner the number it was
given before, so a retried attempt (or one that committed and then timed out) returns the same
numbers and takes no new ones.
"""

from __future__ import annotations

import asyncpg
from pydantic import BaseModel, ConfigDict
from temporalio import activity

from store.sequences import allocate_number
from workflows.numbering import NumberRequest


class AllocateNumbers(BaseModel):
    """The numbers one journey step needs, in order (workflows.numbering.numbers_needed)."""

    model_config = ConfigDict(frozen=True)

    journey_id: str
    requests: list[NumberRequest]


class Numbering:
    """Activities that hand out sequence numbers; built once per worker with its pool."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @activity.defn(name="allocate_numbers")
    async def allocate_numbers(self, request: AllocateNumbers) -> list[int]:
        """Each request's number: the one its owner holds already, else the scope's next."""
        return [await allocate_number(self._pool, item.scope, item.owner) for item in request.requests]
