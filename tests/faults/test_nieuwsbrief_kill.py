"""Scenario 1: an edition to 5,000 subscribers, `kill -9` of its worker mid-send, a new
worker resumes. Every address receives it exactly once or is onbekend, and there are no more
onbekend than NIEUWSBRIEF_CONNECTIONS (one mail in flight per connection)."""

import time

import pytest

from netwerk.models import Abonnement
from nieuwsbrief import services
from nieuwsbrief.models import Bezorging, Editie
from nieuwsbrief.tasks import send_editions
from tests.faults.conftest import report, wait_until
from tests.faults.sink import FaultySink
from tests.netwerk.factories import make_coordinator

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

SUBSCRIBERS = 5000
CONNECTIONS = 4
KILL_AFTER = 2000  # mails received before the server stops answering and the worker dies
CLAIM_SECONDS = 3
S = Bezorging.Status


def test_edition_after_kill_9_reaches_every_address_once_or_onbekend(workers):
    started = time.monotonic()
    editie = services.compose_edition(door=make_coordinator())
    services.update_edition(editie=editie, titel="Nieuwsbrief storing", voorwoord="Tekst.")
    Abonnement.objects.bulk_create(
        [Abonnement(email=f"abonnee{n}@example.org") for n in range(SUBSCRIBERS)],
        batch_size=5000,
    )
    subscribers = set(Abonnement.objects.bevestigd().values_list("email", flat=True))
    assert len(subscribers) == SUBSCRIBERS

    def behaviour(address, attempt):
        # Past KILL_AFTER the server has each lane's next message but keeps its answer back:
        # the worst moment to die, every connection in the middle of a conversation.
        return "hold" if sink.total() >= KILL_AFTER else "ok"

    settings = {
        "NIEUWSBRIEF_CONNECTIONS": CONNECTIONS,
        "NIEUWSBRIEF_MAILS_PER_SECOND": 0,
        "NIEUWSBRIEF_CLAIM_SECONDS": CLAIM_SECONDS,
    }
    with FaultySink(behaviour) as sink:
        first = workers.start(sink, **settings)
        services.send_edition(editie=editie, doelgroep="alle")
        wait_until(lambda: sink.held >= CONNECTIONS, timeout=180, what="all lanes in flight")
        first.kill()
        killed_at = sink.total()
        sink.behaviour = lambda address, attempt: "ok"
        sink.release.set()
        # The dead sender's claim runs out; the periodic task (beat, every minute) resumes.
        time.sleep(CLAIM_SECONDS + 1)
        workers.start(sink, **settings)

        def sent():
            if Editie.objects.get(pk=editie.pk).status == Editie.Status.VERZONDEN:
                return True
            send_editions.delay()
            return False

        wait_until(sent, timeout=300, what="the edition sent after the restart", every=2)
        received = dict(sink.received)

    status = dict(Bezorging.objects.filter(editie=editie).values_list("email", "status"))
    onbekend = {email for email, value in status.items() if value == S.ONBEKEND}
    lost = {
        email
        for email in subscribers
        if email not in onbekend and (status.get(email) != S.SENT or received.get(email, 0) < 1)
    }
    doubled = {email for email, count in received.items() if count > 1}
    strangers = set(received) - subscribers
    sent_once = len(subscribers) - len(lost) - len(onbekend)
    report(
        "1. nieuwsbrief: kill -9 of the worker mid-send, a new worker resumes",
        [
            ("subscribers", SUBSCRIBERS, len(subscribers)),
            ("received when killed", f"≥{KILL_AFTER}", killed_at),
            ("sent, received once", f"≥{SUBSCRIBERS - CONNECTIONS}", sent_once),
            ("lost", 0, len(lost)),
            ("doubled", 0, len(doubled)),
            ("onbekend (unknown)", f"≤{CONNECTIONS}", len(onbekend)),
            ("mail to strangers", 0, len(strangers)),
        ],
        time.monotonic() - started,
    )
    assert not lost
    assert not doubled
    assert not strangers
    assert len(onbekend) <= CONNECTIONS
