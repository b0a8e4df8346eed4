"""iCalendar (RFC 5545 / 5546) for bijeenkomsten, made with the icalendar package.

The public feed and a bijeenkomst's download are METHOD:PUBLISH. An attendee's mail carries
an invitation (METHOD:REQUEST) with the same UID for every version of a bijeenkomst and its
SEQUENCE (`Bijeenkomst.ics_volgnummer`), so a changed time or place updates the event in
their calendar, and METHOD:CANCEL removes it when the bijeenkomst is called off.
"""

from collections.abc import Iterable, Sequence
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event, vCalAddress, vText
from icalendar.parser import Contentline

from bijeenkomsten.models import Aanmelding, Bijeenkomst

PRODID = "-//Werkplaats Sociaal Domein Arnhem Nijmegen//Bijeenkomsten//NL"


def uid_for(bijeenkomst: Bijeenkomst) -> str:
    return f"bijeenkomst-{bijeenkomst.pk}@{urlsplit(settings.SITE_URL).hostname}"


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _event(bijeenkomst: Bijeenkomst, *, include_online_link: bool, stamp) -> Event:
    event = Event()
    event.add("uid", uid_for(bijeenkomst))
    event.add("dtstamp", stamp)
    event.add("sequence", bijeenkomst.ics_volgnummer)
    event.add("dtstart", bijeenkomst.start)
    event.add("dtend", bijeenkomst.eind)
    event.add("summary", bijeenkomst.titel)
    description = "\n\n".join(
        part for part in [bijeenkomst.beschrijving, programma_tekst(bijeenkomst)] if part
    )
    if include_online_link and bijeenkomst.online_link:
        description = f"{description}\n\nOnline: {bijeenkomst.online_link}".strip()
    event.add("description", description)
    event.add("url", settings.SITE_URL + bijeenkomst.get_absolute_url())
    location = bijeenkomst.locatie or ("Online" if bijeenkomst.online_link else "")
    if location:
        event.add("location", location)
    cancelled = bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def programma_tekst(bijeenkomst: Bijeenkomst) -> str:
    """The programme as plain text for a calendar's description: time, title, room, and
    a ronde's deelsessies indented under it (`bijeenkomst.programma` may be prefetched)."""
    lines = []
    items = sorted(bijeenkomst.programma.all(), key=lambda item: (item.start, item.pk))
    by_ronde = {}
    for item in items:
        if item.ronde_id is not None:
            by_ronde.setdefault(item.ronde_id, []).append(item)
    for item in items:
        if item.ronde_id is not None:
            continue
        local_start, local_end = timezone.localtime(item.start), timezone.localtime(item.eind)
        zaal = f" ({item.zaal})" if item.zaal else ""
        lines.append(f"{local_start:%H:%M}–{local_end:%H:%M} {item.titel}{zaal}")
        lines.extend(
            f"  - {sessie.titel}" + (f" ({sessie.zaal})" if sessie.zaal else "")
            for sessie in by_ronde.get(item.pk, [])
        )
    if not lines:
        return ""
    return "\n".join([gettext("Programma"), *lines])


def calendar_for(
    bijeenkomsten: Iterable[Bijeenkomst], *, include_online_link: bool = False
) -> bytes:
    """A published calendar with one event per bijeenkomst: the feed and the downloads."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", "Bijeenkomsten Werkplaats Sociaal Domein")
    stamp = timezone.now()
    for bijeenkomst in bijeenkomsten:
        calendar.add_component(
            _event(bijeenkomst, include_online_link=include_online_link, stamp=stamp)
        )
    return calendar.to_ical()


def invitation_for(aanmelding: Aanmelding) -> bytes:
    """The attendee's own event: REQUEST while it goes ahead, CANCEL once it is called off."""
    return invitations_for(aanmelding.bijeenkomst, [aanmelding])[0]


def invitations_for(bijeenkomst: Bijeenkomst, aanmeldingen: Sequence[Aanmelding]) -> list[bytes]:
    """`invitation_for()` of each of `aanmeldingen` of one bijeenkomst, in their order.

    The calendar is made once and only each attendee's own ATTENDEE line is added to it:
    a whole calendar per person took 2 ms, which an import of thousands spends under its
    lock. The line is made by icalendar, so its escaping and folding are the package's own.
    """
    cancelled = bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    event = _event(bijeenkomst, include_online_link=True, stamp=timezone.now())
    organizer_name, organizer_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{organizer_address}")
    organizer.params["cn"] = vText(organizer_name or organizer_address)
    event.add("organizer", organizer)
    calendar.add_component(event)
    before, end_of_event, after = calendar.to_ical().partition(b"END:VEVENT\r\n")
    partstat = "DECLINED" if cancelled else "ACCEPTED"
    return [
        before + _attendee_line(aanmelding, partstat) + end_of_event + after
        for aanmelding in aanmeldingen
    ]


def _attendee_line(aanmelding: Aanmelding, partstat: str) -> bytes:
    attendee = vCalAddress(f"mailto:{aanmelding.email}")
    attendee.params["cn"] = vText(aanmelding.naam)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText(partstat)
    line = Contentline.from_parts("ATTENDEE", attendee.params, attendee.to_ical().decode())
    return line.to_ical() + b"\r\n"
