"""Scenario 5: a gunicorn worker killed during a 300-for-50 rush.

300 guests confirm their links for 50 places at once against a real gunicorn (3 sync
workers, DEBUG off) with a real Celery worker sending the confirmations. While the rush
goes on, a gunicorn worker that is serving a guest gets SIGKILL, twice: no response, no
rollback by Django; PostgreSQL sees the connection close and rolls back whatever that
request had open, and the master starts a new worker. Exactly 50 bevestigd, a gapless
wachtlijst, every guest who got an answer has exactly one row, and only the connections
the killed workers held go without an answer. Whether such a guest is registered (the
kill came after the commit) is counted and shown, not guessed.
"""

import os
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from bijeenkomsten.models import Aanmelding
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.faults.conftest import (
    confirm,
    guest_links,
    open_form,
    report,
    settle_outbox,
    unsettled_mail,
    wait_until,
)
from tests.faults.sink import FaultySink

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

A = Aanmelding.Status
GUESTS = 300
PLACES = 50
WORKERS = 3
KILL_AT = (60, 150)  # answers received when a worker is killed


def _kill_a_busy_worker(server) -> tuple[int, int]:
    """SIGKILL a worker that holds a client connection: (its pid, connections it held)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for pid in server.worker_pids():
            try:
                held = server.open_connections(pid)
            except FileNotFoundError:  # it just went
                continue
            if held:
                os.kill(pid, signal.SIGKILL)
                return pid, held
        time.sleep(0.005)
    raise AssertionError("no gunicorn worker was serving a guest")


def test_a_gunicorn_worker_killed_during_a_rush_loses_only_its_connections(workers, gunicorn):
    started = time.monotonic()
    bijeenkomst = BijeenkomstFactory(titel="Drukte", capaciteit=PLACES, wachtlijst_open=True)
    links = guest_links(bijeenkomst, GUESTS, "drukte")  # link mails sent eagerly, not counted
    with FaultySink() as sink:
        worker = workers.start(sink, DATABASE_CONN_MAX_AGE=60)
        server = gunicorn.start(workers=WORKERS)
        with ThreadPoolExecutor(max_workers=4) as pool:
            forms = list(pool.map(lambda link: open_form(server, link[1]), links))

        barrier = threading.Barrier(GUESTS + 1)
        answers = [None] * GUESTS
        answered = []

        def guest(index):
            barrier.wait()
            answers[index] = confirm(server, links[index][1], forms[index])[0]
            answered.append(index)

        threads = [threading.Thread(target=guest, args=(i,)) for i in range(GUESTS)]
        for thread in threads:
            thread.start()
        barrier.wait()
        rush_start = time.monotonic()
        kills = []
        for at in KILL_AT:
            wait_until(lambda at=at: len(answered) >= at, timeout=300, what="the rush going")
            kills.append(_kill_a_busy_worker(server))
        for thread in threads:
            thread.join()
        rush_seconds = time.monotonic() - rush_start
        wait_until(
            lambda: len(server.worker_pids()) == WORKERS and server.get("/healthz")[0] == 200,
            timeout=60,
            what="gunicorn serving with its workers again",
        )
        settle_outbox()
        received = dict(sink.received)
        unsettled = unsettled_mail()
        onbekend = set(
            OutboxMessage.objects.filter(status=OutboxMessage.Status.ONBEKEND).values_list(
                "to", flat=True
            )
        )
        worker_alive = worker.process.poll() is None

    statuses = Counter(answers)
    killed_connections = sum(held for _, held in kills)
    aanmeldingen = Aanmelding.objects.filter(bijeenkomst=bijeenkomst)
    per_email = Counter(email.lower() for email in aanmeldingen.values_list("email", flat=True))
    bevestigd = aanmeldingen.filter(status=A.BEVESTIGD).count()
    orders = list(
        aanmeldingen.filter(status=A.WACHTLIJST)
        .order_by("wachtlijst_volgorde")
        .values_list("wachtlijst_volgorde", flat=True)
    )
    gapless = orders == list(range(1, len(orders) + 1))
    success = [i for i, status in enumerate(answers) if 200 <= status < 400]
    no_answer = [i for i, status in enumerate(answers) if status == 0]
    other = [i for i, status in enumerate(answers) if status >= 400]
    success_not_one_row = sum(per_email[links[i][0]] != 1 for i in success)
    no_answer_registered = sum(per_email[links[i][0]] == 1 for i in no_answer)
    other_registered = sum(per_email[links[i][0]] > 0 for i in other)
    doubled = sum(n > 1 for n in per_email.values())
    mail_lost = sum(received.get(e, 0) == 0 and e not in onbekend for e in per_email)
    mail_doubled = sum(received.get(e, 0) > 1 for e in per_email)
    report(
        "5. gunicorn workers killed (SIGKILL) during a 300-for-50 rush",
        [
            ("guests / places", f"{GUESTS}/{PLACES}", f"{GUESTS}/{PLACES}"),
            ("workers killed", len(KILL_AT), len(kills)),
            ("connections they held", len(KILL_AT), killed_connections),
            *[(f"answered {status}", "", n) for status, n in sorted(statuses.items()) if status],
            ("guests without an answer", f"<={killed_connections}", len(no_answer)),
            ("  of them registered (committed)", "unknown", no_answer_registered),
            ("error page, yet registered", 0, other_registered),
            ("bevestigd", PLACES, bevestigd),
            ("wachtlijst, gapless", "yes", f"{len(orders)}, {'yes' if gapless else 'NO'}"),
            ("2xx/3xx without exactly 1 row", 0, success_not_one_row),
            ("rows doubled", 0, doubled),
            ("confirmation mails lost", 0, mail_lost),
            ("confirmation mails doubled", 0, mail_doubled),
            ("confirmation mails onbekend", "0-1", len(onbekend)),
            ("gunicorn workers again, Celery alive", f"{WORKERS}, yes",
             f"{len(server.worker_pids())}, {'yes' if worker_alive else 'NO'}"),
            ("rush (s)", "", round(rush_seconds, 1)),
        ],
        time.monotonic() - started,
    )  # fmt: skip
    assert len(no_answer) <= killed_connections
    assert bevestigd == PLACES
    assert gapless
    assert bevestigd + len(orders) == len(per_email)
    assert success_not_one_row == 0
    assert other_registered == 0
    assert doubled == 0
    assert mail_lost == 0
    assert mail_doubled == 0
    assert not unsettled
    assert len(onbekend) <= 1  # one solo worker: one SMTP conversation in flight
    assert worker_alive
