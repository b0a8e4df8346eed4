"""Deleting an account works in a browser without JavaScript (axe, which needs it, runs in
test_privacy_browser.py)."""

import pytest
from playwright.sync_api import expect

from netwerk.models import Persoon
from tests.e2e.conftest import log_in
from tests.netwerk.factories import PASSWORD, PersoonFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False}


def test_deleting_my_account_works_without_javascript(page, live_server):
    persoon = PersoonFactory(naam="Sem Zonderscript", email="sem@example.nl")
    log_in(page, live_server, persoon)
    page.goto(live_server.url + "/mijn/gegevens/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
    page.get_by_role("link", name="Mijn account en gegevens verwijderen").click()

    page.get_by_label("Je wachtwoord").fill("niet-goed")
    page.get_by_role("button", name="Mijn account definitief verwijderen").click()
    expect(page.get_by_role("alert")).to_contain_text("Dit wachtwoord klopt niet.")
    assert Persoon.objects.get(pk=persoon.pk).is_active

    page.get_by_label("Je wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Mijn account definitief verwijderen").click()
    expect(page.get_by_text("Je account is verwijderd.")).to_be_visible()
    assert not Persoon.objects.get(pk=persoon.pk).is_active
