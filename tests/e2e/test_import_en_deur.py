"""A coördinator imports attendees from a spreadsheet, then checks one in at the door on a
phone, in a real browser; axe checks every page on the way."""

import pytest
from playwright.sync_api import expect

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Import
from tests.bijeenkomsten.factories import BijeenkomstFactory, with_link
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "Naam;E-mailadres;Organisatie;Functie;Opmerkingen\r\n"
GOOD_ROWS = (
    'Anna de Vries;anna@example.org;"Buurtteam; Oost";Wijkcoach;\r\n'
    "Zeynep Öztürk;zeynep@example.nl;Zorg & Welzijn;Coördinator;\r\n"
)


def csv_file(rows: str) -> dict:
    return {
        "name": "deelnemers.csv",
        "mimeType": "text/csv",
        "buffer": ("\ufeff" + HEADER + rows).encode("utf-8"),
    }


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def symposium():
    bijeenkomst = BijeenkomstFactory(titel="Landelijk symposium", slug="symposium", capaciteit=2)
    services.register(bijeenkomst=bijeenkomst, email="al@example.org", naam="Al Aangemeld")
    return bijeenkomst


def test_a_coordinator_imports_a_fixed_file_and_checks_someone_in_on_a_phone(
    page, live_server, symposium
):
    log_in(page, live_server, make_coordinator(naam="Coby Coördinator"))

    # The first file has a row without a name: it is shown, and nothing is imported.
    page.goto(f"{live_server.url}/bijeenkomsten/symposium/importeren/")
    assert_no_axe_violations(page)
    page.get_by_label("CSV-bestand").set_input_files(
        csv_file(GOOD_ROWS + ";zonder.naam@example.org;;;\r\n")
    )
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import controleren")
    fouten = page.locator(".import-fouten")
    expect(fouten.get_by_role("row").nth(1)).to_contain_text("4")
    expect(fouten).to_contain_text("de naam ontbreekt")
    assert_no_axe_violations(page)
    assert symposium.aanmeldingen.count() == 1

    # Fixed in the spreadsheet and uploaded again: all rows are good now.
    page.get_by_role("link", name="Een ander bestand uploaden").click()
    page.get_by_label("CSV-bestand").set_input_files(
        csv_file(GOOD_ROWS + "Nico Naamloos;zonder.naam@example.org;;;\r\n")
    )
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.locator(".import-samenvatting")).to_have_text(
        "deelnemers.csv: 3 rijen zijn klaar om te importeren."
    )
    expect(page.locator(".import-fouten")).to_have_count(0)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="3 aanmeldingen importeren").click()
    # The import's own page (here the task ran at once, eagerly, when the request committed).
    expect(page.get_by_role("heading", level=1)).to_have_text("Import: deelnemers.csv")
    expect(page.get_by_role("status")).to_contain_text(
        "3 aanmeldingen geïmporteerd: 1 bevestigd, 2 op de wachtlijst."
    )
    assert_no_axe_violations(page)
    statuses = dict(symposium.aanmeldingen.values_list("email", "status"))
    assert statuses == {
        "al@example.org": "bevestigd",
        "anna@example.org": "bevestigd",
        "zeynep@example.nl": "wachtlijst",
        "zonder.naam@example.org": "wachtlijst",
    }

    # At the door, on a phone: search, one tap, and undo.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/bijeenkomsten/symposium/aanwezig/")
    expect(page.locator(".aanwezig-telling")).to_have_text("0 van 2 bevestigde deelnemers aanwezig")
    assert fits_the_screen(page)
    assert_no_axe_violations(page)
    page.get_by_label("Zoek op naam, e-mail of organisatie").fill("buurtteam")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator(".deur-lijst__item")).to_have_count(1)
    page.get_by_role("button", name="Aanwezig melden voor Anna de Vries").click()
    expect(page.get_by_role("status")).to_contain_text("Anna de Vries is aanwezig gemeld.")
    anna = Aanmelding.objects.get(email="anna@example.org")
    expect(page).to_have_url(
        f"{live_server.url}/bijeenkomsten/symposium/aanwezig/?q=buurtteam#aanmelding-{anna.pk}"
    )
    expect(page.locator(".aanwezig-telling")).to_have_text("1 van 2 bevestigde deelnemers aanwezig")
    assert fits_the_screen(page)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Ongedaan maken voor Anna de Vries").click()
    expect(page.get_by_role("status")).to_contain_text("ongedaan gemaakt")
    page.get_by_role("button", name="Aanwezig melden voor Anna de Vries").click()
    expect(page.locator(".aanwezig-telling")).to_have_text("1 van 2 bevestigde deelnemers aanwezig")
    anna.refresh_from_db()
    assert anna.aanwezig_op is not None

    # The narrowest phone still fits, and so does the export page.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/bijeenkomsten/symposium/aanwezig/")
    assert fits_the_screen(page)
    page.goto(f"{live_server.url}/bijeenkomsten/symposium/export/")
    assert fits_the_screen(page)
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV-bestand downloaden").click()
    assert download.value.suggested_filename.startswith("symposium-lopend-")


def test_a_scanned_personal_link_lets_a_coordinator_check_the_attendee_in(
    page, live_server, symposium
):
    al = with_link(symposium.aanmeldingen.get())
    log_in(page, live_server, make_coordinator())
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}{al.get_absolute_url()}")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Aanwezig melden").click()

    expect(page.get_by_role("status")).to_contain_text("Al Aangemeld is aanwezig gemeld.")
    expect(page.locator(".aanwezig-status")).to_contain_text("Aanwezig sinds")
    assert fits_the_screen(page)
    assert_no_axe_violations(page)


def test_the_page_of_an_import_that_waits_or_was_refused_passes_axe_and_fits_a_phone(
    page, live_server, symposium
):
    coordinator = make_coordinator(naam="Coby Coördinator")
    waiting = Import.objects.create(
        bijeenkomst=symposium, door=coordinator, token="wacht", bestand="a.csv", aantal=40
    )
    refused = Import.objects.create(
        bijeenkomst=symposium,
        door=coordinator,
        token="mislukt",
        bestand="b.csv",
        status=Import.Status.MISLUKT,
        melding="Rij 3 (bram@example.org): Deze bijeenkomst is vol en heeft geen wachtlijst.",
    )
    log_in(page, live_server, coordinator)
    page.set_viewport_size({"width": 320, "height": 640})

    page.goto(f"{live_server.url}/bijeenkomsten/symposium/importeren/{waiting.token}/voortgang/")
    expect(page.get_by_role("status")).to_contain_text("40 aanmeldingen worden geïmporteerd.")
    assert fits_the_screen(page)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Vernieuwen").click()
    expect(page.get_by_role("status")).to_contain_text("40 aanmeldingen worden geïmporteerd.")

    page.goto(f"{live_server.url}/bijeenkomsten/symposium/importeren/{refused.token}/voortgang/")
    expect(page.get_by_role("status")).to_contain_text("Er is niets geïmporteerd.")
    expect(page.get_by_role("status")).to_contain_text("Rij 3 (bram@example.org)")
    assert_no_axe_violations(page)
