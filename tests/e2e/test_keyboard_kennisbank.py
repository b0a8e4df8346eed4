"""The search and the kennisbank with the keyboard alone (see tests/e2e/keyboard.py)."""

import pytest
from playwright.sync_api import expect

from leerateliers.models import Voorwaarde
from tests.e2e.conftest import assert_no_axe_violations
from tests.e2e.keyboard import activate, press_on, tab_to, type_text
from tests.kennisbank.factories import KennisproductFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_searches_from_the_header_and_opens_a_product_with_the_keyboard(
    page, live_server
):
    toolbox = KennisproductFactory(
        titel="Toolbox samenwerken in de wijk", samenvatting="Vier fasen van samenwerken."
    )
    toolbox.voorwaarden.add(
        Voorwaarde.objects.get_or_create(
            slug="sociale-cohesie", defaults={"naam": "Sociale cohesie", "volgorde": 3}
        )[0]
    )

    page.goto(live_server.url)
    tab_to(page, "Zoeken in het portaal", role="searchbox")
    type_text(page, "samenwerken wijk")
    activate(page)
    expect(page.get_by_role("link", name="Toolbox samenwerken in de wijk")).to_be_visible()
    press_on(page, "Toolbox samenwerken in de wijk", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Toolbox samenwerken in de wijk")
    press_on(page, "Sociale cohesie", role="link")
    expect(page).to_have_url(f"{live_server.url}/kennisbank/?voorwaarde=sociale-cohesie")
    expect(page.get_by_role("link", name="Toolbox samenwerken in de wijk")).to_be_visible()
    assert_no_axe_violations(page)
