"""Database functions more than one app needs."""

import re

from django.db.models import CharField, F, Func, TextField, Value


def replace_case_blind(field: str, text: str, replacement: str) -> Func:
    """`field` with every occurrence of `text`, in any case, replaced: PostgreSQL's
    regexp_replace with the "gi" flags, the text escaped so it is matched literally. For
    removing a name or an address from stored text in one UPDATE."""
    return Func(
        F(field),
        Value(re.escape(text)),
        Value(replacement),
        Value("gi"),
        function="REGEXP_REPLACE",
        output_field=TextField(),
    )


class Sha256Hex(Func):
    """The hex SHA-256 of a text, as `hashlib.sha256(text.encode()).hexdigest()` gives it:
    PostgreSQL's built-in sha256() (Django's SHA256 needs the pgcrypto extension)."""

    template = "ENCODE(SHA256(CONVERT_TO(%(expressions)s, 'UTF8')), 'hex')"
    output_field = CharField()
