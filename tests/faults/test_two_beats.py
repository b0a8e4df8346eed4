"""Scenario 7: two beat processes by mistake. Both fire every periodic task at the same tick,
two real workers take the copies at once: every task still acts exactly once.

Work is waiting for each task that acts: the day-before reminder, an expired offer, reserved
places due, a planned edition, the weekly digest and the retention (old registrations,
old mails). What acted is counted three ways: the mail each address received, the rows'
states, and what each task's runs returned (the workers log it), summed over both copies.

The two beats are emulated by what they send: each schedule entry's task sent twice at the
same moment from two threads, as two `celery beat` processes do at a tick (real beats would
have to wait for their crontab minutes: hours, for the hourly and daily tasks).
"""

import ast
import re
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
from tests.netwerk.factories import PersoonFactory, make_coordinator
from tests.themas.factories import ThemaFactory
from themas import services as themas_services
from werkplaats.celery import app

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

A = Aanmelding.Status
BEATS = 2
SUBSCRIBERS = 50
DIGEST_READERS = 3
RETAINED_REGISTRATIONS = 4
OLD_MAILS = 5
# What each task did, by what it returns (the worker logs it): summed over both beats' copies,
# so a task that acted twice shows double. The edition's start is counted by its mail.
ACTED = {
    "bijeenkomsten.tasks.remind_attendees_day_before": ("reminders mailed", 3),
    "bijeenkomsten.tasks.expire_offers": ("offers expired", 1),
    "bijeenkomsten.tasks.release_reserved_places": ("reserved places released", 1),
    "themas.tasks.send_weekly_digests": ("digests queued", DIGEST_READERS),
    "privacy.tasks.apply_retention": (
        ("registrations anonymised", RETAINED_REGISTRATIONS, "aanmeldingen_geanonimiseerd"),
        ("mails emptied", OLD_MAILS, "mails_geleegd"),
    ),
}
SUCCEEDED = re.compile(r"Task ([\w.]+)\[[^\]]+\] succeeded in [\d.e-]+s: (.*)$")


def _returned(logs) -> dict[str, list]:
    """Task name → the values its runs returned, from the workers' logs."""
    returned = {}
    for log in logs:
        for line in log.read_text(errors="replace").splitlines():
            if match := SUCCEEDED.search(line):
                returned.setdefault(match[1], []).append(ast.literal_eval(match[2]))
    return returned


def _acted(returned) -> list[tuple[str, int, int]]:
    rows = []
    for task, what in ACTED.items():
        runs = returned.get(task, [])
        if isinstance(what[0], tuple):
            rows += [(name, want, sum(run[field] for run in runs)) for name, want, field in what]
        else:
            rows.append((what[0], what[1], sum(runs)))
    return rows


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
    # The weekly digest: three readers follow a thema weekly, one update was published.
    thema = ThemaFactory()
    for n in range(DIGEST_READERS):
        lezer = PersoonFactory(email=f"lezer{n}@example.org")
        themas_services.follow(persoon=lezer, thema=thema, frequentie="wekelijks")
        expected[lezer.email] = "overzicht"
    update = themas_services.save_update(
        auteur=PersoonFactory(), thema=thema, titel="Wat we leerden", samenvatting="Kort.",
        tekst="Tekst.",
    )  # fmt: skip
    themas_services.publish_update(update_id=update.pk)
    # Retention: a bijeenkomst that ended 13 months ago and four registrations for it; five
    # mails sent 100 days ago, whose content goes.
    oud = BijeenkomstFactory(titel="Lang geleden", start=now - timedelta(days=400))
    for n in range(RETAINED_REGISTRATIONS):
        AanmeldingFactory(bijeenkomst=oud, email=f"oud{n}@example.org", naam=f"Oud {n}")
    old_mails = [
        OutboxMessage.objects.create(
            key=f"oud:{n}", to=f"oud{n}@example.org", subject="Oud", body_text="Tekst",
            body_html="<p>Tekst</p>", status=OutboxMessage.Status.SENT, sent_at=now,
        )
        for n in range(OLD_MAILS)
    ]  # fmt: skip
    OutboxMessage.objects.filter(pk__in=[m.pk for m in old_mails]).update(
        created_at=now - timedelta(days=100)
    )
    return expected, editie, oud


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
    expected, editie, oud = _world(timezone.now())
    with FaultySink() as sink:
        started_workers = [
            workers.start(sink, NIEUWSBRIEF_MAILS_PER_SECOND=0) for _ in range(BEATS)
        ]
        names = _fire_every_periodic_task_from_two_beats()
        wait_until(lambda: _settled(editie), timeout=180, what="every task done, mail settled")
        time.sleep(2)  # a late double would arrive now
        received = dict(sink.received)
    # Every copy of every task has run (a copy still running would be missed in the sums).
    wait_until(
        lambda: (
            sum(map(len, _returned(w.log for w in started_workers).values()))
            >= len(settings.CELERY_BEAT_SCHEDULE) * BEATS
        ),
        timeout=60,
        what="every periodic task's copies done",
    )
    acted = _acted(_returned(w.log for w in started_workers))
    anonymised = Aanmelding.objects.filter(bijeenkomst=oud).exclude(email__startswith="oud")
    emptied = OutboxMessage.objects.filter(key__startswith="oud:", body_text="")

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
    rows += [(f"acted: {name}", want, got) for name, want, got in acted]
    rows += [
        ("registrations now anonymous", RETAINED_REGISTRATIONS,
         len(set(anonymised.values_list("email", flat=True)))),
        ("mails emptied", OLD_MAILS, emptied.count()),
    ]  # fmt: skip
    rows += [("mail nobody was owed", 0, len(strangers)), ("onbekend (unknown)", 0, onbekend)]
    report(
        "7. two beat processes: every periodic task twice at once", rows, time.monotonic() - started
    )
    assert lost == 0
    assert doubled == 0
    assert not strangers
    assert onbekend == 0
    assert all(query.count() == 1 for query in states.values())
    assert all(got == want for _, want, got in acted)
    assert len(set(anonymised.values_list("email", flat=True))) == RETAINED_REGISTRATIONS
    assert emptied.count() == OLD_MAILS
