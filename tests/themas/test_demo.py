import io

import pytest
from django.core.management import call_command

from leerateliers.models import Leeratelier
from themas.models import Thema, Update

pytestmark = pytest.mark.django_db


def test_demo_updates_cover_every_thema_and_atelier_with_a_draft_and_a_scheduled_one():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    published = Update.objects.gepubliceerd()
    assert set(published.values_list("thema", flat=True)) - {None} == set(
        Thema.objects.values_list("pk", flat=True)
    )
    assert set(published.values_list("leeratelier", flat=True)) - {None} == set(
        Leeratelier.objects.values_list("pk", flat=True)
    )
    assert Update.objects.filter(status=Update.Status.CONCEPT).count() == 1
    assert Update.objects.filter(status=Update.Status.INGEPLAND).count() == 1
    for update in published:
        assert update.auteur is not None
        assert update.auteur.email.endswith(("@example.org", "@example.nl"))


def test_the_demo_thema_samenwerken_holds_what_the_real_page_holds():
    call_command("seed_demo", stdout=io.StringIO())

    thema = Thema.objects.get(slug="samenwerken")
    assert thema.invalshoeken.count() == 2
    assert len(thema.activiteiten) >= 3
    contact = thema.contactpersonen.zichtbaar().first()
    assert contact.email.endswith(("@example.org", "@example.nl"))
    assert "<strong>" in thema.invalshoeken.last().tekst_html
