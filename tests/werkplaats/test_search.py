"""A NUL byte or another control character in a coördinator's search field is searched
for as nothing, never a 500 (issue 18, L6)."""

import pytest
from django.urls import reverse

from tests.roles import as_role
from werkplaats.search import search_term

pytestmark = pytest.mark.django_db


def test_a_search_term_loses_its_control_characters_and_is_bounded():
    assert search_term(" ann\x00a\x1f ") == "anna"
    assert search_term(None) == ""
    assert len(search_term("a" * 1000)) == 100


@pytest.mark.parametrize(
    ("pattern", "field"),
    [
        ("bijeenkomsten:aanmeldingen", "zoek"),
        ("bijeenkomsten:aanwezigheid", "q"),
    ],
)
def test_a_nul_byte_in_a_coordinators_search_field_is_no_500(client, module_world, pattern, field):
    as_role(client, module_world.people, "coordinator")

    response = client.get(
        reverse(pattern, args=[module_world.bijeenkomst.slug]), {field: "an\x00na"}
    )

    assert response.status_code == 200


def test_a_nul_byte_in_the_subscriber_search_is_no_500(client, module_world):
    as_role(client, module_world.people, "coordinator")

    response = client.get(reverse("nieuwsbrief:abonnees"), {"q": "an\x00na"})

    assert response.status_code in (200, 400)
