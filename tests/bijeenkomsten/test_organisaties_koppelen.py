"""Matching the free-text organisatie of registrations to Organisatie rows (issue 23,
point 4): linked when confident, proposed to a coördinator otherwise."""

import pytest
from django.urls import reverse

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, OrganisatieVoorstel
from netwerk.models import OrganisatieAlias, normalise_organisatie_naam
from tests.bijeenkomsten.factories import AanmeldingFactory
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def arnhem():
    return OrganisatieFactory(naam="Gemeente Arnhem", maildomein="arnhem.example.nl")


@pytest.mark.parametrize(
    ("naam", "normalised"),
    [("Gemeente Arnhem", "arnhem"), ("gem. ARNHEM", "arnhem"), ("Stichting Sûrplus", "surplus")],
)
def test_names_are_compared_without_case_accents_punctuation_or_soort_words(naam, normalised):
    assert normalise_organisatie_naam(naam) == normalised


def test_an_equal_normalised_name_or_the_mail_domain_links_at_once(arnhem):
    by_name = AanmeldingFactory(organisatie="gemeente arnhem")
    by_domain = AanmeldingFactory(organisatie="Team Wijkzaken", email="jan@arnhem.example.nl")

    result = services.match_organisaties()

    assert result.gekoppeld == 2
    for aanmelding in (by_name, by_domain):
        aanmelding.refresh_from_db()
        assert aanmelding.gekoppelde_organisatie == arnhem
    assert not OrganisatieVoorstel.objects.exists()


def test_a_resembling_name_becomes_a_proposal_not_a_link(arnhem):
    aanmelding = AanmeldingFactory(organisatie="Gemeente Arnhemm")

    services.match_organisaties()

    aanmelding.refresh_from_db()
    assert aanmelding.gekoppelde_organisatie is None
    assert OrganisatieVoorstel.objects.get().organisatie == arnhem


def test_an_unlike_name_gets_nothing_and_is_looked_at_once(arnhem):
    AanmeldingFactory(organisatie="Bakkerij De Korenbloem")

    first = services.match_organisaties()
    second = services.match_organisaties()

    assert (first.bekeken, first.gekoppeld, first.voorgesteld) == (1, 0, 0)
    assert second.bekeken == 0


def test_accepting_a_proposal_links_and_remembers_the_spelling(arnhem):
    aanmelding = AanmeldingFactory(organisatie="Gemeente Arnhemm")
    services.match_organisaties()
    voorstel = OrganisatieVoorstel.objects.get()

    services.decide_voorstel(voorstel=voorstel, door=make_coordinator(), accepteren=True)

    aanmelding.refresh_from_db()
    assert aanmelding.gekoppelde_organisatie == arnhem
    assert OrganisatieAlias.objects.filter(organisatie=arnhem, genormaliseerd="arnhemm").exists()
    # The next registration with that spelling is linked without asking.
    next_one = AanmeldingFactory(organisatie="gemeente arnhemm")
    services.match_organisaties()
    next_one.refresh_from_db()
    assert next_one.gekoppelde_organisatie == arnhem


def test_rejecting_a_proposal_links_nothing_and_a_decision_is_made_once(arnhem):
    aanmelding = AanmeldingFactory(organisatie="Gemeente Arnhemm")
    services.match_organisaties()
    voorstel = OrganisatieVoorstel.objects.get()
    coordinator = make_coordinator()

    services.decide_voorstel(voorstel=voorstel, door=coordinator, accepteren=False)

    aanmelding.refresh_from_db()
    assert aanmelding.gekoppelde_organisatie is None
    with pytest.raises(services.RuleViolation):
        services.decide_voorstel(voorstel=voorstel, door=coordinator, accepteren=True)


def test_the_proposals_page_is_for_coordinators_and_reads_a_fixed_number_of_queries(
    client, arnhem, django_assert_max_num_queries
):
    for n in range(6):
        AanmeldingFactory(organisatie=f"Gemeente Arnhemm{'m' * (n % 2)}")
    services.match_organisaties()
    client.force_login(PersoonFactory())
    assert client.get(reverse("bijeenkomsten:organisatie-voorstellen")).status_code == 403
    client.force_login(make_coordinator())
    with django_assert_max_num_queries(15):
        response = client.get(reverse("bijeenkomsten:organisatie-voorstellen"))
    assert response.content.decode().count('value="accepteren"') == 6


def test_the_coordinator_decides_from_the_page_and_an_unknown_answer_changes_nothing(
    client, arnhem
):
    AanmeldingFactory(organisatie="Gemeente Arnhemm")
    services.match_organisaties()
    voorstel = OrganisatieVoorstel.objects.get()
    client.force_login(make_coordinator())
    url = reverse("bijeenkomsten:organisatie-voorstel-besluiten", args=[voorstel.pk])

    client.post(url, {"besluit": "misschien"})
    voorstel.refresh_from_db()
    assert voorstel.status == OrganisatieVoorstel.Status.OPEN

    client.post(url, {"besluit": "accepteren"})
    voorstel.refresh_from_db()
    assert voorstel.status == OrganisatieVoorstel.Status.GEACCEPTEERD
    bad = reverse("bijeenkomsten:organisatie-voorstel-besluiten", args=[999999])
    assert client.post(bad, {"besluit": "accepteren"}).status_code == 404


def test_merging_organisaties_moves_their_links_and_proposals(arnhem):
    from netwerk import services as netwerk_services

    dubbel = OrganisatieFactory(naam="Arnhem gemeente")
    aanmelding = AanmeldingFactory(gekoppelde_organisatie=dubbel)

    netwerk_services.merge_organisatie(bron=dubbel, doel=arnhem, door=make_coordinator())

    assert Aanmelding.objects.get(pk=aanmelding.pk).gekoppelde_organisatie == arnhem
