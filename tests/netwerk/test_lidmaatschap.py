"""Speaking for an organisatie needs a confirmed membership (finding 4).

Before, a partner chose any organisatie on /mijn/, joined a leeratelier, and the
organisatie was shown as taking part with that person listed under it.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from leerateliers import services as leeratelier_services
from netwerk import services
from netwerk.models import Lidmaatschap, OutboxMessage
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import (
    OrganisatieFactory,
    PersoonFactory,
    make_coordinator,
    make_lidmaatschap,
)

pytestmark = pytest.mark.django_db

S = Lidmaatschap.Status


@pytest.fixture
def organisatie():
    return OrganisatieFactory(naam="Gemeente Voorbeeld", slug="gemeente-voorbeeld")


@pytest.fixture
def atelier():
    return LeeratelierFactory(naam="Armoede", slug="armoede")


def choose(persoon, organisatie, **profiel):
    """What /mijn/ does when a person picks an organisatie."""
    return services.update_profiel(
        persoon=persoon,
        naam=persoon.naam,
        organisatie=organisatie,
        functie=profiel.get("functie", "Wethouder"),
        bio="",
        profiel_zichtbaar=profiel.get("profiel_zichtbaar", True),
    )


def public_traces(organisatie, persoon) -> dict:
    """Everywhere the portal shows that a person speaks for an organisatie, as seen by
    another logged-in member."""
    client = Client()
    client.force_login(PersoonFactory())
    atelier_page = client.get(reverse("leerateliers:detail", args=["armoede"])).text
    organisatie_page = client.get(organisatie.get_absolute_url()).text
    directory = client.get(reverse("netwerk:directory"), {"leeratelier": "armoede"}).text
    profiel = client.get(reverse("netwerk:persoon", args=[persoon.pk])).text
    return {
        "atelier toont de organisatie": organisatie.naam in atelier_page,
        "organisatie toont het atelier": "Armoede" in organisatie_page,
        "organisatie toont de persoon": persoon.naam in organisatie_page,
        "directory vindt de organisatie": organisatie.get_absolute_url() in directory,
        "profiel toont de organisatie": organisatie.get_absolute_url() in profiel,
    }


def test_an_unconfirmed_member_takes_part_on_their_own_title(client, organisatie, atelier):
    persoon = choose(PersoonFactory(naam="Wim Wethouder"), organisatie)
    leeratelier_services.join_leeratelier(persoon=persoon, leeratelier=atelier, rol="tribune")

    assert Lidmaatschap.objects.get(persoon=persoon).status == S.AANGEVRAAGD
    assert not any(public_traces(organisatie, persoon).values())
    assert "1 persoon op eigen titel" in client.get(atelier.get_absolute_url()).text


def test_once_confirmed_the_deelnames_count_for_the_organisatie(client, organisatie, atelier):
    persoon = choose(PersoonFactory(naam="Wim Wethouder"), organisatie)
    leeratelier_services.join_leeratelier(persoon=persoon, leeratelier=atelier, rol="tribune")

    services.confirm_lidmaatschap(
        lidmaatschap=Lidmaatschap.objects.get(persoon=persoon), door=make_coordinator()
    )

    assert all(public_traces(organisatie, persoon).values())


def test_confirmed_members_are_mailed_and_one_of_them_confirms(client, organisatie):
    collega = PersoonFactory(email="collega@example.org", organisatie=organisatie)
    nieuw = PersoonFactory(email="nieuw@example.org")

    choose(nieuw, organisatie)

    aanvraag = OutboxMessage.objects.get(to="collega@example.org")
    assert "nieuw@example.org" in aanvraag.body_text
    assert "/mijn/" in aanvraag.body_text
    lidmaatschap = Lidmaatschap.objects.get(persoon=nieuw)
    client.force_login(collega)
    assert escape(lidmaatschap.persoon.naam) in client.get(reverse("netwerk:mijn")).text

    response = client.post(reverse("netwerk:lidmaatschap-bevestigen", args=[lidmaatschap.pk]))

    assert response.status_code == 302
    lidmaatschap.refresh_from_db()
    assert (lidmaatschap.status, lidmaatschap.bevestigd_via) == (S.BEVESTIGD, "lid")
    assert lidmaatschap.besloten_door == collega
    besluit = OutboxMessage.objects.get(to="nieuw@example.org")
    assert besluit.subject == "Je doet nu mee namens Gemeente Voorbeeld"


def test_a_declined_member_stays_on_their_own_title_and_is_told(client, organisatie, atelier):
    persoon = choose(PersoonFactory(naam="Wim Wethouder", email="wim@example.org"), organisatie)
    leeratelier_services.join_leeratelier(persoon=persoon, leeratelier=atelier, rol="tribune")
    lidmaatschap = Lidmaatschap.objects.get(persoon=persoon)
    client.force_login(make_coordinator())

    client.post(reverse("netwerk:lidmaatschap-afwijzen", args=[lidmaatschap.pk]))

    assert Lidmaatschap.objects.get(pk=lidmaatschap.pk).status == S.AFGEWEZEN
    assert "niet bevestigd" in OutboxMessage.objects.get(to="wim@example.org").subject
    assert not any(public_traces(organisatie, persoon).values())
    # Choosing the same organisatie again does not ask its members again.
    choose(persoon, organisatie)
    assert Lidmaatschap.objects.get(pk=lidmaatschap.pk).status == S.AFGEWEZEN


def test_a_verified_address_on_the_mail_domain_is_confirmed_at_once():
    organisatie = OrganisatieFactory(maildomein="voorbeeld.nl")
    persoon = PersoonFactory(email="wim@voorbeeld.nl")

    choose(persoon, organisatie)

    lidmaatschap = Lidmaatschap.objects.get(persoon=persoon)
    assert (lidmaatschap.status, lidmaatschap.bevestigd_via) == (S.BEVESTIGD, "maildomein")


def test_an_address_on_another_domain_or_unverified_waits():
    organisatie = OrganisatieFactory(maildomein="voorbeeld.nl")
    elders = PersoonFactory(email="wim@voorbeeld.nl.example.org")
    onbevestigd = PersoonFactory(email="ria@voorbeeld.nl", verified=False)

    choose(elders, organisatie)
    choose(onbevestigd, organisatie)

    assert set(Lidmaatschap.objects.values_list("status", flat=True)) == {S.AANGEVRAAGD}


def test_signing_up_on_the_mail_domain_confirms_when_the_address_is_verified(client):
    organisatie = OrganisatieFactory(maildomein="voorbeeld.nl")
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "naam": "Wim",
                "email": "wim@voorbeeld.nl",
                "password1": "Een-lang-wachtwoord-9",
                "password2": "Een-lang-wachtwoord-9",
                "organisatie_zoek": organisatie.naam,
            },
        )
    assert Lidmaatschap.objects.get().status == S.AANGEVRAAGD

    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    client.post(link)

    assert EmailAddress.objects.get(email="wim@voorbeeld.nl").verified
    assert Lidmaatschap.objects.get().status == S.BEVESTIGD


def test_choosing_another_organisatie_ends_the_old_membership(organisatie):
    persoon = PersoonFactory(organisatie=organisatie)
    andere = OrganisatieFactory()

    choose(persoon, andere)

    assert dict(Lidmaatschap.objects.values_list("organisatie", "status")) == {
        organisatie.pk: S.BEEINDIGD,
        andere.pk: S.AANGEVRAAGD,
    }
    choose(persoon, None)
    assert not Lidmaatschap.objects.filter(status__in=Lidmaatschap.OPEN_STATUSSEN).exists()


def test_approving_a_proposed_organisatie_confirms_its_proposer():
    persoon = PersoonFactory()
    voorstel = services.propose_organisatie(naam="Wijkkracht", plaats="Elst", door=persoon)
    assert Lidmaatschap.objects.get(persoon=persoon).status == S.AANGEVRAAGD

    services.approve_organisatie(organisatie=voorstel, door=make_coordinator())

    assert Lidmaatschap.objects.get(persoon=persoon).status == S.BEVESTIGD


# --- who may decide -------------------------------------------------------------------------


def deciders(organisatie, aanvrager):
    andere = OrganisatieFactory()
    return {
        "de aanvrager zelf": aanvrager,
        "een partner": PersoonFactory(),
        "lid van een andere organisatie": PersoonFactory(organisatie=andere),
        "onbevestigd lid": PersoonFactory(organisatie=organisatie, lidmaatschap="aangevraagd"),
        "afgewezen lid": PersoonFactory(organisatie=organisatie, lidmaatschap="afgewezen"),
    }


@pytest.mark.parametrize("action", ["lidmaatschap-bevestigen", "lidmaatschap-afwijzen"])
def test_only_members_and_coordinators_decide(client, organisatie, action):
    aanvrager = PersoonFactory()
    choose(aanvrager, organisatie)
    lidmaatschap = Lidmaatschap.objects.get(persoon=aanvrager)
    url = reverse(f"netwerk:{action}", args=[lidmaatschap.pk])

    anonymous = client.post(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("account_login"))
    for who, persoon in deciders(organisatie, aanvrager).items():
        client.force_login(persoon)
        assert client.post(url).status_code == 403, who
        assert client.get(url).status_code == 405, who
    assert Lidmaatschap.objects.get(pk=lidmaatschap.pk).status == S.AANGEVRAAGD

    client.force_login(make_coordinator())
    assert client.post(url).status_code == 302
    assert Lidmaatschap.objects.get(pk=lidmaatschap.pk).status != S.AANGEVRAAGD


def test_deciding_twice_is_a_message_not_an_error(client, organisatie):
    aanvrager = PersoonFactory()
    choose(aanvrager, organisatie)
    lidmaatschap = Lidmaatschap.objects.get(persoon=aanvrager)
    client.force_login(make_coordinator())
    url = reverse("netwerk:lidmaatschap-bevestigen", args=[lidmaatschap.pk])

    client.post(url)
    again = client.post(url, follow=True)

    assert again.status_code == 200
    assert "al besloten" in again.text


def test_the_coordinators_page_lists_every_waiting_request_for_coordinators_only(
    client, organisatie
):
    url = reverse("netwerk:lidmaatschappen")
    aanvrager = PersoonFactory(naam="Wim Wethouder")
    choose(aanvrager, organisatie)

    assert client.get(url).url.startswith(reverse("account_login"))
    client.force_login(PersoonFactory(organisatie=organisatie))
    assert client.get(url).status_code == 403
    client.force_login(make_coordinator())
    page = client.get(url)
    assert page.status_code == 200
    assert "Wim Wethouder" in page.text
    assert 'aria-label="Bevestigen: Wim Wethouder bij Gemeente Voorbeeld"' in page.text


def test_the_coordinators_page_does_not_grow_in_queries(client):
    client.force_login(make_coordinator())

    def queries_with(count):
        for _ in range(count):
            PersoonFactory(organisatie=OrganisatieFactory(), lidmaatschap="aangevraagd")
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("netwerk:lidmaatschappen")).status_code == 200
        return len(context.captured_queries)

    assert queries_with(3) == queries_with(30)


def test_switching_a_membership_request_back_and_forth_mails_each_organisations_members_once():
    eerste, tweede = OrganisatieFactory(), OrganisatieFactory()
    for organisatie in (eerste, tweede):
        for _ in range(3):
            make_lidmaatschap(PersoonFactory(), organisatie)
    persoon = PersoonFactory()

    for _ in range(5):
        services.request_lidmaatschap(persoon=persoon, organisatie=eerste)
        services.request_lidmaatschap(persoon=persoon, organisatie=tweede)

    assert (
        OutboxMessage.objects.filter(key__startswith="netwerk:lidmaatschap-aanvraag:").count() == 6
    )


def test_one_persons_membership_requests_mail_the_members_of_a_bounded_number_of_organisaties():
    limit = services.MEMBERSHIP_REQUEST_ORGANISATIES_PER_DAY
    organisaties = [OrganisatieFactory() for _ in range(limit + 2)]
    for organisatie in organisaties:
        make_lidmaatschap(PersoonFactory(), organisatie)
    persoon = PersoonFactory()

    for organisatie in organisaties:
        services.request_lidmaatschap(persoon=persoon, organisatie=organisatie)

    mails = OutboxMessage.objects.filter(key__startswith="netwerk:lidmaatschap-aanvraag:")
    assert mails.count() == limit
