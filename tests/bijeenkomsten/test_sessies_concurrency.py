"""Races on deelsessies through separate connections: the bijeenkomst lock, then the
sessions by pk, keep both capacities (services/sessions.py)."""

import threading

import pytest

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst, ProgrammaOnderdeel, SessieKeuze
from bijeenkomsten.services import registration, sessions
from tests.bijeenkomsten.factories import BijeenkomstFactory, programma_met_ronde
from tests.bijeenkomsten.test_concurrency import (  # noqa: F401 (fixtures)
    _patient_locks,
    _reset_celery_join_guard,
    assert_no_errors,
    in_parallel,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.real_stack_only(reason="concurrent transactions need PostgreSQL's row locks"),
]
K = SessieKeuze.Status


def _register_call(bijeenkomst, n, sessie):
    return lambda: services.register(
        bijeenkomst=bijeenkomst,
        email=f"racer{n}@example.org",
        naam=f"Racer {n}",
        sessies=[sessie],
    )


def _held(sessie):
    return SessieKeuze.objects.filter(deelsessie=sessie, status__in=SessieKeuze.TAKEN_STATUSES)


def _assert_gapless_waitlists(sessies):
    for sessie in sessies:
        orders = list(
            SessieKeuze.objects.filter(deelsessie=sessie, status=K.WACHTLIJST)
            .order_by("wachtlijst_volgorde")
            .values_list("wachtlijst_volgorde", flat=True)
        )
        assert orders == list(range(1, len(orders) + 1))


def test_concurrent_registrations_fill_the_bijeenkomst_and_each_deelsessie_exactly():
    bijeenkomst = BijeenkomstFactory(capaciteit=40)
    _ronde, sessies = programma_met_ronde(bijeenkomst, capaciteiten=(4, 4, 3))
    results = in_parallel([_register_call(bijeenkomst, n, sessies[n % 3]) for n in range(45)])

    assert_no_errors(results)
    statuses = list(bijeenkomst.aanmeldingen.values_list("status", flat=True))
    assert statuses.count(Aanmelding.Status.BEVESTIGD) == 40
    for sessie in sessies:
        assert _held(sessie).count() == sessie.capaciteit
    _assert_gapless_waitlists(sessies)


def test_concurrent_switches_never_exceed_a_session_nor_leave_anyone_without_their_place():
    bijeenkomst = BijeenkomstFactory(capaciteit=None)
    _ronde, (a, b) = programma_met_ronde(bijeenkomst, capaciteiten=(10, 10))
    people = [
        services.register(
            bijeenkomst=bijeenkomst,
            email=f"switch{n}@example.org",
            naam=f"Switch {n}",
            sessies=[a if n < 10 else b],
        )
        for n in range(20)
    ]
    results = in_parallel(
        [
            (
                lambda p=p, target=(b if n < 10 else a): services.change_session(
                    aanmelding=p, deelsessie=target
                )
            )
            for n, p in enumerate(people)
        ]
    )

    assert_no_errors(results)
    assert _held(a).count() <= 10
    assert _held(b).count() <= 10
    for person in people:
        assert SessieKeuze.objects.filter(aanmelding=person, status=K.BEVESTIGD).count() == 1
    _assert_gapless_waitlists([a, b])


def test_control_without_the_locks_the_same_race_overbooks_a_deelsessie(monkeypatch):
    """Shows the race is real: with the locks taken away, everyone sees the one free seat."""
    bijeenkomst = BijeenkomstFactory(capaciteit=None)
    _ronde, (sessie,) = programma_met_ronde(bijeenkomst, capaciteiten=(1,))
    racers = 5
    all_counted = threading.Barrier(racers, timeout=10)
    places_left = ProgrammaOnderdeel.plaatsen_vrij.fget

    def count_then_wait(row):
        free = places_left(row)
        all_counted.wait()
        return free

    def unlocked_sessions(bijeenkomst, ids):
        return {row.pk: row for row in ProgrammaOnderdeel.objects.filter(pk__in=ids)}

    # The modules that call them (see bijeenkomsten/services/__init__.py).
    monkeypatch.setattr(registration, "_lock", lambda pk: Bijeenkomst.objects.get(pk=pk))
    monkeypatch.setattr(sessions, "_lock_sessions", unlocked_sessions)
    monkeypatch.setattr(ProgrammaOnderdeel, "plaatsen_vrij", property(count_then_wait))

    results = in_parallel([_register_call(bijeenkomst, n, sessie) for n in range(racers)])

    assert_no_errors(results)
    assert _held(sessie).count() == racers
