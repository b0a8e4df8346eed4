"""Materials of a programme item and the badges at the door in a real browser (issue 21,
points 7 and 8): axe at desktop and 320 px on the materials page (empty, with its errors,
filled), the bijeenkomst page with its materials and the page a badge's QR code opens; and
adding a link and a file to a programme item with the keyboard alone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bijeenkomsten import badges, services
from bijeenkomsten.models import Materiaal
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory, programma_met_ronde
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.e2e.keyboard import fill_in, press_on, skip_to_content, tab_to
from tests.kennisbank.factories import pdf_bytes
from tests.netwerk.factories import make_coordinator
from werkplaats import cache

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dag(settings, live_server):
    settings.SITE_URL = live_server.url
    bijeenkomst = BijeenkomstFactory(
        titel="Landelijke dag", slug="landelijke-dag", soort="symposium", capaciteit=20
    )
    ronde, sessies = programma_met_ronde(bijeenkomst, capaciteiten=(1, 5))
    return bijeenkomst, ronde, sessies


def test_the_materials_page_with_its_errors_and_the_pages_that_show_them_are_accessible(
    page, live_server, dag
):
    bijeenkomst, ronde, (sessie_a, _b) = dag
    coordinator = make_coordinator(naam="Coby", email="coby@example.org")
    log_in(page, live_server, coordinator)
    url = live_server.url + reverse("bijeenkomsten:materialen", args=[bijeenkomst.slug, ronde.pk])
    page.goto(url)
    expect(page.get_by_text("Nog geen materiaal bij dit onderdeel.")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Materiaal toevoegen").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Geef een link of kies een bestand")
    assert_no_axe_violations(page)
    alert.get_by_role("link", name="Link").click()
    expect(page.get_by_label("Link")).to_be_focused()

    services.add_materiaal(
        onderdeel=sessie_a, door=coordinator, titel="Werkblad A", link="https://example.org/a"
    )
    services.add_materiaal(
        onderdeel=ronde,
        door=coordinator,
        titel="Dia's van de ronde met een lange titel die op een telefoon moet passen",
        bestand=_pdf_upload(),
        bestand_type="pdf",
        direct_tonen=True,
    )
    page.goto(url)
    assert_no_axe_violations(page)
    page.goto(live_server.url + reverse("bijeenkomsten:programma", args=[bijeenkomst.slug]))
    assert_no_axe_violations(page)
    page.goto(live_server.url + bijeenkomst.get_absolute_url())
    expect(page.get_by_role("link", name="Werkblad A")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_page_a_badge_opens_checks_the_person_in_and_is_accessible(page, live_server, dag):
    bijeenkomst, _ronde, (sessie_a, _b) = dag
    anna = services.register(
        bijeenkomst=bijeenkomst,
        email="anna@example.org",
        naam="Anna de Vries",
        organisatie="Gemeente Arnhem",
        sessies=[sessie_a],
    )
    AanmeldingFactory(bijeenkomst=bijeenkomst, naam="Bo Binnen")
    log_in(page, live_server, make_coordinator(naam="Coby", email="coby@example.org"))
    page.goto(live_server.url + reverse("bijeenkomsten:aanwezigheid", args=[bijeenkomst.slug]))
    expect(page.get_by_role("link", name="Badges afdrukken")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(
        live_server.url
        + reverse("bijeenkomsten:badge", args=[bijeenkomst.slug, badges.code_for(anna)])
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna de Vries")
    expect(page.get_by_text("Workshop A")).to_be_visible()
    assert_no_axe_violations(page)
    skip_to_content(page)
    press_on(page, "Aanwezig melden", role="button")
    expect(page.get_by_role("status")).to_contain_text("Anna de Vries is aanwezig gemeld.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna de Vries")
    assert_no_axe_violations(page)


def _pdf_upload():
    from django.core.files.base import ContentFile

    return ContentFile(pdf_bytes("Dia's"), name="dias.pdf")


def test_adding_a_link_and_a_file_to_a_programme_item_with_the_keyboard_alone(
    page, live_server, dag, tmp_path
):
    bijeenkomst, ronde, _sessies = dag
    slides = tmp_path / "keynote.pdf"
    slides.write_bytes(pdf_bytes("Sociale kwaliteit in de wijk"))
    log_in(page, live_server, make_coordinator(naam="Coby", email="coby@example.org"))
    page.goto(live_server.url + reverse("bijeenkomsten:programma", args=[bijeenkomst.slug]))

    skip_to_content(page)
    press_on(page, "Materiaal (0) bij Ronde 1", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Materiaal bij Ronde 1")
    skip_to_content(page)
    fill_in(page, "Titel", "Opname van de ronde", role="textbox")
    fill_in(page, "Link", "https://video.example.org/ronde-1", role="textbox")
    press_on(page, "Materiaal toevoegen", role="button")
    expect(page.get_by_role("status")).to_contain_text("“Opname van de ronde” staat bij Ronde 1.")
    expect(page.get_by_role("link", name="Opname van de ronde")).to_be_visible()

    fill_in(page, "Titel", "Dia's van de ronde", role="textbox")
    tab_to(page, "Bestand", role="label")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(slides))
    tab_to(page, "Nu al tonen op de pagina van de bijeenkomst", role="checkbox")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Nu al tonen")).to_be_checked()
    press_on(page, "Materiaal toevoegen", role="button")
    expect(page.get_by_role("status")).to_contain_text("“Dia's van de ronde” staat bij Ronde 1.")

    link, bestand = Materiaal.objects.order_by("pk")
    assert (link.link, link.direct_tonen) == ("https://video.example.org/ronde-1", False)
    assert (bestand.bestand_type, bestand.direct_tonen, bestand.onderdeel) == ("pdf", True, ronde)
    # The visitor sees the marked slides now, the recording once the day is over.
    page.context.clear_cookies()
    page.goto(live_server.url + bijeenkomst.get_absolute_url())
    expect(page.get_by_role("link", name="Dia's van de ronde")).to_be_visible()
    expect(page.get_by_role("link", name="Opname van de ronde")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Dia's van de ronde").click()
    assert download.value.suggested_filename == "dias-van-de-ronde.pdf"
    start = timezone.now() - timedelta(days=1)
    bijeenkomst.start, bijeenkomst.eind = start, start + timedelta(hours=2)
    bijeenkomst.save(update_fields=["start", "eind"])
    cache.bump("bijeenkomsten")  # as an edit does; the clock alone moves no day back
    page.goto(live_server.url + bijeenkomst.get_absolute_url())
    expect(page.get_by_role("link", name="Opname van de ronde")).to_be_visible()
