"""Personal links of registrations and invitations (issue 18, L3): the database and
/beheer/ hold only a SHA-256 of each token; every mail that carries a link gets a new one,
and the links mailed before keep working; old tokens were hashed by the migration."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, PersoonlijkeLink, Uitnodiging
from bijeenkomsten.selectors import Audience
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory, link_token, linked
from tests.netwerk.factories import PersoonFactory, make_coordinator
from werkplaats.tokens import hash_token

pytestmark = pytest.mark.django_db


def mailed_token(key: str, kind: str = "aanmelding") -> str:
    return link_token(OutboxMessage.objects.get(key=key).body_text, kind)


def stored(*models) -> str:
    return json.dumps([list(model.objects.values()) for model in models], cls=DjangoJSONEncoder)


def test_the_database_keeps_only_the_hash_of_a_registrations_mailed_link(client):
    aanmelding = services.register(
        bijeenkomst=BijeenkomstFactory(), email="anna@example.org", naam="Anna"
    )

    token = mailed_token(f"aanmelding:{aanmelding.pk}:bevestigd")

    assert token not in stored(Aanmelding, PersoonlijkeLink)
    assert PersoonlijkeLink.objects.get(aanmelding=aanmelding).token_hash == hash_token(token)
    page = client.get(reverse("bijeenkomsten:aanmelding", args=[token]))
    assert page.status_code == 200
    assert "Anna" in page.text


def test_the_database_keeps_only_the_hash_of_an_invitations_mailed_link(client):
    bijeenkomst = BijeenkomstFactory()
    services.invite(
        bijeenkomst=bijeenkomst,
        door=make_coordinator(),
        audience=Audience(adressen="ina@example.org"),
    )
    uitnodiging = Uitnodiging.objects.get()

    token = mailed_token(f"uitnodiging:{uitnodiging.pk}", "uitnodiging")

    assert token not in stored(Uitnodiging, PersoonlijkeLink)
    assert linked(token) == uitnodiging
    assert client.get(reverse("bijeenkomsten:uitnodiging", args=[token])).status_code == 200


def test_the_day_before_reminder_brings_a_new_link_and_the_confirmations_qr_code_still_opens(
    client,
):
    bijeenkomst = BijeenkomstFactory(start=timezone.now() + timedelta(hours=20))
    anna = services.register(bijeenkomst=bijeenkomst, email="anna@example.org", naam="Anna")
    confirmation = OutboxMessage.objects.get(key=f"aanmelding:{anna.pk}:bevestigd")
    first = link_token(confirmation.body_text)
    [qr] = [a["qr"] for a in confirmation.attachments if "qr" in a]

    assert services.remind_attendees(bijeenkomst_id=bijeenkomst.pk) == 1

    second = mailed_token(f"aanmelding:{anna.pk}:herinnering-dag")
    assert second != first
    assert qr.endswith(f"/aanmelding/{first}/")
    for token in (first, second):
        page = client.get(reverse("bijeenkomsten:aanmelding", args=[token]))
        assert page.status_code == 200
        assert "Anna" in page.text


def test_an_invitation_reminder_brings_a_new_link_and_the_first_still_opens(client):
    bijeenkomst, coordinator = BijeenkomstFactory(), make_coordinator()
    services.invite(
        bijeenkomst=bijeenkomst, door=coordinator, audience=Audience(adressen="ina@example.org")
    )
    uitnodiging = Uitnodiging.objects.get()
    first = mailed_token(f"uitnodiging:{uitnodiging.pk}", "uitnodiging")

    services.remind_invited(bijeenkomst=bijeenkomst, door=coordinator, ronde=1)

    second = mailed_token(f"uitnodiging:{uitnodiging.pk}:herinnering:1", "uitnodiging")
    assert second != first
    for token in (first, second):
        assert client.get(reverse("bijeenkomsten:uitnodiging", args=[token])).status_code == 200


def test_the_admin_shows_no_personal_link_of_a_registration(admin_client):
    aanmelding = services.register(
        bijeenkomst=BijeenkomstFactory(), email="anna@example.org", naam="Anna"
    )
    token = mailed_token(f"aanmelding:{aanmelding.pk}:bevestigd")
    token_hash = hash_token(token)

    pages = [
        admin_client.get(reverse("admin:bijeenkomsten_aanmelding_changelist")),
        admin_client.get(reverse("admin:bijeenkomsten_aanmelding_change", args=[aanmelding.pk])),
    ]

    for page in pages:
        assert page.status_code == 200
        assert token not in page.text
        assert token_hash not in page.text
        assert "persoonlijke sleutel" not in page.text
    search = admin_client.get(reverse("admin:bijeenkomsten_aanmelding_changelist"), {"q": token})
    assert "0 resultaten" in search.text


def test_the_owner_reaches_their_registration_from_mijn_and_nobody_else_does(client):
    persoon = PersoonFactory(email="fatima@example.org")
    aanmelding = services.register(
        bijeenkomst=BijeenkomstFactory(), email=persoon.email, naam="Fatima", persoon=persoon
    )
    mailed = mailed_token(f"aanmelding:{aanmelding.pk}:bevestigd")
    url = reverse("bijeenkomsten:eigen-aanmelding", args=[aanmelding.pk])

    anonymous = client.get(url)
    client.force_login(PersoonFactory())
    stranger = client.get(url)
    stranger_claims = client.post(
        reverse("bijeenkomsten:eigen-aanmelding-afwijzen", args=[aanmelding.pk])
    )
    client.force_login(persoon)
    own = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous.url.startswith(resolve_url(settings.LOGIN_URL))
    assert stranger.status_code == 404
    assert stranger_claims.status_code == 404
    assert own.status_code == 302
    new = own.url.split("/")[-2]
    assert new != mailed
    assert linked(new) == aanmelding
    # A new link for the owner leaves the mailed one working.
    assert client.get(reverse("bijeenkomsten:aanmelding", args=[mailed])).status_code == 200
    assert client.get(own.url).status_code == 200


def test_an_anonymised_registration_loses_its_personal_links(client):
    persoon = PersoonFactory(email="fatima@example.org")
    aanmelding = services.register(
        bijeenkomst=BijeenkomstFactory(), email=persoon.email, naam="Fatima", persoon=persoon
    )
    token = mailed_token(f"aanmelding:{aanmelding.pk}:bevestigd")

    services.forget_persoon(persoon=persoon)

    assert not PersoonlijkeLink.objects.filter(aanmelding=aanmelding).exists()
    assert client.get(reverse("bijeenkomsten:aanmelding", args=[token])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_existing_tokens_so_links_in_sent_mails_keep_working(client):
    before = ("bijeenkomsten", "0008_capaciteit_hoogstens")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    start = timezone.now() + timedelta(days=7)
    bijeenkomst = old.get_model("bijeenkomsten", "Bijeenkomst").objects.create(
        titel="Oud",
        slug="oud",
        soort="kennisbijeenkomst",
        start=start,
        eind=start + timedelta(hours=2),
        status="gepubliceerd",
    )
    old.get_model("bijeenkomsten", "Aanmelding").objects.create(
        bijeenkomst=bijeenkomst,
        naam="Anna",
        email="anna@example.org",
        status="bevestigd",
        token="a" * 43,
    )
    old.get_model("bijeenkomsten", "Uitnodiging").objects.create(
        bijeenkomst=bijeenkomst, email="ina@example.org", token="i" * 43
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert client.get(reverse("bijeenkomsten:aanmelding", args=["a" * 43])).status_code == 200
    assert client.get(reverse("bijeenkomsten:uitnodiging", args=["i" * 43])).status_code == 200
    assert "a" * 43 not in stored(Aanmelding, PersoonlijkeLink)
