from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from bijeenkomsten.ics import calendar_for, invitation_for
from bijeenkomsten.models import Bijeenkomst
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory

pytestmark = pytest.mark.django_db


def events(data: bytes):
    calendar = Calendar.from_ical(data)
    return calendar, list(calendar.walk("VEVENT"))


def test_the_calendar_uses_crlf_utc_times_and_a_stable_uid():
    bijeenkomst = BijeenkomstFactory(
        titel="Symposium: werelden verbinden",
        start=datetime(2026, 6, 6, 8, 30, tzinfo=UTC),
        eind=datetime(2026, 6, 6, 15, 0, tzinfo=UTC),
    )

    data = calendar_for([bijeenkomst])

    text = data.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    calendar, [event] = events(data)
    assert calendar["method"] == "PUBLISH"
    assert event.decoded("dtstart") == datetime(2026, 6, 6, 8, 30, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2026, 6, 6, 15, 0, tzinfo=UTC)
    assert str(event["uid"]).startswith(f"bijeenkomst-{bijeenkomst.pk}@")
    assert str(event["summary"]) == "Symposium: werelden verbinden"


def test_text_with_separators_and_long_lines_survives_a_round_trip():
    beschrijving = "Ede, Gelderland; zaal 1\\2\nhal. " + "Één sociale kwaliteit " * 10
    bijeenkomst = BijeenkomstFactory(beschrijving=beschrijving)

    data = calendar_for([bijeenkomst])

    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    _calendar, [event] = events(data)
    assert str(event["description"]) == beschrijving


def test_the_online_link_is_only_in_the_attendees_calendar():
    bijeenkomst = BijeenkomstFactory(online_link="https://meet.example.org/webinar")
    aanmelding = AanmeldingFactory(bijeenkomst=bijeenkomst)

    _calendar, [public] = events(calendar_for([bijeenkomst]))
    _calendar, [attendee] = events(invitation_for(aanmelding))

    assert "meet.example.org" not in str(public["description"])
    assert "meet.example.org/webinar" in str(attendee["description"])


def test_an_attendees_invitation_is_a_request_and_becomes_a_cancel_with_the_same_uid():
    bijeenkomst = BijeenkomstFactory()
    aanmelding = AanmeldingFactory(bijeenkomst=bijeenkomst, email="ina@example.org")

    request, [before] = events(invitation_for(aanmelding))
    bijeenkomst.status = Bijeenkomst.Status.GEANNULEERD
    bijeenkomst.ics_volgnummer = 1
    cancel, [after] = events(invitation_for(aanmelding))

    assert (request["method"], cancel["method"]) == ("REQUEST", "CANCEL")
    assert before["uid"] == after["uid"]
    assert (before["sequence"], after["sequence"]) == (0, 1)
    assert str(after["status"]) == "CANCELLED"
    assert str(before["attendee"]) == "mailto:ina@example.org"
