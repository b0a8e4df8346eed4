"""Quota of co-organisers (issue 21, point 6): places held for one network until a date,
the generalisation of the arena's reserved places (whose own tests in test_beheer.py and
test_imports.py keep their rules). The races are in test_quota_concurrency.py."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import services, tasks
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling, Quotum, Teamlid, Uitnodiging
from bijeenkomsten.selectors import Audience
from netwerk.models import Organisatie
from tests.bijeenkomsten.factories import BijeenkomstFactory, with_link
from tests.netwerk.factories import (
    OrganisatieFactory,
    PersoonFactory,
    make_coordinator,
    make_lidmaatschap,
)

pytestmark = pytest.mark.django_db

S = Aanmelding.Status


def week():
    return timezone.now() + timedelta(days=7)


def werkplaats(naam="Werkplaats Zuyd"):
    return OrganisatieFactory(naam=naam, soort=Organisatie.Soort.WERKPLAATS)


def lid_van(organisatie, n):
    persoon = PersoonFactory(email=f"lid{n}@{organisatie.slug}.example.nl")
    make_lidmaatschap(persoon, organisatie)
    return persoon


def register(bijeenkomst, n, persoon=None):
    return services.register(
        bijeenkomst=bijeenkomst,
        email=persoon.email if persoon else f"gast{n}@example.org",
        naam=f"Gast {n}",
        persoon=persoon,
    )


def test_a_confirmed_member_takes_a_place_of_their_organisaties_quotum_others_only_the_pool():
    bijeenkomst = BijeenkomstFactory(capaciteit=4)
    zuyd = werkplaats()
    quotum = services.save_quotum(
        bijeenkomst=bijeenkomst, door=None, organisatie=zuyd, aantal=2, tot=week()
    )

    outsiders = [register(bijeenkomst, n) for n in range(3)]
    member = register(bijeenkomst, 9, persoon=lid_van(zuyd, 1))

    assert [a.status for a in outsiders] == [S.BEVESTIGD, S.BEVESTIGD, S.WACHTLIJST]
    assert (member.status, member.quotum) == (S.BEVESTIGD, quotum)
    # An unconfirmed membership does not count.
    asker = PersoonFactory(email="vraagt@example.org")
    make_lidmaatschap(asker, zuyd, status="aangevraagd")
    assert register(bijeenkomst, 10, persoon=asker).status == S.WACHTLIJST


def test_a_co_organisator_registers_on_behalf_within_the_quotum_then_from_the_pool():
    bijeenkomst = BijeenkomstFactory(capaciteit=3)
    zuyd = werkplaats()
    co = PersoonFactory(email="cees@example.org")
    Teamlid.objects.create(
        bijeenkomst=bijeenkomst, persoon=co, rol=Teamlid.Rol.CO_ORGANISATOR, organisatie=zuyd
    )
    quotum = services.save_quotum(
        bijeenkomst=bijeenkomst, door=None, organisatie=zuyd, aantal=1, tot=week()
    )

    made = [
        services.register_on_behalf(
            bijeenkomst=bijeenkomst, door=co, email=f"namens{n}@example.org", naam=f"N {n}"
        )
        for n in range(4)
    ]

    assert [(a.status, a.quotum_id) for a in made] == [
        (S.BEVESTIGD, quotum.pk),
        (S.BEVESTIGD, None),
        (S.BEVESTIGD, None),
        (S.WACHTLIJST, None),
    ]


def test_whom_a_co_organisator_invites_takes_a_place_of_its_quotum_then_the_pool():
    bijeenkomst = BijeenkomstFactory(capaciteit=2)
    zuyd = werkplaats()
    co = PersoonFactory(email="cees@example.org")
    Teamlid.objects.create(
        bijeenkomst=bijeenkomst, persoon=co, rol=Teamlid.Rol.CO_ORGANISATOR, organisatie=zuyd
    )
    quotum = services.save_quotum(
        bijeenkomst=bijeenkomst, door=None, organisatie=zuyd, aantal=1, tot=week()
    )
    services.invite(
        bijeenkomst=bijeenkomst,
        door=co,
        audience=Audience(adressen="ina@example.org, jan@example.org"),
    )
    ina, jan = Uitnodiging.objects.order_by("email")
    # An outsider takes the one place of the pool; the quotum's place is still held.
    assert register(bijeenkomst, 1).status == S.BEVESTIGD
    assert register(bijeenkomst, 2).status == S.WACHTLIJST

    first = services.register_invited(uitnodiging=with_link(ina), naam="Ina")
    second = services.register_invited(uitnodiging=with_link(jan), naam="Jan")

    assert (first.status, first.quotum) == (S.BEVESTIGD, quotum)
    assert (second.status, second.quotum) == (S.WACHTLIJST, None)
    # Invited by a coördinator, not by the co-organisator: no place of the quotum.
    other = BijeenkomstFactory(capaciteit=1)
    Teamlid.objects.create(
        bijeenkomst=other, persoon=co, rol=Teamlid.Rol.CO_ORGANISATOR, organisatie=zuyd
    )
    services.save_quotum(bijeenkomst=other, door=None, organisatie=zuyd, aantal=1, tot=week())
    services.invite(
        bijeenkomst=other, door=make_coordinator(), audience=Audience(adressen="kim@example.org")
    )
    kim = services.register_invited(
        uitnodiging=with_link(Uitnodiging.objects.get(bijeenkomst=other)), naam="Kim"
    )
    assert (kim.status, kim.quotum) == (S.WACHTLIJST, None)


def test_the_quota_together_never_hold_more_than_the_capacity():
    bijeenkomst = BijeenkomstFactory(capaciteit=5)
    zuyd, fontys = werkplaats(), werkplaats("Werkplaats Noord-Brabant Fontys")
    services.save_quotum(bijeenkomst=bijeenkomst, door=None, organisatie=zuyd, aantal=3, tot=week())

    with pytest.raises(services.RegistrationError, match="meer dan de capaciteit"):
        services.save_quotum(
            bijeenkomst=bijeenkomst, door=None, organisatie=fontys, aantal=3, tot=week()
        )
    with pytest.raises(services.RegistrationError, match="meer dan de capaciteit"):
        services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=2)
    with pytest.raises(services.RegistrationError, match="alleen bij een capaciteit"):
        services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=None)
    # Changing a quotum counts it once, not twice.
    services.save_quotum(bijeenkomst=bijeenkomst, door=None, organisatie=zuyd, aantal=5, tot=week())

    bijeenkomst.refresh_from_db()
    assert bijeenkomst.capaciteit == 5
    assert list(Quotum.objects.values_list("organisatie", "aantal")) == [(zuyd.pk, 5)]


def test_the_quotum_form_on_the_dashboard_refuses_more_than_the_capacity_and_changes_nothing(
    client,
):
    bijeenkomst = BijeenkomstFactory(capaciteit=5)
    zuyd = werkplaats()
    client.force_login(make_coordinator())
    url = reverse("bijeenkomsten:quotum", args=[bijeenkomst.slug])
    tot = timezone.localtime(week()).strftime("%Y-%m-%dT%H:%M")

    refused = client.post(url, {"organisatie": zuyd.pk, "aantal": "6", "tot": tot}, follow=True)
    assert "niet meer dan de capaciteit (5)" in refused.text
    assert not Quotum.objects.exists()

    assert client.post(url, {"organisatie": zuyd.pk, "aantal": "2", "tot": tot}).status_code == 302
    assert Quotum.objects.get().aantal == 2


def test_each_quotum_returns_its_unused_places_once_at_its_own_date_with_a_log_line_each():
    bijeenkomst = BijeenkomstFactory(capaciteit=4)
    zuyd, gelderse = werkplaats(), werkplaats("Werkplaats Gelderse Vallei")
    services.save_quotum(bijeenkomst=bijeenkomst, door=None, organisatie=zuyd, aantal=2, tot=week())
    services.save_quotum(
        bijeenkomst=bijeenkomst, door=None, organisatie=gelderse, aantal=1, tot=week()
    )
    register(bijeenkomst, 0, persoon=lid_van(zuyd, 0))
    register(bijeenkomst, 1)
    waiting = [register(bijeenkomst, n) for n in range(2, 5)]
    assert {a.status for a in waiting} == {S.WACHTLIJST}
    Quotum.objects.filter(organisatie=zuyd).update(tot=timezone.now() - timedelta(minutes=1))

    assert tasks.release_reserved_places() == 1
    assert tasks.release_reserved_places() == 0

    statuses = [Aanmelding.objects.get(pk=a.pk).status for a in waiting]
    # Zuyd's one unused place goes to the first waiting; Gelderse Vallei still holds its own.
    assert statuses == [S.AANGEBODEN, S.WACHTLIJST, S.WACHTLIJST]
    log = Handeling.objects.filter(soort=Handeling.Soort.RESERVERING_VRIJGEGEVEN)
    assert [h.omschrijving for h in log] == ["1 plaatsen van Werkplaats Zuyd voor iedereen open"]
    released = Quotum.objects.met_gebruik().get(organisatie=zuyd)
    assert (released.aantal, released.gebruikt, released.teruggegeven) == (2, 1, 1)


def test_a_released_quotum_is_not_changed_again():
    bijeenkomst = BijeenkomstFactory(capaciteit=4)
    zuyd = werkplaats()
    quotum = services.save_quotum(
        bijeenkomst=bijeenkomst, door=None, organisatie=zuyd, aantal=2, tot=week()
    )
    Quotum.objects.filter(pk=quotum.pk).update(tot=timezone.now() - timedelta(minutes=1))
    services.release_reserved_places(bijeenkomst_id=bijeenkomst.pk)

    with pytest.raises(services.RegistrationError, match="al vrijgegeven"):
        services.save_quotum(
            bijeenkomst=bijeenkomst, door=None, organisatie=zuyd, aantal=1, tot=week()
        )


def test_the_dashboard_shows_per_quotum_held_used_and_returned_in_a_bounded_number_of_queries(
    client,
):
    bijeenkomst = BijeenkomstFactory(capaciteit=20)
    client.force_login(make_coordinator())
    url = reverse("bijeenkomsten:aanmeldingen", args=[bijeenkomst.slug])

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        return len(context.captured_queries), response

    client.get(url)  # the session
    register(bijeenkomst, 99)
    services.save_quotum(
        bijeenkomst=bijeenkomst, door=None, organisatie=werkplaats(), aantal=2, tot=week()
    )
    one, _response = queries()
    for n, naam in enumerate(["WSDAN", "Gelderse Vallei", "Noord-Brabant Fontys"]):
        organisatie = werkplaats(naam)
        services.save_quotum(
            bijeenkomst=bijeenkomst, door=None, organisatie=organisatie, aantal=3, tot=week()
        )
        register(bijeenkomst, n, persoon=lid_van(organisatie, n))
    four, response = queries()

    assert four == one
    row = response.text.split(
        f'id="quotum-{Quotum.objects.get(aantal=3, organisatie__naam="WSDAN").pk}"'
    )[1]
    cells = [cell.split("<")[0] for cell in row.split("<td>")[1:4]]
    assert cells == ["3", "1", "—"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_reserved_places_into_an_arena_quotum_that_behaves_as_before():
    before = ("bijeenkomsten", "0024_team_per_bijeenkomst")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    start = timezone.now() + timedelta(days=14)
    bijeenkomst = old.get_model("bijeenkomsten", "Bijeenkomst").objects.create(
        titel="Oud",
        slug="oud",
        soort="kennisbijeenkomst",
        start=start,
        eind=start + timedelta(hours=2),
        locatie_plaats="Ede",
        status="gepubliceerd",
        capaciteit=3,
        gereserveerd=2,
        gereserveerd_tot=week(),
    )
    arena = old.get_model("bijeenkomsten", "Aanmelding").objects.create(
        bijeenkomst=bijeenkomst,
        naam="Ada Arena",
        email="ada@example.org",
        status="bevestigd",
        op_reservering=True,
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    quotum = Quotum.objects.get(bijeenkomst_id=bijeenkomst.pk)
    assert (quotum.organisatie, quotum.aantal, quotum.vrijgegeven_op) == (None, 2, None)
    assert Aanmelding.objects.get(pk=arena.pk).quotum == quotum
    # As before: one reserved place used, one still held, one for everyone.
    migrated = Bijeenkomst.objects.met_bezetting().get(pk=bijeenkomst.pk)
    assert (migrated.plaatsen_vrij, migrated.gereserveerd_vrij()) == (1, 1)
    assert [register(migrated, n).status for n in range(2)] == [S.BEVESTIGD, S.WACHTLIJST]
