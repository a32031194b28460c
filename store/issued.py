"""Issued documents (văn bản đã phát hành): the hash a printed document had when first issued,
and the check every later download makes against it (migrations/0010_issued_documents.sql).

Also the one read the recognition decision needs across streams: every recognition recorded
under one decision number by one authority.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from store.errors import StoreError


class DocumentChanged(StoreError):
    """A document printed again from the same events came out different from the one issued."""

    def __init__(self, kind: str, subject: str, issued: str, rendered: str) -> None:
        super().__init__(
            f"the {kind} {subject} printed now (sha256 {rendered[:12]}…) differs from the one issued "
            f"(sha256 {issued[:12]}…): the log or the data it is printed from changed"
        )
        self.kind = kind
        self.subject = subject
        self.issued = issued
        self.rendered = rendered


@dataclass(frozen=True)
class Issue:
    """A document as issued: its hash and when it was first handed out."""

    kind: str
    subject: str
    sources: str
    sha256: str
    size: int
    issued_at: datetime
    first: bool  # this download issued it


@dataclass(frozen=True)
class RecognitionRef:
    """One ``recognized`` event of a decision: where it is in its journey's stream."""

    journey_id: str
    version: int
    position: int


class IssuedDocuments:
    """Record a document's hash when it is first issued; check it at every download after."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def issue(self, kind: str, subject: str, sources: str, sha256: str, size: int) -> Issue:
        """The document as issued: recorded now if these sources were never issued (concurrent
        first downloads agree: one insert wins, the other reads it), else checked against the hash
        recorded then; ``DocumentChanged`` if it differs."""
        row = await self.pool.fetchrow(
            """WITH inserted AS (
                INSERT INTO issued_documents (kind, subject, sources, sha256, size)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (kind, subject, sources) DO NOTHING
                RETURNING sha256, size, issued_at, true AS first
            )
            SELECT * FROM inserted
            UNION ALL
            SELECT sha256, size, issued_at, false FROM issued_documents
            WHERE kind = $1 AND subject = $2 AND sources = $3 AND NOT EXISTS (SELECT 1 FROM inserted)""",
            kind,
            subject,
            sources,
            sha256,
            size,
        )
        if row is None:  # inserted by a concurrent first download after our snapshot: read it
            row = await self.pool.fetchrow(
                """SELECT sha256, size, issued_at, false AS first FROM issued_documents
                WHERE kind = $1 AND subject = $2 AND sources = $3""",
                kind,
                subject,
                sources,
            )
            assert row is not None
        if row["sha256"] != sha256:
            raise DocumentChanged(kind, subject, row["sha256"], sha256)
        return Issue(kind, subject, sources, row["sha256"], row["size"], row["issued_at"], row["first"])

    async def issues_of(self, kind: str, subject: str) -> list[Issue]:
        """Every issue of a document, oldest first."""
        rows = await self.pool.fetch(
            """SELECT kind, subject, sources, sha256, size, issued_at FROM issued_documents
            WHERE kind = $1 AND subject = $2 ORDER BY issued_at, sources""",
            kind,
            subject,
        )
        return [Issue(**dict(row), first=False) for row in rows]

    async def recognitions_of_decision(
        self, decision_number: str, authority: str | None
    ) -> list[RecognitionRef]:
        """Every recognition recorded under ``decision_number`` by ``authority``, in log order."""
        rows = await self.pool.fetch(
            """SELECT stream_id, version, position FROM events
            WHERE stream_type = 'journey' AND type = 'recognized'
              AND data->>'decision_number' = $1 AND metadata->>'authority' IS NOT DISTINCT FROM $2
            ORDER BY position""",
            decision_number,
            authority,
        )
        return [RecognitionRef(row["stream_id"], row["version"], row["position"]) for row in rows]
