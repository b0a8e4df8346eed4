"""Every user flow once more with the keyboard alone: Tab and Shift+Tab to move, Enter and
Space to activate, typing into the focused field; no mouse, nothing clicked or filled in
directly.
The helpers in keyboard.py check that each stop on the way shows its focus. Mail links are
followed with `goto`, as a mail program would open them."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding
from leerateliers.models import Deelname
from netwerk.models import Abonnement
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.e2e.conftest import assert_no_axe_violations, delivered_body, log_in
from tests.e2e.keyboard import (
    activate,
    fill_in,
    press_on,
    skip_to_content,
    tab_to,
)
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PASSWORD, PersoonFactory, make_coordinator
from tests.themas.factories import ThemaFactory
from themas.models import Update

pytestmark = pytest.mark.django_db(transaction=True)


def link_in_outbox(to: str, subject_start: str, live_server_url: str) -> str:
    url = re.search(r"https?://\S+", delivered_body(to, subject_start)).group(0)
    return re.sub(r"^https?://[^/]+", live_server_url, url)


def status(page):
    return page.get_by_role("status")


def test_the_first_tab_on_a_page_reaches_the_skip_link_which_moves_focus_to_main(page, live_server):
    LeeratelierFactory(naam="Armoede", slug="armoede")
    for path in ["/", "/leerateliers/armoede/", "/bijeenkomsten/", "/account/login/"]:
        page.goto(live_server.url + path)
        skip_to_content(page)
        # The next Tab lands inside the content, past the header and its menu.
        page.keyboard.press("Tab")
        assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_the_statement_is_reached_from_the_footer_and_read_in_english_with_the_keyboard(
    page, live_server
):
    page.goto(live_server.url)
    skip_to_content(page)
    press_on(page, "Toegankelijkheid", role="link", exact=True)

    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    assert_no_axe_violations(page)

    # The language switch: the select takes the first letters of a language, the button sends.
    tab_to(page, "Taal", role="combobox")
    page.keyboard.type("English")
    expect(page.get_by_label("Taal", exact=True)).to_have_value("en")
    tab_to(page, "Kies taal", role="button")
    activate(page, "Space")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    assert_no_axe_violations(page)
    skip_to_content(page)
    tab_to(page, "Language", role="combobox")
    page.keyboard.type("Nederlands")
    press_on(page, "Choose language", role="button")
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_logging_in_with_the_keyboard_alone(page, live_server):
    PersoonFactory(naam="Kees Toets", email="kees@example.org")
    page.goto(live_server.url)

    skip_to_content(page)
    # The log-in link is in the header, before the content: back with Shift+Tab.
    press_on(page, "Inloggen", role="link", exact=True, backwards=True)
    skip_to_content(page)
    fill_in(page, "E-mailadres", "kees@example.org", role="textbox")
    fill_in(page, "Wachtwoord", PASSWORD, role="label")
    activate(page, "Enter")

    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("link", name="Kees Toets")).to_be_visible()
    press_on(page, "Uitloggen", role="button", backwards=True)
    expect(account.get_by_role("link", name="Inloggen")).to_be_visible()


def test_joining_as_tribune_and_arena_and_the_trekker_approving_with_the_keyboard(
    page, live_server
):
    trekker = PersoonFactory(naam="Tess Trekker", email="tess@example.org")
    LeeratelierFactory(naam="Armoede", slug="armoede", trekkers=[trekker])
    log_in(page, live_server, PersoonFactory(naam="Nina Nieuw", email="nina@example.org"))

    page.goto(f"{live_server.url}/leerateliers/")
    skip_to_content(page)
    press_on(page, "Armoede", role="link", exact=True)
    skip_to_content(page)
    press_on(page, "Volgen vanaf de tribune", role="button")
    expect(page.locator(".deelname-status")).to_contain_text("vanaf de tribune")
    press_on(page, "Arena aanvragen", role="button", key="Space")
    expect(page.locator(".deelname-status")).to_contain_text("arena aangevraagd")
    assert_no_axe_violations(page)

    page.context.clear_cookies()
    log_in(page, live_server, trekker)
    page.goto(f"{live_server.url}/mijn/")
    skip_to_content(page)
    press_on(page, "Goedkeuren", role="button")
    expect(page.locator(".messages")).to_contain_text("doet nu mee in de arena")
    deelname = Deelname.objects.get(persoon__email="nina@example.org")
    assert (deelname.rol, deelname.status) == ("arena", "actief")


def test_a_thematrekker_publishes_an_update_with_the_keyboard(page, live_server):
    trekker = PersoonFactory(naam="Tessa Trekker")
    ThemaFactory(naam="Samenwerken", slug="samenwerken", thematrekkers=[trekker])
    log_in(page, live_server, trekker)

    page.goto(f"{live_server.url}/themas/samenwerken/")
    skip_to_content(page)
    press_on(page, "Schrijf een update", role="link")
    assert_no_axe_violations(page)
    skip_to_content(page)
    fill_in(page, "Titel", "Verbinden van werelden")
    fill_in(page, "Samenvatting", "Wat we leerden van het buurtcafé.")
    fill_in(page, "Tekst", "## Wat we zagen\n\nInwoners en professionals aan één tafel.")
    press_on(page, "Voorbeeld bekijken", role="button")
    expect(page.get_by_role("region", name="Voorbeeld")).to_contain_text("Wat we zagen")
    press_on(page, "Nu publiceren", role="button")

    expect(page.get_by_text("De update is gepubliceerd.")).to_be_visible()
    assert_no_axe_violations(page)
    assert Update.objects.get().status == Update.Status.GEPUBLICEERD


@pytest.fixture
def full_symposium(settings, live_server):
    settings.SITE_URL = live_server.url
    symposium = BijeenkomstFactory(
        titel="Landelijk symposium", slug="landelijk-symposium", soort="symposium", capaciteit=2
    )
    anna = services.register(bijeenkomst=symposium, email="anna@example.org", naam="Anna")
    services.register(bijeenkomst=symposium, email="bram@example.org", naam="Bram")
    return symposium, anna


def test_a_guest_registers_waits_claims_and_another_cancels_with_the_keyboard(
    page, live_server, full_symposium
):
    symposium, anna = full_symposium
    guest = "guus.gast@example.nl"

    page.goto(f"{live_server.url}/bijeenkomsten/")
    skip_to_content(page)
    press_on(page, "Landelijk symposium", role="link")
    skip_to_content(page)
    fill_in(page, "Naam", "Guus Gast", role="textbox")
    fill_in(page, "E-mailadres", guest, role="textbox")
    press_on(page, "Op de wachtlijst plaatsen", role="button")
    expect(status(page)).to_contain_text("Bevestig je e-mailadres")

    page.goto(link_in_outbox(guest, "Bevestig je aanmelding", live_server.url))
    skip_to_content(page)
    fill_in(page, "Dieetwensen", "Vegetarisch")
    press_on(page, "Aanmelding bevestigen", role="button")
    expect(page.locator(".wachtlijst-positie")).to_have_text(
        "Je staat op de wachtlijst, op plaats 1."
    )

    # Anna cancels through her personal link; her place is offered to the guest.
    page.goto(f"{live_server.url}/aanmelding/{anna.token}/")
    assert_no_axe_violations(page)
    skip_to_content(page)
    press_on(page, "Aanmelding annuleren", role="button")
    expect(status(page)).to_contain_text("Je aanmelding is geannuleerd.")

    page.goto(link_in_outbox(guest, "Er is een plek vrij", live_server.url))
    skip_to_content(page)
    press_on(page, "Plek claimen", role="button", key="Space")
    expect(status(page)).to_contain_text("Je hebt de plek geclaimd.")
    assert symposium.aanmeldingen.get(email=guest).status == Aanmelding.Status.BEVESTIGD


def test_a_logged_in_person_registers_for_a_bijeenkomst_with_the_keyboard(page, live_server):
    BijeenkomstFactory(titel="Masterclass samen", slug="masterclass-samen", capaciteit=10)
    log_in(page, live_server, PersoonFactory(naam="Lotte Lid", email="lotte@example.org"))

    page.goto(f"{live_server.url}/bijeenkomsten/masterclass-samen/")
    skip_to_content(page)
    press_on(page, "Aanmelden", role="button", exact=True)

    expect(status(page)).to_be_visible()
    aanmelding = Aanmelding.objects.get(email="lotte@example.org")
    assert aanmelding.status == Aanmelding.Status.BEVESTIGD
    assert_no_axe_violations(page)


def test_subscribing_to_the_nieuwsbrief_with_the_keyboard(page, live_server, settings):
    settings.SITE_URL = live_server.url
    LeeratelierFactory(naam="Armoede")

    page.goto(f"{live_server.url}/nieuwsbrief/")
    skip_to_content(page)
    fill_in(page, "E-mailadres", "guus@example.nl", role="textbox")
    tab_to(page, "Armoede", role="checkbox")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Armoede")).to_be_checked()
    press_on(page, "Aanmelden voor de nieuwsbrief", role="button")
    expect(status(page)).to_contain_text("Bevestig je aanmelding")

    page.goto(link_in_outbox("guus@example.nl", "", live_server.url))
    skip_to_content(page)
    press_on(page, "Ja, ik wil de nieuwsbrief", role="button")
    expect(status(page)).to_contain_text("Je bent aangemeld")
    assert Abonnement.objects.get().leerateliers.get().naam == "Armoede"


def test_a_coordinator_checks_someone_in_at_the_door_with_the_keyboard_on_a_phone(
    page, live_server
):
    symposium = BijeenkomstFactory(titel="Landelijk symposium", slug="symposium", capaciteit=5)
    for naam, email, organisatie in [
        ("Anna de Vries", "anna@example.org", "Buurtteam Oost"),
        ("Bram Bakker", "bram@example.org", "Gemeente Arnhem"),
    ]:
        services.register(bijeenkomst=symposium, email=email, naam=naam, organisatie=organisatie)
    log_in(page, live_server, make_coordinator())
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/bijeenkomsten/symposium/aanwezig/")
    skip_to_content(page)
    fill_in(page, "Zoek op naam, e-mail of organisatie", "buurtteam")
    activate(page, "Enter")
    expect(page.locator(".deur-lijst__item")).to_have_count(1)

    press_on(page, "Aanwezig melden voor Anna de Vries", role="button")
    expect(status(page)).to_contain_text("Anna de Vries is aanwezig gemeld.")
    expect(page.locator(".aanwezig-telling")).to_have_text("1 van 2 bevestigde deelnemers aanwezig")
    # The page comes back at Anna: the next Tab reaches her undo button, not the top.
    tab_to(page, "Ongedaan maken voor Anna de Vries", role="button", maximum=2)
    assert_no_axe_violations(page)
    activate(page, "Space")
    expect(status(page)).to_contain_text("ongedaan gemaakt")
    assert Aanmelding.objects.get(email="anna@example.org").aanwezig_op is None


def test_no_keyboard_flow_needs_the_mouse_nor_fills_fields_directly():
    source = "".join(
        path.read_text(encoding="utf-8") for path in Path(__file__).parent.glob("test_keyboard*.py")
    )
    forbidden = [".cl" + "ick(", ".fi" + "ll(", ".ch" + "eck(", "mou" + "se.", "select_" + "option"]
    assert [word for word in forbidden if word in source] == []
