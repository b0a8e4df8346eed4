import base64
import time
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from netwerk import outbox
from netwerk.models import OutboxMessage
from netwerk.tasks import deliver_mail, requeue_stuck_mail

pytestmark = pytest.mark.django_db(transaction=True)

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _test_mail_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES]}
    ]


def queue(key="test:1", to="anna@example.org", **kwargs):
    return outbox.queue_mail(
        key=key, to=to, template="testmail/bericht", context={"naam": "Anna"}, **kwargs
    )


def test_a_queued_mail_is_delivered_after_commit_with_text_and_html_parts():
    with transaction.atomic():
        message = queue()
        assert mail.outbox == []

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["anna@example.org"]
    assert sent.subject == "Bericht voor Anna"
    assert "Dit is een bericht." in sent.body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert "<p>Hallo Anna,</p>" in html
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


def test_the_same_key_twice_sends_once():
    with transaction.atomic():
        first = queue(key="uitnodiging:7:anna@example.org")
        second = queue(key="uitnodiging:7:anna@example.org")

    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_nothing_is_queued_when_the_callers_transaction_rolls_back():
    class Boom(Exception):
        pass

    def cause_that_fails():
        with transaction.atomic():
            queue()
            raise Boom

    with pytest.raises(Boom):
        cause_that_fails()

    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_running_the_delivery_task_twice_for_one_row_sends_once():
    with transaction.atomic():
        message = queue()
    assert len(mail.outbox) == 1

    deliver_mail.apply(args=[message.pk])
    deliver_mail.apply(args=[message.pk])

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_attachments_travel_with_the_mail():
    with transaction.atomic():
        queue(
            attachments=[
                ("bijeenkomst.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
            ]
        )

    filename, content, mimetype = mail.outbox[0].attachments[0]
    assert filename == "bijeenkomst.ics"
    assert mimetype == "text/calendar"
    assert "BEGIN:VCALENDAR" in (content.decode() if isinstance(content, bytes) else content)


def test_a_temporary_smtp_refusal_is_retried_and_delivered_once(smtp_sink):
    smtp_sink.refuse_next = ["451 4.3.0 Probeer het later nog eens"]

    with transaction.atomic():
        message = queue()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert len(smtp_sink.messages) == 1
    received = message_from_bytes(smtp_sink.messages[0].content)
    assert received["Subject"] == "Bericht voor Anna"
    assert received.is_multipart()
    assert {part.get_content_type() for part in received.walk()} >= {"text/plain", "text/html"}


def test_a_temporary_refusal_waits_with_backoff_before_the_next_attempt(smtp_sink, settings):
    settings.MAIL_RETRY_BASE_SECONDS = 60
    smtp_sink.refuse_next = ["451 4.3.0 Even niet"]
    with transaction.atomic():
        message = OutboxMessage.objects.create(
            key="handmatig", to="anna@example.org", subject="s", body_text="t", body_html="h"
        )

    with pytest.raises(outbox.TemporaryDeliveryError) as raised:
        outbox.deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.last_error.startswith("451")
    assert timedelta(seconds=55) < raised.value.retry_in <= timedelta(seconds=60)
    assert message.next_attempt_at > timezone.now()
    assert smtp_sink.messages == []


def test_a_permanent_smtp_refusal_ends_as_failed_with_the_reason_kept(smtp_sink):
    smtp_sink.refuse_next = ["550 5.1.1 Mailbox bestaat niet"]

    with transaction.atomic():
        message = queue()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.last_error == "550 5.1.1 Mailbox bestaat niet"
    assert message.attempts == 1
    assert smtp_sink.messages == []


def test_temporary_failures_give_up_after_the_maximum_attempts(smtp_sink, settings):
    settings.MAIL_MAX_ATTEMPTS = 3
    smtp_sink.refuse_next = ["451 4.3.0 Vol"] * 5

    with transaction.atomic():
        message = queue()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 3
    assert "451 4.3.0 Vol" in message.last_error
    assert smtp_sink.messages == []


def test_an_unreachable_smtp_server_is_a_temporary_failure(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing listens, the connection is refused
    settings.EMAIL_TIMEOUT = 2
    with transaction.atomic():
        message = OutboxMessage.objects.create(
            key="onbereikbaar", to="anna@example.org", subject="s", body_text="t", body_html="h"
        )

    with pytest.raises(outbox.TemporaryDeliveryError):
        outbox.deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.attempts == 1


def test_the_periodic_task_requeues_a_stuck_row_and_leaves_the_rest(settings):
    stuck = OutboxMessage.objects.create(
        key="vastgelopen",
        to="anna@example.org",
        subject="Vastgelopen",
        body_text="t",
        body_html="<p>h</p>",
        next_attempt_at=timezone.now() - settings.MAIL_STUCK_AFTER - timedelta(minutes=1),
    )
    waiting = OutboxMessage.objects.create(
        key="wacht-op-nieuwe-poging",
        to="bert@example.org",
        subject="Wacht",
        body_text="t",
        body_html="<p>h</p>",
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )

    assert requeue_stuck_mail.apply().get() == 1

    stuck.refresh_from_db()
    waiting.refresh_from_db()
    assert stuck.status == OutboxMessage.Status.SENT
    assert waiting.status == OutboxMessage.Status.QUEUED
    assert [sent.subject for sent in mail.outbox] == ["Vastgelopen"]


def test_stored_attachments_are_base64_so_they_survive_json():
    with transaction.atomic():
        message = queue(attachments=[("a.bin", bytes(range(256)), "application/octet-stream")])
    message.refresh_from_db()
    assert base64.b64decode(message.attachments[0]["content"]) == bytes(range(256))


@pytest.mark.celery_worker
def test_a_mail_committed_in_a_transaction_reaches_smtp_through_a_real_worker(
    celery_worker, smtp_sink
):
    with transaction.atomic():
        message = queue(key="worker:1", to="wim@example.nl")

    deadline = time.monotonic() + 30
    while not smtp_sink.messages and time.monotonic() < deadline:
        time.sleep(0.2)

    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0].rcpt_tos == ["wim@example.nl"]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
