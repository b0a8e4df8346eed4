"""Issue 23 in the browser: the organisatie's page for members, handing a place on,
registering a colleague, merging organisaties and the matching proposals: axe-core at
desktop and 320 px, and each flow with the keyboard alone."""

import pytest
from playwright.sync_api import expect

from bijeenkomsten import services as bijeenkomsten_services
from bijeenkomsten.models import Aanmelding, OrganisatieVoorstel
from netwerk import services
from netwerk.models import Organisatie
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.e2e.keyboard import fill_in, press_on, skip_to_content, tab_to
from tests.netwerk.factories import (
    OrganisatieFactory,
    PersoonFactory,
    make_coordinator,
    make_lidmaatschap,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gemeente():
    organisatie = OrganisatieFactory(
        naam="Gemeente Lingewaard", slug="lingewaard", maildomein="lingewaard.example.nl"
    )
    organisatie.contact = PersoonFactory(naam="Carla Contact", email="carla@lingewaard.example.nl")
    organisatie.collega = PersoonFactory(
        naam="Kees Collega",
        email="kees@lingewaard.example.nl",
        deelt_aanmeldingen=True,
        organisatie=organisatie,
    )
    for persoon in (organisatie.contact, organisatie.collega):
        make_lidmaatschap(persoon, organisatie)
    services.choose_contactpersoon(
        organisatie=organisatie, persoon=organisatie.contact, door=make_coordinator()
    )
    organisatie.bijeenkomst = BijeenkomstFactory(titel="Symposium wijkkracht", capaciteit=2)
    organisatie.aanmelding = bijeenkomsten_services.register(
        bijeenkomst=organisatie.bijeenkomst,
        email=organisatie.collega.email,
        naam=organisatie.collega.naam,
        persoon=organisatie.collega,
    )
    return organisatie


def status(page):
    return page.get_by_role("status")


def test_the_members_page_and_the_handing_on_page_pass_axe(page, live_server, gemeente):
    log_in(page, live_server, gemeente.contact)
    page.goto(f"{live_server.url}/netwerk/lingewaard/leden/")
    expect(page.get_by_role("heading", name="Aanmeldingen van collega's")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/aanmelding/eigen/{gemeente.aanmelding.pk}/doorgeven/")
    assert_no_axe_violations(page)
    # Refused: the errors are linked to their fields, and the page still passes.
    page.get_by_role("button", name="Plek doorgeven").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page)


def test_a_colleague_hands_their_place_on_with_the_keyboard(page, live_server, gemeente):
    log_in(page, live_server, gemeente.collega)
    page.goto(f"{live_server.url}/mijn/")
    skip_to_content(page)
    press_on(page, "Plek doorgeven aan een collega: Symposium wijkkracht", role="link")
    skip_to_content(page)
    fill_in(page, "Naam van je collega", "Vera Vervanger", role="textbox")
    fill_in(page, "E-mailadres van je collega", "vera@lingewaard.example.nl", role="textbox")
    press_on(page, "Plek doorgeven", role="button", exact=True)

    expect(status(page)).to_contain_text("doorgegeven aan Vera Vervanger")
    assert Aanmelding.objects.get(email="vera@lingewaard.example.nl").status == "bevestigd"


def test_the_contactpersoon_registers_a_colleague_with_the_keyboard(page, live_server, gemeente):
    zoe = PersoonFactory(naam="Zoë Zwijgt", email="zoe@lingewaard.example.nl")
    make_lidmaatschap(zoe, gemeente)
    log_in(page, live_server, gemeente.contact)
    page.goto(f"{live_server.url}/netwerk/lingewaard/leden/")
    skip_to_content(page)
    tab_to(page, "Collega", role="combobox")
    page.keyboard.type("Zo")
    tab_to(page, "Bijeenkomst", role="combobox")
    page.keyboard.type("Sym")
    press_on(page, "Collega aanmelden", role="button")

    expect(status(page)).to_contain_text("Zoë Zwijgt is aangemeld voor Symposium wijkkracht")
    assert Aanmelding.objects.get(persoon=zoe).aangemeld_door == gemeente.contact


def test_a_coordinator_merges_organisaties_with_the_keyboard(page, live_server):
    doel = OrganisatieFactory(naam="Gemeente Overbetuwe", slug="overbetuwe")
    OrganisatieFactory(naam="Gem. Overbetuwe", slug="gem-overbetuwe")
    log_in(page, live_server, make_coordinator(naam="Coby Coördinator"))
    page.goto(f"{live_server.url}/organisaties/samenvoegen/")
    assert_no_axe_violations(page)
    skip_to_content(page)
    tab_to(page, "Samenvoegen: deze organisatie verdwijnt", role="combobox")
    page.keyboard.type("Gem.")
    tab_to(page, "In deze organisatie, die blijft", role="combobox")
    page.keyboard.type("Gemeente O")
    press_on(page, "Samenvoegen", role="button", exact=True)

    expect(status(page)).to_contain_text("Gem. Overbetuwe is samengevoegd met Gemeente Overbetuwe")
    assert list(Organisatie.objects.values_list("pk", flat=True)) == [doel.pk]
    expect(page.get_by_text("door Coby Coördinator")).to_be_visible()
    assert_no_axe_violations(page)


def test_a_coordinator_accepts_a_proposal_with_the_keyboard(page, live_server):
    OrganisatieFactory(naam="Gemeente Arnhem")
    AanmeldingFactory(organisatie="Gemeente Arnhemm", naam="Jan Jansen")
    bijeenkomsten_services.match_organisaties()
    log_in(page, live_server, make_coordinator())
    page.goto(f"{live_server.url}/coordinatie/organisatie-voorstellen/")
    assert_no_axe_violations(page)
    skip_to_content(page)
    press_on(page, "Koppelen: Gemeente Arnhemm aan Gemeente Arnhem", role="button")

    expect(status(page)).to_contain_text("gekoppeld aan Gemeente Arnhem")
    assert OrganisatieVoorstel.objects.get().status == "geaccepteerd"
    assert_no_axe_violations(page)


def test_the_group_page_and_the_groups_on_mijn_pass_axe(page, live_server, gemeente):
    log_in(page, live_server, gemeente.contact)
    page.goto(f"{live_server.url}/bijeenkomsten/{gemeente.bijeenkomst.slug}/groep-aanmelden/")
    assert_no_axe_violations(page)
    # Refused (one person, no choice): the errors are linked to their fields.
    page.get_by_role("button", name="Groep aanmelden").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page)

    bijeenkomsten_services.register_group(
        bijeenkomst=gemeente.bijeenkomst,
        door=gemeente.contact,
        leden=[("Carla Contact", gemeente.contact.email), ("Ria", "ria@lingewaard.example.nl")],
        keuze="samen",
    )
    page.goto(f"{live_server.url}/mijn/")
    expect(page.get_by_role("heading", name="Mijn groepsaanmeldingen")).to_be_visible()
    assert_no_axe_violations(page)


def test_a_colleague_registers_a_group_that_waits_together_with_the_keyboard(
    page, live_server, gemeente
):
    log_in(page, live_server, gemeente.contact)
    page.goto(f"{live_server.url}{gemeente.bijeenkomst.get_absolute_url()}")
    skip_to_content(page)
    press_on(page, "Collega's samen als groep aanmelden", role="link")
    skip_to_content(page)
    fill_in(page, "Naam van persoon 2", "Bram Buur", role="textbox")
    fill_in(page, "E-mailadres van persoon 2", "bram@lingewaard.example.nl", role="textbox")
    fill_in(page, "Naam van persoon 3", "Sara Smit", role="textbox")
    fill_in(page, "E-mailadres van persoon 3", "sara@lingewaard.example.nl", role="textbox")
    # Into the radio group, then the arrow key chooses the second option.
    tab_to(page, "Splitsen", role="radio")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Samen")).to_be_checked()
    press_on(page, "Groep aanmelden", role="button")

    expect(status(page)).to_contain_text("0 van de 3 hebben een plek, 3 staan op de wachtlijst")
    statuses = set(Aanmelding.objects.filter(groep__isnull=False).values_list("status", flat=True))
    assert statuses == {"wachtlijst"}
    expect(
        page.get_by_text("Aangemeld door").or_(page.get_by_text("Jij hebt deze groep"))
    ).to_be_visible()
    expect(page.get_by_text("Bram Buur: op de wachtlijst")).to_be_visible()
