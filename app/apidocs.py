"""OpenAPI docs at /docs with Swagger UI served from this origin (fastapi-offline's copy)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from app.build import Site
from app.http import security_headers


def install_docs(api: FastAPI, get_site: Callable[[], Site]) -> None:
    """Swagger UI starts with one inline script; the CSP allows exactly that script by its hash."""
    from fastapi_offline.core import _STATIC_PATH

    api.mount("/docs-static", StaticFiles(directory=_STATIC_PATH), name="docs-static")

    @api.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        page = get_swagger_ui_html(
            openapi_url=f"{root}/openapi.json",
            title="Zeven stops — API",
            swagger_js_url=f"{root}/docs-static/swagger-ui-bundle.js",
            swagger_css_url=f"{root}/docs-static/swagger-ui.css",
            swagger_favicon_url=f"{root}/favicon.ico",
        )
        body = bytes(page.body)
        scripts = re.findall(rb"<script>(.*?)</script>", body, re.S)
        digest = base64.b64encode(hashlib.sha256(scripts[-1] if scripts else b"").digest()).decode()
        csp = dict(security_headers(script_hash=f"sha256-{digest}"))[b"content-security-policy"]
        # Swagger UI sets inline styles on its widgets.
        csp = csp.replace(b"style-src 'self'", b"style-src 'self' 'unsafe-inline'")
        return HTMLResponse(body, headers={"content-security-policy": csp.decode()})
