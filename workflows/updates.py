"""Temporal updates generated from command models: one update per command, one way to write them.

The workflow class provides ``_validate(command)`` (synchronous, read-only: raise to refuse before
anything is accepted) and ``async _handle(command) -> receipt``.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel

    from schemas.errors import DomainError

C = TypeVar("C", bound=BaseModel)
R = TypeVar("R", bound=BaseModel)


def refusal(error: DomainError) -> ApplicationError:
    """A business refusal leaves the update as a non-retryable ApplicationError named after it."""
    # A refused scorecard names its criterion (InvalidScorecard): it travels as the error's details,
    # so the API and the page point at that field.
    # Its reason (the template's key and parameters, schemas.refusals) travels there too, so the API
    # and the page tell it in the reader's language. Only the message, the type and the details'
    # contents change with it: a refusal records nothing in the journey, replays are unaffected.
    criterion = getattr(error, "criterion", None)
    named: dict[str, object] = {}
    if criterion:
        named = {"criterion": criterion, "problem": getattr(error, "problem", None)}
    if error.why is not None:
        named |= error.why.details()
    details = [named] if named else []
    return ApplicationError(error.message, *details, type=error.code, non_retryable=True)


def command_update(
    name: str, command_type: type[C], receipt_type: type[R]
) -> workflow.UpdateMethodMultiParam[[Any, C], R]:
    """An update named ``name`` taking ``command_type`` and answering ``receipt_type``; validator and
    handler delegate to the workflow. Callers name it by the class attribute it is assigned to
    (``handle.execute_update(ProductJourney.enrol, command)``), which mypy checks: the command's type,
    the receipt's type."""

    async def handler(self: Any, command: Any) -> Any:
        return await self._handle(command)

    def validator(self: Any, command: Any) -> None:
        self._validate(command)

    # Temporal reads the argument type from the annotations to decode the payload.
    handler.__name__ = name
    handler.__annotations__ = {"command": command_type, "return": receipt_type}
    validator.__annotations__ = {"command": command_type, "return": None}
    update = workflow.update(name=name, description=command_type.__doc__)(handler)
    update.validator(validator)
    # The handler is typed Any because its types are set at run time above; the update it makes
    # takes ``command_type`` and answers ``receipt_type``, which is what this cast says to mypy.
    return cast("workflow.UpdateMethodMultiParam[[Any, C], R]", update)
