"""Bearer tokens of personal links (unsubscribe, confirm): random, and stored only as their
SHA-256, so whoever reads the database or /beheer/ cannot use a link.

The raw token exists in the link of the mail alone; a look-up hashes what the link carries.
SHA-256 without salt is enough: the token is 256 random bits, nothing to guess.
"""

import hashlib
import secrets


def new_token() -> str:
    """A random token for a personal link (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What the database keeps of a token: its SHA-256 in hex (64 characters)."""
    return hashlib.sha256(token.encode()).hexdigest()
