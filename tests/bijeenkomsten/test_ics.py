from datetime import UTC, datetime

import pytest

from bijeenkomsten.ics import calendar_for, escape_text, fold
from tests.bijeenkomsten.factories import BijeenkomstFactory

pytestmark = pytest.mark.django_db


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_the_calendar_uses_crlf_utc_times_and_a_stable_uid():
    bijeenkomst = BijeenkomstFactory(
        titel="Symposium: werelden verbinden",
        start=datetime(2026, 6, 6, 8, 30, tzinfo=UTC),
        eind=datetime(2026, 6, 6, 15, 0, tzinfo=UTC),
    )

    text = calendar_for([bijeenkomst]).decode()

    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART:20260606T083000Z\r\n" in text
    assert "DTEND:20260606T150000Z\r\n" in text
    assert f"UID:bijeenkomst-{bijeenkomst.pk}@" in text
    assert calendar_for([bijeenkomst]).decode().count("BEGIN:VEVENT") == 1


def test_text_values_are_escaped():
    assert (
        escape_text("Ede, Gelderland; zaal 1\\2\nhal") == "Ede\\, Gelderland\\; zaal 1\\\\2\\nhal"
    )


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "Één sociale kwaliteit " * 10

    folded = fold(line)

    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert unfold(folded) == line


def test_the_online_link_is_only_in_the_attendees_calendar():
    bijeenkomst = BijeenkomstFactory(online_link="https://meet.example.org/webinar")

    public = unfold(calendar_for([bijeenkomst]).decode())
    attendee = unfold(calendar_for([bijeenkomst], include_online_link=True).decode())
    assert "meet.example.org" not in public
    assert "meet.example.org/webinar" in attendee
