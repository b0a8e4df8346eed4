"""/privacy/: the privacy statement, with the retention periods of the settings in force."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_statement_names_the_retention_periods_in_force_and_follows_the_settings(
    client, settings
):
    html = client.get(reverse("privacy:verklaring")).content.decode()
    assert "12 maanden na afloop" in html
    assert "na 90 dagen" in html
    settings.RETENTION_AANMELDINGEN_MONTHS = 18
    settings.RETENTION_OUTBOX_DAYS = 30
    html = client.get(reverse("privacy:verklaring")).content.decode()
    assert "18 maanden na afloop" in html
    assert "na 30 dagen" in html
    assert "12 maanden" not in html


def test_the_statement_says_how_to_exercise_each_right(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "privacy@example.org"
    html = client.get(reverse("privacy:verklaring")).content.decode()
    for link in (
        reverse("privacy:gegevens"),
        reverse("privacy:account-verwijderen"),
        reverse("netwerk:mijn"),
        "mailto:privacy@example.org",
        "https://www.autoriteitpersoonsgegevens.nl/",
    ):
        assert link in html, link
    for grondslag in ("artikel 6 lid 1 a", "artikel 6 lid 1 b", "artikel 6 lid 1 f"):
        assert grondslag in html


def test_the_statement_is_in_english_too(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        html = client.get(reverse("privacy:verklaring")).content.decode()
    assert "Privacy statement" in html
    assert "12 months after" in html


@pytest.mark.parametrize("path", ["/", "/bijeenkomsten/", "/privacy/", "/nieuwsbrief/"])
def test_every_page_links_to_the_statement_from_its_footer(client, path):
    html = client.get(path).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="{reverse("privacy:verklaring")}"' in footer


def test_the_statement_says_who_sees_registrations_now_that_a_bijeenkomst_has_a_team(client):
    html = client.get(reverse("privacy:verklaring")).content.decode()
    for part in (
        "organisatoren van de bijeenkomst",
        "alleen de aanmeldingen van haar eigen netwerk",
        "Wie aan de deur helpt, ziet alleen de namen",
        "zonder je naam, adres of tijdstip",
        "controlelink",
    ):
        assert part in html, part
