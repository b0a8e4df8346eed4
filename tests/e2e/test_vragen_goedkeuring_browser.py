"""Issue 21, points 3 and 4 in the browser: the team's question page, the registration form
with its questions, a request and its approval; axe-core at desktop and 320 px, and the
flows with the keyboard alone (Tab, Enter, Space and typing only)."""

import pytest
from playwright.sync_api import expect

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Vraag
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.e2e.keyboard import fill_in, press_on, skip_to_content, tab_to
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db(transaction=True)

ROLLEN = "inwoner\nprofessional\nstudent\nervaringsdeskundige"


def status(page):
    return page.get_by_role("status")


@pytest.fixture
def masterclass():
    bijeenkomst = BijeenkomstFactory(
        titel="Masterclass energie", slug="masterclass", capaciteit=2, met_goedkeuring=True
    )
    door = make_coordinator(naam="Vera Vragensteller")
    services.save_question(
        bijeenkomst=bijeenkomst,
        door=door,
        soort=Vraag.Soort.EEN_KEUZE,
        tekst="Ik ben",
        keuzes=ROLLEN,
        verplicht=True,
        hulptekst="Zo stemmen we het programma af.",
    )
    services.save_question(
        bijeenkomst=bijeenkomst,
        door=door,
        soort=Vraag.Soort.MEER_KEUZES,
        tekst="Welke thema's?",
        keuzes="Armoede\nWonen",
    )
    services.save_question(
        bijeenkomst=bijeenkomst, door=door, soort=Vraag.Soort.JA_NEE, tekst="Op de foto?"
    )
    return bijeenkomst


def test_the_new_pages_pass_axe_at_desktop_and_320_px(page, live_server, masterclass):
    vraag = masterclass.vragen.first()
    services.register(
        bijeenkomst=masterclass,
        email="ria@example.org",
        naam="Ria Aanvrager",
        antwoorden={vraag.pk: "ervaringsdeskundige"},
    )
    log_in(page, live_server, make_coordinator())

    page.goto(f"{live_server.url}/bijeenkomsten/masterclass/vragen/")
    assert_no_axe_violations(page)
    # With its errors, linked to their fields.
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/bijeenkomsten/masterclass/vragen/{vraag.pk}/")
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/bijeenkomsten/masterclass/aanmeldingen/?status=aangevraagd")
    expect(page.get_by_text("ervaringsdeskundige")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/bijeenkomsten/masterclass/")
    expect(page.get_by_role("radio", name="student")).to_be_visible()
    assert_no_axe_violations(page)


def test_a_partner_requests_a_place_answering_the_questions_with_the_keyboard(
    page, live_server, masterclass
):
    persoon = PersoonFactory(naam="Pim Partner")
    log_in(page, live_server, persoon)
    page.goto(f"{live_server.url}/bijeenkomsten/masterclass/")
    skip_to_content(page)
    press_on(page, "Plek aanvragen", role="button")
    # Refused without the required answer: the error leads to the question.
    expect(page.get_by_role("alert").or_(page.locator(".errorlist")).first).to_be_visible()
    assert not Aanmelding.objects.exists()

    # A radio group is one Tab stop; the arrow keys choose within it.
    tab_to(page, "inwoner", role="radio")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="student")).to_be_checked()
    tab_to(page, "Wonen", role="checkbox")
    page.keyboard.press("Space")
    press_on(page, "Plek aanvragen", role="button")
    expect(status(page)).to_contain_text("Je aanvraag is ontvangen")
    assert_no_axe_violations(page)
    aanmelding = Aanmelding.objects.get()
    assert aanmelding.status == Aanmelding.Status.AANGEVRAAGD
    assert sorted(a.waarde for a in aanmelding.antwoorden.all()) == ["Wonen", "student"]


def test_the_team_adds_a_question_and_approves_a_request_with_the_keyboard(
    page, live_server, masterclass
):
    services.register(
        bijeenkomst=masterclass,
        email="ria@example.org",
        naam="Ria Aanvrager",
        antwoorden={masterclass.vragen.first().pk: "inwoner"},
    )
    log_in(page, live_server, make_coordinator(naam="Coby Coördinator"))

    page.goto(f"{live_server.url}/bijeenkomsten/masterclass/vragen/")
    skip_to_content(page)
    fill_in(page, "Vraag", "Wat wil je leren?", role="textbox")
    tab_to(page, "Soort vraag", role="combobox")
    # From the first soort (korte tekst) one down: lange tekst.
    page.keyboard.press("ArrowDown")
    press_on(page, "Vraag toevoegen", role="button")
    expect(status(page)).to_contain_text("Wat wil je leren?")
    assert masterclass.vragen.filter(tekst="Wat wil je leren?", soort="lang").exists()

    page.goto(f"{live_server.url}/bijeenkomsten/masterclass/aanmeldingen/?status=aangevraagd")
    skip_to_content(page)
    tab_to(page, "Aanvraag van Ria Aanvrager", role="checkbox")
    page.keyboard.press("Space")
    press_on(page, "Gekozen aanvragen goedkeuren", role="button")
    expect(status(page)).to_contain_text("1 goedgekeurd")
    assert Aanmelding.objects.get().status == Aanmelding.Status.BEVESTIGD
