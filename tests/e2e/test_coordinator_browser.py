"""Tried as a coördinator would: create a bijeenkomst, preview and publish it, register a
speaker above capacity, find them on the dashboard, on a phone-sized screen too."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bijeenkomsten.models import Aanmelding, Bijeenkomst
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_creates_publishes_and_fills_a_bijeenkomst(page, live_server):
    LeeratelierFactory(naam="Armoede en schulden")
    log_in(page, live_server, make_coordinator(naam="Coby Coördinator"))
    start = timezone.localtime() + timedelta(days=40)

    page.goto(f"{live_server.url}/coordinatie/bijeenkomsten/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Nieuwe bijeenkomst").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Aanmaken als concept").click()
    expect(page.get_by_role("alert")).to_contain_text("nog niet opgeslagen")
    assert_no_axe_violations(page)

    page.get_by_label("Titel").fill("Landelijk symposium sociale kwaliteit")
    page.get_by_label("Soort").select_option("symposium")
    page.get_by_label("Begint").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Eindigt").fill((start + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Locatie").fill("De Lindenberg")
    page.get_by_label(re.compile("^Plaats")).fill("Nijmegen")
    page.get_by_label("Capaciteit").fill("1")
    page.get_by_label("Armoede en schulden").check()
    page.get_by_role("button", name="Aanmaken als concept").click()
    expect(page.get_by_role("status")).to_contain_text("aangemaakt als concept")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Voorbeeld bekijken").click()
    expect(page.get_by_text("Voorbeeld van een concept")).to_be_visible()
    assert_no_axe_violations(page)
    page.go_back()
    page.get_by_role("button", name="Publiceren").click()
    expect(page.get_by_role("status")).to_contain_text("gepubliceerd")
    assert Bijeenkomst.objects.get().status == Bijeenkomst.Status.GEPUBLICEERD

    page.get_by_role("link", name="Iemand aanmelden").click()
    assert_no_axe_violations(page)
    page.get_by_label("Naam").fill("Sara Spreker")
    page.get_by_label("E-mailadres").fill("sara@example.org")
    page.get_by_label("Boven de capaciteit").check()
    page.get_by_label("Reden boven capaciteit").fill("Houdt de openingslezing")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("status")).to_contain_text("Sara Spreker is aangemeld")

    page.set_viewport_size({"width": 390, "height": 800})
    expect(page.get_by_role("row", name="Sara Spreker")).to_contain_text("boven capaciteit")
    assert_no_axe_violations(page)
    assert Aanmelding.objects.get().boven_capaciteit


def test_a_coordinator_finds_every_workspace_from_the_header(page, live_server):
    log_in(page, live_server, make_coordinator(naam="Coby Coördinator"))

    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Coördinatie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coördinatie")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Nieuwsbrief samenstellen").click()
    expect(page).to_have_url(re.compile(r"/nieuwsbrief/edities/$"))

    page.goto(f"{live_server.url}/mijn/")
    expect(page.locator("#coordinatie")).to_contain_text("Bijeenkomsten beheren")
    assert_no_axe_violations(page)
