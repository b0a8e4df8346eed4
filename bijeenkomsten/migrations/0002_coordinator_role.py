"""One coördinator role: the group "Coördinator" gets the bijeenkomsten permissions, and
the lower-case "coördinator" group that older code made at run time is folded into it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Coördinator"
OLD_GROUP = "coördinator"
# Create, edit, publish and cancel bijeenkomsten; see, register, move and cancel
# aanmeldingen. Deleting is for beheerders only: history stays.
CODENAMES = [
    "view_bijeenkomst",
    "add_bijeenkomst",
    "change_bijeenkomst",
    "view_aanmelding",
    "add_aanmelding",
    "change_aanmelding",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("bijeenkomsten")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    permissions = list(
        Permission.objects.filter(content_type__app_label="bijeenkomsten", codename__in=CODENAMES)
    )
    missing = set(CODENAMES) - {permission.codename for permission in permissions}
    if missing:
        raise RuntimeError(f"Missing permissions for bijeenkomsten: {sorted(missing)}")
    group.permissions.add(*permissions)
    # Exact match: PostgreSQL compares case-sensitively, so this is the lower-case group.
    for old in Group.objects.filter(name=OLD_GROUP).exclude(pk=group.pk):
        group.user_set.add(*old.user_set.all())
        old.delete()


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="bijeenkomsten", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bijeenkomsten", "0001_initial"),
        ("leerateliers", "0004_coordinator_group"),
        ("themas", "0004_coordinator_updates"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
