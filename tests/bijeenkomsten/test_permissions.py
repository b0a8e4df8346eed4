"""Who may do what with bijeenkomsten: every role against every coördinator action.

Each forbidden case asserts that nothing changed, the outbox and the log included.
"""

import pytest
from django.urls import reverse

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory
from tests.roles import COORDINATING, NOT_COORDINATING, as_role, log_in_to_beheer
from tests.themas.factories import ThemaFactory

pytestmark = pytest.mark.django_db

FORBIDDEN = list(NOT_COORDINATING)
ALLOWED = list(COORDINATING)


@pytest.fixture
def wereld(people):
    trekker, thematrekker = people["trekker"], people["thematrekker"]
    atelier = LeeratelierFactory(trekkers=[trekker])
    thema = ThemaFactory(thematrekkers=[thematrekker])
    bijeenkomst = BijeenkomstFactory(slug="symposium", capaciteit=1)
    bijeenkomst.leerateliers.add(atelier)
    bijeenkomst.themas.add(thema)
    bevestigd = services.register(
        bijeenkomst=bijeenkomst, email="bea@example.org", naam="Bea Bevestigd"
    )
    wachtend = services.register(
        bijeenkomst=bijeenkomst, email="wim@example.org", naam="Wim Wachtend"
    )
    return {
        **people,
        "bijeenkomst": bijeenkomst,
        "bevestigd": bevestigd,
        "wachtend": wachtend,
        "concept": BijeenkomstFactory(slug="nog-geheim", status=Bijeenkomst.Status.CONCEPT),
    }


def snapshot():
    return (
        list(Bijeenkomst.objects.order_by("pk").values_list("capaciteit", "status")),
        list(Aanmelding.objects.order_by("pk").values_list("status", "aanbod_tot")),
        OutboxMessage.objects.count(),
        Handeling.objects.count(),
    )


ACTIONS = {
    "change capacity": lambda w: (
        reverse("bijeenkomsten:capaciteit", args=["symposium"]),
        {"capaciteit": "5"},
    ),
    "cancel on behalf": lambda w: (
        reverse("bijeenkomsten:aanmelding-annuleren-namens", args=["symposium", w["bevestigd"].pk]),
        {"bevestigd": "1"},
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor", FORBIDDEN)
def test_only_coordinators_and_beheerders_act_on_registrations(client, wereld, actor, action):
    url, data = ACTIONS[action](wereld)
    before = snapshot()

    response = as_role(client, wereld, actor).post(url, data)

    if actor == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("actor", ALLOWED)
def test_a_coordinator_or_beheerder_changes_the_capacity_and_it_is_logged(client, wereld, actor):
    response = as_role(client, wereld, actor).post(*ACTIONS["change capacity"](wereld))

    assert response.status_code == 302
    wereld["bijeenkomst"].refresh_from_db()
    wereld["wachtend"].refresh_from_db()
    assert wereld["bijeenkomst"].capaciteit == 5
    assert wereld["wachtend"].status == Aanmelding.Status.AANGEBODEN
    handeling = Handeling.objects.get()
    assert (handeling.door, handeling.soort) == (wereld[actor], Handeling.Soort.CAPACITEIT)
    assert handeling.omschrijving == "van 1 naar 5"


@pytest.mark.parametrize("actor", ALLOWED)
def test_a_coordinator_or_beheerder_cancels_on_behalf_and_it_is_logged(client, wereld, actor):
    response = as_role(client, wereld, actor).post(*ACTIONS["cancel on behalf"](wereld))

    assert response.status_code == 302
    wereld["bevestigd"].refresh_from_db()
    assert wereld["bevestigd"].status == Aanmelding.Status.GEANNULEERD
    handeling = Handeling.objects.get()
    assert (handeling.door, handeling.aanmelding) == (wereld[actor], wereld["bevestigd"])
    page = client.get(reverse("bijeenkomsten:aanmeldingen", args=["symposium"]))
    assert wereld[actor].naam in page.text
    assert "aanmelding geannuleerd" in page.text


@pytest.mark.parametrize("actor", FORBIDDEN + ALLOWED)
def test_the_registrations_page_is_for_coordinators_and_beheerders_only(client, wereld, actor):
    response = as_role(client, wereld, actor).get(
        reverse("bijeenkomsten:aanmeldingen", args=["symposium"])
    )

    if actor == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    elif actor in FORBIDDEN:
        assert response.status_code == 403
        assert "bea@example.org" not in response.text
    else:
        assert response.status_code == 200
        assert "bea@example.org" in response.text


@pytest.mark.parametrize("actor", FORBIDDEN + ALLOWED)
def test_a_concept_bijeenkomst_exists_only_for_coordinators_and_beheerders(client, wereld, actor):
    response = as_role(client, wereld, actor).get(
        reverse("bijeenkomsten:detail", args=["nog-geheim"])
    )

    assert response.status_code == (200 if actor in ALLOWED else 404)


@pytest.mark.parametrize("actor", FORBIDDEN + ALLOWED)
def test_nobody_cancels_someone_elses_registration_without_its_link(client, wereld, actor):
    before = snapshot()

    response = as_role(client, wereld, actor).post(
        reverse("bijeenkomsten:aanmelding-annuleren", args=["x" * 43])
    )

    assert response.status_code == 404
    assert snapshot() == before


def test_the_admin_cancel_action_needs_the_change_permission(client, wereld):
    from django.contrib.auth.models import Permission

    kijker = PersoonFactory(is_staff=True)
    kijker.user_permissions.add(Permission.objects.get(codename="view_bijeenkomst"))
    log_in_to_beheer(client, kijker)
    before = snapshot()

    response = client.post(
        reverse("admin:bijeenkomsten_bijeenkomst_changelist"),
        {"action": "cancel_selected", "_selected_action": [wereld["bijeenkomst"].pk]},
    )

    assert response.status_code in (200, 302)
    assert snapshot() == before
    assert (
        "cancel_selected"
        not in client.get(reverse("admin:bijeenkomsten_bijeenkomst_changelist")).text
    )
