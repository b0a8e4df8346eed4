"""A thematrekker edits the thema page: an invalshoek, a contact, a preview, then saves."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.netwerk.factories import PersoonFactory
from tests.themas.factories import ThemaFactory
from themas.models import Thema

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_thematrekker_previews_and_saves_the_thema_page(page, live_server):
    trekker = PersoonFactory(naam="Thijs Thema")
    ThemaFactory(naam="Samenwerken", slug="samenwerken", thematrekkers=[trekker])
    log_in(page, live_server, trekker)

    page.goto(f"{live_server.url}/themas/samenwerken/")
    page.get_by_role("link", name="Pagina bewerken").click()
    assert_no_axe_violations(page)

    page.get_by_label("Inleiding").fill("Werelden **verbinden**.")
    page.get_by_label("Titel van de invalshoek").fill("Sociaal-artistiek samenwerken")
    page.get_by_label("Tekst van de invalshoek").fill("Kunst en zorg samen.")
    page.locator("#id_contact-0-naam").fill("Wies Verbinder")
    page.locator("#id_contact-0-rol").fill("verbinder")
    page.get_by_label("E-mailadres").fill("wies@example.org")
    page.get_by_label("Toestemming gegeven").check()
    page.get_by_role("button", name="Voorbeeld").click()

    preview = page.get_by_role("region", name="Voorbeeld")
    expect(preview.locator("strong")).to_have_text("verbinden")
    expect(preview.get_by_text("Kunst en zorg samen.")).to_be_visible()
    assert Thema.objects.get().inleiding == ""
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De themapagina is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sociaal-artistiek samenwerken")).to_be_visible()
    expect(page.get_by_role("link", name="wies@example.org")).to_be_visible()
    assert_no_axe_violations(page)
