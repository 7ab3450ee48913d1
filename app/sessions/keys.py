"""Who may present a session: the secret in the starting browser's cookie, and devices that took over.

A facilitator proves who they are by a cookie holding a secret (never by an address). To go on
on a second device, the facilitator asks for a one-time takeover token; the device that uses
it within TAKEOVER_MINUTES gets a key of its own. Only hashes are stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, insert, select, update

from app.sessions import codes
from app.sessions.db import writing
from app.sessions.schema import facilitator_keys, sessions

TAKEOVER_MINUTES = 10


class FacilitatorKeys:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]):
        self.engine = engine
        self.clock = clock

    def authorised(self, code: str, secret: str) -> bool:
        """Whether `secret` lets its holder present session `code`: the starter's, or a device's key."""
        if not secret:
            return False
        with self.engine.connect() as db:
            row = db.execute(select(sessions.c.id, sessions.c.secret_hash).where(sessions.c.code == code)).first()
            if row is None:
                return False
            if codes.secret_matches(secret, row.secret_hash):
                return True
            # Looked up by hash: the hash of a 128-bit secret gives nothing away to a timing.
            key = and_(
                facilitator_keys.c.session_id == row.id,
                facilitator_keys.c.kind == "key",
                facilitator_keys.c.key_hash == codes.digest(secret),
            )
            return db.execute(select(facilitator_keys.c.id).where(key)).first() is not None

    def offer_takeover(self, session_id: int) -> str:
        """A new one-time takeover token for the session (earlier unused ones stop working)."""
        token = codes.new_takeover_token()
        with writing(self.engine) as db:
            db.execute(
                facilitator_keys.delete().where(
                    and_(facilitator_keys.c.session_id == session_id, facilitator_keys.c.kind == "takeover")
                )
            )
            db.execute(
                insert(facilitator_keys).values(
                    session_id=session_id,
                    kind="takeover",
                    key_hash=codes.digest(token),
                    # Stored to the minute, like every time in the database: rounded up, so at least ten minutes.
                    expires_at=_next_minute(self.clock() + timedelta(minutes=TAKEOVER_MINUTES)),
                )
            )
        return token

    def take_over(self, session_id: int, token: str) -> str | None:
        """Use a takeover token once: the new device's key, or None (wrong, used or expired)."""
        if not token:
            return None
        key = codes.new_secret()
        with writing(self.engine) as db:
            used = db.execute(
                update(facilitator_keys)
                .where(
                    and_(
                        facilitator_keys.c.session_id == session_id,
                        facilitator_keys.c.kind == "takeover",
                        facilitator_keys.c.key_hash == codes.digest(token),
                        facilitator_keys.c.expires_at > self.clock(),
                    )
                )
                .values(kind="key", key_hash=codes.digest(key), expires_at=None)
            )
        return key if used.rowcount == 1 else None


def _next_minute(moment: datetime) -> datetime:
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)
