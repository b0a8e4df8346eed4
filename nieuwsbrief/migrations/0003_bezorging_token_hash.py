from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('nieuwsbrief', '0002_coordinator_role'),
    ]

    operations = [
        migrations.AddField(
            model_name='bezorging',
            name='token_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True, verbose_name='hash van de afmeldsleutel'),
        ),
    ]
