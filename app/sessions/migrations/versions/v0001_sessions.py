"""Live sessions, their anonymous attendees and answers.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stop", sa.String(100), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("attendees", sa.Integer(), nullable=False),
        sa.UniqueConstraint("code", name="uq_sessions_code"),
    )
    op.create_index("ix_sessions_created_at", "sessions", ["created_at"])
    op.create_table(
        "attendees",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_answers", sa.Integer(), nullable=False),
        sa.UniqueConstraint("session_id", "token_hash", name="uq_attendees_session_token"),
    )
    op.create_table(
        "answers",
        sa.Column("attendee_id", sa.Integer(), sa.ForeignKey("attendees.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("stop", sa.String(100), primary_key=True),
        sa.Column("item", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="ck_answers_score"),
    )
    op.create_index("ix_answers_session_stop", "answers", ["session_id", "stop"])


def downgrade() -> None:
    op.drop_table("answers")
    op.drop_table("attendees")
    op.drop_table("sessions")
