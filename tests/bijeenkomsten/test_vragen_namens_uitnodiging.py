"""The bijeenkomst's questions and deelsessies are asked wherever someone is registered
(issue 21, points 2 and 3): on behalf by the team, where an answer is never required (the
team may not know it), and through an invitation's link, where the invitee answers for
themselves as in the public form."""

import pytest
from django.urls import reverse

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Antwoord, SessieKeuze, Uitnodiging, Vraag
from bijeenkomsten.selectors import Audience
from tests.bijeenkomsten.factories import BijeenkomstFactory, programma_met_ronde, with_link
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db

ROLLEN = "inwoner\nprofessional\nstudent\nervaringsdeskundige"


@pytest.fixture
def coordinator():
    return make_coordinator()


@pytest.fixture
def bijeenkomst():
    return BijeenkomstFactory(capaciteit=20)


@pytest.fixture
def rol(bijeenkomst, coordinator):
    return services.save_question(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        soort=Vraag.Soort.EEN_KEUZE,
        tekst="Ik ben",
        keuzes=ROLLEN,
        verplicht=True,
        volgorde=1,
    )


def _namens_url(bijeenkomst):
    return reverse("bijeenkomsten:aanmelden-namens", args=[bijeenkomst.slug])


def _namens(client, bijeenkomst, **extra):
    return client.post(
        _namens_url(bijeenkomst), {"naam": "Noor Namens", "email": "noor@example.org", **extra}
    )


# On behalf


def test_the_on_behalf_form_asks_the_questions_without_requiring_an_answer(
    client, bijeenkomst, rol, coordinator
):
    client.force_login(coordinator)
    page = client.get(_namens_url(bijeenkomst)).text
    assert f'name="vraag_{rol.pk}"' in page
    assert "ervaringsdeskundige" in page

    assert _namens(client, bijeenkomst).status_code == 302
    aanmelding = Aanmelding.objects.get()
    assert aanmelding.bron == Aanmelding.Bron.NAMENS
    assert not Antwoord.objects.exists()


def test_an_answer_given_on_behalf_is_stored_with_the_registration(
    client, bijeenkomst, rol, coordinator
):
    client.force_login(coordinator)
    assert _namens(client, bijeenkomst, **{f"vraag_{rol.pk}": "student"}).status_code == 302
    assert Aanmelding.objects.get().antwoorden.get().waarde == "student"


def test_an_answer_on_behalf_that_does_not_fit_is_refused_at_its_field_and_registers_nobody(
    client, bijeenkomst, rol, coordinator
):
    client.force_login(coordinator)
    response = _namens(client, bijeenkomst, **{f"vraag_{rol.pk}": "astronaut"})
    assert response.status_code == 400
    assert f'href="#id_vraag_{rol.pk}"' in response.text
    assert not Aanmelding.objects.exists()


def test_the_service_checks_answers_on_behalf_too(bijeenkomst, rol, coordinator):
    with pytest.raises(services.RegistrationError, match="geldige keuze"):
        services.register_on_behalf(
            bijeenkomst=bijeenkomst,
            door=coordinator,
            email="noor@example.org",
            naam="Noor",
            antwoorden={rol.pk: "astronaut"},
        )
    assert not Aanmelding.objects.exists()


def test_a_deelsessie_chosen_on_behalf_takes_its_place_and_the_choice_may_be_left_open(
    client, bijeenkomst, coordinator
):
    ronde, (workshop_a, _b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 2, 2))
    client.force_login(coordinator)
    field = f"sessie_{ronde.pk}"
    assert f'name="{field}"' in client.get(_namens_url(bijeenkomst)).text

    assert _namens(client, bijeenkomst, **{field: workshop_a.pk}).status_code == 302
    keuze = SessieKeuze.objects.get()
    assert (keuze.deelsessie, keuze.status) == (workshop_a, SessieKeuze.Status.BEVESTIGD)

    # The team may not know the colleague's choice: they choose later on their own page.
    response = client.post(
        _namens_url(bijeenkomst), {"naam": "Piet Later", "email": "piet@example.org"}
    )
    assert response.status_code == 302
    assert SessieKeuze.objects.count() == 1
    assert Aanmelding.objects.count() == 2


# Through an invitation


@pytest.fixture
def uitnodiging(bijeenkomst, coordinator):
    services.invite(
        bijeenkomst=bijeenkomst, door=coordinator, audience=Audience(adressen="ina@example.org")
    )
    return with_link(Uitnodiging.objects.get())


def _uitnodiging_url(uitnodiging):
    return reverse("bijeenkomsten:uitnodiging", args=[uitnodiging.token])


def test_the_invitation_form_asks_the_questions_and_a_required_one_must_be_answered(
    client, rol, uitnodiging
):
    url = _uitnodiging_url(uitnodiging)
    assert f'name="vraag_{rol.pk}"' in client.get(url).text

    response = client.post(url, {"naam": "Ina"})
    assert response.status_code == 400
    assert f"id_vraag_{rol.pk}" in response.text
    assert not Aanmelding.objects.exists()

    response = client.post(url, {"naam": "Ina", f"vraag_{rol.pk}": "professional"})
    assert response.status_code == 302
    aanmelding = Aanmelding.objects.get()
    assert aanmelding.bron == Aanmelding.Bron.UITNODIGING
    assert aanmelding.antwoorden.get().waarde == "professional"


def test_an_invitee_registering_through_the_service_must_answer_a_required_question(
    rol, uitnodiging
):
    with pytest.raises(services.RegistrationError, match="verplicht"):
        services.register_invited(uitnodiging=uitnodiging, naam="Ina")
    assert not Aanmelding.objects.exists()


def test_an_invitee_chooses_a_deelsessie_in_the_invitation_form(client, bijeenkomst, uitnodiging):
    ronde, (workshop_a, workshop_b, _c) = programma_met_ronde(bijeenkomst)
    url = _uitnodiging_url(uitnodiging)
    field = f"sessie_{ronde.pk}"

    response = client.post(url, {"naam": "Ina"})
    assert response.status_code == 400
    assert f"id_{field}" in response.text
    assert not Aanmelding.objects.exists()

    assert client.post(url, {"naam": "Ina", field: workshop_b.pk}).status_code == 302
    keuze = SessieKeuze.objects.get()
    assert (keuze.aanmelding.email, keuze.deelsessie) == ("ina@example.org", workshop_b)
    assert keuze.status == SessieKeuze.Status.BEVESTIGD
