from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Coördinator"
# A coördinator may write, edit, schedule, publish and withdraw any update.
CODENAMES = ["view_update", "add_update", "change_update"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("themas")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="themas", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="themas", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("themas", "0003_updates_en_volgingen"),
        ("leerateliers", "0004_coordinator_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
