from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bijeenkomsten import demo as bijeenkomsten_demo
from kennisbank import demo as kennisbank_demo
from leerateliers import demo as leeratelier_demo
from netwerk import demo as netwerk_demo
from nieuwsbrief import demo as nieuwsbrief_demo
from themas import demo as thema_demo
from werkplaats import cache


class Command(BaseCommand):
    help = (
        "Loads the demo content: invented people at example.org / example.nl only. "
        "Safe to run twice."
    )

    # Each app seeds its own content, in the order its rules depend on each other.
    SEEDERS = [
        netwerk_demo.seed,
        leeratelier_demo.seed,
        thema_demo.seed,
        thema_demo.seed_updates,
        bijeenkomsten_demo.seed,
        bijeenkomsten_demo.seed_history,
        kennisbank_demo.seed,
        nieuwsbrief_demo.seed,
    ]

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the synthetic content, e.g. 100 for benchmarks.",
        )

    def handle(self, *args, scale, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        with transaction.atomic():
            for seed in self.SEEDERS:
                seed(scale=scale, stdout=self.stdout)
            # The demo content is written in bulk, past the services: every page may change.
            cache.bump_everything()
