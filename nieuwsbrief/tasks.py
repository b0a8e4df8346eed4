from celery import shared_task

from nieuwsbrief import delivery, services


@shared_task(acks_late=True)
def deliver_edition(editie_id: int) -> None:
    """Send the next batch of an edition; the next batch follows while deliveries are due.

    Idempotent: a second task for the same edition finds the claim taken or nothing queued.
    """
    if delivery.deliver_batch(editie_id=editie_id):
        deliver_edition.delay(editie_id)


@shared_task
def send_editions() -> int:
    """Periodic: start planned editions whose time has come, and resume editions nobody is
    sending (their worker died, a task got lost, or retries are due). Returns how many."""
    started = services.start_due_editions()
    stalled = [pk for pk in delivery.editions_to_resume() if pk not in started]
    for editie_id in stalled:
        deliver_edition.delay(editie_id)
    return len(started) + len(stalled)
