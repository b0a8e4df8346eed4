"""The mail outbox every app sends through.

A cause writes its mail with `queue_mail()` inside its own transaction; the row is delivered
by a Celery task queued after commit (`deliver()`), and `requeue_stuck()` runs periodically
for rows whose task got lost, so a broker outage delays mail but never loses it.
"""

import base64
import logging
import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from netwerk.models import OutboxMessage

logger = logging.getLogger(__name__)

# Answers an SMTP server gives when it may accept the same message later (RFC 5321 4yz),
# and failures to reach it at all.
TEMPORARY_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    socket.timeout,
    ConnectionError,
    OSError,
)


class TemporaryDeliveryError(Exception):
    """Delivery failed in a way that may succeed later; the caller retries."""

    def __init__(self, message: OutboxMessage, retry_in: timedelta):
        super().__init__(message.last_error)
        self.retry_in = retry_in


def queue_mail(
    *,
    key: str,
    to: str,
    template: str,
    context: dict | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
    language: str | None = None,
) -> OutboxMessage:
    """Render `<template>_subject.txt`, `.txt` and `.html` and queue them for `to`.

    `template` is the path without suffix, e.g. "netwerk/mail/welkom". Queueing the same
    key again returns the existing message and sends nothing more.
    """
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing:
        return existing
    context = {"site_url": settings.SITE_URL, **(context or {})}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body_text = render_to_string(f"{template}.txt", context)
        body_html = render_to_string(f"{template}.html", context)
    return queue_rendered_mail(
        key=key,
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers=headers,
        attachments=attachments,
    )


def queue_rendered_mail(
    *,
    key: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> OutboxMessage:
    """Queue a mail whose parts are already rendered (allauth renders its own)."""
    # A savepoint keeps the caller's transaction usable when a concurrent caller won
    # the race for the same key.
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key,
                to=to,
                subject=" ".join(subject.split())[:255],
                body_text=body_text,
                body_html=body_html,
                headers=headers or {},
                attachments=[
                    {
                        "filename": filename,
                        "mimetype": mimetype,
                        "content": base64.b64encode(content).decode("ascii"),
                    }
                    for filename, content, mimetype in attachments or []
                ],
            )
    except IntegrityError:
        return OutboxMessage.objects.get(key=key)
    _deliver_after_commit(message.pk)
    return message


def _deliver_after_commit(message_id: int) -> None:
    from netwerk.tasks import deliver_mail

    transaction.on_commit(lambda: deliver_mail.delay(message_id))


def build_email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers=message.headers,
    )
    email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    return email


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base … capped at six hours."""
    seconds = settings.MAIL_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 6 * 3600))


def deliver(*, message_id: int) -> OutboxMessage | None:
    """Send one queued message; a message that is not queued (anymore) is left alone.

    The row stays locked while the SMTP server answers, so a second delivery of the same
    row waits and then finds it sent. Raises TemporaryDeliveryError when it should be
    tried again later; a permanent refusal ends as failed with its reason.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, status=OutboxMessage.Status.QUEUED)
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        try:
            build_email(message).send()
        except smtplib.SMTPResponseException as error:
            reason = f"{error.smtp_code} {_decode(error.smtp_error)}"
            if 400 <= error.smtp_code < 500:
                _record_temporary_failure(message, reason)
            else:
                _record_permanent_failure(message, reason)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            reason = f"{code} {_decode(text)}"
            if 400 <= code < 500:
                _record_temporary_failure(message, reason)
            else:
                _record_permanent_failure(message, reason)
        except TEMPORARY_ERRORS as error:
            _record_temporary_failure(message, f"{type(error).__name__}: {error}")
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    if message.status == OutboxMessage.Status.QUEUED:
        raise TemporaryDeliveryError(message, retry_in=message.next_attempt_at - timezone.now())
    return message


def _decode(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


def _record_temporary_failure(message: OutboxMessage, reason: str) -> None:
    message.last_error = reason
    if message.attempts >= settings.MAIL_MAX_ATTEMPTS:
        message.status = OutboxMessage.Status.FAILED
        message.last_error = f"Na {message.attempts} pogingen opgegeven: {reason}"
        logger.error("Mail %s failed for good: %s", message.pk, message.last_error)
    else:
        message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
        logger.warning("Mail %s will be retried: %s", message.pk, reason)
    message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])


def _record_permanent_failure(message: OutboxMessage, reason: str) -> None:
    message.status = OutboxMessage.Status.FAILED
    message.last_error = reason
    message.save(update_fields=["status", "attempts", "last_error"])
    logger.error("Mail %s was refused: %s", message.pk, reason)


def requeue_stuck() -> int:
    """Queue delivery again for queued rows that are overdue; returns how many."""
    overdue = timezone.now() - settings.MAIL_STUCK_AFTER
    message_ids = list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.QUEUED, next_attempt_at__lt=overdue
        ).values_list("pk", flat=True)[:1000]
    )
    for message_id in message_ids:
        _deliver_after_commit(message_id)
    return len(message_ids)
