"""Answers the session routes share: Dutch errors as a page or as JSON, the attendee's cookie."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app.sessions import codes
from app.sessions.live import Live

COOKIE = "zevenstops_deelnemer"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")
TITLES = {
    400: "Dat ging niet goed",
    403: "Geen toegang",
    404: "Deze sessie bestaat niet (meer)",
    413: "Te veel gegevens",
    422: "Dat antwoord kunnen we niet opslaan",
    429: "Even geduld",
}


def wants_json(request: Request) -> bool:
    """A script (fetch) asks for JSON; a browser following a link or a form gets a page."""
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def page_path(request: Request) -> str:
    """The request's path from the site root, as the renderer wants it (for relative links).

    Under `--root-path` Starlette's scope["path"] includes the root path; the page's depth below
    the guide does not (app/web.py strips it the same way).
    """
    root = request.scope.get("root_path", "").rstrip("/")
    return request.scope["path"].removeprefix(root).lstrip("/")


def problem(live: Live, request: Request, status: int, message: str, *, retry_after: int | None = None) -> Response:
    """An error in Dutch: JSON `{"detail": …}` for scripts, else a page that says what to do."""
    headers = {"cache-control": "no-store"}
    if retry_after is not None:
        headers["retry-after"] = str(retry_after)
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    body = live.page(
        "sessions/error.html", page_path(request), title=TITLES.get(status, "Dat ging niet goed"), message=message
    )
    return HTMLResponse(body, status_code=status, headers=headers)


def not_found(live: Live, request: Request) -> Response:
    return problem(
        live,
        request,
        404,
        "Er is geen live sessie met deze code. Controleer de code op het scherm van de gespreksleider; "
        f"een sessie wordt na {live.settings.session_days} dagen automatisch verwijderd.",
    )


def forbidden(live: Live, request: Request) -> Response:
    return problem(
        live,
        request,
        403,
        "Alleen de gespreksleider kan deze sessie bedienen, met het adres dat bij het starten werd geopend.",
    )


def attendee_token(request: Request) -> str | None:
    token = request.cookies.get(COOKIE, "")
    return token if TOKEN_RE.match(token) else None


def set_attendee_cookie(live: Live, request: Request, response: Response, token: str) -> None:
    """Random and anonymous; sent only to the session pages, never to other sites' requests."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=live.settings.session_days * 86400,
        path=request.scope.get("root_path", "") + "/s/",
        httponly=True,
        samesite="lax",
        secure=live.base_url(request).startswith("https://"),
    )


def new_token() -> str:
    return codes.new_token()


class BadForm(Exception):
    """The request body is not a small URL-encoded form; `status` and a Dutch message say why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


MAX_FORM = 16 * 1024


async def read_form(request: Request) -> dict[str, str]:
    """The fields of an HTML form post (application/x-www-form-urlencoded), each name once.

    Read with the standard library's parser and a size limit; the forms here are a few fields.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ("application/x-www-form-urlencoded", ""):
        raise BadForm(400, "Verstuur het formulier zoals het op de pagina staat.")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            raise BadForm(413, "Het formulier is te groot.")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=64, strict_parsing=False)
    except (UnicodeDecodeError, ValueError) as err:
        raise BadForm(400, "Het formulier kon niet gelezen worden.") from err
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in fields:
            raise BadForm(400, f"Het veld {name!r} komt twee keer voor.")
        fields[name] = value
    return fields
