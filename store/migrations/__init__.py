"""Versioned schema migrations: ``store/migrations/NNNN_name.sql`` applied in order, once each.

Safe to run from several processes at once (one waits for the other) and to run again (a no-op).
A database migrated by newer code, or an applied file that has since changed, is refused.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import asyncpg
import structlog

from store.errors import MigrationChecksumMismatch, SchemaTooNew

log = structlog.get_logger(__name__)

# Session advisory lock key serializing migrate() across processes ("ocop-mig" in ASCII).
MIGRATION_LOCK_KEY = 0x6F636F702D6D6967

_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One migration file."""

    version: int
    name: str
    sql: str
    checksum: str


def load_migrations() -> list[Migration]:
    """The migration files shipped with the code, in version order."""
    found: list[Migration] = []
    for entry in resources.files("store.migrations").iterdir():
        match = _FILE_NAME.match(entry.name)
        if not match:
            continue
        text = entry.read_text(encoding="utf-8")
        checksum = hashlib.sha256(text.encode()).hexdigest()
        found.append(Migration(int(match.group(1)), entry.name.removesuffix(".sql"), text, checksum))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migration files share a version: {versions}")
    return found


async def migrate(target: str | asyncpg.Connection) -> list[str]:
    """Apply the pending migrations; return the names applied (empty when up to date)."""
    if isinstance(target, str):
        conn = await asyncpg.connect(target)
        try:
            return await _migrate(conn)
        finally:
            await conn.close()
    return await _migrate(target)


async def _migrate(conn: asyncpg.Connection) -> list[str]:
    migrations = load_migrations()
    code_version = migrations[-1].version if migrations else 0
    # Held for the whole run, so concurrent callers apply each file once, in order.
    await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
    try:
        await conn.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """
        )
        rows = await conn.fetch("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
        applied = {row["version"]: row for row in rows}
        db_version = max(applied, default=0)
        if db_version > code_version:
            raise SchemaTooNew(db_version, code_version)
        known = {m.version: m for m in migrations}
        for version, row in applied.items():
            migration = known.get(version)
            if migration is None:
                raise SchemaTooNew(version, code_version)
            if migration.checksum != row["checksum"]:
                raise MigrationChecksumMismatch(
                    f"migration {migration.name} changed after it was applied "
                    f"(database checksum {row['checksum'][:12]}, file {migration.checksum[:12]})"
                )
        done: list[str] = []
        for migration in migrations:
            if migration.version in applied:
                continue
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
            log.info("migration applied", migration=migration.name)
            done.append(migration.name)
        return done
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
