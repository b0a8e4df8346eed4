"""The language of a person's mails (issue 18, point 7): stored on the person, set on
/mijn/, by the language switch and at sign-up, and followed by every mail, allauth's too."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from netwerk import selectors
from netwerk.models import OutboxMessage, Persoon
from netwerk.outbox import RecipientLanguages, queue_mail
from tests.netwerk.factories import PASSWORD, PersoonFactory

pytestmark = pytest.mark.django_db


def switch(client, language, next_url="/mijn/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_the_language_switch_stores_the_choice_of_a_logged_in_person(client):
    persoon = PersoonFactory()
    client.force_login(persoon)

    response = switch(client, "en")

    assert response.status_code == 302
    assert response.url == "/mijn/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    persoon.refresh_from_db()
    assert persoon.taal == "en"
    switch(client, "nl")
    persoon.refresh_from_db()
    assert persoon.taal == "nl"


def test_the_language_switch_keeps_djangos_next_check_and_ignores_unknown_languages(client):
    persoon = PersoonFactory()
    client.force_login(persoon)

    away = switch(client, "en", next_url="https://elders.example.org/")
    assert away.status_code == 302
    assert away.url == "/"
    # German has Django's own translations, but it is not one of the portal's languages.
    switch(client, "de")

    persoon.refresh_from_db()
    assert persoon.taal == "en"


def test_the_language_switch_of_a_visitor_only_sets_the_cookie(client):
    response = switch(client, "en", next_url="/")

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert not Persoon.objects.exclude(taal="nl").exists()


def test_the_profile_on_mijn_sets_the_language_of_ones_mails(client):
    persoon = PersoonFactory(naam="Emma Engels")
    client.force_login(persoon)

    page = client.get(reverse("netwerk:mijn"))
    assert 'name="taal"' in page.text
    response = client.post(reverse("netwerk:profiel"), {"naam": "Emma Engels", "taal": "en"})

    assert response.status_code == 302
    persoon.refresh_from_db()
    assert persoon.taal == "en"


def test_the_profile_refuses_an_unknown_language_and_changes_nothing(client):
    persoon = PersoonFactory(naam="Emma Engels")
    client.force_login(persoon)

    response = client.post(reverse("netwerk:profiel"), {"naam": "Ander", "taal": "xx"})

    assert response.status_code == 400
    assert 'id="id_taal_error"' in response.text
    persoon.refresh_from_db()
    assert (persoon.naam, persoon.taal) == ("Emma Engels", "nl")


def test_queue_mail_writes_to_a_persons_language_and_to_others_in_the_default():
    PersoonFactory(email="emma@example.org", taal="en")
    mail = {
        "template": "nieuwsbrief/mail/bevestigen",
        "context": {"naam": "Emma", "bevestig_url": "/bevestigen/", "geldig_dagen": 1},
    }

    english = queue_mail(key="test:en", to="Emma@Example.org", **mail)
    dutch = queue_mail(key="test:nl", to="los@example.nl", **mail)

    assert english.subject == "Confirm your subscription to the newsletter"
    assert english.body_text.startswith("Hello Emma,")
    assert dutch.subject == "Bevestig je aanmelding voor de nieuwsbrief"
    assert dutch.body_text.startswith("Hallo Emma,")


def test_the_languages_of_many_addresses_are_read_in_one_query(django_assert_num_queries):
    PersoonFactory(email="emma@example.org", taal="en")
    addresses = ["emma@example.org"] + [f"gast{n}@example.nl" for n in range(300)]

    with django_assert_num_queries(1):
        languages = RecipientLanguages(addresses)

    assert languages.of("EMMA@example.org") == "en"
    assert languages.of("gast1@example.nl") == "nl"
    assert languages.of("gast1@example.nl", otherwise="en") == "en"
    assert languages.of("emma@example.org", otherwise="nl") == "en"


def test_the_password_reset_mail_is_in_the_language_of_the_person_not_of_the_asker(client):
    PersoonFactory(email="emma@example.org", taal="en")
    PersoonFactory(email="daan@example.org", taal="nl")

    # Asked from a Dutch page, for both; the mail is made by a task after the request.
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "emma@example.org"})
        client.post(reverse("account_reset_password"), {"email": "daan@example.org"})

    english = OutboxMessage.objects.get(to="emma@example.org")
    assert english.subject == "[Werkplaats] Set a new password"
    assert "Dear reader," in english.body_text
    # The link is in the delivered mail; the sent row keeps none (netwerk.outbox).
    delivered = next(message for message in mail.outbox if message.to == ["emma@example.org"])
    assert "/account/password/reset/key/" in delivered.body
    assert 'lang="en"' in english.body_html
    dutch = OutboxMessage.objects.get(to="daan@example.org")
    assert dutch.subject == "[Werkplaats] Nieuw wachtwoord instellen"


def test_signing_up_in_english_stores_english_and_the_confirmation_is_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    client.post(
        reverse("account_signup"),
        {
            "email": "grace@example.org",
            "naam": "Grace Engels",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert Persoon.objects.get(email="grace@example.org").taal == "en"
    confirmation = OutboxMessage.objects.get(to="grace@example.org")
    assert confirmation.subject == "[Werkplaats] Confirm your email address"


def test_the_language_of_ones_mails_is_in_ones_own_data(client):
    persoon = PersoonFactory(taal="en")
    client.force_login(persoon)

    page = client.get(reverse("privacy:gegevens"))

    assert selectors.gegevens_van(persoon)["profiel"]["taal"] == "en"
    assert "English" in page.text
