"""Coördinatoren at the door at once, each through their own database connection: the
bijeenkomst row lock makes a person present once, logged once."""

import threading

import pytest

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling
from bijeenkomsten.services import presence
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.bijeenkomsten.test_concurrency import (  # noqa: F401 (fixture)
    _reset_celery_join_guard,
    in_parallel,
)
from tests.netwerk.factories import make_coordinator

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.real_stack_only(reason="concurrent transactions need PostgreSQL's row locks"),
]

WORKERS = 10


@pytest.fixture
def anna():
    bijeenkomst = BijeenkomstFactory(capaciteit=5)
    return services.register(bijeenkomst=bijeenkomst, email="anna@example.org", naam="Anna")


def test_ten_coordinators_checking_in_one_person_at_once_count_her_once(anna):
    coordinatoren = [make_coordinator() for _ in range(WORKERS)]

    results = in_parallel(
        [lambda door=door: services.check_in(aanmelding=anna, door=door) for door in coordinatoren]
    )

    succeeded = [result for result in results if isinstance(result, Aanmelding)]
    refused = [result for result in results if isinstance(result, services.RegistrationError)]
    assert (len(succeeded), len(refused)) == (1, WORKERS - 1)
    anna.refresh_from_db()
    assert anna.aanwezig_op == succeeded[0].aanwezig_op
    assert anna.aanwezig_gemeld_door == succeeded[0].aanwezig_gemeld_door
    assert Handeling.objects.filter(soort=Handeling.Soort.AANWEZIG).count() == 1
    assert all(anna.aanwezig_gemeld_door.naam in str(error) for error in refused)


def test_check_ins_and_undos_racing_leave_the_log_and_the_row_in_step(anna):
    door = make_coordinator()
    calls = [lambda: services.check_in(aanmelding=anna, door=door) for _ in range(WORKERS)]
    calls += [lambda: services.undo_check_in(aanmelding=anna, door=door) for _ in range(WORKERS)]

    in_parallel(calls)

    checked_in = Handeling.objects.filter(soort=Handeling.Soort.AANWEZIG).count()
    undone = Handeling.objects.filter(soort=Handeling.Soort.AANWEZIG_ONGEDAAN).count()
    anna.refresh_from_db()
    assert checked_in - undone == (1 if anna.aanwezig_op else 0)


def test_control_without_the_lock_two_coordinators_both_check_her_in(anna, monkeypatch):
    """Shows the race is real: without the lock both read "not present" and both write."""
    racers = 2
    both_read = threading.Barrier(racers, timeout=10)
    reload = presence._reload

    def reload_then_wait(aanmelding, bijeenkomst):
        fresh = reload(aanmelding, bijeenkomst)
        both_read.wait()
        return fresh

    # The module that calls them: patching the names re-exported by the package changes nothing.
    monkeypatch.setattr(presence, "_lock", lambda pk: Bijeenkomst.objects.get(pk=pk))
    monkeypatch.setattr(presence, "_reload", reload_then_wait)
    coordinatoren = [make_coordinator() for _ in range(racers)]

    results = in_parallel(
        [lambda door=door: services.check_in(aanmelding=anna, door=door) for door in coordinatoren]
    )

    assert all(isinstance(result, Aanmelding) for result in results)
    assert Handeling.objects.filter(soort=Handeling.Soort.AANWEZIG).count() == racers
