"""Repeat measurements: sessions linked into a traject, and the change since the previous measurement.

The publication asks the three questions "met enige regelmaat". A facilitator makes a traject
key on a session's traject page (never projected) and gives it when starting a later session:
as a new measurement (round + 1), or as another room of the same measurement (each partner's
council on its own evening). A session's result then shows, per stop and per group, the change
since the previous round, from every room of that round. When a session is deleted (by hand or
after ZEVENSTOPS_SESSION_DAYS) its traject keeps only counts: per round, group, stop, item and
score how many answers; no attendee, no written answer, nothing per person.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from app.scan.distribution import Distribution
from app.sessions.db import writing
from app.sessions.schema import answers, attendees, sessions, traject_tallies, trajects
from app.sessions.store import Store, to_the_minute

KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed over
KEY_RE = re.compile(r"^[A-HJ-NP-Z2-9]{16}$")

Tallies = dict[tuple[str, str, str, int], Counter[int]]  # (dimension, group, stop, item) -> score -> n


def new_key() -> str:
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(16))


def normalise_key(typed: str) -> str | None:
    """A key as typed ("abcd-efgh jklm npqr"), or None when it cannot be one."""
    key = re.sub(r"[\s\-.]", "", typed).upper()
    return key if KEY_RE.match(key) else None


def display_key(key: str) -> str:
    return "-".join(key[i : i + 4] for i in range(0, len(key), 4))


@dataclass(frozen=True)
class Change:
    """One question's result now, beside the previous measurement's."""

    now: Distribution
    before: Distribution

    @property
    def delta(self) -> float | None:
        if self.now.average is None or self.before.average is None:
            return None
        return self.now.average - self.before.average

    @property
    def dutch_delta(self) -> str:
        """ "+0,6", "−0,3", "0,0", or "–" when one side has no figures."""
        if self.delta is None:
            return "–"
        text = f"{abs(self.delta):.1f}".replace(".", ",")
        if text == "0,0":
            return text
        return ("+" if self.delta > 0 else "−") + text


def tallies_of(db: Connection, session_ids: Iterable[int]) -> Tallies:
    """Counts per (dimension, group, stop, item, score) of live sessions: the whole room and each group."""
    ids = list(session_ids)
    found: Tallies = {}
    if not ids:
        return found
    everyone = select(answers.c.stop, answers.c.item, answers.c.score, func.count().label("n")).where(
        answers.c.session_id.in_(ids)
    )
    for row in db.execute(everyone.group_by(answers.c.stop, answers.c.item, answers.c.score)):
        found.setdefault(("", "", row.stop, row.item), Counter())[row.score] += row.n
    for dimension, column in (("partner", attendees.c.partner), ("role", attendees.c.role)):
        query = (
            select(column.label("grp"), answers.c.stop, answers.c.item, answers.c.score, func.count().label("n"))
            .join(attendees, attendees.c.id == answers.c.attendee_id)
            .where(and_(answers.c.session_id.in_(ids), column.is_not(None), column != ""))
            .group_by(column, answers.c.stop, answers.c.item, answers.c.score)
        )
        for row in db.execute(query):
            found.setdefault((dimension, row.grp, row.stop, row.item), Counter())[row.score] += row.n
    return found


def keep_aggregates(db: Connection, session_ids: list[int]) -> None:
    """Before sessions are deleted: add their counts to their traject's, so the change stays measurable."""
    rows = db.execute(
        select(sessions.c.id, sessions.c.traject_id, sessions.c.round).where(
            and_(sessions.c.id.in_(session_ids), sessions.c.traject_id.is_not(None))
        )
    ).all()
    for row in rows:
        for (dimension, group, stop, item), counter in tallies_of(db, [row.id]).items():
            for score, n in counter.items():
                key = and_(
                    traject_tallies.c.traject_id == row.traject_id,
                    traject_tallies.c.round == row.round,
                    traject_tallies.c.dimension == dimension,
                    traject_tallies.c.grp == group,
                    traject_tallies.c.stop == stop,
                    traject_tallies.c.item == item,
                    traject_tallies.c.score == score,
                )
                added = db.execute(update(traject_tallies).where(key).values(n=traject_tallies.c.n + n))
                if added.rowcount == 0:
                    db.execute(
                        insert(traject_tallies).values(
                            traject_id=row.traject_id,
                            round=row.round,
                            dimension=dimension,
                            grp=group,
                            stop=stop,
                            item=item,
                            score=score,
                            n=n,
                        )
                    )


def round_tallies(db: Connection, traject_id: int, round_: int) -> Tallies:
    """Everything counted in one round of a traject: its live sessions and the aggregates of deleted ones."""
    live = db.execute(
        select(sessions.c.id).where(and_(sessions.c.traject_id == traject_id, sessions.c.round == round_))
    ).scalars()
    found = tallies_of(db, live)
    kept = select(traject_tallies).where(
        and_(traject_tallies.c.traject_id == traject_id, traject_tallies.c.round == round_)
    )
    for row in db.execute(kept).mappings():
        found.setdefault((row["dimension"], row["grp"], row["stop"], row["item"]), Counter())[row["score"]] += row["n"]
    return found


@dataclass(frozen=True)
class Traject:
    id: int
    key: str
    round: int  # this session's measurement
    rounds: int  # how many measurements the traject has


def delete_unused(db: Connection, before: datetime) -> int:
    """Delete trajects in which no session started since `before`, with their counts; return how many."""
    old = list(db.execute(select(trajects.c.id).where(trajects.c.used_at < before)).scalars())
    if old:
        db.execute(update(sessions).where(sessions.c.traject_id.in_(old)).values(traject_id=None))
        db.execute(delete(traject_tallies).where(traject_tallies.c.traject_id.in_(old)))
        db.execute(delete(trajects).where(trajects.c.id.in_(old)))
    return len(old)


def changes(now: Tallies, before: Tallies, min_group: int) -> Mapping[tuple[str, str, str], Change]:
    """Per (dimension, group, stop) the change on the stop's own question; a group needs `min_group` answers on both sides."""
    found: dict[tuple[str, str, str], Change] = {}
    for dimension, group, stop, item in set(now) | set(before):
        if item != 0:
            continue
        a = Distribution.of(now.get((dimension, group, stop, 0)))
        b = Distribution.of(before.get((dimension, group, stop, 0)))
        if dimension and (a.total < min_group or b.total < min_group):
            continue  # a small group stays anonymous here too
        found[(dimension, group, stop)] = Change(a, b)
    return found


class Trajects:
    """Trajects in the store's database: made for a session, joined by key, compared by round."""

    def __init__(self, store: Store):
        self.store = store

    def begin(self, session_id: int) -> str:
        """The key of the session's traject, made now (with this session as measurement 1) if it has none."""
        with writing(self.store.engine) as db:
            found = db.execute(
                select(trajects.c.key)
                .join(sessions, sessions.c.traject_id == trajects.c.id)
                .where(sessions.c.id == session_id)
            ).scalar()
            if found:
                return found
            now = to_the_minute(self.store.clock())
            key = new_key()
            traject_id = db.execute(
                insert(trajects).values(key=key, created_at=now, used_at=now).returning(trajects.c.id)
            ).scalar_one()
            db.execute(update(sessions).where(sessions.c.id == session_id).values(traject_id=traject_id, round=1))
            return key

    def of(self, session_id: int) -> Traject | None:
        with self.store.engine.connect() as db:
            row = db.execute(
                select(trajects.c.id, trajects.c.key, sessions.c.round)
                .join(sessions, sessions.c.traject_id == trajects.c.id)
                .where(sessions.c.id == session_id)
            ).first()
            if row is None:
                return None
            return Traject(row.id, row.key, row.round, _rounds(db, row.id))

    def join(self, key: str, same_round: bool) -> tuple[int, int] | None:
        """(traject id, round) for a new session in the traject of `key`, or None when there is no such traject."""
        with writing(self.store.engine) as db:
            traject_id = db.execute(select(trajects.c.id).where(trajects.c.key == key)).scalar()
            if traject_id is None:
                return None
            db.execute(
                update(trajects).where(trajects.c.id == traject_id).values(used_at=to_the_minute(self.store.clock()))
            )
            last = _rounds(db, traject_id)
            return traject_id, max(1, last if same_round else last + 1)

    def change(self, session_id: int, min_group: int) -> tuple[Traject, Mapping[tuple[str, str, str], Change]] | None:
        """The change of this session since the traject's previous measurement; None in a first measurement."""
        traject = self.of(session_id)
        if traject is None or traject.round < 2:
            return None
        with self.store.engine.connect() as db:
            now = tallies_of(db, [session_id])
            before = round_tallies(db, traject.id, traject.round - 1)
        return traject, changes(now, before, min_group)


def _rounds(db: Connection, traject_id: int) -> int:
    """How many measurements a traject has: the highest round of its sessions and of its kept counts."""
    live = db.execute(select(func.max(sessions.c.round)).where(sessions.c.traject_id == traject_id)).scalar() or 0
    kept = (
        db.execute(select(func.max(traject_tallies.c.round)).where(traject_tallies.c.traject_id == traject_id)).scalar()
        or 0
    )
    return max(live, kept)
