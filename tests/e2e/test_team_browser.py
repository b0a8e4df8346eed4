"""The team page of a bijeenkomst and the quota on its dashboard in a real browser (issue
21, points 5 and 6): axe at desktop and 320 px, with the form's errors linked to fields."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bijeenkomsten.models import Quotum, Teamlid
from netwerk.models import Organisatie
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def symposium(settings, live_server):
    settings.SITE_URL = live_server.url
    bijeenkomst = BijeenkomstFactory(
        titel="Landelijk symposium", slug="landelijk-symposium", soort="symposium", capaciteit=40
    )
    zuyd = OrganisatieFactory(naam="Werkplaats Zuyd", soort=Organisatie.Soort.WERKPLAATS)
    Teamlid.objects.create(
        bijeenkomst=bijeenkomst,
        persoon=PersoonFactory(naam="Cees Co", email="cees@example.org"),
        rol=Teamlid.Rol.CO_ORGANISATOR,
        organisatie=zuyd,
    )
    Quotum.objects.create(
        bijeenkomst=bijeenkomst, organisatie=zuyd, aantal=4, tot=timezone.now() + timedelta(days=7)
    )
    PersoonFactory(naam="Dewi Deur", email="dewi@example.org")
    return bijeenkomst


def test_the_team_page_and_its_errors_and_the_quota_are_accessible(page, live_server, symposium):
    log_in(page, live_server, make_coordinator(naam="Coby", email="coby@example.org"))
    page.goto(live_server.url + reverse("bijeenkomsten:team", args=[symposium.slug]))
    expect(page.get_by_role("cell", name="Werkplaats Zuyd")).to_be_visible()
    assert_no_axe_violations(page)

    page.locator("#id_email").fill("dewi@example.org")
    page.locator("#id_rol").select_option("co-organisator")
    page.get_by_role("button", name="Opslaan").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Namens organisatie")
    assert_no_axe_violations(page)
    alert.get_by_role("link", name="Namens organisatie").click()
    expect(page.get_by_label("Namens organisatie")).to_be_focused()

    page.locator("#id_rol").select_option("deur")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("row", name="Dewi Deur")).to_contain_text("deur")

    page.goto(live_server.url + reverse("bijeenkomsten:aanmeldingen", args=[symposium.slug]))
    expect(page.get_by_role("row", name="Werkplaats Zuyd")).to_contain_text("4")
    assert_no_axe_violations(page)
