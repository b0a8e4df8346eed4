"""Handing a place on races a cancel and its promotion (issue 23, point 3): under the
bijeenkomst lock the place goes to the colleague or to the wachtlijst, never to both."""

import threading

import pytest

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from bijeenkomsten.services import handing_on, registration
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.bijeenkomsten.test_concurrency import in_parallel
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory, make_lidmaatschap

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.real_stack_only(reason="concurrent transactions need PostgreSQL's row locks"),
]
S = Aanmelding.Status
RACES = 8


@pytest.fixture(autouse=True)
def _patient_locks(settings):
    settings.LOCK_TIMEOUT_SECONDS = 120


def full_bijeenkomst_with_a_giver(n):
    organisatie = OrganisatieFactory(maildomein=f"org{n}.example.nl")
    gever = PersoonFactory(email=f"gever@org{n}.example.nl")
    make_lidmaatschap(gever, organisatie)
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    aanmelding = services.register(
        bijeenkomst=bijeenkomst, email=gever.email, naam="Gever", persoon=gever
    )
    services.register(bijeenkomst=bijeenkomst, email=f"wacht{n}@example.org", naam="Wachtend")
    return bijeenkomst, aanmelding, gever


def hand_on_call(aanmelding, gever, n):
    return lambda: services.hand_on(
        aanmelding=aanmelding, door=gever, email=f"collega@org{n}.example.nl", naam="Collega"
    )


def place_holders(bijeenkomst):
    """Who holds a place: the colleague, the one from the wachtlijst, or both (overbooked)."""
    taken = bijeenkomst.aanmeldingen.filter(status__in=Aanmelding.TAKEN_STATUSES)
    return sorted(
        email.split("@")[0].rstrip("0123456789") for email in taken.values_list("email", flat=True)
    )


def test_handing_on_racing_a_cancel_gives_the_place_to_the_colleague_or_the_wachtlijst_never_both():
    worlds = [full_bijeenkomst_with_a_giver(n) for n in range(RACES)]
    calls = []
    for n, (_, aanmelding, gever) in enumerate(worlds):
        calls += [
            hand_on_call(aanmelding, gever, n),
            lambda a=aanmelding: services.cancel(aanmelding=a),
        ]

    results = in_parallel(calls)

    for n, (bijeenkomst, _, _) in enumerate(worlds):
        hand_on_result, cancel_result = results[2 * n], results[2 * n + 1]
        # Exactly one of the two found the place still confirmed; the other was refused.
        outcomes = [
            isinstance(r, services.RegistrationError) for r in (hand_on_result, cancel_result)
        ]
        assert sorted(outcomes) == [False, True], (hand_on_result, cancel_result)
        assert place_holders(bijeenkomst) in (["collega"], ["wacht"])


def test_control_without_the_row_lock_the_colleague_and_the_wachtlijst_both_get_the_place(
    monkeypatch,
):
    """Shows the race is real: without the lock both read the place as confirmed, the cancel
    offers it to the wachtlijst, and the handing on gives it to the colleague as well."""
    bijeenkomst, aanmelding, gever = full_bijeenkomst_with_a_giver(0)
    both_read = threading.Barrier(2, timeout=10)
    cancel_done = threading.Event()

    def read_then_wait(aanmelding, bijeenkomst):
        # What the services' own reload does, then both wait until both have read.
        fresh = Aanmelding.objects.get(pk=aanmelding.pk)
        fresh.bijeenkomst = bijeenkomst
        both_read.wait()
        return fresh

    def read_then_let_the_cancel_finish(aanmelding, bijeenkomst):
        fresh = read_then_wait(aanmelding, bijeenkomst)
        cancel_done.wait(timeout=10)
        return fresh

    def cancel():
        try:
            return services.cancel(aanmelding=aanmelding)
        finally:
            cancel_done.set()

    unlocked = lambda pk: Bijeenkomst.objects.get(pk=pk)  # noqa: E731
    monkeypatch.setattr(registration, "_lock", unlocked)
    monkeypatch.setattr(handing_on, "_lock", unlocked)
    monkeypatch.setattr(registration, "_reload", read_then_wait)
    monkeypatch.setattr(handing_on, "_reload", read_then_let_the_cancel_finish)

    results = in_parallel([hand_on_call(aanmelding, gever, 0), cancel])

    assert not any(isinstance(result, Exception) for result in results), results
    assert place_holders(bijeenkomst) == ["collega", "wacht"]
