"""The contactpersoon of an organisatie (issue 23, point 1): chosen by a coördinator or the
contactpersoon before them; sees colleagues' registrations only while they consent;
registers and invites colleagues."""

import pytest
from django.urls import reverse

from bijeenkomsten import services as bijeenkomsten_services
from bijeenkomsten.models import Aanmelding, Handeling
from netwerk import permissions, services
from netwerk.models import Lidmaatschap, OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import (
    OrganisatieFactory,
    PersoonFactory,
    make_coordinator,
    make_lidmaatschap,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def gemeente():
    organisatie = OrganisatieFactory(naam="Gemeente Overbetuwe", slug="overbetuwe")
    organisatie.contact = PersoonFactory(naam="Carla Contact")
    organisatie.collega = PersoonFactory(naam="Kees Collega", deelt_aanmeldingen=True)
    organisatie.zwijger = PersoonFactory(naam="Zoë Zwijgt")
    for persoon in (organisatie.contact, organisatie.collega, organisatie.zwijger):
        make_lidmaatschap(persoon, organisatie)
    services.choose_contactpersoon(
        organisatie=organisatie, persoon=organisatie.contact, door=make_coordinator()
    )
    return organisatie


def test_a_coordinator_or_the_contactpersoon_chooses_and_there_is_one(gemeente):
    assert permissions.is_contactpersoon(gemeente.contact, gemeente)

    services.choose_contactpersoon(
        organisatie=gemeente, persoon=gemeente.collega, door=gemeente.contact
    )

    assert not permissions.is_contactpersoon(gemeente.contact, gemeente)
    assert permissions.is_contactpersoon(gemeente.collega, gemeente)
    assert Lidmaatschap.objects.filter(organisatie=gemeente, is_contactpersoon=True).count() == 1


def test_only_a_confirmed_member_can_become_contactpersoon(gemeente):
    aanvrager = PersoonFactory()
    make_lidmaatschap(aanvrager, gemeente, status="aangevraagd")
    with pytest.raises(services.LidmaatschapError):
        services.choose_contactpersoon(
            organisatie=gemeente, persoon=aanvrager, door=gemeente.contact
        )


def test_a_plain_member_cannot_choose_the_contactpersoon(client, gemeente):
    client.force_login(gemeente.collega)
    response = client.post(
        reverse("netwerk:contactpersoon-kiezen", args=[gemeente.slug]),
        {"persoon": gemeente.collega.pk},
    )
    assert response.status_code == 403
    assert permissions.is_contactpersoon(gemeente.contact, gemeente)


def test_the_contactpersoon_sees_registrations_only_of_colleagues_who_consent(client, gemeente):
    bijeenkomst = BijeenkomstFactory(titel="Symposium Wijkkracht")
    for persoon in (gemeente.collega, gemeente.zwijger):
        bijeenkomsten_services.register(
            bijeenkomst=bijeenkomst, email=persoon.email, naam=persoon.naam, persoon=persoon
        )
    client.force_login(gemeente.contact)

    html = client.get(reverse("netwerk:organisatie-leden", args=[gemeente.slug])).content.decode()

    assert "Plek van Kees Collega doorgeven" in html
    assert "Plek van Zoë Zwijgt doorgeven" not in html


def test_withdrawn_consent_hides_the_registrations_at_once(client, gemeente):
    bijeenkomst = BijeenkomstFactory()
    aanmelding = bijeenkomsten_services.register(
        bijeenkomst=bijeenkomst, email=gemeente.collega.email, naam="Kees", persoon=gemeente.collega
    )
    client.force_login(gemeente.collega)
    client.post(reverse("netwerk:delen"), {})  # the box unticked: consent withdrawn
    client.force_login(gemeente.contact)

    page = client.get(reverse("netwerk:organisatie-leden", args=[gemeente.slug]))
    doorgeven = client.get(reverse("bijeenkomsten:aanmelding-doorgeven", args=[aanmelding.pk]))

    assert "Plek van Kees" not in page.content.decode()
    assert doorgeven.status_code == 404


def test_the_members_page_is_for_members_and_coordinators_only(client, gemeente):
    buitenstaander = PersoonFactory()
    url = reverse("netwerk:organisatie-leden", args=[gemeente.slug])
    client.force_login(buitenstaander)
    assert client.get(url).status_code == 403
    client.force_login(gemeente.zwijger)
    assert client.get(url).status_code == 200
    assert (
        client.get(reverse("netwerk:organisatie-leden", args=["bestaat-niet"])).status_code == 404
    )


def test_the_members_page_reads_a_fixed_number_of_queries(
    client, gemeente, django_assert_max_num_queries
):
    bijeenkomsten = [BijeenkomstFactory() for _ in range(5)]
    for bijeenkomst in bijeenkomsten:
        bijeenkomsten_services.register(
            bijeenkomst=bijeenkomst,
            email=gemeente.collega.email,
            naam="K",
            persoon=gemeente.collega,
        )
    client.force_login(gemeente.contact)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("netwerk:organisatie-leden", args=[gemeente.slug]))
    assert response.content.decode().count("doorgeven:") == 5


def test_the_contactpersoon_registers_a_colleague_who_gets_the_normal_mail(client, gemeente):
    bijeenkomst = BijeenkomstFactory()
    client.force_login(gemeente.contact)

    response = client.post(
        reverse("bijeenkomsten:collega-aanmelden", args=[gemeente.slug]),
        {"collega": gemeente.zwijger.pk, "bijeenkomst": bijeenkomst.pk},
    )

    assert response.status_code == 302
    aanmelding = Aanmelding.objects.get(bijeenkomst=bijeenkomst, persoon=gemeente.zwijger)
    assert aanmelding.status == Aanmelding.Status.BEVESTIGD
    assert aanmelding.bron == Aanmelding.Bron.CONTACTPERSOON
    assert aanmelding.aangemeld_door == gemeente.contact
    assert aanmelding.gekoppelde_organisatie == gemeente
    assert OutboxMessage.objects.filter(key=f"aanmelding:{aanmelding.pk}:bevestigd").exists()
    assert bijeenkomst.handelingen.filter(
        soort=Handeling.Soort.AANGEMELD_DOOR_CONTACTPERSOON, door=gemeente.contact
    ).exists()
    # The colleague can cancel it themselves, like any registration.
    bijeenkomsten_services.cancel(aanmelding=aanmelding)


def test_the_contactpersoon_cannot_register_someone_outside_the_organisatie(client, gemeente):
    bijeenkomst = BijeenkomstFactory()
    buitenstaander = PersoonFactory()
    client.force_login(gemeente.contact)

    client.post(
        reverse("bijeenkomsten:collega-aanmelden", args=[gemeente.slug]),
        {"collega": buitenstaander.pk, "bijeenkomst": bijeenkomst.pk},
    )

    assert not bijeenkomst.aanmeldingen.exists()


def test_a_plain_member_cannot_register_colleagues(client, gemeente):
    bijeenkomst = BijeenkomstFactory()
    client.force_login(gemeente.collega)
    response = client.post(
        reverse("bijeenkomsten:collega-aanmelden", args=[gemeente.slug]),
        {"collega": gemeente.zwijger.pk, "bijeenkomst": bijeenkomst.pk},
    )
    assert response.status_code == 403
    assert not bijeenkomst.aanmeldingen.exists()


def test_inviting_a_colleague_mails_once_per_address(gemeente):
    assert services.invite_colleague(
        organisatie=gemeente, door=gemeente.contact, email="Nieuw@Example.nl"
    )
    services.invite_colleague(organisatie=gemeente, door=gemeente.contact, email="nieuw@example.nl")

    mails = OutboxMessage.objects.filter(to="nieuw@example.nl")
    assert mails.count() == 1
    assert "contactpersoon van Gemeente Overbetuwe" in mails.get().body_text


def test_inviting_a_confirmed_member_again_is_refused(gemeente):
    with pytest.raises(services.LidmaatschapError):
        services.invite_colleague(
            organisatie=gemeente, door=gemeente.contact, email=gemeente.collega.email
        )


def test_the_contactpersoon_hands_a_consenting_colleagues_place_on(gemeente):
    gemeente.maildomein = "overbetuwe.example.nl"
    gemeente.save()
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    aanmelding = bijeenkomsten_services.register(
        bijeenkomst=bijeenkomst, email=gemeente.collega.email, naam="K", persoon=gemeente.collega
    )
    assert permissions.can_hand_on(gemeente.contact, aanmelding)

    ontvanger = bijeenkomsten_services.hand_on(
        aanmelding=aanmelding,
        door=gemeente.contact,
        email="vervanger@overbetuwe.example.nl",
        naam="V",
    )

    assert ontvanger.aangemeld_door == gemeente.contact


def test_an_ended_membership_is_nobodys_contactpersoon(gemeente):
    andere = OrganisatieFactory()
    services.request_lidmaatschap(persoon=gemeente.contact, organisatie=andere)

    assert not permissions.is_contactpersoon(gemeente.contact, gemeente)
