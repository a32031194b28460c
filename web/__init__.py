"""The engine's web pages (trang web), served by the API process: server-rendered Jinja2 templates
in Vietnamese (default) and English, over the API's own command path, access policy and reads.

``router`` holds every page; ``api.app.create_app`` includes it.
"""

from __future__ import annotations

from web import accounts, auth, board, journey, reports, scoring, work  # noqa: F401  # each adds its pages
from web.pages import router

__all__ = ["router"]
