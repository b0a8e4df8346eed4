"""The geleerde lessen of a published verslag become a concept kennisproduct in one step
(issue 22, point 4), keeping the bijeenkomst it came from; once per verslag."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import services as bijeenkomst_services
from kennisbank.models import Kennisproduct
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def verslag():
    start = timezone.now() - timedelta(days=3)
    bijeenkomst = BijeenkomstFactory(slug="terugblik", start=start, eind=start + timedelta(hours=2))
    bijeenkomst.leerateliers.add(LeeratelierFactory(naam="Armoede"))
    return bijeenkomst_services.save_verslag(
        bijeenkomst=bijeenkomst,
        door=make_coordinator(),
        geleerde_lessen="Vraag eerst wat de bewoner wil.",
        publiceren=True,
    )


def _post(client):
    return client.post(reverse("kennisbank:uit-verslag", args=["terugblik"]))


def test_a_trekker_turns_the_lessons_into_a_concept_product_linked_to_the_bijeenkomst(
    client, verslag
):
    trekker = PersoonFactory()
    verslag.bijeenkomst.leerateliers.get().trekkers.add(trekker)
    client.force_login(trekker)
    response = _post(client)
    product = Kennisproduct.objects.get()
    assert response.url == reverse("kennisbank:bewerken", args=[product.slug])
    assert product.status == Kennisproduct.Status.CONCEPT
    assert product.bijeenkomst == verslag.bijeenkomst
    assert "Vraag eerst" in product.tekst
    assert list(product.leerateliers.all()) == list(verslag.bijeenkomst.leerateliers.all())


def test_the_lessons_become_a_product_once(client, verslag):
    client.force_login(make_coordinator())
    _post(client)
    response = _post(client)
    assert response.status_code == 302
    assert Kennisproduct.objects.count() == 1


def test_a_draft_verslag_becomes_no_product(client, verslag):
    bijeenkomst_services.save_verslag(
        bijeenkomst=verslag.bijeenkomst, door=make_coordinator(), geleerde_lessen="x"
    )
    client.force_login(make_coordinator())
    _post(client)
    assert not Kennisproduct.objects.exists()


def test_someone_who_may_not_write_the_verslag_gets_403_and_no_product(client, verslag):
    client.force_login(PersoonFactory())
    assert _post(client).status_code == 403
    assert not Kennisproduct.objects.exists()
