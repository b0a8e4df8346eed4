"""The beat schedule without a broker: what `make run` uses on the embedded default.

`celery beat` only sends tasks to a broker, and the embedded default has none (Celery runs
tasks eagerly in the process that asks). `Scheduler` reads the same `CELERY_BEAT_SCHEDULE`
and runs each due task in its own process, through the task itself, so a scheduled update
is published, an offer expires and a planned edition starts as they do in production.
It keeps its state in memory: one scheduler beside one development server, never two.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.schedules import maybe_schedule
from django.conf import settings
from django.utils.module_loading import autodiscover_modules

from werkplaats.celery import app

logger = logging.getLogger(__name__)


@dataclass
class Entry:
    name: str
    task: str
    schedule: object  # a celery schedule (crontab, or a timedelta made a schedule)
    last_run_at: datetime


class Scheduler:
    def __init__(self, *, now: datetime, beat_schedule: dict | None = None):
        autodiscover_modules("tasks")  # registers every app's tasks with the Celery app
        beat_schedule = settings.CELERY_BEAT_SCHEDULE if beat_schedule is None else beat_schedule
        # As if it had been running until a minute ago: what runs every minute runs at once
        # (an update whose time passed while nothing ran is published when the portal starts),
        # what runs at a set hour waits for it.
        started = now - timedelta(minutes=1)
        self.entries = [
            Entry(
                name=name,
                task=entry["task"],
                schedule=maybe_schedule(entry["schedule"], app=app),
                last_run_at=started,
            )
            for name, entry in beat_schedule.items()
        ]
        unknown = [entry.task for entry in self.entries if entry.task not in app.tasks]
        if unknown:
            raise LookupError(f"The beat schedule names tasks that do not exist: {unknown}")

    def due(self, now: datetime) -> list[Entry]:
        return [entry for entry in self.entries if _is_due(entry, now)]

    def tick(self, now: datetime) -> list[str]:
        """Run every due task once; the names of those that ran. A task that fails is
        logged and tried again at its next time, like beat does."""
        ran = []
        for entry in self.due(now):
            entry.last_run_at = now
            try:
                app.tasks[entry.task].apply(throw=True)
            except Exception:
                logger.exception("Periodic task %s failed", entry.name)
            ran.append(entry.name)
        return ran


def _is_due(entry: Entry, now: datetime) -> bool:
    start, delta, _ = entry.schedule.remaining_delta(entry.last_run_at)
    return start + delta <= now
