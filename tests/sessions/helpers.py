"""Small steps the session tests repeat."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient

from app.sessions.live import Live


def live_of(client: TestClient) -> Live:
    """The running app's live-session state (the PageServer wraps the FastAPI app)."""
    return client.app.app.state.live_sessions  # type: ignore[attr-defined]


def tally(client: TestClient, code: str) -> dict[tuple[str, int], Counter[int]]:
    live = live_of(client)
    session = live.store().find(code)
    assert session is not None
    return live.store().tally(session.id)


def answer(client: TestClient, code: str, **fields: str) -> int:
    """Post an answer as a form would; return the status."""
    return client.post(f"/s/{code}/antwoord", data=fields, follow_redirects=False).status_code
