import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from werkplaats.tokens import hash_token


def hash_existing_tokens(apps, schema_editor):
    """The links in mails already sent keep working: each stored token becomes the hash of
    a PersoonlijkeLink, and the token itself goes with its column."""
    link = apps.get_model("bijeenkomsten", "PersoonlijkeLink")
    for model_name in ("aanmelding", "uitnodiging"):
        rows = apps.get_model("bijeenkomsten", model_name).objects.values_list("pk", "token")
        link.objects.bulk_create(
            (
                link(token_hash=hash_token(token), **{f"{model_name}_id": pk})
                for pk, token in rows.iterator(chunk_size=2000)
            ),
            batch_size=1000,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('bijeenkomsten', '0009_aanmelding_taal'),
    ]

    operations = [
        migrations.CreateModel(
            name='PersoonlijkeLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True, verbose_name='hash van de sleutel')),
                ('aangemaakt_op', models.DateTimeField(default=django.utils.timezone.now, verbose_name='aangemaakt op')),
                ('aanmelding', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='links', to='bijeenkomsten.aanmelding', verbose_name='aanmelding')),
                ('uitnodiging', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='links', to='bijeenkomsten.uitnodiging', verbose_name='uitnodiging')),
            ],
            options={
                'verbose_name': 'persoonlijke link',
                'verbose_name_plural': 'persoonlijke links',
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('aanmelding__isnull', False), ('uitnodiging__isnull', True)), models.Q(('aanmelding__isnull', True), ('uitnodiging__isnull', False)), _connector='OR'), name='persoonlijke_link_van_een_ding')],
            },
        ),
        # No way back: the tokens exist only in the mails now.
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='aanmelding',
            name='token',
        ),
        migrations.RemoveField(
            model_name='uitnodiging',
            name='token',
        ),
    ]
