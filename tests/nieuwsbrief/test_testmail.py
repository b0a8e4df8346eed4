"""The test mail of an edition: to up to five addresses the composer enters, through the
outbox, each with a key of its own; to other people only for who may send the edition."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from netwerk.models import OutboxMessage
from nieuwsbrief.models import Bezorging, Editie
from tests.netwerk.factories import AbonnementFactory, PersoonFactory, make_coordinator
from tests.nieuwsbrief.factories import EditieFactory, SectieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editie():
    editie = EditieFactory(titel="Nieuwsbrief mei 2024", slug="nieuwsbrief-mei-2024")
    SectieFactory(editie=editie, titel="Leeratelier Armoede", volgorde=1)
    return editie


@pytest.fixture
def coordinator_client(client):
    client.force_login(make_coordinator(email="coco@example.org"))
    return client


def test_the_test_page_offers_the_own_address_to_start_with(coordinator_client, editie):
    page = coordinator_client.get(reverse("nieuwsbrief:test", args=[editie.pk]))
    assert page.status_code == 200
    assert "coco@example.org</textarea>" in page.text
    detail = coordinator_client.get(editie.get_absolute_url()).text
    assert f'href="{reverse("nieuwsbrief:test", args=[editie.pk])}"' in detail


def test_a_test_goes_to_each_entered_address_once_through_the_outbox(coordinator_client, editie):
    abonnement = AbonnementFactory(email="coco@example.org")
    url = reverse("nieuwsbrief:test", args=[editie.pk])

    response = coordinator_client.post(
        url,
        {"adressen": "Coco@Example.org, redactie@example.nl\nlezer@example.org coco@example.org"},
    )

    assert response["Location"] == editie.get_absolute_url()
    messages = OutboxMessage.objects.order_by("pk")
    assert [message.to for message in messages] == [
        "coco@example.org",
        "redactie@example.nl",
        "lezer@example.org",
    ]
    assert len({message.key for message in messages}) == 3
    for message in messages:
        assert message.subject == "[Test] Nieuwsbrief mei 2024"
        assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # A test can reach other people: its unsubscribe link is nobody's.
        assert abonnement.token not in message.body_text + message.body_html
        assert "/nieuwsbrief/afmelden/testmail/" in message.body_text
    assert not Bezorging.objects.exists()
    editie.refresh_from_db()
    assert editie.status == Editie.Status.CONCEPT

    # Pressing again is a new attempt: new keys, the same addresses again.
    coordinator_client.post(url, {"adressen": "redactie@example.nl"})
    assert OutboxMessage.objects.filter(to="redactie@example.nl").count() == 2
    assert OutboxMessage.objects.values("key").distinct().count() == 4


@pytest.mark.parametrize(
    ("adressen", "fout"),
    [
        ("", "Dit veld is verplicht."),
        (" , ;", "Vul minstens één e-mailadres in."),
        ("coco@example.org, geen-adres", "geen-adres is geen geldig e-mailadres."),
        (
            " ".join(f"lid{n}@example.org" for n in range(6)),
            "Een testmail gaat naar hoogstens 5 adressen; dit zijn er 6.",
        ),
    ],
)
def test_wrong_addresses_are_refused_at_the_field_and_nothing_is_mailed(
    coordinator_client, editie, adressen, fout
):
    response = coordinator_client.post(
        reverse("nieuwsbrief:test", args=[editie.pk]), {"adressen": adressen}
    )
    assert response.status_code == 400
    assert fout in response.text
    assert 'href="#id_adressen"' in response.text
    assert not OutboxMessage.objects.exists()


def test_who_may_compose_but_not_send_tests_only_to_their_own_address(client, editie):
    composer = PersoonFactory(email="opsteller@example.org")
    composer.user_permissions.add(Permission.objects.get(codename="change_editie"))
    client.force_login(composer)
    url = reverse("nieuwsbrief:test", args=[editie.pk])

    response = client.post(url, {"adressen": "opsteller@example.org, buiten@example.org"})
    assert response.status_code == 403
    assert not OutboxMessage.objects.exists()

    client.post(url, {"adressen": "opsteller@example.org"})
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["opsteller@example.org"]


def test_others_cannot_send_a_test(client, editie):
    url = reverse("nieuwsbrief:test", args=[editie.pk])
    client.force_login(PersoonFactory())
    assert client.get(url).status_code == 403
    assert client.post(url, {"adressen": "x@example.org"}).status_code == 403
    assert client.post(reverse("nieuwsbrief:test", args=[999999]), {}).status_code == 404
    assert not OutboxMessage.objects.exists()


def test_test_mails_are_rate_limited_per_client(coordinator_client, editie, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "nieuwsbrief-testmail": [(2, 3600)]}
    url = reverse("nieuwsbrief:test", args=[editie.pk])
    for _attempt in range(2):
        coordinator_client.post(url, {"adressen": "lezer@example.org"})
    response = coordinator_client.post(url, {"adressen": "lezer@example.org"})
    assert response.status_code == 429
    assert OutboxMessage.objects.count() == 2
