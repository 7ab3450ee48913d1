"""Alembic environment: run on the connection the guide hands over (see app/sessions/db.py)."""

from __future__ import annotations

from alembic import context

from app.sessions.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
