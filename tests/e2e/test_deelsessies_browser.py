"""Deelsessies in a real browser: the programme, choosing a deelsessie when registering,
changing it through the personal link, and the door list filtered by session; axe at
desktop and 320 px on every page, and the person's way with the keyboard alone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bijeenkomsten import services
from bijeenkomsten.models import SessieKeuze, Spreker
from tests.bijeenkomsten.factories import BijeenkomstFactory, programma_met_ronde, with_link
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.e2e.keyboard import activate, press_on, skip_to_content, tab_to
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dag(settings, live_server):
    settings.SITE_URL = live_server.url
    bijeenkomst = BijeenkomstFactory(
        titel="Landelijke dag", slug="landelijke-dag", soort="symposium", capaciteit=20
    )
    ronde, sessies = programma_met_ronde(bijeenkomst, capaciteiten=(1, 5, 5))
    Spreker.objects.create(onderdeel=sessies[0], naam="Sanne Spreker", bio="Ervaringsdeskundige")
    services.register(
        bijeenkomst=bijeenkomst, email="anna@example.org", naam="Anna", sessies=[sessies[0]]
    )
    return bijeenkomst, ronde, sessies


def test_choosing_and_changing_a_deelsessie_with_the_keyboard_alone(page, live_server, dag):
    bijeenkomst, _ronde, (a, b, c) = dag
    log_in(page, live_server, PersoonFactory(naam="Lotte Lid", email="lotte@example.org"))

    page.goto(f"{live_server.url}/bijeenkomsten/{bijeenkomst.slug}/")
    assert_no_axe_violations(page)
    skip_to_content(page)
    # A radio group is one Tab stop; the arrow keys choose within it.
    tab_to(page, "Workshop A", role="radio")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Workshop B")).to_be_checked()
    press_on(page, "Aanmelden", role="button", exact=True)

    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator(".sessiekeuzes")).to_contain_text("Workshop B")
    assert_no_axe_violations(page)
    skip_to_content(page)
    tab_to(page, "Workshop B", role="radio")
    page.keyboard.press("ArrowDown")
    tab_to(page, "Keuze wijzigen", role="button")
    activate(page)

    expect(page.get_by_role("status")).to_contain_text("Je keuze is nu Workshop C.")
    assert_no_axe_violations(page)
    held = SessieKeuze.objects.get(aanmelding__email="lotte@example.org", status="bevestigd")
    assert held.deelsessie == c


def test_a_full_deelsessie_puts_a_switcher_on_its_wachtlijst_and_the_page_says_so(
    page, live_server, dag
):
    bijeenkomst, _ronde, (a, b, _c) = dag
    aanmelding = with_link(
        services.register(bijeenkomst=bijeenkomst, email="bo@example.org", naam="Bo", sessies=[b])
    )
    page.goto(f"{live_server.url}/aanmelding/{aanmelding.token}/")
    page.get_by_role("radio", name="Workshop A").check()
    page.get_by_role("button", name="Keuze wijzigen").click()

    expect(page.get_by_role("status")).to_contain_text("wachtlijst van Workshop A")
    expect(page.locator(".sessiekeuzes")).to_contain_text("op de wachtlijst, plaats 1")
    assert_no_axe_violations(page)


def test_the_door_list_filtered_by_deelsessie_is_accessible(page, live_server, dag):
    bijeenkomst, _ronde, (a, _b, _c) = dag
    log_in(page, live_server, make_coordinator(naam="Coby", email="coby@example.org"))
    page.goto(live_server.url + reverse("bijeenkomsten:aanwezigheid", args=[bijeenkomst.slug]))
    assert_no_axe_violations(page)
    page.get_by_label("Alleen een deelsessie").select_option(str(a.pk))
    page.get_by_role("button", name="Zoeken").click()

    expect(page.get_by_role("heading", name="Bevestigde deelnemers van Workshop A")).to_be_visible()
    expect(page.locator(".deur-lijst")).to_contain_text("Anna")
    assert_no_axe_violations(page)
