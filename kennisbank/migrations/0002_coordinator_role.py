"""The Coördinator group writes, publishes and withdraws every kennisproduct. Deleting, and
curating kennisdossiers (in /beheer/), is for beheerders."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Coördinator"
PERMISSIONS = {
    "kennisbank": [
        "view_kennisproduct",
        "add_kennisproduct",
        "change_kennisproduct",
    ],
}


def grant(apps, schema_editor):
    for label in PERMISSIONS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for label, codenames in PERMISSIONS.items():
        permissions = list(
            Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
        )
        missing = set(codenames) - {permission.codename for permission in permissions}
        if missing:
            raise RuntimeError(f"Missing permissions for {label}: {sorted(missing)}")
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        for label, codenames in PERMISSIONS.items():
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("kennisbank", "0001_kennisbank"),
        ("bijeenkomsten", "0002_coordinator_role"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
