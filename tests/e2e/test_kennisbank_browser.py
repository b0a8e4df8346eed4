"""The kennisbank in a real browser: a trekker publishes a PDF report and a visitor finds it
by a word inside it; the library's facets, a product, the search and a coördinator's
dossier, each checked with axe at desktop and 320 px."""

import pytest
from playwright.sync_api import expect

from kennisbank.models import Kennisdossier, Kennisproduct
from leerateliers.models import Voorwaarde
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.kennisbank.factories import KennisproductFactory, pdf_bytes
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_trekker_publishes_a_pdf_report_and_a_visitor_finds_it_by_a_word_inside(
    page, live_server, tmp_path
):
    trekker = PersoonFactory(naam="Tessa Trekker")
    LeeratelierFactory(naam="Energiearmoede", slug="energiearmoede").trekkers.add(trekker)
    rapport = tmp_path / "rapport.pdf"
    rapport.write_bytes(pdf_bytes("Tochtstrips en de keukentafel in Presikhaaf"))
    log_in(page, live_server, trekker)

    page.goto(f"{live_server.url}/kennisbank/")
    page.get_by_role("link", name="Kennisproduct toevoegen").click()
    assert_no_axe_violations(page)
    page.get_by_label("Titel").fill("Energiearmoede in de wijk")
    page.get_by_label("Soort:", exact=True).select_option("onderzoeksrapport")
    page.get_by_label("Samenvatting").fill("Wat huishoudens vertelden aan de keukentafel.")
    page.get_by_label("Jaar").fill("2024")
    page.get_by_label("Energiearmoede").check()
    page.get_by_label("Bestand").set_input_files(str(rapport))
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_text("Het concept is opgeslagen.")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Publiceren").click()
    expect(page.get_by_text("Het kennisproduct is gepubliceerd.")).to_be_visible()
    assert Kennisproduct.objects.get().is_gepubliceerd

    page.context.clear_cookies()
    page.goto(live_server.url)
    page.get_by_role("searchbox", name="Zoeken in het portaal").fill("tochtstrips")
    page.get_by_role("button", name="Zoek", exact=True).click()
    result = page.get_by_role("link", name="Energiearmoede in de wijk")
    expect(result).to_be_visible()
    assert_no_axe_violations(page)
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Energiearmoede in de wijk")
    expect(page.get_by_role("link", name="BibTeX")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_library_narrows_by_a_voorwaarde_and_shows_its_counts(page, live_server):
    cohesie = Voorwaarde.objects.get_or_create(
        slug="sociale-cohesie", defaults={"naam": "Sociale cohesie", "volgorde": 3}
    )[0]
    toolbox = KennisproductFactory(titel="Toolbox samenwerken in de wijk")
    toolbox.voorwaarden.add(cohesie)
    KennisproductFactory(titel="Literatuurstudie schulden")

    page.goto(f"{live_server.url}/kennisbank/")
    assert_no_axe_violations(page)
    voorwaarde = page.get_by_label("Voorwaarde")
    # Each choice says how many products it leads to.
    expect(voorwaarde.locator("option[value=sociale-cohesie]")).to_contain_text("(1)")
    voorwaarde.select_option("sociale-cohesie")
    page.get_by_role("button", name="Filter toepassen").click()
    expect(page.get_by_role("link", name="Toolbox samenwerken in de wijk")).to_be_visible()
    expect(page.get_by_role("link", name="Literatuurstudie schulden")).to_have_count(0)
    assert_no_axe_violations(page)


def test_a_coordinator_curates_a_dossier_in_the_browser(page, live_server):
    product = KennisproductFactory(titel="Ervaringskennis benutten", slug="ervaringskennis")
    log_in(page, live_server, make_coordinator())

    page.goto(f"{live_server.url}/kennisbank/dossiers/")
    page.get_by_role("link", name="Nieuw kennisdossier").click()
    assert_no_axe_violations(page)
    page.get_by_label("Titel").fill("Ervaringsdeskundigheid")
    page.get_by_label("Samenvatting").fill("Wat vijf werkplaatsen leerden.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het kennisdossier is opgeslagen.")).to_be_visible()

    page.get_by_label("Link van een kennisproduct, update of bijeenkomst").fill("/elders/")
    page.get_by_role("button", name="Toevoegen").click()
    error = page.get_by_role("alert")
    expect(error).to_contain_text("wijst niet naar")
    assert_no_axe_violations(page)
    page.get_by_label("Link van een kennisproduct, update of bijeenkomst").fill(
        f"{live_server.url}{product.get_absolute_url()}"
    )
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("staat nu in het dossier")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Gepubliceerd").check()
    page.get_by_role("button", name="Opslaan").click()
    dossier = Kennisdossier.objects.get()
    assert dossier.gepubliceerd
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{dossier.get_absolute_url()}")
    expect(page.get_by_role("link", name="Ervaringskennis benutten")).to_be_visible()
    assert_no_axe_violations(page)
