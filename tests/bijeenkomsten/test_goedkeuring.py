"""Registration with approval (issue 21, point 4): a registration of one's own is
`aangevraagd` and holds no place until the team approves it (then a place or the
wachtlijst) or declines it, each with a mail; a cancel of a request just ends it."""

import pytest
from django.urls import reverse

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Handeling
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db

S = Aanmelding.Status


@pytest.fixture
def masterclass():
    return BijeenkomstFactory(capaciteit=2, met_goedkeuring=True, soort="masterclass")


@pytest.fixture
def coordinator():
    return make_coordinator()


def ask(bijeenkomst, n):
    return services.register(bijeenkomst=bijeenkomst, email=f"v{n}@example.org", naam=f"V {n}")


def test_a_request_takes_no_place_and_is_mailed_as_received(masterclass):
    aanvraag = ask(masterclass, 1)
    assert aanvraag.status == S.AANGEVRAAGD
    masterclass.refresh_from_db()
    assert masterclass.plaatsen_vrij == 2
    mail = OutboxMessage.objects.get(to="v1@example.org")
    assert "aanvraag" in mail.subject.lower()


def test_requests_beyond_capacity_are_all_accepted_as_requests(masterclass):
    assert {ask(masterclass, n).status for n in range(5)} == {S.AANGEVRAAGD}
    assert masterclass.aanmeldingen.bezet().count() == 0


def test_a_second_request_from_the_same_address_is_refused(masterclass):
    ask(masterclass, 1)
    with pytest.raises(services.RegistrationError) as refused:
        ask(masterclass, 1)
    assert refused.value.aanmelding.status == S.AANGEVRAAGD


def test_without_approval_nothing_changes(coordinator):
    gewoon = BijeenkomstFactory(capaciteit=2)
    assert ask(gewoon, 1).status == S.BEVESTIGD


def test_the_team_registering_on_behalf_needs_no_approval(masterclass, coordinator):
    aanmelding = services.register_on_behalf(
        bijeenkomst=masterclass, door=coordinator, email="spreker@example.org", naam="Spreker"
    )
    assert aanmelding.status == S.BEVESTIGD


def test_approving_gives_places_in_order_then_the_wachtlijst_each_with_its_mail(
    masterclass, coordinator
):
    requests = [ask(masterclass, n) for n in range(4)]
    OutboxMessage.objects.all().delete()

    approved = services.approve(
        bijeenkomst=masterclass, aanmeldingen=[a.pk for a in requests], door=coordinator
    )

    assert [a.status for a in approved] == [S.BEVESTIGD, S.BEVESTIGD, S.WACHTLIJST, S.WACHTLIJST]
    assert masterclass.aanmeldingen.bezet().count() == 2
    assert OutboxMessage.objects.filter(key__endswith=":bevestigd").count() == 2
    assert OutboxMessage.objects.filter(key__endswith=":wachtlijst").count() == 2
    assert Handeling.objects.filter(soort=Handeling.Soort.GOEDGEKEURD).count() == 4


def test_approving_when_full_without_a_wachtlijst_leaves_the_rest_waiting(coordinator):
    bijeenkomst = BijeenkomstFactory(capaciteit=1, met_goedkeuring=True, wachtlijst_open=False)
    first, second = ask(bijeenkomst, 1), ask(bijeenkomst, 2)
    approved = services.approve(
        bijeenkomst=bijeenkomst, aanmeldingen=[first.pk, second.pk], door=coordinator
    )
    assert [a.pk for a in approved] == [first.pk]
    second.refresh_from_db()
    assert second.status == S.AANGEVRAAGD
    with pytest.raises(services.RegistrationError, match="vol en heeft geen wachtlijst"):
        services.approve(bijeenkomst=bijeenkomst, aanmeldingen=[second.pk], door=coordinator)


def test_an_approved_or_declined_request_cannot_be_decided_again(masterclass, coordinator):
    aanvraag = ask(masterclass, 1)
    services.approve(bijeenkomst=masterclass, aanmeldingen=[aanvraag.pk], door=coordinator)
    with pytest.raises(services.RegistrationError, match="wacht nog op een besluit"):
        services.decline_requests(
            bijeenkomst=masterclass, aanmeldingen=[aanvraag.pk], door=coordinator
        )
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.BEVESTIGD


def test_declining_ends_the_request_with_a_mail_and_the_reason(masterclass, coordinator):
    aanvraag = ask(masterclass, 1)
    services.decline_requests(
        bijeenkomst=masterclass,
        aanmeldingen=[aanvraag.pk],
        door=coordinator,
        reden="Alleen voor trekkers",
    )
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.AFGEWEZEN
    mail = OutboxMessage.objects.get(key=f"aanmelding:{aanvraag.pk}:afgewezen")
    assert "Alleen voor trekkers" in mail.body_text
    # Declined is not open: they may ask again.
    assert ask(masterclass, 1).status == S.AANGEVRAAGD


def test_a_request_of_another_bijeenkomst_is_not_decided(masterclass, coordinator):
    other = BijeenkomstFactory(met_goedkeuring=True)
    aanvraag = ask(other, 1)
    with pytest.raises(services.RegistrationError):
        services.approve(bijeenkomst=masterclass, aanmeldingen=[aanvraag.pk], door=coordinator)
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.AANGEVRAAGD


def test_cancelling_a_request_just_ends_it_and_moves_nobody(masterclass, coordinator):
    taken = [
        services.register_on_behalf(
            bijeenkomst=masterclass, door=coordinator, email=f"b{n}@example.org", naam="B"
        )
        for n in range(3)
    ]
    assert taken[-1].status == S.WACHTLIJST
    aanvraag = ask(masterclass, 1)
    services.cancel(aanmelding=aanvraag)
    aanvraag.refresh_from_db()
    taken[-1].refresh_from_db()
    assert aanvraag.status == S.GEANNULEERD
    assert taken[-1].status == S.WACHTLIJST


def test_a_request_cannot_be_checked_in_at_the_door(masterclass, coordinator):
    aanvraag = ask(masterclass, 1)
    with pytest.raises(services.RegistrationError):
        services.check_in(aanmelding=aanvraag, door=coordinator)


def test_a_guest_request_becomes_a_request_once_confirmed(client, masterclass):
    client.post(
        reverse("bijeenkomsten:aanmelden", args=[masterclass.slug]),
        {"naam": "Gijs", "email": "gijs@example.nl"},
    )
    body = OutboxMessage.objects.get(to="gijs@example.nl").body_text
    confirm = body[body.index("/bijeenkomsten/") :].split()[0]
    response = client.post(confirm, follow=True)
    assert Aanmelding.objects.get().status == S.AANGEVRAAGD
    assert "Je aanvraag is ontvangen" in response.content.decode()


def test_the_pages_show_a_request_as_such(client, masterclass):
    persoon = PersoonFactory()
    client.force_login(persoon)
    page = client.get(masterclass.get_absolute_url()).content.decode()
    assert "Plek aanvragen" in page
    response = client.post(
        reverse("bijeenkomsten:aanmelden", args=[masterclass.slug]),
        {"naam": persoon.naam},
        follow=True,
    )
    assert "wacht op goedkeuring" in response.content.decode().lower()
    mijn = client.get(reverse("netwerk:mijn")).content.decode()
    assert "aangevraagd, wacht op goedkeuring" in mijn


def test_the_dashboard_approves_the_ticked_requests(client, masterclass, coordinator):
    requests = [ask(masterclass, n) for n in range(3)]
    client.force_login(coordinator)
    page = client.get(
        reverse("bijeenkomsten:aanmeldingen", args=[masterclass.slug]) + "?status=aangevraagd"
    ).content.decode()
    assert f'id="aanvraag-{requests[0].pk}"' in page

    url = reverse("bijeenkomsten:aanvragen-besluiten", args=[masterclass.slug])
    response = client.post(
        url, {"aanvragen": [requests[0].pk, requests[2].pk], "besluit": "goedkeuren"}
    )
    assert response.status_code == 302
    statuses = dict(Aanmelding.objects.values_list("pk", "status"))
    assert statuses == {
        requests[0].pk: S.BEVESTIGD,
        requests[1].pk: S.AANGEVRAAGD,
        requests[2].pk: S.BEVESTIGD,
    }


@pytest.mark.parametrize(
    "data",
    [
        {"besluit": "goedkeuren"},
        {"aanvragen": ["999999"], "besluit": "goedkeuren"},
        {"besluit": "x"},
    ],
)
def test_a_bad_decision_changes_nothing(client, masterclass, coordinator, data):
    aanvraag = ask(masterclass, 1)
    if data.get("aanvragen") == "de aanvraag":
        data = {**data, "aanvragen": [aanvraag.pk]}
    client.force_login(coordinator)
    url = reverse("bijeenkomsten:aanvragen-besluiten", args=[masterclass.slug])
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.AANGEVRAAGD


def test_only_the_team_decides_on_requests(client, masterclass):
    aanvraag = ask(masterclass, 1)
    client.force_login(PersoonFactory())
    url = reverse("bijeenkomsten:aanvragen-besluiten", args=[masterclass.slug])
    response = client.post(url, {"aanvragen": [aanvraag.pk], "besluit": "goedkeuren"})
    assert response.status_code == 403
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.AANGEVRAAGD
