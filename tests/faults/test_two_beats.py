"""Scenario 7: two beat processes by mistake. Both fire every periodic task at the same tick,
two real workers take the copies at once: every task still acts exactly once.

The two beats are emulated by what they send: each schedule entry's task sent twice at the
same moment from two threads, as two `celery beat` processes do at a tick (real beats would
have to wait for their crontab minutes: hours, for the hourly and daily tasks).
"""

import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from bijeenkomsten.models import Aanmelding, Quotum
from netwerk.models import Abonnement, OutboxMessage
from nieuwsbrief import services as nieuwsbrief_services
from nieuwsbrief.models import Bezorging, Editie
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.faults.conftest import report, wait_until
from tests.faults.sink import FaultySink
from tests.netwerk.factories import make_coordinator
from werkplaats.celery import app

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

A = Aanmelding.Status
BEATS = 2
SUBSCRIBERS = 50


def _world(now):
    """Work for each periodic task; returns address → mails it must receive (once each)."""
    expected = {}
    # The day-before reminder: three attendees of a bijeenkomst tomorrow.
    morgen = BijeenkomstFactory(titel="Morgen", start=now + timedelta(hours=20))
    for naam in ["anna", "bram", "cor"]:
        AanmeldingFactory(bijeenkomst=morgen, email=f"{naam}@example.org", naam=naam)
        expected[f"{naam}@example.org"] = "herinnering"
    # Offer expiry: the place passes from Olga to Wim, Zus waits on.
    vol = BijeenkomstFactory(titel="Vol", capaciteit=1)
    AanmeldingFactory(
        bijeenkomst=vol, email="olga@example.org", status=A.AANGEBODEN,
        aanbod_tot=now - timedelta(minutes=1), wachtlijst_volgorde=1,
    )  # fmt: skip
    AanmeldingFactory(
        bijeenkomst=vol, email="wim@example.org", status=A.WACHTLIJST, wachtlijst_volgorde=2
    )
    AanmeldingFactory(
        bijeenkomst=vol, email="zus@example.org", status=A.WACHTLIJST, wachtlijst_volgorde=3
    )
    expected |= {"olga@example.org": "verlopen", "wim@example.org": "aanbod"}
    # Reserved places whose date passed: two places open, offered to the first two waiting.
    gereserveerd = BijeenkomstFactory(titel="Gereserveerd", capaciteit=3)
    Quotum.objects.create(bijeenkomst=gereserveerd, aantal=2, tot=now - timedelta(hours=1))
    AanmeldingFactory(bijeenkomst=gereserveerd, email="eerste@example.org")
    for n in range(3):
        AanmeldingFactory(
            bijeenkomst=gereserveerd, email=f"wacht{n}@example.org", status=A.WACHTLIJST,
            wachtlijst_volgorde=n + 1,
        )  # fmt: skip
    expected |= {"wacht0@example.org": "aanbod", "wacht1@example.org": "aanbod"}
    # Edition start: a planned edition whose time has come.
    editie = nieuwsbrief_services.compose_edition(door=make_coordinator())
    nieuwsbrief_services.update_edition(editie=editie, titel="Gepland", voorwoord="Tekst.")
    Abonnement.objects.bulk_create(
        [Abonnement(email=f"abonnee{n}@example.org") for n in range(SUBSCRIBERS)]
    )
    nieuwsbrief_services.send_edition(
        editie=editie, doelgroep="alle", verzenden_op=now + timedelta(hours=1)
    )
    Editie.objects.filter(pk=editie.pk).update(verzenden_op=now - timedelta(minutes=1))
    expected |= {f"abonnee{n}@example.org": "editie" for n in range(SUBSCRIBERS)}
    return expected, editie


def _fire_every_periodic_task_from_two_beats():
    names = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    start = threading.Barrier(BEATS)

    def beat():
        start.wait()
        for name in names:
            app.send_task(name)

    threads = [threading.Thread(target=beat) for _ in range(BEATS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return names


def _settled(editie) -> bool:
    busy = OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING]
    ).exists()
    return not busy and Editie.objects.get(pk=editie.pk).status == Editie.Status.VERZONDEN


def test_two_beats_fire_every_periodic_task_twice_and_each_acts_once(workers):
    started = time.monotonic()
    expected, editie = _world(timezone.now())
    with FaultySink() as sink:
        for _ in range(BEATS):
            workers.start(sink, NIEUWSBRIEF_MAILS_PER_SECOND=0)
        names = _fire_every_periodic_task_from_two_beats()
        wait_until(lambda: _settled(editie), timeout=180, what="every task done, mail settled")
        time.sleep(2)  # a late double would arrive now
        received = dict(sink.received)

    kinds = sorted(set(expected.values()))
    rows = [("periodic tasks fired", f"{len(names)}×{BEATS}", f"{len(names)}×{BEATS}")]
    lost = doubled = 0
    for kind in kinds:
        addresses = [address for address, k in expected.items() if k == kind]
        got = [received.get(address, 0) for address in addresses]
        kind_lost, kind_doubled = sum(n == 0 for n in got), sum(n > 1 for n in got)
        lost, doubled = lost + kind_lost, doubled + kind_doubled
        rows += [
            (f"{kind}: received once", len(addresses), sum(n == 1 for n in got)),
            (f"{kind}: lost", 0, kind_lost),
            (f"{kind}: doubled", 0, kind_doubled),
        ]
    strangers = {address: n for address, n in received.items() if address not in expected}
    onbekend = Bezorging.objects.filter(status=Bezorging.Status.ONBEKEND).count()
    onbekend += OutboxMessage.objects.filter(status=OutboxMessage.Status.ONBEKEND).count()
    states = {
        "olga verlopen": Aanmelding.objects.filter(email="olga@example.org", status=A.VERLOPEN),
        "wim aangeboden": Aanmelding.objects.filter(email="wim@example.org", status=A.AANGEBODEN),
        "zus wachtlijst": Aanmelding.objects.filter(email="zus@example.org", status=A.WACHTLIJST),
        "wacht2 wachtlijst": Aanmelding.objects.filter(
            email="wacht2@example.org", status=A.WACHTLIJST
        ),
    }
    rows += [(name, 1, query.count()) for name, query in states.items()]
    rows += [("mail nobody was owed", 0, len(strangers)), ("onbekend (unknown)", 0, onbekend)]
    report(
        "7. two beat processes: every periodic task twice at once", rows, time.monotonic() - started
    )
    assert lost == 0
    assert doubled == 0
    assert not strangers
    assert onbekend == 0
    assert all(query.count() == 1 for query in states.values())
