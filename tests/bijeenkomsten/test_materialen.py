"""Materials afterwards (issue 21, point 8): the team attaches slides (through the one
checked upload, werkplaats.bestanden) or links to a programme item; they show under the
item once the bijeenkomst is over (or at once when the team says so), to whoever may view
the bijeenkomst, and a file comes only through its download view."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import services
from bijeenkomsten.models import Bijeenkomst, Materiaal
from tests.bijeenkomsten.factories import BijeenkomstFactory, programma_met_ronde
from tests.kennisbank.factories import ooxml_bytes, pdf_bytes, upload
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def bijeenkomst():
    return BijeenkomstFactory(titel="Landelijk symposium", slug="symposium")


@pytest.fixture
def voorbij():
    start = timezone.now() - timedelta(days=2)
    return BijeenkomstFactory(slug="voorbij", start=start, eind=start + timedelta(hours=3))


@pytest.fixture
def coordinator(client):
    persoon = make_coordinator(naam="Coby Coördinator")
    client.force_login(persoon)
    return persoon


def keynote(bijeenkomst):
    ronde, sessies = programma_met_ronde(bijeenkomst, capaciteiten=(5, 5))
    return bijeenkomst.programma.get(titel="Opening"), sessies


def materialen_url(onderdeel):
    return reverse("bijeenkomsten:materialen", args=[onderdeel.bijeenkomst.slug, onderdeel.pk])


def post_materiaal(client, onderdeel, **data):
    return client.post(materialen_url(onderdeel), {"titel": "Dia's", **data})


def stored_files() -> set[str]:
    storage = Materiaal._meta.get_field("bestand").storage
    return set(storage.listdir("materialen")[1]) if storage.exists("materialen") else set()


def bestand_url(materiaal):
    return reverse(
        "bijeenkomsten:materiaal-bestand",
        args=[materiaal.onderdeel.bijeenkomst.slug, materiaal.pk],
    )


# Adding


def test_the_team_attaches_slides_that_are_kept_outside_the_media_storage(
    client, coordinator, bijeenkomst
):
    opening, _ = keynote(bijeenkomst)

    response = post_materiaal(
        client, opening, titel="Dia's keynote", bestand=upload("keynote.pdf", pdf_bytes("Wijk"))
    )

    assert response.status_code == 302
    materiaal = Materiaal.objects.get()
    assert (materiaal.onderdeel, materiaal.bestand_type, materiaal.link) == (opening, "pdf", "")
    assert materiaal.bestand.name.startswith("materialen/")
    assert materiaal.bestand.name.endswith(".pdf")
    assert "keynote" not in materiaal.bestand.name  # the portal chooses the name
    assert materiaal.bestand.storage.exists(materiaal.bestand.name)
    media_root = str(settings.MEDIA_ROOT)
    assert not materiaal.bestand.storage.path(materiaal.bestand.name).startswith(media_root)
    assert materiaal.toegevoegd_door == coordinator


def test_the_team_attaches_a_link(client, coordinator, bijeenkomst):
    opening, _ = keynote(bijeenkomst)

    post_materiaal(client, opening, titel="Opname", link="https://video.example.org/keynote")

    materiaal = Materiaal.objects.get()
    assert (materiaal.link, materiaal.bestand.name) == ("https://video.example.org/keynote", "")


@pytest.mark.parametrize(
    ("data", "fout"),
    [
        ({}, "Geef een link of kies een bestand"),
        (
            {"link": "https://example.org/x", "bestand": ("dias.pdf", pdf_bytes())},
            "niet allebei",
        ),
        ({"link": "javascript:alert(1)"}, "geldige URL"),
        ({"bestand": ("dias.pdf", pdf_bytes(javascript="app.alert(1)"))}, "JavaScript"),
        ({"bestand": ("dias.pptx", ooxml_bytes("pptx", macro=True))}, "macro"),
        ({"bestand": ("dias.pdf", b"MZ\x90\x00 not a pdf")}, "geen PDF"),
        ({"bestand": ("dias.docx", pdf_bytes())}, "PDF-bestand"),
    ],
)
def test_a_refused_material_gets_a_dutch_reason_and_stores_nothing(
    client, coordinator, bijeenkomst, data, fout
):
    opening, _ = keynote(bijeenkomst)
    before = stored_files()
    if "bestand" in data:
        data = {**data, "bestand": upload(*data["bestand"])}

    response = post_materiaal(client, opening, **data)

    assert response.status_code == 400
    assert fout in response.content.decode()
    assert not Materiaal.objects.exists()
    assert stored_files() == before


def test_a_file_larger_than_the_kennisbank_takes_is_refused(
    client, coordinator, bijeenkomst, settings
):
    settings.KENNISBANK_MAX_BESTAND = 1000
    opening, _ = keynote(bijeenkomst)

    response = post_materiaal(client, opening, bestand=upload("groot.pdf", pdf_bytes("x" * 2000)))

    assert response.status_code == 400
    assert "te groot" in response.content.decode()


def test_an_item_of_another_bijeenkomst_or_unknown_is_not_found(client, coordinator, bijeenkomst):
    opening, _ = keynote(BijeenkomstFactory(slug="ander"))
    url = reverse("bijeenkomsten:materialen", args=["symposium", opening.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"titel": "x", "link": "https://example.org"}).status_code == 404
    assert client.get(reverse("bijeenkomsten:materialen", args=["geen", 1])).status_code == 404
    assert not Materiaal.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "partner"])
def test_only_the_programme_team_adds_or_removes_materials(client, bijeenkomst, role):
    opening, _ = keynote(bijeenkomst)
    materiaal = Materiaal.objects.create(onderdeel=opening, titel="Oud", link="https://e.org/")
    if role == "partner":
        client.force_login(PersoonFactory())

    add = post_materiaal(client, opening, link="https://example.org/nieuw")
    remove = client.post(
        reverse("bijeenkomsten:materiaal-verwijderen", args=["symposium", opening.pk, materiaal.pk])
    )

    expected = 302 if role == "anonymous" else 403
    assert (add.status_code, remove.status_code) == (expected, expected)
    assert list(Materiaal.objects.values_list("titel", flat=True)) == ["Oud"]


def test_removing_a_material_removes_its_file(
    client, coordinator, bijeenkomst, django_capture_on_commit_callbacks
):
    opening, _ = keynote(bijeenkomst)
    post_materiaal(client, opening, bestand=upload("dias.pdf", pdf_bytes()))
    materiaal = Materiaal.objects.get()
    name, storage = materiaal.bestand.name, materiaal.bestand.storage

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "bijeenkomsten:materiaal-verwijderen", args=["symposium", opening.pk, materiaal.pk]
            )
        )

    assert response.status_code == 302
    assert not Materiaal.objects.exists()
    assert not storage.exists(name)


def test_removing_a_programme_item_removes_its_materials_files(
    coordinator, bijeenkomst, django_capture_on_commit_callbacks
):
    ronde, (sessie, _other) = programma_met_ronde(bijeenkomst, capaciteiten=(5, 5))
    materiaal = services.add_materiaal(
        onderdeel=sessie,
        door=coordinator,
        titel="Dia's",
        bestand=upload("d.pdf", pdf_bytes()),
        bestand_type="pdf",
    )
    name, storage = materiaal.bestand.name, materiaal.bestand.storage
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_onderdeel(onderdeel=ronde)

    assert not Materiaal.objects.exists()
    assert not storage.exists(name)


def test_a_material_for_an_item_removed_meanwhile_is_refused(coordinator, bijeenkomst):
    opening, _ = keynote(bijeenkomst)
    services.delete_onderdeel(onderdeel=opening)

    with pytest.raises(services.RegistrationError, match="bestaat niet meer"):
        services.add_materiaal(
            onderdeel=opening, door=coordinator, titel="Te laat", link="https://example.org/"
        )
    assert not Materiaal.objects.exists()


# Showing


def _page(client, bijeenkomst):
    return client.get(bijeenkomst.get_absolute_url()).content.decode()


def test_materials_show_under_their_item_once_the_bijeenkomst_is_over(client, voorbij):
    opening, (sessie, _other) = keynote(voorbij)
    Materiaal.objects.create(onderdeel=opening, titel="Dias opening", link="https://e.org/o")
    Materiaal.objects.create(onderdeel=sessie, titel="Werkblad A", link="https://e.org/a")

    page = _page(client, voorbij)

    assert 'href="https://e.org/o"' in page
    assert "Werkblad A" in page
    assert page.index("Opening") < page.index("Dias opening") < page.index(sessie.titel)
    assert page.index(sessie.titel) < page.index("Werkblad A")


def test_before_the_end_only_what_the_team_marked_shows_and_the_team_sees_all(client, bijeenkomst):
    opening, _ = keynote(bijeenkomst)
    Materiaal.objects.create(onderdeel=opening, titel="Later zichtbaar", link="https://e.org/1")
    Materiaal.objects.create(
        onderdeel=opening, titel="Nu al zichtbaar", link="https://e.org/2", direct_tonen=True
    )

    page = _page(client, bijeenkomst)
    assert "Nu al zichtbaar" in page
    assert "Later zichtbaar" not in page
    client.force_login(make_coordinator())
    assert "Later zichtbaar" in _page(client, bijeenkomst)
    team_page = client.get(reverse("bijeenkomsten:programma", args=["symposium"])).content.decode()
    assert "Later zichtbaar" in team_page
    assert "na afloop zichtbaar" in team_page


def test_a_file_is_downloaded_as_an_attachment_that_is_never_sniffed(client, voorbij, coordinator):
    opening, _ = keynote(voorbij)
    post_materiaal(client, opening, titel="Dia's van Anna", bestand=upload("x.pdf", pdf_bytes()))
    materiaal = Materiaal.objects.get()
    client.logout()

    response = client.get(bestand_url(materiaal))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="dias-van-anna.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "private" not in response.get("Cache-Control", "")


def test_a_file_not_yet_shown_is_not_found_for_visitors_and_private_for_the_team(
    client, bijeenkomst, coordinator
):
    opening, _ = keynote(bijeenkomst)
    post_materiaal(client, opening, bestand=upload("x.pptx", ooxml_bytes("pptx")))
    materiaal = Materiaal.objects.get()

    team = client.get(bestand_url(materiaal))
    assert team.status_code == 200
    assert team["Cache-Control"] == "private, no-store"
    assert team["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.present")
    assert b"".join(team.streaming_content).startswith(b"PK")
    client.logout()
    assert client.get(bestand_url(materiaal)).status_code == 404
    client.force_login(PersoonFactory())
    assert client.get(bestand_url(materiaal)).status_code == 404


def test_materials_of_a_concept_are_for_nobody_but_its_team(client, voorbij):
    opening, _ = keynote(voorbij)
    materiaal = Materiaal.objects.create(
        onderdeel=opening,
        titel="Concept",
        bestand="materialen/x.pdf",
        bestand_type="pdf",
        direct_tonen=True,
    )
    Bijeenkomst.objects.filter(pk=voorbij.pk).update(status=Bijeenkomst.Status.CONCEPT)

    assert client.get(bestand_url(materiaal)).status_code == 404
    assert (
        client.get(reverse("bijeenkomsten:materiaal-bestand", args=["voorbij", 999])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("bijeenkomsten:materiaal-bestand", args=["ander", materiaal.pk])
        ).status_code
        == 404
    )


def test_the_bijeenkomst_page_reads_materials_in_one_query_however_many(client, voorbij):
    client.force_login(PersoonFactory())  # not the visitors' cache: the page is made each time
    opening, sessies = keynote(voorbij)
    for onderdeel in (opening, *sessies):
        for n in range(5):
            Materiaal.objects.create(onderdeel=onderdeel, titel=f"M{n}", link="https://e.org/")
    _page(client, voorbij)

    with CaptureQueriesContext(connection) as few:
        _page(client, voorbij)
    for onderdeel in (opening, *sessies):
        for n in range(5):
            Materiaal.objects.create(onderdeel=onderdeel, titel=f"N{n}", link="https://e.org/")
    with CaptureQueriesContext(connection) as many:
        _page(client, voorbij)

    assert len(many) == len(few)
    assert sum("bijeenkomsten_materiaal" in q["sql"] for q in many) == 1
