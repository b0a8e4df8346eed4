from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from bijeenkomsten.services import RegistrationError
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory

pytestmark = pytest.mark.django_db

S = Aanmelding.Status


def register(bijeenkomst, n, **kwargs):
    return services.register(
        bijeenkomst=bijeenkomst, email=f"gast{n}@example.org", naam=f"Gast {n}", **kwargs
    )


def fill(bijeenkomst, confirmed, waiting=0):
    people = [register(bijeenkomst, n) for n in range(confirmed + waiting)]
    return people[:confirmed], people[confirmed:]


def refreshed(*aanmeldingen):
    for aanmelding in aanmeldingen:
        aanmelding.refresh_from_db()
    return aanmeldingen


def keys_for(aanmelding):
    return sorted(
        key.split(":")[-1]
        for key in OutboxMessage.objects.filter(
            key__startswith=f"aanmelding:{aanmelding.pk}:"
        ).values_list("key", flat=True)
    )


def test_registration_is_confirmed_while_places_are_free_then_joins_the_wachtlijst_in_order():
    bijeenkomst = BijeenkomstFactory(capaciteit=2)

    confirmed, waiting = fill(bijeenkomst, 2, 3)

    assert [a.status for a in confirmed] == [S.BEVESTIGD, S.BEVESTIGD]
    assert [a.status for a in waiting] == [S.WACHTLIJST] * 3
    assert [a.wachtlijst_volgorde for a in waiting] == [1, 2, 3]
    assert [a.wachtlijst_positie() for a in waiting] == [1, 2, 3]


def test_unlimited_capacity_confirms_everyone():
    bijeenkomst = BijeenkomstFactory(capaciteit=None)

    confirmed, _ = fill(bijeenkomst, 25)

    assert {a.status for a in confirmed} == {S.BEVESTIGD}


def test_a_full_bijeenkomst_without_wachtlijst_refuses_with_a_clear_message():
    bijeenkomst = BijeenkomstFactory(capaciteit=1, wachtlijst_open=False)
    register(bijeenkomst, 1)

    with pytest.raises(RegistrationError, match="vol"):
        register(bijeenkomst, 2)

    assert bijeenkomst.aanmeldingen.count() == 1


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"status": Bijeenkomst.Status.CONCEPT}, "nog niet aanmelden"),
        ({"status": Bijeenkomst.Status.GEANNULEERD}, "geannuleerd"),
        ({"aanmelden_tot": timezone.now() - timedelta(hours=1)}, "gesloten"),
        ({"aanmelden_vanaf": timezone.now() + timedelta(days=1)}, "nog niet open"),
        ({"start": timezone.now() - timedelta(hours=1)}, "gesloten"),
    ],
)
def test_closed_cancelled_or_unpublished_bijeenkomsten_refuse_registration(fields, reason):
    bijeenkomst = BijeenkomstFactory(**fields)

    with pytest.raises(RegistrationError, match=reason):
        register(bijeenkomst, 1)

    assert not bijeenkomst.aanmeldingen.exists()


def test_one_open_registration_per_address_case_insensitive():
    bijeenkomst = BijeenkomstFactory()
    first = services.register(bijeenkomst=bijeenkomst, email="Anna@Example.org", naam="Anna")

    with pytest.raises(RegistrationError, match="al aangemeld") as raised:
        services.register(bijeenkomst=bijeenkomst, email="anna@EXAMPLE.org", naam="Anna")

    assert raised.value.aanmelding == first
    assert first.email == "anna@example.org"


def test_the_database_refuses_a_second_open_registration_for_the_same_address():
    bijeenkomst = BijeenkomstFactory()
    AanmeldingFactory(bijeenkomst=bijeenkomst, email="anna@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        AanmeldingFactory(bijeenkomst=bijeenkomst, email="ANNA@example.org")


def test_the_database_refuses_two_registrations_with_the_same_waitlist_order():
    bijeenkomst = BijeenkomstFactory()
    AanmeldingFactory(bijeenkomst=bijeenkomst, status=S.WACHTLIJST, wachtlijst_volgorde=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        AanmeldingFactory(bijeenkomst=bijeenkomst, status=S.WACHTLIJST, wachtlijst_volgorde=1)


def test_a_cancelled_address_may_register_again():
    bijeenkomst = BijeenkomstFactory()
    first = register(bijeenkomst, 1)
    services.cancel(aanmelding=first)

    again = register(bijeenkomst, 1)

    assert again.pk != first.pk
    assert again.status == S.BEVESTIGD


def test_cancelling_offers_the_freed_place_to_the_first_waiting_with_a_deadline():
    bijeenkomst = BijeenkomstFactory(capaciteit=2, bedenktijd_uren=48)
    confirmed, waiting = fill(bijeenkomst, 2, 2)
    before = timezone.now()

    services.cancel(aanmelding=confirmed[0])

    first, second = refreshed(*waiting)
    assert refreshed(confirmed[0])[0].status == S.GEANNULEERD
    assert first.status == S.AANGEBODEN
    assert before + timedelta(hours=47) < first.aanbod_tot <= timezone.now() + timedelta(hours=48)
    assert second.status == S.WACHTLIJST
    assert second.wachtlijst_positie() == 1
    assert second.wachtlijst_volgorde == 2


def test_an_offer_never_runs_past_the_start_of_the_bijeenkomst():
    bijeenkomst = BijeenkomstFactory(
        capaciteit=1, start=timezone.now() + timedelta(hours=5), bedenktijd_uren=48
    )
    confirmed, waiting = fill(bijeenkomst, 1, 1)

    services.cancel(aanmelding=confirmed[0])

    assert refreshed(waiting[0])[0].aanbod_tot == bijeenkomst.start


def test_in_direct_mode_the_first_waiting_is_confirmed_at_once():
    bijeenkomst = BijeenkomstFactory(
        capaciteit=1, wachtlijst_modus=Bijeenkomst.WachtlijstModus.DIRECT
    )
    confirmed, waiting = fill(bijeenkomst, 1, 2)

    services.cancel(aanmelding=confirmed[0])

    first, second = refreshed(*waiting)
    assert first.status == S.BEVESTIGD
    assert second.status == S.WACHTLIJST


def test_cancelling_twice_is_refused_and_changes_nothing():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    confirmed, waiting = fill(bijeenkomst, 1, 1)
    services.cancel(aanmelding=confirmed[0])

    with pytest.raises(RegistrationError):
        services.cancel(aanmelding=confirmed[0])

    assert refreshed(waiting[0])[0].status == S.AANGEBODEN


def test_a_registration_for_a_past_bijeenkomst_cannot_be_cancelled():
    bijeenkomst = BijeenkomstFactory()
    aanmelding = register(bijeenkomst, 1)
    Bijeenkomst.objects.filter(pk=bijeenkomst.pk).update(
        start=timezone.now() - timedelta(hours=5), eind=timezone.now() - timedelta(hours=2)
    )

    with pytest.raises(RegistrationError, match="voorbij"):
        services.cancel(aanmelding=aanmelding)

    assert refreshed(aanmelding)[0].status == S.BEVESTIGD


def test_cancelling_a_place_on_the_wachtlijst_offers_nothing():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    _, waiting = fill(bijeenkomst, 1, 2)

    services.cancel(aanmelding=waiting[0])

    assert refreshed(waiting[1])[0].status == S.WACHTLIJST
    assert refreshed(waiting[1])[0].wachtlijst_positie() == 1


def test_claiming_before_the_deadline_confirms_the_place():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    confirmed, waiting = fill(bijeenkomst, 1, 1)
    services.cancel(aanmelding=confirmed[0])

    claimed = services.claim(aanmelding=waiting[0])

    assert claimed.status == S.BEVESTIGD
    assert claimed.aanbod_tot is None


def test_claiming_after_the_deadline_is_refused():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    confirmed, waiting = fill(bijeenkomst, 1, 1)
    services.cancel(aanmelding=confirmed[0])

    with pytest.raises(RegistrationError, match="verlopen"):
        services.claim(aanmelding=waiting[0], now=timezone.now() + timedelta(hours=49))

    assert refreshed(waiting[0])[0].status == S.AANGEBODEN


def test_claiming_without_an_offer_is_refused():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    _, waiting = fill(bijeenkomst, 1, 1)

    with pytest.raises(RegistrationError, match="geen plek"):
        services.claim(aanmelding=waiting[0])


def test_declining_passes_the_place_to_the_next():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    confirmed, waiting = fill(bijeenkomst, 1, 2)
    services.cancel(aanmelding=confirmed[0])

    services.decline(aanmelding=waiting[0])

    first, second = refreshed(*waiting)
    assert first.status == S.GEANNULEERD
    assert second.status == S.AANGEBODEN


def test_an_expired_offer_becomes_verlopen_and_passes_on():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    confirmed, waiting = fill(bijeenkomst, 1, 2)
    services.cancel(aanmelding=confirmed[0])
    later = timezone.now() + timedelta(hours=48, minutes=1)

    assert services.bijeenkomsten_with_expired_offers(now=later) == [bijeenkomst.pk]
    assert services.expire_offers(bijeenkomst_id=bijeenkomst.pk, now=later) == 1

    first, second = refreshed(*waiting)
    assert first.status == S.VERLOPEN
    assert second.status == S.AANGEBODEN
    assert second.aanbod_tot > later


def test_expiring_again_changes_nothing():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    confirmed, waiting = fill(bijeenkomst, 1, 1)
    services.cancel(aanmelding=confirmed[0])
    later = timezone.now() + timedelta(hours=49)
    services.expire_offers(bijeenkomst_id=bijeenkomst.pk, now=later)

    assert services.expire_offers(bijeenkomst_id=bijeenkomst.pk, now=later) == 0


def test_raising_the_capacity_offers_as_many_places_as_were_added():
    bijeenkomst = BijeenkomstFactory(capaciteit=2)
    _, waiting = fill(bijeenkomst, 2, 4)

    services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=5)

    assert [a.status for a in refreshed(*waiting)] == [S.AANGEBODEN] * 3 + [S.WACHTLIJST]


def test_unlimited_capacity_offers_a_place_to_everyone_waiting():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    _, waiting = fill(bijeenkomst, 1, 3)

    services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=None)

    assert {a.status for a in refreshed(*waiting)} == {S.AANGEBODEN}


def test_lowering_the_capacity_keeps_every_confirmed_place_and_newcomers_wait():
    bijeenkomst = BijeenkomstFactory(capaciteit=4)
    confirmed, _ = fill(bijeenkomst, 4)

    services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=2)
    newcomer = register(bijeenkomst, 99)
    services.cancel(aanmelding=confirmed[0])

    assert {a.status for a in refreshed(*confirmed[1:])} == {S.BEVESTIGD}
    assert refreshed(newcomer)[0].status == S.WACHTLIJST


def test_a_negative_capacity_is_refused():
    bijeenkomst = BijeenkomstFactory(capaciteit=4)

    with pytest.raises(RegistrationError):
        services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=-1)

    bijeenkomst.refresh_from_db()
    assert bijeenkomst.capaciteit == 4


def test_cancelling_the_bijeenkomst_ends_every_open_registration_and_tells_everyone():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    confirmed, waiting = fill(bijeenkomst, 1, 2)

    services.cancel_bijeenkomst(bijeenkomst=bijeenkomst)

    everyone = refreshed(*confirmed, *waiting)
    assert {a.status for a in everyone} == {S.GEANNULEERD}
    for aanmelding in everyone:
        assert "bijeenkomst-geannuleerd" in keys_for(aanmelding)
    bijeenkomst.refresh_from_db()
    assert bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD


def test_an_offer_gets_one_reminder_12_hours_before_its_deadline():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    confirmed, waiting = fill(bijeenkomst, 1, 1)
    services.cancel(aanmelding=confirmed[0])
    offer = refreshed(waiting[0])[0]
    early = offer.aanbod_tot - timedelta(hours=13)
    near = offer.aanbod_tot - timedelta(hours=11)

    assert services.offers_due_for_reminder(now=early) == []
    assert services.offers_due_for_reminder(now=near) == [offer.pk]
    assert services.remind_offer(aanmelding_id=offer.pk, now=near) is True
    assert services.remind_offer(aanmelding_id=offer.pk, now=near) is False
    assert services.offers_due_for_reminder(now=near) == []
    assert keys_for(offer).count("herinnering") == 1


def test_an_offer_shorter_than_12_hours_gets_no_reminder_on_top():
    bijeenkomst = BijeenkomstFactory(capaciteit=1, start=timezone.now() + timedelta(hours=8))
    confirmed, waiting = fill(bijeenkomst, 1, 1)
    services.cancel(aanmelding=confirmed[0])

    assert services.offers_due_for_reminder() == []
    assert services.remind_offer(aanmelding_id=waiting[0].pk) is False


def test_the_waitlist_order_never_changes_once_given():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    confirmed, waiting = fill(bijeenkomst, 1, 3)
    orders = [a.wachtlijst_volgorde for a in waiting]

    services.cancel(aanmelding=waiting[1])
    services.cancel(aanmelding=confirmed[0])
    services.decline(aanmelding=waiting[0])
    late = register(bijeenkomst, 50)

    assert [a.wachtlijst_volgorde for a in refreshed(*waiting)] == orders
    assert late.wachtlijst_volgorde == 4


def test_the_personal_tokens_are_long_and_unique():
    bijeenkomst = BijeenkomstFactory(capaciteit=None)
    people, _ = fill(bijeenkomst, 20)

    tokens = {a.token for a in people}
    assert len(tokens) == 20
    assert all(len(token) >= 40 for token in tokens)


def test_a_bijeenkomst_needs_a_place_or_an_online_link_and_a_sensible_window():
    bijeenkomst = BijeenkomstFactory.build(
        locatie_naam="",
        locatie_plaats="",
        online_link="",
        aanmelden_vanaf=timezone.now() + timedelta(days=2),
        aanmelden_tot=timezone.now() + timedelta(days=1),
    )

    with pytest.raises(ValidationError) as raised:
        bijeenkomst.full_clean()

    assert set(raised.value.message_dict) == {"locatie_naam", "aanmelden_tot"}


def test_a_place_freed_after_the_start_is_offered_to_nobody():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    confirmed, waiting = fill(bijeenkomst, 1, 1)
    # Under way: started, not yet over, so cancelling is still allowed.
    Bijeenkomst.objects.filter(pk=bijeenkomst.pk).update(
        start=timezone.now() - timedelta(minutes=30), eind=timezone.now() + timedelta(hours=2)
    )

    services.cancel(aanmelding=confirmed[0])

    assert refreshed(waiting[0])[0].status == S.WACHTLIJST
    assert keys_for(waiting[0]) == ["wachtlijst"]


def test_a_cancelled_bijeenkomst_offers_no_places_when_the_capacity_is_raised():
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    _, waiting = fill(bijeenkomst, 1, 1)
    # Cancelled by a path that left the wachtlijst as it was (e.g. an old admin edit).
    Bijeenkomst.objects.filter(pk=bijeenkomst.pk).update(status=Bijeenkomst.Status.GEANNULEERD)

    services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=5)

    assert refreshed(waiting[0])[0].status == S.WACHTLIJST
    assert keys_for(waiting[0]) == ["wachtlijst"]
