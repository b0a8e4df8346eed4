"""Issue 18, L5: a person's hidden profile keeps their name off the updates they wrote, on
the page and in the feeds; trekkers and thematrekkers are named on their page by their
role, and the profile setting and the privacy statement say so."""

import xml.etree.ElementTree as ElementTree

import pytest
from django.urls import reverse

from netwerk import services
from netwerk.models import Persoon
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory
from tests.themas.factories import ThemaFactory, UpdateFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def authors_in_feed(client, url) -> set[str]:
    feed = ElementTree.fromstring(client.get(url).content)
    return {name.text for name in feed.iter(f"{ATOM}name")}


@pytest.mark.parametrize("logged_in", [False, True])
def test_an_update_names_its_author_only_with_a_visible_profile(client, logged_in):
    verborgen = PersoonFactory(naam="Vera Verborgen", profiel_zichtbaar=False)
    zichtbaar = PersoonFactory(naam="Zeno Zichtbaar", profiel_zichtbaar=True)
    thema = ThemaFactory(thematrekkers=[verborgen, zichtbaar])
    stil = UpdateFactory(thema=thema, auteur=verborgen, titel="Van Vera")
    open_ = UpdateFactory(thema=thema, auteur=zichtbaar, titel="Van Zeno")
    if logged_in:
        client.force_login(PersoonFactory())

    assert "Vera Verborgen" not in client.get(stil.get_absolute_url()).text
    assert "door Zeno Zichtbaar" in client.get(open_.get_absolute_url()).text
    for url in (reverse("themas:feed"), reverse("themas:feed-thema", args=[thema.slug])):
        assert authors_in_feed(client, url) == {"Zeno Zichtbaar"}


def test_hiding_the_profile_takes_the_name_off_a_page_already_kept_for_visitors(
    client, django_capture_on_commit_callbacks
):
    schrijver = PersoonFactory(naam="Zeno Zichtbaar", profiel_zichtbaar=True)
    update = UpdateFactory(auteur=schrijver)
    assert "Zeno Zichtbaar" in client.get(update.get_absolute_url()).text
    assert "Zeno Zichtbaar" in authors_in_feed(client, reverse("themas:feed"))

    with django_capture_on_commit_callbacks(execute=True):
        services.update_profiel(
            persoon=schrijver,
            naam=schrijver.naam,
            organisatie=None,
            functie="",
            bio="",
            profiel_zichtbaar=False,
        )

    assert "Zeno Zichtbaar" not in client.get(update.get_absolute_url()).text
    assert authors_in_feed(client, reverse("themas:feed")) == set()


def test_trekkers_and_thematrekkers_are_named_on_their_page_as_part_of_their_role(client):
    trekker = PersoonFactory(naam="Tim Trekker", profiel_zichtbaar=False)
    thematrekker = PersoonFactory(naam="Thea Thematrekker", profiel_zichtbaar=False)
    atelier = LeeratelierFactory(trekkers=[trekker])
    thema = ThemaFactory(thematrekkers=[thematrekker])

    assert "Tim Trekker" in client.get(atelier.get_absolute_url()).text
    assert "Thea Thematrekker" in client.get(thema.get_absolute_url()).text


def test_the_profile_setting_and_the_privacy_statement_say_that_trekkers_are_named_publicly(
    client,
):
    help_text = str(Persoon._meta.get_field("profiel_zichtbaar").help_text)
    verklaring = client.get(reverse("privacy:verklaring")).text

    assert "trekker of thematrekker" in help_text
    assert "updates die je schrijft" in help_text
    assert "ook als hun profiel niet zichtbaar is" in verklaring
    assert "alleen als schrijver bij" in verklaring
