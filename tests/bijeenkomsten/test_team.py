"""The team of one bijeenkomst (issue 21, point 5): organisator, co-organisator for an
organisatie, deur. Their rights per URL are in tests/test_url_matrix.py; these test what
each role sees and the team page itself."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bijeenkomsten import permissions, services
from bijeenkomsten.models import Aanmelding, Handeling, Teamlid
from netwerk.models import Organisatie
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.netwerk.factories import (
    OrganisatieFactory,
    PersoonFactory,
    make_coordinator,
    make_lidmaatschap,
)

pytestmark = pytest.mark.django_db

R = Teamlid.Rol


@pytest.fixture
def dag():
    """A bijeenkomst co-organised by a werkplaats: one of its members and one outsider
    registered, and a third person the co-organisator registered on someone's behalf."""
    bijeenkomst = BijeenkomstFactory(titel="Landelijk symposium", capaciteit=50)
    werkplaats = OrganisatieFactory(naam="Werkplaats Zuyd", soort=Organisatie.Soort.WERKPLAATS)
    co = PersoonFactory(naam="Cees Co", email="cees@example.org")
    Teamlid.objects.create(
        bijeenkomst=bijeenkomst, persoon=co, rol=R.CO_ORGANISATOR, organisatie=werkplaats
    )
    lid = PersoonFactory(naam="Lies Lid", email="lies@zuyd.example.nl")
    make_lidmaatschap(lid, werkplaats)
    eigen = AanmeldingFactory(bijeenkomst=bijeenkomst, persoon=lid, naam=lid.naam, email=lid.email)
    vreemd = AanmeldingFactory(
        bijeenkomst=bijeenkomst, naam="Vera Vreemd", email="vera@example.org"
    )
    namens = services.register_on_behalf(
        bijeenkomst=bijeenkomst, door=co, email="nico@example.org", naam="Nico Namens"
    )
    return bijeenkomst, werkplaats, co, eigen, vreemd, namens


def test_a_co_organisator_sees_only_their_own_networks_registrations(client, dag):
    bijeenkomst, _werkplaats, co, eigen, vreemd, namens = dag
    client.force_login(co)

    response = client.get(reverse("bijeenkomsten:aanmeldingen", args=[bijeenkomst.slug]))

    assert response.status_code == 200
    shown = {aanmelding.pk for aanmelding in response.context["aanmeldingen"]}
    assert shown == {eigen.pk, namens.pk}
    assert "Vera Vreemd" not in response.text
    # Nor the log, which names everyone the coördinatoren acted on.
    assert response.context["handelingen"] == []


def test_a_co_organisator_cancels_their_own_people_but_not_others(client, dag):
    bijeenkomst, _werkplaats, co, eigen, vreemd, _namens = dag
    client.force_login(co)

    def cancel(aanmelding):
        url = reverse(
            "bijeenkomsten:aanmelding-annuleren-namens", args=[bijeenkomst.slug, aanmelding.pk]
        )
        return client.post(url, {"bevestigd": "1"})

    assert cancel(vreemd).status_code == 403
    assert cancel(eigen).status_code == 302
    statuses = dict(Aanmelding.objects.values_list("pk", "status"))
    assert statuses[vreemd.pk] == Aanmelding.Status.BEVESTIGD
    assert statuses[eigen.pk] == Aanmelding.Status.GEANNULEERD


def test_a_co_organisator_of_another_bijeenkomst_gets_nothing_of_this_one(client, dag):
    bijeenkomst, werkplaats, _co, eigen, _vreemd, _namens = dag
    ander = PersoonFactory(email="anouk@example.org")
    Teamlid.objects.create(
        bijeenkomst=BijeenkomstFactory(),
        persoon=ander,
        rol=R.CO_ORGANISATOR,
        organisatie=werkplaats,
    )
    client.force_login(ander)

    for name in ("aanmeldingen", "programma", "uitnodigingen", "aanwezigheid", "export"):
        assert (
            client.get(reverse(f"bijeenkomsten:{name}", args=[bijeenkomst.slug])).status_code == 403
        )
    url = reverse("bijeenkomsten:aanmelding-annuleren-namens", args=[bijeenkomst.slug, eigen.pk])
    assert client.post(url, {"bevestigd": "1"}).status_code == 403


def test_a_co_organisator_exports_only_their_own_networks_registrations(client, dag):
    bijeenkomst, _werkplaats, co, eigen, vreemd, namens = dag
    client.force_login(co)

    response = client.get(
        reverse("bijeenkomsten:export", args=[bijeenkomst.slug]),
        {"keuze": "open", "formaat": "csv"},
    )

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert eigen.email in text
    assert namens.email in text
    assert vreemd.email not in text


def test_deur_sees_names_at_the_door_but_no_addresses_and_cannot_export_or_mail(client, dag):
    bijeenkomst, _werkplaats, _co, eigen, vreemd, _namens = dag
    deur = PersoonFactory(email="daan@example.org")
    Teamlid.objects.create(bijeenkomst=bijeenkomst, persoon=deur, rol=R.DEUR)
    client.force_login(deur)

    door = client.get(reverse("bijeenkomsten:aanwezigheid", args=[bijeenkomst.slug]))
    assert door.status_code == 200
    assert "Vera Vreemd" in door.text
    assert vreemd.email not in door.text
    for name in ("export", "berichten", "bericht-nieuw", "aanmeldingen", "vragen"):
        assert (
            client.get(reverse(f"bijeenkomsten:{name}", args=[bijeenkomst.slug])).status_code == 403
        )
    export = reverse("bijeenkomsten:export", args=[bijeenkomst.slug])
    assert client.get(export, {"keuze": "open", "formaat": "csv"}).status_code == 403

    check_in = reverse("bijeenkomsten:aanwezig-melden", args=[bijeenkomst.slug, eigen.pk])
    assert client.post(check_in).status_code == 302
    assert Aanmelding.objects.get(pk=eigen.pk).aanwezig_op is not None


def test_an_organisator_has_a_coordinators_rights_for_their_bijeenkomst_only():
    bijeenkomst, andere = BijeenkomstFactory(), BijeenkomstFactory()
    organisator = PersoonFactory()
    Teamlid.objects.create(bijeenkomst=bijeenkomst, persoon=organisator, rol=R.ORGANISATOR)
    checks = [
        permissions.can_change_bijeenkomst,
        permissions.can_manage_all_aanmeldingen,
        permissions.can_export,
        permissions.can_mail_aanmeldingen,
        permissions.can_edit_questions,
        permissions.can_edit_programme,
        permissions.can_decide_requests,
        permissions.can_invite,
        permissions.can_check_in,
        permissions.can_write_verslag,
        permissions.can_manage_team,
    ]
    assert all(check(organisator, bijeenkomst) for check in checks)
    assert not any(check(organisator, andere) for check in checks)
    # The tools across all bijeenkomsten stay the coördinatoren's.
    assert not permissions.can_manage_aanmeldingen(organisator, None)
    assert not permissions.can_add_bijeenkomst(organisator)


def test_the_team_page_adds_by_address_changes_a_role_and_removes(client, dag):
    bijeenkomst, werkplaats, *_rest = dag
    coordinator = make_coordinator()
    helper = PersoonFactory(naam="Hanna Helper", email="hanna@example.org")
    client.force_login(coordinator)
    url = reverse("bijeenkomsten:team", args=[bijeenkomst.slug])

    assert client.post(url, {"email": "HANNA@example.org", "rol": "deur"}).status_code == 302
    lid = Teamlid.objects.get(bijeenkomst=bijeenkomst, persoon=helper)
    assert (lid.rol, lid.organisatie) == (R.DEUR, None)

    data = {"email": helper.email, "rol": "co-organisator", "organisatie": werkplaats.pk}
    assert client.post(url, data).status_code == 302
    lid.refresh_from_db()
    assert (lid.rol, lid.organisatie) == (R.CO_ORGANISATOR, werkplaats)
    assert Teamlid.objects.filter(bijeenkomst=bijeenkomst, persoon=helper).count() == 1

    remove = reverse("bijeenkomsten:teamlid-verwijderen", args=[bijeenkomst.slug, lid.pk])
    assert client.post(remove).status_code == 302
    assert not Teamlid.objects.filter(pk=lid.pk).exists()
    assert Handeling.objects.filter(bijeenkomst=bijeenkomst, soort="team").count() == 3


def test_an_address_without_an_account_is_refused_with_a_clear_error_and_nothing_changes(
    client, dag
):
    bijeenkomst, *_rest = dag
    client.force_login(make_coordinator())
    before = Teamlid.objects.count()

    response = client.post(
        reverse("bijeenkomsten:team", args=[bijeenkomst.slug]),
        {"email": "niemand@example.org", "rol": "deur"},
    )

    assert response.status_code == 400
    assert "geen account met dit e-mailadres" in response.text
    assert Teamlid.objects.count() == before


def test_a_co_organisator_needs_an_organisatie_and_only_they_have_one(client, dag):
    bijeenkomst, werkplaats, *_rest = dag
    persoon = PersoonFactory(email="piet@example.org")
    client.force_login(make_coordinator())
    url = reverse("bijeenkomsten:team", args=[bijeenkomst.slug])

    without = client.post(url, {"email": persoon.email, "rol": "co-organisator"})
    deur_for = client.post(
        url, {"email": persoon.email, "rol": "deur", "organisatie": werkplaats.pk}
    )

    assert (without.status_code, deur_for.status_code) == (400, 400)
    assert 'aria-invalid="true"' in without.text
    assert not Teamlid.objects.filter(persoon=persoon).exists()
    with pytest.raises(services.RegistrationError):
        services.save_teamlid(
            bijeenkomst=bijeenkomst, door=persoon, email=persoon.email, rol="co-organisator"
        )


def test_a_team_member_finds_their_bijeenkomsten_on_mijn_coordinatie_and_the_beheer_list(
    client, dag
):
    bijeenkomst, _werkplaats, co, *_rest = dag
    andere = BijeenkomstFactory(titel="Niet van Cees")
    client.force_login(co)

    mijn = client.get(reverse("netwerk:mijn"))
    coordinatie = client.get(reverse("coordinatie"))
    beheer = client.get(reverse("bijeenkomsten:beheer"))

    assert "Bijeenkomsten die ik organiseer" in mijn.text
    assert bijeenkomst.titel in mijn.text
    assert coordinatie.status_code == 200
    assert reverse("bijeenkomsten:beheer") in coordinatie.text
    assert [b.pk for b in beheer.context["bijeenkomsten"]] == [bijeenkomst.pk]
    assert andere.titel not in beheer.text


def test_the_dashboard_of_a_co_organisator_reads_a_bounded_number_of_queries(client, dag):
    bijeenkomst, werkplaats, co, *_rest = dag
    client.force_login(co)
    url = reverse("bijeenkomsten:aanmeldingen", args=[bijeenkomst.slug])

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    few = queries()
    for n in range(20):
        lid = PersoonFactory(email=f"lid{n}@zuyd.example.nl")
        make_lidmaatschap(lid, werkplaats)
        AanmeldingFactory(bijeenkomst=bijeenkomst, persoon=lid, email=lid.email)
    assert queries() == few


def test_a_co_organisator_registers_within_the_places_never_above_capacity(client, dag):
    bijeenkomst, _werkplaats, co, *_rest = dag
    client.force_login(co)
    url = reverse("bijeenkomsten:aanmelden-namens", args=[bijeenkomst.slug])
    before = Aanmelding.objects.count()

    response = client.post(
        url,
        {
            "naam": "Eva Eregast",
            "email": "eva@example.org",
            "boven_capaciteit": "on",
            "boven_capaciteit_reden": "Eregast",
        },
    )

    assert response.status_code == 400
    assert "alleen de organisator of een coördinator" in response.text
    assert Aanmelding.objects.count() == before
