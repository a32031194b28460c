"""What a caller does with the engine, for the API's routes and the pages alike.

A service is a plain function of the caller (``api.access.Principal``), the ``Engine`` and typed
values: it checks the caller's rights, reads or sends the command, and answers a domain value — a
state, a receipt, a table. It knows nothing of HTTP. A route adds what HTTP needs (its parameters,
its status and ``Location``, the Idempotency-Key's request log); a page adds its form and its
template. So the access rules, the scoping and the checks before a command live once, here, and
``tests/test_wiring.py`` fails when a page reaches for a route function instead.

A command's service checks before anything is sent and answers the command to run (``Checked``):
the route runs it under the request's Idempotency-Key (a refusal then claims no key), a page under
the key of its form.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

R = TypeVar("R")

Checked = Callable[[uuid.UUID], Awaitable[R]]
"""A command its service has checked: run it under an idempotency key to record it (the key is the
Temporal update's id and the log's idempotency key: a retry with the same key records nothing twice)."""
