"""Join codes, facilitator secrets and attendee tokens: random, and only ever stored hashed."""

from __future__ import annotations

import hashlib
import re
import secrets

# No 0/o, 1/l/i: a code is read off a projector and typed on a phone.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 8  # 31**8 ≈ 8.5e11 codes: guessing one is hopeless at the rate limits
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


def new_token() -> str:
    """128 random bits for an attendee's anonymous cookie."""
    return secrets.token_urlsafe(16)


def digest(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Compare in constant time, so the answer's timing tells nothing about the stored hash."""
    return secrets.compare_digest(digest(secret), stored_hash)


def display(code: str) -> str:
    """The code as shown on the projector: two groups of four, easier to read out."""
    return f"{code[:4]} {code[4:]}".upper()
