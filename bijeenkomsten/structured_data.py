"""A bijeenkomst as a schema.org `Event` (https://schema.org/Event), for search engines and
agenda tools that read a page's JSON-LD. Only what the page shows to everyone: never the
online link, which only registrants get (see ics.py)."""

from bijeenkomsten.models import Bijeenkomst
from werkplaats.mail_links import absolute_url

ORGANISER = "Werkplaats Sociaal Domein Arnhem Nijmegen"


def _attendance_mode(bijeenkomst: Bijeenkomst) -> str:
    on_site = bool(bijeenkomst.locatie_naam or bijeenkomst.locatie_plaats)
    if bijeenkomst.is_online and on_site:
        return "https://schema.org/MixedEventAttendanceMode"
    if bijeenkomst.is_online:
        return "https://schema.org/OnlineEventAttendanceMode"
    return "https://schema.org/OfflineEventAttendanceMode"


def event_json_ld(bijeenkomst: Bijeenkomst, *, plaatsen_vrij: int | None) -> dict:
    url = absolute_url(bijeenkomst.get_absolute_url())
    cancelled = bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD
    locations = []
    if bijeenkomst.locatie_naam or bijeenkomst.locatie_plaats:
        locations.append(
            {
                "@type": "Place",
                "name": bijeenkomst.locatie_naam or bijeenkomst.locatie_plaats,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": bijeenkomst.locatie_adres,
                    "addressLocality": bijeenkomst.locatie_plaats,
                    "addressCountry": "NL",
                },
            }
        )
    if bijeenkomst.is_online:
        # The page registrants start from, not the meeting link itself.
        locations.append({"@type": "VirtualLocation", "url": url})
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": bijeenkomst.titel,
        "description": bijeenkomst.beschrijving,
        "startDate": bijeenkomst.start.isoformat(),
        "endDate": bijeenkomst.eind.isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": _attendance_mode(bijeenkomst),
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {"@type": "Organization", "name": ORGANISER},
        "isAccessibleForFree": True,
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": 0,
            "priceCurrency": "EUR",
            "availability": "https://schema.org/SoldOut"
            if plaatsen_vrij == 0
            else "https://schema.org/InStock",
        },
    }
    return {key: value for key, value in data.items() if value not in ("", [], None)}
