"""A new visitor in a real browser: the home page, the language switch, signing up."""

import pytest
from playwright.sync_api import expect

from netwerk.models import Persoon
from tests.e2e.conftest import assert_no_axe_violations, link_in_last_mail
from tests.netwerk.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Een-sterk-wachtwoord-2026"


def test_the_home_page_loads_in_dutch_and_passes_axe(page, live_server):
    page.goto(live_server.url)

    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Werkplaats Sociaal Domein Arnhem Nijmegen"
    )
    assert_no_axe_violations(page)


def test_the_skip_link_is_the_first_stop_for_keyboard_users(page, live_server):
    page.goto(live_server.url)

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Naar de inhoud")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()


def test_the_language_switch_turns_the_site_english_and_back(page, live_server):
    page.goto(live_server.url)

    page.get_by_label("Taal", exact=True).select_option("en")
    page.get_by_role("button", name="Kies taal").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Skip to content")).to_be_attached()

    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Choose language").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")


@pytest.mark.parametrize(
    "path",
    ["/account/login/", "/account/signup/", "/account/password/reset/"],
    ids=["log-in", "sign-up", "password-reset"],
)
def test_account_pages_pass_axe(page, live_server, path):
    page.goto(live_server.url + path)

    expect(page.locator("main h1")).to_be_visible()
    assert_no_axe_violations(page)


def test_sign_up_errors_are_announced_next_to_their_fields_and_pass_axe(page, live_server):
    page.goto(live_server.url + "/account/signup/")

    page.get_by_label("Naam").fill("Sam Proef")
    page.get_by_label("E-mailadres").fill("sam@example.org")
    page.get_by_label("Wachtwoord:", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (herhalen)").fill("iets-anders-2026")
    page.get_by_role("button", name="Account aanmaken", exact=True).click()

    repeat = page.get_by_label("Wachtwoord (herhalen)")
    expect(repeat).to_have_attribute("aria-invalid", "true")
    described_by = repeat.get_attribute("aria-describedby")
    expect(page.locator(f"#{described_by.split()[-1]}")).to_contain_text("hetzelfde wachtwoord")
    assert_no_axe_violations(page)


def test_the_organisatie_is_found_by_name_and_chosen_when_several_fit(page, live_server):
    OrganisatieFactory(naam="Gemeente Arnhem", plaats="Arnhem")
    nijmegen = OrganisatieFactory(naam="Gemeente Nijmegen", plaats="Nijmegen")
    page.goto(live_server.url + "/account/signup/")

    page.get_by_label("Naam:", exact=True).fill("Sam Proef")
    page.get_by_label("E-mailadres").fill("sam@example.org")
    page.get_by_label("Wachtwoord:", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (herhalen)").fill(PASSWORD)
    page.get_by_label("Organisatie:", exact=True).fill("gemeente")
    page.get_by_role("button", name="Account aanmaken", exact=True).click()

    search = page.get_by_label("Organisatie:", exact=True)
    expect(search).to_have_attribute("aria-invalid", "true")
    described_by = search.get_attribute("aria-describedby")
    expect(page.locator(f"#{described_by.split()[-1]}")).to_contain_text("Kies hieronder")
    choices = page.get_by_role("group", name="Welke organisatie bedoel je?")
    expect(choices.get_by_role("radio")).to_have_count(2)
    assert_no_axe_violations(page)

    page.get_by_label("Wachtwoord:", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (herhalen)").fill(PASSWORD)
    choices.get_by_label("Gemeente Nijmegen (Nijmegen)").check()
    page.get_by_role("button", name="Account aanmaken", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Verifieer je e-mailadres")
    assert Persoon.objects.get(email="sam@example.org").organisatie == nijmegen


def test_a_new_visitor_signs_up_verifies_the_address_and_logs_in(page, live_server):
    page.goto(live_server.url)
    page.get_by_role("link", name="Account aanmaken").click()

    page.get_by_label("Naam").fill("Fenna Visser")
    page.get_by_label("E-mailadres").fill("fenna.visser@example.nl")
    page.get_by_label("Wachtwoord:", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (herhalen)").fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Verifieer je e-mailadres")
    assert Persoon.objects.filter(email="fenna.visser@example.nl").exists()

    page.goto(link_in_last_mail("fenna.visser@example.nl", live_server.url))
    page.get_by_role("button", name="Bevestigen").click()

    # Confirming logs the new person in; log out and in again with the password.
    account_nav = page.get_by_role("navigation", name="Account")
    expect(account_nav.get_by_role("link", name="Fenna Visser")).to_be_visible()
    account_nav.get_by_role("button", name="Uitloggen").click()
    expect(account_nav.get_by_role("link", name="Inloggen")).to_be_visible()

    account_nav.get_by_role("link", name="Inloggen").click()
    page.get_by_label("E-mailadres").fill("Fenna.Visser@example.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    expect(account_nav.get_by_role("link", name="Fenna Visser")).to_be_visible()
