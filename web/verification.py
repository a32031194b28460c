"""The whole log's verification as a page (kiểm tra toàn bộ nhật ký quyết định): a national auditor
recomputes every stream's hash chain and reads, in their language, that the log is intact or which
streams broke where.

The check is ``GET /v1/verify``'s (``api.services.log.verification``): its access rule (national log
readers only, ``access.check_read_log``) and ``store.verify_all`` over one snapshot. The GET shows
the form (refusing anyone else with the rule's own words); the POST runs it, since a pass over the
whole log is long work, not something a link should start.
"""

from __future__ import annotations

from fastapi import Response

from api import access
from api.services import log
from web.pages import PostedForm, SignedIn, page_router

router = page_router()  # this module's pages; web/__init__.py includes them


@router.get("/audit/verify")
async def verify_page(page: SignedIn) -> Response:
    """The form that runs the whole log's verification."""
    access.check_read_log(page.me)
    return page.render("verify.html", report=None)


@router.post("/audit/verify")
async def verify_run(page: SignedIn, form: PostedForm) -> Response:
    """Runs the verification and shows its report."""
    report = await log.verification(page.engine, page.me)
    return page.render("verify.html", report=report)
