import io

import pytest
from django.core.management import call_command

from bijeenkomsten.demo import CO_ORGANISATOREN
from leerateliers.models import Deelname, Leeratelier, LerendePraktijk
from netwerk.demo import DUBBELE_SPELLINGEN
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
    # With the two other spellings of a gemeente for the coördinator to merge (issue 23),
    # and the co-organising werkplaatsen of the symposium the network did not have yet
    # (issue 21; the demo's own werkplaats is one of the 30).
    co_organising = [slug for slug, *_rest in CO_ORGANISATOREN]
    assert Organisatie.objects.filter(slug__in=co_organising).count() == len(co_organising)
    assert Organisatie.objects.count() == 30 * 3 + len(DUBBELE_SPELLINGEN) + len(co_organising) - 1


def test_the_demo_partners_subscribe_to_the_nieuwsbrief_once():
    from netwerk.models import Abonnement, Toestemming

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert Abonnement.objects.bevestigd().count() == 20
    assert Toestemming.objects.count() == 20


def test_the_demo_has_a_gemeente_with_a_contactpersoon_three_colleagues_and_duplicates():
    from netwerk import services
    from netwerk.demo import COORDINATOR_EMAIL
    from netwerk.models import Lidmaatschap

    call_command("seed_demo", stdout=io.StringIO())
    gemeente = Organisatie.objects.get(slug="gemeente-rijnvallei")
    contact = Lidmaatschap.objects.get(organisatie=gemeente, is_contactpersoon=True)
    assert contact.persoon.email == "ria.rijnders@example.nl"
    assert Lidmaatschap.objects.bevestigd().filter(organisatie=gemeente).count() >= 4
    dubbel = Organisatie.objects.get(slug="gem-rijnvallei")

    # Merged by the coördinator, the spelling is not made again by a second run.
    services.merge_organisatie(
        bron=dubbel, doel=gemeente, door=Persoon.objects.get(email=COORDINATOR_EMAIL)
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert not Organisatie.objects.filter(slug="gem-rijnvallei").exists()
