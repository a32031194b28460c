"""The engine's web pages (trang web), served by the API process: server-rendered Jinja2 templates
in Vietnamese (default) and English, over the API's own command path, access policy and reads.

``router`` holds every page; ``api.app.create_app`` includes it. Each module of pages has its own
router (``web.pages.page_router``) and is included here by name: a module left out serves nothing
(tests/test_wiring.py fails). Routes are tried in this order, so the board's
``/{kind}/{ident:path}/board`` comes after the actors' pages and before the journey's steps.
"""

from __future__ import annotations

from fastapi import APIRouter

from web import (
    accounts,
    auth,
    authority,
    board,
    documents,
    exports,
    ideas,
    inbox,
    inspections,
    journey,
    membership,
    pages,
    printed,
    registry,
    reports,
    rounds,
    rulebooks,
    scoring,
    self_assessment,
    statistics,
    verification,
    work,
)

router = APIRouter()
router.include_router(pages.router)
router.include_router(registry.router)  # the public registry: no sign-in
router.include_router(accounts.router)
router.include_router(auth.router)
router.include_router(board.router)
router.include_router(scoring.router)
router.include_router(self_assessment.router)
router.include_router(documents.router)
router.include_router(journey.router)
router.include_router(exports.router)  # workbooks (.xlsx) of the reports and lists
router.include_router(reports.router)
router.include_router(statistics.router)
router.include_router(inspections.router)  # products due an inspection (qd26-2026 Art. 9)
router.include_router(work.router)
router.include_router(inbox.router)
router.include_router(membership.router)  # a council's seats and conflicts
router.include_router(rounds.router)
router.include_router(authority.router)  # one decision for several products
router.include_router(printed.router)  # PDFs printed from the log (api.services.printed)
router.include_router(ideas.router)
router.include_router(rulebooks.router)  # the shipped rulebooks, read only
router.include_router(verification.router)  # the whole log's verification (national auditors)

__all__ = ["router"]
