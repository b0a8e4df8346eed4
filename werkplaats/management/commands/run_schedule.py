"""Runs the beat schedule in this process, for the embedded default (`make run` starts it
beside the development server): see werkplaats/schedule.py."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from werkplaats.schedule import Scheduler


class Command(BaseCommand):
    help = "Run the periodic tasks of the beat schedule in this process (no broker needed)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between looks at the clock"
        )

    def handle(self, *args, interval: float, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        scheduler = Scheduler(now=timezone.now())
        self.stdout.write(f"Periodic tasks: {len(scheduler.entries)} in the schedule.")
        try:
            while not stopping:
                for name in scheduler.tick(timezone.now()):
                    self.stdout.write(f"ran {name}")
                close_old_connections()
                time.sleep(interval)
        except KeyboardInterrupt:
            pass
