"""Envelopes of the decision log (nhật ký quyết định): what the store appends, returns and verifies.

These models know nothing of the OCOP domain: a domain event becomes a ``NewEvent`` (type + JSON
data + metadata) on its way into the store, and comes back as a ``RecordedEvent``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

StreamType = Literal["journey", "round", "council", "plan", "actor", "document", "producer"]


class StreamRef(BaseModel):
    """One stream of the log: a product journey, a round, a council, a plan, an actor (its account) or a
    document (its erasure)."""

    model_config = ConfigDict(frozen=True)

    type: StreamType
    id: str = Field(min_length=1, max_length=200)

    def __str__(self) -> str:
        return f"{self.type}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> StreamRef:
        """Parse ``type:id`` as printed by ``str()`` (used by the command line)."""
        kind, sep, ident = text.partition(":")
        if not sep:
            raise ValueError(f"a stream is written type:id (e.g. journey:J-1), not {text!r}")
        return cls.model_validate({"type": kind, "id": ident})


class Actor(BaseModel):
    """Who decided: a party id and the role they acted in, never a name (ocop.md §6)."""

    model_config = ConfigDict(frozen=True)

    id: str
    role: str


class EventMetadata(BaseModel):
    """Audit facts recorded with every event (ocop.md §6). No personal data goes here."""

    model_config = ConfigDict(frozen=True)

    actor: Actor
    authority: str | None = Field(default=None, description="The body the actor acted for.")
    rulebook: str | None = Field(default=None, description="Rulebook version the decision applied.")
    reason: str | None = None
    evidence: list[str] = Field(default_factory=list, description="SHA-256 hashes of evidence documents.")
    workflow_id: str | None = None
    update_id: str | None = None
    request_id: str | None = None


class NewEvent(BaseModel):
    """An event on its way into the log."""

    model_config = ConfigDict(frozen=True)

    event_id: UUID
    type: str = Field(min_length=1, max_length=100)
    data: dict[str, Any]
    metadata: EventMetadata


class RecordedEvent(BaseModel):
    """An event as the log holds it."""

    model_config = ConfigDict(frozen=True)

    position: int
    stream: StreamRef
    version: int
    event_id: UUID
    type: str
    data: dict[str, Any]
    metadata: EventMetadata
    idempotency_key: str
    recorded_at: datetime
    prev_hash: str
    hash: str
    sealed: list[str] = Field(
        default_factory=list,
        description="Fields of `data` withheld from this reader while the product's council evaluation "
        "is open (independent scoring); `hash` is that of the event as recorded.",
    )


class Snapshot(BaseModel):
    """A read-model row written in the same transaction as the events that produced it."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(min_length=1, max_length=50, description="e.g. journey, round, council, plan")
    id: str
    state: dict[str, Any]


class AppendReceipt(BaseModel):
    """What an append committed: the acknowledgement a council member gets back."""

    model_config = ConfigDict(frozen=True)

    stream: StreamRef
    event_ids: list[UUID]
    positions: list[int]
    first_version: int
    stream_version: int
    idempotency_key: str
    recorded_at: datetime
    replayed: bool = Field(
        default=False, description="True when the idempotency key had been used: nothing new was written."
    )


ChainProblem = Literal[
    "duplicate_version",
    "missing_version",
    "not_genesis",
    "unlinked",
    "edited",
    "no_head",
    "beyond_head",
    "head_hash",
    "no_events",
]
"""What broke a stream's chain, as a code a page words in its reader's language (web/i18n.py's
``verify.problem.<code>``); ``BrokenLink.problem`` says it in English."""


class BrokenLink(BaseModel):
    """The first place where a stream's hash chain does not hold."""

    stream: StreamRef
    version: int
    kind: ChainProblem | None = Field(default=None, description="What broke, as a code.")
    problem: str


class VerificationReport(BaseModel):
    """Result of recomputing hash chains: intact, or the first broken link of each broken stream."""

    streams_checked: int
    events_checked: int
    broken: list[BrokenLink] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken
