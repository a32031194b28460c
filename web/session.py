"""The browser session: who signed in, in a cookie, and the CSRF token of its forms.

The session cookie is ``__Host-`` prefixed, Secure, HttpOnly and SameSite=Strict: only this
origin, over a secure connection (or loopback), can set it, and scripts cannot read it. Its value
is a random nonce, followed once the actor has signed in either by ``.`` and their bearer token
(integrators' sign-in) or by ``:`` and the secret of an account session (user name and password;
the server keeps only its hash, see ``store.accounts``). Either is checked again at every
request, so a deactivated actor or an expired token is signed out at once. A new nonce is drawn
at every sign-in and sign-out.

Every POST form carries a CSRF token: an HMAC-SHA256 of a fixed label keyed with the session
cookie's value. Another site can neither read the cookie nor set it (the prefix forbids a
sibling domain to), so it cannot compute the token; and no server secret is needed, so any API
process checks any other's forms.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request, Response

from settings import Settings
from store.accounts import SignInPolicy
from web.i18n import DEFAULT_LANGUAGE, LANGUAGES

SESSION_COOKIE = "__Host-ocop_session"
LANG_COOKIE = "__Host-ocop_lang"
_CSRF_LABEL = b"ocop-web-csrf-v1"
_PART = re.compile(r"^[A-Za-z0-9_-]{1,200}$")
LANG_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Session:
    """What the session cookie holds; ``fresh`` until the browser has it."""

    nonce: str
    token: str | None = None
    fresh: bool = False
    account: str | None = None

    @property
    def value(self) -> str:
        if self.account:
            return f"{self.nonce}:{self.account}"
        return f"{self.nonce}.{self.token}" if self.token else self.nonce

    @property
    def csrf(self) -> str:
        """The token every form of this session carries."""
        mac = hmac.new(self.value.encode("ascii"), _CSRF_LABEL, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")

    def accepts(self, submitted: object) -> bool:
        """True if ``submitted`` is this session's CSRF token (constant-time)."""
        return isinstance(submitted, str) and hmac.compare_digest(submitted.encode(), self.csrf.encode())


def new_session(token: str | None = None, *, account: str | None = None) -> Session:
    return Session(nonce=secrets.token_urlsafe(16), token=token, fresh=True, account=account)


def read_session(request: Request) -> Session:
    """The session the browser sent, or a new anonymous one."""
    raw = request.cookies.get(SESSION_COOKIE, "")
    if ":" in raw:
        nonce, _, account = raw.partition(":")
        if _PART.match(nonce) and _PART.match(account):
            return Session(nonce=nonce, account=account)
        return new_session()
    nonce, _, token = raw.partition(".")
    if _PART.match(nonce) and (not token or _PART.match(token)):
        return Session(nonce=nonce, token=token or None)
    return new_session()


def keep_session(response: Response, session: Session) -> None:
    """Send the session cookie (a session cookie: it ends with the browser session)."""
    response.set_cookie(
        SESSION_COOKIE, session.value, path="/", secure=True, httponly=True, samesite="strict"
    )


def language_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def keep_language(response: Response, lang: str) -> None:
    response.set_cookie(
        LANG_COOKIE, lang, max_age=LANG_MAX_AGE, path="/", secure=True, httponly=True, samesite="strict"
    )


def sign_in_policy(settings: Settings) -> SignInPolicy:
    """The sign-in rules the settings give (lock-out, session lifetime, who needs a second factor)."""
    return SignInPolicy(
        max_failures=settings.signin_max_failures,
        lockout=timedelta(minutes=settings.signin_lockout_minutes),
        session_lifetime=timedelta(hours=settings.session_hours),
        second_factor_roles=frozenset(settings.second_factor_roles),
    )
