import xml.etree.ElementTree as ElementTree
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator
from tests.themas.factories import ThemaFactory, UpdateFactory
from themas.models import Update, Volging

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def form_data(actie="concept", **overrides):
    return {
        "titel": "Samen aan tafel in de wijk",
        "samenvatting": "Wat inwoners en professionals leerden.",
        "tekst": "Een **goed** gesprek.",
        "actie": actie,
        **overrides,
    }


@pytest.fixture
def thema():
    return ThemaFactory(thematrekkers=[PersoonFactory(naam="Tessa Trekker")])


@pytest.fixture
def thematrekker(thema):
    return thema.thematrekkers.get()


# --- who may write ------------------------------------------------------------------------

WRITE_CASES = ["anonymous", "partner", "thematrekker_of_other_thema", "trekker_of_an_atelier"]


def person_for(role, thema):
    if role == "anonymous":
        return None
    if role == "partner":
        return PersoonFactory()
    if role == "thematrekker_of_other_thema":
        return ThemaFactory(thematrekkers=[PersoonFactory()]).thematrekkers.get()
    return LeeratelierFactory(trekkers=[PersoonFactory()]).trekkers.get()


@pytest.mark.parametrize("role", WRITE_CASES)
def test_only_the_themas_own_writers_may_create_an_update(client, thema, role):
    persoon = person_for(role, thema)
    if persoon:
        client.force_login(persoon)
    url = reverse("themas:update-nieuw", args=["thema", thema.slug])

    get = client.get(url)
    post = client.post(url, form_data(actie="publiceren"))

    expected = 302 if role == "anonymous" else 403
    assert (get.status_code, post.status_code) == (expected, expected)
    if role == "anonymous":
        assert post.url.startswith(reverse("account_login"))
    assert not Update.objects.exists()


@pytest.mark.parametrize("role", WRITE_CASES)
@pytest.mark.parametrize("action", ["update-bewerken", "update-publiceren", "update-intrekken"])
def test_only_the_themas_own_writers_may_change_an_update(client, thema, role, action):
    update = UpdateFactory(thema=thema, status=Update.Status.CONCEPT, gepubliceerd_op=None)
    persoon = person_for(role, thema)
    if persoon:
        client.force_login(persoon)

    response = client.post(reverse(f"themas:{action}", args=[update.slug]), form_data())

    assert response.status_code == (302 if role == "anonymous" else 403)
    unchanged = Update.objects.get(pk=update.pk)
    assert (unchanged.status, unchanged.titel) == (Update.Status.CONCEPT, update.titel)


@pytest.mark.parametrize("writer", ["thematrekker", "coordinator"])
def test_the_thematrekker_and_a_coordinator_may_publish(client, thema, thematrekker, writer):
    client.force_login(thematrekker if writer == "thematrekker" else make_coordinator())

    response = client.post(
        reverse("themas:update-nieuw", args=["thema", thema.slug]), form_data(actie="publiceren")
    )

    update = Update.objects.get()
    assert response.url == update.get_absolute_url()
    assert update.status == Update.Status.GEPUBLICEERD
    assert update.thema == thema


def test_a_trekker_writes_for_their_own_leeratelier_only(client):
    eigen = LeeratelierFactory(trekkers=[PersoonFactory()])
    ander = LeeratelierFactory()
    client.force_login(eigen.trekkers.get())

    assert (
        client.get(reverse("themas:update-nieuw", args=["leeratelier", eigen.slug])).status_code
        == 200
    )
    assert (
        client.get(reverse("themas:update-nieuw", args=["leeratelier", ander.slug])).status_code
        == 403
    )


def test_unknown_subjects_and_updates_are_404(client, thematrekker):
    client.force_login(thematrekker)

    assert (
        client.get(reverse("themas:update-nieuw", args=["thema", "bestaat-niet"])).status_code
        == 404
    )
    assert client.get("/updates/nieuw/iets-anders/x/").status_code == 404
    assert client.get(reverse("themas:update-detail", args=["bestaat-niet"])).status_code == 404
    assert client.get(reverse("themas:feed-thema", args=["bestaat-niet"])).status_code == 404


# --- writing ---------------------------------------------------------------------------------


def test_preview_renders_the_text_and_saves_nothing(client, thema, thematrekker):
    client.force_login(thematrekker)

    response = client.post(
        reverse("themas:update-nieuw", args=["thema", thema.slug]),
        form_data(actie="voorbeeld", tekst="## Kop\n\n<script>alert(1)</script> *schuin*"),
    )

    assert response.status_code == 200
    assert "<h2>Kop</h2>" in response.context["voorbeeld"]
    assert "<em>schuin</em>" in response.context["voorbeeld"]
    assert "<script>alert(1)" not in response.content.decode()
    assert not Update.objects.exists()


def test_scheduling_needs_a_moment_in_the_future_with_a_clear_error(client, thema, thematrekker):
    client.force_login(thematrekker)
    url = reverse("themas:update-nieuw", args=["thema", thema.slug])

    missing = client.post(url, form_data(actie="inplannen"))
    past = client.post(url, form_data(actie="inplannen", publiceren_op="2020-01-01T10:00"))

    assert missing.status_code == past.status_code == 400
    assert missing.context["form"].errors["publiceren_op"] == ["Kies wanneer de update verschijnt."]
    assert past.context["form"].errors["publiceren_op"] == ["Kies een moment in de toekomst."]
    assert not Update.objects.exists()


def test_scheduling_plans_the_update_for_the_chosen_moment(client, thema, thematrekker):
    client.force_login(thematrekker)
    moment = timezone.localtime() + timedelta(days=2)

    client.post(
        reverse("themas:update-nieuw", args=["thema", thema.slug]),
        form_data(actie="inplannen", publiceren_op=moment.strftime("%Y-%m-%dT%H:%M")),
    )

    update = Update.objects.get()
    assert update.status == Update.Status.INGEPLAND
    assert update.publiceren_op == moment.replace(second=0, microsecond=0)


def test_drafts_are_hidden_from_readers_but_shown_to_their_writers(client, thema, thematrekker):
    update = UpdateFactory(thema=thema, status=Update.Status.CONCEPT, gepubliceerd_op=None)
    url = update.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(PersoonFactory())
    assert client.get(url).status_code == 404
    client.force_login(thematrekker)
    assert client.get(url).status_code == 200


def test_a_writer_finds_drafts_and_scheduled_updates_on_mijn(client, thema, thematrekker):
    UpdateFactory(thema=thema, auteur=thematrekker, titel="Mijn concept", status="concept")
    UpdateFactory(
        thema=thema,
        auteur=thematrekker,
        titel="Mijn plan",
        status="ingepland",
        publiceren_op=timezone.now() + timedelta(days=1),
    )
    client.force_login(thematrekker)

    content = client.get(reverse("netwerk:mijn")).content.decode()

    assert "Mijn concept" in content
    assert "Mijn plan" in content


# --- reading ---------------------------------------------------------------------------------


def test_published_updates_show_on_the_thema_page_the_home_page_and_the_list(client, thema):
    UpdateFactory(thema=thema, titel="Zichtbaar nieuws")
    UpdateFactory(thema=thema, titel="Geheim concept", status="concept", gepubliceerd_op=None)

    for url in (thema.get_absolute_url(), reverse("home"), reverse("themas:update-lijst")):
        content = client.get(url).content.decode()
        assert "Zichtbaar nieuws" in content, url
        assert "Geheim concept" not in content, url


def test_the_list_filters_by_thema_leeratelier_and_voorwaarde(client, thema):
    from leerateliers.models import Voorwaarde

    atelier = LeeratelierFactory()
    UpdateFactory(thema=thema, titel="Van het thema")
    van_atelier = UpdateFactory(thema=None, leeratelier=atelier, titel="Van het atelier")
    van_atelier.voorwaarden.add(Voorwaarde.objects.get(slug="sociale-cohesie"))

    def titles(**query):
        response = client.get(reverse("themas:update-lijst"), query)
        return [update.titel for update in response.context["updates"]]

    assert titles(thema=thema.slug) == ["Van het thema"]
    assert titles(leeratelier=atelier.slug) == ["Van het atelier"]
    assert titles(voorwaarde="sociale-cohesie") == ["Van het atelier"]


def test_the_list_issues_the_same_queries_for_5_and_50_updates(client, settings):
    # What rendering the list costs, so not the visitor cache (the factories pass no service).
    settings.VISITOR_CACHE = False

    def count_queries(n):
        UpdateFactory.create_batch(n - Update.objects.count())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("themas:update-lijst")).status_code == 200
        return len(queries)

    few, many = count_queries(5), count_queries(50)
    assert few == many
    assert many <= 15


def test_feeds_are_valid_atom_with_only_published_updates(client, thema):
    atelier = LeeratelierFactory()
    UpdateFactory(thema=thema, titel="Thema-nieuws")
    UpdateFactory(thema=None, leeratelier=atelier, titel="Atelier-nieuws")
    UpdateFactory(thema=thema, titel="Concept", status="concept", gepubliceerd_op=None)

    for url, expected in [
        (reverse("themas:feed"), {"Thema-nieuws", "Atelier-nieuws"}),
        (reverse("themas:feed-thema", args=[thema.slug]), {"Thema-nieuws"}),
        (reverse("themas:feed-leeratelier", args=[atelier.slug]), {"Atelier-nieuws"}),
    ]:
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = ElementTree.fromstring(response.content)
        assert feed.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated"):
            assert feed.find(f"{ATOM}{required}") is not None
        entries = feed.findall(f"{ATOM}entry")
        assert {entry.find(f"{ATOM}title").text for entry in entries} == expected
        for entry in entries:
            for required in ("id", "title", "updated", "link"):
                assert entry.find(f"{ATOM}{required}") is not None


def test_the_feed_summary_is_plain_text_so_readers_never_render_markup_from_it(client, thema):
    UpdateFactory(thema=thema, samenvatting="<svg onload=alert(1)> & meer")

    feed = ElementTree.fromstring(client.get(reverse("themas:feed")).content)

    summary = feed.find(f"{ATOM}entry").find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == "<svg onload=alert(1)> & meer"


def test_following_a_thema_records_the_choice(client, thema):
    persoon = PersoonFactory()
    client.force_login(persoon)

    client.post(reverse("themas:volgen", args=["thema", thema.slug]), {"frequentie": "wekelijks"})
    client.post(reverse("themas:volgen", args=["thema", thema.slug]), {"frequentie": "onzin"})

    assert Volging.objects.get(persoon=persoon, thema=thema).frequentie == "wekelijks"


def test_following_needs_a_login(client, thema):
    response = client.post(
        reverse("themas:volgen", args=["thema", thema.slug]), {"frequentie": "per_update"}
    )

    assert response.status_code == 302
    assert not Volging.objects.exists()


def png_upload(name="foto.png"):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_image_without_a_description_is_refused_with_a_clear_error(client, thema, thematrekker):
    client.force_login(thematrekker)
    url = reverse("themas:update-nieuw", args=["thema", thema.slug])

    refused = client.post(url, {**form_data(), "afbeelding": png_upload()})
    assert refused.status_code == 400
    assert refused.context["form"].errors["afbeelding_alt"] == [
        "Beschrijf wat er op de afbeelding staat."
    ]
    assert not Update.objects.exists()

    client.post(
        url, {**form_data(), "afbeelding": png_upload(), "afbeelding_alt": "Bewoners aan tafel"}
    )
    update = Update.objects.get()
    assert update.afbeelding.name.endswith(".png")
    assert update.afbeelding_alt == "Bewoners aan tafel"


def test_a_file_that_is_not_an_image_is_refused(client, thema, thematrekker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(thematrekker)

    response = client.post(
        reverse("themas:update-nieuw", args=["thema", thema.slug]),
        {
            **form_data(),
            "afbeelding": SimpleUploadedFile("foto.png", b"<svg onload=alert(1)>"),
            "afbeelding_alt": "x",
        },
    )

    assert response.status_code == 400
    assert "afbeelding" in response.context["form"].errors
    assert not Update.objects.exists()


def test_following_something_that_does_not_exist_is_404_and_records_nothing(client):
    client.force_login(PersoonFactory())

    unknown = client.post("/updates/volgen/thema/bestaat-niet/", {"frequentie": "per_update"})
    wrong_kind = client.post("/updates/volgen/organisatie/x/", {"frequentie": "per_update"})

    assert (unknown.status_code, wrong_kind.status_code) == (404, 404)
    assert not Volging.objects.exists()


def test_scheduling_a_published_update_is_a_clear_error_that_changes_nothing(
    client, thema, thematrekker
):
    update = UpdateFactory(
        thema=thema, auteur=thematrekker, titel="Al online", status=Update.Status.GEPUBLICEERD
    )
    client.force_login(thematrekker)
    moment = timezone.localtime() + timedelta(days=2)

    response = client.post(
        reverse("themas:update-bewerken", args=[update.slug]),
        form_data(
            actie="inplannen", titel="Nieuwe titel", publiceren_op=moment.strftime("%Y-%m-%dT%H:%M")
        ),
    )

    assert response.status_code == 400
    assert "al gepubliceerd" in response.text
    update.refresh_from_db()
    assert (update.titel, update.status) == ("Al online", Update.Status.GEPUBLICEERD)
