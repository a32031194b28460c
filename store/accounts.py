"""Accounts of actors (tài khoản): stopping an actor, rotating its token, and page sign-in with a
user name, a password and a TOTP second factor.

Every change an administrator (or the actor) makes is recorded on the actor's stream of the
decision log (``actor:<id>``) in the same transaction as the change itself: the log never says
an actor was stopped while its token still works, nor the reverse. The events carry ids only;
the user name (possibly a person's name), the password's hash and the TOTP secret stay in the
``accounts`` table, and tokens and session secrets are kept only as SHA-256.

Lock-out: each sign-in attempt is counted *before* its password or code is checked, and the
attempt that reaches the limit sets the lock, so attempts sent at once cannot get past the limit.
A success clears the count (and a lock set by the attempt that succeeded).
"""

from __future__ import annotations

import asyncio
import secrets
import unicodedata
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import asyncpg
import pyotp
import structlog
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from schemas.accounts import (
    ActorDeactivated,
    ActorReactivated,
    ContactLinked,
    PasswordChanged,
    PasswordReset,
    SecondFactorEnrolled,
    SignInOpened,
    TokenRotated,
)
from schemas.log import Actor, EventMetadata, NewEvent, StreamRef
from schemas.refusals import Reason
from store.actors import ACTOR_COLUMNS, ActorRecord, token_hash
from store.errors import StoreError
from store.events import Connection, EventStore

log = structlog.get_logger(__name__)

AccountEvent = (
    ActorDeactivated
    | ActorReactivated
    | TokenRotated
    | SignInOpened
    | PasswordReset
    | PasswordChanged
    | SecondFactorEnrolled
    | ContactLinked
)

_hasher = PasswordHasher()
TOTP_ISSUER = "OCOP"


@cache
def _dummy_hash() -> str:
    """Checked against when the user name is unknown, so that an unknown name takes as long as a
    wrong password (and does not tell which names exist)."""
    return _hasher.hash(secrets.token_urlsafe(16))


class UnknownActor(StoreError):
    """No actor has this id; ``why`` its reason (schemas/refusals.py)."""

    def __init__(self, message: str | Reason) -> None:
        self.why = message if isinstance(message, Reason) else None
        super().__init__(self.why.message if self.why is not None else message)


class AccountRefused(StoreError):
    """The change cannot be made in the account's present state (e.g. deactivating twice);
    ``why`` its reason (schemas/refusals.py)."""

    def __init__(self, message: str | Reason, code: str) -> None:
        self.why = message if isinstance(message, Reason) else None
        super().__init__(self.why.message if self.why is not None else message)
        self.code = code


def normal_user_name(user_name: str) -> str:
    """A user name as compared and kept: NFC (one spelling of each Vietnamese letter), no outer spaces."""
    return unicodedata.normalize("NFC", user_name).strip()


def first_password() -> str:
    """A random first password (about 95 bits), easy to read out: four groups of five letters/digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


@dataclass(frozen=True)
class SignInPolicy:
    """The settings that govern sign-in (from ``settings.Settings``)."""

    max_failures: int
    lockout: timedelta
    session_lifetime: timedelta
    second_factor_roles: frozenset[str]


@dataclass(frozen=True)
class Attempt:
    """What a password or code check found. ``actor_id`` is set on success."""

    actor_id: str | None = None
    locked_until: datetime | None = None
    deactivated: bool = False

    @property
    def ok(self) -> bool:
        return self.actor_id is not None


@dataclass(frozen=True)
class SignedInSession:
    """A page session as read at each request, with what the actor must still do."""

    actor: ActorRecord
    second_factor: bool
    must_change_password: bool
    enrolled: bool

    def step(self, policy: SignInPolicy) -> str | None:
        """What the session must do before any page: 'code' (give the TOTP code), 'password'
        (choose a password), 'enrol' (enrol TOTP); None when nothing is left."""
        if self.enrolled and not self.second_factor:
            return "code"
        if self.must_change_password:
            return "password"
        if not self.enrolled and self.actor.role in policy.second_factor_roles:
            return "enrol"
        return None


@dataclass(frozen=True)
class Change:
    """An account change as committed: the actor after it, and whether it was a replay (the
    idempotency key had been used: nothing new was written)."""

    actor: ActorRecord
    replayed: bool = False


class AccountStore:
    """Stop actors, rotate tokens, keep page sign-ins and their sessions."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.events = EventStore(pool)

    # -- changes recorded on the actor's stream --------------------------------------------------

    async def _recorded(
        self,
        actor_id: str,
        by: Actor | None,
        key: str,
        change: Callable[[Connection, ActorRecord], Awaitable[AccountEvent]],
    ) -> Change:
        """Lock the actor, make ``change`` (which returns the event saying what it did), and append
        the event in the same transaction, decided ``by`` an administrator (None: the actor
        themself). A replayed key rolls the change back."""
        async with self.pool.acquire() as conn:
            transaction = conn.transaction()
            await transaction.start()
            try:
                row = await conn.fetchrow(
                    f"SELECT {ACTOR_COLUMNS} FROM actors WHERE actor_id = $1 FOR UPDATE", actor_id
                )
                if row is None:
                    raise UnknownActor(Reason("accounts.unknown_actor", actor=repr(actor_id)))
                record = ActorRecord(**dict(row))
                by = by or Actor(id=record.actor_id, role=record.role)
                event = await change(conn, record)
                stream = StreamRef(type="actor", id=actor_id)
                # The actor's row lock serializes every writer of this stream: the version read
                # here is the one the append finds.
                version = int(
                    await conn.fetchval(
                        "SELECT version FROM streams WHERE stream_type = 'actor' AND stream_id = $1", actor_id
                    )
                    or 0
                )
                envelope = NewEvent(
                    event_id=uuid.uuid4(),
                    type=event.type,
                    data=event.model_dump(mode="json", exclude={"type"}),
                    metadata=EventMetadata(actor=by, update_id=key),
                )
                receipt = await self.events.append(stream, version, [envelope], key, connection=conn)
                after = await conn.fetchrow(
                    f"SELECT {ACTOR_COLUMNS} FROM actors WHERE actor_id = $1", actor_id
                )
            except BaseException:
                await transaction.rollback()
                raise
            if receipt.replayed:
                await transaction.rollback()
                current = await self.actor(actor_id)
                assert current is not None
                return Change(current, replayed=True)
            await transaction.commit()
        assert after is not None
        log.info("account_changed", actor_id=actor_id, change=event.type, by=by.id)
        return Change(ActorRecord(**dict(after)))

    async def actor(self, actor_id: str) -> ActorRecord | None:
        row = await self.pool.fetchrow(f"SELECT {ACTOR_COLUMNS} FROM actors WHERE actor_id = $1", actor_id)
        return ActorRecord(**dict(row)) if row is not None else None

    async def signs_in(self, actor_id: str) -> bool:
        found: bool = await self.pool.fetchval(
            "SELECT EXISTS (SELECT 1 FROM accounts WHERE actor_id = $1)", actor_id
        )
        return found

    async def deactivate(self, actor_id: str, by: Actor, key: str) -> Change:
        """Stop the actor: its token and its open page sessions are refused from the next request."""

        async def change(conn: Connection, actor: ActorRecord) -> AccountEvent:
            if not actor.active:
                raise AccountRefused(Reason("accounts.inactive", actor=repr(actor_id)), "ActorInactive")
            await conn.execute("UPDATE actors SET deactivated_at = now() WHERE actor_id = $1", actor_id)
            await conn.execute("DELETE FROM account_sessions WHERE actor_id = $1", actor_id)
            return ActorDeactivated(actor_id=actor_id)

        return await self._recorded(actor_id, by, key, change)

    async def link_contact(
        self, actor_id: str, party_id: uuid.UUID, language: str | None, by: Actor, key: str
    ) -> Change:
        """Send the actor's notices to the party's contact details (the parties table), their
        e-mails in ``language``; recorded as ``contact_linked`` (the party's id only)."""

        async def change(conn: Connection, actor: ActorRecord) -> AccountEvent:
            known = await conn.fetchval(
                "SELECT erased_at IS NULL FROM parties WHERE party_id = $1 FOR SHARE", party_id
            )
            if not known:
                raise AccountRefused(Reason("accounts.unknown_party", party=party_id), "UnknownParty")
            await conn.execute(
                """INSERT INTO actor_parties (actor_id, party_id, language) VALUES ($1, $2, $3)
                ON CONFLICT (actor_id) DO UPDATE
                    SET party_id = EXCLUDED.party_id, language = EXCLUDED.language, linked_at = now()""",
                actor_id,
                party_id,
                language,
            )
            return ContactLinked(actor_id=actor_id, party_id=party_id, language=language)

        return await self._recorded(actor_id, by, key, change)

    async def reactivate(self, actor_id: str, by: Actor, key: str) -> Change:
        async def change(conn: Connection, actor: ActorRecord) -> AccountEvent:
            if actor.active:
                raise AccountRefused(Reason("accounts.active", actor=repr(actor_id)), "ActorActive")
            await conn.execute("UPDATE actors SET deactivated_at = NULL WHERE actor_id = $1", actor_id)
            return ActorReactivated(actor_id=actor_id)

        return await self._recorded(actor_id, by, key, change)

    async def rotate_token(self, actor_id: str, by: Actor, key: str) -> tuple[Change, str | None]:
        """Give the actor a new token (its lifetime starts now); the old one is refused at once.
        The token is returned this once (None on a replay: it was never stored)."""
        token = secrets.token_urlsafe(32)

        async def change(conn: Connection, actor: ActorRecord) -> AccountEvent:
            await conn.execute(
                "UPDATE actors SET token_hash = $2, token_issued_at = now() WHERE actor_id = $1",
                actor_id,
                token_hash(token),
            )
            return TokenRotated(actor_id=actor_id)

        done = await self._recorded(actor_id, by, key, change)
        return done, None if done.replayed else token

    async def open_sign_in(
        self, actor_id: str, user_name: str, by: Actor, key: str
    ) -> tuple[Change, str | None]:
        """Give the actor a page sign-in with a first password (returned this once)."""
        password = first_password()
        name = normal_user_name(user_name)

        async def change(conn: Connection, actor: ActorRecord) -> AccountEvent:
            if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM accounts WHERE actor_id = $1)", actor_id):
                raise AccountRefused(Reason("accounts.sign_in_exists", actor=repr(actor_id)), "SignInExists")
            try:
                async with conn.transaction():
                    await conn.execute(
                        "INSERT INTO accounts (actor_id, user_name, password_hash) VALUES ($1, $2, $3)",
                        actor_id,
                        name,
                        await _hash(password),
                    )
            except asyncpg.UniqueViolationError:
                raise AccountRefused(Reason("accounts.user_name_taken"), "UserNameTaken") from None
            return SignInOpened(actor_id=actor_id)

        done = await self._recorded(actor_id, by, key, change)
        return done, None if done.replayed else password

    async def reset_password(
        self, actor_id: str, by: Actor, key: str, *, clear_second_factor: bool = False
    ) -> tuple[Change, str | None]:
        """A new first password (returned this once), to be changed at the next sign-in; the lock
        and the open sessions end; with ``clear_second_factor`` the TOTP is enrolled again."""
        password = first_password()

        async def change(conn: Connection, actor: ActorRecord) -> AccountEvent:
            status = await conn.execute(
                """UPDATE accounts SET password_hash = $2, must_change_password = true,
                    failed_attempts = 0, locked_until = NULL,
                    totp_secret = CASE WHEN $3 THEN NULL ELSE totp_secret END,
                    totp_last_step = CASE WHEN $3 THEN NULL ELSE totp_last_step END
                WHERE actor_id = $1""",
                actor_id,
                await _hash(password),
                clear_second_factor,
            )
            if status != "UPDATE 1":
                raise AccountRefused(Reason("accounts.no_sign_in", actor=repr(actor_id)), "NoSignIn")
            await conn.execute("DELETE FROM account_sessions WHERE actor_id = $1", actor_id)
            return PasswordReset(actor_id=actor_id, second_factor_cleared=clear_second_factor)

        done = await self._recorded(actor_id, by, key, change)
        return done, None if done.replayed else password

    async def change_password(
        self, actor_id: str, new_password: str, key: str, *, keep_session: str
    ) -> Change:
        """The actor chose a password; their other sessions end (this one, ``keep_session``, stays)."""

        async def change(conn: Connection, actor: ActorRecord) -> AccountEvent:
            status = await conn.execute(
                """UPDATE accounts SET password_hash = $2, must_change_password = false,
                    password_changed_at = now() WHERE actor_id = $1""",
                actor_id,
                await _hash(new_password),
            )
            if status != "UPDATE 1":
                raise AccountRefused(Reason("accounts.no_sign_in", actor=repr(actor_id)), "NoSignIn")
            await conn.execute(
                "DELETE FROM account_sessions WHERE actor_id = $1 AND session_hash <> $2",
                actor_id,
                token_hash(keep_session),
            )
            return PasswordChanged(actor_id=actor_id)

        return await self._recorded(actor_id, None, key, change)

    async def enrol_second_factor(
        self, actor_id: str, secret: str, code: str, key: str, session: str
    ) -> bool:
        """Keep ``secret`` as the actor's TOTP if ``code`` is its current code; the session counts
        as having given its second factor. False if the code is wrong (nothing is kept)."""
        totp = pyotp.TOTP(secret)
        step = _matching_step(totp, code)
        if step is None:
            return False

        async def change(conn: Connection, actor: ActorRecord) -> AccountEvent:
            status = await conn.execute(
                """UPDATE accounts SET totp_secret = $2, totp_last_step = $3
                WHERE actor_id = $1 AND totp_secret IS NULL""",
                actor_id,
                secret,
                step,
            )
            if status != "UPDATE 1":
                raise AccountRefused(Reason("accounts.second_factor_enrolled"), "SecondFactorEnrolled")
            await conn.execute(
                "UPDATE account_sessions SET second_factor = true WHERE session_hash = $1",
                token_hash(session),
            )
            return SecondFactorEnrolled(actor_id=actor_id)

        await self._recorded(actor_id, None, key, change)
        return True

    # -- sign-in -----------------------------------------------------------------------------------

    async def _count_attempt(self, conn: Connection, actor_id: str, policy: SignInPolicy) -> datetime | None:
        """Count one attempt; None if it may go on, else until when the account is locked. The
        attempt that reaches the limit goes on, and locks the account for the next ones."""
        row = await conn.fetchrow(
            """UPDATE accounts SET
                failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
                locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + $3::interval END
            WHERE actor_id = $1 AND (locked_until IS NULL OR locked_until <= now())
            RETURNING actor_id""",
            actor_id,
            policy.max_failures,
            policy.lockout,
        )
        if row is not None:
            return None
        locked: datetime | None = await conn.fetchval(
            "SELECT locked_until FROM accounts WHERE actor_id = $1", actor_id
        )
        return locked

    async def _succeeded(self, conn: Connection, actor_id: str) -> None:
        await conn.execute(
            "UPDATE accounts SET failed_attempts = 0, locked_until = NULL WHERE actor_id = $1", actor_id
        )

    async def check_password(self, user_name: str, password: str, policy: SignInPolicy) -> Attempt:
        """Check a user name and password. A locked account is refused without looking at the
        password; a deactivated actor is refused after it."""
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(
                """SELECT c.actor_id, c.password_hash, a.deactivated_at FROM accounts c
                JOIN actors a USING (actor_id) WHERE lower(c.user_name) = lower($1)""",
                normal_user_name(user_name),
            )
            if row is None:
                await _verify(_dummy_hash(), password)
                return Attempt()
            actor_id = row["actor_id"]
            locked = await self._count_attempt(conn, actor_id, policy)
            if locked is not None:
                return Attempt(locked_until=locked)
            if not await _verify(row["password_hash"], password):
                locked = await conn.fetchval(
                    "SELECT locked_until FROM accounts WHERE actor_id = $1", actor_id
                )
                log.info("sign_in_refused", actor_id=actor_id, locked=locked is not None)
                return Attempt(locked_until=locked)
            await self._succeeded(conn, actor_id)
            if _hasher.check_needs_rehash(row["password_hash"]):
                await conn.execute(
                    "UPDATE accounts SET password_hash = $2 WHERE actor_id = $1",
                    actor_id,
                    await _hash(password),
                )
            if row["deactivated_at"] is not None:
                return Attempt(deactivated=True)
            return Attempt(actor_id=actor_id)

    async def check_code(self, actor_id: str, code: str, session: str, policy: SignInPolicy) -> Attempt:
        """Check the actor's TOTP code (each code once); on success the session has its second factor."""
        async with self.pool.acquire() as conn:
            secret = await conn.fetchval("SELECT totp_secret FROM accounts WHERE actor_id = $1", actor_id)
            if secret is None:
                return Attempt()
            locked = await self._count_attempt(conn, actor_id, policy)
            if locked is not None:
                return Attempt(locked_until=locked)
            step = _matching_step(pyotp.TOTP(secret), code)
            used = step is not None and await conn.fetchval(
                """UPDATE accounts SET totp_last_step = $2 WHERE actor_id = $1
                    AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING true""",
                actor_id,
                step,
            )
            if not used:
                locked = await conn.fetchval(
                    "SELECT locked_until FROM accounts WHERE actor_id = $1", actor_id
                )
                log.info("second_factor_refused", actor_id=actor_id, locked=locked is not None)
                return Attempt(locked_until=locked)
            await self._succeeded(conn, actor_id)
            await conn.execute(
                "UPDATE account_sessions SET second_factor = true WHERE session_hash = $1 AND actor_id = $2",
                token_hash(session),
                actor_id,
            )
            return Attempt(actor_id=actor_id)

    async def verify_password(self, actor_id: str, password: str) -> bool:
        """True if ``password`` is the actor's present one (to refuse reusing it)."""
        stored = await self.pool.fetchval("SELECT password_hash FROM accounts WHERE actor_id = $1", actor_id)
        return stored is not None and await _verify(stored, password)

    async def user_name(self, actor_id: str) -> str | None:
        name: str | None = await self.pool.fetchval(
            "SELECT user_name FROM accounts WHERE actor_id = $1", actor_id
        )
        return name

    # -- page sessions -----------------------------------------------------------------------------

    async def open_session(self, actor_id: str, policy: SignInPolicy) -> str:
        """A new page session for the actor; its secret (for the cookie) is returned, its hash kept."""
        secret = secrets.token_urlsafe(32)
        await self.pool.execute("DELETE FROM account_sessions WHERE expires_at <= now()")
        await self.pool.execute(
            """INSERT INTO account_sessions (session_hash, actor_id, expires_at)
            VALUES ($1, $2, now() + $3::interval)""",
            token_hash(secret),
            actor_id,
            policy.session_lifetime,
        )
        return secret

    async def session(self, secret: str) -> SignedInSession | None:
        """The session holding ``secret`` if it is open and its actor active; read at every request."""
        row = await self.pool.fetchrow(
            f"""SELECT {", ".join("a." + c.strip() for c in ACTOR_COLUMNS.split(","))},
                s.second_factor, c.must_change_password, c.totp_secret IS NOT NULL AS enrolled
            FROM account_sessions s JOIN actors a USING (actor_id) JOIN accounts c USING (actor_id)
            WHERE s.session_hash = $1 AND s.expires_at > now() AND a.deactivated_at IS NULL""",
            token_hash(secret),
        )
        if row is None:
            return None
        values = dict(row)
        flags = {name: values.pop(name) for name in ("second_factor", "must_change_password", "enrolled")}
        return SignedInSession(actor=ActorRecord(**values), **flags)

    async def end_session(self, secret: str) -> None:
        await self.pool.execute("DELETE FROM account_sessions WHERE session_hash = $1", token_hash(secret))


async def _hash(password: str) -> str:
    """Argon2id in a worker thread: a hash costs about a second here, and on the event loop it
    would stall every other request of the API process meanwhile."""
    return await asyncio.to_thread(_hasher.hash, password)


async def _verify(stored: str, password: str) -> bool:
    """Check a password against its Argon2id hash in a worker thread (see ``_hash``)."""
    return await asyncio.to_thread(_verify_now, stored, password)


def _verify_now(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _matching_step(totp: pyotp.TOTP, code: str) -> int | None:
    """The time step whose code ``code`` is (this one, or one either side for a clock a little
    off), or None."""
    digits = code.replace(" ", "")
    if not (digits.isascii() and digits.isdigit() and len(digits) == totp.digits):
        return None
    now = datetime.now().timestamp()
    for drift in (0, -1, 1):
        at = now + drift * totp.interval
        if secrets.compare_digest(totp.at(at), digits):
            return int(at // totp.interval)
    return None


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, label: str) -> str:
    """The otpauth:// URI an authenticator app reads (shown as text; ``label`` is the actor id)."""
    return pyotp.TOTP(secret).provisioning_uri(name=label, issuer_name=TOTP_ISSUER)
