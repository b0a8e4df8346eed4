"""In the browser, as a new user would: sign up, verify, join as tribune, request the arena;
the trekker approves from /mijn/; every page on the way is scanned by axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from leerateliers.models import Deelname
from tests.e2e.conftest import assert_no_axe_violations as assert_accessible
from tests.leerateliers.factories import LeeratelierFactory, LerendePraktijkFactory
from tests.netwerk.factories import PASSWORD, OrganisatieFactory, PersoonFactory, make_coordinator
from tests.themas.factories import ThemaFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def atelier():
    organisatie = OrganisatieFactory(naam="Buurtwerk Arnhem", slug="buurtwerk-arnhem")
    trekker = PersoonFactory(naam="Tess Trekker", email="tess@example.org")
    atelier = LeeratelierFactory(naam="Armoede", slug="armoede", trekkers=[trekker])
    LerendePraktijkFactory(leeratelier=atelier, titel="Geldspreekuur").partners.add(organisatie)
    ThemaFactory(naam="Samenwerken", slug="samenwerken", leerateliers=[atelier])
    PersoonFactory(
        naam="Zichtbare Zoë",
        email="zoe@example.org",
        organisatie=organisatie,
        profiel_zichtbaar=True,
    )
    return atelier


def log_in(page, base_url, email):
    page.goto(f"{base_url}/account/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()


def test_a_new_partner_joins_requests_the_arena_and_the_trekker_approves(
    live_server, page, browser, atelier
):
    base = live_server.url

    # Sign up, choosing an organisation.
    page.goto(f"{base}/account/signup/")
    assert_accessible(page)
    page.fill("#id_naam", "Nina Nieuw")
    page.fill("#id_email", "nina@example.org")
    page.fill("#id_password1", "Een-lang-wachtwoord-9")
    page.fill("#id_password2", "Een-lang-wachtwoord-9")
    page.fill("#id_organisatie_zoek", "Buurtwerk Arnhem")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page)

    # Verify the address with the link from the mail.
    body = next(message.body for message in mail.outbox if message.to == ["nina@example.org"])
    link = re.search(r"https?://\S+/account/confirm-email/\S+", body).group(0)
    page.goto(link)
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # Join as tribune, then ask for the arena.
    page.goto(f"{base}/leerateliers/")
    assert_accessible(page)
    page.get_by_role("link", name="Armoede").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Volgen vanaf de tribune").click()
    expect(page.locator(".deelname-status")).to_contain_text("vanaf de tribune")
    assert_accessible(page)
    page.get_by_role("button", name="Arena aanvragen").click()
    expect(page.locator(".deelname-status")).to_contain_text("arena aangevraagd")
    assert_accessible(page)

    # The trekker got a mail with a decision link, and approves from /mijn/.
    request_mail = next(message for message in mail.outbox if message.to == ["tess@example.org"])
    decision_link = re.search(r"https?://\S+/leerateliers/besluit/\S+", request_mail.body)
    assert decision_link
    trekker_context = browser.new_context()
    trekker_page = trekker_context.new_page()
    log_in(trekker_page, base, "tess@example.org")
    trekker_page.goto(decision_link.group(0).replace("http://127.0.0.1:8000", base))
    assert_accessible(trekker_page)
    trekker_page.goto(f"{base}/mijn/")
    assert_accessible(trekker_page)
    aanvraag = trekker_page.locator(".aanvraag", has_text="Nina Nieuw")
    aanvraag.get_by_role("button", name="Goedkeuren").click()
    expect(trekker_page.locator(".messages")).to_contain_text("doet nu mee in de arena")
    assert_accessible(trekker_page)
    trekker_context.close()

    # The partner is in the arena, but on her own title until someone confirms that she
    # belongs to Buurtwerk Arnhem.
    page.goto(f"{base}/leerateliers/armoede/")
    expect(page.locator(".deelname-status")).to_contain_text("arena")
    expect(page.locator(".arena-lijst")).not_to_contain_text("Buurtwerk Arnhem")

    # A confirmed member of Buurtwerk Arnhem got a mail and confirms her from /mijn/.
    assert any(message.to == ["zoe@example.org"] for message in mail.outbox)
    member_context = browser.new_context()
    member_page = member_context.new_page()
    log_in(member_page, base, "zoe@example.org")
    member_page.goto(f"{base}/mijn/")
    assert_accessible(member_page)
    member_page.get_by_role("button", name="Bevestigen: Nina Nieuw bij Buurtwerk Arnhem").click()
    expect(member_page.locator(".messages")).to_contain_text("bevestigd lid")
    member_context.close()

    # Now her organisation is in the arena.
    page.goto(f"{base}/leerateliers/armoede/")
    expect(page.locator(".arena-lijst")).to_contain_text("Buurtwerk Arnhem")
    deelname = Deelname.objects.get(persoon__email="nina@example.org")
    assert (deelname.rol, deelname.status) == ("arena", "actief")

    # The partner's own page, and the other pages of the issue.
    page.goto(f"{base}/mijn/")
    expect(page.locator("main")).to_contain_text("Armoede")
    assert_accessible(page)
    for path in [
        "/",
        "/themas/",
        "/themas/samenwerken/",
        "/netwerk/",
        "/netwerk/?soort=welzijnsorganisatie&rol=arena",
        "/netwerk/buurtwerk-arnhem/",
    ]:
        page.goto(base + path)
        assert_accessible(page)
    page.get_by_role("link", name="Zichtbare Zoë").click()
    assert_accessible(page)


def test_the_pages_are_accessible_to_anonymous_visitors(live_server, page, atelier):
    for path in ["/", "/leerateliers/", "/leerateliers/armoede/", "/netwerk/buurtwerk-arnhem/"]:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_a_tampered_decision_link_page_is_accessible(live_server, page, atelier):
    log_in(page, live_server.url, "tess@example.org")
    page.goto(f"{live_server.url}/leerateliers/besluit/niet-echt/")
    expect(page.locator("main")).to_contain_text("Deze link is ongeldig")
    assert_accessible(page)


def test_the_coordinators_atelier_page_with_the_merge_form_is_accessible(
    live_server, page, atelier
):
    LeeratelierFactory(naam="Eenzaamheid")
    make_coordinator(email="coby@example.org")
    log_in(page, live_server.url, "coby@example.org")
    page.goto(f"{live_server.url}/leerateliers/armoede/")
    expect(page.locator("main")).to_contain_text("Samenvoegen")
    assert_accessible(page)
