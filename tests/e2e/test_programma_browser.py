"""The team's programme pages in a real browser (issue 21, point 1): axe at desktop and
320 px on the programme and the item form, its errors, and adding a deelsessie to a ronde
with the keyboard alone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bijeenkomsten.models import ProgrammaOnderdeel, Spreker
from tests.bijeenkomsten.factories import BijeenkomstFactory, programma_met_ronde
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.e2e.keyboard import fill_in, press_on, skip_to_content
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dag(settings, live_server):
    settings.SITE_URL = live_server.url
    bijeenkomst = BijeenkomstFactory(
        titel="Landelijke dag", slug="landelijke-dag", soort="symposium", capaciteit=20
    )
    ronde, sessies = programma_met_ronde(bijeenkomst, capaciteiten=(1, 5))
    Spreker.objects.create(onderdeel=sessies[0], naam="Sanne Spreker", bio="Lector")
    return bijeenkomst, ronde, sessies


def test_the_programme_and_its_form_with_errors_are_accessible(page, live_server, dag):
    bijeenkomst, _ronde, (a, _b) = dag
    log_in(page, live_server, make_coordinator(naam="Coby", email="coby@example.org"))
    page.goto(live_server.url + reverse("bijeenkomsten:programma", args=[bijeenkomst.slug]))
    expect(page.get_by_role("heading", name="Workshop A")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(
        live_server.url + reverse("bijeenkomsten:onderdeel-wijzigen", args=[bijeenkomst.slug, a.pk])
    )
    assert_no_axe_violations(page)
    page.get_by_label("Titel").fill("")
    page.get_by_role("button", name="Onderdeel opslaan").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Titel")
    assert_no_axe_violations(page)
    alert.get_by_role("link", name="Titel").click()
    expect(page.get_by_label("Titel")).to_be_focused()


def test_adding_a_deelsessie_with_a_speaker_with_the_keyboard_alone(page, live_server, dag):
    bijeenkomst, ronde, _sessies = dag
    log_in(page, live_server, make_coordinator(naam="Coby", email="coby@example.org"))
    page.goto(live_server.url + reverse("bijeenkomsten:aanmeldingen", args=[bijeenkomst.slug]))
    skip_to_content(page)
    press_on(page, "Programma bewerken", role="link")
    expect(page.get_by_role("heading", name="Programma", exact=True)).to_be_visible()

    skip_to_content(page)
    press_on(page, "Deelsessie toevoegen aan Ronde 1", role="link")
    # The ronde's own link chose the soort, the ronde and its times.
    expect(page.get_by_label("Soort")).to_have_value("deelsessie")
    skip_to_content(page)
    fill_in(page, "Titel", "Workshop C", role="textbox")
    fill_in(page, "Zaal", "Zaal C", role="textbox")
    fill_in(page, "Capaciteit van de deelsessie", "12", role="spinbutton")
    fill_in(page, "Naam", "Vera Vrij", role="textbox")
    fill_in(page, "Korte bio", "Ervaringsdeskundige", role="textbox")
    press_on(page, "Onderdeel toevoegen", role="button")

    expect(page.get_by_role("status")).to_contain_text("“Workshop C” staat in het programma.")
    expect(page.locator(f"#onderdeel-{ronde.pk}")).to_contain_text("Workshop C")
    assert_no_axe_violations(page)
    sessie = ProgrammaOnderdeel.objects.get(titel="Workshop C")
    assert (sessie.ronde, sessie.capaciteit, sessie.zaal) == (ronde, 12, "Zaal C")
    minute = {"second": 0, "microsecond": 0}
    assert sessie.start == ronde.start.replace(**minute)
    assert sessie.eind == ronde.eind.replace(**minute)
    assert [s.naam for s in sessie.sprekers.all()] == ["Vera Vrij"]
