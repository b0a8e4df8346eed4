"""Kwestie lifecycle (issue 23, point 5): a merged atelier's updates, kennisproducten and
bijeenkomsten keep their history and show under the atelier it merged into, marked
"voorheen: …"."""

import pytest
from django.urls import reverse

from bijeenkomsten import selectors as bijeenkomst_selectors
from kennisbank import selectors as kennisbank_selectors
from leerateliers import services
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.kennisbank.factories import KennisproductFactory
from tests.leerateliers.factories import LeeratelierFactory
from tests.themas.factories import UpdateFactory
from themas import selectors as thema_selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged():
    oud = LeeratelierFactory(naam="Schulden in de wijk", slug="schulden")
    nieuw = LeeratelierFactory(naam="Bestaanszekerheid", slug="bestaanszekerheid")
    update = UpdateFactory(titel="Oude update", thema=None, leeratelier=oud)
    eigen_update = UpdateFactory(titel="Eigen update", thema=None, leeratelier=nieuw)
    product = KennisproductFactory(titel="Schuldenwijzer", leerateliers=[oud])
    bijeenkomst = BijeenkomstFactory(titel="Schuldenlab")
    bijeenkomst.leerateliers.add(oud)
    services.merge_leeratelier(bron=oud, doel=nieuw)
    return oud, nieuw, update, eigen_update, product, bijeenkomst


def test_a_merged_ateliers_updates_show_under_the_new_one_marked_voorheen(merged):
    oud, nieuw, update, eigen_update, _, _ = merged

    updates = {u.pk: u.voorheen for u in thema_selectors.laatste_updates(leeratelier=nieuw)}

    assert updates == {update.pk: "Schulden in de wijk", eigen_update.pk: ""}
    update.refresh_from_db()
    assert update.leeratelier == oud  # history stays where it was written


def test_a_merged_ateliers_kennisproducten_and_bijeenkomsten_show_under_the_new_one(merged):
    _, nieuw, _, _, product, bijeenkomst = merged

    producten = kennisbank_selectors.producten_van(leeratelier=nieuw)
    bijeenkomsten = bijeenkomst_selectors.komende_bijeenkomsten_van(leeratelier=nieuw)

    assert [(p.pk, p.voorheen) for p in producten] == [(product.pk, "Schulden in de wijk")]
    assert [(b.pk, b.voorheen) for b in bijeenkomsten] == [(bijeenkomst.pk, "Schulden in de wijk")]


def test_a_row_of_both_ateliers_shows_once_as_the_new_ones_own(merged):
    oud, nieuw, _, _, product, _ = merged
    product.leerateliers.add(nieuw)

    producten = kennisbank_selectors.producten_van(leeratelier=nieuw)

    assert [(p.pk, p.voorheen) for p in producten] == [(product.pk, "")]


def test_the_new_ateliers_page_says_voorheen_for_each_part(client, merged):
    _, nieuw, _, _, _, _ = merged

    html = client.get(reverse("leerateliers:detail", args=[nieuw.slug])).content.decode()

    assert html.count("voorheen: Schulden in de wijk") == 3
    for titel in ("Oude update", "Schuldenwijzer", "Schuldenlab"):
        assert titel in html


def test_an_atelier_merged_before_the_last_merge_still_shows_under_the_newest(merged):
    oud, nieuw, update, _, _, _ = merged
    nieuwste = LeeratelierFactory(naam="Rondkomen")
    services.merge_leeratelier(bron=nieuw, doel=nieuwste)

    updates = {u.pk: u.voorheen for u in thema_selectors.laatste_updates(leeratelier=nieuwste)}

    assert updates[update.pk] == "Schulden in de wijk"
