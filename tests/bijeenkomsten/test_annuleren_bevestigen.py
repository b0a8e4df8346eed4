"""Cancelling someone's registration as a coördinator takes a confirmation step (issue 18,
point 8): the button in the list asks "Weet je zeker…" with who, what happens and a
confirm button; only that button cancels. Plain forms: no JavaScript needed."""

import pytest
from django.urls import reverse

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Handeling
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator
from tests.snapshot import snapshot

pytestmark = pytest.mark.django_db

S = Aanmelding.Status


@pytest.fixture
def symposium():
    bijeenkomst = BijeenkomstFactory(slug="symposium", titel="Symposium Wijkkracht", capaciteit=1)
    bea = services.register(bijeenkomst=bijeenkomst, email="bea@example.org", naam="Bea Bakker")
    wim = services.register(bijeenkomst=bijeenkomst, email="wim@example.org", naam="Wim Wachter")
    return bijeenkomst, bea, wim


@pytest.fixture
def coordinator(client):
    persoon = make_coordinator(naam="Coby Coördinator")
    client.force_login(persoon)
    return persoon


def cancel_url(aanmelding):
    return reverse("bijeenkomsten:aanmelding-annuleren-namens", args=["symposium", aanmelding.pk])


def test_the_button_in_the_list_asks_first_and_only_the_confirmation_cancels(
    client, symposium, coordinator
):
    _bijeenkomst, bea, wim = symposium
    dashboard = client.get(reverse("bijeenkomsten:aanmeldingen", args=["symposium"])).text
    assert f'action="{cancel_url(bea)}"' in dashboard
    before = snapshot()

    response = client.post(cancel_url(bea), {"next": "/bijeenkomsten/symposium/aanmeldingen/"})

    assert response.status_code == 200
    assert snapshot() == before
    page = response.text
    assert "Weet je zeker dat je de aanmelding van Bea Bakker annuleert?" in page
    assert "Symposium Wijkkracht" in page
    assert "De plaats gaat naar de eerste op de wachtlijst." in page
    assert "Bea Bakker krijgt een mail dat de aanmelding is geannuleerd." in page
    assert 'name="bevestigd" value="1"' in page
    assert "Ja, aanmelding annuleren" in page
    assert 'href="/bijeenkomsten/symposium/aanmeldingen/"' in page

    response = client.post(
        cancel_url(bea),
        {"bevestigd": "1", "reden": "Dubbel", "next": "/bijeenkomsten/symposium/aanmeldingen/"},
    )

    assert response.status_code == 302
    assert response.url == "/bijeenkomsten/symposium/aanmeldingen/"
    bea.refresh_from_db()
    wim.refresh_from_db()
    assert (bea.status, wim.status) == (S.GEANNULEERD, S.AANGEBODEN)
    assert OutboxMessage.objects.filter(key=f"aanmelding:{bea.pk}:geannuleerd").exists()
    handeling = Handeling.objects.get(soort=Handeling.Soort.AANMELDING_GEANNULEERD)
    assert (handeling.door, handeling.reden) == (coordinator, "Dubbel")


def test_the_confirmation_page_also_answers_a_get(client, symposium, coordinator):
    _bijeenkomst, _bea, wim = symposium
    before = snapshot()

    response = client.get(cancel_url(wim))

    assert response.status_code == 200
    assert snapshot() == before
    assert "Weet je zeker dat je Wim Wachter van de wachtlijst haalt?" in response.text
    assert "Ja, van de wachtlijst halen" in response.text


def test_a_registration_already_ended_is_not_asked_about(client, symposium, coordinator):
    _bijeenkomst, bea, _wim = symposium
    services.cancel(aanmelding=bea)

    response = client.get(cancel_url(bea), follow=True)

    assert response.redirect_chain
    assert "Deze aanmelding is al beëindigd." in response.text


def test_someone_who_does_not_coordinate_sees_no_confirmation_page(client, symposium):
    _bijeenkomst, bea, _wim = symposium
    client.force_login(PersoonFactory())

    assert client.get(cancel_url(bea)).status_code == 403
    assert client.post(cancel_url(bea)).status_code == 403


def test_an_unknown_registration_is_not_found(client, symposium, coordinator):
    url = reverse("bijeenkomsten:aanmelding-annuleren-namens", args=["symposium", 999999])

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
