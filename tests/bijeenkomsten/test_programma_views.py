"""The team's pages for the programme (issue 21, point 1): the programme with its places,
adding and changing an item with its sprekers, a deelsessie's capacity through
`change_session_capacity`, removing an item (refused while registrants hold a choice
there), and who may not."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import services
from bijeenkomsten.models import ProgrammaOnderdeel, SessieKeuze, Spreker
from tests.bijeenkomsten.factories import BijeenkomstFactory, programma_met_ronde
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import (
    OrganisatieFactory,
    PersoonFactory,
    make_coordinator,
    make_lidmaatschap,
)
from tests.snapshot import changed_tables, snapshot

pytestmark = pytest.mark.django_db
P = ProgrammaOnderdeel.Soort
FORMSET = {"spreker-TOTAL_FORMS": "2", "spreker-INITIAL_FORMS": "0"}


@pytest.fixture
def dag():
    bijeenkomst = BijeenkomstFactory(capaciteit=20, slug="dag")
    ronde, sessies = programma_met_ronde(bijeenkomst, capaciteiten=(1, 5))
    return bijeenkomst, ronde, sessies


@pytest.fixture
def coordinator(client):
    persoon = make_coordinator()
    client.force_login(persoon)
    return persoon


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def item_data(bijeenkomst, **changes):
    data = {
        "soort": P.PLENAIR,
        "titel": "Keynote",
        "start": local(bijeenkomst.start),
        "eind": local(bijeenkomst.start + timedelta(minutes=45)),
        "zaal": "Aula",
        "beschrijving": "Over **samen leren**.",
        "wachtlijst_open": "on",
        **FORMSET,
    }
    data.update(changes)
    return data


def test_the_team_sees_the_programme_in_time_order_with_sprekers_and_places(
    client, dag, coordinator
):
    bijeenkomst, _ronde, (a, b) = dag
    Spreker.objects.create(onderdeel=a, naam="Sanne Spreker", bio="Lector")
    services.register(bijeenkomst=bijeenkomst, email="p@example.org", naam="P", sessies=[a])
    services.register(bijeenkomst=bijeenkomst, email="q@example.org", naam="Q", sessies=[a])

    page = client.get(reverse("bijeenkomsten:programma", args=[bijeenkomst.slug]))

    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("Opening") < text.index("Ronde 1") < text.index("Workshop A")
    assert "Sanne Spreker" in text
    assert "1 van 1 plekken bezet, 0 vrij." in text
    assert "1 op de wachtlijst." in text
    assert "0 van 5 plekken bezet, 5 vrij." in text
    assert reverse("bijeenkomsten:onderdeel-verwijderen", args=[bijeenkomst.slug, b.pk]) in text


def test_the_dashboard_links_to_the_programme(client, dag, coordinator):
    bijeenkomst = dag[0]
    page = client.get(reverse("bijeenkomsten:aanmeldingen", args=[bijeenkomst.slug]))
    assert reverse("bijeenkomsten:programma", args=[bijeenkomst.slug]) in page.content.decode()


def test_the_programme_page_takes_the_same_queries_for_a_short_and_a_long_programme(
    client, dag, coordinator, django_assert_max_num_queries
):
    bijeenkomst, ronde, _sessies = dag
    url = reverse("bijeenkomsten:programma", args=[bijeenkomst.slug])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(6):
        sessie = ProgrammaOnderdeel.objects.create(
            bijeenkomst=bijeenkomst,
            ronde=ronde,
            soort=P.DEELSESSIE,
            titel=f"Extra {n}",
            start=ronde.start,
            eind=ronde.eind,
            capaciteit=3,
        )
        Spreker.objects.create(onderdeel=sessie, persoon=PersoonFactory())
        ProgrammaOnderdeel.objects.create(
            bijeenkomst=bijeenkomst,
            soort=P.PAUZE,
            titel=f"Pauze {n}",
            start=ronde.eind + timedelta(minutes=n),
            eind=ronde.eind + timedelta(minutes=n + 1),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Extra 5" in client.get(url).content.decode()


def test_the_team_adds_a_plenary_item_with_a_portal_person_and_a_free_name(
    client, dag, coordinator
):
    bijeenkomst = dag[0]
    persoon = PersoonFactory(naam="Petra Portaal", email="petra@example.org")
    url = reverse("bijeenkomsten:onderdeel-nieuw", args=[bijeenkomst.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        item_data(
            bijeenkomst,
            **{
                "spreker-0-email": "Petra@Example.org ",
                "spreker-1-naam": "Vera Vrij",
                "spreker-1-bio": "Ervaringsdeskundige",
            },
        ),
    )
    assert response.status_code == 302
    onderdeel = ProgrammaOnderdeel.objects.get(titel="Keynote")
    assert onderdeel.bijeenkomst == bijeenkomst
    assert "<strong>samen leren</strong>" in onderdeel.beschrijving_html
    assert [(s.persoon, s.naam, s.bio) for s in onderdeel.sprekers.all()] == [
        (persoon, "", ""),
        (None, "Vera Vrij", "Ervaringsdeskundige"),
    ]


def test_the_speaker_field_names_nobody_of_the_portal_the_editor_does_not_know(
    client, dag, coordinator
):
    """A person of the portal is chosen by their address, not from a list of everyone's
    names: the team of a bijeenkomst (partners among them) sees no one it did not name."""
    bijeenkomst = dag[0]
    PersoonFactory(naam="Geheime Gerda", email="gerda@example.org")
    page = client.get(reverse("bijeenkomsten:onderdeel-nieuw", args=[bijeenkomst.slug])).text
    assert "Geheime Gerda" not in page
    assert "gerda@example.org" not in page


def test_a_speaker_address_without_an_account_is_refused_at_its_field_and_nothing_is_saved(
    client, dag, coordinator
):
    bijeenkomst = dag[0]
    url = reverse("bijeenkomsten:onderdeel-nieuw", args=[bijeenkomst.slug])
    response = client.post(url, item_data(bijeenkomst, **{"spreker-0-email": "nie@example.org"}))
    assert response.status_code == 400
    assert 'href="#id_spreker-0-email"' in response.text
    assert "geen account" in response.text
    assert not ProgrammaOnderdeel.objects.filter(titel="Keynote").exists()


def test_editing_an_item_shows_its_portal_speaker_by_address(client, dag, coordinator):
    bijeenkomst, ronde, sessies = dag
    persoon = PersoonFactory(email="spreker@example.org")
    Spreker.objects.create(onderdeel=sessies[0], persoon=persoon)
    url = reverse("bijeenkomsten:onderdeel-wijzigen", args=[bijeenkomst.slug, sessies[0].pk])
    assert 'value="spreker@example.org"' in client.get(url).text


def test_a_new_deelsessie_gets_its_ronde_and_capacity(client, dag, coordinator):
    bijeenkomst, ronde, _sessies = dag
    url = reverse("bijeenkomsten:onderdeel-nieuw", args=[bijeenkomst.slug])
    assert f'value="{ronde.pk}" selected' in client.get(f"{url}?ronde={ronde.pk}").content.decode()
    response = client.post(
        url,
        item_data(
            bijeenkomst,
            soort=P.DEELSESSIE,
            titel="Workshop C",
            ronde=str(ronde.pk),
            capaciteit="12",
            wachtlijst_open="",
        ),
    )
    assert response.status_code == 302
    sessie = ProgrammaOnderdeel.objects.get(titel="Workshop C")
    assert (sessie.ronde, sessie.capaciteit, sessie.wachtlijst_open) == (ronde, 12, False)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"soort": P.DEELSESSIE}, "id_ronde"),
        ({"capaciteit": "5"}, "id_capaciteit"),
        ({"eind": "2020-01-01T00:00"}, "id_eind"),
        ({"titel": ""}, "id_titel"),
        ({"capaciteit": "-1", "soort": P.DEELSESSIE}, "id_capaciteit"),
        ({"spreker-0-bio": "Zonder naam"}, "id_spreker-0-naam"),
    ],
)
def test_bad_input_is_a_dutch_error_linked_to_its_field_and_saves_nothing(
    client, dag, coordinator, changes, field
):
    bijeenkomst = dag[0]
    before = ProgrammaOnderdeel.objects.count()
    response = client.post(
        reverse("bijeenkomsten:onderdeel-nieuw", args=[bijeenkomst.slug]),
        item_data(bijeenkomst, **changes),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert f'href="#{field}"' in text
    assert "Nog niet opgeslagen" in text
    assert ProgrammaOnderdeel.objects.count() == before
    assert not Spreker.objects.exists()


def test_editing_a_deelsessie_raises_its_capacity_and_offers_the_place_to_its_wachtlijst(
    client, dag, coordinator
):
    bijeenkomst, ronde, (a, _b) = dag
    services.register(bijeenkomst=bijeenkomst, email="p@example.org", naam="P", sessies=[a])
    wachtend = services.register(
        bijeenkomst=bijeenkomst, email="q@example.org", naam="Q", sessies=[a]
    )
    url = reverse("bijeenkomsten:onderdeel-wijzigen", args=[bijeenkomst.slug, a.pk])
    form = client.get(url).content.decode()
    assert 'value="Workshop A"' in form

    response = client.post(
        url,
        item_data(
            bijeenkomst,
            soort=P.DEELSESSIE,
            titel="Workshop A+",
            ronde=str(ronde.pk),
            start=local(a.start),
            eind=local(a.eind),
            capaciteit="2",
        ),
    )

    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.titel, a.capaciteit) == ("Workshop A+", 2)
    keuze = wachtend.sessiekeuzes.get()
    assert keuze.status == SessieKeuze.Status.AANGEBODEN


def test_a_deelsessie_with_choices_keeps_its_ronde_and_nothing_changes(client, dag, coordinator):
    bijeenkomst, ronde, (a, _b) = dag
    services.register(bijeenkomst=bijeenkomst, email="p@example.org", naam="P", sessies=[a])
    andere = ProgrammaOnderdeel.objects.create(
        bijeenkomst=bijeenkomst,
        soort=P.RONDE,
        titel="Ronde 2",
        start=ronde.eind,
        eind=ronde.eind + timedelta(hours=1),
    )
    response = client.post(
        reverse("bijeenkomsten:onderdeel-wijzigen", args=[bijeenkomst.slug, a.pk]),
        item_data(
            bijeenkomst,
            soort=P.DEELSESSIE,
            titel="Verhuisd",
            ronde=str(andere.pk),
            capaciteit="1",
        ),
    )
    assert response.status_code == 400
    assert "de soort en de ronde blijven" in response.content.decode()
    a.refresh_from_db()
    assert (a.titel, a.ronde) == ("Workshop A", ronde)


def test_a_deelsessie_that_holds_places_cannot_be_removed(client, dag, coordinator):
    bijeenkomst, ronde, (a, _b) = dag
    services.register(bijeenkomst=bijeenkomst, email="p@example.org", naam="P", sessies=[a])
    before = snapshot()
    page = reverse("bijeenkomsten:programma", args=[bijeenkomst.slug])
    for onderdeel in (a, ronde):
        url = reverse("bijeenkomsten:onderdeel-verwijderen", args=[bijeenkomst.slug, onderdeel.pk])
        response = client.post(url, follow=True)
        assert response.redirect_chain[-1][0] == page
        assert "kan niet weg" in response.content.decode()
    assert changed_tables(before, snapshot()) == []


def test_an_empty_deelsessie_is_removed_with_its_sprekers_and_cancelled_choices_go_along(
    client, dag, coordinator
):
    bijeenkomst, _ronde, (a, b) = dag
    aanmelding = services.register(
        bijeenkomst=bijeenkomst, email="p@example.org", naam="P", sessies=[b]
    )
    services.cancel(aanmelding=aanmelding)
    assert aanmelding.sessiekeuzes.get().status == SessieKeuze.Status.GEANNULEERD
    Spreker.objects.create(onderdeel=b, naam="Weg")
    url = reverse("bijeenkomsten:onderdeel-verwijderen", args=[bijeenkomst.slug, b.pk])
    assert client.post(url).status_code == 302
    assert not ProgrammaOnderdeel.objects.filter(pk=b.pk).exists()
    assert not Spreker.objects.exists()
    assert ProgrammaOnderdeel.objects.filter(pk=a.pk).exists()


def _partner(bijeenkomst):
    organisatie = OrganisatieFactory()
    bijeenkomst.organisaties.add(organisatie)
    persoon = PersoonFactory()
    make_lidmaatschap(persoon, organisatie)
    return persoon


def _trekker(bijeenkomst):
    persoon = PersoonFactory()
    bijeenkomst.leerateliers.add(LeeratelierFactory(trekkers=[persoon]))
    return persoon


@pytest.mark.parametrize("who", [_partner, _trekker])
def test_a_partner_or_trekker_gets_403_on_every_programme_page_and_nothing_changes(
    client, dag, who
):
    bijeenkomst, ronde, (a, _b) = dag
    client.force_login(who(bijeenkomst))
    slug = bijeenkomst.slug
    before = snapshot()
    assert client.get(reverse("bijeenkomsten:programma", args=[slug])).status_code == 403
    nieuw = reverse("bijeenkomsten:onderdeel-nieuw", args=[slug])
    assert client.get(nieuw).status_code == 403
    assert client.post(nieuw, item_data(bijeenkomst)).status_code == 403
    wijzigen = reverse("bijeenkomsten:onderdeel-wijzigen", args=[slug, a.pk])
    assert client.get(wijzigen).status_code == 403
    data = item_data(bijeenkomst, soort=P.DEELSESSIE, ronde=str(ronde.pk), capaciteit="50")
    assert client.post(wijzigen, data).status_code == 403
    weg = reverse("bijeenkomsten:onderdeel-verwijderen", args=[slug, a.pk])
    assert client.post(weg).status_code == 403
    assert changed_tables(before, snapshot()) == []


def test_an_item_of_another_bijeenkomst_is_not_found_and_stays(client, dag, coordinator):
    _bijeenkomst, _ronde, (a, _b) = dag
    other = BijeenkomstFactory()
    wijzigen = reverse("bijeenkomsten:onderdeel-wijzigen", args=[other.slug, a.pk])
    assert client.get(wijzigen).status_code == 404
    assert client.post(wijzigen, item_data(other)).status_code == 404
    weg = reverse("bijeenkomsten:onderdeel-verwijderen", args=[other.slug, a.pk])
    assert client.post(weg).status_code == 404
    a.refresh_from_db()
    assert a.titel == "Workshop A"


def test_delete_onderdeel_refuses_a_ronde_whose_deelsessie_has_a_wachtlijst(dag):
    bijeenkomst, ronde, (a, _b) = dag
    services.register(bijeenkomst=bijeenkomst, email="p@example.org", naam="P", sessies=[a])
    services.register(bijeenkomst=bijeenkomst, email="q@example.org", naam="Q", sessies=[a])
    SessieKeuze.objects.filter(status=SessieKeuze.Status.BEVESTIGD).update(
        status=SessieKeuze.Status.GEANNULEERD
    )
    with pytest.raises(services.RegistrationError, match="kan niet weg"):
        services.delete_onderdeel(onderdeel=ronde)
    assert ProgrammaOnderdeel.objects.filter(pk=ronde.pk).exists()


def test_a_ronde_with_deelsessies_stays_a_ronde(dag):
    bijeenkomst, ronde, _sessies = dag
    with pytest.raises(services.RegistrationError, match="ronde heeft deelsessies"):
        services.save_onderdeel(
            bijeenkomst=bijeenkomst,
            onderdeel=ronde,
            soort=P.PLENAIR,
            titel="Geen ronde meer",
            start=ronde.start,
            eind=ronde.eind,
        )
    ronde.refresh_from_db()
    assert ronde.soort == P.RONDE
