"""Benchmark: a 5,000-row CSV is checked and imported through the coördinator's pages in
under 10 seconds on PostgreSQL. Not part of the default run:
`bash scripts/test.sh tests/perf/test_import_at_scale.py -s`.

The confirmation only queues the import; the task that registers the rows runs here in
this process, as the worker would run it. It prints the wall time of each step, the CPU
time of this process and the queries per row, so a slow figure on a busy machine can be
told apart from a slow import. The mails' delivery (and the QR codes drawn for it) is the
worker's later work and not part of the figure.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Handeling, Import
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db

ROWS = 5_000
CAPACITY = 4_000
LIMIT_SECONDS = 10


def attendee_csv(rows: int) -> bytes:
    """What Excel writes: a BOM, semicolons, accents, a quoted field with a separator."""
    lines = ["\ufeffNaam;E-mailadres;Organisatie;Functie;Opmerkingen"]
    lines += [
        f'Deelnemer {n} Öztürk-Janssen;deelnemer{n}@example.org;"Buurtteam {n % 40}; Oost";'
        "Wijkcoach;Vegetarisch, graag"
        for n in range(rows)
    ]
    return "\r\n".join(lines).encode("utf-8")


class Stopwatch:
    def __init__(self):
        self.queries = 0

    def count(self, execute, *args):
        self.queries += 1
        return execute(*args)

    def __enter__(self):
        self.wall, self.cpu = time.monotonic(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.monotonic() - self.wall
        self.cpu = time.process_time() - self.cpu


def test_a_5000_row_csv_is_checked_and_imported_in_under_10_seconds(
    client, django_capture_on_commit_callbacks
):
    bijeenkomst = BijeenkomstFactory(slug="groot-symposium", capaciteit=CAPACITY)
    client.force_login(make_coordinator())
    upload = attendee_csv(ROWS)

    with Stopwatch() as checking, connection.execute_wrapper(checking.count):
        checked = client.post(
            reverse("bijeenkomsten:importeren", args=[bijeenkomst.slug]),
            {"bestand": SimpleUploadedFile("deelnemers.csv", upload, content_type="text/csv")},
        )
        preview = client.get(checked.url)
    with django_capture_on_commit_callbacks() as queued, Stopwatch() as confirming:
        confirmed = client.post(checked.url + "bevestigen/")
    with (
        Stopwatch() as importing,
        connection.execute_wrapper(importing.count),
        django_capture_on_commit_callbacks() as after_commit,
    ):
        job = services.run_import(import_id=Import.objects.get().pk)

    total = checking.wall + confirming.wall + importing.wall
    print(
        f"\n{ROWS} rows ({len(upload) // 1024} KiB): checked in {checking.wall:.2f} s "
        f"({checking.queries} queries), confirmed (queued) in {confirming.wall:.2f} s, "
        f"imported in {importing.wall:.2f} s (CPU {importing.cpu:.2f} s, "
        f"{importing.queries} queries, {len(after_commit)} mail deliveries queued after "
        f"commit); total {total:.2f} s"
    )
    assert preview.status_code == 200
    assert confirmed.status_code == 302
    assert len(queued) == 1
    assert job.status == Import.Status.KLAAR
    statuses = list(bijeenkomst.aanmeldingen.values_list("status", flat=True))
    assert statuses.count(Aanmelding.Status.BEVESTIGD) == CAPACITY
    assert statuses.count(Aanmelding.Status.WACHTLIJST) == ROWS - CAPACITY
    assert OutboxMessage.objects.count() == ROWS
    assert Handeling.objects.get().soort == Handeling.Soort.GEIMPORTEERD
    assert total < LIMIT_SECONDS
