import io

import pytest
from django.core.management import call_command

from leerateliers.models import Deelname, Leeratelier, LerendePraktijk
from netwerk.models import Organisatie, Persoon
from themas.models import Thema

pytestmark = pytest.mark.django_db


def counts():
    return [
        model.objects.count()
        for model in (Organisatie, Persoon, Leeratelier, Deelname, LerendePraktijk, Thema)
    ]


def test_the_demo_content_loads_twice_without_duplicates():
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first

    assert Leeratelier.objects.count() == 5
    assert Thema.objects.count() == 5
    assert Organisatie.objects.count() >= 30
    assert set(Organisatie.objects.values_list("soort", flat=True)) == set(Organisatie.Soort)
    assert set(Deelname.objects.values_list("rol", flat=True)) == {"arena", "tribune"}
    assert Deelname.objects.arena_aanvragen().exists()
    assert all(Leeratelier.objects.get(slug=slug).trekkers.exists() for slug in ["armoede"])
    assert Persoon.objects.filter(groups__name="Coördinator").exists()


def test_every_demo_person_has_an_example_address():
    call_command("seed_demo", "--scale", "2", stdout=io.StringIO())
    for email in Persoon.objects.values_list("email", flat=True):
        assert email.endswith(("@example.org", "@example.nl")), email


def test_scale_multiplies_the_synthetic_content_and_stays_idempotent():
    call_command("seed_demo", "--scale", "3", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", "--scale", "3", stdout=io.StringIO())
    assert counts() == first
    assert Leeratelier.objects.count() == 5 * 3
    assert Organisatie.objects.count() == 30 * 3


def test_the_demo_partners_subscribe_to_the_nieuwsbrief_once():
    from netwerk.models import Abonnement, Toestemming

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert Abonnement.objects.bevestigd().count() == 20
    assert Toestemming.objects.count() == 20
