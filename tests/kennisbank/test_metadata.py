"""A product described for other software: schema.org JSON-LD on its page for search
engines, BibTeX and RIS for reference managers. The citations are read back with the
parsers reference tools use (bibtexparser, rispy), not with our own."""

import datetime
import json
import re

import bibtexparser
import pytest
import rispy
from django.urls import reverse

from kennisbank.models import Kennisproduct
from leerateliers.models import Voorwaarde
from tests.kennisbank.factories import KennisproductFactory, pdf_bytes, upload
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    product = KennisproductFactory(
        titel="Toolbox: samenwerken in de wijk & 100% {praktijk}",
        slug="toolbox-samenwerken",
        soort=Kennisproduct.Soort.ONDERZOEKSRAPPORT,
        jaar=2024,
        datum=datetime.date(2024, 5, 14),
        identifier="10.5281/zenodo.1234567",
        overige_auteurs="Wendy Wijkwerker",
    )
    product.auteurs.set(
        [
            PersoonFactory(naam="Ada de Onderzoeker", profiel_zichtbaar=True),
            PersoonFactory(naam="Verborgen Persoon", profiel_zichtbaar=False),
        ]
    )
    product.voorwaarden.set([Voorwaarde.objects.get(slug="sociale-cohesie")])
    return product


def _json_ld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_a_product_page_describes_the_product_in_schema_org_json_ld(client, product):
    data = _json_ld(client.get(product.get_absolute_url()).content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Report"
    assert data["name"] == product.titel
    assert data["datePublished"] == "2024-05-14"
    assert data["identifier"] == "https://doi.org/10.5281/zenodo.1234567"
    assert data["keywords"] == ["Sociale cohesie"]
    assert data["url"].endswith("/kennisbank/toolbox-samenwerken/")
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_json_ld_names_only_authors_with_a_visible_profile(client, product):
    data = _json_ld(client.get(product.get_absolute_url()).content.decode())
    assert [author["name"] for author in data["author"]] == [
        "Ada de Onderzoeker",
        "Wendy Wijkwerker",
    ]


def test_a_title_cannot_close_the_json_ld_script(client):
    product = KennisproductFactory(titel="</script><script>alert(1)</script>")
    html = client.get(product.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert _json_ld(html)["name"] == product.titel


def test_a_products_file_is_its_content_url_in_json_ld(client):
    product = KennisproductFactory(
        link="", bestand=upload("rapport.pdf", pdf_bytes()), bestand_type="pdf"
    )
    data = _json_ld(client.get(product.get_absolute_url()).content.decode())
    assert data["contentUrl"].endswith(f"/kennisbank/{product.slug}/download/")
    assert data["encodingFormat"] == "application/pdf"


def test_a_concept_carries_no_json_ld_for_its_writers_preview(client, product):
    product.status = Kennisproduct.Status.CONCEPT
    product.save()
    client.force_login(make_coordinator())
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert "application/ld+json" not in response.content.decode()


def test_the_bibtex_citation_reads_back_in_a_bibtex_parser(client, product):
    response = client.get(reverse("kennisbank:citeren", args=[product.slug, "bibtex"]))
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('.bib"')
    (entry,) = bibtexparser.loads(response.content.decode()).entries
    assert entry["ENTRYTYPE"] == "techreport"
    assert entry["ID"] == "Onderzoeker2024toolbox"
    # The title's special characters come back escaped, as BibTeX wants them.
    assert entry["title"] == r"Toolbox: samenwerken in de wijk \& 100\% \{praktijk\}"
    assert entry["author"] == "Ada de Onderzoeker and Wendy Wijkwerker"
    assert entry["year"] == "2024"
    assert entry["doi"] == "10.5281/zenodo.1234567"
    assert entry["institution"] == "Werkplaats Sociaal Domein Arnhem Nijmegen"


def test_the_ris_citation_reads_back_in_a_ris_parser(client, product):
    response = client.get(reverse("kennisbank:citeren", args=[product.slug, "ris"]))
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    (record,) = rispy.loads(response.content.decode())
    assert record["type_of_reference"] == "RPRT"
    assert record["title"] == product.titel
    assert record["authors"] == ["Ada de Onderzoeker", "Wendy Wijkwerker"]
    assert record["year"] == "2024"
    assert record["date"] == "2024/05/14"
    assert record["doi"] == "10.5281/zenodo.1234567"
    assert record["keywords"] == ["Sociale cohesie"]
    assert "Verborgen" not in response.content.decode()


def test_a_citation_of_an_unknown_format_or_product_is_not_found(client, product):
    assert (
        client.get(reverse("kennisbank:citeren", args=[product.slug, "endnote"])).status_code == 404
    )
    assert (
        client.get(reverse("kennisbank:citeren", args=["bestaat-niet", "ris"])).status_code == 404
    )


def test_a_concept_cannot_be_cited_by_a_visitor(client, product):
    product.status = Kennisproduct.Status.CONCEPT
    product.save()
    assert client.get(reverse("kennisbank:citeren", args=[product.slug, "ris"])).status_code == 404
