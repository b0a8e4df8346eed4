"""Races on PostgreSQL: each thread has its own database connection and transaction."""

import threading

import pytest
from django.db import connection, connections

from leerateliers import services
from leerateliers.models import Deelname
from netwerk.models import OutboxMessage
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory

pytestmark = pytest.mark.real_stack_only(
    reason="concurrent transactions need PostgreSQL's row locks"
)


@pytest.fixture(autouse=True)
def _patient_locks(settings):
    # These races test who wins, not how long a loser waits.
    settings.LOCK_TIMEOUT_SECONDS = 120


def run_at_once(count, target):
    """Run `target` in `count` threads released together; return results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.mark.parametrize("rol", ["arena", "tribune"])
def test_two_concurrent_join_requests_by_one_person_leave_exactly_one_deelname(
    transactional_db, rol
):
    assert connection.vendor == "postgresql"
    trekkers = [PersoonFactory(), PersoonFactory()]
    persoon = PersoonFactory()
    for _ in range(5):
        atelier = LeeratelierFactory(trekkers=trekkers)

        results, errors = run_at_once(
            2,
            lambda atelier=atelier: services.join_leeratelier(
                persoon=persoon, leeratelier=atelier, rol=rol
            ),
        )

        assert errors == []
        assert len({deelname.pk for deelname in results}) == 1
        assert Deelname.objects.filter(persoon=persoon, leeratelier=atelier).count() == 1
    expected_mails = 5 * len(trekkers) if rol == "arena" else 0
    assert OutboxMessage.objects.count() == expected_mails


def test_two_concurrent_decisions_on_one_request_decide_once(transactional_db):
    trekkers = [PersoonFactory(), PersoonFactory()]
    atelier = LeeratelierFactory(trekkers=trekkers)
    deelname = services.join_leeratelier(persoon=PersoonFactory(), leeratelier=atelier, rol="arena")

    def decide():
        services.approve_arena(deelname=deelname, door=trekkers[0])
        return "approved"

    results, errors = run_at_once(2, decide)

    assert results == ["approved"]
    assert [type(error) for error in errors] == [services.DeelnameError]
    assert OutboxMessage.objects.filter(key__startswith="leerateliers:arena-besluit:").count() == 1


def test_control_without_the_lock_both_pass_the_check_and_the_constraint_refuses_one(
    transactional_db, monkeypatch
):
    """Shows the race the lock prevents: the database constraint is the last line."""
    from django.db import IntegrityError

    from leerateliers.models import LeeratelierQuerySet

    monkeypatch.setattr(LeeratelierQuerySet, "select_for_update", lambda self, **kwargs: self)
    both_checked = threading.Barrier(2)
    create = Deelname.objects.create

    def create_after_both_checked(**kwargs):
        both_checked.wait(timeout=10)
        return create(**kwargs)

    monkeypatch.setattr(Deelname.objects, "create", create_after_both_checked)
    persoon = PersoonFactory()
    atelier = LeeratelierFactory()

    results, errors = run_at_once(
        2,
        lambda: services.join_leeratelier(persoon=persoon, leeratelier=atelier, rol="tribune"),
    )

    assert len(results) == 1
    assert [type(error) for error in errors] == [IntegrityError]
    assert Deelname.objects.filter(persoon=persoon, leeratelier=atelier).count() == 1
