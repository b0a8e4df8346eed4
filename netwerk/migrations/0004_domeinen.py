from django.db import migrations

DOMEINEN = [
    "welzijn",
    "zorg",
    "wonen",
    "werk-en-inkomen",
    "sport",
    "cultuur",
    "onderwijs",
    "veiligheid",
]


def create_domeinen(apps, schema_editor):
    Domein = apps.get_model("netwerk", "Domein")
    for code in DOMEINEN:
        Domein.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("netwerk", "0003_organisatie_profiel")]

    operations = [migrations.RunPython(create_domeinen, migrations.RunPython.noop)]
