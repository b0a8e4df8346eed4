"""/mijn/gegevens/: everything the portal holds about me, as a page and as one JSON file."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from privacy import selectors
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.netwerk.factories import PersoonFactory
from tests.privacy.conftest import EMAIL, NAAM
from tests.themas.factories import UpdateFactory

pytestmark = pytest.mark.django_db


def test_the_export_holds_every_piece_of_data_of_every_app(wereld):
    gegevens = selectors.gegevens_van(wereld.persoon)
    netwerk = gegevens["netwerk"]
    assert netwerk["profiel"]["naam"] == NAAM
    assert netwerk["profiel"]["functie"] == "opbouwwerker"
    assert [adres["email"] for adres in netwerk["emailadressen"]] == [EMAIL]
    assert [lid["organisatie"] for lid in netwerk["lidmaatschappen"]] == ["Buurtwerk Oost"]
    assert netwerk["nieuwsbrief"]["interesse_in_themas"] == ["Samenwerken"]
    assert len(netwerk["nieuwsbrief"]["toestemmingen"]) == 1
    assert "nieuwsbrief" in netwerk["nieuwsbrief"]["toestemmingen"][0]["tekst"]
    assert netwerk["geen_uitnodigingen_sinds"] is not None
    onderwerpen = [mail["onderwerp"] for mail in netwerk["mails"]]
    assert "Je aanmelding voor Symposium vol is bevestigd" in onderwerpen
    assert "Uitnodiging: Arenabijeenkomst" in onderwerpen

    deelnames = gegevens["leerateliers"]["deelnames"]
    assert {(d["leeratelier"], d["status"]) for d in deelnames} == {
        ("Armoede in de wijk", "aangevraagd"),
        ("Wonen en zorg", "beëindigd"),
    }
    assert deelnames[1]["beeindigd_op"] is not None
    themas = gegevens["themas"]
    assert [v["thema"] for v in themas["volgingen"]] == ["Samenwerken"]
    assert [u["titel"] for u in themas["updates"]] == [wereld.update_titel]
    assert themas["thematrekker_van"] == ["Samenwerken"]

    aanmeldingen = {a["bijeenkomst"]: a for a in gegevens["bijeenkomsten"]["aanmeldingen"]}
    assert set(aanmeldingen) == {
        "Symposium vol",
        "Masterclass",
        "Tribunebijeenkomst",
        "Learning lab voorjaar",
    }
    assert aanmeldingen["Masterclass"]["aangemeld_door"] == "Coördinator Cas"
    assert aanmeldingen["Tribunebijeenkomst"]["met_account"] is False  # as a guest
    assert aanmeldingen["Tribunebijeenkomst"]["toegankelijkheid"] == "rolstoel"
    assert aanmeldingen["Symposium vol"]["dieetwensen"] == "vegan"
    assert aanmeldingen["Learning lab voorjaar"]["aanwezig_op"] is not None
    assert [u["bijeenkomst"] for u in gegevens["bijeenkomsten"]["uitnodigingen"]] == [
        "Arenabijeenkomst"
    ]
    assert [g["bijeenkomst"] for g in gegevens["bijeenkomsten"]["onbevestigd"]] == [
        "Werkconferentie"
    ]
    assert [b["editie"] for b in gegevens["nieuwsbrief"]["bezorgde_edities"]] == [
        "Nieuwsbrief juni"
    ]


def test_the_page_shows_my_data_and_only_mine(client, wereld):
    ander = PersoonFactory(naam="Anna Ander", email="anna@example.nl")
    AanmeldingFactory(email=ander.email, naam=ander.naam, bijeenkomst=BijeenkomstFactory())
    client.force_login(wereld.persoon)
    response = client.get(reverse("privacy:gegevens"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        NAAM,
        EMAIL,
        "Buurtwerk Oost",
        "Armoede in de wijk",
        "Masterclass",
        "Tribunebijeenkomst",
        "Arenabijeenkomst",
        "Samenwerken",
        wereld.update_titel,
        "Je aanmelding voor Symposium vol is bevestigd",
        "vegan",
        "rolstoel",
    ):
        assert text in html, text
    assert "Anna Ander" not in html
    assert "anna@example.nl" not in html


def test_the_download_is_a_dated_json_file_of_the_same_data(client, wereld):
    client.force_login(wereld.persoon)
    response = client.get(reverse("privacy:gegevens-json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="werkplaats-gegevens-')
    assert response["Content-Disposition"].endswith('.json"')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert set(data) == {"netwerk", "leerateliers", "themas", "bijeenkomsten", "nieuwsbrief"}
    assert data["netwerk"]["profiel"]["email"] == EMAIL
    assert len(data["bijeenkomsten"]["aanmeldingen"]) == 4


@pytest.mark.parametrize("name", ["privacy:gegevens", "privacy:gegevens-json"])
def test_my_data_needs_a_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_the_export_takes_the_same_number_of_queries_however_much_data(
    client, wereld, django_assert_num_queries
):
    client.force_login(wereld.persoon)
    url = reverse("privacy:gegevens-json")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        AanmeldingFactory(email=EMAIL, naam=NAAM, bijeenkomst=BijeenkomstFactory())
        UpdateFactory(auteur=wereld.persoon)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
    with CaptureQueriesContext(connection) as page:
        client.get(reverse("privacy:gegevens"))
    AanmeldingFactory(email=EMAIL, naam=NAAM, bijeenkomst=BijeenkomstFactory())
    with django_assert_num_queries(len(page.captured_queries)):
        client.get(reverse("privacy:gegevens"))


def test_mijn_links_to_my_data_and_to_deleting_my_account(client, wereld):
    client.force_login(wereld.persoon)
    html = client.get(reverse("netwerk:mijn")).content.decode()
    assert reverse("privacy:gegevens") in html
    assert reverse("privacy:account-verwijderen") in html
