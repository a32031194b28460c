"""Fixtures of the API's tests only; the ``api`` fixture itself is shared from tests/conftest.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.api.harness import Api, Caller

if TYPE_CHECKING:
    from tests.api.cast import Cast

# Api and Caller live in tests.api.harness; they are named here too only until the test modules
# other engineers are editing today import them from there (then this line goes, and the import of
# tests.api.cast, which imports this module meanwhile, moves to the top).
__all__ = ["Api", "Caller", "cast"]


@pytest.fixture
async def cast(api: Api) -> Cast:
    """The cast of actors of tests.api.cast, made on the test's API."""
    from tests.api.cast import make_cast

    return await make_cast(api)
