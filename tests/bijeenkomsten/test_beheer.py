"""The coördinator's tooling for one bijeenkomst: create, edit, publish, cancel, the
dashboard, registering on someone's behalf, reserved places and the wachtlijst by hand."""

import base64
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bijeenkomsten import services, tasks
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling, Quotum
from leerateliers import services as leeratelier_services
from netwerk.models import OutboxMessage
from netwerk.outbox import build_email
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator
from tests.roles import COORDINATING, NOT_COORDINATING
from tests.themas.factories import ThemaFactory

pytestmark = pytest.mark.django_db

S = Aanmelding.Status


@pytest.fixture
def coordinator():
    return make_coordinator(naam="Coby Coördinator")


def register(bijeenkomst, n, **kwargs):
    return services.register(
        bijeenkomst=bijeenkomst, email=f"gast{n}@example.org", naam=f"Gast {n}", **kwargs
    )


def form_data(**overrides):
    start = timezone.localtime() + timedelta(days=30)
    return {
        "titel": "Landelijk symposium",
        "soort": "symposium",
        "beschrijving": "Werelden verbinden.",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "eind": (start + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        "locatie_naam": "De Lindenberg",
        "locatie_plaats": "Nijmegen",
        "capaciteit": "100",
        "wachtlijst_open": "on",
        "wachtlijst_modus": "aanbieden",
        "bedenktijd_uren": "48",
        **overrides,
    }


def sent_to(email):
    """The outbox rows to `email`, oldest first (plain tests do not commit, so the rows
    are read instead of the delivered mails)."""
    return list(OutboxMessage.objects.filter(to=email).order_by("pk"))


def calendar_of(message: OutboxMessage) -> Calendar:
    [attachment] = [a for a in message.attachments if a["filename"].endswith(".ics")]
    return Calendar.from_ical(base64.b64decode(attachment["content"]))


# --- create, edit, publish, cancel -----------------------------------------------------


def test_a_new_bijeenkomst_is_a_concept_that_only_coordinators_see_until_published(
    client, coordinator
):
    client.force_login(coordinator)
    response = client.post(reverse("bijeenkomsten:nieuw"), form_data())

    bijeenkomst = Bijeenkomst.objects.get()
    assert response.status_code == 302
    assert (bijeenkomst.slug, bijeenkomst.status) == ("landelijk-symposium", "concept")
    assert client.get(bijeenkomst.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(bijeenkomst.get_absolute_url()).status_code == 404

    client.force_login(coordinator)
    client.post(reverse("bijeenkomsten:publiceren", args=[bijeenkomst.slug]))
    client.logout()
    assert client.get(bijeenkomst.get_absolute_url()).status_code == 200
    assert list(Handeling.objects.order_by("pk").values_list("soort", "door")) == [
        ("aangemaakt", coordinator.pk),
        ("gepubliceerd", coordinator.pk),
    ]


def test_an_invalid_bijeenkomst_is_shown_again_with_errors_linked_to_fields(client, coordinator):
    client.force_login(coordinator)
    data = form_data(titel="", capaciteit="99999999999999999999")
    data["eind"] = data["start"]

    response = client.post(reverse("bijeenkomsten:nieuw"), data)

    assert response.status_code == 400
    assert 'aria-describedby="id_titel_error"' in response.text
    assert "id_capaciteit_error" in response.text
    assert not Bijeenkomst.objects.exists()


def test_two_bijeenkomsten_with_the_same_title_get_their_own_slug(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("bijeenkomsten:nieuw"), form_data())
    client.post(reverse("bijeenkomsten:nieuw"), form_data())

    assert sorted(Bijeenkomst.objects.values_list("slug", flat=True)) == [
        "landelijk-symposium",
        "landelijk-symposium-2",
    ]


def test_a_new_time_is_mailed_with_a_calendar_update_of_the_same_event(client, coordinator):
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    confirmed = register(bijeenkomst, 1)
    waiting = register(bijeenkomst, 2)
    original_uid = calendar_of(sent_to(confirmed.email)[0]).walk("VEVENT")[0]["uid"]
    client.force_login(coordinator)
    later = timezone.localtime(bijeenkomst.start) + timedelta(days=1)
    data = form_data(
        titel=bijeenkomst.titel,
        capaciteit="1",
        start=later.strftime("%Y-%m-%dT%H:%M"),
        eind=(later + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
    )

    client.post(reverse("bijeenkomsten:bewerken", args=[bijeenkomst.slug]), data)
    client.post(reverse("bijeenkomsten:bewerken", args=[bijeenkomst.slug]), data)

    changes = OutboxMessage.objects.filter(key__contains=":gewijzigd:")
    assert sorted(changes.values_list("to", flat=True)) == [confirmed.email, waiting.email]
    to_confirmed = changes.get(to=confirmed.email)
    event = calendar_of(to_confirmed).walk("VEVENT")[0]
    assert calendar_of(to_confirmed)["method"] == "REQUEST"
    assert event["uid"] == original_uid
    assert event["sequence"] == 1
    assert event.decoded("dtstart") == later.replace(second=0, microsecond=0)
    # Who waits has no event in a calendar yet: the mail says what changed, no invitation.
    assert not changes.get(to=waiting.email).attachments


def test_cancelling_sends_a_calendar_cancel_for_the_same_event(client, coordinator):
    bijeenkomst = BijeenkomstFactory()
    aanmelding = register(bijeenkomst, 1)
    uid = calendar_of(sent_to(aanmelding.email)[0]).walk("VEVENT")[0]["uid"]
    client.force_login(coordinator)

    client.post(
        reverse("bijeenkomsten:annuleren", args=[bijeenkomst.slug]), {"reden": "Zaal onbruikbaar"}
    )

    confirmation, message = sent_to(aanmelding.email)
    calendar = calendar_of(message)
    assert calendar["method"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["uid"] == uid
    assert "Zaal onbruikbaar" in message.body_text
    aanmelding.refresh_from_db()
    assert aanmelding.status == S.GEANNULEERD
    assert Handeling.objects.get(soort="bijeenkomst-geannuleerd").reden == "Zaal onbruikbaar"


def test_a_cancelled_bijeenkomst_can_no_longer_be_edited(client, coordinator):
    bijeenkomst = BijeenkomstFactory(status=Bijeenkomst.Status.GEANNULEERD)
    client.force_login(coordinator)

    response = client.post(
        reverse("bijeenkomsten:bewerken", args=[bijeenkomst.slug]),
        form_data(titel="Toch wel"),
    )

    assert response.status_code == 400
    bijeenkomst.refresh_from_db()
    assert bijeenkomst.titel != "Toch wel"


# --- the dashboard ----------------------------------------------------------------------


def dashboard_queries(client, bijeenkomst, **params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(
            reverse("bijeenkomsten:aanmeldingen", args=[bijeenkomst.slug]), params
        )
    assert response.status_code == 200
    return len(context.captured_queries), response


def add_registrations(bijeenkomst, count, status=S.BEVESTIGD, start=0):
    Aanmelding.objects.bulk_create(
        Aanmelding(
            bijeenkomst=bijeenkomst,
            naam=f"Deelnemer {n}",
            email=f"deelnemer{n}@example.org",
            organisatie="Buurtteam",
            status=status,
            wachtlijst_volgorde=n if status == S.WACHTLIJST else None,
        )
        for n in range(start, start + count)
    )


def test_the_dashboard_issues_the_same_queries_for_20_and_2000_registrations(client, coordinator):
    small, large = BijeenkomstFactory(capaciteit=None), BijeenkomstFactory(capaciteit=None)
    add_registrations(small, 20)
    add_registrations(large, 2000)
    client.force_login(coordinator)
    dashboard_queries(client, small)  # warm up the session

    few, _response = dashboard_queries(client, small)
    many, response = dashboard_queries(client, large)

    assert few == many
    # The session (from the database on the embedded default, from Redis on the real
    # stack), the person and rights, the bijeenkomst and its links, the questions, the
    # counts, the log, the quota with their use and the organisaties to hold places for
    # (issue 21), one page of registrations and their session choices.
    assert many <= 15
    assert "2000" in response.text


def test_the_dashboard_searches_on_naam_email_and_organisatie_per_status(client, coordinator):
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    register(bijeenkomst, 1, organisatie="Wijkteam Oost")
    register(bijeenkomst, 2, organisatie="Gemeente Arnhem")
    register(bijeenkomst, 3, organisatie="Gemeente Nijmegen")
    client.force_login(coordinator)

    _count, response = dashboard_queries(
        client, bijeenkomst, status="wachtlijst", zoek="gemeente arn"
    )

    assert "Gast 2" in response.text
    assert "Gast 3" not in response.text
    assert "Gast 1" not in response.text


# --- on someone's behalf, above capacity --------------------------------------------------


def test_registering_on_behalf_sends_the_normal_mails_and_is_logged(client, coordinator):
    bijeenkomst = BijeenkomstFactory(capaciteit=5)
    client.force_login(coordinator)

    client.post(
        reverse("bijeenkomsten:aanmelden-namens", args=[bijeenkomst.slug]),
        {"naam": "Sara Spreker", "email": "sara@example.org"},
    )

    aanmelding = Aanmelding.objects.get()
    assert (aanmelding.status, aanmelding.aangemeld_door) == (S.BEVESTIGD, coordinator)
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["sara@example.org"]
    assert Handeling.objects.get().soort == "aangemeld-namens"


def test_a_place_above_capacity_needs_a_reason_and_takes_nobody_elses_place(client, coordinator):
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    register(bijeenkomst, 1)
    client.force_login(coordinator)
    url = reverse("bijeenkomsten:aanmelden-namens", args=[bijeenkomst.slug])

    without_reason = client.post(
        url, {"naam": "Erik Eregast", "email": "erik@example.org", "boven_capaciteit": "on"}
    )
    assert without_reason.status_code == 400
    assert Aanmelding.objects.count() == 1

    client.post(
        url,
        {
            "naam": "Erik Eregast",
            "email": "erik@example.org",
            "boven_capaciteit": "on",
            "boven_capaciteit_reden": "Spreekt de opening uit",
        },
    )
    eregast = Aanmelding.objects.get(email="erik@example.org")
    assert (eregast.status, eregast.boven_capaciteit) == (S.BEVESTIGD, True)
    bijeenkomst = Bijeenkomst.objects.met_bezetting().get(pk=bijeenkomst.pk)
    assert bijeenkomst.bezet == 1
    # A place that frees goes to the wachtlijst as usual; the guest of honour keeps theirs.
    waiting = register(bijeenkomst, 2)
    assert waiting.status == S.WACHTLIJST
    _count, response = dashboard_queries(client, bijeenkomst)
    assert "Spreekt de opening uit" in response.text


# --- reserved places -------------------------------------------------------------------


@pytest.fixture
def met_reservering():
    atelier = LeeratelierFactory()
    bijeenkomst = BijeenkomstFactory(capaciteit=3)
    # The arena's quotum: what were the bijeenkomst's reserved places (migration 0020).
    Quotum.objects.create(bijeenkomst=bijeenkomst, aantal=2, tot=timezone.now() + timedelta(days=3))
    bijeenkomst.leerateliers.add(atelier)
    arena = PersoonFactory(email="arena@example.org")
    deelname = leeratelier_services.join_leeratelier(
        persoon=arena, leeratelier=atelier, rol="arena"
    )
    leeratelier_services.approve_arena(deelname=deelname, door=PersoonFactory())
    return bijeenkomst, arena


def test_until_their_date_reserved_places_are_for_arena_deelnemers_only(met_reservering):
    bijeenkomst, arena = met_reservering

    first = register(bijeenkomst, 1)
    second = register(bijeenkomst, 2)
    mine = services.register(
        bijeenkomst=bijeenkomst, email=arena.email, naam=arena.naam, persoon=arena
    )

    assert (first.status, second.status) == (S.BEVESTIGD, S.WACHTLIJST)
    assert (mine.status, mine.op_reservering) == (S.BEVESTIGD, True)
    bijeenkomst = Bijeenkomst.objects.met_bezetting().get(pk=bijeenkomst.pk)
    assert (bijeenkomst.plaatsen_vrij, bijeenkomst.gereserveerd_vrij()) == (0, 1)


def test_after_their_date_unused_reserved_places_go_to_the_wachtlijst_exactly_once(
    met_reservering,
):
    bijeenkomst, _arena = met_reservering
    register(bijeenkomst, 1)
    waiting = [register(bijeenkomst, n) for n in (2, 3, 4)]
    Quotum.objects.filter(bijeenkomst=bijeenkomst).update(tot=timezone.now() - timedelta(minutes=1))

    assert tasks.release_reserved_places() == 1
    assert tasks.release_reserved_places() == 0

    statuses = [Aanmelding.objects.get(pk=aanmelding.pk).status for aanmelding in waiting]
    assert statuses == [S.AANGEBODEN, S.AANGEBODEN, S.WACHTLIJST]
    assert Handeling.objects.filter(soort="reservering-vrijgegeven").count() == 1
    assert OutboxMessage.objects.filter(key__endswith=":aangeboden").count() == 2


def test_a_registration_after_the_date_releases_the_places_first_so_nobody_jumps_the_queue(
    met_reservering,
):
    bijeenkomst, _arena = met_reservering
    register(bijeenkomst, 1)
    waiting = register(bijeenkomst, 2)
    Quotum.objects.filter(bijeenkomst=bijeenkomst).update(tot=timezone.now() - timedelta(minutes=1))

    newcomer = register(bijeenkomst, 3)

    waiting.refresh_from_db()
    assert waiting.status == S.AANGEBODEN
    assert newcomer.status == S.BEVESTIGD  # the second released place
    assert tasks.release_reserved_places() == 0


# --- the wachtlijst by hand --------------------------------------------------------------


def test_offering_the_next_place_raises_the_capacity_by_one_and_offers_it(client, coordinator):
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    register(bijeenkomst, 1)
    first, second = register(bijeenkomst, 2), register(bijeenkomst, 3)
    client.force_login(coordinator)

    client.post(reverse("bijeenkomsten:wachtlijst-aanbieden", args=[bijeenkomst.slug]))

    first.refresh_from_db()
    second.refresh_from_db()
    bijeenkomst.refresh_from_db()
    assert (first.status, second.status, bijeenkomst.capaciteit) == (
        S.AANGEBODEN,
        S.WACHTLIJST,
        2,
    )
    assert "capaciteit nu 2" in Handeling.objects.get(soort="plek-aangeboden").omschrijving


def test_moving_someone_on_the_wachtlijst_needs_a_reason_and_is_logged(client, coordinator):
    bijeenkomst = BijeenkomstFactory(capaciteit=0)
    first, second, third = (register(bijeenkomst, n) for n in (1, 2, 3))
    client.force_login(coordinator)
    url = reverse("bijeenkomsten:wachtlijst-omhoog", args=[bijeenkomst.slug, third.pk])

    client.post(url, {"reden": ""})
    assert list(bijeenkomst.aanmeldingen.wachtend().values_list("pk", flat=True)) == [
        first.pk,
        second.pk,
        third.pk,
    ]

    client.post(url, {"reden": "Spreekt in de middag"})

    assert list(bijeenkomst.aanmeldingen.wachtend().values_list("pk", flat=True)) == [
        first.pk,
        third.pk,
        second.pk,
    ]
    third.refresh_from_db()
    assert third.wachtlijst_positie() == 2
    handeling = Handeling.objects.get(soort="verschoven")
    assert (handeling.reden, handeling.aanmelding) == ("Spreekt in de middag", third)


def test_taking_someone_off_the_wachtlijst_mails_them(client, coordinator):
    bijeenkomst = BijeenkomstFactory(capaciteit=0)
    waiting = register(bijeenkomst, 1)
    client.force_login(coordinator)

    client.post(
        reverse("bijeenkomsten:aanmelding-annuleren-namens", args=[bijeenkomst.slug, waiting.pk]),
        {"reden": "Dubbel aangemeld", "bevestigd": "1"},
    )

    waiting.refresh_from_db()
    assert waiting.status == S.GEANNULEERD
    assert [message.key.split(":")[-1] for message in sent_to(waiting.email)] == [
        "wachtlijst",
        "geannuleerd",
    ]
    assert Handeling.objects.get().reden == "Dubbel aangemeld"


# --- who may -----------------------------------------------------------------------------

FORBIDDEN = list(NOT_COORDINATING)


@pytest.fixture
def actors(people):
    LeeratelierFactory(trekkers=[people["trekker"]])
    ThemaFactory(thematrekkers=[people["thematrekker"]])
    return people


def requests_for(bijeenkomst, waiting):
    slug = bijeenkomst.slug
    return [
        ("get", reverse("bijeenkomsten:beheer"), {}),
        ("get", reverse("bijeenkomsten:nieuw"), {}),
        ("post", reverse("bijeenkomsten:nieuw"), form_data(titel="Nieuw")),
        ("get", reverse("bijeenkomsten:bewerken", args=[slug]), {}),
        ("post", reverse("bijeenkomsten:bewerken", args=[slug]), form_data(titel="Anders")),
        ("post", reverse("bijeenkomsten:publiceren", args=[slug]), {}),
        ("post", reverse("bijeenkomsten:annuleren", args=[slug]), {}),
        ("get", reverse("bijeenkomsten:aanmeldingen", args=[slug]), {}),
        ("get", reverse("bijeenkomsten:aanmelden-namens", args=[slug]), {}),
        (
            "post",
            reverse("bijeenkomsten:aanmelden-namens", args=[slug]),
            {"naam": "X", "email": "x@example.org"},
        ),
        ("post", reverse("bijeenkomsten:wachtlijst-aanbieden", args=[slug]), {}),
        (
            "post",
            reverse("bijeenkomsten:wachtlijst-omlaag", args=[slug, waiting.pk]),
            {"reden": "r"},
        ),
    ]


def snapshot():
    return (
        list(Bijeenkomst.objects.order_by("pk").values_list("titel", "status", "capaciteit")),
        list(Aanmelding.objects.order_by("pk").values_list("status", "wachtlijst_volgorde")),
        OutboxMessage.objects.count(),
        Handeling.objects.count(),
    )


@pytest.mark.parametrize("actor", FORBIDDEN)
def test_nobody_but_coordinators_and_beheerders_reaches_the_tooling(client, actors, actor):
    bijeenkomst = BijeenkomstFactory(status=Bijeenkomst.Status.CONCEPT, capaciteit=0)
    waiting = AanmeldingFactory(bijeenkomst=bijeenkomst, status=S.WACHTLIJST, wachtlijst_volgorde=1)
    AanmeldingFactory(bijeenkomst=bijeenkomst, status=S.WACHTLIJST, wachtlijst_volgorde=2)
    if actors[actor]:
        client.force_login(actors[actor])
    before = snapshot()

    for method, url, data in requests_for(bijeenkomst, waiting):
        response = getattr(client, method)(url, data)
        if actor == "anonymous":
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("account_login")), url
        else:
            assert response.status_code == 403, (method, url)

    assert snapshot() == before


@pytest.mark.parametrize("actor", COORDINATING)
def test_coordinators_and_beheerders_reach_every_page_of_the_tooling(client, actors, actor):
    bijeenkomst = BijeenkomstFactory(status=Bijeenkomst.Status.CONCEPT)
    client.force_login(actors[actor])

    for url in [
        reverse("bijeenkomsten:beheer"),
        reverse("bijeenkomsten:nieuw"),
        reverse("bijeenkomsten:bewerken", args=[bijeenkomst.slug]),
        reverse("bijeenkomsten:aanmeldingen", args=[bijeenkomst.slug]),
        reverse("bijeenkomsten:aanmelden-namens", args=[bijeenkomst.slug]),
    ]:
        assert client.get(url).status_code == 200, url


def test_the_confirmation_mail_shows_the_personal_link_as_a_qr_code_inline():
    bijeenkomst = BijeenkomstFactory()
    aanmelding = register(bijeenkomst, 1)

    message = build_email(sent_to(aanmelding.email)[0]).message()
    html = next(part for part in message.walk() if part.get_content_type() == "text/html")
    image = next(part for part in message.walk() if part.get_content_type() == "image/png")
    assert 'src="cid:toegang@werkplaats"' in html.get_payload(decode=True).decode()
    assert image["Content-ID"] == "<toegang@werkplaats>"
    assert image.get_payload(decode=True).startswith(b"\x89PNG")
    assert any(part.get_content_type() == "text/calendar" for part in message.walk())
