"""Temporal's own servers for workflow tests: the ``time_skipping`` fixture is shared by every test
package from tests/conftest.py; this module names it for tests that still import it from here."""

from __future__ import annotations

from tests.conftest import time_skipping

__all__ = ["time_skipping"]
