"""How each registration came in (issue 18, point 8): a `bron` on Aanmelding, and the log's
"ter plekke aangemeld" for walk-ins at the door.

Existing rows get the source their other traces tell: a guest link or an invitation that
points at them, a coördinator's "aangemeld namens" log line, a coördinator without such a
line (an import), or else the person themselves.
"""

from django.db import migrations, models

NAMENS_SOORTEN = ["aangemeld-namens", "boven-capaciteit"]


def fill_bron(apps, schema_editor):
    Aanmelding = apps.get_model("bijeenkomsten", "Aanmelding")
    Handeling = apps.get_model("bijeenkomsten", "Handeling")
    GastAanmelding = apps.get_model("bijeenkomsten", "GastAanmelding")
    Uitnodiging = apps.get_model("bijeenkomsten", "Uitnodiging")
    namens = Handeling.objects.filter(
        soort__in=NAMENS_SOORTEN, aanmelding__isnull=False
    ).values("aanmelding_id")
    by_coordinator = Aanmelding.objects.filter(aangemeld_door__isnull=False).exclude(
        aangemeld_door_id=models.F("persoon_id")
    )
    # In this order: a later, more specific trace wins over an earlier one.
    by_coordinator.update(bron="import")
    Aanmelding.objects.filter(pk__in=namens).update(bron="namens")
    Aanmelding.objects.filter(
        pk__in=GastAanmelding.objects.filter(aanmelding__isnull=False).values("aanmelding_id")
    ).update(bron="gast")
    Aanmelding.objects.filter(
        pk__in=Uitnodiging.objects.filter(aanmelding__isnull=False).values("aanmelding_id")
    ).update(bron="uitnodiging")


class Migration(migrations.Migration):
    dependencies = [
        ("bijeenkomsten", "0010_token_hashes"),
    ]

    operations = [
        migrations.AddField(
            model_name="aanmelding",
            name="bron",
            field=models.CharField(
                choices=[
                    ("zelf", "zelf"),
                    ("namens", "namens iemand, door een coördinator"),
                    ("import", "import"),
                    ("gast", "gast-link"),
                    ("uitnodiging", "uitnodiging"),
                    ("ter-plekke", "ter plekke"),
                ],
                default="zelf",
                editable=False,
                max_length=20,
                verbose_name="bron",
            ),
        ),
        migrations.AlterField(
            model_name="handeling",
            name="soort",
            field=models.CharField(
                choices=[
                    ("aangemaakt", "bijeenkomst aangemaakt"),
                    ("gewijzigd", "bijeenkomst gewijzigd"),
                    ("gepubliceerd", "bijeenkomst gepubliceerd"),
                    ("bijeenkomst-geannuleerd", "bijeenkomst geannuleerd"),
                    ("capaciteit", "capaciteit gewijzigd"),
                    ("reservering-vrijgegeven", "gereserveerde plaatsen vrijgegeven"),
                    ("aangemeld-namens", "aangemeld namens iemand"),
                    ("boven-capaciteit", "aangemeld boven capaciteit"),
                    ("geimporteerd", "aanmeldingen geïmporteerd"),
                    ("aanmelding-geannuleerd", "aanmelding geannuleerd"),
                    ("plek-aangeboden", "plek aangeboden"),
                    ("verschoven", "op de wachtlijst verschoven"),
                    ("van-wachtlijst", "van de wachtlijst gehaald"),
                    ("aanwezig", "aanwezig gemeld"),
                    ("ter-plekke", "ter plekke aangemeld"),
                    ("aanwezig-ongedaan", "aanwezigheid ongedaan gemaakt"),
                    ("bericht", "bericht verstuurd"),
                    ("uitgenodigd", "uitnodigingen verstuurd"),
                    ("uitnodiging-herinnerd", "uitgenodigden herinnerd"),
                ],
                max_length=30,
                verbose_name="wat",
            ),
        ),
        migrations.RunPython(fill_bron, migrations.RunPython.noop),
    ]
