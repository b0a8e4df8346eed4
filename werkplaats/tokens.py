"""Random bearer tokens for personal links, stored only as their SHA-256.

A link in a mail carries the token; the database keeps `hash_token(token)`, so neither a
copy of a table nor a page in /beheer/ gives a working link. A lookup hashes the token it
was given and looks for that. Used by every model that answers a personal link.
"""

import hashlib
import secrets


def new_token() -> str:
    """43 URL-safe characters: 256 random bits."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The SHA-256 of a token, as 64 hex characters: what the database stores."""
    return hashlib.sha256(token.encode()).hexdigest()
