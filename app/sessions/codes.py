"""Join codes, facilitator secrets and attendee tokens: random, and only ever stored hashed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

# No 0/o, 1/l/i: a code is read off a projector and typed on a phone.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
# 31**8 ≈ 8.5e11 codes. Guessing is slowed per address (app/sessions/limits.py CodeGuard): 30
# misses a minute, 43,200 a day. With 1,000 sessions open at once, one address hits one in
# 8.5e11 / 1,000 / 43,200 ≈ 20,000 days on average; a thousand addresses at once in about 20 days,
# while a session lives ZEVENSTOPS_SESSION_DAYS (30) — and a code alone lets one only answer.
CODE_LENGTH = 8
CODE_RE = re.compile(rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """A code as people type it ("K7QM-4XPA", "k7qm 4xpa") in its stored form, or None."""
    code = re.sub(r"[\s-]", "", text).lower()
    return code if CODE_RE.match(code) else None


def new_secret() -> str:
    """128 random bits for the facilitator's address (a capability: whoever has it, presents)."""
    return secrets.token_urlsafe(16)


TAKEOVER_LENGTH = 26  # 31**26 ≈ 2**128.8: as strong as a secret, and typeable from a screen


def new_takeover_token() -> str:
    """A one-time token for taking a session over on another device: 128 bits in the code alphabet."""
    return "".join(secrets.choice(ALPHABET) for _ in range(TAKEOVER_LENGTH))


def normalise_takeover_token(text: str) -> str:
    """A takeover token as typed ("ab3d efgh …", capitals) in its issued form ("" if it cannot be one)."""
    token = re.sub(r"[\s-]", "", text).lower()
    return token if len(token) == TAKEOVER_LENGTH and all(c in ALPHABET for c in token) else ""


def grouped(token: str) -> str:
    """A long token in groups of four, to read from one screen and type on another."""
    return " ".join(token[i : i + 4] for i in range(0, len(token), 4)).upper()


def attendee_token(session_key: str) -> str:
    """A new attendee token for one session: 128 random bits and the server's seal on them.

    Only this server can seal (the key never leaves the database), so a client cannot make up
    attendees by making up cookies: every attendee opened the session's page once.
    """
    random_part = secrets.token_urlsafe(16)
    return f"{random_part}.{_seal(session_key, random_part)}"


def valid_attendee_token(session_key: str, token: str) -> bool:
    random_part, _, seal = token.partition(".")
    return len(random_part) == 22 and secrets.compare_digest(seal, _seal(session_key, random_part))


def _seal(session_key: str, random_part: str) -> str:
    mac = hmac.new(session_key.encode(), random_part.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:16]).decode().rstrip("=")


def digest(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Compare in constant time, so the answer's timing tells nothing about the stored hash."""
    return secrets.compare_digest(digest(secret), stored_hash)


def display(code: str) -> str:
    """The code as shown on the projector: two groups of four, easier to read out."""
    return f"{code[:4]} {code[4:]}".upper()
