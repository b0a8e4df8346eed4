"""Every row of the portal's own tables, fingerprinted in one query, to tell whether a
request changed anything and which rows it wrote."""

from django.apps import apps
from django.db import connection

# The portal's apps, allauth's, the admin log and the groups.
SNAPSHOT_APPS = {
    "netwerk",
    "leerateliers",
    "themas",
    "bijeenkomsten",
    "nieuwsbrief",
    "privacy",
    "account",
    "mfa",
    "auth",
    "admin",
}


def _models():
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in SNAPSHOT_APPS and not model._meta.proxy:
            yield model


def _query() -> str:
    quote = connection.ops.quote_name
    # last_login moves with force_login, not with the request under test.
    if connection.vendor == "sqlite":
        return " UNION ALL ".join(
            f"SELECT %s, CAST(t.{quote(model._meta.pk.column)} AS TEXT), "
            f"MD5(json_array({_sqlite_columns(model)})) FROM {quote(model._meta.db_table)} t"
            for model in _models()
        )
    return " UNION ALL ".join(
        f"SELECT %s, t.{quote(model._meta.pk.column)}::text, "
        f"md5((to_jsonb(t) - 'last_login')::text) FROM {quote(model._meta.db_table)} t"
        for model in _models()
    )


def _sqlite_columns(model) -> str:
    quote = connection.ops.quote_name
    return ", ".join(
        f"CAST(t.{quote(field.column)} AS TEXT)"
        for field in model._meta.concrete_fields
        if field.column != "last_login"
    )


def snapshot() -> dict:
    """model label → {pk: fingerprint of the row}."""
    labels = [model._meta.label for model in _models()]
    rows = {label: {} for label in labels}
    with connection.cursor() as cursor:
        cursor.execute(_query(), labels)
        for label, pk, fingerprint in cursor.fetchall():
            rows[label][pk] = fingerprint
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def written_rows(before: dict, after: dict):
    """The model instances that are new or changed between two snapshots."""
    for label, rows in after.items():
        pks = [pk for pk, fingerprint in rows.items() if before[label].get(pk) != fingerprint]
        if pks:
            yield from apps.get_model(label)._base_manager.filter(pk__in=pks)
