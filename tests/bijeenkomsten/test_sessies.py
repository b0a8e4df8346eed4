"""Deelsessies with their own places: one choice per ronde, its own capacity and its own
wachtlijst with the bijeenkomst's offer, claim and expiry rules (services/sessions.py)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from bijeenkomsten import services, tasks
from bijeenkomsten.models import Aanmelding, Bijeenkomst, SessieKeuze
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory, programma_met_ronde

pytestmark = pytest.mark.django_db
K = SessieKeuze.Status
A = Aanmelding.Status


def _register(bijeenkomst, n, *sessies):
    return services.register(
        bijeenkomst=bijeenkomst,
        email=f"deelnemer{n}@example.org",
        naam=f"Deelnemer {n}",
        sessies=list(sessies),
    )


def _keuze(aanmelding, sessie):
    return SessieKeuze.objects.get(
        aanmelding=aanmelding, deelsessie=sessie, status__in=SessieKeuze.OPEN_STATUSES
    )


def test_a_full_deelsessie_puts_the_next_chooser_on_its_own_wachtlijst_in_order():
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    _ronde, (a, b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 2, 2))
    first = _register(bijeenkomst, 1, a)
    second = _register(bijeenkomst, 2, a)
    third = _register(bijeenkomst, 3, a)
    in_b = _register(bijeenkomst, 4, b)

    assert [first.status, second.status, third.status] == [A.BEVESTIGD] * 3
    assert _keuze(first, a).status == K.BEVESTIGD
    assert _keuze(second, a).wachtlijst_positie() == 1
    assert _keuze(third, a).wachtlijst_positie() == 2
    assert _keuze(in_b, b).status == K.BEVESTIGD
    assert a.plaatsen_vrij == 0
    assert b.plaatsen_vrij == 1


def test_two_deelsessies_of_one_ronde_are_refused_and_nothing_is_registered():
    bijeenkomst = BijeenkomstFactory()
    _ronde, (a, b, _c) = programma_met_ronde(bijeenkomst)
    with pytest.raises(services.RegistrationError):
        _register(bijeenkomst, 1, a, b)
    assert not Aanmelding.objects.exists()


def test_a_deelsessie_of_another_bijeenkomst_is_refused():
    bijeenkomst, other = BijeenkomstFactory(), BijeenkomstFactory()
    _ronde, (elsewhere, *_rest) = programma_met_ronde(other)
    with pytest.raises(services.RegistrationError):
        _register(bijeenkomst, 1, elsewhere)
    assert not Aanmelding.objects.exists()


def test_a_full_deelsessie_without_wachtlijst_refuses_the_registration_as_a_whole():
    bijeenkomst = BijeenkomstFactory()
    _ronde, (a, *_rest) = programma_met_ronde(bijeenkomst, capaciteiten=(1,), wachtlijst_open=False)
    _register(bijeenkomst, 1, a)
    with pytest.raises(services.RegistrationError, match="vol"):
        _register(bijeenkomst, 2, a)
    assert Aanmelding.objects.count() == 1


def test_on_the_bijeenkomst_wachtlijst_a_choice_takes_no_session_place_until_a_place_is_offered():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    _ronde, (a, *_rest) = programma_met_ronde(bijeenkomst, capaciteiten=(1,))
    holder = _register(bijeenkomst, 1, a)
    waiting = _register(bijeenkomst, 2, a)
    assert waiting.status == A.WACHTLIJST
    assert _keuze(waiting, a).status == K.GEKOZEN
    assert a.plaatsen_vrij == 0

    services.cancel(aanmelding=holder)

    waiting.refresh_from_db()
    assert waiting.status == A.AANGEBODEN
    assert _keuze(waiting, a).status == K.BEVESTIGD
    assert a.plaatsen_vrij == 0


def test_cancelling_frees_both_places_and_the_session_wachtlijst_comes_before_the_newcomer():
    """The one on the session's wachtlijst already holds a place at the bijeenkomst: the
    freed session place is theirs; the one promoted at the bijeenkomst queues behind."""
    bijeenkomst = BijeenkomstFactory(capaciteit=2)
    _ronde, (a, b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 5, 5))
    leaver = _register(bijeenkomst, 1, a)
    session_waiter = _register(bijeenkomst, 2, a)
    bijeenkomst_waiter = _register(bijeenkomst, 3, a)
    assert _keuze(session_waiter, a).status == K.WACHTLIJST
    assert bijeenkomst_waiter.status == A.WACHTLIJST

    services.cancel(aanmelding=leaver)

    assert _keuze(session_waiter, a).status == K.AANGEBODEN
    bijeenkomst_waiter.refresh_from_db()
    assert bijeenkomst_waiter.status == A.AANGEBODEN
    assert _keuze(bijeenkomst_waiter, a).status == K.WACHTLIJST
    assert not SessieKeuze.objects.filter(
        aanmelding=leaver, status__in=SessieKeuze.OPEN_STATUSES
    ).exists()
    assert OutboxMessage.objects.filter(key__contains=":sessie:").count() == 1


def test_switching_to_a_session_with_room_moves_at_once_and_offers_the_old_place_on():
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    _ronde, (a, b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 1, 1))
    switcher = _register(bijeenkomst, 1, a)
    waiter = _register(bijeenkomst, 2, a)

    keuze = services.change_session(aanmelding=switcher, deelsessie=b)

    assert keuze.status == K.BEVESTIGD
    assert keuze.deelsessie == b
    assert not SessieKeuze.objects.filter(
        aanmelding=switcher, deelsessie=a, status__in=SessieKeuze.OPEN_STATUSES
    ).exists()
    assert _keuze(waiter, a).status == K.AANGEBODEN


def test_switching_to_a_full_session_keeps_the_old_place_until_the_new_one_is_claimed():
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    _ronde, (a, b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 1, 1))
    switcher = _register(bijeenkomst, 1, a)
    in_b = _register(bijeenkomst, 2, b)

    wish = services.change_session(aanmelding=switcher, deelsessie=b)
    assert wish.status == K.WACHTLIJST
    assert _keuze(switcher, a).status == K.BEVESTIGD

    services.cancel(aanmelding=in_b)
    wish.refresh_from_db()
    assert wish.status == K.AANGEBODEN
    assert _keuze(switcher, a).status == K.BEVESTIGD, "the old place is held during the offer"

    services.claim_session(keuze=wish)

    assert _keuze(switcher, b).status == K.BEVESTIGD
    assert not SessieKeuze.objects.filter(
        aanmelding=switcher, deelsessie=a, status__in=SessieKeuze.OPEN_STATUSES
    ).exists()
    assert a.plaatsen_vrij == 1


def test_in_direct_mode_a_freed_session_place_completes_a_switch_at_once():
    bijeenkomst = BijeenkomstFactory(
        capaciteit=10, wachtlijst_modus=Bijeenkomst.WachtlijstModus.DIRECT
    )
    _ronde, (a, b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 1, 1))
    switcher = _register(bijeenkomst, 1, a)
    in_b = _register(bijeenkomst, 2, b)
    services.change_session(aanmelding=switcher, deelsessie=b)

    services.cancel(aanmelding=in_b)

    assert _keuze(switcher, b).status == K.BEVESTIGD
    assert a.plaatsen_vrij == 1


def test_an_expired_session_offer_passes_on_and_the_old_place_stays_held():
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    _ronde, (a, b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 1, 1))
    switcher = _register(bijeenkomst, 1, a)
    in_b = _register(bijeenkomst, 2, b)
    services.change_session(aanmelding=switcher, deelsessie=b)
    next_one = _register(bijeenkomst, 3, b)
    services.cancel(aanmelding=in_b)
    offer = _keuze(switcher, b)
    assert offer.status == K.AANGEBODEN

    later = offer.aanbod_tot + timedelta(minutes=1)
    assert bijeenkomst.pk in services.bijeenkomsten_with_expired_session_offers(now=later)
    assert services.expire_session_offers(bijeenkomst_id=bijeenkomst.pk, now=later) == 1

    offer.refresh_from_db()
    assert offer.status == K.VERLOPEN
    assert _keuze(switcher, a).status == K.BEVESTIGD
    assert _keuze(next_one, b).status == K.AANGEBODEN
    with pytest.raises(services.RegistrationError):
        services.claim_session(keuze=offer, now=later)


def test_withdrawing_a_session_wish_keeps_the_held_place():
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    _ronde, (a, b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 1, 1))
    switcher = _register(bijeenkomst, 1, a)
    _register(bijeenkomst, 2, b)
    wish = services.change_session(aanmelding=switcher, deelsessie=b)

    services.withdraw_session_choice(keuze=wish)

    wish.refresh_from_db()
    assert wish.status == K.GEANNULEERD
    assert _keuze(switcher, a).status == K.BEVESTIGD
    with pytest.raises(services.RegistrationError):
        services.withdraw_session_choice(keuze=_keuze(switcher, a))


def test_a_choice_cannot_change_once_the_bijeenkomst_has_begun():
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    _ronde, (a, b, _c) = programma_met_ronde(bijeenkomst)
    aanmelding = _register(bijeenkomst, 1, a)
    Bijeenkomst.objects.filter(pk=bijeenkomst.pk).update(
        start=timezone.now() - timedelta(minutes=5)
    )
    with pytest.raises(services.RegistrationError):
        services.change_session(aanmelding=aanmelding, deelsessie=b)
    assert _keuze(aanmelding, a).status == K.BEVESTIGD


def test_the_database_holds_one_session_place_per_ronde():
    bijeenkomst = BijeenkomstFactory()
    ronde, (a, b, _c) = programma_met_ronde(bijeenkomst)
    aanmelding = _register(bijeenkomst, 1, a)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessieKeuze.objects.create(
            aanmelding=aanmelding, deelsessie=b, ronde=ronde, status=K.BEVESTIGD
        )


def test_the_periodic_task_expires_session_offers_and_is_scheduled(settings):
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    _ronde, (a, *_rest) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 1, 1))
    holder = _register(bijeenkomst, 1, a)
    waiter = _register(bijeenkomst, 2, a)
    services.cancel(aanmelding=holder)
    SessieKeuze.objects.filter(aanmelding=waiter).update(
        aanbod_tot=timezone.now() - timedelta(minutes=1)
    )

    assert tasks.expire_session_offers() == 1
    assert tasks.expire_session_offers() == 0
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "bijeenkomsten.tasks.expire_session_offers" in scheduled


def test_cancelling_the_bijeenkomst_ends_every_session_choice():
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    _ronde, (a, b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 1, 1))
    _register(bijeenkomst, 1, a)
    _register(bijeenkomst, 2, a)
    _register(bijeenkomst, 3, b)

    services.cancel_bijeenkomst(bijeenkomst=bijeenkomst, door=None)

    assert not SessieKeuze.objects.filter(status__in=SessieKeuze.OPEN_STATUSES).exists()
