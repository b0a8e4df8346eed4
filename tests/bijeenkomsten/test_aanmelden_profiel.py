"""The registration form of a logged-in person starts with what their profile says
(issue 18, point 8): organisatie and functie, which they can still change."""

import re

import pytest
from django.urls import reverse

from bijeenkomsten.forms import AanmeldForm
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory

pytestmark = pytest.mark.django_db


def field_value(html: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, f"no field {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def test_the_form_starts_with_the_confirmed_organisatie_and_the_functie_of_the_profile(client):
    bijeenkomst = BijeenkomstFactory()
    persoon = PersoonFactory(
        organisatie=OrganisatieFactory(naam="Buurtwerk Oost"), functie="Opbouwwerker"
    )
    client.force_login(persoon)

    page = client.get(bijeenkomst.get_absolute_url()).text

    assert field_value(page, "organisatie") == "Buurtwerk Oost"
    assert field_value(page, "functie") == "Opbouwwerker"
    # The person can still change them: what they post is what is registered.
    client.post(
        reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]),
        {"naam": persoon.naam, "organisatie": "Eigen titel", "functie": ""},
    )
    aanmelding = bijeenkomst.aanmeldingen.get()
    assert (aanmelding.organisatie, aanmelding.functie) == ("Eigen titel", "")


def test_an_organisatie_not_confirmed_yet_is_filled_in_as_the_profile_names_it():
    persoon = PersoonFactory(
        organisatie=OrganisatieFactory(naam="Wijkteam West"), lidmaatschap="aangevraagd"
    )

    form = AanmeldForm(persoon=persoon)

    assert form["organisatie"].value() == "Wijkteam West"
    assert form["functie"].value() == ""
    # A guest has no profile: their form starts empty.
    assert AanmeldForm(persoon=None)["organisatie"].value() is None
