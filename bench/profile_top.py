"""Summarize a py-spy profile in raw (collapsed-stack) format: where the time went, as text.

    .venv/bin/py-spy record --format raw -o out.txt --pid PID     # or: -- .venv/bin/python bench/...
    .venv/bin/python bench/profile_top.py out.txt --top 25
    .venv/bin/python bench/profile_top.py out.txt --under verify_all   # only stacks through a function

Prints the functions with the most samples, inclusive (the function or anything it called) and
self (the function itself), as shares of all samples kept.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_LINE = re.compile(r"^(.*) (\d+)$")


def _name(frame: str) -> str:
    """``func (path/to/module.py:123)`` -> ``func (module.py)``: one entry a function, not a line."""
    match = re.match(r"^(.*) \((.*?):\d+\)$", frame)
    if not match:
        return frame
    function, path = match.groups()
    parts = Path(path).parts
    return f"{function} ({'/'.join(parts[-2:])})"


def summarize(path: Path, under: str | None, top: int, idle: bool) -> str:
    inclusive: Counter[str] = Counter()
    self_time: Counter[str] = Counter()
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        stack, count = match.group(1).split(";"), int(match.group(2))
        names = [_name(frame) for frame in stack]
        if under is not None:
            hits = [i for i, name in enumerate(names) if name.split(" (")[0].split(".<locals>")[0] == under]
            if not hits:
                continue
            names = names[hits[0] :]
        if not idle and names and names[-1].split(" (")[0] in ("select", "poll", "epoll_wait", "_run_once"):
            continue
        total += count
        for name in set(names):
            inclusive[name] += count
        if names:
            self_time[names[-1]] += count
    if not total:
        return "no samples"
    lines = [f"{total} samples" + (f" under {under}" if under else "") + ("" if idle else " (idle excluded)")]
    lines.append(f"{'inclusive':>10}  function")
    lines += [f"{count / total:>9.1%}  {name}" for name, count in inclusive.most_common(top)]
    lines.append(f"{'self':>10}  function")
    lines += [f"{count / total:>9.1%}  {name}" for name, count in self_time.most_common(top)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("profile", type=Path, help="py-spy output written with --format raw")
    parser.add_argument("--top", type=int, default=25, help="functions listed (default 25)")
    parser.add_argument("--under", help="keep only stacks through this function, rooted there")
    parser.add_argument("--idle", action="store_true", help="keep samples waiting in the event loop")
    args = parser.parse_args()
    print(summarize(args.profile, args.under, args.top, args.idle))


if __name__ == "__main__":
    main()
