from celery import shared_task

from netwerk import outbox


@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver_mail(self, message_id: int) -> None:
    """Deliver one outbox row; temporary SMTP failures come back after a backoff.

    The outbox counts the attempts and gives up after MAIL_MAX_ATTEMPTS, so Celery's own
    retry limit is off.
    """
    try:
        outbox.deliver(message_id=message_id)
    except outbox.TemporaryDeliveryError as error:
        if self.request.is_eager:
            # Without a broker there is no "later": try again now, in this process.
            deliver_mail.apply(args=[message_id])
            return
        raise self.retry(countdown=max(error.retry_in.total_seconds(), 0)) from error


@shared_task
def requeue_stuck_mail() -> int:
    """Periodic: re-queue outbox rows whose delivery task was lost."""
    return outbox.requeue_stuck()
