"""A harvester gets every published product over OAI-PMH 2.0, harvested here with Sickle
(a client from PyPI, over HTTP against the live server), not with a parser of our own."""

import pytest
from django.urls import reverse
from sickle import Sickle
from sickle.oaiexceptions import BadArgument, CannotDisseminateFormat, IdDoesNotExist

from kennisbank import oai
from kennisbank.models import Kennisproduct
from tests.kennisbank.factories import KennisproductFactory
from tests.leerateliers.factories import LeeratelierFactory

OAI_ERROR = ".//{http://www.openarchives.org/OAI/2.0/}error"


@pytest.fixture
def harvester(live_server, settings):
    settings.SITE_URL = live_server.url
    return Sickle(live_server.url + reverse("kennisbank:oai"), max_retries=0)


@pytest.mark.django_db(transaction=True)
def test_a_harvester_gets_every_published_product_in_dublin_core_page_by_page(
    harvester, monkeypatch
):
    monkeypatch.setattr(oai, "PAGE_SIZE", 7)
    atelier = LeeratelierFactory(naam="Armoede", slug="armoede")
    for index in range(19):
        KennisproductFactory(titel=f"Product {index}")
    toolbox = KennisproductFactory(
        titel="Toolbox voor samenwerken in de wijk",
        overige_auteurs="Wendy Wijkwerker",
        identifier="10.1234/toolbox",
        leerateliers=[atelier],
    )
    KennisproductFactory(titel="Concept", status=Kennisproduct.Status.CONCEPT, gepubliceerd_op=None)
    ingetrokken = KennisproductFactory(titel="Ingetrokken")
    Kennisproduct.objects.filter(pk=ingetrokken.pk).update(status=Kennisproduct.Status.INGETROKKEN)

    identify = harvester.Identify()
    assert (identify.protocolVersion, identify.deletedRecord) == ("2.0", "transient")

    records = list(harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True))
    titels = sorted(record.metadata["title"][0] for record in records)
    assert titels == sorted([*(f"Product {index}" for index in range(19)), toolbox.titel])

    record = harvester.GetRecord(identifier=oai.identifier_of(toolbox), metadataPrefix="oai_dc")
    assert record.metadata["creator"] == ["Wendy Wijkwerker"]
    assert "https://doi.org/10.1234/toolbox" in record.metadata["identifier"]
    assert record.metadata["rights"] == ["CC BY 4.0"]

    assert "leeratelier:armoede" in {item.setSpec for item in harvester.ListSets()}
    [header] = harvester.ListIdentifiers(metadataPrefix="oai_dc", set="leeratelier:armoede")
    assert header.identifier == oai.identifier_of(toolbox)

    deleted = [
        header
        for header in harvester.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False)
        if header.deleted
    ]
    assert [header.identifier for header in deleted] == [oai.identifier_of(ingetrokken)]


@pytest.mark.django_db(transaction=True)
def test_protocol_errors_are_reported_as_the_protocol_names_them(harvester):
    product = KennisproductFactory()
    assert harvester.harvest(verb="Ontbijt").xml.find(OAI_ERROR).get("code") == "badVerb"
    with pytest.raises(CannotDisseminateFormat):
        harvester.GetRecord(identifier=oai.identifier_of(product), metadataPrefix="marc21")
    with pytest.raises(IdDoesNotExist):
        harvester.GetRecord(identifier="oai:elders:kennisproduct:1", metadataPrefix="oai_dc")
    with pytest.raises(BadArgument):
        list(harvester.ListRecords(metadataPrefix="oai_dc", **{"from": "gisteren"}))


@pytest.mark.django_db
def test_a_forged_resumption_token_is_refused(client):
    KennisproductFactory()
    response = client.get(
        reverse("kennisbank:oai"), {"verb": "ListRecords", "resumptionToken": "x"}
    )
    assert 'code="badResumptionToken"' in response.content.decode()


@pytest.mark.django_db
def test_every_page_says_the_list_size_and_how_far_the_harvest_is_counted_once(client, monkeypatch):
    """completeListSize and cursor (OAI-PMH 2.0, 3.5): counted on the first page, carried
    in the signed token, so a harvest of 10,000 records does not count them 100 times."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(oai, "PAGE_SIZE", 3)
    for index in range(7):
        KennisproductFactory(titel=f"Product {index}")
    url = reverse("kennisbank:oai")
    first = client.get(url, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    token = re.search(rb'completeListSize="7" cursor="0">([^<]+)<', first.content).group(1)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url, {"verb": "ListIdentifiers", "resumptionToken": token.decode()})
    assert not [query for query in queries if "COUNT(" in query["sql"]]
    assert b'completeListSize="7" cursor="3"' in second.content
