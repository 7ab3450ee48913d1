"""Answers may be "weet niet" (stored as 0) on a statement's agreement scale.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

Only the check constraint changes (1..5 becomes 0..5); every stored answer is kept as it is.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_constraint("ck_answers_score", type_="check")
        batch.create_check_constraint("ck_answers_score", "score BETWEEN 0 AND 5")


def downgrade() -> None:
    op.execute("DELETE FROM answers WHERE score = 0")  # "weet niet" has no place on the old scale
    with op.batch_alter_table("answers") as batch:
        batch.drop_constraint("ck_answers_score", type_="check")
        batch.create_check_constraint("ck_answers_score", "score BETWEEN 1 AND 5")
