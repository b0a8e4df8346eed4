"""Benchmark: the dashboard of a bijeenkomst with 2,000 registrations renders in under
300 ms. Not part of the default run:
`bash scripts/test.sh tests/perf/test_dashboard_at_scale.py -s`.

It prints the median of ten renders of each status group and of a search, with the
number of queries (which the unit tests keep equal for 20 and 2,000 registrations).
"""

import statistics
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten.models import Aanmelding, Handeling
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db

REGISTRATIONS = 2_000
LIMIT_MS = 300
S = Aanmelding.Status


def test_the_dashboard_of_2000_registrations_renders_in_under_300_ms(client):
    bijeenkomst = BijeenkomstFactory(slug="symposium", capaciteit=1_500)
    statuses = [S.BEVESTIGD] * 1_400 + [S.AANGEBODEN] * 100 + [S.WACHTLIJST] * 300
    statuses += [S.GEANNULEERD] * 150 + [S.VERLOPEN] * 50
    Aanmelding.objects.bulk_create(
        Aanmelding(
            bijeenkomst=bijeenkomst,
            naam=f"Deelnemer {n}",
            email=f"deelnemer{n}@example.org",
            organisatie=f"Organisatie {n % 40}",
            status=status,
            wachtlijst_volgorde=n if status == S.WACHTLIJST else None,
            aanbod_tot=timezone.now() + timedelta(days=1) if status == S.AANGEBODEN else None,
        )
        for n, status in enumerate(statuses)
    )
    coordinator = make_coordinator()
    Handeling.objects.bulk_create(
        Handeling(
            bijeenkomst=bijeenkomst,
            door=coordinator,
            soort=Handeling.Soort.CAPACITEIT,
            omschrijving=f"van {n} naar {n + 1}",
        )
        for n in range(200)
    )
    client.force_login(coordinator)
    url = reverse("bijeenkomsten:aanmeldingen", args=["symposium"])
    client.get(url)  # warm up the session and the template cache

    print(f"\n{'view':40} {'median ms':>10} {'queries':>8}")
    for params in [
        {},
        {"status": S.WACHTLIJST},
        {"status": S.AANGEBODEN},
        {"status": S.GEANNULEERD},
        {"status": S.BEVESTIGD, "zoek": "organisatie 7"},
    ]:
        timings = []
        for _ in range(10):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, params)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        median = statistics.median(timings)
        label = "&".join(f"{key}={value}" for key, value in params.items()) or "(bevestigd)"
        print(f"{label:40} {median:10.1f} {len(queries):8}")
        assert median < LIMIT_MS
