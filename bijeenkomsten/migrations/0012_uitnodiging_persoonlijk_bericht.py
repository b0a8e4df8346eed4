"""A personal message from the sender in an invitation (issue 18, point 8)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bijeenkomsten", "0011_aanmelding_bron"),
    ]

    operations = [
        migrations.AddField(
            model_name="uitnodiging",
            name="persoonlijk_bericht",
            field=models.TextField(
                blank=True,
                help_text="Van wie uitnodigde; gewone tekst, in de uitnodiging getoond.",
                max_length=1000,
                verbose_name="persoonlijk bericht",
            ),
        ),
    ]
