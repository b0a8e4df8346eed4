"""Issue 22 in a real browser: a trekker writes and publishes the verslag with the keyboard
alone, the attendee's certificate is checked on its verification page, and the reach report
passes the page check (axe at desktop and 320 px, no sideways scrolling)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bijeenkomsten import bewijs
from bijeenkomsten.models import Verslag
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.e2e.keyboard import fill_in, press_on, skip_to_content, tab_to
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def voorbij():
    start = timezone.now() - timedelta(days=2)
    bijeenkomst = BijeenkomstFactory(
        titel="Tribunebijeenkomst armoede",
        slug="tribune",
        start=start,
        eind=start + timedelta(hours=2),
    )
    atelier = LeeratelierFactory(naam="Armoede")
    bijeenkomst.leerateliers.add(atelier)
    return bijeenkomst, atelier


def test_a_trekker_writes_and_publishes_the_verslag_with_the_keyboard(page, live_server, voorbij):
    bijeenkomst, atelier = voorbij
    trekker = PersoonFactory(naam="Tom Trekker")
    atelier.trekkers.add(trekker)
    AanmeldingFactory(bijeenkomst=bijeenkomst, aanwezig_op=bijeenkomst.start)
    log_in(page, live_server, trekker)

    page.goto(f"{live_server.url}/bijeenkomsten/tribune/")
    skip_to_content(page)
    press_on(page, "Verslag schrijven", role="link")
    assert_no_axe_violations(page)
    skip_to_content(page)
    fill_in(page, "Geleerde lessen", "Bewoners weten de weg beter dan wij.", role="textbox")
    tab_to(page, "Publiceren op de pagina van de bijeenkomst", role="checkbox")
    page.keyboard.press("Space")
    press_on(page, "Opslaan", role="button", exact=True)
    expect(page.get_by_role("status")).to_contain_text("Het verslag staat op de pagina")
    expect(page.locator(".verslag")).to_contain_text("Bewoners weten de weg beter dan wij.")
    assert_no_axe_violations(page)
    assert Verslag.objects.get().is_gepubliceerd


def test_the_form_shows_its_errors_linked_to_the_field(page, live_server):
    BijeenkomstFactory(slug="komend")
    log_in(page, live_server, make_coordinator())
    page.goto(f"{live_server.url}/bijeenkomsten/komend/verslag/schrijven/")
    page.get_by_label("Publiceren op de pagina van de bijeenkomst").check()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator("main")).to_contain_text("pas gepubliceerd als de bijeenkomst voorbij is")
    assert_no_axe_violations(page)


def test_the_verification_page_of_a_certificate_passes_the_page_check(page, live_server, voorbij):
    bijeenkomst, _atelier = voorbij
    aanmelding = AanmeldingFactory(bijeenkomst=bijeenkomst, aanwezig_op=bijeenkomst.start)
    code = bewijs.code_for(aanmelding)
    page.goto(live_server.url + reverse("bijeenkomsten:bewijs-controle", args=[code]))
    expect(page.locator("main")).to_contain_text("is echt")
    assert_no_axe_violations(page)
    page.goto(live_server.url + reverse("bijeenkomsten:bewijs-controle", args=["1:nep"]))
    expect(page.locator("main")).to_contain_text("niet bekend")
    assert_no_axe_violations(page)


def test_the_reach_report_passes_the_page_check_and_its_period_is_chosen_with_the_keyboard(
    page, live_server, voorbij
):
    bijeenkomst, _atelier = voorbij
    for _ in range(6):
        AanmeldingFactory(bijeenkomst=bijeenkomst, aanwezig_op=bijeenkomst.start)
    log_in(page, live_server, make_coordinator())
    page.goto(f"{live_server.url}/bereik/")
    expect(page.locator("svg").first).to_be_visible()
    assert_no_axe_violations(page)
    skip_to_content(page)
    press_on(page, "Toon", role="button", exact=True)
    expect(page.get_by_role("heading", name="Per leeratelier")).to_be_visible()
    assert_no_axe_violations(page)
