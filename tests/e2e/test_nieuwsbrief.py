"""The nieuwsbrief in a real browser: a coördinator composes, reorders, previews, tests and
sends an edition; a visitor subscribes, reads the archive and unsubscribes."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from netwerk.models import Abonnement, OutboxMessage
from nieuwsbrief.models import Bezorging, Editie
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.e2e.conftest import assert_no_axe_violations, delivered_body, log_in
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import AbonnementFactory, PersoonFactory, make_coordinator
from tests.themas.factories import ThemaFactory, UpdateFactory
from werkplaats.tokens import hash_token, new_token

pytestmark = pytest.mark.django_db(transaction=True)


def section_titles(page):
    return page.locator(".secties > li h3").all_inner_texts()


def assert_fits_a_small_screen(page):
    page.set_viewport_size({"width": 320, "height": 640})
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > 320).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
        ".slice(0, 12)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, (page.url, wide)
    page.set_viewport_size({"width": 1280, "height": 720})


def test_a_coordinator_composes_reorders_previews_tests_and_sends_an_edition(
    page, live_server, settings
):
    settings.SITE_URL = live_server.url
    armoede = LeeratelierFactory(naam="Armoede")
    UpdateFactory(titel="Het ZakgeldProject", leeratelier=armoede, thema=None)
    UpdateFactory(titel="Verbinden van werelden", thema=ThemaFactory(naam="Samenwerken"))
    symposium = BijeenkomstFactory(titel="Landelijk symposium", capaciteit=1)
    AanmeldingFactory(bijeenkomst=symposium)
    for naam in ["anna", "bram", "cor"]:
        AbonnementFactory(email=f"{naam}@example.org")
    coordinator = make_coordinator(naam="Coco Coördinator", email="coco@example.org")
    log_in(page, live_server, coordinator)

    page.goto(f"{live_server.url}/mijn/")
    page.get_by_role("link", name="Nieuwsbrief samenstellen en verzenden").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Nieuwe editie samenstellen").click()

    expect(page.get_by_role("status")).to_contain_text("samengesteld")
    assert section_titles(page) == [
        "Leeratelier Armoede",
        "Professionaliseringsthema Samenwerken",
        "Komende bijeenkomsten",
    ]
    expect(page.locator(".secties")).to_contain_text("Vol — wachtlijst open")
    assert_no_axe_violations(page)
    assert_fits_a_small_screen(page)

    page.get_by_role("textbox", name="Voorwoord").fill(
        "Werelden verbinden voor *Sociale Kwaliteit*."
    )
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("opgeslagen")

    # Reorder with plain buttons: no JavaScript needed.
    page.get_by_role("button", name="Omhoog: Komende bijeenkomsten").click()
    page.get_by_role("button", name="Omhoog: Komende bijeenkomsten").click()
    assert section_titles(page)[0] == "Komende bijeenkomsten"

    page.get_by_role("link", name="Voorbeeld bekijken").click()
    frame = page.frame_locator("iframe.mail-voorbeeld")
    expect(frame.locator("h2").first).to_have_text("Voorwoord")
    expect(frame.locator("h2").nth(1)).to_have_text("Komende bijeenkomsten")
    expect(page.locator("pre.mail-tekst")).to_contain_text("KOMENDE BIJEENKOMSTEN")
    assert_no_axe_violations(page)
    assert_fits_a_small_screen(page)
    page.get_by_role("link", name="Terug naar de editie").click()

    page.get_by_role("link", name="Testmail sturen").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Testmail sturen").click()
    expect(page.get_by_role("status")).to_contain_text("coco@example.org")
    assert OutboxMessage.objects.get().subject.startswith("[Test] ")

    page.get_by_role("link", name="Verzenden", exact=True).click()
    expect(page.locator(".ontvangers")).to_have_text("Deze editie gaat naar 3 abonnees.")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Nu verzenden naar 3 abonnees").click()

    expect(page.get_by_role("status")).to_contain_text("wordt verzonden")
    editie = Editie.objects.get()
    assert editie.status == Editie.Status.VERZONDEN
    editions = [message for message in mail.outbox if not message.subject.startswith("[Test]")]
    assert sorted(message.to[0] for message in editions) == [
        "anna@example.org",
        "bram@example.org",
        "cor@example.org",
    ]
    expect(page.locator(".voortgang")).to_contain_text("Verzonden")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Bekijk de editie in het archief").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(editie.titel)
    assert_no_axe_violations(page)
    assert_fits_a_small_screen(page)
    page.get_by_role("link", name="Archief van de nieuwsbrief").click()
    expect(page.get_by_role("link", name=editie.titel)).to_be_visible()
    assert_no_axe_violations(page)


def test_a_visitor_subscribes_confirms_and_unsubscribes_with_the_personal_link(
    page, live_server, settings
):
    settings.SITE_URL = live_server.url
    LeeratelierFactory(naam="Armoede")

    page.goto(f"{live_server.url}/nieuwsbrief/")
    assert_no_axe_violations(page)
    assert_fits_a_small_screen(page)
    page.get_by_role("button", name="Aanmelden voor de nieuwsbrief").click()
    expect(page.get_by_role("alert")).to_contain_text("E-mailadres")
    assert_no_axe_violations(page)

    page.get_by_label("E-mailadres").fill("guus@example.nl")
    page.get_by_label("Armoede").check()
    page.get_by_role("button", name="Aanmelden voor de nieuwsbrief").click()
    expect(page.get_by_role("status")).to_contain_text("Bevestig je aanmelding")
    assert not Abonnement.objects.exists()

    page.goto(re.search(r"http\S+", delivered_body("guus@example.nl")).group(0))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Ja, ik wil de nieuwsbrief").click()
    expect(page.get_by_role("status")).to_contain_text("Je bent aangemeld")
    abonnement = Abonnement.objects.get()
    assert abonnement.leerateliers.get().naam == "Armoede"

    token = new_token()  # as an edition's mail would carry it; only its hash is stored
    Abonnement.objects.filter(pk=abonnement.pk).update(token_hash=hash_token(token))
    page.goto(f"{live_server.url}/nieuwsbrief/afmelden/{token}/")
    assert_no_axe_violations(page)
    abonnement.refresh_from_db()
    assert abonnement.status == Abonnement.Status.BEVESTIGD
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je bent afgemeld")
    assert_no_axe_violations(page)
    abonnement.refresh_from_db()
    assert abonnement.status == Abonnement.Status.AFGEMELD
    assert not Bezorging.objects.exists()


def test_a_logged_in_person_chooses_interests_on_their_own_page(page, live_server):
    LeeratelierFactory(naam="Armoede")
    ThemaFactory(naam="Samenwerken")
    persoon = PersoonFactory(naam="Cor Abonnee", email="cor@example.org")
    log_in(page, live_server, persoon)

    page.goto(f"{live_server.url}/mijn/")
    page.get_by_role("link", name="Aanmelden voor de nieuwsbrief").click()
    assert_no_axe_violations(page)
    page.get_by_role("checkbox", name="Armoede").check()
    page.get_by_role("button", name="Aanmelden voor de nieuwsbrief").click()

    expect(page.get_by_role("status")).to_contain_text("opgeslagen")
    expect(page.locator("#nieuwsbrief")).to_contain_text("Je interesses: Armoede.")
    assert Abonnement.objects.get(email="cor@example.org").status == Abonnement.Status.BEVESTIGD
