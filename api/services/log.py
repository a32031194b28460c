"""The decision log as a whole for a reader: the verification of every stream's hash chain."""

from __future__ import annotations

from api import access
from api.engine import Engine
from schemas.api import VerificationView
from store import verify_all


async def verification(engine: Engine, reader: access.Principal) -> VerificationView:
    """Every stream's hash chain recomputed, naming the first broken link of each broken stream;
    for a reader of the whole log."""
    access.check_read_log(reader)
    report = await verify_all(await engine.pool())
    return VerificationView(
        ok=report.ok,
        streams_checked=report.streams_checked,
        events_checked=report.events_checked,
        broken=report.broken,
    )
