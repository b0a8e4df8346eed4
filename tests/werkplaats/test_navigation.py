"""Every role has a visible way to everything it may do (issue 18, points 5 and 6)."""

import pytest
from django.urls import reverse

from tests.roles import COORDINATING, NOT_COORDINATING, as_role

pytestmark = pytest.mark.django_db

WORKSPACES = {
    "bijeenkomsten:beheer": "Bijeenkomsten beheren",
    "nieuwsbrief:edities": "Nieuwsbrief samenstellen",
    "nieuwsbrief:abonnees": "Abonnees van de nieuwsbrief",
    "netwerk:lidmaatschappen": "Lidmaatschappen",
    "kennisbank:nieuw": "Kennisbank",
}


def links_in(response) -> set[str]:
    return {link for link in WORKSPACES if f'href="{reverse(link)}"' in response.text}


@pytest.mark.parametrize("role", COORDINATING)
def test_a_coordinator_finds_the_workspace_in_the_header_and_on_their_own_page(
    client, module_world, role
):
    as_role(client, module_world.people, role)

    home = client.get(reverse("leerateliers:lijst"))
    assert f'href="{reverse("coordinatie")}"' in home.text

    workspace = client.get(reverse("coordinatie"))
    assert workspace.status_code == 200
    assert links_in(workspace) == set(WORKSPACES)

    mijn = client.get(reverse("netwerk:mijn"))
    assert 'id="coordinatie"' in mijn.text
    assert links_in(mijn) == set(WORKSPACES)


@pytest.mark.parametrize("role", NOT_COORDINATING)
def test_who_does_not_coordinate_sees_no_workspace_link(client, module_world, role):
    as_role(client, module_world.people, role)

    page = client.get(reverse("leerateliers:lijst"))

    assert f'href="{reverse("coordinatie")}"' not in page.text
    assert "Bijeenkomsten beheren" not in client.get(reverse("bijeenkomsten:lijst")).text


def test_the_bijeenkomsten_page_leads_a_coordinator_to_managing_them(client, module_world):
    as_role(client, module_world.people, "coordinator")

    page = client.get(reverse("bijeenkomsten:lijst"))

    assert f'href="{reverse("bijeenkomsten:beheer")}"' in page.text


def test_a_trekker_without_a_deelname_is_not_told_they_take_part_in_nothing(client, module_world):
    as_role(client, module_world.people, "trekker")

    page = client.get(reverse("netwerk:mijn"))

    assert "Je doet nog niet mee aan een leeratelier" not in page.text
    assert 'id="trekker"' in page.text
    assert f'href="{module_world.atelier.get_absolute_url()}"' in page.text
    assert f'href="{reverse("leerateliers:bewerken", args=[module_world.atelier.slug])}"' in (
        page.text
    )


def test_a_thematrekker_finds_their_thema_and_where_to_write_an_update(client, module_world):
    as_role(client, module_world.people, "thematrekker")

    page = client.get(reverse("netwerk:mijn"))

    thema = module_world.thema
    assert f'href="{thema.get_absolute_url()}"' in page.text
    assert f'href="{reverse("themas:update-nieuw", args=["thema", thema.slug])}"' in page.text
    assert f'href="{reverse("themas:thema-bewerken", args=[thema.slug])}"' in page.text


def test_a_partner_sees_no_trekker_section(client, module_world):
    as_role(client, module_world.people, "partner")

    page = client.get(reverse("netwerk:mijn"))

    assert 'id="trekker"' not in page.text
    assert 'id="coordinatie"' not in page.text
