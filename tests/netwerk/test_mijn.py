"""/mijn/ lists the person's own bijeenkomst registrations, coming and past, with what to do."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.netwerk.factories import PersoonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def persoon():
    return PersoonFactory(naam="Mila Mijn", email="mila.mijn@example.org")


def register(bijeenkomst, email, **extra):
    return services.register(bijeenkomst=bijeenkomst, email=email, naam=email, **extra)


def full(titel="Vol symposium", capaciteit=1, **extra):
    """A bijeenkomst whose places are all taken by others."""
    bijeenkomst = BijeenkomstFactory(titel=titel, capaciteit=capaciteit, **extra)
    for number in range(capaciteit):
        register(bijeenkomst, f"bezet{number}@example.org")
    return bijeenkomst


def mijn(client):
    response = client.get("/mijn/")
    assert response.status_code == 200
    return response


def coming_and_past(content: str) -> tuple[str, str]:
    """The HTML of the coming and of the past group of the page's bijeenkomsten section."""
    section = re.search(r'<section id="bijeenkomsten".*?</section>', content, re.S).group(0)
    coming, _, past = section.partition('id="voorbij-titel"')
    return coming, past


def test_a_waiting_registration_shows_its_place_on_the_wachtlijst(client, persoon):
    bijeenkomst = full()
    voor = register(bijeenkomst, "eerder@example.org")
    register(bijeenkomst, persoon.email, persoon=persoon)
    client.force_login(persoon)

    assert "Je staat op de wachtlijst, op plaats 2." in mijn(client).content.decode()

    services.cancel(aanmelding=voor)
    assert "Je staat op de wachtlijst, op plaats 1." in mijn(client).content.decode()


def test_an_open_offer_shows_its_deadline_and_the_buttons_to_claim_and_decline(client, persoon):
    bijeenkomst = full(titel="Symposium Sociale Kwaliteit")
    aanmelding = register(bijeenkomst, persoon.email, persoon=persoon)
    services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=2)
    aanmelding.refresh_from_db()
    assert aanmelding.status == Aanmelding.Status.AANGEBODEN
    client.force_login(persoon)

    content = mijn(client).content.decode()

    deadline = timezone.localtime(aanmelding.aanbod_tot)
    assert f'<time datetime="{deadline.isoformat()}">' in content
    assert formats.date_format(deadline, "l j F Y, H:i") in content
    for action, label in [("claimen", "Plek claimen"), ("afwijzen", "Plek afwijzen")]:
        form = re.search(
            rf'<form method="post" action="/aanmelding/eigen/{aanmelding.pk}/{action}/".*?</form>',
            content,
            re.S,
        ).group(0)
        assert 'name="csrfmiddlewaretoken"' in form
        assert f'aria-label="{label}: Symposium Sociale Kwaliteit"' in form
    assert f'href="/aanmelding/eigen/{aanmelding.pk}/"' in content


def test_claiming_an_offer_from_mijn_confirms_the_place(persoon):
    bijeenkomst = full()
    aanmelding = register(bijeenkomst, persoon.email, persoon=persoon)
    services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=2)
    client = Client(enforce_csrf_checks=True)
    client.force_login(persoon)

    content = mijn(client).content.decode()
    action = re.search(r'<form method="post" action="([^"]+/claimen/)"', content).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
    response = client.post(action, {"csrfmiddlewaretoken": csrf}, follow=True)

    assert response.status_code == 200
    assert "Je hebt de plek geclaimd." in response.content.decode()
    aanmelding.refresh_from_db()
    assert aanmelding.status == Aanmelding.Status.BEVESTIGD
    coming, _past = coming_and_past(mijn(client).content.decode())
    assert "Status: <strong>bevestigd</strong>" in coming
    assert "Plek claimen" not in coming


def test_past_registrations_are_listed_apart_from_the_coming_ones(client, persoon):
    register(BijeenkomstFactory(titel="Komend leerfestival"), persoon.email, persoon=persoon)
    start = timezone.now() - timedelta(days=30)
    AanmeldingFactory(
        bijeenkomst=BijeenkomstFactory(titel="Voorbije masterclass", start=start),
        email=persoon.email,
        persoon=persoon,
    )
    client.force_login(persoon)

    coming, past = coming_and_past(mijn(client).content.decode())

    assert "Komend leerfestival" in coming
    assert "Voorbije masterclass" not in coming
    assert "Voorbije masterclass" in past
    assert "Komend leerfestival" not in past


def test_only_the_last_past_registrations_are_shown_with_a_note(client, persoon):
    for days in range(1, 23):
        AanmeldingFactory(
            bijeenkomst=BijeenkomstFactory(
                titel=f"Terugblik {days} dagen", start=timezone.now() - timedelta(days=days)
            ),
            email=persoon.email,
        )
    client.force_login(persoon)

    _coming, past = coming_and_past(mijn(client).content.decode())

    assert "Terugblik 1 dagen" in past
    assert "Terugblik 20 dagen" in past
    assert "Terugblik 21 dagen" not in past
    assert "Alleen de laatste 20 voorbije bijeenkomsten staan hier." in past


def test_registrations_by_account_or_by_address_are_mine_and_nobody_elses_are(client, persoon):
    register(
        BijeenkomstFactory(titel="Met mijn account"), "ander.adres@example.org", persoon=persoon
    )
    # Registered as a guest before having an account, the address in other capitals.
    register(BijeenkomstFactory(titel="Als gast aangemeld"), "Mila.Mijn@Example.org")
    buurman = PersoonFactory(email="buurman@example.org")
    register(BijeenkomstFactory(titel="Van de buurman"), buurman.email, persoon=buurman)
    register(BijeenkomstFactory(titel="Van een gast"), "mila.mijn.gast@example.org")
    client.force_login(persoon)

    content = mijn(client).content.decode()

    assert "Met mijn account" in content
    assert "Als gast aangemeld" in content
    assert "Van de buurman" not in content
    assert "Van een gast" not in content


def test_without_registrations_mijn_points_to_the_bijeenkomsten(client, persoon):
    client.force_login(persoon)
    assert "Je bent nog niet aangemeld voor een bijeenkomst." in mijn(client).content.decode()


def add_registrations(persoon, count):
    """`count` registrations of the person, in turn: an offer, a past one, waiting, confirmed."""
    for number in range(count):
        kind = number % 4
        if kind == 0:
            bijeenkomst = full()
            register(bijeenkomst, persoon.email, persoon=persoon)
            services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=2)
        elif kind == 1:
            AanmeldingFactory(
                bijeenkomst=BijeenkomstFactory(start=timezone.now() - timedelta(days=number)),
                email=persoon.email,
            )
        elif kind == 2:
            register(full(), persoon.email, persoon=persoon)
        else:
            register(BijeenkomstFactory(), persoon.email, persoon=persoon)


def count_queries(client):
    with CaptureQueriesContext(connection) as context:
        mijn(client)
    return len(context.captured_queries)


def test_mijn_does_not_grow_in_queries_with_more_registrations(client, persoon):
    client.force_login(persoon)
    mijn(client)
    # Each count is of the page made anew: the registrations it shows changed since it was
    # last kept in the cache.
    add_registrations(persoon, 2)
    few = count_queries(client)
    add_registrations(persoon, 18)
    many = count_queries(client)

    assert Aanmelding.objects.filter(email=persoon.email).count() == 20
    assert few == many
    assert many <= 15
