"""The reminder the day before: every bevestigd attendee, exactly once, with the calendar
file and the personal link."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format

from bijeenkomsten import services, tasks
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory, link_token, linked
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db

S = Aanmelding.Status


def morgen(**kwargs):
    """A bijeenkomst that starts 20 hours from now, with one attendee of every kind."""
    bijeenkomst = BijeenkomstFactory(
        titel="Symposium armoede",
        start=timezone.now() + timedelta(hours=20),
        online_link="https://meet.example.org/symposium",
        **kwargs,
    )
    for naam, status, extra in [
        ("Anna", S.BEVESTIGD, {}),
        ("Spreker", S.BEVESTIGD, {"boven_capaciteit": True, "boven_capaciteit_reden": "Spreker"}),
        ("Wim", S.WACHTLIJST, {"wachtlijst_volgorde": 1}),
        ("Olga", S.AANGEBODEN, {"aanbod_tot": timezone.now() + timedelta(hours=10)}),
        ("Gijs", S.GEANNULEERD, {}),
    ]:
        AanmeldingFactory(
            bijeenkomst=bijeenkomst,
            naam=naam,
            email=f"{naam.lower()}@example.org",
            status=status,
            **extra,
        )
    return bijeenkomst


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def parse_calendar(content: bytes) -> list[dict[str, str]]:
    """A strict reading of RFC 5545's structure: CRLF lines, balanced BEGIN/END, NAME:VALUE
    content lines; returns the properties of each VEVENT."""
    text = content.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = unfold(text)[:-1]
    stack, events = [], []
    for line in lines:
        name, _sep, value = line.partition(":")
        assert _sep, f"not a content line: {line!r}"
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack.pop() == value
        elif stack and stack[-1] == "VEVENT":
            events[-1][name.split(";")[0]] = value
    assert stack == []
    return events


def test_every_bevestigd_attendee_gets_one_reminder_with_the_calendar_and_personal_link():
    bijeenkomst = morgen()

    assert services.remind_attendees(bijeenkomst_id=bijeenkomst.pk) == 2

    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [
        "anna@example.org",
        "spreker@example.org",
    ]
    anna = bijeenkomst.aanmeldingen.get(naam="Anna")
    message = OutboxMessage.objects.get(key=f"aanmelding:{anna.pk}:herinnering-dag")
    with translation.override("nl"):
        weekday = date_format(timezone.localtime(bijeenkomst.start), "l")
    assert message.subject == f"Tot {weekday}: Symposium armoede"
    assert message.body_text.startswith("Hallo Anna,")
    assert "Kun je niet? Meld je af via je persoonlijke pagina" in message.body_text
    assert "dan gaat je plek naar de wachtlijst" in message.body_text
    token = link_token(message.body_text)
    assert linked(token) == anna
    assert f"{settings.SITE_URL}/aanmelding/{token}/" in message.body_text
    assert f"/aanmelding/{token}/" in message.body_html
    [attachment] = message.attachments
    assert (attachment["filename"], attachment["mimetype"]) == ("bijeenkomst.ics", "text/calendar")
    [event] = parse_calendar(base64.b64decode(attachment["content"]))
    assert event["SUMMARY"] == "Symposium armoede"
    assert event["UID"].startswith(f"bijeenkomst-{bijeenkomst.pk}@")
    assert datetime.strptime(event["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) == (
        bijeenkomst.start.replace(microsecond=0)
    )
    assert "meet.example.org/symposium" in event["DESCRIPTION"]
    bijeenkomst.refresh_from_db()
    assert bijeenkomst.herinnering_verstuurd_op is not None


def test_the_reminder_carries_each_attendees_own_invitation_as_the_confirmation_did():
    bijeenkomst = morgen()
    # Above capacity: the free places are the wachtlijst's.
    anna = services.register_on_behalf(
        bijeenkomst=bijeenkomst,
        door=make_coordinator(),
        email="anna.b@example.org",
        naam="Anna B",
        boven_capaciteit_reden="Spreker",
    )
    confirmation = OutboxMessage.objects.get(key=f"aanmelding:{anna.pk}:bevestigd")

    services.remind_attendees(bijeenkomst_id=bijeenkomst.pk)

    reminder = OutboxMessage.objects.get(key=f"aanmelding:{anna.pk}:herinnering-dag")
    calendars = [
        unfold(base64.b64decode(message.attachments[0]["content"]).decode())
        for message in (confirmation, reminder)
    ]
    for lines in calendars:
        assert "METHOD:REQUEST" in lines
        assert any(
            line.startswith("ATTENDEE;") and line.endswith(":mailto:anna.b@example.org")
            for line in lines
        )
    [confirmed_event], [reminded_event] = (
        parse_calendar(base64.b64decode(message.attachments[0]["content"]))
        for message in (confirmation, reminder)
    )
    assert (reminded_event["UID"], reminded_event["SEQUENCE"]) == (
        confirmed_event["UID"],
        confirmed_event["SEQUENCE"],
    )


def test_the_task_sends_the_reminder_exactly_once_however_often_it_runs():
    bijeenkomst = morgen()

    first = tasks.remind_attendees_day_before.delay().get()
    second = tasks.remind_attendees_day_before.delay().get()
    again = services.remind_attendees(bijeenkomst_id=bijeenkomst.pk)

    assert (first, second, again) == (2, 0, 0)
    assert OutboxMessage.objects.filter(key__endswith=":herinnering-dag").count() == 2


@pytest.mark.parametrize(
    ("changes", "hours_ahead"),
    [
        ({"status": Bijeenkomst.Status.GEANNULEERD}, 20),
        ({"status": Bijeenkomst.Status.CONCEPT}, 20),
        ({}, 30),  # not yet the day before
        ({}, -1),  # already started
    ],
)
def test_no_reminder_for_a_cancelled_or_concept_bijeenkomst_or_outside_the_day_before(
    changes, hours_ahead
):
    bijeenkomst = morgen(**changes)
    Bijeenkomst.objects.filter(pk=bijeenkomst.pk).update(
        start=timezone.now() + timedelta(hours=hours_ahead),
        eind=timezone.now() + timedelta(hours=hours_ahead + 3),
    )

    assert tasks.remind_attendees_day_before.delay().get() == 0
    assert services.remind_attendees(bijeenkomst_id=bijeenkomst.pk) == 0
    assert not OutboxMessage.objects.exists()
    bijeenkomst.refresh_from_db()
    assert bijeenkomst.herinnering_verstuurd_op is None


def test_the_reminder_is_in_the_beat_schedule_every_hour():
    from werkplaats.celery import app

    app.loader.import_default_modules()
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }

    assert "bijeenkomsten.tasks.remind_attendees_day_before" in app.tasks
    entry = schedule["bijeenkomsten.tasks.remind_attendees_day_before"]
    assert len(entry.minute) == 1
    assert entry.hour == set(range(24))
