"""Races of group and single registrations through separate connections: the bijeenkomst
lock keeps the capacity, a "samen" group whole, and the wachtlijst gapless
(bijeenkomsten/services/groups.py)."""

import threading

import pytest

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Groep
from bijeenkomsten.services import groups
from tests.bijeenkomsten.factories import BijeenkomstFactory
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
DOMAIN = "race.example.nl"


@pytest.fixture
def door():
    organisatie = OrganisatieFactory(naam="Gemeente Race", maildomein=DOMAIN)
    persoon = PersoonFactory(email=f"contact@{DOMAIN}")
    make_lidmaatschap(persoon, organisatie)
    return persoon


def group_call(bijeenkomst, door, n, size, keuze):
    leden = [(f"Lid {n}.{i}", f"lid{n}-{i}@{DOMAIN}") for i in range(size)]
    return lambda: services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=leden, keuze=keuze
    )


def single_call(bijeenkomst, n):
    return lambda: services.register(
        bijeenkomst=bijeenkomst, email=f"los{n}@example.org", naam=f"Los {n}"
    )


def taken(bijeenkomst):
    return bijeenkomst.aanmeldingen.filter(status__in=Aanmelding.TAKEN_STATUSES).count()


def assert_whole_samen_groups_and_a_gapless_wachtlijst(bijeenkomst):
    for groep in Groep.objects.filter(bijeenkomst=bijeenkomst, keuze=Groep.Keuze.SAMEN):
        assert len(set(groep.aanmeldingen.values_list("status", flat=True))) == 1
        orders = sorted(
            groep.aanmeldingen.filter(status=S.WACHTLIJST).values_list(
                "wachtlijst_volgorde", flat=True
            )
        )
        if orders:
            assert orders == list(range(orders[0], orders[0] + len(orders)))
    waiting = list(
        bijeenkomst.aanmeldingen.wachtend().values_list("wachtlijst_volgorde", flat=True)
    )
    # Numbers are never given twice; while no group is passed over, those still waiting are
    # one unbroken run of them.
    if waiting:
        assert waiting == list(range(waiting[0], waiting[0] + len(waiting)))


def test_concurrent_group_and_single_registrations_never_exceed_the_capacity(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=12)
    calls = []
    for n in range(12):
        keuze = Groep.Keuze.SAMEN if n % 2 else Groep.Keuze.SPLITSEN
        calls.append(group_call(bijeenkomst, door, n, 2 + n % 3, keuze))
        calls.append(single_call(bijeenkomst, n))

    results = in_parallel(calls)

    assert_no_errors(results)
    free = 12 - taken(bijeenkomst)
    assert free >= 0
    if free:
        # Places stay free only when held for a "samen" group at the head that does not fit.
        head = bijeenkomst.aanmeldingen.wachtend().select_related("groep").first()
        assert head.groep.is_samen
        assert head.groep.aanmeldingen.filter(status=S.WACHTLIJST).count() > free
    assert_whole_samen_groups_and_a_gapless_wachtlijst(bijeenkomst)


def test_concurrent_cancels_offer_a_waiting_samen_group_all_its_places_or_none(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    confirmed = [single_call(bijeenkomst, n)() for n in range(10)]
    groep = group_call(bijeenkomst, door, 0, 3, Groep.Keuze.SAMEN)()
    for n in range(10, 15):
        single_call(bijeenkomst, n)()

    results = in_parallel([lambda a=a: services.cancel(aanmelding=a) for a in confirmed[:5]])

    assert_no_errors(results)
    assert set(groep.aanmeldingen.values_list("status", flat=True)) == {S.AANGEBODEN}
    assert taken(bijeenkomst) == 10
    # The group first, then the next two single entries in order.
    offered_singles = bijeenkomst.aanmeldingen.filter(status=S.AANGEBODEN, groep__isnull=True)
    assert sorted(offered_singles.values_list("email", flat=True)) == [
        "los10@example.org",
        "los11@example.org",
    ]
    assert_whole_samen_groups_and_a_gapless_wachtlijst(bijeenkomst)


def test_control_without_the_row_lock_concurrent_groups_overbook(door, monkeypatch):
    """Shows the race is real: with the lock taken away, every group sees the free places."""
    bijeenkomst = BijeenkomstFactory(capaciteit=2)
    racers = 4
    all_counted = threading.Barrier(racers, timeout=20)
    places_for = groups._places_for

    def count_then_wait(*args, **kwargs):
        fit = places_for(*args, **kwargs)
        all_counted.wait()
        return fit

    # The module that calls them: patching the names re-exported by the package changes nothing.
    monkeypatch.setattr(groups, "_lock", lambda pk: Bijeenkomst.objects.get(pk=pk))
    monkeypatch.setattr(groups, "_places_for", count_then_wait)

    results = in_parallel(
        [group_call(bijeenkomst, door, n, 2, Groep.Keuze.SAMEN) for n in range(racers)]
    )

    assert_no_errors(results)
    assert taken(bijeenkomst) == 2 * racers
