"""A thematrekker writes, previews, schedules and publishes an update; readers find it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.netwerk.factories import PersoonFactory
from tests.themas.factories import ThemaFactory, UpdateFactory
from themas.models import Update

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_thematrekker_writes_previews_schedules_and_publishes_an_update(page, live_server):
    trekker = PersoonFactory(naam="Tessa Trekker")
    thema = ThemaFactory(naam="Samenwerken", slug="samenwerken", thematrekkers=[trekker])
    log_in(page, live_server, trekker)

    page.goto(f"{live_server.url}/themas/samenwerken/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Schrijf een update").click()

    page.get_by_label("Titel").fill("Verbinden van werelden in Arnhem-Oost")
    page.get_by_label("Samenvatting").fill("Wat we leerden van het buurtcafé.")
    page.get_by_label("Tekst").fill(
        "## Wat we zagen\n\nInwoners en **professionals** aan één tafel."
    )
    page.get_by_role("button", name="Voorbeeld bekijken").click()

    preview = page.get_by_role("region", name="Voorbeeld")
    expect(preview.get_by_role("heading", name="Wat we zagen")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("professionals")
    assert not Update.objects.exists()
    assert_no_axe_violations(page)

    moment = timezone.localtime() + timedelta(days=3)
    page.get_by_label("Publiceren op").fill(moment.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Inplannen").click()

    expect(page.get_by_role("status").filter(has_text="Ingepland")).to_be_visible()
    update = Update.objects.get()
    assert update.status == Update.Status.INGEPLAND
    assert_no_axe_violations(page)

    # Not yet public: the thema page and the feed don't show it.
    page.goto(f"{live_server.url}/themas/samenwerken/")
    expect(page.get_by_text("Verbinden van werelden in Arnhem-Oost")).to_have_count(0)

    page.goto(f"{live_server.url}{update.get_absolute_url()}")
    page.get_by_role("button", name="Nu publiceren").click()
    expect(page.get_by_text("De update is gepubliceerd.")).to_be_visible()

    for path in ("/themas/samenwerken/", "/"):
        page.goto(live_server.url + path)
        expect(
            page.get_by_role("link", name="Verbinden van werelden in Arnhem-Oost")
        ).to_be_visible()
    feed = page.request.get(f"{live_server.url}/updates/feed/thema/{thema.slug}/")
    assert "Verbinden van werelden in Arnhem-Oost" in feed.text()


def test_the_updates_list_and_an_update_pass_axe(page, live_server):
    thema = ThemaFactory(naam="Lerend evalueren")
    update = UpdateFactory(
        thema=thema,
        titel="Evalueren met inwoners",
        tekst="Een lijst:\n\n- een\n- twee\n\n[Meer](https://example.org)",
        gepubliceerd_op=timezone.now(),
    )
    from themas.rendering import render_markdown

    Update.objects.filter(pk=update.pk).update(tekst_html=render_markdown(update.tekst))

    page.goto(f"{live_server.url}/updates/")
    expect(page.get_by_role("link", name="Evalueren met inwoners")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Evalueren met inwoners").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evalueren met inwoners")
    assert_no_axe_violations(page)
