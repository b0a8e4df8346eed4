"""Benchmark: an invitation to 5,000 addresses is queued in under 10 seconds; the preview,
a reminder round, a message to 2,000 registered and the day-before reminder for them
stay fast too. Not part of the default run: `bash scripts/test.sh tests/perf -s`."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bericht
from bijeenkomsten.selectors import Audience
from leerateliers.models import Deelname
from netwerk.models import OutboxMessage, Persoon
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db

ARENA = 3_000
PASTED = 2_000
REGISTERED = 2_000


def timed(label, call):
    started = time.monotonic()
    result = call()
    elapsed = time.monotonic() - started
    print(f"{label:58} {elapsed:6.2f} s")
    return result, elapsed


@pytest.fixture
def audience():
    """3,000 arena deelnemers of one atelier and 2,000 pasted addresses: 5,000 in all."""
    password = make_password(None)
    people = Persoon.objects.bulk_create(
        Persoon(email=f"arena{n:05}@example.org", naam=f"Arena {n}", password=password)
        for n in range(ARENA)
    )
    atelier = LeeratelierFactory()
    Deelname.objects.bulk_create(
        Deelname(leeratelier=atelier, persoon=persoon, rol="arena", status="actief")
        for persoon in people
    )
    adressen = "\n".join(f"Gast {n} <gast{n:05}@example.nl>" for n in range(PASTED))
    return Audience(leeratelier_ids=(atelier.pk,), rollen=("arena",), adressen=adressen)


def test_an_invitation_to_5000_addresses_is_queued_in_under_10_seconds(client, audience):
    bijeenkomst = BijeenkomstFactory(slug="groot-symposium", capaciteit=None)
    coordinator = make_coordinator()
    client.force_login(coordinator)
    print()

    preview, preview_seconds = timed(
        "preview of 5,000 addresses (page 1)",
        lambda: client.post(
            reverse("bijeenkomsten:uitnodigen", args=["groot-symposium"]),
            {
                "leerateliers": list(audience.leeratelier_ids),
                "rollen": ["arena"],
                "adressen": audience.adressen,
            },
        ),
    )
    assert "<strong>5000</strong> adressen" in preview.text.replace("\xa0", "").replace(".", "")

    result, invite_seconds = timed(
        "invitation to 5,000 addresses queued",
        lambda: services.invite(bijeenkomst=bijeenkomst, door=coordinator, audience=audience),
    )
    assert result.uitgenodigd == ARENA + PASTED
    assert OutboxMessage.objects.count() == ARENA + PASTED

    reminded, remind_seconds = timed(
        "reminder round to 5,000 invited",
        lambda: services.remind_invited(bijeenkomst=bijeenkomst, door=coordinator, ronde=1),
    )
    assert reminded == ARENA + PASTED

    assert invite_seconds < 10
    assert remind_seconds < 10
    assert preview_seconds < 10


def test_a_message_and_the_day_before_reminder_to_2000_registered_stay_fast():
    bijeenkomst = BijeenkomstFactory(capaciteit=None, start=timezone.now() + timedelta(hours=12))
    Aanmelding.objects.bulk_create(
        Aanmelding(
            bijeenkomst=bijeenkomst,
            naam=f"Deelnemer {n}",
            email=f"deelnemer{n:05}@example.org",
            status=Aanmelding.Status.BEVESTIGD,
        )
        for n in range(REGISTERED)
    )
    coordinator = make_coordinator()
    bericht = services.save_bericht(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        onderwerp="Praktische informatie",
        tekst="Neem je laptop mee.\n" * 20,
        doelgroep=Bericht.Doelgroep.OPEN,
    )
    print()

    _, message_seconds = timed(
        "message to 2,000 registered queued",
        lambda: services.send_bericht(bericht=bericht, door=coordinator),
    )
    mailed, reminder_seconds = timed(
        "day-before reminder to 2,000 (holding the row lock)",
        lambda: services.remind_attendees(bijeenkomst_id=bijeenkomst.pk),
    )

    assert mailed == REGISTERED
    assert message_seconds < 5
    assert reminder_seconds < 5
