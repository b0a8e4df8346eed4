"""The privacy pages in a real browser: axe at desktop and phone width, and without
JavaScript the whole of deleting an account works."""

import pytest
from playwright.sync_api import expect

from netwerk.models import Persoon
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.netwerk.factories import PersoonFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def persoon():
    return PersoonFactory(
        naam="Floor van den Oosterhout-Bergsma", email="floor.langeadres.oosterhout@example.nl"
    )


def test_the_privacy_statement_passes_axe_and_is_in_the_footer(page, live_server):
    page.goto(live_server.url)
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacyverklaring")
    assert_no_axe_violations(page)


def test_my_data_page_and_its_download_pass_axe(page, live_server, persoon):
    log_in(page, live_server, persoon)
    page.goto(live_server.url + "/mijn/")
    page.get_by_role("link", name="Mijn gegevens inzien en downloaden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
    expect(page.get_by_text(persoon.email).first).to_be_visible()
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download mijn gegevens (JSON)").click()
    assert download.value.suggested_filename.startswith("werkplaats-gegevens-")


def test_the_delete_account_page_and_its_errors_pass_axe(page, live_server, persoon):
    log_in(page, live_server, persoon)
    page.goto(live_server.url + "/mijn/account-verwijderen/")
    assert_no_axe_violations(page)
    page.get_by_label("Je wachtwoord").fill("niet-goed")
    page.get_by_role("button", name="Mijn account definitief verwijderen").click()
    expect(page.get_by_role("alert")).to_contain_text("Dit wachtwoord klopt niet.")
    expect(page.get_by_label("Je wachtwoord")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page)
    assert Persoon.objects.get(pk=persoon.pk).is_active
