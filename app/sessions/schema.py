"""The tables of live sessions (SQLAlchemy Core); Alembic's migrations create them.

No names and no addresses: an attendee is the hash of a random cookie, a facilitator the hash
of the secret in their cookie (and of each device's key after a takeover).
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# A traject links sessions into repeat measurements (app/sessions/traject.py). Its key is shown to
# the facilitator only; it opens nothing but the traject's aggregates.
trajects = Table(
    "trajects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=False),  # the last session started in it (to the minute)
    UniqueConstraint("key", name="uq_trajects_key"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(16), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("stop", String(100), nullable=True),  # the stop on the projector; None: the start screen
    Column("version", Integer, nullable=False, default=0),  # +1 on every move of the facilitator
    Column("revision", Integer, nullable=False, default=0),  # +1 on every answer
    Column("attendees", Integer, nullable=False, default=0),
    # The groups attendees may say they belong to: one name a line, partner municipalities and roles
    # (app/sessions/groups.py); empty: the session asks for none.
    Column("partners", Text, nullable=False, default=""),
    Column("roles", Text, nullable=False, default=""),
    # A repeat measurement: the traject this session belongs to, and which measurement (round) it is.
    Column("traject_id", Integer, ForeignKey("trajects.id", ondelete="SET NULL"), nullable=True),
    Column("round", Integer, nullable=False, default=1),
    UniqueConstraint("code", name="uq_sessions_code"),
    Index("ix_sessions_created_at", "created_at"),
)

attendees = Table(
    "attendees",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("window_start", DateTime(timezone=True), nullable=False),  # the current minute of the answer limit
    Column("window_answers", Integer, nullable=False, default=0),
    # The attendee's own choice, once: a partner and a role from the session's lists; "" for
    # "zeg ik liever niet", NULL while not asked yet.
    Column("partner", String(80), nullable=True),
    Column("role", String(80), nullable=True),
    UniqueConstraint("session_id", "token_hash", name="uq_attendees_session_token"),
)

facilitator_keys = Table(
    "facilitator_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    # A one-time takeover token until it is used ("takeover", with expires_at), then the key of the
    # device that took over ("key"). Only hashes are stored.
    Column("kind", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("key_hash", name="uq_facilitator_keys_hash"),
    Index("ix_facilitator_keys_session", "session_id"),
)

answers = Table(
    "answers",
    metadata,
    Column("attendee_id", Integer, ForeignKey("attendees.id", ondelete="CASCADE"), primary_key=True),
    Column("stop", String(100), primary_key=True),
    Column("item", Integer, primary_key=True),  # 0: the stop itself; n: its n-th discussion statement
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("score", Integer, nullable=False),  # 1..5 on the item's scale, or 0: "weet niet" on a statement
    CheckConstraint("score BETWEEN 0 AND 5", name="ck_answers_score"),  # 0: "weet niet" (app/scan/scale.py)
    Index("ix_answers_session_stop", "session_id", "stop"),
)

# Written answers ("Wat blijft bij ons onder tafel?"): plain text, never shown before the
# facilitator approves it. `status`: "nieuw" (waiting), "goedgekeurd" or "verborgen"; an answer
# merged into another keeps its row with `merged_into` set, so the projector counts it once.
written_answers = Table(
    "written_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("attendee_id", Integer, ForeignKey("attendees.id", ondelete="CASCADE"), nullable=False),
    Column("stop", String(100), nullable=False),
    Column("text", String(1000), nullable=False),
    Column("status", String(16), nullable=False, default="nieuw"),
    Column("heading", String(80), nullable=False, default=""),  # the facilitator's group ("Geld", "Cultuur")
    Column("merged_into", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),  # to the minute, like every time here
    CheckConstraint("status IN ('nieuw', 'goedgekeurd', 'verborgen')", name="ck_written_answers_status"),
    Index("ix_written_answers_session_stop", "session_id", "stop"),
)

# The question attendees write to, per stop: 0 the default prompt, n the stop's n-th discussion question.
prompts = Table(
    "prompts",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("stop", String(100), primary_key=True),
    Column("question", Integer, nullable=False, default=0),
)

# What a traject keeps of a session once it is deleted: counts only, per round and group, never a
# person's answers. `dimension` "" (everyone), "partner" or "role"; `grp` the group's name.
traject_tallies = Table(
    "traject_tallies",
    metadata,
    Column("traject_id", Integer, ForeignKey("trajects.id", ondelete="CASCADE"), primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("dimension", String(16), primary_key=True),
    Column("grp", String(80), primary_key=True),
    Column("stop", String(100), primary_key=True),
    Column("item", Integer, primary_key=True),
    Column("score", Integer, primary_key=True),
    Column("n", Integer, nullable=False),
)
