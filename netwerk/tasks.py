from celery import shared_task

from netwerk import outbox


@shared_task(acks_late=True)
def deliver_mail_batch(message_ids: list[int]) -> None:
    """Deliver outbox rows over one SMTP connection; rows that are not queued are skipped.

    Temporary failures come back as a new batch after their backoff (at once when tasks run
    eagerly, without a broker); should that task get lost, the periodic sweep finds the rows
    by `next_attempt_at`. The outbox counts the attempts and gives up after MAIL_MAX_ATTEMPTS.
    """
    messages = outbox.deliver_batch(message_ids=message_ids)
    for retry_in, due_ids in outbox.retries(messages).items():
        deliver_mail_batch.apply_async(args=[due_ids], countdown=retry_in.total_seconds())


@shared_task(acks_late=True)
def deliver_mail(message_id: int) -> None:
    """Deliver one outbox row (a batch of one)."""
    deliver_mail_batch(message_ids=[message_id])


@shared_task
def requeue_stuck_mail() -> int:
    """Periodic: rows whose worker died mid-delivery become onbekend (never resent), then
    queued rows whose delivery task was lost are queued again in batches; returns how many."""
    outbox.mark_lost_deliveries_onbekend()
    return outbox.requeue_stuck()


@shared_task(acks_late=True)
def send_password_reset(email: str, language: str) -> int:
    """A password reset asked for `email`: the mail for its account, if it has one. Every
    request queues this task alike, so its timing tells nothing (netwerk.account_forms)."""
    from netwerk.account_forms import send_password_reset_mail

    return send_password_reset_mail(email=email, language=language)
