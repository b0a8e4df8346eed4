"""A search term typed into a page's search field, made safe to put in a query."""

import re

MAX_LENGTH = 100
# NUL and the other control characters: PostgreSQL refuses NUL in a text parameter (a 500),
# and nobody means to search for them.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def search_term(value: str | None) -> str:
    """The term without control characters, trimmed, at most MAX_LENGTH characters."""
    return _CONTROL_CHARACTERS.sub("", value or "").strip()[:MAX_LENGTH]
