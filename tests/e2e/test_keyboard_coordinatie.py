"""The coördinator's flows with the keyboard alone: a bijeenkomst published and filled,
invitations sent, a spreadsheet imported, a nieuwsbrief composed and sent. The same
rules as test_keyboard.py: Tab, Enter, Space and typing only."""

import pytest
from playwright.sync_api import expect

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Uitnodiging
from nieuwsbrief.models import Editie
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.e2e.keyboard import activate, fill_in, press_on, skip_to_content, tab_to
from tests.leerateliers.factories import DeelnameFactory, LeeratelierFactory
from tests.netwerk.factories import AbonnementFactory, PersoonFactory, make_coordinator
from tests.themas.factories import ThemaFactory, UpdateFactory

pytestmark = pytest.mark.django_db(transaction=True)


def status(page):
    return page.get_by_role("status")


def test_a_coordinator_publishes_and_fills_a_bijeenkomst_with_the_keyboard(page, live_server):
    # Made as a concept beforehand: how a date-and-time field takes typed digits depends on
    # the browser's own language (this headless Chromium wants month/day/year whatever the
    # page's language), so no test can type one the same way everywhere.
    BijeenkomstFactory(
        titel="Landelijk symposium", slug="symposium", capaciteit=1, status="concept"
    )
    log_in(page, live_server, make_coordinator(naam="Coby Coördinator"))

    page.goto(f"{live_server.url}/bijeenkomsten/symposium/aanmeldingen/")
    skip_to_content(page)
    press_on(page, "Publiceren", role="button", exact=True)
    expect(status(page)).to_contain_text("gepubliceerd")
    assert Bijeenkomst.objects.get().status == Bijeenkomst.Status.GEPUBLICEERD

    press_on(page, "Iemand aanmelden", role="link")
    skip_to_content(page)
    fill_in(page, "Naam", "Sara Spreker", role="textbox")
    fill_in(page, "E-mailadres", "sara@example.org", role="textbox")
    tab_to(page, "Boven de capaciteit", role="checkbox")
    page.keyboard.press("Space")
    fill_in(page, "Reden boven capaciteit", "Houdt de openingslezing", role="textbox")
    press_on(page, "Aanmelden", role="button", exact=True)
    expect(status(page)).to_contain_text("Sara Spreker is aangemeld")
    assert Aanmelding.objects.get().boven_capaciteit


def test_a_coordinator_invites_and_imports_a_spreadsheet_with_the_keyboard(
    page, live_server, settings
):
    settings.SITE_URL = live_server.url
    atelier = LeeratelierFactory(naam="Armoede en schulden")
    DeelnameFactory(
        leeratelier=atelier, persoon=PersoonFactory(email="ada@example.org"), rol="arena"
    )
    symposium = BijeenkomstFactory(titel="Symposium armoede", slug="symposium", capaciteit=50)
    symposium.leerateliers.add(atelier)
    log_in(page, live_server, make_coordinator())

    page.goto(f"{live_server.url}/bijeenkomsten/symposium/uitnodigingen/")
    skip_to_content(page)
    press_on(page, "Uitnodigingen versturen", role="link")
    skip_to_content(page)
    fill_in(page, "Losse e-mailadressen", "Dirk Los <dirk@example.nl>", role="textbox")
    press_on(page, "Bekijk wie je uitnodigt", role="button")
    expect(page.locator(".aantal-uitnodigingen")).to_have_text(
        "2 adressen krijgen een uitnodiging."
    )
    press_on(page, "Verstuur 2 uitnodigingen", role="button")
    expect(status(page)).to_contain_text("2 uitnodigingen verstuurd.")
    assert Uitnodiging.objects.count() == 2

    # The file field opens the file chooser on Space, as it would for anyone.
    page.goto(f"{live_server.url}/bijeenkomsten/symposium/importeren/")
    skip_to_content(page)
    tab_to(page, "CSV-bestand", role="label")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(
        {
            "name": "deelnemers.csv",
            "mimeType": "text/csv",
            "buffer": b"Naam;E-mailadres\r\nAnna de Vries;anna@example.org\r\n",
        }
    )
    press_on(page, "Bestand controleren", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import controleren")
    press_on(page, "1 aanmelding importeren", role="button")
    expect(status(page)).to_contain_text("1 aanmelding geïmporteerd")
    assert symposium.aanmeldingen.filter(email="anna@example.org").exists()


def test_a_coordinator_composes_reorders_and_sends_a_nieuwsbrief_with_the_keyboard(
    page, live_server, settings
):
    settings.SITE_URL = live_server.url
    armoede = LeeratelierFactory(naam="Armoede")
    UpdateFactory(titel="Het ZakgeldProject", leeratelier=armoede, thema=None)
    UpdateFactory(titel="Verbinden van werelden", thema=ThemaFactory(naam="Samenwerken"))
    BijeenkomstFactory(titel="Landelijk symposium")
    AbonnementFactory(email="anna@example.org")
    log_in(page, live_server, make_coordinator(email="coco@example.org"))

    page.goto(f"{live_server.url}/mijn/")
    skip_to_content(page)
    press_on(page, "Nieuwsbrief samenstellen en verzenden", role="link")
    skip_to_content(page)
    press_on(page, "Nieuwe editie samenstellen", role="button")
    expect(status(page)).to_contain_text("samengesteld")

    # Moving a section up brings the page back at that section: the next Tabs pass its
    # links and reach its buttons again, without going through the whole page.
    press_on(page, "Omhoog: Komende bijeenkomsten", role="button")
    tab_to(page, "Omhoog: Komende bijeenkomsten", role="button", maximum=4)
    activate(page, "Space")
    titles = page.locator(".secties > li h3").all_inner_texts()
    assert titles[0] == "Komende bijeenkomsten"

    press_on(page, "Verzenden", role="link", exact=True)
    skip_to_content(page)
    press_on(page, "Nu verzenden naar 1 abonnee", role="button")
    expect(status(page)).to_contain_text("wordt verzonden")
    assert Editie.objects.get().status == Editie.Status.VERZONDEN
    assert_no_axe_violations(page)


def test_a_new_visitor_signs_up_with_the_keyboard(page, live_server):
    page.goto(live_server.url)
    skip_to_content(page)
    press_on(page, "Account aanmaken", role="link", backwards=True)
    skip_to_content(page)
    fill_in(page, "Naam", "Fenna Visser", role="textbox")
    fill_in(page, "E-mailadres", "fenna.visser@example.nl", role="textbox")
    fill_in(page, "Wachtwoord:", "Een-sterk-wachtwoord-2026", role="label", exact=True)
    fill_in(page, "Wachtwoord (herhalen)", "Een-sterk-wachtwoord-2026", role="label")
    press_on(page, "Account aanmaken", role="button", exact=True)

    expect(page.get_by_role("heading", level=1)).to_have_text("Verifieer je e-mailadres")


def test_a_refused_form_leads_the_keyboard_from_each_error_to_its_field(page, live_server):
    # A refused form shows its errors as links to the fields: following one with Enter
    # moves the focus to the field.
    symposium = BijeenkomstFactory(titel="Klein overleg", slug="klein", capaciteit=1)
    services.register(bijeenkomst=symposium, email="al@example.org", naam="Al")
    log_in(page, live_server, make_coordinator())

    page.goto(f"{live_server.url}/bijeenkomsten/klein/")
    skip_to_content(page)
    press_on(page, "Aanmeldingen beheren", role="link")
    press_on(page, "Iemand aanmelden", role="link")
    skip_to_content(page)
    press_on(page, "Aanmelden", role="button", exact=True)
    error_link = page.get_by_role("alert").get_by_role("link").first
    expect(error_link).to_be_visible()
    # The error summary comes first in <main>: a few Tabs from wherever the focus is.
    tab_to(page, error_link.inner_text(), role="link", exact=True, maximum=3)
    page.keyboard.press("Enter")
    expect(page.locator(error_link.get_attribute("href"))).to_be_focused()
