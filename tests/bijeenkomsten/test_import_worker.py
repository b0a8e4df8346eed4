"""The import's confirm step on the real stack: the web request only queues it, a Celery
worker on Redis registers the rows, and the mails (with the QR code drawn at delivery)
reach the SMTP server."""

from email import message_from_bytes

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bijeenkomsten.models import Aanmelding, Handeling, Import
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.bijeenkomsten.test_worker import subjects_for, wait_for
from tests.netwerk.factories import make_coordinator

CSV = (
    "\ufeffNaam;E-mail;Organisatie\r\n"
    "Anna de Vries;anna@example.org;Buurtteam Oost\r\n"
    "Bram Bakker;bram@example.org;Gemeente Arnhem\r\n"
).encode()


@pytest.mark.celery_worker
def test_a_confirmed_import_is_registered_by_the_worker_once_and_its_page_shows_the_result(
    celery_worker, smtp_sink, client
):
    bijeenkomst = BijeenkomstFactory(slug="symposium", titel="Symposium", capaciteit=1)
    client.force_login(make_coordinator())
    preview_url = client.post(
        reverse("bijeenkomsten:importeren", args=["symposium"]),
        {"bestand": SimpleUploadedFile("deelnemers.csv", CSV, content_type="text/csv")},
    ).url

    confirmed = client.post(preview_url + "bevestigen/")
    clicked_again = client.post(preview_url + "bevestigen/")

    assert confirmed.url == clicked_again.url
    assert wait_for(lambda: Import.objects.get().status == Import.Status.KLAAR)
    page = client.get(confirmed.url)
    assert "2 aanmeldingen geïmporteerd: 1 bevestigd, 1 op de wachtlijst." in page.text
    assert sorted(bijeenkomst.aanmeldingen.values_list("email", "status")) == [
        ("anna@example.org", Aanmelding.Status.BEVESTIGD),
        ("bram@example.org", Aanmelding.Status.WACHTLIJST),
    ]
    assert Handeling.objects.filter(soort=Handeling.Soort.GEIMPORTEERD).count() == 1
    assert wait_for(lambda: len(smtp_sink.messages) == 2)
    assert subjects_for(smtp_sink, "anna@example.org") == [
        "Je aanmelding voor Symposium is bevestigd"
    ]
    confirmation = message_from_bytes(smtp_sink.messages[0].content)
    if confirmation["To"] != "anna@example.org":
        confirmation = message_from_bytes(smtp_sink.messages[1].content)
    image = next(p for p in confirmation.walk() if p.get_content_type() == "image/png")
    assert image.get_payload(decode=True).startswith(b"\x89PNG")
