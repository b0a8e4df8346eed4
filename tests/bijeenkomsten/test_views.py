import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import services
from bijeenkomsten.forms import AanmeldForm
from bijeenkomsten.models import Aanmelding, Bijeenkomst, GastAanmelding
from leerateliers.models import Leeratelier
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory, linked
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db

S = Aanmelding.Status


def register(bijeenkomst, n):
    return services.register(
        bijeenkomst=bijeenkomst, email=f"gast{n}@example.org", naam=f"Gast {n}"
    )


def last_link(to, pattern):
    body = OutboxMessage.objects.filter(to=to).order_by("-pk").first().body_text
    return re.search(pattern, body).group(0)


@pytest.fixture
def coordinator():
    return make_coordinator()


def test_the_list_shows_coming_bijeenkomsten_first_and_past_ones_apart(client):
    now = timezone.now()
    later = BijeenkomstFactory(titel="Later", start=now + timedelta(days=30))
    sooner = BijeenkomstFactory(titel="Eerder", start=now + timedelta(days=3))
    BijeenkomstFactory(titel="Geweest", start=now - timedelta(days=30))
    BijeenkomstFactory(titel="Nog geheim", status=Bijeenkomst.Status.CONCEPT)

    response = client.get(reverse("bijeenkomsten:lijst"))

    assert response.status_code == 200
    assert list(response.context["bijeenkomsten"]) == [sooner, later]
    assert [b.titel for b in response.context["voorbij"]] == ["Geweest"]
    assert "Nog geheim" not in response.text


def test_the_list_filters_by_soort_leeratelier_and_thema(client):
    atelier = Leeratelier.objects.create(naam="Armoede", slug="armoede")
    masterclass = BijeenkomstFactory(soort=Bijeenkomst.Soort.MASTERCLASS)
    met_atelier = BijeenkomstFactory()
    met_atelier.leerateliers.add(atelier)

    by_soort = client.get(reverse("bijeenkomsten:lijst"), {"soort": "masterclass"})
    by_atelier = client.get(reverse("bijeenkomsten:lijst"), {"leeratelier": "armoede"})
    unknown = client.get(reverse("bijeenkomsten:lijst"), {"leeratelier": "bestaat-niet"})

    assert list(by_soort.context["bijeenkomsten"]) == [masterclass]
    assert list(by_atelier.context["bijeenkomsten"]) == [met_atelier]
    assert unknown.status_code == 200


def test_unknown_and_concept_bijeenkomsten_are_404_for_visitors(client):
    concept = BijeenkomstFactory(status=Bijeenkomst.Status.CONCEPT)

    assert client.get("/bijeenkomsten/bestaat-niet/").status_code == 404
    assert client.get(concept.get_absolute_url()).status_code == 404
    assert client.get("/bijeenkomsten/bestaat-niet.ics").status_code == 404


def test_a_full_bijeenkomst_says_vol_wachtlijst_open_and_hides_the_online_link(client):
    bijeenkomst = BijeenkomstFactory(capaciteit=1, online_link="https://meet.example.org/x")
    register(bijeenkomst, 1)

    response = client.get(bijeenkomst.get_absolute_url())

    assert "Vol — wachtlijst open" in response.text
    assert "Op de wachtlijst plaatsen" in response.text
    assert "meet.example.org" not in response.text


def test_a_logged_in_persons_form_is_prefilled_and_their_registration_counts_at_once(client):
    persoon = PersoonFactory(naam="Fatima de Boer", email="fatima@example.org")
    client.force_login(persoon)
    bijeenkomst = BijeenkomstFactory()

    form = client.get(bijeenkomst.get_absolute_url()).context["form"]
    response = client.post(
        reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]),
        {"naam": "Fatima de Boer", "email": "iemand-anders@example.org"},
    )

    assert form.initial["email"] == "fatima@example.org"
    aanmelding = Aanmelding.objects.get()
    assert aanmelding.email == "fatima@example.org"
    assert aanmelding.persoon == persoon
    assert aanmelding.status == S.BEVESTIGD
    assert linked(response.url.split("/")[-2]) == aanmelding


def test_a_guest_registration_counts_only_after_confirming_the_address(client):
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    register(bijeenkomst, 1)

    response = client.post(
        reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]),
        {"naam": "Gijs Gast", "email": "Gijs@Example.nl", "organisatie": "Buurtteam"},
        follow=True,
    )
    assert "Bevestig je e-mailadres" in response.text
    assert bijeenkomst.aanmeldingen.count() == 1

    link = last_link("gijs@example.nl", r"/bijeenkomsten/\S+/bevestigen/\S+/")
    assert "Gijs Gast" in client.get(link).text
    response = client.post(link, {"dieetwensen": "Vegetarisch"}, follow=True)

    aanmelding = bijeenkomst.aanmeldingen.get(email="gijs@example.nl")
    assert aanmelding.status == S.WACHTLIJST
    assert aanmelding.organisatie == "Buurtteam"
    assert aanmelding.dieetwensen == "Vegetarisch"
    assert "op plaats 1" in response.text

    again = client.post(link)
    assert again.status_code == 404
    assert "al gebruikt" in again.text
    assert bijeenkomst.aanmeldingen.count() == 2


def test_a_guest_form_asks_no_wishes_and_nothing_stores_them_before_confirming():
    bijeenkomst = BijeenkomstFactory()

    assert "dieetwensen" not in AanmeldForm().fields
    services.request_guest_registration(
        bijeenkomst=bijeenkomst,
        gegevens={"email": "gast@example.org", "naam": "Gast", "dieetwensen": "Glutenvrij"},
    )

    pending = GastAanmelding.objects.get()
    assert "Glutenvrij" not in str(vars(pending))


def test_asking_again_within_minutes_sends_no_second_confirmation_mail():
    bijeenkomst = BijeenkomstFactory()
    for _ in range(3):
        services.request_guest_registration(
            bijeenkomst=bijeenkomst, gegevens={"email": "gast@example.org", "naam": "Gast"}
        )

    assert OutboxMessage.objects.filter(to="gast@example.org").count() == 1


def test_a_very_long_address_still_gets_its_confirmation_mail(client):
    bijeenkomst = BijeenkomstFactory()
    address = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".nl"

    response = client.post(
        reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]),
        {"naam": "Lang", "email": address},
    )

    assert response.status_code == 302
    assert OutboxMessage.objects.filter(to=address).count() == 1


def test_a_tampered_or_expired_confirmation_link_gets_a_clear_message(client):
    bijeenkomst = BijeenkomstFactory()
    asked = timezone.now() - services.GUEST_CONFIRMATION_MAX_AGE - timedelta(minutes=1)
    token = services.request_guest_registration(
        bijeenkomst=bijeenkomst,
        gegevens={"email": "gast@example.org", "naam": "Gast"},
        now=asked,
    )
    url = reverse("bijeenkomsten:gast-bevestigen", args=[bijeenkomst.slug, token + "x"])

    tampered = client.get(url)
    assert tampered.status_code == 404
    assert "klopt niet" in tampered.text

    expired_url = reverse("bijeenkomsten:gast-bevestigen", args=[bijeenkomst.slug, token])
    for expired in (client.get(expired_url), client.post(expired_url)):
        assert expired.status_code == 404
        assert "verlopen" in expired.text
    assert not bijeenkomst.aanmeldingen.exists()


def test_bad_input_gets_a_dutch_error_and_changes_nothing(client):
    bijeenkomst = BijeenkomstFactory()

    response = client.post(
        reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]),
        {"naam": "", "email": "geen-adres"},
    )

    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.text
    assert "Voer een geldig e-mailadres in." in response.text
    assert not OutboxMessage.objects.exists()


def test_registering_for_a_closed_bijeenkomst_is_refused_with_a_message(client):
    bijeenkomst = BijeenkomstFactory(aanmelden_tot=timezone.now() - timedelta(hours=1))

    response = client.post(
        reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]),
        {"naam": "Gast", "email": "gast@example.org"},
        follow=True,
    )

    assert "gesloten" in response.text
    assert not OutboxMessage.objects.exists()


def test_the_personal_page_shows_the_status_and_waitlist_position(client):
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    register(bijeenkomst, 1)
    register(bijeenkomst, 2)
    third = register(bijeenkomst, 3)

    response = client.get(third.get_absolute_url())

    assert response.status_code == 200
    assert "Je staat op de wachtlijst, op plaats 2." in response.text


@pytest.mark.parametrize("token", ["onzin", "x" * 43, "a/b", "' OR 1=1 --"])
def test_a_wrong_token_gets_a_clear_message_with_status_404(client, token):
    response = client.get(f"/aanmelding/{token}/")

    assert response.status_code == 404
    assert "Aanmelding niet gevonden" in response.text


def test_cancelling_through_the_personal_link_is_post_only_and_offers_the_place(client):
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    first = register(bijeenkomst, 1)
    second = register(bijeenkomst, 2)
    url = reverse("bijeenkomsten:aanmelding-annuleren", args=[first.token])

    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)

    assert "Je aanmelding is geannuleerd." in response.text
    second.refresh_from_db()
    assert second.status == S.AANGEBODEN
    offer_page = client.get(second.get_absolute_url())
    assert "Plek claimen" in offer_page.text

    client.post(reverse("bijeenkomsten:aanmelding-claimen", args=[second.token]))
    second.refresh_from_db()
    assert second.status == S.BEVESTIGD


def test_a_confirmed_attendee_sees_the_online_link(client):
    bijeenkomst = BijeenkomstFactory(online_link="https://meet.example.org/webinar")
    aanmelding = register(bijeenkomst, 1)

    assert "https://meet.example.org/webinar" in client.get(aanmelding.get_absolute_url()).text


def test_only_coordinators_manage_registrations(client, coordinator):
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    first = register(bijeenkomst, 1)
    second = register(bijeenkomst, 2)
    url = reverse("bijeenkomsten:aanmeldingen", args=[bijeenkomst.slug])
    cancel_url = reverse(
        "bijeenkomsten:aanmelding-annuleren-namens", args=[bijeenkomst.slug, first.pk]
    )

    assert client.get(url).status_code == 302
    client.force_login(PersoonFactory())
    assert client.get(url).status_code == 403
    assert client.post(cancel_url, {"bevestigd": "1"}).status_code == 403

    client.force_login(coordinator)
    assert "Gast 2" in client.get(url, {"status": "wachtlijst"}).text
    client.post(cancel_url, {"bevestigd": "1"})
    client.post(reverse("bijeenkomsten:capaciteit", args=[bijeenkomst.slug]), {"capaciteit": "5"})
    refused = client.post(
        reverse("bijeenkomsten:capaciteit", args=[bijeenkomst.slug]),
        {"capaciteit": "-3"},
        follow=True,
    )

    first.refresh_from_db()
    second.refresh_from_db()
    bijeenkomst.refresh_from_db()
    assert first.status == S.GEANNULEERD
    assert second.status == S.AANGEBODEN
    assert bijeenkomst.capaciteit == 5
    assert "Vul een heel getal" in refused.text


def test_the_ics_of_one_bijeenkomst_and_the_feed_of_all_coming_ones(client):
    coming = BijeenkomstFactory(titel="Webinar wonen")
    BijeenkomstFactory(titel="Oud nieuws", start=timezone.now() - timedelta(days=10))

    single = client.get(reverse("bijeenkomsten:ics", args=[coming.slug]))
    feed = client.get(reverse("bijeenkomsten:agenda-ics"))

    assert single["Content-Type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Webinar wonen" in single.text
    assert "SUMMARY:Webinar wonen" in feed.text
    assert "Oud nieuws" not in feed.text


def test_the_home_page_shows_the_next_three_bijeenkomsten(client):
    now = timezone.now()
    for days in [9, 2, 5, 7]:
        BijeenkomstFactory(titel=f"Over {days} dagen", start=now + timedelta(days=days))

    response = client.get("/")

    assert [b.titel for b in response.context["komende_bijeenkomsten"]] == [
        "Over 2 dagen",
        "Over 5 dagen",
        "Over 7 dagen",
    ]
    assert "Over 9 dagen" not in response.text


def test_atelier_and_thema_pages_show_only_their_coming_published_bijeenkomsten(client):
    from tests.leerateliers.factories import LeeratelierFactory
    from tests.themas.factories import ThemaFactory

    atelier = LeeratelierFactory()
    thema = ThemaFactory()
    coming = BijeenkomstFactory(titel="Arenabijeenkomst in de wijk")
    coming.leerateliers.add(atelier)
    coming.themas.add(thema)
    past = BijeenkomstFactory(
        titel="Al geweest",
        start=timezone.now() - timedelta(days=3),
        eind=timezone.now() - timedelta(days=3, hours=-2),
    )
    concept = BijeenkomstFactory(titel="Nog geheim", status=Bijeenkomst.Status.CONCEPT)
    elsewhere = BijeenkomstFactory(titel="Van een ander atelier")
    for bijeenkomst in (past, concept):
        bijeenkomst.leerateliers.add(atelier)
        bijeenkomst.themas.add(thema)
    elsewhere.leerateliers.add(LeeratelierFactory())

    for page in (atelier.get_absolute_url(), thema.get_absolute_url()):
        content = client.get(page).content.decode()
        assert "Arenabijeenkomst in de wijk" in content, page
        for hidden in ("Al geweest", "Nog geheim", "Van een ander atelier"):
            assert hidden not in content, (page, hidden)
