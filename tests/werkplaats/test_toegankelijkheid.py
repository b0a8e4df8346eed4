"""The accessibility statement: there, in both languages, linked from every page."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory

pytestmark = pytest.mark.django_db


def test_the_statement_names_standard_status_testing_gaps_contact_and_date(client):
    response = client.get(reverse("toegankelijkheid"))

    assert response.status_code == 200
    content = response.content.decode()
    for part in (
        "<h1>Toegankelijkheidsverklaring</h1>",
        "WCAG 2.1",
        "EN 301 549",
        "voldoet gedeeltelijk",
        "axe-core",
        "320 pixels",
        "toetsenbord",
        "Bekende problemen",
        'href="mailto:toegankelijkheid@example.org"',
        "binnen 5 werkdagen",
        "opgesteld op 26 november 2026",
    ):
        assert part in content, part


def test_the_statement_is_in_english_for_english_visitors(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    content = client.get(reverse("toegankelijkheid")).content.decode()

    assert '<html lang="en">' in content
    for part in ("<h1>Accessibility statement</h1>", "partially compliant", "26 November 2026"):
        assert part in content, part


def test_every_page_links_to_the_statement_from_its_footer(client):
    atelier = LeeratelierFactory()
    bijeenkomst = BijeenkomstFactory()
    link = f'<a href="{reverse("toegankelijkheid")}">Toegankelijkheid</a>'
    pages = [
        reverse("home"),
        reverse("leerateliers:lijst"),
        atelier.get_absolute_url(),
        bijeenkomst.get_absolute_url(),
        reverse("nieuwsbrief:aanmelden"),
        reverse("account_login"),
        "/bestaat-niet/",
    ]
    for path in pages:
        footer = client.get(path).content.decode().split('<footer class="site-footer">')[1]
        assert link in footer, path

    client.force_login(PersoonFactory())
    footer = client.get(reverse("netwerk:mijn")).content.decode().split("<footer")[1]
    assert link in footer


def test_the_bare_server_error_page_links_to_the_statement_too():
    # 500.html stands alone (no base layout, nothing that could fail again).
    assert '<a href="/toegankelijkheid/">Toegankelijkheid</a>' in render_to_string("500.html")
