"""Walk-ins at the door (issue 18, point 8): someone who arrives without a registration is
registered there and then, bevestigd and present at once, with the source "ter plekke".
A walk-in is above capacity: they take no place from the wachtlijst, also when full."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import selectors, services
from bijeenkomsten.models import Aanmelding, Handeling
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator
from tests.snapshot import snapshot

pytestmark = pytest.mark.django_db

S = Aanmelding.Status


@pytest.fixture
def coordinator(client):
    persoon = make_coordinator(naam="Coby Coördinator")
    client.force_login(persoon)
    return persoon


@pytest.fixture
def vandaag():
    """A full bijeenkomst going on now (started an hour ago), with someone waiting."""
    now = timezone.now()
    bijeenkomst = BijeenkomstFactory(
        slug="vandaag", capaciteit=1, start=now - timedelta(hours=1), eind=now + timedelta(hours=2)
    )
    earlier = now - timedelta(days=2)
    services.register(bijeenkomst=bijeenkomst, email="bea@example.org", naam="Bea", now=earlier)
    services.register(bijeenkomst=bijeenkomst, email="wim@example.org", naam="Wim", now=earlier)
    return bijeenkomst


def walk_in_url(slug="vandaag"):
    return reverse("bijeenkomsten:ter-plekke", args=[slug])


def test_a_walk_in_is_confirmed_and_present_at_once_even_when_full(client, vandaag, coordinator):
    mails_before = OutboxMessage.objects.count()

    response = client.post(
        walk_in_url(),
        {"naam": "Wanda Walk-in", "email": "Wanda@Example.org", "organisatie": "Buurtwerk"},
    )

    wanda = vandaag.aanmeldingen.get(naam="Wanda Walk-in")
    assert response.status_code == 302
    assert response.url == f"/bijeenkomsten/vandaag/aanwezig/#aanmelding-{wanda.pk}"
    assert (wanda.status, wanda.bron, wanda.email, wanda.organisatie) == (
        S.BEVESTIGD,
        Aanmelding.Bron.TER_PLEKKE,
        "wanda@example.org",
        "Buurtwerk",
    )
    assert wanda.aanwezig_op is not None
    assert wanda.aanwezig_gemeld_door == coordinator
    assert wanda.aangemeld_door == coordinator
    assert wanda.boven_capaciteit
    assert OutboxMessage.objects.count() == mails_before  # they are here: no mail
    handeling = Handeling.objects.get(soort=Handeling.Soort.TER_PLEKKE)
    assert (handeling.aanmelding, handeling.door) == (wanda, coordinator)
    assert vandaag.aanmeldingen.get(naam="Wim").status == S.WACHTLIJST


def test_a_walk_in_counts_as_present_and_shows_in_the_door_list_and_the_export(
    client, vandaag, coordinator
):
    client.post(walk_in_url(), {"naam": "Wanda Walk-in", "email": "wanda@example.org"})

    assert selectors.aanwezigheid(bijeenkomst=vandaag) == {"bevestigd": 2, "aanwezig": 1}
    door_list = client.get(reverse("bijeenkomsten:aanwezigheid", args=["vandaag"])).text
    assert "1 van 2 bevestigde deelnemers aanwezig" in door_list
    assert "ter plekke" in door_list
    export = client.get(
        reverse("bijeenkomsten:export", args=["vandaag"]), {"keuze": "bevestigd", "formaat": "csv"}
    )
    row = next(
        line for line in b"".join(export.streaming_content).decode().splitlines() if "Wanda" in line
    )
    assert row.split(";")[10] == "ter plekke"


def test_a_walk_in_takes_no_place_from_the_wachtlijst():
    coordinator = make_coordinator()
    day = timezone.localdate() + timedelta(days=3)
    start = timezone.make_aware(datetime.combine(day, time(10, 0)))
    bijeenkomst = BijeenkomstFactory(capaciteit=1, start=start, eind=start + timedelta(hours=3))
    bea = services.register(bijeenkomst=bijeenkomst, email="bea@example.org", naam="Bea")
    wim = services.register(bijeenkomst=bijeenkomst, email="wim@example.org", naam="Wim")

    # Early at the door, before the start: the wachtlijst is still served.
    services.register_walk_in(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        naam="Wanda",
        email="wanda@example.org",
        now=start - timedelta(minutes=30),
    )
    assert bijeenkomst.aanmeldingen.bezet().count() == 1
    services.cancel(aanmelding=bea)

    wim.refresh_from_db()
    assert wim.status == S.AANGEBODEN


def test_a_walk_in_before_the_day_is_refused_and_nothing_changes(client, coordinator):
    BijeenkomstFactory(slug="later")
    before = snapshot()

    response = client.post(walk_in_url("later"), {"naam": "Wanda", "email": "wanda@example.org"})

    assert response.status_code == 400
    assert "Ter plekke aanmelden kan vanaf de dag van de bijeenkomst." in response.text
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"naam": "", "email": "wanda@example.org"}, "Vul de naam in."),
        ({"naam": "Wanda", "email": ""}, "Vul het e-mailadres in."),
        ({"naam": "Wanda", "email": "geen-adres"}, "Vul een geldig e-mailadres in"),
        ({"naam": "W" * 151, "email": "wanda@example.org"}, "niet meer dan 150 tekens"),
    ],
)
def test_what_is_wrong_is_said_in_dutch_at_its_field_and_nothing_changes(
    client, vandaag, coordinator, data, error
):
    before = snapshot()

    response = client.post(walk_in_url(), data)

    assert response.status_code == 400
    assert error in response.text
    assert 'href="#id_' in response.text
    assert snapshot() == before


def test_someone_already_registered_is_found_in_the_list_not_registered_twice(
    client, vandaag, coordinator
):
    before = snapshot()

    response = client.post(walk_in_url(), {"naam": "Wim W.", "email": "WIM@example.org"})

    assert response.status_code == 400
    assert "wim@example.org is al aangemeld (op de wachtlijst)." in response.text
    assert snapshot() == before


def test_a_cancelled_or_finished_bijeenkomst_takes_no_walk_ins(coordinator):
    now = timezone.now()
    voorbij = BijeenkomstFactory(start=now - timedelta(hours=4), eind=now - timedelta(hours=1))
    geannuleerd = BijeenkomstFactory(start=now - timedelta(hours=1), status="geannuleerd")

    for bijeenkomst, reason in ((voorbij, "al voorbij"), (geannuleerd, "geannuleerd")):
        with pytest.raises(services.RegistrationError, match=reason):
            services.register_walk_in(
                bijeenkomst=bijeenkomst, door=coordinator, naam="W", email="w@example.org"
            )
    assert not Aanmelding.objects.exists()


def test_the_door_list_offers_the_form_and_others_cannot_use_it(client, vandaag, coordinator):
    door_list = client.get(reverse("bijeenkomsten:aanwezigheid", args=["vandaag"])).text
    assert f'action="{walk_in_url()}"' in door_list
    assert '<label for="id_email">' in door_list

    client.force_login(PersoonFactory())
    before = snapshot()
    assert client.get(walk_in_url()).status_code == 403
    assert client.post(walk_in_url(), {"naam": "X", "email": "x@example.org"}).status_code == 403
    assert snapshot() == before
    client.logout()
    assert client.post(walk_in_url(), {"naam": "X", "email": "x@example.org"}).status_code == 302
    assert snapshot() == before
