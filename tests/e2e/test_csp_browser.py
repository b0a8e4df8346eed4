"""The pages work under the Content-Security-Policy in a real browser: no violation is
reported, the stylesheet applies, and axe still passes (finding 9)."""

import pytest

from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.leerateliers.factories import DeelnameFactory, LeeratelierFactory
from tests.netwerk.factories import OrganisatieFactory, make_coordinator

pytestmark = pytest.mark.django_db(transaction=True)


def csp_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_public_pages_run_under_the_policy_and_pass_axe(page, live_server):
    atelier = LeeratelierFactory(slug="armoede")
    DeelnameFactory(leeratelier=atelier, organisatie=OrganisatieFactory(slug="buurtwerk"))
    violations = csp_violations(page)

    for path in ["/", "/leerateliers/armoede/", "/netwerk/buurtwerk/", "/account/login/"]:
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # The stylesheet (a static file) is loaded and applies.
        assert page.evaluate("document.styleSheets[0].cssRules.length") > 0
        assert_no_axe_violations(page)

    assert violations == []


def test_the_admin_and_member_pages_run_under_the_policy(page, live_server):
    beheerder = make_coordinator(is_staff=True, is_superuser=True)
    log_in(page, live_server, beheerder)
    violations = csp_violations(page)

    for path in ["/mijn/", "/lidmaatschappen/", "/beheer/", "/beheer/netwerk/organisatie/add/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        if not path.startswith("/beheer/"):
            # The admin is Django's own (outside the accessibility statement's scope).
            assert_no_axe_violations(page)

    assert violations == []
    # The admin's own JavaScript ran: the slug is filled in from the name as one types.
    page.get_by_label("Naam").press_sequentially("Wijkkracht Elst")
    assert page.get_by_label("Slug").input_value() == "wijkkracht-elst"
