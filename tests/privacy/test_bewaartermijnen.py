"""Retention against explicit clocks: just before each boundary nothing changes, just after
it the data goes; counts and attendance stay."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings as django_settings

from bijeenkomsten.models import Aanmelding, Handeling
from bijeenkomsten.services import months_before
from netwerk.models import OutboxMessage
from nieuwsbrief.services import SUBSCRIPTION_LINK_MAX_AGE
from privacy import services, tasks
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.netwerk.factories import AbonnementFactory

pytestmark = pytest.mark.django_db

EIND = datetime(2025, 3, 31, 17, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture
def oude_aanmelding():
    bijeenkomst = BijeenkomstFactory(start=EIND - timedelta(hours=3), eind=EIND)
    aanmelding = AanmeldingFactory(
        bijeenkomst=bijeenkomst,
        naam="Bram Bewaard",
        email="bram@example.org",
        dieetwensen="halal",
        aanwezig_op=EIND - timedelta(hours=2),
    )
    Handeling.objects.create(
        bijeenkomst=bijeenkomst,
        aanmelding=aanmelding,
        soort=Handeling.Soort.AANWEZIG,
        omschrijving="Bram Bewaard <bram@example.org>",
    )
    return aanmelding


def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert months_before(EIND, 12) == datetime(2024, 3, 31, 17, 0, tzinfo=UTC)
    assert months_before(EIND, 1) == datetime(2025, 2, 28, 17, 0, tzinfo=UTC)
    assert months_before(EIND, 13) == datetime(2024, 2, 29, 17, 0, tzinfo=UTC)


def test_registrations_are_anonymised_just_after_the_retention_period_not_before(
    oude_aanmelding,
):
    # Twelve months after 31 March 2025 17:00 is 31 March 2026 17:00.
    boundary = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)
    assert services.apply_retention(now=boundary).aanmeldingen_geanonimiseerd == 0
    oude_aanmelding.refresh_from_db()
    assert oude_aanmelding.email == "bram@example.org"

    result = services.apply_retention(now=boundary + SECOND)
    assert result.aanmeldingen_geanonimiseerd == 1
    oude_aanmelding.refresh_from_db()
    assert oude_aanmelding.naam == "geanonimiseerd"
    assert oude_aanmelding.email.endswith("@verwijderd.invalid")
    assert oude_aanmelding.dieetwensen == ""
    # Counts and attendance stay.
    assert oude_aanmelding.status == Aanmelding.Status.BEVESTIGD
    assert oude_aanmelding.aanwezig_op is not None
    log = Handeling.objects.get()
    assert "Bram" not in log.omschrijving
    assert "bram@example.org" not in log.omschrijving


def test_the_retention_period_of_registrations_comes_from_the_settings(settings):
    eind = datetime(2025, 1, 15, 17, 0, tzinfo=UTC)
    AanmeldingFactory(bijeenkomst=BijeenkomstFactory(start=eind - timedelta(hours=2), eind=eind))
    settings.RETENTION_AANMELDINGEN_MONTHS = 1
    boundary = datetime(2025, 2, 15, 17, 0, tzinfo=UTC)
    assert services.apply_retention(now=boundary).aanmeldingen_geanonimiseerd == 0
    assert services.apply_retention(now=boundary + SECOND).aanmeldingen_geanonimiseerd == 1


def test_retention_is_idempotent(oude_aanmelding):
    later = EIND + timedelta(days=800)
    assert services.apply_retention(now=later).aanmeldingen_geanonimiseerd == 1
    address = Aanmelding.objects.get().email
    assert services.apply_retention(now=later).aanmeldingen_geanonimiseerd == 0
    assert Aanmelding.objects.get().email == address


def _mail(*, key, to, created_at, status=OutboxMessage.Status.SENT, subject="Onderwerp"):
    message = OutboxMessage.objects.create(
        key=key,
        to=to,
        subject=subject,
        body_text="Beste Bram, hier is je link.",
        body_html="<p>Beste Bram</p>",
        headers={"List-Unsubscribe": "<https://example.org/afmelden/geheim>"},
        status=status,
    )
    # created_at is auto_now_add: set the clock of the row afterwards.
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=created_at)
    return message


def test_sent_mails_lose_their_content_just_after_the_retention_period(settings):
    sent_at = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    message = _mail(key="a", to="bram@example.org", created_at=sent_at)
    queued = _mail(
        key="b", to="bram@example.org", created_at=sent_at, status=OutboxMessage.Status.QUEUED
    )
    boundary = sent_at + timedelta(days=settings.RETENTION_OUTBOX_DAYS)
    assert services.apply_retention(now=boundary).mails_geleegd == 0
    assert services.apply_retention(now=boundary + SECOND).mails_geleegd == 1
    message.refresh_from_db()
    assert (message.body_text, message.body_html, message.headers) == ("", "", {})
    # The record of what was sent to whom stays; a mail still queued is not touched.
    assert (message.to, message.subject) == ("bram@example.org", "Onderwerp")
    queued.refresh_from_db()
    assert queued.body_text


def test_a_subject_naming_another_person_goes_with_the_content(settings):
    sent_at = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    message = _mail(
        key="leerateliers:arena-aanvraag:1:2025-01-01:2",
        to="trekker@example.org",
        created_at=sent_at,
        subject="Bram Bewaard vraagt een plek in de arena van Armoede",
    )
    services.apply_retention(now=sent_at + timedelta(days=settings.RETENTION_OUTBOX_DAYS + 1))
    message.refresh_from_db()
    assert message.subject == "(onderwerp verwijderd)"


def test_the_outbox_period_comes_from_the_settings(settings):
    sent_at = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    _mail(key="a", to="bram@example.org", created_at=sent_at)
    settings.RETENTION_OUTBOX_DAYS = 10
    assert services.apply_retention(now=sent_at + timedelta(days=10)).mails_geleegd == 0
    assert services.apply_retention(now=sent_at + timedelta(days=10) + SECOND).mails_geleegd == 1


def test_an_unconfirmed_subscription_goes_once_its_link_expired_a_confirmed_one_stays():
    asked = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    _mail(key="nieuwsbrief-aanmelding:aaa:1", to="nooit@example.org", created_at=asked)
    _mail(key="nieuwsbrief-aanmelding:bbb:1", to="wel@example.org", created_at=asked)
    AbonnementFactory(email="wel@example.org")
    expiry = asked + SUBSCRIPTION_LINK_MAX_AGE
    assert services.apply_retention(now=expiry).bevestigingsmails_verwijderd == 0
    assert services.apply_retention(now=expiry + SECOND).bevestigingsmails_verwijderd == 1
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["wel@example.org"]


def test_the_daily_task_applies_retention_and_is_scheduled():
    assert tasks.apply_retention.delay().get() == {
        "aanmeldingen_geanonimiseerd": 0,
        "mails_geleegd": 0,
        "bevestigingsmails_verwijderd": 0,
    }
    schedule = django_settings.CELERY_BEAT_SCHEDULE["privacy-apply-retention"]
    assert schedule["task"] == "privacy.tasks.apply_retention"
