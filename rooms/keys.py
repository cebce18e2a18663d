"""Room codes, seat tokens and the facilitator's secret: unguessable, and never stored in the clear.

A room code is short enough to read off a projector (six characters from an alphabet without look-alikes: no 0/O,
1/I/L), drawn with :mod:`secrets`, so codes cannot be found by counting. A seat token and the facilitator's secret
are 128-bit random strings; the database keeps only their SHA-256 digests (they are random, so a fast digest is
enough), and they are compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_room_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """What a participant types, as the room code it means (case and spaces forgiven)."""
    return "".join(code.split()).upper()


def new_secret() -> str:
    """128 random bits, URL-safe; never starting with "-", which a command line would read as an option
    (``rembug room export CODE --secret -x...``)."""
    while True:
        secret = secrets.token_urlsafe(16)
        if not secret.startswith("-"):
            return secret


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def matches(secret: str | None, stored_digest: str | None) -> bool:
    """Whether ``secret`` is the one whose digest is stored (constant time; a missing one never matches)."""
    if not secret or not stored_digest:
        return False
    return hmac.compare_digest(digest(secret), stored_digest)
