"""The Dutch error answers of FastAPI's routes: JSON {"detail": ...} for the API, the 404 page for people.

The guide's own pages get theirs in app/http.py (PageServer); both use its wordings and its one
trailing-slash redirect.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.build import Site
from app.http import READ_ONLY, WRONG_METHOD, slash_redirect


def install_error_answers(api: FastAPI, site: Callable[[], Site]) -> None:
    """Every error FastAPI raises as a Dutch answer: JSON for the API, the 404 page for people.

    A 404 whose address differs from a route by its final slash is the one trailing-slash
    redirect (app/http.py `slash_redirect`); the guide's own pages get it in PageServer.
    """

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        wants_json = request.url.path.startswith(("/api/", "/oembed")) or "json" in request.headers.get("accept", "")
        if exc.status_code == 404 and request.method not in ("GET", "HEAD"):
            return _error(READ_ONLY, 405, {"allow": "GET, HEAD"})
        path = request.scope["path"].removeprefix(request.scope.get("root_path", "").rstrip("/"))
        if exc.status_code == 404 and path != "/":
            other = path.rstrip("/") if path.endswith("/") else path + "/"
            if _has_route(api, other):
                status, headers = slash_redirect(request.scope, slash=not path.endswith("/"))
                kept = {k.decode(): v.decode() for k, v in headers if k != b"content-length"}  # Response sets it
                return Response(status_code=status, headers=kept)
        if exc.status_code == 404 and not wants_json:
            root = request.scope.get("root_path", "").rstrip("/") + "/"
            page = site().not_found(root)
            return HTMLResponse(page.body, status_code=404, headers={"cache-control": "no-store"})
        if exc.status_code == 405:
            given = {k.lower(): v for k, v in (exc.headers or {}).items()}
            allow = {m.strip() for m in given.get("allow", "GET").split(",")}
            if "GET" in allow:
                allow.add("HEAD")  # every GET route answers HEAD (app/http.py)
            return _error(WRONG_METHOD, 405, {"allow": ", ".join(sorted(allow))})
        detail = exc.detail if exc.status_code != 404 else "Niet gevonden."
        return _error(str(detail), exc.status_code, dict(exc.headers or {}))

    @api.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> Response:
        return _error(_validation_message(exc), 422)


def document_error_shape(api: FastAPI) -> None:
    """The OpenAPI schema says what 422 really answers: {"detail": "<Dutch sentence>"}."""
    original = api.openapi

    def openapi() -> dict[str, object]:
        if api.openapi_schema is None:
            schema = original()
            schemas = schema.get("components", {}).get("schemas", {})
            if "HTTPValidationError" in schemas:
                schemas["HTTPValidationError"] = {
                    "title": "HTTPValidationError",
                    "type": "object",
                    "properties": {"detail": {"type": "string", "title": "Detail"}},
                    "required": ["detail"],
                }
                schemas.pop("ValidationError", None)
            api.openapi_schema = schema
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]


def _has_route(api: FastAPI, path: str) -> bool:
    """Whether a GET route answers `path` (without a root path)."""
    scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
    return any(route.matches(scope)[0] == Match.FULL for route in api.router.routes)


def _error(detail: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    """Every JSON error has one shape: {"detail": "<Dutch sentence>"}."""
    return JSONResponse(
        {"detail": detail}, status_code=status, headers={"cache-control": "no-store", **(headers or {})}
    )


def _validation_message(exc: RequestValidationError) -> str:
    """FastAPI's list of validation errors as one Dutch sentence."""
    parts = []
    for error in exc.errors():
        name = ".".join(str(p) for p in error.get("loc", ())[1:]) or "verzoek"
        kind = error.get("type", "")
        if kind == "missing":
            parts.append(f"'{name}' ontbreekt")
        elif kind in ("int_parsing", "int_type"):
            parts.append(f"'{name}' moet een heel getal zijn")
        elif kind.startswith("greater_than") or kind.startswith("less_than"):
            parts.append(f"'{name}' ligt buiten het toegestane bereik")
        else:
            parts.append(f"'{name}' heeft een ongeldige waarde")
    return "Ongeldig verzoek: " + "; ".join(parts) + "."
