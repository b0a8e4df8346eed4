"""One search for the whole portal: found by the words in it, never what is not public."""

import pytest
from django.db import connection
from django.urls import reverse

from kennisbank import zoeken
from kennisbank.models import Kennisproduct
from leerateliers.models import Voorwaarde
from tests.kennisbank.factories import KennisproductFactory
from tests.leerateliers.factories import LeeratelierFactory, LerendePraktijkFactory
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory
from tests.themas.factories import ThemaFactory, UpdateFactory
from themas.models import Update

pytestmark = pytest.mark.django_db

ZOEKEN = reverse("kennisbank:zoeken")


def titels(response) -> list[str]:
    return [
        resultaat.titel
        for groep in response.context["groepen"]
        for resultaat in groep["resultaten"]
    ]


def test_a_visitor_finds_the_toolbox_by_typing_samenwerken_wijk(client):
    KennisproductFactory(
        titel="Toolbox voor samenwerken in de wijk",
        samenvatting="Werkvormen voor wie samen iets in de wijk wil bereiken.",
    )
    KennisproductFactory(titel="Iets over armoede", samenvatting="Geldzorgen.")
    response = client.get(ZOEKEN, {"q": "samenwerken wijk"})
    assert titels(response) == ["Toolbox voor samenwerken in de wijk"]


def test_every_kind_of_public_content_is_found(client):
    atelier = LeeratelierFactory(naam="Eenzaamheid in de buurt")
    LerendePraktijkFactory(titel="Eenzaamheid bij mantelzorgers", leeratelier=atelier)
    ThemaFactory(naam="Eenzaamheid en inclusie", slug="eenzaam-thema")
    UpdateFactory(titel="Eenzaamheid: wat we leerden", thema=ThemaFactory())
    OrganisatieFactory(naam="Stichting Eenzaamheid Samen")
    KennisproductFactory(titel="Eenzaamheid onder ouderen")
    response = client.get(ZOEKEN, {"q": "eenzaamheid"})
    assert {soort for soort, aantal in response.context["aantallen"].items() if aantal} == {
        "leeratelier",
        "praktijk",
        "thema",
        "update",
        "organisatie",
        "kennisproduct",
    }


def test_drafts_and_hidden_profiles_are_never_found(client):
    thema = ThemaFactory()
    UpdateFactory(
        titel="Geheim plan over eenzaamheid",
        thema=thema,
        status=Update.Status.CONCEPT,
        gepubliceerd_op=None,
    )
    KennisproductFactory(
        titel="Concept over eenzaamheid",
        status=Kennisproduct.Status.CONCEPT,
        gepubliceerd_op=None,
    )
    PersoonFactory(naam="Verborgen Eenzaamheidsexpert", profiel_zichtbaar=False)
    PersoonFactory(naam="Zichtbare Eenzaamheidsexpert", profiel_zichtbaar=True)
    response = client.get(ZOEKEN, {"q": "eenzaamheidsexpert"})
    assert titels(response) == ["Zichtbare Eenzaamheidsexpert"]
    assert "Geheim" not in client.get(ZOEKEN, {"q": "eenzaamheid"}).content.decode()
    assert "Concept over" not in client.get(ZOEKEN, {"q": "eenzaamheid"}).content.decode()


def test_the_snippet_highlights_the_words_and_escapes_the_rest(client):
    KennisproductFactory(
        titel="Handreiking",
        samenvatting="Kosten & baten <script>alert(1)</script> van eenzaamheid in de wijk",
    )
    response = client.get(ZOEKEN, {"q": "eenzaamheid"})
    [fragment] = [r.fragment for groep in response.context["groepen"] for r in groep["resultaten"]]
    assert "<mark>eenzaamheid</mark>" in fragment
    assert "Kosten &amp; baten" in fragment
    assert "<script>" not in response.content.decode()


def test_one_kind_is_shown_page_by_page(client):
    for index in range(25):
        KennisproductFactory(titel=f"Wijkaanpak {index}")
    response = client.get(ZOEKEN, {"q": "wijkaanpak", "soort": "kennisproduct"})
    [groep] = response.context["groepen"]
    assert groep["aantal"] == 25
    assert len(groep["resultaten"]) == 20
    assert groep["page_obj"].has_next()


@pytest.mark.parametrize("q", ["", "   ", "\x00", "&|!():*", "a" * 500])
def test_odd_queries_answer_without_error(client, q):
    KennisproductFactory(titel="Iets")
    assert client.get(ZOEKEN, {"q": q}).status_code == 200


def test_the_search_answers_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for index in range(10):
        KennisproductFactory(titel=f"Wijkgericht werken {index}")
        UpdateFactory(titel=f"Wijkgericht nieuws {index}", thema=ThemaFactory())
    with django_assert_max_num_queries(30):
        client.get(ZOEKEN, {"q": "wijkgericht"})


def test_the_header_of_every_page_has_the_search_box(client):
    html = client.get(reverse("leerateliers:lijst")).content.decode()
    assert f'action="{ZOEKEN}" role="search"' in html


@pytest.mark.real_stack_only
def test_dutch_stemming_finds_eenzaamheid_for_eenzaam(client):
    KennisproductFactory(titel="Eenzaamheid onder ouderen")
    assert titels(client.get(ZOEKEN, {"q": "eenzaam"})) == ["Eenzaamheid onder ouderen"]


@pytest.mark.real_stack_only
def test_a_title_weighs_more_than_a_body(client):
    KennisproductFactory(titel="Over geld", samenvatting="Ook over armoede.")
    KennisproductFactory(titel="Armoede in de wijk", samenvatting="Over geld.")
    assert titels(client.get(ZOEKEN, {"q": "armoede"})) == ["Armoede in de wijk", "Over geld"]


@pytest.mark.real_stack_only
def test_a_typo_in_a_short_query_still_finds_the_title(client):
    KennisproductFactory(titel="Partnerschapskaart")
    response = client.get(ZOEKEN, {"q": "partnerschapskart"})
    assert response.context["typo"]
    assert titels(response) == ["Partnerschapskaart"]


@pytest.mark.real_stack_only
def test_the_index_is_kept_in_the_same_transaction_and_used_by_the_query():
    product = KennisproductFactory(titel="Verankeren")
    Kennisproduct.objects.filter(pk=product.pk).update(titel="Vormgeven")
    assert list(zoeken.matches(zoeken.BRONNEN["kennisproduct"], ["vormgeven"])) == [product]
    assert not zoeken.matches(zoeken.BRONNEN["kennisproduct"], ["verankeren"]).exists()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Update.objects.filter(zoekvector=zoeken.tsquery(["wijk"])).explain()
    assert "themas_update_zoek_idx" in plan


@pytest.mark.real_stack_only
def test_the_text_of_an_uploaded_pdf_is_found(client):
    from kennisbank import services
    from kennisbank.services import ProductInvoer
    from tests.kennisbank.factories import pdf_bytes, upload

    trekker = PersoonFactory(email="tess@example.org")
    atelier = LeeratelierFactory(trekkers=[trekker])
    product = services.save_product(
        door=trekker,
        invoer=ProductInvoer(
            titel="Rapport",
            soort="onderzoeksrapport",
            samenvatting="Kort.",
            jaar=2024,
            leerateliers=[atelier],
        ),
        bestand=upload("rapport.pdf", pdf_bytes("Energiecoaches bereiken huishoudens")),
    )
    services.publish_product(product=product, door=trekker)
    assert titels(client.get(ZOEKEN, {"q": "energiecoaches"})) == ["Rapport"]


def test_the_voorwaarde_facet_and_the_search_agree_on_what_is_public(client):
    cohesie = Voorwaarde.objects.get(slug="sociale-cohesie")
    KennisproductFactory(titel="Buurtnetwerken", voorwaarden=[cohesie])
    assert titels(client.get(ZOEKEN, {"q": "buurtnetwerken"})) == ["Buurtnetwerken"]
