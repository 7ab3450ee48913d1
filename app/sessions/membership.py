"""Which group an attendee says they belong to (once), and the answers counted per group."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from sqlalchemy import and_, func, select, update

from app.sessions import codes
from app.sessions.db import writing
from app.sessions.groups import GroupTally
from app.sessions.schema import answers, attendees
from app.sessions.store import Session, Store


class Membership:
    def __init__(self, store: Store):
        self.store = store

    def choose(self, session: Session, token: str, partner: str, role: str, admit: Callable[[], bool]) -> bool:
        """Keep the attendee's partner and role ("" for "zeg ik liever niet"); False when they chose before."""
        now = self.store.clock()
        with writing(self.store.engine) as db:
            attendee, _ = self.store.turn(db, session, token, now, admit)
            first = and_(attendees.c.id == attendee, attendees.c.partner.is_(None), attendees.c.role.is_(None))
            return bool(db.execute(update(attendees).where(first).values(partner=partner, role=role)).rowcount)

    def chosen(self, session: Session, token: str) -> tuple[str, str] | None:
        """The attendee's partner and role, or None while they have not chosen."""
        mine = and_(attendees.c.session_id == session.id, attendees.c.token_hash == codes.digest(session.code, token))
        with self.store.engine.connect() as db:
            row = db.execute(select(attendees.c.partner, attendees.c.role).where(mine)).first()
        if row is None or (row.partner is None and row.role is None):
            return None
        return row.partner or "", row.role or ""

    def tally(self, session_id: int, dimension: str) -> GroupTally:
        """How many answers gave each score, per (group, stop, item); `dimension` "partner" or "role".

        Attendees who said nothing ("zeg ik liever niet", or not asked) are in no group.
        """
        column = attendees.c.partner if dimension == "partner" else attendees.c.role
        query = (
            select(column.label("grp"), answers.c.stop, answers.c.item, answers.c.score, func.count().label("n"))
            .join(attendees, attendees.c.id == answers.c.attendee_id)
            .where(and_(answers.c.session_id == session_id, column.is_not(None), column != ""))
            .group_by(column, answers.c.stop, answers.c.item, answers.c.score)
        )
        result: dict[tuple[str, str, int], Counter[int]] = {}
        with self.store.engine.connect() as db:
            for row in db.execute(query):
                result.setdefault((row.grp, row.stop, row.item), Counter())[row.score] = row.n
        return result
