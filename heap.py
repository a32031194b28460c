"""The garbage collector in a long-running process (the API, the worker).

CPython's full collection walks every tracked object: in a served process that is mostly what
start-up made and never frees (modules, pydantic validators, FastAPI routes, rulebooks), about
140,000 objects. Reading a page of 500 events allocates enough containers to trigger one now and
then, and that page then takes ~100 ms instead of ~10 (bench/audit.py, feed page p99).

Once start-up is done, ``settle_startup_heap`` freezes that heap (``gc.freeze``): later
collections walk only what was made since, and cyclic garbage is still collected. Measured on a
page of 500 events from a log of a million, one reader (bench/audit.py, nine runs on a 2-CPU VM
whose speed varied twofold): p99 89-130 ms as CPython starts, 13-25 ms frozen. (A larger first
generation, 2,000 or 10,000 instead of CPython's 700, made it worse: each collection of the
middle generation then walks many pages' objects at once.)
"""

from __future__ import annotations

import gc

import structlog

log = structlog.get_logger(__name__)


def settle_startup_heap() -> int:
    """Collect once, then freeze every object alive now; the number of objects frozen.

    Call it once start-up is done (connections open, app built), not per request: an object
    frozen is never collected, even when it later becomes garbage."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.info("startup_heap_frozen", objects=frozen)
    return frozen
