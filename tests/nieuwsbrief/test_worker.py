"""A real Celery worker killed (SIGKILL) in the middle of sending an edition, and another
worker that resumes it."""

import signal
import time
from collections import Counter

import pytest

from nieuwsbrief import delivery, services, tasks
from nieuwsbrief.models import Bezorging, Editie
from tests.conftest import start_celery_worker, stop_celery_worker
from tests.netwerk.factories import AbonnementFactory
from tests.nieuwsbrief.factories import EditieFactory, SectieFactory
from werkplaats.celery import app

SUBSCRIBERS = 25


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_and_restarted_mails_everyone_exactly_once(smtp_sink):
    addresses = {AbonnementFactory().email for _ in range(SUBSCRIBERS)}
    editie = EditieFactory(titel="Nieuwsbrief mei 2024")
    SectieFactory(editie=editie)
    # Short claims and batches: the second worker takes over soon, in several batches, each
    # over two connections at once.
    worker_env = {
        "NIEUWSBRIEF_CLAIM_SECONDS": "2",
        "NIEUWSBRIEF_BATCH_SIZE": "10",
        "NIEUWSBRIEF_CONNECTIONS": "2",
    }
    app.control.purge()
    # The sink keeps the first message as soon as its data arrives but holds back its 250.
    smtp_sink.hold_answers = True
    first = start_celery_worker(smtp_sink, **worker_env)
    second = None
    try:
        services.send_edition(editie=editie, doelgroep="alle")
        assert smtp_sink.answer_held.wait(timeout=30)
        time.sleep(0.5)  # let the other connection reach the sink too, or not
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        in_flight = set(
            Bezorging.objects.filter(status=Bezorging.Status.SENDING).values_list(
                "email", flat=True
            )
        )
        assert 1 <= len(in_flight) <= 2  # one per connection at most
        smtp_sink.release_answers.set()

        second = start_celery_worker(smtp_sink, **worker_env)
        # The dead worker's claim runs out; the periodic task hands the edition on.
        wait_for(lambda: delivery.editions_to_resume() == [editie.pk], timeout=10)
        tasks.send_editions.delay()
        wait_for(lambda: Editie.objects.get(pk=editie.pk).status == Editie.Status.VERZONDEN)
    finally:
        app.conf.task_always_eager = True
        stop_celery_worker(first)
        if second is not None:
            stop_celery_worker(second)

    received = Counter(envelope.rcpt_tos[0] for envelope in smtp_sink.messages)
    assert set(received.values()) == {1}  # nobody twice
    # Nobody skipped: only the mails in flight when the worker died may not have arrived.
    assert addresses - in_flight <= set(received) <= addresses
    statuses = Counter(Bezorging.objects.values_list("status", flat=True))
    assert statuses == {
        Bezorging.Status.SENT: SUBSCRIBERS - len(in_flight),
        Bezorging.Status.ONBEKEND: len(in_flight),
    }
    # Exactly those are shown as unknown, and none of them was sent again.
    onbekend = Bezorging.objects.filter(status=Bezorging.Status.ONBEKEND)
    assert set(onbekend.values_list("email", flat=True)) == in_flight
