"""The real stack: a Celery worker on Redis runs the periodic task and delivers over SMTP."""

import time
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from bijeenkomsten import services, tasks
from bijeenkomsten.models import Aanmelding
from tests.bijeenkomsten.factories import BijeenkomstFactory


def subjects_for(smtp_sink, address):
    return [
        str(make_header(decode_header(message_from_bytes(envelope.content)["Subject"])))
        for envelope in smtp_sink.messages
        if envelope.rcpt_tos == [address]
    ]


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)
    return condition()


@pytest.mark.celery_worker
def test_an_expired_offer_passes_on_through_the_worker_and_both_mails_arrive(
    celery_worker, smtp_sink
):
    bijeenkomst = BijeenkomstFactory(titel="Masterclass", capaciteit=1)
    anna, bram, cor = (
        services.register(bijeenkomst=bijeenkomst, email=f"{naam}@example.org", naam=naam)
        for naam in ["anna", "bram", "cor"]
    )
    services.cancel(aanmelding=anna)
    assert wait_for(
        lambda: (
            subjects_for(smtp_sink, "bram@example.org")[-1:]
            == ["Er is een plek vrij voor je bij Masterclass"]
        )
    )

    Aanmelding.objects.filter(pk=bram.pk).update(aanbod_tot=timezone.now() - timedelta(minutes=1))
    tasks.expire_offers.delay()

    assert wait_for(
        lambda: (
            "Er is een plek vrij voor je bij Masterclass"
            in subjects_for(smtp_sink, "cor@example.org")
        )
    )
    assert "Het aanbod voor Masterclass is verlopen" in subjects_for(smtp_sink, "bram@example.org")
    bram.refresh_from_db()
    assert bram.status == Aanmelding.Status.VERLOPEN
