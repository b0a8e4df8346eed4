"""Check-in at the door: confirmed attendees only, once each, logged, undoable; the door
list on a phone and the button on the personal page a scanned link opens."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Handeling
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db

S = Aanmelding.Status


@pytest.fixture
def bijeenkomst():
    return BijeenkomstFactory(slug="symposium", capaciteit=1)


@pytest.fixture
def coordinator(client):
    persoon = make_coordinator(naam="Coby Coördinator")
    client.force_login(persoon)
    return persoon


def register(bijeenkomst, naam, email, **gegevens):
    return services.register(bijeenkomst=bijeenkomst, email=email, naam=naam, **gegevens)


# The services


def test_a_check_in_records_when_and_who_and_is_logged(bijeenkomst, coordinator):
    anna = register(bijeenkomst, "Anna", "anna@example.org")

    services.check_in(aanmelding=anna, door=coordinator)

    anna.refresh_from_db()
    assert anna.aanwezig_op is not None
    assert anna.aanwezig_gemeld_door == coordinator
    handeling = Handeling.objects.get()
    assert (handeling.soort, handeling.aanmelding, handeling.door) == (
        Handeling.Soort.AANWEZIG,
        anna,
        coordinator,
    )


def test_a_second_check_in_says_who_did_it_first_and_changes_nothing(bijeenkomst, coordinator):
    anna = register(bijeenkomst, "Anna", "anna@example.org")
    services.check_in(aanmelding=anna, door=coordinator)
    first = Aanmelding.objects.get(pk=anna.pk).aanwezig_op

    with pytest.raises(services.RegistrationError, match="al aanwezig gemeld .* Coby Coördinator"):
        services.check_in(aanmelding=anna, door=make_coordinator())

    assert Aanmelding.objects.get(pk=anna.pk).aanwezig_op == first
    assert Handeling.objects.count() == 1


@pytest.mark.parametrize("status", [S.WACHTLIJST, S.AANGEBODEN, S.GEANNULEERD, S.VERLOPEN])
def test_only_a_confirmed_registration_can_be_checked_in(bijeenkomst, coordinator, status):
    aanmelding = AanmeldingFactory(bijeenkomst=bijeenkomst, status=S.BEVESTIGD)
    Aanmelding.objects.filter(pk=aanmelding.pk).update(
        status=status, wachtlijst_volgorde=1, aanbod_tot=bijeenkomst.start
    )

    with pytest.raises(services.RegistrationError, match="bevestigde aanmelding"):
        services.check_in(aanmelding=aanmelding, door=coordinator)

    assert Aanmelding.objects.get(pk=aanmelding.pk).aanwezig_op is None
    assert not Handeling.objects.exists()


def test_undoing_a_check_in_clears_it_and_is_logged(bijeenkomst, coordinator):
    anna = register(bijeenkomst, "Anna", "anna@example.org")
    services.check_in(aanmelding=anna, door=coordinator)

    services.undo_check_in(aanmelding=anna, door=coordinator)

    anna.refresh_from_db()
    assert (anna.aanwezig_op, anna.aanwezig_gemeld_door) == (None, None)
    assert Handeling.objects.first().soort == Handeling.Soort.AANWEZIG_ONGEDAAN
    with pytest.raises(services.RegistrationError, match="niet aanwezig gemeld"):
        services.undo_check_in(aanmelding=anna, door=coordinator)


def test_a_very_long_name_and_address_still_fit_in_the_log(bijeenkomst, coordinator):
    email = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".nl"
    aanmelding = AanmeldingFactory(bijeenkomst=bijeenkomst, naam="N" * 150, email=email)

    services.check_in(aanmelding=aanmelding, door=coordinator)

    assert len(Handeling.objects.get().omschrijving) == 300


# The door list


def test_the_door_list_shows_the_confirmed_by_name_above_capacity_included(
    client, bijeenkomst, coordinator
):
    register(bijeenkomst, "Zoë Zwart", "zoe@example.org")
    register(bijeenkomst, "Wim Wachtend", "wim@example.org")
    services.register_on_behalf(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        email="sara@example.org",
        naam="sara Spreker",
        boven_capaciteit_reden="spreker",
    )

    response = client.get(reverse("bijeenkomsten:aanwezigheid", args=["symposium"]))

    assert response.status_code == 200
    assert [a.naam for a in response.context["aanmeldingen"]] == ["sara Spreker", "Zoë Zwart"]
    assert "Wim Wachtend" not in response.text
    assert "boven capaciteit" in response.text
    assert "0 van 2 bevestigde deelnemers aanwezig" in response.text


def test_the_search_finds_people_by_naam_email_or_organisatie(client, coordinator):
    bijeenkomst = BijeenkomstFactory(slug="groot", capaciteit=None)
    register(bijeenkomst, "Anna de Vries", "anna@example.org", organisatie="Buurtteam Oost")
    register(bijeenkomst, "Bram Bakker", "b.bakker@example.nl", organisatie="Gemeente Arnhem")
    register(bijeenkomst, "Chris Claes", "chris@example.org", organisatie="Buurtteam West")

    def found(q):
        response = client.get(reverse("bijeenkomsten:aanwezigheid", args=["groot"]), {"q": q})
        return [a.naam for a in response.context["aanmeldingen"]]

    assert found("vries") == ["Anna de Vries"]
    assert found("bakker@") == ["Bram Bakker"]
    assert found("buurtteam") == ["Anna de Vries", "Chris Claes"]
    assert found("buurtteam west") == ["Chris Claes"]
    assert found("niemand") == []


def test_checking_in_from_the_list_returns_to_the_same_place(client, coordinator):
    bijeenkomst = BijeenkomstFactory(slug="groot", capaciteit=None)
    anna = register(bijeenkomst, "Anna", "anna@example.org")
    back = reverse("bijeenkomsten:aanwezigheid", args=["groot"]) + "?q=anna&page=1"

    response = client.post(
        reverse("bijeenkomsten:aanwezig-melden", args=["groot", anna.pk]),
        {"next": f"{back}#aanmelding-{anna.pk}"},
    )
    page = client.get(back)

    assert response.status_code == 302
    assert response.url == f"{back}#aanmelding-{anna.pk}"
    assert "Anna is aanwezig gemeld." in page.text
    assert "Aanwezig sinds" in page.text
    assert "1 van 1 bevestigde deelnemer aanwezig" in page.text

    undone = client.post(
        reverse("bijeenkomsten:aanwezig-ongedaan", args=["groot", anna.pk]), {"next": back}
    )
    assert undone.url == back
    assert Aanmelding.objects.get(pk=anna.pk).aanwezig_op is None


def test_a_second_check_in_from_the_list_is_a_message_not_an_error_page(client, coordinator):
    bijeenkomst = BijeenkomstFactory(slug="groot", capaciteit=None)
    anna = register(bijeenkomst, "Anna", "anna@example.org")
    url = reverse("bijeenkomsten:aanwezig-melden", args=["groot", anna.pk])
    client.post(url)

    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert "Anna is al aanwezig gemeld" in response.text
    assert Handeling.objects.filter(soort=Handeling.Soort.AANWEZIG).count() == 1


def test_a_registration_of_another_bijeenkomst_cannot_be_checked_in_through_this_one(
    client, bijeenkomst, coordinator
):
    elders = register(BijeenkomstFactory(), "Els", "els@example.org")

    response = client.post(reverse("bijeenkomsten:aanwezig-melden", args=["symposium", elders.pk]))

    assert response.status_code == 404
    assert Aanmelding.objects.get(pk=elders.pk).aanwezig_op is None


def test_the_door_list_is_paginated_with_the_same_queries_for_20_and_2000(client, coordinator):
    def queries_for(count):
        bijeenkomst = BijeenkomstFactory(slug=f"deur-{count}", capaciteit=None)
        Aanmelding.objects.bulk_create(
            Aanmelding(
                bijeenkomst=bijeenkomst,
                naam=f"Deelnemer {n:04}",
                email=f"deelnemer{n}@example.org",
                status=S.BEVESTIGD,
                aanwezig_op=bijeenkomst.start if n % 2 else None,
                aanwezig_gemeld_door=coordinator if n % 2 else None,
            )
            for n in range(count)
        )
        url = reverse("bijeenkomsten:aanwezigheid", args=[bijeenkomst.slug])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page": 2, "q": "example"})
        assert response.status_code == 200
        return len(queries), response

    small, _ = queries_for(20)
    large, response = queries_for(2000)

    assert small == large
    assert len(response.context["aanmeldingen"]) == 25
    assert "Pagina 2 van 80" in response.text


# The personal page a scanned link opens


def test_a_coordinator_on_the_personal_page_can_check_the_attendee_in(
    client, bijeenkomst, coordinator
):
    anna = register(bijeenkomst, "Anna", "anna@example.org")
    page_url = anna.get_absolute_url()

    page = client.get(page_url)
    response = client.post(
        reverse("bijeenkomsten:aanwezig-melden", args=["symposium", anna.pk]),
        {"next": page_url},
        follow=True,
    )

    assert "Aanwezig melden" in page.text
    assert response.redirect_chain[-1][0] == page_url
    assert "Anna is aanwezig gemeld." in response.text
    assert "Ongedaan maken" in response.text


def test_the_attendee_on_their_own_page_sees_no_check_in_button(client, bijeenkomst):
    anna = register(bijeenkomst, "Anna", "anna@example.org")

    page = client.get(anna.get_absolute_url())

    assert "Aanwezig melden" not in page.text
    assert "Bij de deur" not in page.text


def test_a_coordinator_on_a_waiting_persons_page_is_told_why_there_is_no_button(
    client, bijeenkomst, coordinator
):
    register(bijeenkomst, "Anna", "anna@example.org")
    wim = register(bijeenkomst, "Wim", "wim@example.org")

    page = client.get(wim.get_absolute_url())

    assert "Alleen iemand met een bevestigde aanmelding" in page.text
    assert "Aanwezig melden" not in page.text


def test_the_door_list_speaks_english_to_who_chose_it(client, bijeenkomst, coordinator, settings):
    register(bijeenkomst, "Anna", "anna@example.org")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("bijeenkomsten:aanwezigheid", args=["symposium"]))

    assert "At the door" in response.text
    assert "0 of 1 confirmed attendee present" in response.text
    assert "Present<span" in response.text
