"""The full-text index of a searched table, kept by PostgreSQL itself.

Each searched model has a `zoekvector` column (`ZoekvectorField`). On PostgreSQL a trigger
fills it from the model's own columns, with the Dutch configuration (stemming: "eenzaam"
finds "eenzaamheid") and a weight per column (A for a title, B for a summary, C for a body),
on every insert and update, in the same transaction as the change, whatever made it: a
service, the admin, a bulk update or a migration. A GIN index on it makes the search fast,
and a trigram index on the title tolerates typos. On SQLite the column stays empty and the
search (kennisbank.zoeken) reads the text columns instead.

A migration adds the column with `AddField(..., ZoekvectorField())` and then
`ZoekIndex(table, {column: weight}, titel=column)`, which does nothing on SQLite.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

CONFIG = "dutch"


class ZoekvectorField(SearchVectorField):
    """A tsvector on PostgreSQL; on SQLite a column that stays empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("null", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "werkplaats.zoekindex.ZoekvectorField", args, kwargs


def _vector_sql(weights: dict[str, str]) -> str:
    parts = [
        f"setweight(to_tsvector('{CONFIG}', coalesce(NEW.{column}::text, '')), '{weight}')"
        for column, weight in weights.items()
    ]
    return " || ".join(parts)


class ZoekIndex(migrations.operations.base.Operation):
    """Trigger, GIN index and trigram index for `table`'s `zoekvector`, and the vector of
    every existing row. Reversible; a no-op on other databases than PostgreSQL."""

    reversible = True

    def __init__(self, table: str, weights: dict[str, str], *, titel: str):
        self.table, self.weights, self.titel = table, weights, titel

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [self.table, self.weights],
            {"titel": self.titel},
        )

    def state_forwards(self, app_label, state):
        pass

    def describe(self):
        return f"Full-text search index of {self.table}"

    @property
    def migration_name_fragment(self):
        return f"zoekindex_{self.table}"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table, columns = self.table, ", ".join(self.weights)
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {table}_zoekvector() RETURNS trigger AS $$
            BEGIN
                NEW.zoekvector := {_vector_sql(self.weights)};
                RETURN NEW;
            END
            $$ LANGUAGE plpgsql
            """
        )
        schema_editor.execute(
            f"""
            CREATE TRIGGER {table}_zoekvector BEFORE INSERT OR UPDATE OF {columns}
            ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_zoekvector()
            """
        )
        # Every row once through the trigger. The names come from the migration, not a user.
        schema_editor.execute(f"UPDATE {table} SET {self.titel} = {self.titel}")  # nosec B608
        schema_editor.execute(f"CREATE INDEX {table}_zoek_idx ON {table} USING gin (zoekvector)")
        schema_editor.execute(
            f"CREATE INDEX {table}_trgm_idx ON {table} USING gin ({self.titel} gin_trgm_ops)"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self.table
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_trgm_idx")
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_zoek_idx")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_zoekvector ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_zoekvector()")
