"""Races through separate database connections: two coördinatoren inviting, reminding or
sending at once still mail each address once, and the day-before reminder goes once."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from bijeenkomsten import selectors, services
from bijeenkomsten.models import Bericht, Handeling, Uitnodiging
from bijeenkomsten.selectors import Audience
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.bijeenkomsten.test_concurrency import (  # noqa: F401 (fixture)
    _reset_celery_join_guard,
    in_parallel,
)
from tests.netwerk.factories import make_coordinator

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.real_stack_only(reason="concurrent transactions need PostgreSQL's row locks"),
]


@pytest.fixture(autouse=True)
def _patient_locks(settings):
    # These races test who wins, not how long a loser waits: on a busy 2-core machine a
    # hundred requests queue behind one lock for longer than production's few seconds.
    settings.LOCK_TIMEOUT_SECONDS = 120


ADDRESSES = [f"genodigde{n:03}@example.org" for n in range(200)]


def errors(results):
    return [result for result in results if isinstance(result, Exception)]


def test_two_coordinators_inviting_overlapping_audiences_at_once_mail_each_address_once(
    monkeypatch,
):
    bijeenkomst = BijeenkomstFactory()
    coordinators = [make_coordinator(), make_coordinator()]
    audiences = [
        Audience(adressen="\n".join(ADDRESSES[:150])),
        Audience(adressen="\n".join(ADDRESSES[50:])),
    ]
    # Both work out their audience before either inserts: each sees nobody invited yet.
    both_resolved = threading.Barrier(2, timeout=10)
    resolve = selectors.resolve_audience
    seen = []

    def resolve_then_wait(**kwargs):
        resolved = resolve(**kwargs)
        seen.append(len(resolved.invitees))
        both_resolved.wait()
        return resolved

    monkeypatch.setattr(selectors, "resolve_audience", resolve_then_wait)

    results = in_parallel(
        [
            lambda c=c, a=a: services.invite(bijeenkomst=bijeenkomst, door=c, audience=a)
            for c, a in zip(coordinators, audiences, strict=True)
        ]
    )

    assert errors(results) == []
    assert sorted(seen) == [150, 150]  # the race was real: 100 addresses in both
    assert sum(result.uitgenodigd for result in results) == 200
    assert sum(result.tegelijk_uitgenodigd for result in results) == 100
    assert Uitnodiging.objects.count() == 200
    mailed = list(OutboxMessage.objects.values_list("to", flat=True))
    assert sorted(mailed) == ADDRESSES


def test_many_presses_of_one_invitation_at_once_mail_each_address_once():
    bijeenkomst = BijeenkomstFactory()
    coordinator = make_coordinator()
    audience = Audience(adressen="\n".join(ADDRESSES[:60]))

    results = in_parallel(
        [
            lambda: services.invite(bijeenkomst=bijeenkomst, door=coordinator, audience=audience)
            for _ in range(8)
        ]
    )

    invited = [result for result in results if not isinstance(result, Exception)]
    assert all(isinstance(error, services.RuleViolation) for error in errors(results))
    assert sum(result.uitgenodigd for result in invited) == 60
    assert OutboxMessage.objects.count() == 60
    assert len(set(OutboxMessage.objects.values_list("to", flat=True))) == 60


def test_reminding_the_same_round_at_once_reminds_each_address_once():
    bijeenkomst = BijeenkomstFactory()
    coordinator = make_coordinator()
    services.invite(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        audience=Audience(adressen="\n".join(ADDRESSES[:40])),
    )

    results = in_parallel(
        [
            lambda: services.remind_invited(bijeenkomst=bijeenkomst, door=coordinator, ronde=1)
            for _ in range(6)
        ]
    )

    assert sorted(r for r in results if not isinstance(r, Exception)) == [40]
    assert OutboxMessage.objects.filter(key__endswith=":herinnering:1").count() == 40
    assert Handeling.objects.filter(soort=Handeling.Soort.UITNODIGING_HERINNERD).count() == 1


def test_sending_one_message_at_once_from_many_presses_mails_everyone_once():
    bijeenkomst = BijeenkomstFactory(capaciteit=None)
    AanmeldingFactory.create_batch(30, bijeenkomst=bijeenkomst)
    coordinator = make_coordinator()
    bericht = services.save_bericht(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        onderwerp="Route",
        tekst="Neem de trein.",
        doelgroep=Bericht.Doelgroep.OPEN,
    )

    results = in_parallel(
        [lambda: services.send_bericht(bericht=bericht, door=coordinator) for _ in range(6)]
    )

    assert len(errors(results)) == 5
    assert all("al verstuurd" in str(error) for error in errors(results))
    assert OutboxMessage.objects.count() == 30
    assert Handeling.objects.filter(soort=Handeling.Soort.BERICHT).count() == 1


def test_the_day_before_reminder_run_at_once_goes_out_once():
    bijeenkomst = BijeenkomstFactory(start=timezone.now() + timedelta(hours=12))
    AanmeldingFactory.create_batch(25, bijeenkomst=bijeenkomst)

    results = in_parallel(
        [lambda: services.remind_attendees(bijeenkomst_id=bijeenkomst.pk) for _ in range(6)]
    )

    assert sorted(results) == [0, 0, 0, 0, 0, 25]
    assert OutboxMessage.objects.filter(key__endswith=":herinnering-dag").count() == 25
