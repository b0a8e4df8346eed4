"""The library, a product's page and its download, as a visitor and as a writer."""

import pytest
from django.urls import reverse

from kennisbank.models import Kennisproduct
from leerateliers.models import Voorwaarde
from tests.kennisbank.factories import (
    DossierOnderdeelFactory,
    KennisdossierFactory,
    KennisproductFactory,
    pdf_bytes,
    upload,
)
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory

pytestmark = pytest.mark.django_db

LIJST = reverse("kennisbank:lijst")


@pytest.fixture
def cohesie():
    return Voorwaarde.objects.get(slug="sociale-cohesie")


@pytest.fixture
def trekker():
    return PersoonFactory(naam="Tess Trekker", email="tess@example.org")


@pytest.fixture
def atelier(trekker):
    return LeeratelierFactory(naam="Samenwerken in de wijk", slug="wijk", trekkers=[trekker])


def test_a_visitor_finds_the_toolbox_by_clicking_the_voorwaarde(client, cohesie):
    KennisproductFactory(titel="Toolbox voor samenwerken in de wijk", voorwaarden=[cohesie])
    KennisproductFactory(titel="Iets anders")
    response = client.get(LIJST, {"voorwaarde": "sociale-cohesie"})
    assert response.status_code == 200
    titels = [product.titel for product in response.context["producten"]]
    assert titels == ["Toolbox voor samenwerken in de wijk"]


def test_each_facet_value_shows_how_many_products_it_leads_to(client, cohesie, atelier):
    KennisproductFactory(soort="tool", voorwaarden=[cohesie], leerateliers=[atelier])
    KennisproductFactory(soort="tool", voorwaarden=[cohesie])
    KennisproductFactory(soort="publicatie")
    response = client.get(LIJST, {"soort": "tool"})
    html = response.content.decode()
    assert "Sociale cohesie (2)" in html
    assert "Samenwerken in de wijk (1)" in html
    # The chosen facet counts what the other facets leave: both soorten stay reachable.
    assert "tool of werkvorm (2)" in html
    assert "publicatie (1)" in html


def test_concepts_are_not_in_the_library_and_not_found_by_visitors(client, atelier):
    concept = KennisproductFactory(
        titel="Nog niet af",
        leerateliers=[atelier],
        status=Kennisproduct.Status.CONCEPT,
        gepubliceerd_op=None,
    )
    assert "Nog niet af" not in client.get(LIJST).content.decode()
    assert client.get(concept.get_absolute_url()).status_code == 404
    assert client.get(reverse("kennisbank:download", args=[concept.slug])).status_code == 404


def test_a_writer_sees_the_concept_as_its_preview(client, trekker, atelier):
    concept = KennisproductFactory(
        leerateliers=[atelier], status=Kennisproduct.Status.CONCEPT, gepubliceerd_op=None
    )
    client.force_login(trekker)
    response = client.get(concept.get_absolute_url())
    assert response.status_code == 200
    assert "Concept: alleen wie dit kennisproduct mag bewerken" in response.content.decode()


def test_the_library_lists_in_a_fixed_number_of_queries(
    client, cohesie, django_assert_max_num_queries
):
    for _ in range(15):
        KennisproductFactory(voorwaarden=[cohesie])
    client.get(LIJST)  # sessions, content types and the like are read once
    with django_assert_max_num_queries(14):
        response = client.get(LIJST, {"voorwaarde": "sociale-cohesie", "soort": "publicatie"})
    assert len(response.context["producten"]) == 12


def test_the_download_is_an_attachment_named_by_the_title_never_by_the_upload(
    client, trekker, atelier
):
    from kennisbank import services
    from kennisbank.services import ProductInvoer

    product = services.save_product(
        door=trekker,
        invoer=ProductInvoer(
            titel="Energiearmoede: een studie",
            soort="onderzoeksrapport",
            samenvatting="Studie.",
            jaar=2024,
            leerateliers=[atelier],
        ),
        bestand=upload("../../etc/passwd.pdf", pdf_bytes()),
    )
    services.publish_product(product=product, door=trekker)
    response = client.get(reverse("kennisbank:download", args=[product.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="energiearmoede-een-studie.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_trekker_uploads_a_pdf_through_the_form_and_publishes_it(client, trekker, atelier):
    client.force_login(trekker)
    response = client.post(
        reverse("kennisbank:nieuw"),
        {
            "titel": "Rapport over eenzaamheid",
            "soort": "onderzoeksrapport",
            "samenvatting": "Wat we vonden.",
            "jaar": 2024,
            "taal": "nl",
            "licentie": "cc-by-4.0",
            "leerateliers": [atelier.pk],
            "ik_ben_auteur": "on",
            "nieuw_bestand": upload("rapport.pdf", pdf_bytes("eenzaamheid onder ouderen")),
        },
    )
    product = Kennisproduct.objects.get()
    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert "ouderen" in product.bestand_tekst
    client.post(reverse("kennisbank:publiceren", args=[product.slug]))
    product.refresh_from_db()
    assert product.is_gepubliceerd


def test_a_refused_upload_is_shown_at_the_file_field(client, trekker, atelier):
    client.force_login(trekker)
    response = client.post(
        reverse("kennisbank:nieuw"),
        {
            "titel": "Draaiboek",
            "soort": "draaiboek",
            "samenvatting": "Zo doe je het.",
            "jaar": 2024,
            "taal": "nl",
            "licentie": "cc-by-4.0",
            "leerateliers": [atelier.pk],
            "nieuw_bestand": upload("draaiboek.pdf", pdf_bytes(javascript="app.alert(1)")),
        },
    )
    assert response.status_code == 400
    assert "JavaScript" in response.context["form"].errors["nieuw_bestand"][0]
    assert not Kennisproduct.objects.exists()


def test_the_leeratelier_page_lists_its_products_and_those_of_its_praktijken(client, atelier):
    from tests.leerateliers.factories import LerendePraktijkFactory

    praktijk = LerendePraktijkFactory(titel="Buurthuis De Ster", leeratelier=atelier)
    KennisproductFactory(titel="Toolbox voor samenwerken", leerateliers=[atelier])
    KennisproductFactory(titel="Partnerschapskaart", lerende_praktijk=praktijk)
    html = client.get(atelier.get_absolute_url()).content.decode()
    assert "Toolbox voor samenwerken" in html
    assert "Partnerschapskaart" in html


def test_the_home_page_shows_the_newest_products(client):
    KennisproductFactory(titel="Nieuwste handreiking")
    assert "Nieuwste handreiking" in client.get(reverse("home")).content.decode()


def test_a_dossier_shows_only_what_a_visitor_may_see(client):
    dossier = KennisdossierFactory(titel="Ervaringsdeskundigheid")
    DossierOnderdeelFactory(dossier=dossier, product=KennisproductFactory(titel="Openbaar"))
    DossierOnderdeelFactory(
        dossier=dossier,
        product=KennisproductFactory(
            titel="Geheim concept", status=Kennisproduct.Status.CONCEPT, gepubliceerd_op=None
        ),
    )
    html = client.get(dossier.get_absolute_url()).content.decode()
    assert "Openbaar" in html
    assert "Geheim concept" not in html


def test_an_unpublished_dossier_is_not_found(client):
    dossier = KennisdossierFactory(gepubliceerd=False)
    assert client.get(dossier.get_absolute_url()).status_code == 404


def test_the_feed_carries_published_products(client):
    KennisproductFactory(titel="In de feed")
    response = client.get(reverse("kennisbank:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "In de feed" in response.content.decode()


def test_a_trekker_finds_their_concepts_on_their_own_page(client, trekker, atelier):
    KennisproductFactory(
        titel="Mijn concept",
        leerateliers=[atelier],
        status=Kennisproduct.Status.CONCEPT,
        gepubliceerd_op=None,
    )
    KennisproductFactory(titel="Van een ander atelier")
    client.force_login(trekker)
    html = client.get(reverse("netwerk:mijn")).content.decode()
    assert "Mijn concept" in html
    assert "Van een ander atelier" not in html
    assert f'href="{reverse("kennisbank:nieuw")}"' in html
