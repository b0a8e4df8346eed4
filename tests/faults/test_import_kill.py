"""Scenario 6: `run_import` killed halfway through 5,000 rows: all or nothing, the Import
shows a state the coördinator can act on, and the retry (the periodic sweep) imports once.
And an Import whose task fails on a bug does not stay "wacht op verwerking" for ever."""

import time

import pytest
from django.db import connection

from bijeenkomsten import services
from bijeenkomsten.imports import ImportRow
from bijeenkomsten.models import Aanmelding, Import
from bijeenkomsten.services.importing import IMPORT_BUG_MESSAGE
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.faults.conftest import report, wait_until
from tests.faults.sink import FaultySink
from tests.netwerk.factories import make_coordinator
from werkplaats.celery import app

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

ROWS = 5000
IS = Import.Status


def _import_transaction_seconds() -> float:
    """How long the oldest open transaction of another connection (the worker's) has run."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(MAX(EXTRACT(EPOCH FROM now() - xact_start)), 0) "
            "FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
        )
        return float(cursor.fetchone()[0])


def test_an_import_killed_halfway_registers_nobody_and_its_retry_registers_everyone_once(
    workers,
):
    started = time.monotonic()
    bijeenkomst = BijeenkomstFactory(titel="Groot symposium", capaciteit=4000)
    coordinator = make_coordinator()
    rows = [
        ImportRow(number=n + 2, naam=f"Deelnemer {n}", email=f"deelnemer{n}@example.org")
        for n in range(ROWS)
    ]
    with FaultySink() as sink:
        env = {"IMPORT_STUCK_AFTER_MINUTES": 0}
        first = workers.start(sink, **env)
        job = services.queue_import(
            bijeenkomst=bijeenkomst, door=coordinator, token="storing-groot", rows=rows
        )
        wait_until(lambda: _import_transaction_seconds() > 1.0, timeout=60, what="import running")
        running = _import_transaction_seconds()
        first.kill()
        killed = {
            "registered": Aanmelding.objects.filter(bijeenkomst=bijeenkomst).count(),
            "status": Import.objects.get(pk=job.pk).status,
        }

        # A bug: rows the service cannot read.
        buggy = Import.objects.create(
            bijeenkomst=bijeenkomst, door=coordinator, token="storing-fout", rijen=[{"x": 1}],
            aantal=1,
        )  # fmt: skip
        workers.start(sink, **env)
        # The periodic sweep, twice at once (two beats): the import is run again, once.
        app.send_task("bijeenkomsten.tasks.resume_stuck_imports")
        app.send_task("bijeenkomsten.tasks.resume_stuck_imports")
        wait_until(
            lambda: (
                Import.objects.filter(pk__in=[job.pk, buggy.pk], status=IS.WACHTRIJ).count() == 0
            ),
            timeout=180,
            what="both imports settled",
        )
    job.refresh_from_db()
    buggy.refresh_from_db()
    registered = Aanmelding.objects.filter(bijeenkomst=bijeenkomst)
    emails = list(registered.values_list("email", flat=True))
    lost = ROWS - len(set(emails))
    doubled = len(emails) - len(set(emails))
    report(
        "6. run_import killed halfway through 5,000 rows; an import failing on a bug",
        [
            ("import running when killed (s)", ">1", f"{running:.1f}"),
            ("registered when killed", 0, killed["registered"]),
            ("import when killed", IS.WACHTRIJ, killed["status"]),
            ("import after the sweep", IS.KLAAR, job.status),
            ("registered after the retry", ROWS, len(emails)),
            ("lost", 0, lost),
            ("doubled", 0, doubled),
            ("counted bevestigd+wachtlijst", ROWS, job.bevestigd + job.wachtlijst),
            ("import with a bug", IS.MISLUKT, buggy.status),
        ],
        time.monotonic() - started,
    )
    assert killed == {"registered": 0, "status": IS.WACHTRIJ}
    assert job.status == IS.KLAAR
    assert lost == 0
    assert doubled == 0
    assert job.bevestigd + job.wachtlijst == ROWS
    assert buggy.status == IS.MISLUKT
    assert buggy.melding == str(IMPORT_BUG_MESSAGE)
