"""The English pages: every main page in English passes the same page check as in Dutch."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.e2e.conftest import assert_no_axe_violations
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import OrganisatieFactory
from tests.themas.factories import ThemaFactory, UpdateFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_main_pages_in_english_pass_the_page_check(page, live_server):
    atelier = LeeratelierFactory(naam="Armoede en schulden", slug="armoede")
    thema = ThemaFactory(naam="Sociale kwaliteit", slug="sociale-kwaliteit")
    update = UpdateFactory(thema=thema, titel="Wat we leerden", slug="wat-we-leerden")
    bijeenkomst = BijeenkomstFactory(titel="Symposium", slug="symposium", capaciteit=0)
    organisatie = OrganisatieFactory(slug="buurtwerk")
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )

    for path in [
        "/",
        "/leerateliers/",
        atelier.get_absolute_url(),
        "/themas/",
        thema.get_absolute_url(),
        "/updates/",
        update.get_absolute_url(),
        "/bijeenkomsten/",
        bijeenkomst.get_absolute_url(),
        "/netwerk/",
        organisatie.get_absolute_url(),
        "/account/login/",
    ]:
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert_no_axe_violations(page)
