"""Subscribing with double opt-in, the same answer for every address, at most one mail an
hour, /mijn/, and unsubscribing with the personal link (RFC 8058 one-click)."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netwerk.models import Abonnement, OutboxMessage, Toestemming
from nieuwsbrief import services
from nieuwsbrief.models import Aanmeldverzoek
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import AbonnementFactory, PersoonFactory
from tests.themas.factories import ThemaFactory
from werkplaats.tokens import hash_token

pytestmark = pytest.mark.django_db

AANMELDEN = "/nieuwsbrief/"


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def confirmation_link(to: str) -> str:
    message = OutboxMessage.objects.filter(to=to, key__startswith="nieuwsbrief-aanmelding:").get()
    return path_of(re.search(r"https?://\S+", message.body_text).group(0))


def main_of(response) -> str:
    return response.text.split("<main")[1].split("</main>")[0]


def test_the_form_mails_a_link_and_only_the_link_subscribes(client):
    atelier = LeeratelierFactory(naam="Armoede")
    thema = ThemaFactory(naam="Samenwerken")

    response = client.post(
        AANMELDEN,
        {
            "email": "Anna@Example.org",
            "naam": "Anna",
            "leerateliers": [atelier.pk],
            "themas": [thema.pk],
        },
    )

    assert response.status_code == 302
    assert not Abonnement.objects.exists()
    message = OutboxMessage.objects.get()
    assert message.to == "anna@example.org"
    assert message.subject == "Bevestig je aanmelding voor de nieuwsbrief"
    link = path_of(re.search(r"https?://\S+", message.body_text).group(0))

    page = client.get(link)
    assert page.status_code == 200
    assert "anna@example.org" in page.text
    assert "Armoede" in page.text
    assert not Abonnement.objects.exists()  # opening the link (a mail scanner) changes nothing

    client.post(link)

    abonnement = Abonnement.objects.get()
    assert abonnement.email == "anna@example.org"
    assert abonnement.status == Abonnement.Status.BEVESTIGD
    assert list(abonnement.leerateliers.all()) == [atelier]
    assert list(abonnement.themas.all()) == [thema]
    toestemming = abonnement.toestemmingen.get()
    assert toestemming.formulier == Toestemming.Formulier.NIEUWSBRIEF
    assert toestemming.tekst in client.get(AANMELDEN).text
    assert toestemming.gevraagd_op <= message.created_at <= toestemming.bevestigd_op


def answer_to(client, email):
    response = client.post(AANMELDEN, {"email": email, "naam": "Iemand"})
    return (
        response.status_code,
        response["Location"],
        [str(message) for message in get_messages(response.wsgi_request)],
    )


def test_a_known_and_an_unknown_address_get_exactly_the_same_answer():
    AbonnementFactory(email="bekend@example.org", naam="Bekend", themas=[ThemaFactory()])

    known = answer_to(Client(), "bekend@example.org")
    unknown = answer_to(Client(), "onbekend@example.org")

    assert known == unknown
    mails = {message.to: message for message in OutboxMessage.objects.all()}
    assert mails["bekend@example.org"].subject == mails["onbekend@example.org"].subject
    # Nothing changes for the known address until its owner uses the link.
    abonnement = Abonnement.objects.get(email="bekend@example.org")
    assert abonnement.naam == "Bekend"
    assert abonnement.themas.count() == 1


def test_an_address_gets_at_most_one_confirmation_mail_an_hour():
    now = timezone.now()
    services.request_subscription(email="anna@example.org", now=now)
    services.request_subscription(email="anna@example.org", now=now + timedelta(minutes=1))
    services.request_subscription(email="anna@example.org", now=now + timedelta(minutes=59))
    assert OutboxMessage.objects.count() == 1

    services.request_subscription(email="anna@example.org", now=now + timedelta(minutes=61))
    assert OutboxMessage.objects.count() == 2
    services.request_subscription(email="bram@example.org", now=now)
    assert OutboxMessage.objects.count() == 3


def test_the_hourly_limit_holds_across_the_boundary_of_its_window():
    now = timezone.now()
    window = int(services.SUBSCRIPTION_MAIL_WINDOW.total_seconds())
    just_after_boundary = now.replace(microsecond=0) + timedelta(
        seconds=window - int(now.timestamp()) % window + 1
    )
    assert just_after_boundary - now <= timedelta(hours=1, seconds=1)

    services.request_subscription(email="anna@example.org", now=now)
    services.request_subscription(email="anna@example.org", now=just_after_boundary)

    assert OutboxMessage.objects.count() == 1


def test_the_confirmation_link_carries_only_a_random_token_whose_hash_alone_is_stored(client):
    services.request_subscription(email="anna@example.org", naam="Anna de Vries")

    link = confirmation_link("anna@example.org")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert "anna" not in link.lower()
    assert "vries" not in link.lower()
    assert len(token) >= 40
    verzoek = Aanmeldverzoek.objects.get()
    assert verzoek.token_hash == hash_token(token)
    assert token not in str(list(Aanmeldverzoek.objects.values()))
    assert verzoek.email == "anna@example.org"
    assert verzoek.naam == "Anna de Vries"

    client.post(link)

    abonnement = Abonnement.objects.get()
    assert abonnement.naam == "Anna de Vries"
    assert abonnement.toestemmingen.get().gevraagd_op == verzoek.gevraagd_op
    # Used up: the request keeps nothing of what was asked.
    verzoek.refresh_from_db()
    assert verzoek.gebruikt_op is not None
    assert (verzoek.email, verzoek.naam) == ("", "")


def test_a_foreign_used_or_expired_link_gets_a_clear_page_and_changes_nothing(client):
    for foreign in ["klopt-niet", "x" * 43]:
        url = reverse("nieuwsbrief:bevestigen", args=[foreign])
        assert "klopt niet" in client.get(url).text
        response = client.post(url)
        assert response.status_code == 404
        assert "klopt niet" in response.text
    assert not Abonnement.objects.exists()

    now = timezone.now()
    services.request_subscription(email="bram@example.org", now=now - timedelta(days=8))
    expired = confirmation_link("bram@example.org")
    response = client.post(expired)
    assert response.status_code == 404
    assert "verlopen" in response.text
    assert "verlopen" in client.get(expired).text
    assert not Abonnement.objects.exists()

    services.request_subscription(email="cas@example.org")
    used = confirmation_link("cas@example.org")
    client.post(used)
    abonnement = Abonnement.objects.get()
    Abonnement.objects.filter(pk=abonnement.pk).update(naam="Cas")
    response = client.post(used)
    assert response.status_code == 404
    assert "al gebruikt" in response.text
    assert "al gebruikt" in client.get(used).text
    assert abonnement.toestemmingen.count() == 1
    assert Abonnement.objects.get().naam == "Cas"


def test_requests_nobody_confirmed_are_deleted_once_their_link_expired():
    now = timezone.now()
    services.request_subscription(email="anna@example.org", now=now)
    services.request_subscription(email="bram@example.org", now=now - timedelta(days=8))

    services.forget_unconfirmed_subscriptions(now=now)

    assert list(Aanmeldverzoek.objects.values_list("email", flat=True)) == ["anna@example.org"]


def test_an_invalid_address_is_shown_at_the_field(client):
    response = client.post(AANMELDEN, {"email": "geen-adres"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    assert 'aria-describedby="id_email_error"' in response.text
    assert 'href="#id_email"' in response.text
    assert not OutboxMessage.objects.exists()


# /mijn/: the logged-in person's own subscription.


def test_a_logged_in_person_subscribes_on_mijn_without_a_confirmation_mail(client):
    persoon = PersoonFactory(email="cor@example.org")
    atelier = LeeratelierFactory()
    client.force_login(persoon)
    assert 'id="nieuwsbrief"' in client.get("/mijn/").text

    response = client.post(reverse("nieuwsbrief:mijn"), {"nieuwsbrief-leerateliers": [atelier.pk]})

    assert response["Location"] == "/mijn/#nieuwsbrief"
    abonnement = Abonnement.objects.get(email="cor@example.org")
    assert list(abonnement.leerateliers.all()) == [atelier]
    assert abonnement.toestemmingen.get().formulier == Toestemming.Formulier.MIJN
    assert not OutboxMessage.objects.exists()
    assert "Je krijgt de nieuwsbrief op cor@example.org" in client.get("/mijn/").text

    client.post(reverse("nieuwsbrief:mijn-afmelden"))
    abonnement.refresh_from_db()
    assert abonnement.status == Abonnement.Status.AFGEMELD
    assert abonnement.afgemeld_via == Abonnement.Via.MIJN


def test_mijn_shows_the_chosen_interests_and_links_to_the_page_that_changes_them(client):
    armoede, _jongeren = LeeratelierFactory(naam="Armoede"), LeeratelierFactory(naam="Jongeren")
    persoon = PersoonFactory(email="cor@example.org")
    AbonnementFactory(email=persoon.email, leerateliers=[armoede])
    client.force_login(persoon)

    section = client.get("/mijn/").text.split('id="nieuwsbrief"')[1].split("</section>")[0]

    assert "Je interesses: Armoede." in section
    assert "Jongeren" not in section
    assert f'href="{reverse("nieuwsbrief:mijn")}"' in section
    # The boxes of every leeratelier and thema are on that page, not on /mijn/.
    assert 'type="checkbox"' not in section


def test_the_interests_page_comes_back_with_the_error_when_a_choice_does_not_exist(client):
    persoon = PersoonFactory(email="cor@example.org")
    client.force_login(persoon)

    response = client.post(reverse("nieuwsbrief:mijn"), {"nieuwsbrief-leerateliers": [999999]})

    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert not Abonnement.objects.exists()


def test_the_mijn_actions_need_a_log_in(client):
    for url in (reverse("nieuwsbrief:mijn"), reverse("nieuwsbrief:mijn-afmelden")):
        response = client.post(url)
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]
    response = client.get(reverse("nieuwsbrief:mijn"))
    assert "/account/login/" in response["Location"]
    assert not Abonnement.objects.exists()


# Unsubscribing with the personal link.


def test_opening_the_unsubscribe_link_shows_one_button_and_changes_nothing(client):
    abonnement = AbonnementFactory()
    response = client.get(reverse("nieuwsbrief:afmelden", args=[abonnement.token]))
    assert response.status_code == 200
    assert main_of(response).count("<button") == 1
    assert "Afmelden</button>" in main_of(response)
    abonnement.refresh_from_db()
    assert abonnement.status == Abonnement.Status.BEVESTIGD


def test_a_one_click_post_unsubscribes_at_once_without_log_in_or_csrf_token():
    abonnement = AbonnementFactory()
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("nieuwsbrief:afmelden", args=[abonnement.token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200  # RFC 8058: no redirect
    assert "Je bent afgemeld" in response.text
    abonnement.refresh_from_db()
    assert abonnement.status == Abonnement.Status.AFGEMELD
    assert abonnement.afgemeld_via == Abonnement.Via.ONE_CLICK


def test_the_button_on_the_page_unsubscribes_too():
    abonnement = AbonnementFactory()
    response = Client(enforce_csrf_checks=True).post(
        reverse("nieuwsbrief:afmelden", args=[abonnement.token])
    )
    assert response.status_code == 200
    abonnement.refresh_from_db()
    assert abonnement.afgemeld_via == Abonnement.Via.LINK


def test_an_unknown_unsubscribe_link_unsubscribes_nobody(client):
    abonnement = AbonnementFactory()
    for token in ["x" * 43, "voorbeeld", abonnement.token[:-1]]:
        url = reverse("nieuwsbrief:afmelden", args=[token])
        assert client.get(url).status_code == 404
        assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 404
    abonnement.refresh_from_db()
    assert abonnement.status == Abonnement.Status.BEVESTIGD


def test_only_the_unsubscribe_link_is_exempt_from_csrf():
    persoon = PersoonFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(persoon)
    assert client.post(AANMELDEN, {"email": "anna@example.org"}).status_code == 403
    assert client.post(reverse("nieuwsbrief:mijn")).status_code == 403
    assert not OutboxMessage.objects.exists()
    assert not Abonnement.objects.exists()


def test_the_pages_speak_english_to_who_chose_it(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(AANMELDEN).text
    assert "Subscribe to the newsletter" in page
    assert "Yes, I would like to receive the newsletter" in page
