"""Fixtures of the API's tests only; the ``api`` fixture itself is shared from tests/conftest.py."""

from __future__ import annotations

import pytest

from tests.api.cast import Cast, make_cast
from tests.api.harness import Api


@pytest.fixture
async def cast(api: Api) -> Cast:
    """The cast of actors of tests.api.cast, made on the test's API."""
    return await make_cast(api)
