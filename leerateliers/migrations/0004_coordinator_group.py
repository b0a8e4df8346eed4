from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Coördinator"

# Exactly what the coördinator needs for the network, the leerateliers and the thema's;
# trekker and thematrekker are per object and need no permission at all.
PERMISSIONS = {
    "netwerk": [
        "view_persoon",
        "view_organisatie",
        "add_organisatie",
        "change_organisatie",
        "view_domein",
    ],
    "leerateliers": [
        "view_leeratelier",
        "add_leeratelier",
        "change_leeratelier",
        "merge_leeratelier",
        "view_deelname",
        "change_deelname",
        "view_lerendepraktijk",
        "add_lerendepraktijk",
        "change_lerendepraktijk",
        "delete_lerendepraktijk",
        "view_voorwaarde",
    ],
    "themas": ["view_thema", "add_thema", "change_thema"],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this group needs them now.
    for label in PERMISSIONS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    permissions = []
    for label, codenames in PERMISSIONS.items():
        found = list(
            Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
        )
        missing = set(codenames) - {permission.codename for permission in found}
        if missing:
            raise RuntimeError(f"Missing permissions for {label}: {sorted(missing)}")
        permissions += found
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("netwerk", "0004_domeinen"),
        ("leerateliers", "0003_voorwaarden"),
        ("themas", "0002_thema_inhoud"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
