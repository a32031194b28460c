"""Schema migrations: in order, once, safe to race, and refusing a database they do not know."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from store import MigrationChecksumMismatch, SchemaTooNew, migrate
from store.migrations import load_migrations


async def _applied(url: str) -> list[tuple[int, str]]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT version, name FROM schema_migrations ORDER BY version")
        return [(row["version"], row["name"]) for row in rows]
    finally:
        await conn.close()


async def test_migrate_applies_every_file_once(database_url: str) -> None:
    shipped = [(m.version, m.name) for m in load_migrations()]

    first = await migrate(database_url)
    second = await migrate(database_url)

    assert first == [name for _, name in shipped]
    assert first[0] == "0001_decision_log"
    assert second == []
    assert await _applied(database_url) == shipped


async def test_two_concurrent_migrations_both_succeed_with_one_schema(database_url: str) -> None:
    results = await asyncio.gather(migrate(database_url), migrate(database_url))

    assert sorted(results, key=len) == [[], [m.name for m in load_migrations()]]
    assert await _applied(database_url) == [(m.version, m.name) for m in load_migrations()]


async def test_a_database_from_newer_code_is_refused(migrated_database_url: str) -> None:
    conn = await asyncpg.connect(migrated_database_url)
    try:
        await conn.execute(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'future', 'x')"
        )
    finally:
        await conn.close()

    with pytest.raises(SchemaTooNew) as caught:
        await migrate(migrated_database_url)

    assert caught.value.db_version == 9999
    assert caught.value.code_version == load_migrations()[-1].version


async def test_a_changed_migration_file_is_refused(migrated_database_url: str) -> None:
    conn = await asyncpg.connect(migrated_database_url)
    try:
        await conn.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")
        with pytest.raises(MigrationChecksumMismatch, match="0001_decision_log"):
            await migrate(conn)
    finally:
        await conn.close()
