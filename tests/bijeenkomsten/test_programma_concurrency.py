"""Removing a deelsessie while someone chooses it, through separate connections: under the
bijeenkomst lock the removal either sees the choice and is refused, or comes first and
the choice is refused; a choice is never silently lost (services/programma.py)."""

import threading
import time

import pytest

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst, ProgrammaOnderdeel
from bijeenkomsten.services import programma
from tests.bijeenkomsten.factories import BijeenkomstFactory, programma_met_ronde
from tests.bijeenkomsten.test_concurrency import (  # noqa: F401 (fixtures)
    _patient_locks,
    _reset_celery_join_guard,
    in_parallel,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.real_stack_only(reason="concurrent transactions need PostgreSQL's row locks"),
]


def _race(monkeypatch):
    """The removal checks for choices, then waits while a registration for the same
    deelsessie starts; returns (the removal's result, the registration's result, the
    deelsessie's pk)."""
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    _ronde, (_a, b) = programma_met_ronde(bijeenkomst, capaciteiten=(5, 5))
    checked = threading.Event()
    holds_choices = programma._holds_choices

    def check_then_wait(onderdelen):
        answer = holds_choices(onderdelen)
        checked.set()
        time.sleep(0.5)
        return answer

    monkeypatch.setattr(programma, "_holds_choices", check_then_wait)

    def register():
        checked.wait(5)
        return services.register(
            bijeenkomst=bijeenkomst, email="racer@example.org", naam="Racer", sessies=[b]
        )

    removed, registered = in_parallel([lambda: services.delete_onderdeel(onderdeel=b), register])
    return removed, registered, b.pk


def _lost_choice(removed, registered, pk) -> bool:
    """A registration that succeeded with this deelsessie while the deelsessie is gone."""
    gone = not ProgrammaOnderdeel.objects.filter(pk=pk).exists()
    return gone and isinstance(registered, Aanmelding)


def test_removing_a_deelsessie_while_it_is_chosen_never_loses_the_choice(monkeypatch):
    removed, registered, pk = _race(monkeypatch)
    assert isinstance(removed, ProgrammaOnderdeel)  # it checked first and held the lock
    assert isinstance(registered, services.RegistrationError)
    assert not _lost_choice(removed, registered, pk)


def test_control_without_the_bijeenkomst_lock_the_same_race_loses_the_choice(monkeypatch):
    monkeypatch.setattr(programma, "_lock", lambda pk: Bijeenkomst.objects.get(pk=pk))
    removed, registered, pk = _race(monkeypatch)
    assert isinstance(removed, ProgrammaOnderdeel)
    assert _lost_choice(removed, registered, pk)
