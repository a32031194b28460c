"""Builders shared by the store's tests."""

from __future__ import annotations

import uuid
from typing import Any

from schemas.log import Actor, EventMetadata, NewEvent, StreamRef


def journey(ident: str) -> StreamRef:
    return StreamRef(type="journey", id=ident)


def new_event(type_: str = "DossierSubmitted", **data: Any) -> NewEvent:
    """A decision-like event with audit metadata and no personal data."""
    return NewEvent(
        event_id=uuid.uuid4(),
        type=type_,
        data={"dossier_id": "D-1", "score": 85.5, **data},
        metadata=EventMetadata(
            actor=Actor(id="party-7", role="council_member"),
            authority="province:HN",
            rulebook="2025.1",
            reason="meets the criteria",
            evidence=["ab" * 32],
            workflow_id="journey-J-1",
        ),
    )


def key() -> str:
    return f"key-{uuid.uuid4()}"
