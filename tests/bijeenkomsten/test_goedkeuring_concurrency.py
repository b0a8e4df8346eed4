"""Team members approving requests at the same moment, each through their own database
connection: under the bijeenkomst row lock (the one register() takes) the approved never
exceed the capacity, and the wachtlijst stays gapless; a control without the lock shows
the race."""

import threading

import pytest

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from bijeenkomsten.services import approval
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

WORKERS = 8
CAPACITY = 5
S = Aanmelding.Status


def requests_for(bijeenkomst, count):
    return [
        services.register(bijeenkomst=bijeenkomst, email=f"v{n}@example.org", naam=f"V {n}").pk
        for n in range(count)
    ]


def test_approving_many_at_once_never_exceeds_the_capacity():
    bijeenkomst = BijeenkomstFactory(capaciteit=CAPACITY, met_goedkeuring=True)
    pks = requests_for(bijeenkomst, WORKERS * 3)
    coordinatoren = [make_coordinator() for _ in range(WORKERS)]
    batches = [pks[number::WORKERS] for number in range(WORKERS)]

    results = in_parallel(
        [
            lambda door=door, batch=batch: services.approve(
                bijeenkomst=bijeenkomst, aanmeldingen=batch, door=door
            )
            for door, batch in zip(coordinatoren, batches, strict=True)
        ]
    )

    assert not [result for result in results if isinstance(result, Exception)]
    assert bijeenkomst.aanmeldingen.bezet().count() == CAPACITY
    assert bijeenkomst.aanmeldingen.filter(status=S.AANGEVRAAGD).count() == 0
    order = list(bijeenkomst.aanmeldingen.wachtend().values_list("wachtlijst_volgorde", flat=True))
    assert order == list(range(order[0], order[0] + len(order)))
    assert len(order) == WORKERS * 3 - CAPACITY


def test_two_approving_the_same_request_decide_it_once():
    bijeenkomst = BijeenkomstFactory(capaciteit=CAPACITY, met_goedkeuring=True)
    [pk] = requests_for(bijeenkomst, 1)
    results = in_parallel(
        [
            lambda door=door: services.approve(
                bijeenkomst=bijeenkomst, aanmeldingen=[pk], door=door
            )
            for door in [make_coordinator() for _ in range(WORKERS)]
        ]
    )
    assert sum(1 for result in results if isinstance(result, list)) == 1
    assert bijeenkomst.aanmeldingen.bezet().count() == 1


def test_control_without_the_lock_approvals_racing_overfill_the_bijeenkomst(monkeypatch):
    """Shows the race is real: without the lock both count the same free places."""
    bijeenkomst = BijeenkomstFactory(capaciteit=1, met_goedkeuring=True)
    pks = requests_for(bijeenkomst, 2)
    racers = 2
    both_counted = threading.Barrier(racers, timeout=10)
    newcomers = approval._Newcomers

    def count_then_wait(*args, **kwargs):
        counted = newcomers(*args, **kwargs)
        both_counted.wait()
        return counted

    # The module that calls them: patching the names re-exported by the package changes nothing.
    monkeypatch.setattr(approval, "_lock", lambda pk: Bijeenkomst.objects.get(pk=pk))
    monkeypatch.setattr(approval, "_Newcomers", count_then_wait)

    results = in_parallel(
        [
            lambda door=door, pk=pk: services.approve(
                bijeenkomst=bijeenkomst, aanmeldingen=[pk], door=door
            )
            for door, pk in zip([make_coordinator() for _ in range(racers)], pks, strict=True)
        ]
    )

    assert all(isinstance(result, list) for result in results)
    assert bijeenkomst.aanmeldingen.bezet().count() == 2  # one more than its capacity
