"""A new user's way through a full symposium, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from bijeenkomsten import services
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.e2e.conftest import assert_no_axe_violations as assert_accessible
from tests.e2e.conftest import delivered_body
from tests.netwerk.factories import PASSWORD, PersoonFactory, coordinator_group

pytestmark = pytest.mark.django_db(transaction=True)

GUEST = "guus.gast@example.nl"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


def link_in_mail(to: str, subject_start: str) -> str:
    return re.search(r"http\S+", delivered_body(to, subject_start)).group(0)


@pytest.fixture
def full_symposium(settings, live_server):
    settings.SITE_URL = live_server.url
    symposium = BijeenkomstFactory(
        titel="Landelijk symposium",
        slug="landelijk-symposium",
        soort="symposium",
        capaciteit=2,
    )
    anna = services.register(bijeenkomst=symposium, email="anna@example.org", naam="Anna")
    services.register(bijeenkomst=symposium, email="bram@example.org", naam="Bram")
    return symposium, anna


def test_a_guest_waits_for_a_full_symposium_and_claims_the_place_an_attendee_frees(
    page, live_server, full_symposium
):
    symposium, anna = full_symposium

    # The guest finds the symposium and registers; it is full, so the wachtlijst it is.
    page.goto(f"{live_server.url}/bijeenkomsten/")
    assert_accessible(page)
    page.get_by_role("link", name="Landelijk symposium").click()
    expect(page.locator(".bezetting").first).to_have_text("Vol — wachtlijst open")
    assert_accessible(page)
    page.get_by_label("Naam").fill("Guus Gast")
    page.get_by_label("E-mailadres").fill(GUEST)
    page.get_by_role("button", name="Op de wachtlijst plaatsen").click()
    expect(page.get_by_role("status")).to_contain_text("Bevestig je e-mailadres")

    # Only the link in the mail makes the registration count.
    page.goto(link_in_mail(GUEST, "Bevestig je aanmelding"))
    assert_accessible(page)
    page.get_by_label("Dieetwensen").fill("Vegetarisch")
    page.get_by_role("button", name="Aanmelding bevestigen").click()
    expect(page.locator(".wachtlijst-positie")).to_have_text(
        "Je staat op de wachtlijst, op plaats 1."
    )
    assert_accessible(page)

    # A confirmed attendee cancels through her own link.
    page.goto(f"{live_server.url}/aanmelding/{anna.token}/")
    page.get_by_role("button", name="Aanmelding annuleren").click()
    expect(page.get_by_role("status")).to_contain_text("Je aanmelding is geannuleerd.")
    assert_accessible(page)

    # The guest gets the offer by mail and claims the place.
    page.goto(link_in_mail(GUEST, "Er is een plek vrij"))
    assert_accessible(page)
    page.get_by_role("button", name="Plek claimen").click()
    expect(page.get_by_role("status")).to_contain_text("Je hebt de plek geclaimd.")
    expect(page.locator(".aanmelding-status")).to_have_text("Bevestigd")
    assert_accessible(page)
    assert symposium.aanmeldingen.get(email=GUEST).status == "bevestigd"


def test_a_wrong_personal_link_explains_itself(page, live_server):
    response = page.goto(f"{live_server.url}/aanmelding/bestaat-niet-meer-0123456789/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelding niet gevonden")
    assert_accessible(page)


def test_a_coordinator_raises_the_capacity_and_the_first_waiting_gets_the_offer(
    page, live_server, full_symposium
):
    symposium, _ = full_symposium
    waiting = services.register(bijeenkomst=symposium, email="wacht@example.org", naam="Wim")
    coordinator = PersoonFactory(email="coordinator@example.org")
    coordinator.groups.add(coordinator_group())

    page.goto(f"{live_server.url}/account/login/?next=/bijeenkomsten/{symposium.slug}/")
    page.get_by_label("E-mail").fill("coordinator@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    page.get_by_role("link", name="Aanmeldingen beheren").click()
    assert_accessible(page)
    page.get_by_label("Capaciteit").fill("3")
    page.get_by_role("button", name="Capaciteit opslaan").click()

    expect(page.get_by_role("status")).to_contain_text("De capaciteit is aangepast.")
    assert_accessible(page)
    page.get_by_role("link", name="Plek aangeboden (1)").click()
    expect(page.get_by_role("row", name=re.compile("Wim"))).to_be_visible()
    assert_accessible(page)
    waiting.refresh_from_db()
    assert waiting.status == "aangeboden"
