"""Errors of the decision log. asyncpg errors are translated to these at the store boundary, so
callers never depend on the database driver."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every error the store raises."""


class WrongExpectedVersion(StoreError):
    """The stream moved on since the caller read it: someone else decided first."""

    def __init__(self, stream: str, expected: int, actual: int) -> None:
        super().__init__(f"stream {stream} is at version {actual}, not the expected {expected}")
        self.stream = stream
        self.expected = expected
        self.actual = actual


class IdempotencyKeyReused(StoreError):
    """The idempotency key was already used for an append to another stream."""

    def __init__(self, key: str, stream: str) -> None:
        super().__init__(f"idempotency key {key!r} was already used for stream {stream}")
        self.key = key
        self.stream = stream


class DuplicateEventId(StoreError):
    """An event id is already in the log under another idempotency key."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"an event id is already recorded: {detail}")


class SchemaTooNew(StoreError):
    """The database was migrated by a newer release than this code: refuse to touch it."""

    def __init__(self, db_version: int, code_version: int) -> None:
        super().__init__(
            f"the database schema is at version {db_version}, this code knows up to {code_version}: "
            "upgrade the code"
        )
        self.db_version = db_version
        self.code_version = code_version


class MigrationChecksumMismatch(StoreError):
    """A migration file changed after it was applied: the schema may not be what the code expects."""


class FeedBusy(StoreError):
    """The global feed could not be read because appenders held it for longer than the timeout."""
