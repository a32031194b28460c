"""The session's CSRF token and the redirect targets the pages accept."""

from __future__ import annotations

import pytest

from web.pages import local_path
from web.session import Session, new_session


def test_each_session_has_its_own_csrf_token_and_accepts_only_it() -> None:
    anonymous = new_session()
    signed_in = Session(nonce=anonymous.nonce, token="tok")
    other = new_session("tok")
    tokens = {anonymous.csrf, signed_in.csrf, other.csrf}
    assert len(tokens) == 3  # a sign-in (new nonce, the token) changes the CSRF token
    assert signed_in.accepts(signed_in.csrf)
    assert not signed_in.accepts(anonymous.csrf)
    assert not signed_in.accepts(None)
    assert not signed_in.accepts("")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/journeys/J-1?as_of=2025-01-01", "/journeys/J-1?as_of=2025-01-01"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("journeys", "/"),
        ("/x\r\nSet-Cookie: a=b", "/"),
        (None, "/"),
    ],
)
def test_only_paths_of_this_site_are_redirect_targets(url: str | None, expected: str) -> None:
    assert local_path(url) == expected
