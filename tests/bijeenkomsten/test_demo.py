from io import StringIO

import pytest
from django.core.management import call_command

from bereik import selectors as bereik_selectors
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Verslag
from bijeenkomsten.permissions import can_download_bewijs, can_manage_aanmeldingen
from netwerk.models import OutboxMessage, Persoon

pytestmark = pytest.mark.django_db

S = Aanmelding.Status


def test_seed_demo_adds_a_full_symposium_with_a_wachtlijst_and_one_open_offer_safely_twice():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    symposium = Bijeenkomst.objects.get(slug="landelijk-symposium-werelden-verbinden")
    statuses = list(symposium.aanmeldingen.values_list("status", flat=True))
    assert statuses.count(S.BEVESTIGD) + statuses.count(S.AANGEBODEN) == symposium.capaciteit
    assert statuses.count(S.AANGEBODEN) == 1
    assert statuses.count(S.WACHTLIJST) > 0
    soorten = set(Bijeenkomst.objects.komend().values_list("soort", flat=True))
    assert {"symposium", "tribunebijeenkomst", "kennisbijeenkomst", "masterclass"} <= soorten
    assert Bijeenkomst.objects.komend().filter(soort="webinar").exclude(online_link="").exists()
    assert Bijeenkomst.objects.voorbij().exists()
    assert (
        not Aanmelding.objects.exclude(email__endswith="@example.org")
        .exclude(email__endswith="@example.nl")
        .exists()
    )
    assert not OutboxMessage.objects.filter(key__startswith="aanmelding:").exists()
    coordinator = Persoon.objects.get(email="coordinator@example.org")
    assert can_manage_aanmeldingen(coordinator, Bijeenkomst.objects.first())


def test_seed_demo_scales_the_synthetic_bijeenkomsten():
    call_command("seed_demo", scale=3, stdout=StringIO())

    assert Bijeenkomst.objects.filter(slug__startswith="demo-bijeenkomst-").count() == 20


def test_seed_demo_adds_a_year_of_history_with_a_published_verslag_and_a_certificate_safely_twice():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    verslag = Verslag.objects.get()
    assert verslag.is_gepubliceerd
    assert verslag.aantal_aanwezig > 0
    attendee = verslag.bijeenkomst.aanmeldingen.filter(aanwezig_op__isnull=False).first()
    assert can_download_bewijs(attendee.persoon, attendee)
    report = bereik_selectors.bereik(bereik_selectors.standaard_periode())
    assert dict(report["totalen"])["Aanwezig bij bijeenkomsten"] >= 100
