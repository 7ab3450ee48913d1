"""Written answers with moderation, the prompt per stop, the groups attendees may choose, and trajects.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

Only additions: four tables, four columns on sessions and two on attendees; every stored row is
kept, old sessions ask for no groups and belong to no traject.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trajects",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("key", name="uq_trajects_key"),
    )
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("partners", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("roles", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("traject_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("round", sa.Integer(), nullable=False, server_default="1"))
        batch.create_foreign_key("fk_sessions_traject", "trajects", ["traject_id"], ["id"], ondelete="SET NULL")
    with op.batch_alter_table("attendees") as batch:
        batch.add_column(sa.Column("partner", sa.String(80), nullable=True))
        batch.add_column(sa.Column("role", sa.String(80), nullable=True))
    op.create_table(
        "written_answers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("attendee_id", sa.Integer(), sa.ForeignKey("attendees.id", ondelete="CASCADE"), nullable=False),
        sa.Column("stop", sa.String(100), nullable=False),
        sa.Column("text", sa.String(1000), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="nieuw"),
        sa.Column("heading", sa.String(80), nullable=False, server_default=""),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('nieuw', 'goedgekeurd', 'verborgen')", name="ck_written_answers_status"),
    )
    op.create_index("ix_written_answers_session_stop", "written_answers", ["session_id", "stop"])
    op.create_table(
        "prompts",
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("stop", sa.String(100), primary_key=True),
        sa.Column("question", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "traject_tallies",
        sa.Column("traject_id", sa.Integer(), sa.ForeignKey("trajects.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("round", sa.Integer(), primary_key=True),
        sa.Column("dimension", sa.String(16), primary_key=True),
        sa.Column("grp", sa.String(80), primary_key=True),
        sa.Column("stop", sa.String(100), primary_key=True),
        sa.Column("item", sa.Integer(), primary_key=True),
        sa.Column("score", sa.Integer(), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("traject_tallies")
    op.drop_table("prompts")
    op.drop_index("ix_written_answers_session_stop", table_name="written_answers")
    op.drop_table("written_answers")
    with op.batch_alter_table("attendees") as batch:
        batch.drop_column("role")
        batch.drop_column("partner")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_constraint("fk_sessions_traject", type_="foreignkey")
        batch.drop_column("round")
        batch.drop_column("traject_id")
        batch.drop_column("roles")
        batch.drop_column("partners")
    op.drop_table("trajects")
