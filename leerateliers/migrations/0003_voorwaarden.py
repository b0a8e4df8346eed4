from django.db import migrations

# The four conditions of Sociale Kwaliteit.
VOORWAARDEN = [
    (
        "sociaal-economische-zekerheid",
        "Sociaal-economische zekerheid",
        "Basisbehoeften zoals werk, inkomen, wonen en veiligheid.",
    ),
    (
        "sociale-inclusie",
        "Sociale inclusie",
        "Toegankelijkheid en responsiviteit van groepen, organisaties en systemen.",
    ),
    (
        "sociale-cohesie",
        "Sociale cohesie",
        "Verbondenheid op basis van respect, erkenning en wederkerigheid.",
    ),
    (
        "sociale-empowerment",
        "Sociale empowerment",
        "Mogelijkheden voor persoonlijke ontwikkeling en zelfbeschikking.",
    ),
]


def create_voorwaarden(apps, schema_editor):
    Voorwaarde = apps.get_model("leerateliers", "Voorwaarde")
    for volgorde, (slug, naam, beschrijving) in enumerate(VOORWAARDEN, start=1):
        Voorwaarde.objects.update_or_create(
            slug=slug, defaults={"naam": naam, "beschrijving": beschrijving, "volgorde": volgorde}
        )


class Migration(migrations.Migration):
    dependencies = [("leerateliers", "0002_leeratelier_deelname_lerendepraktijk")]

    operations = [migrations.RunPython(create_voorwaarden, migrations.RunPython.noop)]
