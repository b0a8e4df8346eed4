"""Who may import, check in and export: every role against every page and action.

Anonymous visitors go to the log-in page, partners, trekkers and thematrekkers get a 403;
each forbidden case asserts that nothing changed, the outbox and the log included.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bijeenkomsten import services
from bijeenkomsten.imports import ImportRow
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling, Import
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import make_coordinator
from tests.roles import COORDINATING, NOT_COORDINATING, as_role
from tests.themas.factories import ThemaFactory

pytestmark = pytest.mark.django_db

FORBIDDEN = list(NOT_COORDINATING)
ALLOWED = list(COORDINATING)
CSV = b"naam;e-mail;organisatie\nNina Nieuw;nina@example.org;Buurtteam\n"


def upload_file():
    return SimpleUploadedFile("deelnemers.csv", CSV, content_type="text/csv")


@pytest.fixture
def wereld(people):
    trekker, thematrekker = people["trekker"], people["thematrekker"]
    bijeenkomst = BijeenkomstFactory(slug="symposium", capaciteit=5)
    bijeenkomst.leerateliers.add(LeeratelierFactory(trekkers=[trekker]))
    bijeenkomst.themas.add(ThemaFactory(thematrekkers=[thematrekker]))
    anna = services.register(bijeenkomst=bijeenkomst, email="anna@example.org", naam="Anna")
    bea = services.register(bijeenkomst=bijeenkomst, email="bea@example.org", naam="Bea")
    voorbereider = make_coordinator(naam="Vera Voorbereid")
    services.check_in(aanmelding=bea, door=voorbereider)
    # A preview waiting for confirmation, made by a coördinator in another browser.
    other_browser = Client()
    other_browser.force_login(voorbereider)
    preview_url = other_browser.post(
        reverse("bijeenkomsten:importeren", args=["symposium"]), {"bestand": upload_file()}
    ).url
    # And an import of another file, confirmed and waiting for its task.
    queued = services.queue_import(
        bijeenkomst=bijeenkomst,
        door=voorbereider,
        token="een-eerdere-import",
        rows=[ImportRow(number=2, naam="Olga Ouder", email="olga@example.org")],
        bron="eerder.csv",
    )
    return {
        **people,
        "anna": anna,
        "bea": bea,
        "preview_url": preview_url,
        "import": queued,
    }


def snapshot():
    return (
        list(Bijeenkomst.objects.order_by("pk").values_list("capaciteit", "status")),
        list(
            Aanmelding.objects.order_by("pk").values_list(
                "email", "status", "aanwezig_op", "aanwezig_gemeld_door"
            )
        ),
        OutboxMessage.objects.count(),
        Handeling.objects.count(),
        list(Import.objects.order_by("pk").values_list("token", "status")),
    )


PAGES = {
    "import page": lambda w: reverse("bijeenkomsten:importeren", args=["symposium"]),
    "import preview": lambda w: w["preview_url"],
    "import progress": lambda w: reverse(
        "bijeenkomsten:import-voortgang", args=["symposium", w["import"].token]
    ),
    "door list": lambda w: reverse("bijeenkomsten:aanwezigheid", args=["symposium"]),
    "export page": lambda w: reverse("bijeenkomsten:export", args=["symposium"]),
    "export csv": lambda w: (
        reverse("bijeenkomsten:export", args=["symposium"]) + "?keuze=open&formaat=csv"
    ),
    "export xlsx": lambda w: (
        reverse("bijeenkomsten:export", args=["symposium"]) + "?keuze=bevestigd&formaat=xlsx"
    ),
}

ACTIONS = {
    "upload": lambda w: (
        reverse("bijeenkomsten:importeren", args=["symposium"]),
        {"bestand": upload_file()},
    ),
    "confirm import": lambda w: (w["preview_url"] + "bevestigen/", {}),
    "check in": lambda w: (
        reverse("bijeenkomsten:aanwezig-melden", args=["symposium", w["anna"].pk]),
        {},
    ),
    "undo check-in": lambda w: (
        reverse("bijeenkomsten:aanwezig-ongedaan", args=["symposium", w["bea"].pk]),
        {},
    ),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("actor", FORBIDDEN)
def test_only_coordinators_and_beheerders_see_the_attendee_tools(client, wereld, actor, page):
    before = snapshot()

    response = as_role(client, wereld, actor).get(PAGES[page](wereld))

    if actor == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
    assert "anna@example.org" not in response.content.decode(errors="replace")
    assert snapshot() == before


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("actor", ALLOWED)
def test_coordinators_and_beheerders_open_every_attendee_tool(client, wereld, actor, page):
    url = PAGES[page](wereld)
    if page == "import preview":
        # A preview belongs to the coördinator who uploaded the file.
        as_role(client, wereld, actor)
        url = client.post(*ACTIONS["upload"](wereld)).url

    response = as_role(client, wereld, actor).get(url)

    assert response.status_code == 200
    if response.streaming:
        assert b"anna@example.org" in b"".join(response.streaming_content) or "xlsx" in url
        response.close()


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor", FORBIDDEN)
def test_only_coordinators_and_beheerders_import_and_check_in(client, wereld, actor, action):
    url, data = ACTIONS[action](wereld)
    before = snapshot()

    response = as_role(client, wereld, actor).post(url, data)

    if actor == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("actor", ALLOWED)
def test_a_coordinator_or_beheerder_imports_after_confirming(
    client, wereld, actor, django_capture_on_commit_callbacks
):
    as_role(client, wereld, actor)
    preview_url = client.post(*ACTIONS["upload"](wereld)).url
    assert not Aanmelding.objects.filter(email="nina@example.org").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview_url + "bevestigen/")

    assert response.status_code == 302
    nina = Aanmelding.objects.get(email="nina@example.org")
    assert (nina.status, nina.aangemeld_door) == (Aanmelding.Status.BEVESTIGD, wereld[actor])
    assert Handeling.objects.filter(soort=Handeling.Soort.GEIMPORTEERD, door=wereld[actor]).exists()


@pytest.mark.parametrize("actor", ALLOWED)
def test_a_coordinator_or_beheerder_checks_in_and_undoes_it(client, wereld, actor):
    as_role(client, wereld, actor)

    checked_in = client.post(*ACTIONS["check in"](wereld))
    undone = client.post(*ACTIONS["undo check-in"](wereld))

    assert (checked_in.status_code, undone.status_code) == (302, 302)
    assert Aanmelding.objects.get(pk=wereld["anna"].pk).aanwezig_gemeld_door == wereld[actor]
    assert Aanmelding.objects.get(pk=wereld["bea"].pk).aanwezig_op is None
    assert list(Handeling.objects.filter(door=wereld[actor]).values_list("soort", flat=True)) == [
        Handeling.Soort.AANWEZIG_ONGEDAAN,
        Handeling.Soort.AANWEZIG,
    ]


@pytest.mark.parametrize("actor", FORBIDDEN + ALLOWED)
def test_only_coordinators_and_beheerders_see_the_check_in_button_on_a_personal_page(
    client, wereld, actor
):
    response = as_role(client, wereld, actor).get(wereld["anna"].get_absolute_url())

    assert response.status_code == 200
    assert ("Aanwezig melden" in response.text) == (actor in ALLOWED)
