"""An image chosen in the update form survives the preview: kept under a token in a hidden
field, shown in the preview, taken by the update on save; nobody else can use the token, and
an image whose form was never saved is deleted with its file after a day."""

import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.netwerk.factories import PersoonFactory
from tests.themas.factories import ThemaFactory
from themas import services, tasks
from themas.models import Update, VoorlopigeAfbeelding

pytestmark = pytest.mark.django_db


def png_upload(name="foto.png"):
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(actie, **overrides):
    return {
        "titel": "Samen aan tafel in de wijk",
        "samenvatting": "Wat inwoners en professionals leerden.",
        "tekst": "Een **goed** gesprek.",
        "afbeelding_alt": "Bewoners aan tafel",
        "actie": actie,
        **overrides,
    }


@pytest.fixture
def thema():
    return ThemaFactory(thematrekkers=[PersoonFactory(naam="Tessa Trekker")])


@pytest.fixture
def writer(client, thema):
    client.force_login(thema.thematrekkers.get())
    return client


def hidden_token(page) -> str:
    return re.search(r'name="voorlopige_afbeelding" value="([^"]+)"', page.text)[1]


def media_files(folder: str) -> list[Path]:
    return [path for path in (Path(settings.MEDIA_ROOT) / folder).rglob("*") if path.is_file()]


def test_the_chosen_image_is_shown_in_the_preview_and_kept_for_the_save(
    writer, thema, django_capture_on_commit_callbacks
):
    url = reverse("themas:update-nieuw", args=["thema", thema.slug])

    preview = writer.post(url, form_data("voorbeeld", afbeelding=png_upload()))

    assert preview.status_code == 200
    kept = VoorlopigeAfbeelding.objects.get()
    assert f'src="{kept.afbeelding.url}"' in preview.text
    assert 'alt="Bewoners aan tafel"' in preview.text
    assert not Update.objects.exists()
    token = hidden_token(preview)
    assert kept.token_hash != token

    with django_capture_on_commit_callbacks(execute=True):
        writer.post(url, form_data("concept", voorlopige_afbeelding=token))

    update = Update.objects.get()
    assert update.afbeelding.name.startswith("updates/")
    assert update.afbeelding.name.endswith(".png")
    assert update.afbeelding_alt == "Bewoners aan tafel"
    # Taken over: the kept row and its file are gone.
    assert not VoorlopigeAfbeelding.objects.exists()
    assert media_files("voorlopig") == []
    assert len(media_files("updates")) == 1


def test_a_second_preview_keeps_the_image_chosen_before(writer, thema):
    url = reverse("themas:update-nieuw", args=["thema", thema.slug])
    token = hidden_token(writer.post(url, form_data("voorbeeld", afbeelding=png_upload())))

    again = writer.post(url, form_data("voorbeeld", voorlopige_afbeelding=token))

    assert hidden_token(again) == token
    assert f'src="{VoorlopigeAfbeelding.objects.get().afbeelding.url}"' in again.text


def test_someone_elses_or_an_unknown_token_brings_no_image(client, thema):
    url = reverse("themas:update-nieuw", args=["thema", thema.slug])
    client.force_login(thema.thematrekkers.get())
    token = hidden_token(client.post(url, form_data("voorbeeld", afbeelding=png_upload())))
    other = PersoonFactory()
    thema.thematrekkers.add(other)
    client.force_login(other)

    for foreign in [token, "x" * 43]:
        response = client.post(url, form_data("concept", voorlopige_afbeelding=foreign))
        assert response.status_code == 400
        assert "niet meer beschikbaar" in response.text
    assert not Update.objects.exists()
    assert VoorlopigeAfbeelding.objects.count() == 1


def test_images_of_previews_never_saved_are_deleted_with_their_files_after_a_day(
    writer, thema, django_capture_on_commit_callbacks
):
    url = reverse("themas:update-nieuw", args=["thema", thema.slug])
    writer.post(url, form_data("voorbeeld", afbeelding=png_upload()))
    kept = VoorlopigeAfbeelding.objects.get()
    assert len(media_files("voorlopig")) == 1

    assert services.delete_stale_preview_images(now=timezone.now()) == 0
    VoorlopigeAfbeelding.objects.update(aangemaakt_op=timezone.now() - timedelta(days=1, seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.delete_stale_preview_images() == 1

    assert not VoorlopigeAfbeelding.objects.filter(pk=kept.pk).exists()
    assert media_files("voorlopig") == []
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "themas.tasks.delete_stale_preview_images" in scheduled


def test_a_preview_with_an_error_still_keeps_the_chosen_image(writer, thema):
    url = reverse("themas:update-nieuw", args=["thema", thema.slug])

    refused = writer.post(url, form_data("voorbeeld", titel="", afbeelding=png_upload()))

    assert refused.status_code == 400
    token = hidden_token(refused)
    assert VoorlopigeAfbeelding.objects.count() == 1
    writer.post(url, form_data("concept", voorlopige_afbeelding=token))
    assert Update.objects.get().afbeelding.name.endswith(".png")


def test_files_left_without_their_row_go_after_a_day_too(writer, thema):
    url = reverse("themas:update-nieuw", args=["thema", thema.slug])
    writer.post(url, form_data("voorbeeld", afbeelding=png_upload()))
    (path,) = media_files("voorlopig")
    thema.thematrekkers.get().delete()  # the account goes, and its rows with it
    assert not VoorlopigeAfbeelding.objects.exists()

    services.delete_stale_preview_images(now=timezone.now())
    assert path.exists()  # not a day old yet
    services.delete_stale_preview_images(now=timezone.now() + timedelta(days=1, seconds=1))
    assert not path.exists()
