"""Database functions more than one app needs, on PostgreSQL and on SQLite (the embedded
default) alike."""

import re

from django.db.models import CharField, F, Func, TextField, Value
from django.db.models.lookups import In

# The name under which `register_sqlite_functions` gives SQLite a case-blind replace.
_SQLITE_REPLACE_CASE_BLIND = "werkplaats_replace_case_blind"


class ReplaceCaseBlind(Func):
    """PostgreSQL's regexp_replace with the "gi" flags; on SQLite a Python function that
    does the same with the pattern (see `register_sqlite_functions`)."""

    function = "REGEXP_REPLACE"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # The fourth argument (the flags) is PostgreSQL's; the SQLite function has them built in.
        copy = self.copy()
        copy.set_source_expressions(self.get_source_expressions()[:3])
        return super(ReplaceCaseBlind, copy).as_sql(
            compiler, connection, function=_SQLITE_REPLACE_CASE_BLIND, **extra_context
        )


def replace_case_blind(field: str, text: str, replacement: str) -> Func:
    """`field` with every occurrence of `text`, in any case, replaced, the text matched
    literally. For removing a name or an address from stored text in one UPDATE."""
    return ReplaceCaseBlind(F(field), Value(re.escape(text)), Value(replacement), Value("gi"))


class Sha256Hex(Func):
    """The hex SHA-256 of a text, as `hashlib.sha256(text.encode()).hexdigest()` gives it:
    PostgreSQL's built-in sha256() (Django's SHA256 needs the pgcrypto extension), and on
    SQLite the SHA256 function Django's backend registers."""

    template = "ENCODE(SHA256(CONVERT_TO(%(expressions)s, 'UTF8')), 'hex')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="SHA256(%(expressions)s)")


def _replace_case_blind(value, pattern, replacement):
    if value is None:
        return None
    return re.sub(pattern, lambda match: replacement, value, flags=re.IGNORECASE)


def register_sqlite_functions(connection) -> None:
    """Give a new SQLite connection the functions PostgreSQL has built in."""
    connection.connection.create_function(
        _SQLITE_REPLACE_CASE_BLIND, 3, _replace_case_blind, deterministic=True
    )


class IntegerFieldIn(In):
    """`__in` on an integer column that leaves out the values no row of it can hold, as
    Django's own exact, gt, gte, lt and lte do: on SQLite such a value (a form's
    "99999999999999999999" for a pk) raised OverflowError, a 500 on the embedded default.
    Registered on IntegerField (pks and counts alike) when the project starts (apps.py)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            lowest, highest = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((lowest is None or value >= lowest) and (highest is None or value <= highest))
            ]
        return super().process_rhs(compiler, connection)
