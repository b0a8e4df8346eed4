"""Coördinatoren curate kennisdossiers in the portal: the text, and the entries named by
the link of their page, in an order they choose. Visitors see a dossier once it is
published, and only the published things in it."""

import pytest
from django.urls import reverse

from bijeenkomsten.models import Bijeenkomst
from kennisbank.models import DossierOnderdeel, Kennisdossier, Kennisproduct
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.kennisbank.factories import (
    DossierOnderdeelFactory,
    KennisdossierFactory,
    KennisproductFactory,
)
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator
from tests.themas.factories import UpdateFactory

pytestmark = pytest.mark.django_db

NIEUW = reverse("kennisbank:dossier-nieuw")


@pytest.fixture
def coordinator(client):
    persoon = make_coordinator()
    client.force_login(persoon)
    return persoon


def bewerken(dossier):
    return reverse("kennisbank:dossier-bewerken", args=[dossier.slug])


def toevoegen(dossier, link, toelichting=""):
    return reverse("kennisbank:dossier-toevoegen", args=[dossier.slug]), {
        "link": link,
        "toelichting": toelichting,
    }


def test_a_coordinator_starts_a_dossier_fills_it_by_links_and_publishes_it(client, coordinator):
    product = KennisproductFactory(titel="Toolbox samenwerken", slug="toolbox")
    update = UpdateFactory(titel="Ervaringskennis in de wijk")
    bijeenkomst = BijeenkomstFactory(titel="Leeratelier ervaring")

    response = client.post(
        NIEUW, {"titel": "Ervaringsdeskundigheid", "samenvatting": "Wat werkplaatsen leerden."}
    )
    dossier = Kennisdossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == bewerken(dossier)
    assert not dossier.gepubliceerd

    client.post(*toevoegen(dossier, f"http://testserver{product.get_absolute_url()}"))
    client.post(*toevoegen(dossier, update.get_absolute_url(), "Een verhaal uit Arnhem."))
    client.post(*toevoegen(dossier, bijeenkomst.get_absolute_url()))
    assert [str(onderdeel) for onderdeel in dossier.onderdelen.all()] == [
        "Toolbox samenwerken",
        "Ervaringskennis in de wijk",
        "Leeratelier ervaring",
    ]

    laatste = dossier.onderdelen.get(bijeenkomst=bijeenkomst)
    client.post(
        reverse("kennisbank:dossier-verplaatsen", args=[dossier.slug, laatste.pk]),
        {"richting": "-1"},
    )
    eerste = dossier.onderdelen.get(product=product)
    client.post(reverse("kennisbank:dossier-verwijderen", args=[dossier.slug, eerste.pk]))
    assert [str(onderdeel) for onderdeel in dossier.onderdelen.all()] == [
        "Leeratelier ervaring",
        "Ervaringskennis in de wijk",
    ]

    client.post(
        bewerken(dossier),
        {"titel": "Ervaringsdeskundigheid", "samenvatting": "Anders.", "gepubliceerd": "on"},
    )
    client.logout()
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Een verhaal uit Arnhem." in page
    assert page.index("Leeratelier ervaring") < page.index("Ervaringskennis in de wijk")


def test_an_unpublished_dossier_is_a_preview_for_coordinators_and_absent_for_others(
    client, coordinator
):
    dossier = KennisdossierFactory(gepubliceerd=False)
    response = client.get(dossier.get_absolute_url())
    assert response.status_code == 200
    assert "alleen coördinatoren zien dit dossier" in response.content.decode()
    client.force_login(PersoonFactory())
    assert client.get(dossier.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("link", "reden"),
    [
        ("https://elders.example.org/kennisbank/toolbox/", "wijst niet naar"),
        ("/kennisbank/bestaat-niet/", "wijst niet naar"),
        ("/leerateliers/", "wijst niet naar"),
        ("geen link", "wijst niet naar"),
    ],
)
def test_a_link_to_anything_else_is_refused_at_the_field(client, coordinator, link, reden):
    KennisproductFactory(slug="toolbox")
    dossier = KennisdossierFactory()
    response = client.post(*toevoegen(dossier, link))
    assert response.status_code == 400
    assert reden in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not DossierOnderdeel.objects.exists()


def test_what_is_not_published_or_already_there_is_not_added(client, coordinator):
    concept = KennisproductFactory(status=Kennisproduct.Status.CONCEPT, gepubliceerd_op=None)
    geannuleerd_concept = BijeenkomstFactory(status=Bijeenkomst.Status.CONCEPT)
    product = KennisproductFactory()
    dossier = KennisdossierFactory()
    DossierOnderdeelFactory(dossier=dossier, product=product)

    for link, reden in [
        (concept.get_absolute_url(), "Alleen wat gepubliceerd is"),
        (geannuleerd_concept.get_absolute_url(), "Alleen wat gepubliceerd is"),
        (product.get_absolute_url(), "staat al in het dossier"),
    ]:
        response = client.post(*toevoegen(dossier, link))
        assert response.status_code == 400
        assert reden in response.content.decode()
    assert dossier.onderdelen.count() == 1


def test_a_trekker_cannot_curate_a_dossier_and_changes_nothing(client):
    trekker = PersoonFactory()
    LeeratelierFactory().trekkers.add(trekker)
    client.force_login(trekker)
    dossier = KennisdossierFactory(titel="Zoals het was")
    onderdeel = DossierOnderdeelFactory(dossier=dossier, product=KennisproductFactory())
    assert client.post(NIEUW, {"titel": "X", "samenvatting": "Y"}).status_code == 403
    assert client.post(bewerken(dossier), {"titel": "Y", "samenvatting": "Z"}).status_code == 403
    assert (
        client.post(
            reverse("kennisbank:dossier-verwijderen", args=[dossier.slug, onderdeel.pk])
        ).status_code
        == 403
    )
    dossier.refresh_from_db()
    assert dossier.titel == "Zoals het was"
    assert Kennisdossier.objects.count() == 1
    assert dossier.onderdelen.count() == 1


def test_an_entry_of_another_dossier_is_not_found(client, coordinator):
    dossier = KennisdossierFactory()
    elders = DossierOnderdeelFactory(product=KennisproductFactory())
    url = reverse("kennisbank:dossier-verwijderen", args=[dossier.slug, elders.pk])
    assert client.post(url).status_code == 404
    assert DossierOnderdeel.objects.filter(pk=elders.pk).exists()


def test_the_edit_page_shows_withdrawn_entries_so_they_can_be_taken_out(client, coordinator):
    dossier = KennisdossierFactory()
    DossierOnderdeelFactory(
        dossier=dossier,
        product=KennisproductFactory(titel="Oud rapport", status=Kennisproduct.Status.INGETROKKEN),
    )
    page = client.get(bewerken(dossier)).content.decode()
    assert "Oud rapport" in page
    assert "niet gepubliceerd: bezoekers zien dit niet" in page


def test_the_edit_page_does_not_grow_in_queries_with_its_entries(
    client, coordinator, django_assert_max_num_queries
):
    dossier = KennisdossierFactory()
    for _ in range(3):
        DossierOnderdeelFactory(dossier=dossier, product=KennisproductFactory())
    with django_assert_max_num_queries(12) as few:
        client.get(bewerken(dossier))
    for _ in range(20):
        DossierOnderdeelFactory(dossier=dossier, update=UpdateFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(bewerken(dossier))


@pytest.mark.parametrize("titel", ["Nieuw", "nieuw"])
def test_a_dossier_never_takes_the_slug_of_the_new_dossier_page(client, coordinator, titel):
    client.post(NIEUW, {"titel": titel, "samenvatting": "Een dossier dat Nieuw heet."})
    assert Kennisdossier.objects.get().slug == "nieuw-2"
    assert client.get(reverse("kennisbank:dossier-nieuw")).status_code == 200
