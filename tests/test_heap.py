"""heap.settle_startup_heap: the start-up heap leaves the collector's sight, garbage made later
is still collected. Run in a child interpreter: freezing is for the life of a process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent(
    """
    import gc, weakref
    import api.app  # a served process's start-up heap
    from heap import settle_startup_heap

    frozen = settle_startup_heap()
    assert frozen == gc.get_freeze_count() > 50_000, frozen
    tracked_after = len(gc.get_objects())
    assert tracked_after < 1_000, tracked_after

    class Node:
        pass

    first, second = Node(), Node()
    first.other, second.other = second, first  # a cycle: only the collector frees it
    gone = weakref.ref(first)
    del first, second
    gc.collect()
    assert gone() is None, "a cycle made after settling was not collected"
    print("ok", frozen, tracked_after)
    """
)


def test_the_start_up_heap_is_frozen_and_later_garbage_still_collected() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("ok "), done.stdout
