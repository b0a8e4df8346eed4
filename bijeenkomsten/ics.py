"""iCalendar (RFC 5545) for bijeenkomsten, written by hand: it is a small, strict format."""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from bijeenkomsten.models import Bijeenkomst

PRODID = "-//Werkplaats Sociaal Domein Arnhem Nijmegen//Bijeenkomsten//NL"


def escape_text(value: str) -> str:
    """TEXT values escape backslash, semicolon and comma, and carry newlines as \\n."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines start with a space
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(bijeenkomst: Bijeenkomst, *, include_online_link: bool, stamp: datetime) -> list[str]:
    url = settings.SITE_URL + bijeenkomst.get_absolute_url()
    description = bijeenkomst.beschrijving
    if include_online_link and bijeenkomst.online_link:
        description = f"{description}\n\nOnline: {bijeenkomst.online_link}".strip()
    lines = [
        "BEGIN:VEVENT",
        f"UID:bijeenkomst-{bijeenkomst.pk}@{settings.SITE_URL.split('://')[-1].split('/')[0]}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(bijeenkomst.start)}",
        f"DTEND:{utc(bijeenkomst.eind)}",
        f"SUMMARY:{escape_text(bijeenkomst.titel)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
    ]
    location = bijeenkomst.locatie or ("Online" if bijeenkomst.online_link else "")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD:
        lines.append("STATUS:CANCELLED")
    else:
        lines.append("STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar_for(
    bijeenkomsten: Iterable[Bijeenkomst], *, include_online_link: bool = False
) -> bytes:
    """A VCALENDAR with one VEVENT per bijeenkomst, CRLF line endings, UTF-8."""
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Bijeenkomsten Werkplaats Sociaal Domein",
    ]
    for bijeenkomst in bijeenkomsten:
        lines.extend(_event(bijeenkomst, include_online_link=include_online_link, stamp=stamp))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
