"""The decision log (nhật ký quyết định) on PostgreSQL: the only package that speaks SQL."""

from __future__ import annotations

from store.canonical import GENESIS, canonical_json, event_hash
from store.db import create_pool
from store.errors import (
    DuplicateEventId,
    FeedBusy,
    IdempotencyKeyReused,
    MigrationChecksumMismatch,
    SchemaTooNew,
    StoreError,
    WrongExpectedVersion,
)
from store.events import FEED_LOCK_KEY, EventStore, ReadModel, SnapshotAt
from store.migrations import migrate
from store.parties import Party, PartyStore
from store.verify import verify, verify_all

__all__ = [
    "FEED_LOCK_KEY",
    "GENESIS",
    "DuplicateEventId",
    "EventStore",
    "FeedBusy",
    "IdempotencyKeyReused",
    "MigrationChecksumMismatch",
    "Party",
    "PartyStore",
    "ReadModel",
    "SchemaTooNew",
    "SnapshotAt",
    "StoreError",
    "WrongExpectedVersion",
    "canonical_json",
    "create_pool",
    "event_hash",
    "migrate",
    "verify",
    "verify_all",
]
