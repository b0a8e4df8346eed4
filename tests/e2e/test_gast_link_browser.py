"""A guest's confirmation link works once, and a client over the limit is told so, in a
real browser (issue 12, findings 5 and 8)."""

import re

import pytest
from playwright.sync_api import expect

from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.e2e.conftest import assert_no_axe_violations as assert_accessible
from tests.e2e.conftest import delivered_body

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


@pytest.fixture
def bijeenkomst(settings, live_server):
    settings.SITE_URL = live_server.url
    return BijeenkomstFactory(titel="Kennismiddag", slug="kennismiddag")


def register_as_guest(page, live_server, n):
    page.goto(f"{live_server.url}/bijeenkomsten/kennismiddag/")
    page.get_by_label("Naam").fill(f"Guus Gast {n}")
    page.get_by_label("E-mailadres").fill(f"guus{n}@example.nl")
    page.get_by_role("button", name="Aanmelden").click()


def test_a_used_confirmation_link_explains_itself(page, live_server, bijeenkomst):
    register_as_guest(page, live_server, 1)
    body = delivered_body("guus1@example.nl")
    link = re.search(r"http\S+", body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Aanmelding bevestigen").click()
    expect(page.locator(".aanmelding-status")).to_have_text("Bevestigd")

    response = page.goto(link)

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet")
    expect(page.locator("main")).to_contain_text("al gebruikt")
    assert_accessible(page)


def test_a_client_over_the_limit_gets_a_page_that_says_so(page, live_server, bijeenkomst, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "gast-aanmelding": [(1, 3600)]}
    register_as_guest(page, live_server, 1)
    expect(page.get_by_role("status")).to_contain_text("Bevestig je e-mailadres")

    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        register_as_guest(page, live_server, 2)

    assert answer.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Even niet meer")
    assert_accessible(page)
    assert not OutboxMessage.objects.filter(to="guus2@example.nl").exists()
