from celery import shared_task

from bijeenkomsten import services
from werkplaats.exceptions import Busy


@shared_task
def expire_offers() -> int:
    """Periodic: offers past their deadline become verlopen; the place passes on."""
    return sum(
        services.expire_offers(bijeenkomst_id=bijeenkomst_id)
        for bijeenkomst_id in services.bijeenkomsten_with_expired_offers()
    )


@shared_task
def expire_session_offers() -> int:
    """Periodic: offered session places past their deadline become verlopen and pass on."""
    return sum(
        services.expire_session_offers(bijeenkomst_id=bijeenkomst_id)
        for bijeenkomst_id in services.bijeenkomsten_with_expired_session_offers()
    )


@shared_task
def remind_offers() -> int:
    """Periodic: one reminder per offer, 12 hours before it expires."""
    return sum(
        services.remind_offer(aanmelding_id=aanmelding_id)
        for aanmelding_id in services.offers_due_for_reminder()
    )


@shared_task
def release_reserved_places() -> int:
    """Periodic: reserved places whose date passed open to everyone, once, under the lock."""
    return sum(
        services.release_reserved_places(bijeenkomst_id=bijeenkomst_id)
        for bijeenkomst_id in services.bijeenkomsten_with_reservations_due()
    )


@shared_task
def remind_attendees_day_before() -> int:
    """Periodic: the reminder the day before to every bevestigd attendee, once per
    bijeenkomst, under its lock."""
    return sum(
        services.remind_attendees(bijeenkomst_id=bijeenkomst_id)
        for bijeenkomst_id in services.bijeenkomsten_due_for_day_before_reminder()
    )


@shared_task
def delete_expired_guest_registrations() -> int:
    """Periodic: pending guest registrations past their expiry are deleted (retention: they
    hold the personal data of people who never confirmed)."""
    return services.delete_expired_guest_registrations()


@shared_task(autoretry_for=(Busy,), retry_backoff=2, max_retries=8)
def run_import(import_id: int) -> str:
    """A confirmed CSV import: registers its rows, all or none, exactly once. Waits and
    tries again while the bijeenkomst is locked by someone else's change."""
    return services.run_import(import_id=import_id).status


@shared_task
def resume_stuck_imports() -> int:
    """Periodic: imports still waiting that nobody runs (their task got lost, or their worker
    died halfway and the transaction rolled back) are run again; returns how many."""
    stuck = services.imports_to_resume()
    for import_id in stuck:
        run_import.delay(import_id)
    return len(stuck)


@shared_task
def match_organisaties() -> int:
    """Periodic: match the free-text organisatie of new registrations to Organisatie rows
    (linked when confident, proposed to a coördinator otherwise)."""
    return services.match_organisaties().bekeken


@shared_task
def send_evaluations() -> int:
    """Periodic: the evaluation to those present at each bijeenkomst just held that has
    questions for it; once per bijeenkomst, under its lock, whatever beats run."""
    return sum(
        services.send_evaluation(bijeenkomst_id=bijeenkomst_id)
        for bijeenkomst_id in services.bijeenkomsten_due_for_evaluation()
    )
