"""Every query on live sessions, dialect-neutral (SQLAlchemy Core); SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Connection, Engine, Insert, and_, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from app.sessions import codes
from app.sessions.db import writing
from app.sessions.deletion import delete_sessions
from app.sessions.keys import FacilitatorKeys
from app.sessions.notify import AnswersNotice, changed
from app.sessions.schema import answers, attendees, sessions

Clock = Callable[[], datetime]
WINDOW = timedelta(minutes=1)  # the answer limit counts per attendee per minute


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_the_minute(moment: datetime) -> datetime:
    """Times are stored to the minute: a log's timestamps cannot single out one attendee's answers."""
    return moment.replace(second=0, microsecond=0)


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class LimitReached(Exception):
    """An attendee answers too fast, or the session is full; `retry_after` in seconds, or None."""

    def __init__(self, kind: str, retry_after: int | None = None):
        super().__init__(kind)
        self.kind = kind  # "answers", "attendees" (the session is full) or "address" (one address brought too many)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Session:
    id: int
    code: str
    created_at: datetime
    stop: str | None  # what the facilitator shows; None: the start screen
    version: int
    revision: int
    attendees: int
    token_key: str  # seals this session's attendee tokens (app/sessions/codes.py); never leaves the server
    partners: tuple[str, ...] = ()  # the groups attendees may choose (app/sessions/groups.py)
    roles: tuple[str, ...] = ()


class State(NamedTuple):
    """What a stream polls: where the room is, and whether answers came in."""

    stop: str | None
    version: int
    revision: int


Tally = Mapping[tuple[str, int], Counter[int]]  # (stop, item) -> score -> number of answers


class Store:
    """Sessions, pseudonymous attendees and their answers in one database."""

    def __init__(
        self, engine: Engine, *, answers_per_minute: int = 60, attendees_per_session: int = 500, clock: Clock = utcnow
    ):
        self.engine = engine
        self.answers_per_minute = answers_per_minute
        self.attendees_per_session = attendees_per_session
        self.clock = clock
        self.keys = FacilitatorKeys(engine, clock)
        self.answered = AnswersNotice(engine)
        self.replace_scores = _upsert_scores(engine.dialect.name)

    # -- sessions -------------------------------------------------------------------------------

    def create(
        self, partners: Sequence[str] = (), roles: Sequence[str] = (), traject: tuple[int, int] | None = None
    ) -> tuple[Session, str]:
        """A new session and the facilitator's secret (only its hash is kept).

        Attendees may say their partner and role; `traject` (id, round) makes it a repeat measurement.
        """
        secret = codes.new_secret()
        for _ in range(10):
            code = codes.new_code()
            try:
                with writing(self.engine) as db:
                    db.execute(
                        insert(sessions).values(
                            code=code,
                            secret_hash=codes.digest(secret),
                            created_at=to_the_minute(self.clock()),
                            stop=None,
                            version=0,
                            revision=0,
                            attendees=0,
                            partners="\n".join(partners),
                            roles="\n".join(roles),
                            traject_id=traject[0] if traject else None,
                            round=traject[1] if traject else 1,
                        )
                    )
            except IntegrityError:  # the code is taken: draw another
                continue
            found = self.find(code)
            assert found is not None
            return found, secret
        raise RuntimeError("could not draw a free join code in 10 tries")

    def find(self, code: str) -> Session | None:
        with self.engine.connect() as db:
            row = db.execute(select(sessions).where(sessions.c.code == code)).mappings().first()
        if row is None:
            return None
        return Session(
            row["id"],
            row["code"],
            _aware(row["created_at"]),
            row["stop"],
            row["version"],
            row["revision"],
            row["attendees"],
            codes.digest("attendee-tokens", row["secret_hash"]),
            tuple(filter(None, row["partners"].split("\n"))),
            tuple(filter(None, row["roles"].split("\n"))),
        )

    def authorised(self, code: str, secret: str) -> bool:
        """Whether `secret` lets its holder present session `code` (app/sessions/keys.py)."""
        return self.keys.authorised(code, secret)

    def attendee_count(self, session_id: int) -> int:
        """How many attendees have taken a seat (answered at least once)."""
        with self.engine.connect() as db:
            return db.execute(select(sessions.c.attendees).where(sessions.c.id == session_id)).scalar() or 0

    def move(self, session_id: int, stop: str | None) -> None:
        """Show `stop` to the room (None: the start screen); streams see the new version."""
        # "Is not stop", where NULL (the start screen) is a value too.
        moved = sessions.c.stop.is_not(None) if stop is None else sessions.c.stop.is_distinct_from(stop)
        with writing(self.engine) as db:
            db.execute(
                update(sessions)
                .where(and_(sessions.c.id == session_id, moved))
                .values(stop=stop, version=sessions.c.version + 1)
            )
            changed(db, [session_id], "halte")

    def state(self, session_id: int) -> State | None:
        """The poller's query: one indexed row. None when the session is gone."""
        query = select(sessions.c.stop, sessions.c.version, sessions.c.revision).where(sessions.c.id == session_id)
        with self.engine.connect() as db:
            row = db.execute(query).first()
        return State(row.stop, row.version, row.revision) if row else None

    def count(self) -> int:
        """How many sessions the database keeps (each is deleted `session_days` after it starts)."""
        with self.engine.connect() as db:
            return db.execute(select(func.count()).select_from(sessions)).scalar() or 0

    def delete(self, session_id: int) -> None:
        with writing(self.engine) as db:
            delete_sessions(db, [session_id])

    def delete_older_than(self, days: int) -> int:
        """Delete sessions started more than `days` ago, with everything in them; return how many."""
        cutoff = self.clock() - timedelta(days=days)
        with writing(self.engine) as db:
            ids = list(db.execute(select(sessions.c.id).where(sessions.c.created_at < cutoff)).scalars())
            delete_sessions(db, ids)
        return len(ids)

    # -- answers --------------------------------------------------------------------------------

    def answer(
        self,
        session: Session,
        token: str,
        stop: str,
        scores: Mapping[int, int],
        admit: Callable[[], bool] = lambda: True,
    ) -> None:
        """Store one attendee's scores for `stop` (item -> 1..5), replacing earlier ones.

        Raises LimitReached when the attendee answers too often, the session is full or `admit()`
        refuses a new attendee (the per-address limit). A first answer costs five statements, a
        later one three: a burst of answers from a full room must not keep moves waiting.
        """
        now = self.clock()
        with writing(self.engine) as db:
            attendee, new = self.turn(db, session, token, now, admit)
            rows = [
                {"attendee_id": attendee, "stop": stop, "item": item, "session_id": session.id, "score": score}
                for item, score in scores.items()
            ]
            db.execute(self.replace_scores, rows)
            if not new:  # a new seat counted the session's revision already
                bump(db, session.id, "antwoord", announce=False)
        self.answered(session.id)  # the other workers hear of it after the commit, batched

    def turn(
        self, db: Connection, session: Session, token: str, now: datetime, admit: Callable[[], bool]
    ) -> tuple[int, bool]:
        """One answer's turn: the attendee's id, counted against the limit per minute, and whether they are new.

        Atomic, so workers cannot race past the limit. The minute is the clock's (window_start is
        stored to the minute): at most answers_per_minute answers in each minute. A known attendee
        within their minute costs one statement. A new one takes a seat if the session has one free
        and `admit()` agrees; the seat counts the session's revision, so the facilitator sees it.
        """
        token_hash = codes.digest(session.code, token)
        mine = and_(attendees.c.session_id == session.id, attendees.c.token_hash == token_hash)
        within = and_(
            mine, attendees.c.window_start >= now - WINDOW, attendees.c.window_answers < self.answers_per_minute
        )
        counted = update(attendees).where(within).values(window_answers=attendees.c.window_answers + 1)
        found = db.execute(counted.returning(attendees.c.id)).scalar()
        if found is not None:
            return found, False
        found = db.execute(select(attendees.c.id).where(mine)).scalar()
        if found is not None:  # a new minute, or over the limit
            fresh = and_(attendees.c.id == found, attendees.c.window_start < now - WINDOW)
            if db.execute(
                update(attendees).where(fresh).values(window_start=to_the_minute(now), window_answers=1)
            ).rowcount:
                return found, False
            started = _aware(db.execute(select(attendees.c.window_start).where(attendees.c.id == found)).scalar_one())
            raise LimitReached("answers", retry_after=max(1, round((started + WINDOW - now).total_seconds())))
        if not admit():
            raise LimitReached("address")
        seat = (
            update(sessions)
            .where(and_(sessions.c.id == session.id, sessions.c.attendees < self.attendees_per_session))
            .values(attendees=sessions.c.attendees + 1, revision=sessions.c.revision + 1)
        )
        if db.execute(seat).rowcount == 0:
            raise LimitReached("attendees")
        new = {"session_id": session.id, "token_hash": token_hash, "window_answers": 1}
        seated = insert(attendees).values(window_start=to_the_minute(now), **new).returning(attendees.c.id)
        return db.execute(seated).scalar_one(), True

    def answers_of(self, session: Session, token: str) -> dict[tuple[str, int], int]:
        """One attendee's own scores, (stop, item) -> score, to show their choices again."""
        token_hash = codes.digest(session.code, token)
        query = (
            select(answers.c.stop, answers.c.item, answers.c.score)
            .join(attendees, attendees.c.id == answers.c.attendee_id)
            .where(and_(attendees.c.session_id == session.id, attendees.c.token_hash == token_hash))
        )
        with self.engine.connect() as db:
            return {(row.stop, row.item): row.score for row in db.execute(query)}

    def tally(self, session_id: int) -> dict[tuple[str, int], Counter[int]]:
        """How many answers gave each score, per (stop, item)."""
        query = (
            select(answers.c.stop, answers.c.item, answers.c.score, func.count().label("n"))
            .where(answers.c.session_id == session_id)
            .group_by(answers.c.stop, answers.c.item, answers.c.score)
        )
        result: dict[tuple[str, int], Counter[int]] = {}
        with self.engine.connect() as db:
            for row in db.execute(query):
                result.setdefault((row.stop, row.item), Counter())[row.score] = row.n
        return result


def _upsert_scores(dialect: str) -> Insert:
    """Insert scores, replacing the attendee's earlier ones for the same item: one statement for all items.

    Both SQLite (3.24 and later) and PostgreSQL say it as INSERT … ON CONFLICT DO UPDATE.
    """
    statement = (postgresql if dialect == "postgresql" else sqlite).insert(answers)
    key = [answers.c.attendee_id, answers.c.stop, answers.c.item]
    return statement.on_conflict_do_update(index_elements=key, set_={"score": statement.excluded.score})


def bump(db: Connection, session_id: int, kind: str, *, announce: bool = True) -> None:
    """Count a change of a session's answers (its revision), so every worker's streams read it again.

    `announce`: notify the other workers in this transaction (answers do it afterwards, batched).
    """
    db.execute(update(sessions).where(sessions.c.id == session_id).values(revision=sessions.c.revision + 1))
    if announce:
        changed(db, [session_id], kind)
