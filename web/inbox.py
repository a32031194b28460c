"""The inbox (hộp thư thông báo): every notice the notifier wrote for the signed-in actor, newest
first, its words drawn from the event in the page's language; read one, or all, with a form."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from fastapi import Response

from api.errors import NotFound
from notifier.follower import notice_words
from notifier.templates import Words
from store.notices import Notice, NoticeStore
from web.pages import PostedForm, SignedIn, page_router

router = page_router()  # this module's pages; web/__init__.py includes them

LIMIT = 100


@dataclass(frozen=True)
class InboxItem:
    """One notice as the inbox shows it."""

    notice_id: uuid.UUID
    words: Words
    at: datetime
    unread: bool
    href: str | None


async def _link(notices: NoticeStore, notice: Notice) -> str | None:
    if notice.event_id is None:
        return "/actors" if notice.kind == "email_failed" else None
    event = await notices.event_of(notice.event_id)
    if event is None:
        return None
    if event["stream_type"] == "journey":
        return f"/journeys/{event['stream_id']}"
    if event["stream_type"] == "round":
        return f"/rounds/{event['stream_id']}/results"
    return None


@router.get("/inbox")
async def inbox_page(page: SignedIn) -> Response:
    """The signed-in actor's notices; no one else's."""
    notices = NoticeStore(await page.engine.pool())
    items: list[InboxItem] = []
    for notice in await notices.inbox(page.me.id, LIMIT):
        words = await notice_words(notices, notice, page.t.lang)
        if words is None:
            continue
        items.append(
            InboxItem(
                notice.notice_id,
                words,
                notice.created_at,
                notice.read_at is None,
                await _link(notices, notice),
            )
        )
    return page.render("inbox.html", items=items, unread=sum(item.unread for item in items))


@router.post("/inbox/read")
async def mark_all_read(page: SignedIn, form: PostedForm) -> Response:
    """Mark every notice of the signed-in actor read."""
    await NoticeStore(await page.engine.pool()).mark_read(page.me.id)
    return page.redirect("/inbox")


@router.post("/inbox/{notice_id}/read")
async def mark_read(notice_id: uuid.UUID, page: SignedIn, form: PostedForm) -> Response:
    """Mark one notice read; a notice of another actor is not found (and left alone)."""
    notices = NoticeStore(await page.engine.pool())
    notice = await notices.get(notice_id)
    if notice is None or notice.recipient != page.me.id or notice.channel != "inbox":
        raise NotFound("no such notice in your inbox")
    await notices.mark_read(page.me.id, notice_id)
    return page.redirect("/inbox")
