import pytest
from django.conf import settings
from django.urls import reverse

from bijeenkomsten.models import Bijeenkomst
from tests.bijeenkomsten.factories import BijeenkomstFactory
from werkplaats.celery import app

pytestmark = pytest.mark.django_db


def test_offers_expire_every_two_minutes_and_reminders_are_scheduled():
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }

    app.loader.import_default_modules()
    assert "bijeenkomsten.tasks.expire_offers" in app.tasks
    assert "bijeenkomsten.tasks.remind_offers" in app.tasks
    assert schedule["bijeenkomsten.tasks.expire_offers"].minute == set(range(0, 60, 2))
    assert "bijeenkomsten.tasks.remind_offers" in schedule


def test_the_admin_cancels_through_the_service_and_keeps_service_fields_read_only(admin_client):
    bijeenkomst = BijeenkomstFactory()

    change = admin_client.get(
        reverse("admin:bijeenkomsten_bijeenkomst_change", args=[bijeenkomst.pk])
    )
    admin_client.post(
        reverse("admin:bijeenkomsten_bijeenkomst_changelist"),
        {"action": "cancel_selected", "_selected_action": [bijeenkomst.pk]},
    )

    assert change.status_code == 200
    # What only the services may change once published: places, the wachtlijst, time, place.
    for field in ["capaciteit", "wachtlijst_open", "bedenktijd_uren", "locatie_naam"]:
        assert f'name="{field}"' not in change.text
    assert 'name="titel"' in change.text
    bijeenkomst.refresh_from_db()
    assert bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD
    assert admin_client.get(reverse("admin:bijeenkomsten_aanmelding_changelist")).status_code == 200
