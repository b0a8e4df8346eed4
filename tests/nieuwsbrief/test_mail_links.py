"""A relative link in an edition leads somewhere from the mail: every link and image source
of the HTML and text mail is absolute with SITE_URL; the archive's web page keeps it as
written."""

import pytest
from django.utils import timezone

from netwerk.models import OutboxMessage
from nieuwsbrief import services
from nieuwsbrief.models import Editie
from nieuwsbrief.rendering import render_edition
from tests.nieuwsbrief.factories import EditieFactory, SectieFactory
from werkplaats.mail_links import absolute_links, absolute_url

pytestmark = pytest.mark.django_db

SITE = "https://werkplaats.example.org"


@pytest.fixture
def editie(settings):
    settings.SITE_URL = SITE
    editie = EditieFactory(
        titel="Nieuwsbrief juni",
        slug="nieuwsbrief-juni",
        voorwoord="Zie de [agenda](/bijeenkomsten/) en [dit](https://www.han.nl/).",
    )
    SectieFactory(
        editie=editie,
        tekst="Kom naar [de dag][dag] of [mail ons](mailto:info@example.org).\n\n"
        "[dag]: /bijeenkomsten/symposium/",
    )
    return editie


def test_relative_links_in_an_edition_are_absolute_in_its_html_and_text_mail(editie):
    rendered = render_edition(editie, editie.secties.all())

    assert f'href="{SITE}/bijeenkomsten/"' in rendered.html
    assert f'href="{SITE}/bijeenkomsten/symposium/"' in rendered.html
    assert 'href="https://www.han.nl/"' in rendered.html
    assert 'href="mailto:info@example.org"' in rendered.html
    assert 'href="/' not in rendered.html
    assert f"agenda ({SITE}/bijeenkomsten/)" in rendered.text
    assert f"[dag]: {SITE}/bijeenkomsten/symposium/" in rendered.text
    assert "dit (https://www.han.nl/)" in rendered.text


def test_the_delivered_test_mail_has_the_absolute_links_too(editie):
    services.send_test(editie=editie, adressen=["coco@example.org"])
    message = OutboxMessage.objects.get()
    assert f'href="{SITE}/bijeenkomsten/"' in message.body_html
    assert f"agenda ({SITE}/bijeenkomsten/)" in message.body_text


def test_the_archive_page_keeps_the_links_as_written(client, editie):
    Editie.objects.filter(pk=editie.pk).update(
        status=Editie.Status.VERZONDEN,
        verzending_gestart_op=timezone.now(),
        verzonden_op=timezone.now(),
    )
    page = client.get(editie.get_archief_url())
    assert 'href="/bijeenkomsten/"' in page.text


def test_image_sources_and_other_relative_addresses_become_absolute(settings):
    settings.SITE_URL = SITE
    html = absolute_links(
        '<p><img alt="" src="/media/updates/foto.jpg"> <a href="#inhoud">x</a> '
        '<a href="bijeenkomsten/?pagina=2&amp;x=1">y</a></p>'
    )
    assert f'src="{SITE}/media/updates/foto.jpg"' in html
    assert 'href="#inhoud"' in html
    assert f'href="{SITE}/bijeenkomsten/?pagina=2&amp;x=1"' in html
    assert absolute_url("https://elders.example.org/a") == "https://elders.example.org/a"
