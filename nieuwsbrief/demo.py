"""Demo content of the nieuwsbrief: the demo partners subscribe, as if on their own page."""

from datetime import datetime

from django.utils import timezone

from netwerk import services as netwerk_services
from netwerk.demo import PARTNERS
from netwerk.models import HUIDIGE_TOESTEMMING, Toestemming

# One fixed moment of asking: running the demo twice records one consent per person.
ASKED = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.get_fixed_timezone(60))


def seed(*, scale: int, stdout) -> None:
    for email, naam, *_rest in PARTNERS:
        netwerk_services.subscribe(
            email=email,
            naam=naam,
            leeratelier_ids=[],
            thema_ids=[],
            tekst_versie=HUIDIGE_TOESTEMMING,
            taal="nl",
            formulier=Toestemming.Formulier.MIJN,
            gevraagd_op=ASKED,
            bevestigd_op=ASKED,
        )
    stdout.write(
        f"Nieuwsbrief: {len(PARTNERS)} demo subscribers; the coördinator composes editions at "
        "/nieuwsbrief/edities/."
    )
