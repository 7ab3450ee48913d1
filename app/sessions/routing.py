"""What every session route shares: finding its session, reading its form, refusing in Dutch
(a page or JSON), redirecting, the attendee's cookie, and registering an event stream.

Not to be confused with app/http.py, which serves the build's pages and files from memory.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.sessions import codes
from app.sessions.live import Live
from app.sessions.store import Session
from app.urls import attendee_path, facilitator_path

COOKIE = "zevenstops_deelnemer"
FACILITATOR_COOKIE = "zevenstops_gespreksleider"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")
ATTENDEE_RE = re.compile(r"^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$")
TITLES = {
    400: "Dat ging niet goed",
    403: "Geen toegang",
    404: "Deze sessie bestaat niet (meer)",
    413: "Te veel gegevens",
    422: "Dat antwoord kunnen we niet opslaan",
    429: "Even geduld",
    503: "Even niet beschikbaar",
    505: "Deze verbinding kan niet live volgen",
}


def wants_json(request: Request) -> bool:
    """A script (fetch) asks for JSON; a browser following a link or a form gets a page."""
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def page_path(request: Request) -> str:
    """The request's path from the guide's root, as the renderer wants it (for relative links).

    Under a sub-path (`--root-path /zevenstops`) the ASGI path starts with the root path: it is
    taken off, or every relative link would climb out of the sub-path.
    """
    path = request.scope["path"]
    root = request.scope.get("root_path", "").rstrip("/")
    if root and (path == root or path.startswith(root + "/")):
        path = path[len(root) :]
    return path.lstrip("/")


def from_root(request: Request, path: str) -> str:
    """`path` (from app/urls.py) as seen from this server's root: a laptop at the meeting need not be the public address."""
    return f"{request.scope.get('root_path', '').rstrip('/')}/{path}"


def redirect(request: Request, path: str, status: int = 303) -> RedirectResponse:
    """Every redirect of a session route: after a form (303, "see other") or to a code as typed (308)."""
    return RedirectResponse(from_root(request, path), status_code=status)


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


NOT_FOUND = (
    "Er is geen live sessie met deze code. Controleer de code op het scherm van de gespreksleider; "
    "een sessie wordt na {days} dagen automatisch verwijderd."
)
FACILITATOR_ONLY = (
    "Alleen de gespreksleider kan deze sessie bedienen: de browser waarin de sessie werd gestart, "
    "of een apparaat dat de sessie heeft overgenomen met een overnamelink van de gespreksleider."
)


PRIVATE = {"cache-control": "no-store", "referrer-policy": "no-referrer"}  # never cached, never in a Referer


def session_page(
    live: Live, template: str, path: str, code: str, *, private: bool = False, **context: Any
) -> HTMLResponse:
    """A page of session `code` (from the root: `path`), never cached; a `private` one (the facilitator's,
    a takeover's) is not sent on in a Referer either. The template gets `code` and `display_code`."""
    body = live.page(template, path, code=code, display_code=codes.display(code), **context)
    return HTMLResponse(body, headers=PRIVATE if private else {"cache-control": "no-store"})


def not_found(live: Live, request: Request) -> Response:
    return problem(live, request, 404, NOT_FOUND.format(days=live.settings.session_days))


def forbidden(live: Live, request: Request) -> Response:
    return problem(live, request, 403, FACILITATOR_ONLY)


def attendee_token(request: Request, session: Session) -> str | None:
    """The attendee's token if this server issued it for `session` (app/sessions/codes.py), else None."""
    # Read every cookie of that name from the header: a browser may still hold one with another
    # path (from an older version), and a dict of cookies would keep only one of them.
    for part in request.headers.get("cookie", "").split(";"):
        name, _, token = part.strip().partition("=")
        if name == COOKIE and ATTENDEE_RE.match(token) and codes.valid_attendee_token(session.token_key, token):
            return token
    return None


def set_attendee_cookie(live: Live, request: Request, response: Response, code: str, token: str) -> None:
    """Random and anonymous; sent only to this session's pages, never with other sites' requests."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=live.settings.session_days * 86400,
        path=from_root(request, attendee_path(code)),
        httponly=True,
        samesite="lax",
        secure=live.base_url(request).startswith("https://"),
    )


def facilitator_cookie_path(request: Request, code: str) -> str:
    """The facilitator's paths of one session, under any root path: the cookie is sent there only."""
    return from_root(request, facilitator_path(code, ""))


def set_facilitator_cookie(live: Live, request: Request, response: Response, code: str, secret: str) -> None:
    """The facilitator's secret, in the one place a browser keeps it from addresses, logs and scripts."""
    response.set_cookie(
        FACILITATOR_COOKIE,
        secret,
        max_age=live.settings.session_days * 86400,
        path=facilitator_cookie_path(request, code),
        httponly=True,
        samesite="strict",
        secure=live.base_url(request).startswith("https://"),
    )


def clear_facilitator_cookie(request: Request, response: Response, code: str) -> None:
    response.delete_cookie(
        FACILITATOR_COOKIE, path=facilitator_cookie_path(request, code), httponly=True, samesite="strict"
    )


def facilitator_secret(request: Request) -> str:
    secret = request.cookies.get(FACILITATOR_COOKIE, "")
    return secret if TOKEN_RE.match(secret) else ""


class Refused(Exception):
    """A request refused with its answer ready (a Dutch page or JSON, from `problem`).

    The lookups below raise it, so a route reads as its success path; one exception handler
    (app/sessions/__init__.py) sends `response`.
    """

    def __init__(self, response: Response):
        super().__init__(response.status_code)
        self.response = response


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


def wait_text(seconds: int) -> str:
    """A wait in Dutch words: "1 seconde", "40 seconden", "3 minuten"."""
    if seconds < 120:
        return f"{seconds} {'seconde' if seconds == 1 else 'seconden'}"
    return f"{round(seconds / 60)} minuten"


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: as the proxy forwards it)."""
    return request.client.host if request.client else ""


async def find_session(live: Live, code: str, request: Request) -> Session:
    """The session with `code`; else Refused with 404, or 429 for an address that guesses.

    An address that missed too many codes gets 429 for codes it has not found before, without the
    database being asked (app/sessions/limits.py CodeGuard).
    """
    if codes.normalise_code(code) != code:
        raise Refused(not_found(live, request))
    address = client_address(request)
    wait = live.guard.refused(address, code)
    if wait is not None:
        raise Refused(
            problem(
                live,
                request,
                429,
                "Vanaf dit netwerk zijn veel onjuiste sessiecodes geprobeerd. "
                f"Probeer het over {wait_text(wait)} opnieuw, en controleer de code op het scherm.",
                retry_after=wait,
            )
        )
    session = await live.call(lambda: live.store().find(code))
    if session is None:
        live.guard.missed(address)
        raise Refused(not_found(live, request))
    live.guard.found(address, code)
    return session


Lookup = Callable[[Live, str, Request], Awaitable[Session]]


async def posted_form(
    live: Live, code: str, request: Request, lookup: Lookup | None = None
) -> tuple[dict[str, str], Session]:
    """A form posted to a session and the session itself; else Refused.

    `lookup` finds the session: anyone's (an attendee's answer, a takeover) by default, or only
    the facilitator's (app/sessions/facilitator.py `facilitator_session`).
    """
    try:
        form = await read_form(request)
    except BadForm as err:
        raise Refused(problem(live, request, err.status, err.message)) from err
    return form, await (lookup or find_session)(live, code, request)


StreamEndpoint = Callable[[str, Request], Awaitable[Response]]
STREAM = "stream "  # the name of every event stream's route starts with it: StreamDoor serves their GET


def stream_route(router: APIRouter, path: str) -> Callable[[StreamEndpoint], StreamEndpoint]:
    """Register an event stream's GET route (`path` with its `{code}`) as a plain Starlette route.

    A FastAPI route keeps its dependency machinery (exit stacks, solved values) alive as long
    as its response runs, and FastAPI's middleware a frame each: for an endless stream, 5 KiB
    of every attendee's memory (bench/national.py counts it). Streams need none of it: the
    session's code is all they take. Its name marks the route for StreamDoor
    (app/sessions/streams.py), which serves its GET past FastAPI; a HEAD (PageServer hands
    it on as GET, saying so in the scope) gets the headers alone.
    """

    def register(endpoint: StreamEndpoint) -> StreamEndpoint:
        async def handle(request: Request) -> Response:
            return await endpoint(request.path_params["code"], request)

        handle.__doc__, handle.__module__ = endpoint.__doc__, endpoint.__module__  # for the route table
        router.add_route(path, handle, methods=["GET"], include_in_schema=False, name=STREAM + path)
        return endpoint

    return register
