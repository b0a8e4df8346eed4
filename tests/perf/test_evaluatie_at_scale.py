"""Benchmark (issue 22): the evaluation to 2,000 attendees is queued in under 10 seconds,
and with 2,000 answers in, submitting one more and the team's results page stay fast. Not
part of the default run: `bash scripts/test.sh tests/perf/test_evaluatie_at_scale.py -s`."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import services
from bijeenkomsten.models import (
    Aanmelding,
    EvaluatieAntwoord,
    EvaluatieInzending,
    PersoonlijkeLink,
    Vraag,
)
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db

ATTENDEES = 2_000


def timed(label, call):
    started = time.monotonic()
    result = call()
    elapsed = time.monotonic() - started
    print(f"{label:58} {elapsed:6.2f} s")
    return result, elapsed


def test_the_evaluation_to_2000_attendees_is_queued_in_under_10_seconds(client):
    start = timezone.now() - timedelta(days=1)
    bijeenkomst = BijeenkomstFactory(
        slug="grote-dag", capaciteit=None, start=start, eind=start + timedelta(hours=6)
    )
    vragen = [
        Vraag.objects.create(
            bijeenkomst=bijeenkomst, doel="evaluatie", soort="schaal", tekst=f"Schaal {n}"
        )
        for n in range(3)
    ]
    vragen.append(
        Vraag.objects.create(bijeenkomst=bijeenkomst, doel="evaluatie", soort="lang", tekst="Open")
    )
    Aanmelding.objects.bulk_create(
        Aanmelding(
            bijeenkomst=bijeenkomst,
            email=f"deelnemer{n:05}@example.org",
            naam=f"Deelnemer {n}",
            status=Aanmelding.Status.BEVESTIGD,
            aanwezig_op=start,
        )
        for n in range(ATTENDEES)
    )
    print()

    mailed, send_seconds = timed(
        "evaluation to 2,000 attendees queued",
        lambda: services.send_evaluation(bijeenkomst_id=bijeenkomst.pk, door=make_coordinator()),
    )
    assert mailed == ATTENDEES
    assert OutboxMessage.objects.filter(key__endswith=":evaluatie").count() == ATTENDEES
    assert send_seconds < 10

    again, again_seconds = timed(
        "sending again (nobody new)",
        lambda: services.send_evaluation(bijeenkomst_id=bijeenkomst.pk, door=make_coordinator()),
    )
    assert again == 0

    # 1,999 answers written at once, then the last one through the service.
    inzendingen = EvaluatieInzending.objects.bulk_create(
        EvaluatieInzending(bijeenkomst=bijeenkomst) for _ in range(ATTENDEES - 1)
    )
    EvaluatieAntwoord.objects.bulk_create(
        (
            EvaluatieAntwoord(
                inzending=inzending,
                vraag=vraag,
                waarde=str(1 + n % 5) if vraag.soort == "schaal" else f"Antwoord {n}",
            )
            for n, inzending in enumerate(inzendingen)
            for vraag in vragen
        ),
        batch_size=2000,
    )
    last = Aanmelding.objects.filter(bijeenkomst=bijeenkomst).order_by("pk").last()
    _inzending, submit_seconds = timed(
        "one more answer submitted",
        lambda: services.submit_evaluation(
            aanmelding=last, antwoorden={vraag.pk: "4" for vraag in vragen[:3]}
        ),
    )
    client.force_login(make_coordinator())
    url = reverse("bijeenkomsten:evaluatie-uitslag", args=["grote-dag"])
    response, page_seconds = timed("results page of 2,000 answers", lambda: client.get(url))
    assert response.status_code == 200
    assert f"{ATTENDEES} van {ATTENDEES}" in response.text
    assert submit_seconds < 0.5
    assert page_seconds < 1
    assert PersoonlijkeLink.objects.count() == ATTENDEES
