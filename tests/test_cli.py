"""The ``ocop`` command line against a real database: migrate, history, verify."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal

import asyncpg
import pytest
from typer.testing import CliRunner, Result

from cli import app
from store import EventStore
from store.migrations import load_migrations
from tests.store.helpers import journey, key, new_event

pytestmark = pytest.mark.usefixtures("fresh_settings_and_logging")


def ocop(*args: str, url: str | None) -> Result:
    return CliRunner().invoke(app, list(args), env={"OCOP_DATABASE_URL": url, "OCOP_LOG_LEVEL": "WARNING"})


@pytest.fixture
async def log_url(event_store: EventStore, migrated_database_url: str) -> str:
    """A migrated database holding two journeys."""
    await event_store.append(journey("J-1"), 0, [new_event("DossierSubmitted")], key())
    await event_store.append(
        journey("J-1"),
        1,
        [new_event("DossierScored", score=Decimal("91.25")), new_event("RecognitionGranted")],
        key(),
    )
    await event_store.append(journey("J-2"), 0, [new_event()], key())
    return migrated_database_url


def test_migrate_prints_what_it_applied(database_url: str) -> None:
    first = ocop("migrate", url=database_url)
    again = ocop("migrate", url=database_url)

    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [f"applied {m.name}" for m in load_migrations()]
    assert again.exit_code == 0
    assert again.stdout.strip() == "schema up to date"


def test_database_url_option_wins_over_nothing(database_url: str) -> None:
    result = ocop("migrate", "--database-url", database_url, url=None)
    assert result.exit_code == 0, result.output
    assert "applied 0001_decision_log" in result.stdout


def test_no_database_is_a_clear_error() -> None:
    result = ocop("verify", url=None)
    assert result.exit_code == 2
    assert "OCOP_DATABASE_URL" in result.stderr


def test_an_unmigrated_database_points_to_migrate(database_url: str) -> None:
    result = ocop("verify", url=database_url)
    assert result.exit_code == 2
    assert "run `ocop migrate`" in result.stderr


def test_history_shows_who_decided_what(log_url: str) -> None:
    result = ocop("history", "journey:J-1", url=log_url)

    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.split() == [
        "version",
        "position",
        "time",
        "(UTC)",
        "type",
        "actor",
        "authority",
        "reason",
        "hash",
    ]
    assert [row.split()[0] for row in rows] == ["1", "2", "3"]
    assert [row.split()[4] for row in rows] == ["DossierSubmitted", "DossierScored", "RecognitionGranted"]
    assert all("party-7/council_member" in row and "province:HN" in row for row in rows)


def test_history_as_json(log_url: str) -> None:
    result = ocop("history", "journey:J-1", "--json", "--to-version", "2", url=log_url)

    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout, parse_float=Decimal)
    assert [e["version"] for e in events] == [1, 2]
    assert events[1]["data"]["score"] == Decimal("91.25")
    assert events[1]["prev_hash"] == events[0]["hash"]
    assert events[0]["stream"] == {"type": "journey", "id": "J-1"}


def test_history_of_an_unknown_stream(log_url: str) -> None:
    result = ocop("history", "journey:nobody", url=log_url)
    assert result.exit_code == 1
    assert "has no events" in result.stderr
    bad = ocop("history", "J-1", url=log_url)
    assert bad.exit_code == 2
    assert "type:id" in bad.output


def test_verify_passes_then_names_the_tampered_event(log_url: str) -> None:
    intact = ocop("verify", url=log_url)
    assert intact.exit_code == 0, intact.output
    assert intact.stdout.strip() == "intact: 4 events in 2 streams verified"

    asyncio.run(_tamper(log_url))

    broken = ocop("verify", url=log_url)
    assert broken.exit_code == 1
    assert "journey:J-1 version 2: hash does not match content (edited?)" in broken.stdout
    one = ocop("verify", "journey:J-1", url=log_url)
    assert one.exit_code == 1
    assert "journey:J-1 version 2" in one.stdout
    other = ocop("verify", "journey:J-2", url=log_url)
    assert other.exit_code == 0
    assert "intact: 1 event in 1 stream verified" in other.stdout


async def _tamper(url: str) -> None:
    """What a superuser could do by hand: lift the append-only guard and raise a score."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SET session_replication_role = replica")
        await conn.execute(
            """UPDATE events SET data = jsonb_set(data, '{score}', '99')
            WHERE stream_id = 'J-1' AND version = 2"""
        )
    finally:
        await conn.close()


# --- ocop actor: stop, rotate, give and reset a page sign-in ------------------------------------


async def _fetch(url: str, query: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return list(await conn.fetch(query, *args))
    finally:
        await conn.close()


def _token_holder(url: str, token: str) -> tuple[str, bool] | None:
    from store.actors import token_hash

    rows = asyncio.run(
        _fetch(
            url,
            "SELECT actor_id, deactivated_at IS NULL AS active FROM actors WHERE token_hash = $1",
            token_hash(token),
        )
    )
    return (rows[0]["actor_id"], rows[0]["active"]) if rows else None


def test_actor_deactivate_reactivate_and_rotate_token(migrated_database_url: str) -> None:
    url = migrated_database_url
    added = ocop(
        "actor", "add", "--role", "provincial_officer", "--jurisdiction", "38", "--id", "cb-38", url=url
    )
    assert added.exit_code == 0, added.output
    token = added.stdout.strip()

    stopped = ocop("actor", "deactivate", "cb-38", url=url)
    assert stopped.exit_code == 0, stopped.output
    assert _token_holder(url, token) == ("cb-38", False)
    twice = ocop("actor", "deactivate", "cb-38", url=url)
    assert twice.exit_code == 1
    assert "deactivated already" in twice.stderr
    assert ocop("actor", "reactivate", "cb-38", url=url).exit_code == 0
    assert _token_holder(url, token) == ("cb-38", True)

    rotated = ocop("actor", "rotate-token", "cb-38", url=url)
    assert rotated.exit_code == 0, rotated.output
    new_token = rotated.stdout.strip()
    assert _token_holder(url, token) is None
    assert _token_holder(url, new_token) == ("cb-38", True)
    assert ocop("actor", "deactivate", "nobody", url=url).exit_code == 1

    events = asyncio.run(
        _fetch(
            url,
            "SELECT type, metadata->'actor' AS by, data FROM events "
            "WHERE stream_type = 'actor' AND stream_id = 'cb-38' ORDER BY version",
        )
    )
    assert [e["type"] for e in events] == ["actor_deactivated", "actor_reactivated", "token_rotated"]
    assert all(json.loads(e["by"]) == {"id": "ocop-cli", "role": "system"} for e in events)
    assert all(json.loads(e["data"]) == {"actor_id": "cb-38"} for e in events)
    assert ocop("verify", "actor:cb-38", url=url).exit_code == 0
    assert "token_rotated" in ocop("history", "actor:cb-38", url=url).stdout


def test_actor_set_password_gives_a_first_password_then_resets_it(migrated_database_url: str) -> None:
    url = migrated_database_url
    assert (
        ocop(
            "actor", "add", "--role", "administrator", "--jurisdiction", "VN", "--id", "qt", url=url
        ).exit_code
        == 0
    )

    no_name = ocop("actor", "set-password", "qt", url=url)
    assert no_name.exit_code == 2
    assert "--user-name" in no_name.output
    opened = ocop("actor", "set-password", "qt", "--user-name", "Quản Trị", url=url)
    assert opened.exit_code == 0, opened.output
    first = opened.stdout.strip()
    reset = ocop("actor", "set-password", "qt", "--clear-second-factor", url=url)
    assert reset.exit_code == 0, reset.output
    second = reset.stdout.strip()

    assert len(first) >= 20
    assert second != first
    account = asyncio.run(_fetch(url, "SELECT user_name, password_hash, must_change_password FROM accounts"))
    assert [(a["user_name"], a["must_change_password"]) for a in account] == [("Quản Trị", True)]
    assert account[0]["password_hash"].startswith("$argon2id$")
    log = str(asyncio.run(_fetch(url, "SELECT type, data, metadata FROM events")))
    assert "sign_in_opened" in log
    assert "password_reset" in log
    for secret in ("Quản Trị", first, second, account[0]["password_hash"]):
        assert secret not in log
