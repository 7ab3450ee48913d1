"""Deleting sessions: everything in them goes, in one transaction; a traject keeps their counts."""

from __future__ import annotations

from sqlalchemy import Connection, delete

from app.sessions.notify import changed
from app.sessions.schema import answers, attendees, facilitator_keys, prompts, sessions, written_answers


def delete_sessions(db: Connection, ids: list[int]) -> None:
    """Delete sessions with everything in them; a traject keeps their counts (app/sessions/traject.py)."""
    if not ids:
        return
    from app.sessions.traject import keep_aggregates  # it builds on the store, which uses this module

    keep_aggregates(db, ids)
    db.execute(delete(written_answers).where(written_answers.c.session_id.in_(ids)))
    db.execute(delete(prompts).where(prompts.c.session_id.in_(ids)))
    db.execute(delete(answers).where(answers.c.session_id.in_(ids)))
    db.execute(delete(attendees).where(attendees.c.session_id.in_(ids)))
    db.execute(delete(facilitator_keys).where(facilitator_keys.c.session_id.in_(ids)))
    db.execute(delete(sessions).where(sessions.c.id.in_(ids)))
    changed(db, ids, "einde")
