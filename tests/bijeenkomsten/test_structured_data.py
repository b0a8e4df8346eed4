"""A bijeenkomst page describes the event in schema.org JSON-LD for search engines and
agenda tools, without the online link that only registrants get."""

import json
import re

import pytest

from bijeenkomsten.models import Bijeenkomst
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory

pytestmark = pytest.mark.django_db


def _json_ld(response) -> dict:
    html = response.content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def test_a_bijeenkomst_page_describes_an_event_with_its_time_and_place(client):
    bijeenkomst = BijeenkomstFactory(titel="Landelijk symposium", locatie_adres="Kapittelweg 33")
    data = _json_ld(client.get(bijeenkomst.get_absolute_url()))
    assert data["@type"] == "Event"
    assert data["name"] == "Landelijk symposium"
    assert data["startDate"] == bijeenkomst.start.isoformat()
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["address"]["addressLocality"] == "Nijmegen"
    assert data["offers"]["availability"] == "https://schema.org/InStock"


def test_the_online_link_is_never_in_the_public_json_ld(client):
    bijeenkomst = BijeenkomstFactory(online_link="https://meet.example.org/geheim-123")
    response = client.get(bijeenkomst.get_absolute_url())
    data = _json_ld(response)
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert "geheim-123" not in response.content.decode()


def test_a_full_bijeenkomst_is_sold_out_and_a_cancelled_one_says_so(client):
    vol = BijeenkomstFactory(capaciteit=1)
    AanmeldingFactory(bijeenkomst=vol)
    assert _json_ld(client.get(vol.get_absolute_url()))["offers"]["availability"].endswith(
        "SoldOut"
    )
    afgelast = BijeenkomstFactory(status=Bijeenkomst.Status.GEANNULEERD)
    assert _json_ld(client.get(afgelast.get_absolute_url()))["eventStatus"].endswith(
        "EventCancelled"
    )
