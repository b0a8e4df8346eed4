"""The coördinator's pages: who may use them, preview, test mail, the count before sending,
sending, and the public archive."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from netwerk.models import Abonnement, OutboxMessage
from nieuwsbrief import tasks
from nieuwsbrief.models import Bezorging, Editie, Sectie
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import AbonnementFactory, PersoonFactory, make_coordinator
from tests.nieuwsbrief.factories import EditieFactory, SectieFactory
from tests.themas.factories import ThemaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editie():
    editie = EditieFactory(titel="Nieuwsbrief mei 2024", slug="nieuwsbrief-mei-2024")
    SectieFactory(editie=editie, titel="Leeratelier Armoede", volgorde=1)
    SectieFactory(editie=editie, titel="Samenwerken", volgorde=2)
    return editie


def coordinator_urls(editie):
    sectie = editie.secties.first()
    pk = editie.pk
    return [
        ("get", reverse("nieuwsbrief:edities"), {}),
        ("post", reverse("nieuwsbrief:samenstellen"), {}),
        ("get", reverse("nieuwsbrief:editie", args=[pk]), {}),
        ("post", reverse("nieuwsbrief:editie-bewerken", args=[pk]), {"titel": "Gekaapt"}),
        ("get", reverse("nieuwsbrief:sectie-nieuw", args=[pk]), {}),
        ("post", reverse("nieuwsbrief:sectie-nieuw", args=[pk]), {"titel": "Gekaapt"}),
        ("get", reverse("nieuwsbrief:sectie", args=[pk, sectie.pk]), {}),
        ("post", reverse("nieuwsbrief:sectie", args=[pk, sectie.pk]), {"titel": "Gekaapt"}),
        ("post", reverse("nieuwsbrief:sectie-omlaag", args=[pk, sectie.pk]), {}),
        ("post", reverse("nieuwsbrief:sectie-omhoog", args=[pk, sectie.pk]), {}),
        ("post", reverse("nieuwsbrief:sectie-verwijderen", args=[pk, sectie.pk]), {}),
        ("get", reverse("nieuwsbrief:voorbeeld", args=[pk]), {}),
        ("get", reverse("nieuwsbrief:voorbeeld-html", args=[pk]), {}),
        ("get", reverse("nieuwsbrief:voorbeeld-tekst", args=[pk]), {}),
        ("get", reverse("nieuwsbrief:test", args=[pk]), {}),
        ("post", reverse("nieuwsbrief:test", args=[pk]), {"adressen": "x@example.org"}),
        ("get", reverse("nieuwsbrief:verzenden", args=[pk]), {}),
        ("post", reverse("nieuwsbrief:verzenden", args=[pk]), {"doelgroep": "alle", "actie": "nu"}),
        ("post", reverse("nieuwsbrief:inplanning-intrekken", args=[pk]), {}),
        ("get", reverse("nieuwsbrief:abonnees"), {}),
    ]


def snapshot():
    return (
        list(Editie.objects.values_list("pk", "titel", "status")),
        list(Sectie.objects.values_list("pk", "titel", "volgorde")),
        OutboxMessage.objects.count(),
        Bezorging.objects.count(),
    )


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_changes(client, editie):
    AbonnementFactory()
    before = snapshot()
    for method, url, data in coordinator_urls(editie):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/login/"), url
    assert snapshot() == before


def test_everyone_else_gets_403_and_nothing_changes(client, editie):
    AbonnementFactory()
    client.force_login(PersoonFactory())
    before = snapshot()
    for method, url, data in coordinator_urls(editie):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert snapshot() == before


@pytest.mark.parametrize("who", ["coordinator", "beheerder"])
def test_coordinators_and_beheerders_compose(client, who):
    persoon = make_coordinator() if who == "coordinator" else PersoonFactory(is_superuser=True)
    client.force_login(persoon)
    response = client.post(reverse("nieuwsbrief:samenstellen"))
    editie = Editie.objects.get()
    assert response["Location"] == editie.get_absolute_url()
    assert client.get(editie.get_absolute_url()).status_code == 200
    assert client.get(reverse("nieuwsbrief:abonnees")).status_code == 200


@pytest.fixture
def coordinator_client(client):
    client.force_login(make_coordinator(email="coco@example.org"))
    return client


def test_editing_title_voorwoord_and_sections_through_the_pages(coordinator_client, editie):
    client = coordinator_client
    client.post(
        reverse("nieuwsbrief:editie-bewerken", args=[editie.pk]),
        {"titel": "Nieuwsbrief juni", "voorwoord": "Werelden *verbinden*."},
    )
    editie.refresh_from_db()
    assert editie.titel == "Nieuwsbrief juni"
    assert "<em>verbinden</em>" in editie.voorwoord_html

    response = client.post(reverse("nieuwsbrief:editie-bewerken", args=[editie.pk]), {"titel": ""})
    assert response.status_code == 400
    assert 'aria-describedby="id_titel_error"' in response.text

    client.post(
        reverse("nieuwsbrief:sectie-nieuw", args=[editie.pk]),
        {"titel": "Medisch en sociaal domein", "tekst": "Een *nieuw* project."},
    )
    last = editie.secties.order_by("volgorde").last()
    assert (last.titel, last.volgorde) == ("Medisch en sociaal domein", 3)

    client.post(reverse("nieuwsbrief:sectie-omhoog", args=[editie.pk, last.pk]))
    assert list(editie.secties.values_list("titel", flat=True)) == [
        "Leeratelier Armoede",
        "Medisch en sociaal domein",
        "Samenwerken",
    ]
    client.post(reverse("nieuwsbrief:sectie-verwijderen", args=[editie.pk, last.pk]))
    assert editie.secties.count() == 2


def test_a_section_of_another_edition_is_not_found(coordinator_client, editie):
    other = SectieFactory(titel="Elders")
    url = reverse("nieuwsbrief:sectie-verwijderen", args=[editie.pk, other.pk])
    assert coordinator_client.post(url).status_code == 404
    assert Sectie.objects.filter(pk=other.pk).exists()


def test_the_preview_shows_the_mail_as_html_and_as_plain_text(coordinator_client, editie):
    client = coordinator_client
    page = client.get(reverse("nieuwsbrief:voorbeeld", args=[editie.pk]))
    assert "<iframe" in page.text
    assert "LEERATELIER ARMOEDE" in page.text

    html = client.get(reverse("nieuwsbrief:voorbeeld-html", args=[editie.pk]))
    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert html["X-Frame-Options"] == "SAMEORIGIN"
    assert "max-width:600px" in html.text
    assert "<h2" in html.text
    assert "Leeratelier Armoede" in html.text

    text = client.get(reverse("nieuwsbrief:voorbeeld-tekst", args=[editie.pk]))
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert "lees meer (https://www.han.nl/)" in text.text


def test_the_count_is_shown_before_sending(coordinator_client, editie):
    armoede, wonen = LeeratelierFactory(), LeeratelierFactory()
    thema = ThemaFactory()
    AbonnementFactory(leerateliers=[armoede])
    AbonnementFactory(leerateliers=[armoede], themas=[thema])
    AbonnementFactory(themas=[thema])
    AbonnementFactory(leerateliers=[wonen])
    AbonnementFactory(status=Abonnement.Status.AFGEMELD, afgemeld_op=timezone.now())
    AbonnementFactory(
        status=Abonnement.Status.GEPAUZEERD, gepauzeerd_op=timezone.now(), leerateliers=[armoede]
    )
    url = reverse("nieuwsbrief:verzenden", args=[editie.pk])

    def count(data=None):
        text = coordinator_client.get(url, data or {}).text
        return int(re.search(r"Deze editie gaat naar (\d+) abonnee", text).group(1))

    assert count() == 4
    assert count({"doelgroep": "interesse", "leerateliers": [armoede.pk]}) == 2
    assert (
        count({"doelgroep": "interesse", "leerateliers": [armoede.pk], "themas": [thema.pk]}) == 3
    )
    response = coordinator_client.get(url, {"doelgroep": "interesse"})
    assert "Kies minstens één leeratelier of thema." in response.text
    assert "Nu verzenden" not in response.text


def test_sending_reaches_the_chosen_audience_once(
    coordinator_client, editie, django_capture_on_commit_callbacks
):
    armoede = LeeratelierFactory()
    anna = AbonnementFactory(email="anna@example.org", leerateliers=[armoede])
    AbonnementFactory(email="bram@example.org")
    url = reverse("nieuwsbrief:verzenden", args=[editie.pk])
    data = {"doelgroep": "interesse", "leerateliers": [armoede.pk], "actie": "nu"}

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, data)
    assert response["Location"] == editie.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        again = coordinator_client.post(url, data)
    assert again.status_code == 302

    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    editie.refresh_from_db()
    assert editie.status == Editie.Status.VERZONDEN
    assert editie.aantal_ontvangers == 1
    bezorging = Bezorging.objects.get()
    assert (bezorging.abonnement, bezorging.status) == (anna, Bezorging.Status.SENT)
    page = coordinator_client.get(editie.get_absolute_url()).text
    assert re.search(r"<dt>Verzonden</dt><dd>1</dd>", page)
    assert re.search(r"<dt>Nog te gaan</dt><dd>0</dd>", page)


def test_a_planned_edition_is_sent_by_the_periodic_task_when_its_time_comes(
    coordinator_client, editie, django_capture_on_commit_callbacks
):
    AbonnementFactory(email="anna@example.org")
    moment = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    coordinator_client.post(
        reverse("nieuwsbrief:verzenden", args=[editie.pk]),
        {"doelgroep": "alle", "actie": "inplannen", "verzenden_op": moment},
    )
    editie.refresh_from_db()
    assert editie.status == Editie.Status.INGEPLAND

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_editions() == 0
    assert mail.outbox == []

    Editie.objects.filter(pk=editie.pk).update(verzenden_op=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_editions() == 1
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    editie.refresh_from_db()
    assert editie.status == Editie.Status.VERZONDEN


def test_planning_needs_a_moment_in_the_future(coordinator_client, editie):
    response = coordinator_client.post(
        reverse("nieuwsbrief:verzenden", args=[editie.pk]),
        {"doelgroep": "alle", "actie": "inplannen", "verzenden_op": "2001-01-01T10:00"},
    )
    assert response.status_code == 400
    assert "Kies een moment in de toekomst." in response.text
    editie.refresh_from_db()
    assert editie.status == Editie.Status.CONCEPT


def test_a_planned_edition_can_go_back_to_concept(coordinator_client, editie):
    Editie.objects.filter(pk=editie.pk).update(
        status=Editie.Status.INGEPLAND, verzenden_op=timezone.now() + timedelta(days=1)
    )
    coordinator_client.post(reverse("nieuwsbrief:inplanning-intrekken", args=[editie.pk]))
    editie.refresh_from_db()
    assert (editie.status, editie.verzenden_op) == (Editie.Status.CONCEPT, None)


def test_paused_subscriptions_are_shown_with_their_reason(coordinator_client):
    AbonnementFactory(email="anna@example.org")
    AbonnementFactory(
        email="stuit@example.org",
        status=Abonnement.Status.GEPAUZEERD,
        gepauzeerd_op=timezone.now(),
        pauze_reden="De mailserver weigerde 2 edities op rij blijvend.",
    )
    page = coordinator_client.get(reverse("nieuwsbrief:abonnees"), {"status": "gepauzeerd"}).text
    assert "stuit@example.org" in page
    assert "weigerde 2 edities op rij" in page
    assert "anna@example.org" not in page


def test_the_lists_do_not_grow_in_queries_with_more_rows(coordinator_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = [
        reverse("nieuwsbrief:edities"),
        reverse("nieuwsbrief:abonnees"),
        reverse("nieuwsbrief:archief"),
    ]

    def add_rows():
        editie = EditieFactory(status=Editie.Status.VERZONDEN, verzending_gestart_op=timezone.now())
        SectieFactory(editie=editie)
        EditieFactory(aangemaakt_door=PersoonFactory())
        AbonnementFactory(leerateliers=[LeeratelierFactory()], themas=[ThemaFactory()])

    add_rows()
    counts = []
    for rows in (1, 5):
        for _ in range(rows):
            add_rows()
        counts.append([])
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert coordinator_client.get(url).status_code == 200
            counts[-1].append(len(queries))
    assert counts[0] == counts[1]


def test_the_edition_page_does_not_grow_in_queries_with_more_sections(coordinator_client, editie):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = editie.get_absolute_url()
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(url)
    for _ in range(5):
        SectieFactory(editie=editie)
    with CaptureQueriesContext(connection) as many:
        coordinator_client.get(url)
    assert len(few) == len(many)


# The archive, for everyone.


def test_the_archive_shows_sent_editions_as_pages_and_in_a_feed(client, editie):
    EditieFactory(titel="Nog een concept", slug="concept")
    Editie.objects.filter(pk=editie.pk).update(
        status=Editie.Status.VERZONDEN, verzending_gestart_op=timezone.now()
    )

    archive = client.get(reverse("nieuwsbrief:archief")).text
    assert "Nieuwsbrief mei 2024" in archive
    assert "Nog een concept" not in archive

    page = client.get(reverse("nieuwsbrief:archief-editie", args=["nieuwsbrief-mei-2024"]))
    assert page.status_code == 200
    assert "landelijk symposium" in page.text
    assert "Leeratelier Armoede" in page.text
    assert client.get(reverse("nieuwsbrief:archief-editie", args=["concept"])).status_code == 404

    feed = client.get(reverse("nieuwsbrief:feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "<title>Nieuwsbrief mei 2024</title>" in feed.text
    assert "Nog een concept" not in feed.text


def test_the_web_version_link_of_a_mail_leads_to_the_archive_page(
    coordinator_client, editie, django_capture_on_commit_callbacks
):
    AbonnementFactory()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            reverse("nieuwsbrief:verzenden", args=[editie.pk]), {"doelgroep": "alle", "actie": "nu"}
        )
    link = re.search(r"online: (\S+)", mail.outbox[0].body).group(1)
    assert link.endswith("/nieuwsbrief/archief/nieuwsbrief-mei-2024/")
    coordinator_client.logout()
    assert coordinator_client.get(re.sub(r"^https?://[^/]+", "", link)).status_code == 200
