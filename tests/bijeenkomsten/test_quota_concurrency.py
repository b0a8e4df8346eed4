"""Races on quota through separate connections: the bijeenkomst lock keeps a quotum's
places and the common pool, and releases each quotum once (services/registration.py)."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from bijeenkomsten import services, tasks
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling, Quotum
from bijeenkomsten.services import registration
from netwerk.models import Organisatie
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.bijeenkomsten.test_concurrency import (  # noqa: F401 (fixtures)
    _patient_locks,
    _reset_celery_join_guard,
    assert_no_errors,
    in_parallel,
)
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory, make_lidmaatschap

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.real_stack_only(reason="concurrent transactions need PostgreSQL's row locks"),
]
S = Aanmelding.Status


def _quotum(bijeenkomst, aantal, **fields):
    organisatie = OrganisatieFactory(soort=Organisatie.Soort.WERKPLAATS)
    fields.setdefault("tot", timezone.now() + timedelta(days=7))
    return Quotum.objects.create(
        bijeenkomst=bijeenkomst, organisatie=organisatie, aantal=aantal, **fields
    )


def _members(quotum, count):
    people = []
    for n in range(count):
        persoon = PersoonFactory(email=f"lid{n}@q{quotum.pk}.example.nl")
        make_lidmaatschap(persoon, quotum.organisatie)
        people.append(persoon)
    return people


def _register_call(bijeenkomst, n, persoon=None):
    return lambda: services.register(
        bijeenkomst=bijeenkomst,
        email=persoon.email if persoon else f"racer{n}@example.org",
        naam=f"Racer {n}",
        persoon=persoon,
    )


def test_concurrent_registrations_never_exceed_a_quotum_nor_the_common_pool():
    bijeenkomst = BijeenkomstFactory(capaciteit=6)
    quotum = _quotum(bijeenkomst, 3)
    members = _members(quotum, 10)
    calls = [_register_call(bijeenkomst, n, persoon) for n, persoon in enumerate(members)]
    calls += [_register_call(bijeenkomst, 100 + n) for n in range(10)]

    results = in_parallel(calls)

    assert_no_errors(results)
    confirmed = bijeenkomst.aanmeldingen.filter(status=S.BEVESTIGD)
    assert confirmed.count() == 6
    assert confirmed.filter(quotum=quotum).count() == 3
    assert confirmed.filter(persoon__isnull=True).count() <= 3


def test_control_without_the_lock_the_same_race_overfills_a_quotum(monkeypatch):
    """Shows the race is real: without the lock every member sees the one free quotum place."""
    bijeenkomst = BijeenkomstFactory(capaciteit=20)
    quotum = _quotum(bijeenkomst, 1)
    racers = 5
    members = _members(quotum, racers)
    all_counted = threading.Barrier(racers, timeout=10)
    quotum_free = Bijeenkomst.quotum_vrij

    def count_then_wait(self, quotum, now=None):
        free = quotum_free(self, quotum, now)
        all_counted.wait()
        return free

    monkeypatch.setattr(registration, "_lock", lambda pk: Bijeenkomst.objects.get(pk=pk))
    monkeypatch.setattr(Bijeenkomst, "quotum_vrij", count_then_wait)

    results = in_parallel(
        [_register_call(bijeenkomst, n, persoon) for n, persoon in enumerate(members)]
    )

    assert_no_errors(results)
    assert bijeenkomst.aanmeldingen.filter(quotum=quotum).count() == racers


def _due_quotum_with_waiting():
    bijeenkomst = BijeenkomstFactory(capaciteit=3)
    quotum = _quotum(bijeenkomst, 2, tot=timezone.now() - timedelta(minutes=1))
    AanmeldingFactory(bijeenkomst=bijeenkomst, email="eerste@example.org")
    for n in range(3):
        AanmeldingFactory(
            bijeenkomst=bijeenkomst,
            email=f"wacht{n}@example.org",
            status=S.WACHTLIJST,
            wachtlijst_volgorde=n + 1,
        )
    return bijeenkomst, quotum


def test_two_periodic_runs_at_once_release_a_quotum_exactly_once():
    bijeenkomst, quotum = _due_quotum_with_waiting()
    start = threading.Barrier(2, timeout=10)

    def run():
        start.wait()
        return tasks.release_reserved_places()

    results = in_parallel([run, run])

    assert_no_errors(results)
    assert sorted(results) == [0, 1]
    assert Handeling.objects.filter(soort="reservering-vrijgegeven").count() == 1
    assert bijeenkomst.aanmeldingen.filter(status=S.AANGEBODEN).count() == 2


def test_control_without_the_lock_two_runs_release_the_same_quotum_twice(monkeypatch):
    bijeenkomst, quotum = _due_quotum_with_waiting()
    both_read = threading.Barrier(2, timeout=10)
    save = Quotum.save

    def read_then_save(self, *args, **kwargs):
        both_read.wait()  # both runs saw the quotum as not yet released
        return save(self, *args, **kwargs)

    monkeypatch.setattr(registration, "_lock", lambda pk: Bijeenkomst.objects.get(pk=pk))
    monkeypatch.setattr(Quotum, "save", read_then_save)

    results = in_parallel([tasks.release_reserved_places, tasks.release_reserved_places])

    assert results == [1, 1]
    assert Handeling.objects.filter(soort="reservering-vrijgegeven").count() == 2
