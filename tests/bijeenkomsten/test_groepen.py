"""Group registration (issue 23, point 2): 2 to 10 colleagues together; "splitsen" or
"samen" when not all fit; and the fair order of groups and single entries on the wachtlijst
(the rule: bijeenkomsten/services/groups.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Groep, Handeling, SessieKeuze
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory, programma_met_ronde
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory, make_lidmaatschap

pytestmark = pytest.mark.django_db
S = Aanmelding.Status
SAMEN, SPLITSEN = Groep.Keuze.SAMEN, Groep.Keuze.SPLITSEN


@pytest.fixture
def gemeente():
    return OrganisatieFactory(naam="Gemeente Overbetuwe", maildomein="overbetuwe.example.nl")


@pytest.fixture
def door(gemeente):
    persoon = PersoonFactory(naam="Karin Contact", email="karin@overbetuwe.example.nl")
    make_lidmaatschap(persoon, gemeente)
    return persoon


def collegas(n, start=1):
    return [(f"Collega {i}", f"collega{i}@overbetuwe.example.nl") for i in range(start, start + n)]


def single(bijeenkomst, n):
    return services.register(bijeenkomst=bijeenkomst, email=f"los{n}@example.org", naam=f"Los {n}")


def taken(bijeenkomst):
    return bijeenkomst.aanmeldingen.filter(
        status__in=Aanmelding.TAKEN_STATUSES, boven_capaciteit=False
    ).count()


def statuses(groep):
    return [a.status for a in groep.aanmeldingen.order_by("pk")]


def waiting_orders(bijeenkomst):
    return list(bijeenkomst.aanmeldingen.wachtend().values_list("wachtlijst_volgorde", flat=True))


def test_with_free_places_for_all_every_member_is_confirmed_and_mailed_once(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=10)

    groep = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(3), keuze=SAMEN
    )

    assert statuses(groep) == [S.BEVESTIGD] * 3
    for aanmelding in groep.leden:
        assert aanmelding.aangemeld_door == door
        assert aanmelding.bron == Aanmelding.Bron.GROEP
        assert aanmelding.gekoppelde_organisatie.naam == "Gemeente Overbetuwe"
        keys = OutboxMessage.objects.filter(key__startswith=f"aanmelding:{aanmelding.pk}:")
        assert list(keys.values_list("key", flat=True)) == [f"aanmelding:{aanmelding.pk}:bevestigd"]
    assert Handeling.objects.filter(soort=Handeling.Soort.GROEP_AANGEMELD).count() == 1


def test_the_registrant_may_be_one_of_the_group_and_then_registers_themselves(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=10)

    groep = services.register_group(
        bijeenkomst=bijeenkomst,
        door=door,
        leden=[(door.naam, door.email), *collegas(1)],
        keuze=SPLITSEN,
    )

    eigen = groep.aanmeldingen.get(email=door.email)
    assert eigen.persoon == door
    assert eigen.bron == Aanmelding.Bron.ZELF


def test_splitsen_places_exactly_as_many_as_fit_and_queues_the_rest_in_the_order_given(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=4)
    single(bijeenkomst, 1)
    single(bijeenkomst, 2)

    groep = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(5), keuze=SPLITSEN
    )

    leden = groep.aanmeldingen.order_by("pk")
    assert [a.status for a in leden] == [S.BEVESTIGD] * 2 + [S.WACHTLIJST] * 3
    assert [a.wachtlijst_volgorde for a in leden[2:]] == [1, 2, 3]
    assert taken(bijeenkomst) == 4
    # The waiting ones are told their own place on the wachtlijst.
    assert OutboxMessage.objects.filter(key__endswith=":wachtlijst").count() == 3


def test_samen_never_places_part_of_the_group(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=4)
    single(bijeenkomst, 1)
    single(bijeenkomst, 2)

    groep = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(3), keuze=SAMEN
    )

    assert statuses(groep) == [S.WACHTLIJST] * 3
    assert waiting_orders(bijeenkomst) == [1, 2, 3]
    assert taken(bijeenkomst) == 2
    # The two free places are held for the group, for one bedenktijd.
    groep.refresh_from_db()
    assert groep.vasthouden_tot is not None
    nieuw = single(bijeenkomst, 3)
    assert nieuw.status == S.WACHTLIJST


def test_a_waiting_samen_group_is_offered_all_places_at_once_when_they_fit(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=3)
    places = [single(bijeenkomst, n) for n in range(3)]
    groep = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(3), keuze=SAMEN
    )
    later = single(bijeenkomst, 9)

    services.cancel(aanmelding=places[0])
    services.cancel(aanmelding=places[1])
    # Two free: not enough for three, and not given to the single who came later.
    assert statuses(groep) == [S.WACHTLIJST] * 3
    later.refresh_from_db()
    assert later.status == S.WACHTLIJST

    services.cancel(aanmelding=places[2])

    assert statuses(groep) == [S.AANGEBODEN] * 3
    deadlines = set(groep.aanmeldingen.values_list("aanbod_tot", flat=True))
    assert len(deadlines) == 1
    later.refresh_from_db()
    assert later.status == S.WACHTLIJST
    assert OutboxMessage.objects.filter(key__endswith=":aangeboden").count() == 3


def test_a_single_who_came_later_never_gets_a_place_before_a_waiting_group_that_fits(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=2)
    places = [single(bijeenkomst, n) for n in range(2)]
    groep = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(2), keuze=SAMEN
    )
    later = single(bijeenkomst, 9)

    services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=4)

    assert statuses(groep) == [S.AANGEBODEN] * 2
    later.refresh_from_db()
    assert later.status == S.WACHTLIJST
    assert places


def test_after_one_bedenktijd_a_group_that_does_not_fit_lets_those_behind_it_pass(door):
    start = timezone.now() + timedelta(days=10)
    bijeenkomst = BijeenkomstFactory(capaciteit=2, start=start, bedenktijd_uren=48)
    places = [single(bijeenkomst, n) for n in range(2)]
    groep = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(3), keuze=SAMEN
    )
    later = single(bijeenkomst, 9)
    services.cancel(aanmelding=places[0])
    groep.refresh_from_db()
    held_until = groep.vasthouden_tot
    assert held_until is not None
    later.refresh_from_db()
    assert later.status == S.WACHTLIJST

    # A second before the end of the hold the periodic task passes nothing on.
    assert services.bijeenkomsten_with_expired_offers(now=held_until - timedelta(seconds=1)) == []
    assert bijeenkomst.pk in services.bijeenkomsten_with_expired_offers(now=held_until)
    services.expire_offers(bijeenkomst_id=bijeenkomst.pk, now=held_until)

    later.refresh_from_db()
    assert later.status == S.AANGEBODEN
    assert statuses(groep) == [S.WACHTLIJST] * 3
    # The group kept its position: first on the wachtlijst.
    assert waiting_orders(bijeenkomst)[:3] == sorted(
        groep.aanmeldingen.values_list("wachtlijst_volgorde", flat=True)
    )
    assert services.bijeenkomsten_with_expired_offers(now=held_until + timedelta(hours=1)) == []


def test_a_group_passed_over_lets_newcomers_take_places_it_cannot_use(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=2, bedenktijd_uren=1)
    places = [single(bijeenkomst, n) for n in range(2)]
    groep = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(3), keuze=SAMEN
    )
    services.cancel(aanmelding=places[0])
    groep.refresh_from_db()
    services.expire_offers(bijeenkomst_id=bijeenkomst.pk, now=groep.vasthouden_tot)

    nieuw = services.register(
        bijeenkomst=bijeenkomst,
        email="nieuw@example.org",
        naam="Nieuw",
        now=groep.vasthouden_tot + timedelta(minutes=1),
    )

    assert nieuw.status == S.BEVESTIGD
    assert statuses(groep) == [S.WACHTLIJST] * 3


def test_the_registrant_claims_a_group_offer_for_all(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    place = single(bijeenkomst, 0)
    groep = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(2), keuze=SAMEN
    )
    services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=3)
    assert statuses(groep) == [S.AANGEBODEN] * 2

    with pytest.raises(services.RegistrationError):
        services.claim_group(groep=groep, door=PersoonFactory())
    claimed = services.claim_group(groep=groep, door=door)

    assert len(claimed) == 2
    assert statuses(groep) == [S.BEVESTIGD] * 2
    assert OutboxMessage.objects.filter(key__endswith=":bevestigd").count() == 3
    with pytest.raises(services.RegistrationError, match="geen plekken klaar"):
        services.claim_group(groep=groep, door=door)
    assert place


def test_a_group_offer_expires_as_one(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=0)
    groep = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(3), keuze=SAMEN
    )
    services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=3)
    deadline = groep.aanmeldingen.first().aanbod_tot

    with pytest.raises(services.RegistrationError, match="verlopen"):
        services.claim_group(groep=groep, door=door, now=deadline)
    expired = services.expire_offers(bijeenkomst_id=bijeenkomst.pk, now=deadline)

    assert expired == 3
    assert statuses(groep) == [S.VERLOPEN] * 3


def test_each_member_can_cancel_alone_and_the_freed_place_goes_on_as_for_anyone(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=3)
    groep = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(3), keuze=SAMEN
    )
    wachtend = single(bijeenkomst, 1)

    services.cancel(aanmelding=groep.leden[1])

    assert statuses(groep) == [S.BEVESTIGD, S.GEANNULEERD, S.BEVESTIGD]
    wachtend.refresh_from_db()
    assert wachtend.status == S.AANGEBODEN


def test_a_waiting_samen_group_that_lost_a_member_waits_for_the_places_of_the_rest(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=2)
    places = [single(bijeenkomst, n) for n in range(2)]
    groep = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(3), keuze=SAMEN
    )
    services.cancel(aanmelding=groep.leden[2])
    services.cancel(aanmelding=places[0])
    assert statuses(groep)[:2] == [S.WACHTLIJST] * 2

    services.cancel(aanmelding=places[1])

    assert statuses(groep) == [S.AANGEBODEN, S.AANGEBODEN, S.GEANNULEERD]


@pytest.mark.parametrize(
    ("leden", "message"),
    [
        (collegas(1), "2 tot 10"),
        (collegas(11), "2 tot 10"),
        ([("A", "a@overbetuwe.example.nl"), ("B", "A@Overbetuwe.example.nl")], "twee keer"),
        ([("A", "a@overbetuwe.example.nl"), ("B", "")], "naam en het e-mailadres"),
        ([("A", "a@overbetuwe.example.nl"), ("Vreemd", "vreemd@example.org")], "geen adres"),
    ],
)
def test_bad_groups_are_refused_in_dutch_and_nothing_changes(door, leden, message):
    bijeenkomst = BijeenkomstFactory(capaciteit=10)

    with pytest.raises(services.RegistrationError, match=message):
        services.register_group(bijeenkomst=bijeenkomst, door=door, leden=leden, keuze=SAMEN)

    assert not bijeenkomst.aanmeldingen.exists()
    assert not Groep.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_an_address_already_registered_refuses_the_whole_group(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    services.register(bijeenkomst=bijeenkomst, email=collegas(1)[0][1], naam="Al")

    with pytest.raises(services.RegistrationError, match="al aangemeld"):
        services.register_group(bijeenkomst=bijeenkomst, door=door, leden=collegas(3), keuze=SAMEN)

    assert bijeenkomst.aanmeldingen.count() == 1
    assert not Groep.objects.exists()


def test_who_has_no_confirmed_organisatie_cannot_register_a_group():
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    with pytest.raises(services.RegistrationError, match="bevestigd lid"):
        services.register_group(
            bijeenkomst=bijeenkomst, door=PersoonFactory(), leden=collegas(2), keuze=SAMEN
        )


def test_no_group_where_the_team_approves_who_comes_nor_a_full_one_without_wachtlijst(door):
    goedkeuring = BijeenkomstFactory(capaciteit=10, met_goedkeuring=True)
    with pytest.raises(services.RegistrationError, match="beslist het team"):
        services.register_group(bijeenkomst=goedkeuring, door=door, leden=collegas(2), keuze=SAMEN)
    vol = BijeenkomstFactory(capaciteit=1, wachtlijst_open=False)
    with pytest.raises(services.RegistrationError, match="geen wachtlijst"):
        services.register_group(bijeenkomst=vol, door=door, leden=collegas(2), keuze=SPLITSEN)
    assert not Aanmelding.objects.exists()


def test_a_group_chooses_one_deelsessie_for_all_and_its_capacity_must_fit_too(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=20)
    _ronde, (klein, groot) = programma_met_ronde(bijeenkomst, capaciteiten=(2, 10))

    samen = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(3), keuze=SAMEN, sessies=[klein]
    )
    # The bijeenkomst has room, the deelsessie not for three: the group waits as one.
    assert statuses(samen) == [S.WACHTLIJST] * 3
    assert set(
        SessieKeuze.objects.filter(aanmelding__groep=samen).values_list("status", flat=True)
    ) == {SessieKeuze.Status.GEKOZEN}

    split = services.register_group(
        bijeenkomst=bijeenkomst,
        door=door,
        leden=collegas(3, start=10),
        keuze=SPLITSEN,
        sessies=[groot],
    )
    # Behind the waiting group: they wait too (no overtaking), however much room they find.
    assert statuses(split) == [S.WACHTLIJST] * 3


def test_a_waiting_group_is_offered_once_its_deelsessie_has_room_for_all(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=20)
    _ronde, (klein,) = programma_met_ronde(bijeenkomst, capaciteiten=(3,))
    bezet = services.register(
        bijeenkomst=bijeenkomst, email="bezet@example.org", naam="Bezet", sessies=[klein]
    )
    groep = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(3), keuze=SAMEN, sessies=[klein]
    )
    assert statuses(groep) == [S.WACHTLIJST] * 3

    services.cancel(aanmelding=bezet)

    assert statuses(groep) == [S.AANGEBODEN] * 3
    held = SessieKeuze.objects.filter(
        deelsessie=klein, status__in=SessieKeuze.TAKEN_STATUSES
    ).count()
    assert held == 3


@pytest.mark.parametrize("capaciteit", [20, 0], ids=["all confirmed", "all waiting"])
def test_registering_a_group_of_ten_takes_as_many_queries_as_a_group_of_two(door, capaciteit):
    counts = []
    for size in (2, 10):
        bijeenkomst = BijeenkomstFactory(capaciteit=capaciteit)
        with CaptureQueriesContext(connection) as queries:
            services.register_group(
                bijeenkomst=bijeenkomst,
                door=door,
                leden=collegas(size, start=size * 10),
                keuze=SAMEN,
            )
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 30, counts


def test_a_cancelled_bijeenkomst_offers_nothing_to_a_waiting_group(door):
    bijeenkomst = BijeenkomstFactory(capaciteit=0)
    groep = services.register_group(
        bijeenkomst=bijeenkomst, door=door, leden=collegas(2), keuze=SAMEN
    )
    services.cancel_bijeenkomst(bijeenkomst=bijeenkomst)
    assert statuses(groep) == [S.GEANNULEERD] * 2
    assert Bijeenkomst.objects.get(pk=bijeenkomst.pk).status == Bijeenkomst.Status.GEANNULEERD
