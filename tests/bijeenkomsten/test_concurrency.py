"""Races through separate database connections: the bijeenkomst row lock keeps every rule.

Each worker thread has its own connection, so these run as transactional tests; the pool
stays at 20 threads because the shared PostgreSQL allows 100 connections.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from celery._state import _set_task_join_will_block
from django.db import connection

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from bijeenkomsten.services import registration
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.real_stack_only(reason="concurrent transactions need PostgreSQL's row locks"),
]


@pytest.fixture(autouse=True)
def _patient_locks(settings):
    # These races test who wins, not how long a loser waits: on a busy 2-core machine a
    # hundred requests queue behind one lock for longer than production's few seconds.
    settings.LOCK_TIMEOUT_SECONDS = 120


S = Aanmelding.Status
WORKERS = 20


@pytest.fixture(autouse=True)
def _reset_celery_join_guard():
    # Eager tasks save and restore a process-global "inside a task" flag; threads running
    # them at once can leave it set, which would break later tests calling result.get().
    yield
    _set_task_join_will_block(False)


def in_parallel(calls):
    """Run each call in a pool thread with its own connection; return results or errors."""

    def run(call):
        try:
            return call()
        except Exception as error:  # collected and asserted on by the test
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(run, calls))


def register_call(bijeenkomst, n):
    return lambda: services.register(
        bijeenkomst=bijeenkomst, email=f"racer{n}@example.org", naam=f"Racer {n}"
    )


def statuses(bijeenkomst):
    return list(bijeenkomst.aanmeldingen.values_list("status", flat=True))


def waiting_orders(bijeenkomst):
    return list(
        bijeenkomst.aanmeldingen.filter(status=S.WACHTLIJST)
        .order_by("wachtlijst_volgorde")
        .values_list("wachtlijst_volgorde", flat=True)
    )


def assert_no_errors(results):
    errors = [result for result in results if isinstance(result, Exception)]
    assert errors == []


def test_120_concurrent_registrations_for_10_places_confirm_exactly_10_and_queue_the_rest():
    bijeenkomst = BijeenkomstFactory(capaciteit=10)

    results = in_parallel([register_call(bijeenkomst, n) for n in range(120)])

    assert_no_errors(results)
    assert statuses(bijeenkomst).count(S.BEVESTIGD) == 10
    assert statuses(bijeenkomst).count(S.WACHTLIJST) == 110
    assert waiting_orders(bijeenkomst) == list(range(1, 111))
    # One mail per registration, each of its own kind.
    assert OutboxMessage.objects.filter(key__endswith=":bevestigd").count() == 10
    assert OutboxMessage.objects.filter(key__endswith=":wachtlijst").count() == 110


def test_concurrent_registrations_of_one_address_give_one_open_registration():
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    calls = [
        lambda n=n: services.register(
            bijeenkomst=bijeenkomst,
            email="Dubbel@Example.org" if n % 2 else "dubbel@example.ORG",
            naam="D",
        )
        for n in range(20)
    ]

    results = in_parallel(calls)

    assert bijeenkomst.aanmeldingen.count() == 1
    refused = [r for r in results if isinstance(r, services.RegistrationError)]
    assert len(refused) == 19


def test_concurrent_cancels_offer_each_freed_place_once_in_wachtlijst_order():
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    people = [register_call(bijeenkomst, n)() for n in range(30)]
    confirmed = people[:10]

    results = in_parallel([lambda a=a: services.cancel(aanmelding=a) for a in confirmed])

    assert_no_errors(results)
    offered = bijeenkomst.aanmeldingen.filter(status=S.AANGEBODEN)
    assert sorted(offered.values_list("wachtlijst_volgorde", flat=True)) == list(range(1, 11))
    assert waiting_orders(bijeenkomst) == list(range(11, 21))
    assert OutboxMessage.objects.filter(key__endswith=":aangeboden").count() == 10


def test_concurrent_claims_declines_and_registrations_never_exceed_the_capacity():
    bijeenkomst = BijeenkomstFactory(capaciteit=0)
    for n in range(30):
        register_call(bijeenkomst, n)()
    services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=10)
    offers = list(bijeenkomst.aanmeldingen.filter(status=S.AANGEBODEN))
    assert len(offers) == 10

    calls = [lambda a=a: services.claim(aanmelding=a) for a in offers[:5]]
    calls += [lambda a=a: services.decline(aanmelding=a) for a in offers[5:]]
    calls += [register_call(bijeenkomst, n) for n in range(100, 110)]
    calls += [lambda a=a: services.claim(aanmelding=a) for a in offers[:5]]  # claimed twice
    results = in_parallel(calls)

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 5
    assert all(isinstance(error, services.RegistrationError) for error in errors)
    assert statuses(bijeenkomst).count(S.BEVESTIGD) == 5
    assert statuses(bijeenkomst).count(S.AANGEBODEN) == 5
    offered_now = bijeenkomst.aanmeldingen.filter(status=S.AANGEBODEN)
    assert sorted(offered_now.values_list("wachtlijst_volgorde", flat=True)) == list(range(11, 16))


def test_concurrent_capacity_changes_and_registrations_leave_no_free_place_unoffered():
    bijeenkomst = BijeenkomstFactory(capaciteit=5)
    capacities = [3, 12, 7, 20, 9, 15, 4, 11]
    calls = [register_call(bijeenkomst, n) for n in range(40)]
    for index, capacity in enumerate(capacities):
        calls.insert(
            index * 5,
            lambda c=capacity: services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=c),
        )

    results = in_parallel(calls)

    assert_no_errors(results)
    bijeenkomst.refresh_from_db()
    taken = bijeenkomst.aanmeldingen.filter(status__in=[S.BEVESTIGD, S.AANGEBODEN]).count()
    waiting = waiting_orders(bijeenkomst)
    assert taken <= max(capacities)
    assert taken >= bijeenkomst.capaciteit or waiting == []
    promoted = bijeenkomst.aanmeldingen.filter(doorgeschoven_op__isnull=False)
    orders = list(promoted.values_list("wachtlijst_volgorde", flat=True))
    assert not waiting or not orders or max(orders) < min(waiting)


def test_control_without_the_row_lock_the_same_race_overbooks(monkeypatch):
    """Shows the race is real: with the lock taken away, everyone sees the one free place."""
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    racers = 5
    all_counted = threading.Barrier(racers, timeout=10)
    places_left = Bijeenkomst.plaatsen_vrij.fget

    def count_then_wait(locked_bijeenkomst):
        free = places_left(locked_bijeenkomst)
        all_counted.wait()
        return free

    # The module that calls it: patching the name re-exported by the package changes nothing.
    monkeypatch.setattr(registration, "_lock", lambda pk: Bijeenkomst.objects.get(pk=pk))
    monkeypatch.setattr(Bijeenkomst, "plaatsen_vrij", property(count_then_wait))

    results = in_parallel([register_call(bijeenkomst, n) for n in range(racers)])

    assert_no_errors(results)
    assert statuses(bijeenkomst).count(S.BEVESTIGD) == racers
