"""A subscription's unsubscribe token is stored only as its SHA-256.

Each existing token is hashed in place, so the links in mails already sent keep working
(the look-up hashes what the link carries). One way only: the raw tokens are gone.
"""

from django.db import migrations, models
from django.db.models import F

from werkplaats.db_functions import Sha256Hex


def hash_tokens(apps, schema_editor):
    Abonnement = apps.get_model("netwerk", "Abonnement")
    Abonnement.objects.exclude(token_hash=None).update(token_hash=Sha256Hex(F("token_hash")))


class Migration(migrations.Migration):
    dependencies = [("netwerk", "0011_persoon_taal")]

    operations = [
        migrations.RenameField("abonnement", "token", "token_hash"),
        migrations.AlterField(
            model_name="abonnement",
            name="token_hash",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                null=True,
                unique=True,
                verbose_name="hash van de persoonlijke sleutel",
            ),
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop, elidable=False),
    ]
