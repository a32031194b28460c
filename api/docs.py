"""The API's documentation pages, served offline: ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc).

FastAPI's own pages load Swagger UI and ReDoc from a CDN, which these machines and many government
networks cannot reach (a blank page). Here their files come from the ``fastapi-offline`` wheel,
installed with the engine (its ``static`` folder: Swagger UI's bundle and style sheet, ReDoc's
standalone script, MIT-licensed like the projects they are built from); only those files are used,
the app stays FastAPI's. The start-up code is a static file of the pages (``web/static``), so the
pages' policy of no inline script holds here too.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, Response
from fastapi.responses import FileResponse, HTMLResponse

router = APIRouter(include_in_schema=False)

ASSETS = Path(str(resources.files("fastapi_offline") / "static"))
ASSET_TYPES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
# Scripts from this origin only; Swagger UI and ReDoc set styles of their own (style attributes
# and <style> elements they write), and draw icons from data: URLs.
DOCS_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; worker-src 'self' blob:; font-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
}
_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/png" href="/docs/assets/favicon.png">
{head}
</head>
<body>
<div id="{root}" data-openapi="/openapi.json"></div>
{scripts}
</body>
</html>
"""


@router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    """Swagger UI over ``/openapi.json``, from the installed files."""
    html = _PAGE.format(
        title="OCOP evaluation engine — API",
        head='<link rel="stylesheet" href="/docs/assets/swagger-ui.css">',
        root="swagger-ui",
        scripts='<script src="/docs/assets/swagger-ui-bundle.js"></script>\n'
        '<script src="/static/docs-swagger.js"></script>',
    )
    return HTMLResponse(html, headers=DOCS_HEADERS)


@router.get("/redoc")
async def redoc() -> HTMLResponse:
    """ReDoc over ``/openapi.json``, from the installed files."""
    html = _PAGE.format(
        title="OCOP evaluation engine — API (ReDoc)",
        head="",
        root="redoc",
        scripts='<script src="/docs/assets/redoc.standalone.js"></script>\n'
        '<script src="/static/docs-redoc.js"></script>',
    )
    return HTMLResponse(html, headers=DOCS_HEADERS)


@router.get("/docs/assets/{name}")
async def asset(name: str) -> Response:
    """One of the fixed set of Swagger UI's and ReDoc's files (nothing else is served)."""
    media_type = ASSET_TYPES.get(name)
    path = ASSETS / name
    if media_type is None or not path.is_file():
        return Response(status_code=404)
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"})
