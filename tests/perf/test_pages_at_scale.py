"""Benchmarks on `seed_demo --scale 100` data; not part of the default run:
`bash scripts/test.sh tests/perf -s`."""

import io
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from netwerk.models import Persoon

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/leerateliers/",
    "/leerateliers/?voorwaarde=sociale-cohesie&status=actief",
    "/leerateliers/armoede/",
    "/themas/",
    "/themas/samenwerken/",
    "/netwerk/",
    "/netwerk/?soort=gemeente&rol=arena&leeratelier=armoede",
    "/netwerk/?q=synthetische",
    "/netwerk/stichting-buurtkracht/",
    "/mijn/",
    "/updates/",
    "/updates/?thema=samenwerken",
    "/updates/feed/",
    "/bijeenkomsten/",
    "/bijeenkomsten/?soort=symposium",
    "/bijeenkomsten/agenda.ics",
]


def test_the_pages_stay_fast_and_flat_at_scale_100(client):
    started = time.monotonic()
    call_command("seed_demo", "--scale", "100", stdout=io.StringIO())
    print(f"\nseed_demo --scale 100: {time.monotonic() - started:.1f} s")
    client.force_login(Persoon.objects.get(email="trekker.jip@example.org"))
    for url in PAGES:
        client.get(url)  # warm up
        with CaptureQueriesContext(connection) as queries:
            started = time.monotonic()
            response = client.get(url)
            elapsed = time.monotonic() - started
        print(f"{url:60} {elapsed * 1000:7.1f} ms {len(queries):3} queries")
        assert response.status_code == 200
        assert len(queries) <= 15
        assert elapsed < 1.0
