"""Who may invite, remind and mail the registered: every role against every page and
action of points 9 and 10. Each forbidden case asserts that nothing changed, the outbox
and the log included."""

import pytest
from django.urls import reverse

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bericht, Handeling, Uitnodiging
from bijeenkomsten.selectors import Audience
from netwerk.models import GeenUitnodiging, OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory, with_link
from tests.leerateliers.factories import DeelnameFactory, LeeratelierFactory
from tests.netwerk.factories import PersoonFactory
from tests.roles import COORDINATING, NOT_COORDINATING, as_role
from tests.themas.factories import ThemaFactory

pytestmark = pytest.mark.django_db

FORBIDDEN = list(NOT_COORDINATING)
ALLOWED = list(COORDINATING)


@pytest.fixture
def wereld(people):
    trekker, thematrekker = people["trekker"], people["thematrekker"]
    atelier = LeeratelierFactory(trekkers=[trekker])
    DeelnameFactory(
        leeratelier=atelier, persoon=PersoonFactory(email="arena@example.org"), rol="arena"
    )
    thema = ThemaFactory(thematrekkers=[thematrekker])
    bijeenkomst = BijeenkomstFactory(slug="symposium")
    bijeenkomst.leerateliers.add(atelier)
    bijeenkomst.themas.add(thema)
    coordinator = people["coordinator"]
    services.register(bijeenkomst=bijeenkomst, email="bea@example.org", naam="Bea Bevestigd")
    services.invite(
        bijeenkomst=bijeenkomst, door=coordinator, audience=Audience(adressen="ina@example.org")
    )
    bericht = services.save_bericht(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        onderwerp="Route",
        tekst="Neem de trein.",
        doelgroep=Bericht.Doelgroep.OPEN,
    )
    return {
        **people,
        "atelier": atelier,
        "bijeenkomst": bijeenkomst,
        "bericht": bericht,
    }


def snapshot():
    return (
        list(Uitnodiging.objects.order_by("pk").values_list("email", "herinneringsronde")),
        list(Aanmelding.objects.order_by("pk").values_list("email", "status")),
        list(Bericht.objects.order_by("pk").values_list("onderwerp", "verstuurd_op")),
        GeenUitnodiging.objects.count(),
        OutboxMessage.objects.count(),
        Handeling.objects.count(),
    )


PAGES = {
    "invitations": lambda w: reverse("bijeenkomsten:uitnodigingen", args=["symposium"]),
    "invite form": lambda w: reverse("bijeenkomsten:uitnodigen", args=["symposium"]),
    "messages": lambda w: reverse("bijeenkomsten:berichten", args=["symposium"]),
    "new message": lambda w: reverse("bijeenkomsten:bericht-nieuw", args=["symposium"]),
    "message": lambda w: reverse("bijeenkomsten:bericht", args=["symposium", w["bericht"].pk]),
    "change message": lambda w: reverse(
        "bijeenkomsten:bericht-wijzigen", args=["symposium", w["bericht"].pk]
    ),
}

ACTIONS = {
    "preview invitations": lambda w: (
        reverse("bijeenkomsten:uitnodigen", args=["symposium"]),
        {"leerateliers": [w["atelier"].pk], "rollen": ["arena"]},
    ),
    "send invitations": lambda w: (
        reverse("bijeenkomsten:uitnodigen-versturen", args=["symposium"]),
        {"leerateliers": [w["atelier"].pk], "rollen": ["arena"]},
    ),
    "remind the invited": lambda w: (
        reverse("bijeenkomsten:uitnodigingen-herinneren", args=["symposium"]),
        {"ronde": "1"},
    ),
    "write a message": lambda w: (
        reverse("bijeenkomsten:bericht-nieuw", args=["symposium"]),
        {"doelgroep": "open", "onderwerp": "Hallo", "tekst": "Tekst"},
    ),
    "change a message": lambda w: (
        reverse("bijeenkomsten:bericht-wijzigen", args=["symposium", w["bericht"].pk]),
        {"doelgroep": "open", "onderwerp": "Anders", "tekst": "Anders"},
    ),
    "send a message": lambda w: (
        reverse("bijeenkomsten:bericht-versturen", args=["symposium", w["bericht"].pk]),
        {},
    ),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("actor", FORBIDDEN + ALLOWED)
def test_the_invitation_and_message_pages_are_for_coordinators_and_beheerders_only(
    client, wereld, actor, page
):
    response = as_role(client, wereld, actor).get(PAGES[page](wereld))

    if actor == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    elif actor in FORBIDDEN:
        assert response.status_code == 403
        assert "ina@example.org" not in response.text
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor", FORBIDDEN)
def test_only_coordinators_and_beheerders_invite_remind_or_mail_and_nothing_changes_otherwise(
    client, wereld, actor, action
):
    url, data = ACTIONS[action](wereld)
    before = snapshot()

    response = as_role(client, wereld, actor).post(url, data)

    if actor == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
        assert "arena@example.org" not in response.text
    assert snapshot() == before


@pytest.mark.parametrize("actor", ALLOWED)
def test_a_coordinator_or_beheerder_sends_invitations_and_it_is_logged(client, wereld, actor):
    response = as_role(client, wereld, actor).post(*ACTIONS["send invitations"](wereld))

    assert response.status_code == 302
    uitnodiging = Uitnodiging.objects.get(email="arena@example.org")
    assert uitnodiging.uitgenodigd_door == wereld[actor]
    handeling = Handeling.objects.filter(soort=Handeling.Soort.UITGENODIGD).latest("pk")
    assert handeling.door == wereld[actor]


@pytest.mark.parametrize("actor", ALLOWED)
def test_a_coordinator_or_beheerder_reminds_the_invited_and_it_is_logged(client, wereld, actor):
    response = as_role(client, wereld, actor).post(*ACTIONS["remind the invited"](wereld))

    assert response.status_code == 302
    assert Uitnodiging.objects.get(email="ina@example.org").herinneringsronde == 1
    handeling = Handeling.objects.get(soort=Handeling.Soort.UITNODIGING_HERINNERD)
    assert handeling.door == wereld[actor]


@pytest.mark.parametrize("actor", ALLOWED)
def test_a_coordinator_or_beheerder_sends_a_message_and_it_is_logged(client, wereld, actor):
    response = as_role(client, wereld, actor).post(*ACTIONS["send a message"](wereld))

    assert response.status_code == 302
    assert list(OutboxMessage.objects.filter(key__startswith="bericht:").values_list("to")) == [
        ("bea@example.org",)
    ]
    assert Handeling.objects.get(soort=Handeling.Soort.BERICHT).door == wereld[actor]


@pytest.mark.parametrize("actor", FORBIDDEN + ALLOWED)
def test_the_invitation_link_is_the_permission_whoever_is_logged_in(client, wereld, actor):
    uitnodiging = with_link(Uitnodiging.objects.get(email="ina@example.org"))
    url = reverse("bijeenkomsten:uitnodiging", args=[uitnodiging.token])

    page = as_role(client, wereld, actor).get(url)
    response = client.post(url, {"naam": "Ina", "email": "iemand.anders@example.org"})

    assert page.status_code == 200
    assert response.status_code == 302
    assert Aanmelding.objects.filter(email="ina@example.org").exists()
    assert not Aanmelding.objects.filter(email="iemand.anders@example.org").exists()
