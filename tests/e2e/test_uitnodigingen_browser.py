"""A coördinator invites an atelier's arena, in a real browser; the invited registers
through the link; a message goes to everyone registered. axe checks every page, and the
pages fit a 320 px screen."""

import re

import pytest
from playwright.sync_api import expect

from bijeenkomsten.models import Aanmelding, Uitnodiging
from netwerk.models import GeenUitnodiging, OutboxMessage
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.e2e.conftest import assert_no_axe_violations, delivered_body, log_in
from tests.leerateliers.factories import DeelnameFactory, LeeratelierFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways ({width} px)"


def check(page):
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    fits_the_screen(page)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def symposium(settings, live_server):
    settings.SITE_URL = live_server.url
    atelier = LeeratelierFactory(naam="Armoede en schulden")
    for naam in ["Ada Arena", "Bob Arena", "Cas Arena"]:
        DeelnameFactory(
            leeratelier=atelier,
            persoon=PersoonFactory(naam=naam, email=f"{naam.split()[0].lower()}@example.org"),
            rol="arena",
        )
    DeelnameFactory(
        leeratelier=atelier, persoon=PersoonFactory(email="tribune@example.org"), rol="tribune"
    )
    symposium = BijeenkomstFactory(
        titel="Symposium armoede", slug="symposium-armoede", soort="symposium", capaciteit=50
    )
    symposium.leerateliers.add(atelier)
    return symposium


def test_a_coordinator_invites_an_ateliers_arena_and_the_invited_registers_through_the_link(
    page, live_server, symposium
):
    log_in(page, live_server, make_coordinator(naam="Coby Coördinator"))

    page.goto(f"{live_server.url}/bijeenkomsten/symposium-armoede/uitnodigingen/")
    check(page)
    page.get_by_role("link", name="Uitnodigingen versturen").click()
    check(page)
    expect(page.get_by_label("Armoede en schulden")).to_be_checked()
    expect(page.get_by_label("arena")).to_be_checked()
    page.get_by_label("Losse e-mailadressen").fill(
        "Dirk Los <dirk@example.nl>\nniet-goed\nada@example.org"
    )
    page.get_by_role("button", name="Bekijk wie je uitnodigt").click()

    # The preview: the count, the invalid line, the list; nothing sent yet.
    count = page.locator(".aantal-uitnodigingen")
    expect(count).to_have_text("4 adressen krijgen een uitnodiging.")
    expect(page.get_by_role("cell", name="niet-goed")).to_be_visible()
    expect(page.get_by_role("cell", name="dirk@example.nl")).to_be_visible()
    check(page)
    assert not Uitnodiging.objects.exists()

    # Changing the choice keeps what was filled in.
    page.get_by_role("button", name="Keuze wijzigen").click()
    expect(page.get_by_label("Losse e-mailadressen")).to_have_value(
        re.compile(r"Dirk Los <dirk@example\.nl>\r?\nniet-goed\r?\nada@example\.org")
    )
    page.get_by_role("button", name="Bekijk wie je uitnodigt").click()
    page.get_by_role("button", name="Verstuur 4 uitnodigingen").click()

    expect(page.get_by_role("status")).to_contain_text("4 uitnodigingen verstuurd.")
    expect(page.get_by_role("cell", name="dirk@example.nl")).to_be_visible()
    check(page)
    assert sorted(Uitnodiging.objects.values_list("email", flat=True)) == [
        "ada@example.org",
        "bob@example.org",
        "cas@example.org",
        "dirk@example.nl",
    ]

    # Dirk follows the link in his mail and registers at once.
    body = delivered_body("dirk@example.nl")
    invitation = re.search(r"http\S+/uitnodiging/[\w-]+/(?=\s)", body).group(0)
    page.context.clear_cookies()
    page.goto(invitation)
    check(page)
    expect(page.get_by_label("E-mailadres")).to_be_disabled()
    expect(page.get_by_label("Naam")).to_have_value("Dirk Los")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("status")).to_contain_text("Je aanmelding is bevestigd.")
    assert Aanmelding.objects.get(email="dirk@example.nl").status == "bevestigd"

    # Cas wants no more invitations: the link shows one button, the button does it.
    opt_out = re.search(r"http\S+/geen-uitnodigingen/", delivered_body("cas@example.org")).group(0)
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, opt_out))
    check(page)
    assert not GeenUitnodiging.objects.exists()
    page.get_by_role("button", name="Geen uitnodigingen meer").click()
    expect(page.get_by_role("status")).to_contain_text("geen uitnodigingen meer")
    assert GeenUitnodiging.objects.filter(email="cas@example.org").exists()


def test_a_coordinator_mails_everyone_registered_after_a_preview(page, live_server, symposium):
    for naam in ["Ada", "Bob"]:
        AanmeldingFactory(bijeenkomst=symposium, naam=naam, email=f"{naam.lower()}@example.org")
    log_in(page, live_server, make_coordinator())

    page.goto(f"{live_server.url}/bijeenkomsten/symposium-armoede/berichten/")
    check(page)
    page.get_by_role("link", name="Nieuw bericht").click()
    check(page)
    page.get_by_label("Bevestigd").check()
    page.get_by_label("Onderwerp").fill("De route")
    page.get_by_label("Tekst").fill("Neem de trein naar Nijmegen.")
    page.get_by_role("button", name="Opslaan en bekijken").click()
    check(page)
    page.get_by_role("button", name="Versturen aan 2 personen").click()

    expect(page.get_by_role("status")).to_contain_text("verstuurd aan 2 personen")
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [
        "ada@example.org",
        "bob@example.org",
    ]
