"""A real Celery worker killed in the middle of an SMTP conversation."""

import signal
from datetime import timedelta

import pytest
from django.db import transaction

from netwerk import outbox
from netwerk.models import OutboxMessage
from netwerk.tasks import deliver_mail_batch, requeue_stuck_mail
from werkplaats.celery import app

S = OutboxMessage.Status


@pytest.mark.celery_worker
def test_a_row_whose_worker_died_mid_delivery_becomes_onbekend_and_is_never_resent(
    celery_worker, smtp_sink, settings
):
    # The sink keeps the message as soon as its data arrives but holds back its 250.
    smtp_sink.hold_answers = True
    with transaction.atomic():
        message = outbox.queue_rendered_mail(
            key="worker:gestorven",
            to="wim@example.nl",
            subject="Eenmalig",
            body_text="Dit bericht mag maar één keer aankomen.",
            body_html="<p>Dit bericht mag maar één keer aankomen.</p>",
        )

    assert smtp_sink.answer_held.wait(timeout=30)
    message.refresh_from_db()
    assert message.status == S.SENDING
    celery_worker.send_signal(signal.SIGKILL)
    celery_worker.wait(timeout=10)
    smtp_sink.release_answers.set()

    # From here on tasks run in this process: whatever the sweep queued would reach the sink.
    app.conf.task_always_eager = True
    assert requeue_stuck_mail.apply().get() == 0
    message.refresh_from_db()
    assert message.status == S.SENDING  # within the timeout it may still be under way

    settings.MAIL_SENDING_TIMEOUT = timedelta(0)
    settings.MAIL_STUCK_AFTER = timedelta(0)
    assert requeue_stuck_mail.apply().get() == 0
    assert requeue_stuck_mail.apply().get() == 0
    # The broker hands an unacknowledged task to another worker one day: it sends nothing.
    deliver_mail_batch.apply(args=[[message.pk]])

    message.refresh_from_db()
    assert message.status == S.ONBEKEND
    assert message.attempts == 1
    assert message.last_error == outbox.LOST_DELIVERY_REASON
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0].rcpt_tos == ["wim@example.nl"]
