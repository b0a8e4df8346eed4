"""Scenario 4: PostgreSQL restarted during a registration rush and browsing.

A real gunicorn (DEBUG off, the production connection settings: CONN_MAX_AGE 60 with health
checks) and a real Celery worker run on the fault suite's throwaway PostgreSQL. Guests
confirm their links at a steady rate while visitors browse and a probe asks /healthz; the
server is stopped (fast shutdown: open transactions roll back, every session ends) while
that goes on and started again a few seconds later. Requests in flight must fail with a
clear page of ours, the next ones succeed without restarting gunicorn or Celery, /healthz
is 503 while the database is away and 200 after, and the capacity holds. Guests who got an
error page try once more, as a person would.
"""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

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
GUESTS = 120
CAPACITY = 30
PER_SECOND = 8  # guests arriving, over 15 s; the database goes away after DOWN_AFTER s
DOWN_AFTER = 4
DOWN_SECONDS = 3
# What a page of ours says: the 503 of a database that is away, and the general 500.
OUR_PAGES = ("Tijdelijk niet bereikbaar", "Er ging iets mis")


def _kind(status: int, body: str) -> str:
    if status == 0:
        return "no answer"
    if status < 400:
        return "ok"
    if any(text in body for text in OUR_PAGES) and 'lang="nl"' in body:
        return f"{status} page of ours"
    return f"{status} other"


def test_postgres_restarted_during_a_rush_fails_clearly_then_serves_again_and_capacity_holds(
    workers, gunicorn, throwaway_postgres
):
    started = time.monotonic()
    bijeenkomst = BijeenkomstFactory(titel="Herstart", capaciteit=CAPACITY, wachtlijst_open=True)
    links = guest_links(bijeenkomst, GUESTS, "herstart")  # link mails sent eagerly, not counted
    with FaultySink() as sink:
        worker = workers.start(sink, DATABASE_CONN_MAX_AGE=60)
        server = gunicorn.start(workers=2)
        pids = server.worker_pids()
        forms = [open_form(server, path) for _, path in links]
        detail = bijeenkomst.get_absolute_url()

        answered = []  # (guest index, status, kind, time)
        browsing, probes = Counter(), []  # kind → count; (time, status)
        done = threading.Event()
        down = {}

        def guest(index):
            time.sleep(max(0.0, rush_start + index / PER_SECOND - time.monotonic()))
            sent = time.monotonic()
            status, body = confirm(server, links[index][1], forms[index])
            answered.append((index, status, _kind(status, body), sent))

        def browse():
            while not done.is_set():
                for path in (detail, "/bijeenkomsten/", "/"):
                    status, body, _ = server.get(path, timeout=30)
                    browsing[_kind(status, body)] += 1
                time.sleep(0.05)

        def probe():
            while not done.is_set():
                sent = time.monotonic()
                status, _, _ = server.get("/healthz", timeout=10)
                probes.append((sent, time.monotonic(), status))
                time.sleep(0.1)

        helpers = [threading.Thread(target=browse), threading.Thread(target=probe)]
        for thread in helpers:
            thread.start()
        rush_start = time.monotonic()
        with ThreadPoolExecutor(max_workers=12) as pool:
            rush = [pool.submit(guest, index) for index in range(GUESTS)]
            time.sleep(DOWN_AFTER)
            down["from"] = time.monotonic()
            throwaway_postgres.stop()
            down["stopped"] = time.monotonic()
            time.sleep(DOWN_SECONDS)
            down["starting"] = time.monotonic()
            throwaway_postgres.start()
            down["until"] = time.monotonic()
            connection.close()  # this process's connection died with the server
            for future in rush:
                future.result()
        wait_until(lambda: probes and probes[-1][2] == 200, timeout=30, what="/healthz 200 again")
        healthz_back = (
            min(done for sent, done, status in probes if sent > down["starting"] and status == 200)
            - down["until"]
        )
        done.set()
        for thread in helpers:
            thread.join()

        first = {index: (status, kind) for index, status, kind, _ in answered}
        # Sent once the server was back: these must simply succeed.
        after = [status for _, status, _, sent in answered if sent > down["until"]]
        failed_after = sum(not 200 <= status < 400 for status in after)
        failed = [index for index, (status, _) in first.items() if not 200 <= status < 400]
        rows_now = set(
            Aanmelding.objects.filter(bijeenkomst=bijeenkomst).values_list("email", flat=True)
        )
        committed_behind_error = [i for i in failed if links[i][0] in rows_now]
        # Those who got an error page try again, once, as a person would.
        retried = {index: confirm(server, links[index][1], forms[index]) for index in failed}
        retry_ok = sum(200 <= status < 400 for status, _ in retried.values())

        # The confirmations: the worker kept working across the restart.
        settle_outbox()
        time.sleep(1)
        received = dict(sink.received)
        unsettled = unsettled_mail()
        onbekend = set(
            OutboxMessage.objects.filter(status=OutboxMessage.Status.ONBEKEND).values_list(
                "to", flat=True
            )
        )
        worker_alive = worker.process.poll() is None
        same_workers = server.worker_pids() == pids and server.process.poll() is None

    aanmeldingen = Aanmelding.objects.filter(bijeenkomst=bijeenkomst)
    per_email = Counter(email.lower() for email in aanmeldingen.values_list("email", flat=True))
    bevestigd = aanmeldingen.filter(status=A.BEVESTIGD).count()
    orders = list(
        aanmeldingen.filter(status=A.WACHTLIJST)
        .order_by("wachtlijst_volgorde")
        .values_list("wachtlijst_volgorde", flat=True)
    )
    gapless = orders == list(range(1, len(orders) + 1))
    succeeded = {i for i, (status, _) in first.items() if 200 <= status < 400}
    succeeded |= {i for i, (status, _) in retried.items() if 200 <= status < 400}
    success_without_row = sum(per_email[links[i][0]] != 1 for i in succeeded)
    lost = sum(per_email[email] == 0 for email, _ in links)
    doubled = sum(n > 1 for n in per_email.values())
    kinds = Counter(kind for _, kind in first.values())
    unclear = sum(n for kind, n in kinds.items() if kind.endswith("other"))
    unclear += sum(n for kind, n in browsing.items() if kind.endswith("other"))
    no_answer = kinds["no answer"] + browsing["no answer"]
    while_down = [
        s for sent, done, s in probes if down["stopped"] <= sent and done <= down["starting"]
    ]
    mail_lost = sum(received.get(e, 0) == 0 and e not in onbekend for e in per_email)
    mail_doubled = sum(received.get(email, 0) > 1 for email in per_email)
    report(
        "4. PostgreSQL restarted during a registration rush and browsing",
        [
            ("guests / places", f"{GUESTS}/{CAPACITY}", f"{GUESTS}/{CAPACITY}"),
            ("database away (s)", f"~{DOWN_SECONDS}", round(down["until"] - down["from"], 1)),
            *[(f"first try: {kind}", "", n) for kind, n in sorted(kinds.items())],
            *[(f"browsing: {kind}", "", n) for kind, n in sorted(browsing.items())],
            ("error, not a page of ours", 0, unclear),
            (f"sent after restart ({len(after)}): failed", 0, failed_after),
            ("no answer (reset)", 0, no_answer),
            ("error page, yet committed", "0-1", len(committed_behind_error)),
            ("retries after the restart ok", len(failed) - len(committed_behind_error), retry_ok),
            ("/healthz 503 while away", ">0", while_down.count(503)),
            ("/healthz 200 while away", 0, while_down.count(200)),
            ("/healthz 200 after started (s)", "<5", round(healthz_back, 1)),
            ("gunicorn, Celery restarted", "no", "no" if same_workers and worker_alive else "YES"),
            ("bevestigd", CAPACITY, bevestigd),
            ("wachtlijst, gapless", f"{GUESTS - CAPACITY}, yes",
             f"{len(orders)}, {'yes' if gapless else 'NO'}"),
            ("success answer without its row", 0, success_without_row),
            ("guests lost", 0, lost),
            ("guests doubled", 0, doubled),
            ("confirmation mails lost", 0, mail_lost),
            ("confirmation mails onbekend", "0-1", len(onbekend)),
            ("mail still queued/sending", 0, sum(unsettled.values())),
            ("confirmation mails doubled", 0, mail_doubled),
        ],
        time.monotonic() - started,
    )  # fmt: skip
    assert bevestigd == CAPACITY
    assert gapless
    assert len(orders) == GUESTS - CAPACITY
    assert success_without_row == 0
    assert lost == 0
    assert doubled == 0
    assert retry_ok == len(failed) - len(committed_behind_error)
    assert unclear == 0
    assert after
    assert failed_after == 0
    assert while_down.count(503) > 0
    assert while_down.count(200) == 0
    assert same_workers
    assert worker_alive
    assert mail_lost == 0
    assert mail_doubled == 0
    assert not unsettled
    assert len(onbekend) <= 1  # one solo worker: one SMTP conversation in flight
