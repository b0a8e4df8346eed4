"""One attendee's evaluation sent twice at once (two tabs, a double click), each through its
own database connection: the aanmelding's row lock stores one inzending. And two beats
running the periodic task at once mail each person once."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from bijeenkomsten import services, tasks
from bijeenkomsten.models import EvaluatieInzending, PersoonlijkeLink, Vraag
from bijeenkomsten.services import evaluations
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.bijeenkomsten.test_concurrency import (  # noqa: F401 (fixture)
    _reset_celery_join_guard,
    in_parallel,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.real_stack_only(reason="concurrent transactions need PostgreSQL's row locks"),
]

WORKERS = 6


@pytest.fixture
def held():
    start = timezone.now() - timedelta(days=1)
    bijeenkomst = BijeenkomstFactory(start=start, eind=start + timedelta(hours=2))
    vraag = Vraag.objects.create(
        bijeenkomst=bijeenkomst, doel=Vraag.Doel.EVALUATIE, soort=Vraag.Soort.SCHAAL, tekst="Hoe?"
    )
    return bijeenkomst, vraag


def _submit(aanmelding, vraag):
    return lambda: services.submit_evaluation(aanmelding=aanmelding, antwoorden={vraag.pk: "4"})


def test_a_double_submit_at_once_stores_one_inzending(held):
    bijeenkomst, vraag = held
    aanmelding = AanmeldingFactory(bijeenkomst=bijeenkomst, aanwezig_op=bijeenkomst.start)

    results = in_parallel([_submit(aanmelding, vraag) for _ in range(WORKERS)])

    stored = [result for result in results if isinstance(result, EvaluatieInzending)]
    refused = [result for result in results if isinstance(result, services.EvaluatieError)]
    assert (len(stored), len(refused)) == (1, WORKERS - 1)
    assert EvaluatieInzending.objects.count() == 1


def test_control_without_the_lock_a_double_submit_stores_two(held, monkeypatch):
    """Shows the race is real: without the lock both read "not filled in" and both store."""
    bijeenkomst, vraag = held
    aanmelding = AanmeldingFactory(bijeenkomst=bijeenkomst, aanwezig_op=bijeenkomst.start)
    racers = 2
    both_read = threading.Barrier(racers, timeout=10)
    state = evaluations.evaluation_state

    def state_then_wait(aanmelding, **kwargs):
        found = state(aanmelding, **kwargs)
        both_read.wait()
        return found

    monkeypatch.setattr(evaluations, "lock_one", lambda queryset, **lookup: queryset.get(**lookup))
    monkeypatch.setattr(evaluations, "evaluation_state", state_then_wait)

    results = in_parallel([_submit(aanmelding, vraag) for _ in range(racers)])

    assert all(isinstance(result, EvaluatieInzending) for result in results)
    assert EvaluatieInzending.objects.count() == racers


def test_two_beats_sending_at_once_mail_each_person_once(held):
    bijeenkomst, _vraag = held
    present = [
        AanmeldingFactory(bijeenkomst=bijeenkomst, aanwezig_op=bijeenkomst.start) for _ in range(5)
    ]

    results = in_parallel([tasks.send_evaluations for _ in range(2)])

    assert sorted(results) == [0, 5]
    mailed = OutboxMessage.objects.filter(key__endswith=":evaluatie")
    assert sorted(mailed.values_list("to", flat=True)) == sorted(a.email for a in present)
    # One new personal link each (the factory made the first): the losing beat made none.
    assert PersoonlijkeLink.objects.count() == 2 * len(present)
