"""Written answers: anonymous, plain text, and on the projector only after the facilitator approves them.

Per stop attendees answer a prompt ("Wat blijft bij ons onder tafel?", or one of the stop's
open discussion questions, as the facilitator chooses). An answer is stored as typed text, is
never rendered as HTML or Markdown (the templates escape it and make no links), and waits as
"nieuw" until the facilitator approves or hides it; approved answers can be given a heading
(grouped) and duplicates merged into one, which then counts them. Every answer counts in the
attendee's per-minute limit, and an attendee writes at most `per_stop` answers a stop.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.content import Station
from app.scan.scale import Kind, kind_of
from app.sessions.db import writing
from app.sessions.schema import prompts, written_answers
from app.sessions.store import LimitReached, Session, Store, bump, to_the_minute

DEFAULT_PROMPT = "Wat blijft bij ons onder tafel?"
MAX_LENGTH = 280
PER_SESSION = 3000  # written answers a session keeps at most
STATUSES = ("nieuw", "goedgekeurd", "verborgen")
# Characters that turn the reading direction around or hide text (the "Trojan Source" trick): a
# projected answer must read as it was typed.
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def clean(text: str) -> str | tuple[str]:
    """The answer as it will be kept, or a 1-tuple with the Dutch message saying why it is refused."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(line for line in lines if line).strip()
    if not text:
        return ("Schrijf eerst een antwoord in het tekstvak.",)
    if len(text) > MAX_LENGTH:
        return (f"Uw antwoord is {len(text)} tekens lang; hier passen er {MAX_LENGTH}. Maak het wat korter.",)
    if any(c in BIDI for c in text):
        return (
            "Uw antwoord bevat een onzichtbaar teken dat de leesrichting omdraait. Typ het opnieuw, zonder te plakken.",
        )
    if any(unicodedata.category(c) in ("Cc", "Cs", "Co") and c != "\n" for c in text):
        return ("Uw antwoord bevat een onzichtbaar stuurteken. Typ het opnieuw, zonder te plakken.",)
    return text


@dataclass(frozen=True)
class WrittenAnswer:
    id: int
    stop: str
    text: str
    status: str
    heading: str
    merged_into: int | None
    count: int = 1  # this answer and those merged into it


class Written:
    """The written answers and prompts of sessions, in the store's database."""

    def __init__(self, store: Store, per_stop: int = 3):
        self.store = store
        self.per_stop = per_stop

    def write(self, session: Session, token: str, stop: str, text: str, admit: Callable[[], bool]) -> None:
        """Keep one attendee's written answer for `stop`, waiting for the facilitator; LimitReached past a limit."""
        now = self.store.clock()
        with writing(self.store.engine) as db:
            attendee, _ = self.store.turn(db, session, token, now, admit)
            mine = and_(written_answers.c.attendee_id == attendee, written_answers.c.stop == stop)
            if (db.execute(select(func.count()).where(mine)).scalar() or 0) >= self.per_stop:
                raise LimitReached("written")
            in_session = select(func.count()).where(written_answers.c.session_id == session.id)
            if (db.execute(in_session).scalar() or 0) >= PER_SESSION:
                raise LimitReached("written_session")
            db.execute(
                insert(written_answers).values(
                    session_id=session.id,
                    attendee_id=attendee,
                    stop=stop,
                    text=text,
                    status="nieuw",
                    heading="",
                    merged_into=None,
                    created_at=to_the_minute(now),
                )
            )
            bump(db, session.id, "geschreven")

    def written_by(self, session: Session, token: str) -> dict[str, int]:
        """How many answers one attendee wrote, per stop (their texts are not shown back: nothing to copy)."""
        from app.sessions import codes
        from app.sessions.schema import attendees

        query = (
            select(written_answers.c.stop, func.count().label("n"))
            .join(attendees, attendees.c.id == written_answers.c.attendee_id)
            .where(
                and_(
                    attendees.c.session_id == session.id,
                    attendees.c.token_hash == codes.digest(session.code, token),
                )
            )
            .group_by(written_answers.c.stop)
        )
        with self.store.engine.connect() as db:
            return {row.stop: row.n for row in db.execute(query)}

    def all_of(self, session_id: int) -> list[WrittenAnswer]:
        """Every written answer of a session, oldest first, each with the number merged into it."""
        query = select(written_answers).where(written_answers.c.session_id == session_id).order_by(written_answers.c.id)
        with self.store.engine.connect() as db:
            rows = list(db.execute(query).mappings())
        merged: dict[int, int] = {}
        for row in rows:
            if row["merged_into"] is not None:
                merged[row["merged_into"]] = merged.get(row["merged_into"], 0) + 1
        return [
            WrittenAnswer(
                row["id"],
                row["stop"],
                row["text"],
                row["status"],
                row["heading"],
                row["merged_into"],
                1 + merged.get(row["id"], 0),
            )
            for row in rows
        ]

    def approved(self, session_id: int) -> dict[str, list[WrittenAnswer]]:
        """What the projector and the result show, per stop: approved answers not merged away, by heading."""
        shown: dict[str, list[WrittenAnswer]] = {}
        for answer in self.all_of(session_id):
            if answer.status == "goedgekeurd" and answer.merged_into is None:
                shown.setdefault(answer.stop, []).append(answer)
        for answers in shown.values():
            answers.sort(key=lambda a: (a.heading == "", a.heading.casefold(), a.id))
        return shown

    def waiting(self, session_id: int) -> int:
        """How many answers wait for the facilitator."""
        query = select(func.count()).where(
            and_(written_answers.c.session_id == session_id, written_answers.c.status == "nieuw")
        )
        with self.store.engine.connect() as db:
            return db.execute(query).scalar() or 0

    def moderate(self, session_id: int, answer_id: int, action: str, value: str = "") -> str:
        """Approve, hide, merge (into answer `value`), split or head (`value` the heading) one answer.

        Returns "" when done, or the Dutch message saying why not. Only answers of this session.
        """
        mine = and_(written_answers.c.session_id == session_id, written_answers.c.id == answer_id)
        with writing(self.store.engine) as db:
            row = db.execute(select(written_answers).where(mine)).mappings().first()
            if row is None:
                return "Dit antwoord bestaat niet (meer) in deze sessie."
            values: dict[str, object]
            if action == "goedkeuren":
                values = {"status": "goedgekeurd"}
            elif action == "verbergen":
                values = {"status": "verborgen"}
            elif action == "losmaken":
                values = {"merged_into": None}
            elif action == "kop":
                heading = " ".join(value.split())[:80]
                if any(unicodedata.category(c) in ("Cc", "Cf") for c in heading):
                    return "De kop bevat een onzichtbaar teken. Typ hem opnieuw."
                values = {"heading": heading}
            elif action == "samenvoegen":
                target = int(value) if value.isdigit() else 0
                into = and_(
                    written_answers.c.session_id == session_id,
                    written_answers.c.id == target,
                    written_answers.c.stop == row["stop"],
                    written_answers.c.merged_into.is_(None),
                )
                if target == answer_id or db.execute(select(written_answers.c.id).where(into)).first() is None:
                    return "Kies een ander antwoord bij dezelfde halte om dit antwoord mee samen te voegen."
                # What was merged into this answer moves along: merges stay one level deep.
                db.execute(
                    update(written_answers).where(written_answers.c.merged_into == answer_id).values(merged_into=target)
                )
                values = {"merged_into": target, "status": "goedgekeurd"}
            else:
                return "Kies goedkeuren, verbergen, samenvoegen, losmaken of een kop."
            db.execute(update(written_answers).where(mine).values(**values))
            bump(db, session_id, "geschreven")
        return ""

    # -- the prompt per stop ------------------------------------------------------------------

    def prompts(self, session_id: int) -> dict[str, int]:
        """The prompt chosen per stop: 0 the default, n the stop's n-th discussion question."""
        with self.store.engine.connect() as db:
            query = select(prompts.c.stop, prompts.c.question).where(prompts.c.session_id == session_id)
            return {row.stop: row.question for row in db.execute(query)}

    def set_prompt(self, session_id: int, stop: str, question: int) -> None:
        dialect = self.store.engine.dialect.name
        make = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = make(prompts).values(session_id=session_id, stop=stop, question=question)
        statement = statement.on_conflict_do_update(index_elements=["session_id", "stop"], set_={"question": question})
        with writing(self.store.engine) as db:
            db.execute(statement)
            bump(db, session_id, "geschreven")


def prompt_of(station: Station, question: int) -> str:
    """The prompt's text (Markdown for a discussion question): the default, or the stop's open question `question`."""
    if 1 <= question <= len(station.questions) and kind_of(question, station.questions[question - 1]) is Kind.OPEN:
        return station.questions[question - 1]
    return DEFAULT_PROMPT


def open_questions(station: Station) -> list[tuple[int, str]]:
    """The questions a facilitator may choose as the prompt instead: the stop's open ones, numbered."""
    return [(n, q) for n, q in enumerate(station.questions, start=1) if kind_of(n, q) is Kind.OPEN]
