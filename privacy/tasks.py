from celery import shared_task
from django.utils import timezone

from privacy import services


@shared_task
def apply_retention() -> dict:
    """Daily: anonymise and empty what is past its retention period (idempotent)."""
    result = services.apply_retention(now=timezone.now())
    return result.__dict__
