"""Trekkers edit their leeratelier page and its lerende praktijken."""

import pytest
from django.test import Client
from django.urls import reverse

from leerateliers.models import LeeratelierWijziging, LerendePraktijk
from tests.leerateliers.factories import (
    DeelnameFactory,
    LeeratelierFactory,
    LerendePraktijkFactory,
)
from tests.netwerk.factories import PersoonFactory, make_coordinator
from tests.snapshot import changed_tables, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def trekker():
    return PersoonFactory(naam="Tess Trekker")


@pytest.fixture
def atelier(trekker):
    return LeeratelierFactory(naam="Armoede", slug="armoede", trekkers=[trekker])


def atelier_data(actie="opslaan", **overrides):
    return {
        "sociale_kwestie": "Armoede",
        "samenvatting": "Samen tegen armoede.",
        "beschrijving": "We werken **samen**.",
        "actie": actie,
        **overrides,
    }


def praktijk_data(actie="opslaan", **overrides):
    return {"titel": "Het buurthuis", "beschrijving": "Koffie en *raad*.", "actie": actie} | (
        overrides
    )


def test_an_anonymous_visitor_is_sent_to_log_in(client, atelier):
    response = client.post(reverse("leerateliers:bewerken", args=[atelier.slug]), atelier_data())
    assert response["Location"].startswith(reverse("account_login"))


def test_a_trekker_of_another_atelier_gets_403_and_nothing_changes(client, atelier):
    praktijk = LerendePraktijkFactory(leeratelier=atelier)
    other = PersoonFactory()
    LeeratelierFactory(trekkers=[other])
    client.force_login(other)
    urls = [
        reverse("leerateliers:bewerken", args=[atelier.slug]),
        reverse("leerateliers:praktijk-nieuw", args=[atelier.slug]),
        reverse("leerateliers:praktijk-bewerken", args=[praktijk.pk]),
    ]
    before = snapshot()
    for url, data in zip(urls, [atelier_data(), praktijk_data(), praktijk_data()], strict=True):
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert not changed_tables(before, snapshot())


def test_the_trekker_edits_the_page_with_history_and_a_visitor_sees_it(
    client, atelier, trekker, django_capture_on_commit_callbacks
):
    visitor = Client()
    visitor.get(atelier.get_absolute_url())
    client.force_login(trekker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("leerateliers:bewerken", args=[atelier.slug]),
            atelier_data(beschrijving="<script>x</script> We werken **samen**."),
        )
    assert response.status_code == 302
    atelier.refresh_from_db()
    assert "<strong>samen</strong>" in atelier.beschrijving_html
    assert "<script>" not in atelier.beschrijving_html
    wijziging = LeeratelierWijziging.objects.get()
    assert wijziging.door == trekker
    assert {regel["veld"] for regel in wijziging.wijzigingen} >= {"beschrijving"}
    page = visitor.get(atelier.get_absolute_url()).text
    assert "<strong>samen</strong>" in page
    assert "<script>x" not in page


def test_the_preview_saves_nothing(client, atelier, trekker):
    client.force_login(trekker)
    before = snapshot()
    response = client.post(
        reverse("leerateliers:praktijk-nieuw", args=[atelier.slug]),
        praktijk_data(actie="voorbeeld"),
    )
    assert response.status_code == 200
    assert "Koffie en <em>raad</em>." in response.text
    assert not changed_tables(before, snapshot())


def test_the_trekker_adds_and_edits_a_lerende_praktijk_with_partners_of_the_atelier(
    client, atelier, trekker
):
    deelname = DeelnameFactory(leeratelier=atelier)
    client.force_login(trekker)
    response = client.post(
        reverse("leerateliers:praktijk-nieuw", args=[atelier.slug]),
        praktijk_data(partners=[deelname.organisatie_id]),
    )
    assert response.status_code == 302
    praktijk = LerendePraktijk.objects.get(leeratelier=atelier)
    assert list(praktijk.partners.all()) == [deelname.organisatie]

    response = client.post(
        reverse("leerateliers:praktijk-bewerken", args=[praktijk.pk]),
        praktijk_data(titel="Het nieuwe buurthuis"),
    )
    assert response.status_code == 302
    praktijk.refresh_from_db()
    assert praktijk.titel == "Het nieuwe buurthuis"
    assert praktijk.beschrijving_html == "<p>Koffie en <em>raad</em>.</p>"
    assert LeeratelierWijziging.objects.filter(lerende_praktijk=praktijk).count() == 2


def test_an_organisatie_outside_the_atelier_cannot_be_named_as_partner(client, atelier, trekker):
    elsewhere = DeelnameFactory()
    client.force_login(trekker)
    response = client.post(
        reverse("leerateliers:praktijk-nieuw", args=[atelier.slug]),
        praktijk_data(partners=[elsewhere.organisatie_id]),
    )
    assert response.status_code == 400
    assert not LerendePraktijk.objects.exists()


def test_edit_links_show_for_the_trekker_and_a_coordinator_only(client, atelier, trekker):
    praktijk = LerendePraktijkFactory(leeratelier=atelier)
    edit = reverse("leerateliers:bewerken", args=[atelier.slug])
    praktijk_edit = reverse("leerateliers:praktijk-bewerken", args=[praktijk.pk])
    partner = Client()
    partner.force_login(PersoonFactory())
    for other in (Client(), partner):
        page = other.get(atelier.get_absolute_url()).text
        assert edit not in page
        assert praktijk_edit not in page
    for persoon in (trekker, make_coordinator()):
        client.force_login(persoon)
        page = client.get(atelier.get_absolute_url()).text
        assert edit in page
        assert praktijk_edit in page
    client.force_login(trekker)
    assert edit in client.get(reverse("netwerk:mijn")).text
