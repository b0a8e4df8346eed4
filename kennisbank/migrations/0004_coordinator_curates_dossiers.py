"""Coördinatoren curate kennisdossiers in the portal (kennisbank/dossiers/…/bewerken/):
the Coördinator group gets the dossier permissions that /beheer/ alone had."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Coördinator"
CODENAMES = [
    "view_kennisdossier",
    "add_kennisdossier",
    "change_kennisdossier",
    "delete_kennisdossier",
    "add_dossieronderdeel",
    "change_dossieronderdeel",
    "delete_dossieronderdeel",
]


def _permissions(apps):
    app_config = apps.get_app_config("kennisbank")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="kennisbank", codename__in=CODENAMES)
    )
    missing = set(CODENAMES) - {permission.codename for permission in permissions}
    if missing:
        raise RuntimeError(f"Missing permissions for kennisbank: {sorted(missing)}")
    return permissions


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("kennisbank", "0003_zoekindex")]

    operations = [migrations.RunPython(grant, revoke)]
