"""The beat schedule on the embedded default: `make run` runs `manage.py run_schedule`
beside the server, which runs the same periodic tasks as `celery beat` without a broker."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.conftest import BASE_DIR, _test_database_url
from tests.themas.factories import UpdateFactory
from themas import services as thema_services
from themas.models import Update
from werkplaats.schedule import Scheduler

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def overdue_update() -> Update:
    """An update planned for a moment that has passed while nothing ran."""
    update = UpdateFactory(status=Update.Status.CONCEPT, gepubliceerd_op=None)
    thema_services.schedule_update(update=update, publiceren_op=timezone.now() + timedelta(hours=1))
    Update.objects.filter(pk=update.pk).update(publiceren_op=timezone.now() - timedelta(minutes=5))
    return update


def test_every_task_the_beat_schedule_names_exists():
    scheduler = Scheduler(now=timezone.now())

    assert len(scheduler.entries) >= 10


def test_a_schedule_naming_a_task_that_does_not_exist_is_refused():
    with pytest.raises(LookupError, match="themas.tasks.bestaat_niet"):
        Scheduler(
            now=timezone.now(),
            beat_schedule={"x": {"task": "themas.tasks.bestaat_niet", "schedule": 60}},
        )


@pytest.mark.django_db
def test_a_scheduled_update_whose_time_passed_is_published_when_the_scheduler_starts():
    update = overdue_update()
    now = timezone.now()

    ran = Scheduler(now=now).tick(now)

    assert "publish-due-updates" in ran
    update.refresh_from_db()
    assert update.status == Update.Status.GEPUBLICEERD


def test_what_runs_at_a_set_hour_waits_for_it_and_runs_once():
    monday_morning = datetime(2026, 12, 7, 7, 30, tzinfo=AMSTERDAM)
    scheduler = Scheduler(now=monday_morning)
    due_names = lambda now: {entry.name for entry in scheduler.due(now)}  # noqa: E731

    assert "send-weekly-digests" not in due_names(monday_morning)
    assert "send-weekly-digests" not in due_names(monday_morning + timedelta(minutes=29))
    eight = monday_morning + timedelta(minutes=30, seconds=1)
    assert "send-weekly-digests" in due_names(eight)

    digest = next(entry for entry in scheduler.entries if entry.name == "send-weekly-digests")
    digest.last_run_at = eight
    assert "send-weekly-digests" not in due_names(eight + timedelta(hours=1))


@pytest.mark.django_db
def test_a_failing_task_is_logged_and_the_others_still_run(monkeypatch, caplog):
    update = overdue_update()

    def broken():
        raise RuntimeError("kapot")

    # A fault in the first task of the schedule (a bug, a database hiccup).
    monkeypatch.setattr("netwerk.outbox.mark_lost_deliveries_onbekend", broken)
    now = timezone.now().replace(minute=0, second=30)  # every-5-minutes tasks are due too
    scheduler = Scheduler(now=now)

    ran = scheduler.tick(now)

    assert {"requeue-stuck-mail", "publish-due-updates"} <= set(ran)
    assert "Periodic task requeue-stuck-mail failed" in caplog.text
    update.refresh_from_db()
    assert update.status == Update.Status.GEPUBLICEERD


@pytest.mark.real_stack_only(reason="a second process needs a database on disk")
@pytest.mark.django_db(transaction=True)
def test_run_schedule_publishes_an_overdue_update_and_stops_when_told():
    update = overdue_update()
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": "",  # the embedded default: tasks run in the scheduler's process
        "DEBUG": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_schedule", "--interval", "0.2"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            update.refresh_from_db()
            if update.status == Update.Status.GEPUBLICEERD:
                break
            time.sleep(0.2)
        assert update.status == Update.Status.GEPUBLICEERD
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
    assert process.returncode == 0, output
    assert "ran publish-due-updates" in output


def test_mail_links_follow_the_port_unless_site_url_is_set():
    def site_url(**env):
        base = {k: v for k, v in os.environ.items() if k not in ("PORT", "SITE_URL")}
        return subprocess.run(
            [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
            cwd=BASE_DIR,
            env={**base, "DJANGO_SETTINGS_MODULE": "werkplaats.settings", "DEBUG": "1", **env},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8603") == "http://127.0.0.1:8603"
    assert site_url(PORT="8603", SITE_URL="https://werkplaats.example.org/") == (
        "https://werkplaats.example.org"
    )
