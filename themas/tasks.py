from celery import shared_task

from themas import services


@shared_task
def publish_due_updates() -> int:
    """Periodic: publish scheduled updates whose time has come."""
    return services.publish_due_updates()


@shared_task
def send_weekly_digests() -> int:
    """Periodic (weekly): the digest of updates for those who chose it."""
    return services.send_weekly_digests()


@shared_task
def delete_stale_preview_images() -> int:
    """Periodic: images of update previews whose form was never saved."""
    return services.delete_stale_preview_images()
