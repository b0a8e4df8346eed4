"""Writing, publishing and withdrawing kennisproducten: who may, and what is kept."""

import pytest

from kennisbank import services
from kennisbank.models import Kennisproduct
from kennisbank.services import KennisproductError, ProductInvoer
from tests.kennisbank.factories import KennisproductFactory, pdf_bytes, upload
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator
from tests.themas.factories import ThemaFactory
from werkplaats.bestanden import BestandGeweigerd

pytestmark = pytest.mark.django_db


@pytest.fixture
def trekker():
    return PersoonFactory(naam="Tess Trekker", email="tess@example.org")


@pytest.fixture
def atelier(trekker):
    return LeeratelierFactory(naam="Armoede", slug="armoede", trekkers=[trekker])


def invoer(**fields) -> ProductInvoer:
    return ProductInvoer(
        **{
            "titel": "Energiearmoede in de wijk",
            "soort": Kennisproduct.Soort.ONDERZOEKSRAPPORT,
            "samenvatting": "Een literatuurstudie.",
            "jaar": 2024,
            **fields,
        }
    )


def test_a_trekker_writes_a_concept_with_a_checked_pdf_and_its_text(trekker, atelier):
    product = services.save_product(
        door=trekker,
        invoer=invoer(leerateliers=[atelier], ik_ben_auteur=True),
        bestand=upload("studie.pdf", pdf_bytes("Energiearmoede raakt een op de tien")),
    )
    assert product.status == Kennisproduct.Status.CONCEPT
    assert product.bestand_type == "pdf"
    assert "een op de tien" in product.bestand_tekst
    assert product.bestand.name.startswith("producten/")
    assert "studie" not in product.bestand.name
    assert list(product.auteurs.all()) == [trekker]


def test_a_refused_file_stores_nothing(trekker, atelier, settings):
    with pytest.raises(BestandGeweigerd):
        services.save_product(
            door=trekker,
            invoer=invoer(leerateliers=[atelier]),
            bestand=upload("studie.pdf", pdf_bytes(javascript="app.alert(1)")),
        )
    assert not Kennisproduct.objects.exists()
    bestanden = settings.STORAGES["kennisbank"]["OPTIONS"]["location"]
    assert not bestanden.exists() or not any(bestanden.rglob("*.pdf"))


def test_a_product_has_a_file_or_a_link_never_neither(trekker, atelier):
    with pytest.raises(KennisproductError, match="bestand toe of geef een link"):
        services.save_product(door=trekker, invoer=invoer(leerateliers=[atelier]))


def test_a_writer_must_keep_an_atelier_or_thema_they_lead(trekker, atelier):
    ander = LeeratelierFactory(naam="Jeugd", slug="jeugd")
    with pytest.raises(KennisproductError, match="dat jij trekt"):
        services.save_product(
            door=trekker,
            invoer=invoer(leerateliers=[ander], link="https://example.org/studie"),
        )
    assert not Kennisproduct.objects.exists()


def test_a_link_replaces_the_file_and_the_file_is_deleted_after_commit(
    trekker, atelier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product = services.save_product(
            door=trekker,
            invoer=invoer(leerateliers=[atelier]),
            bestand=upload("studie.pdf", pdf_bytes()),
        )
    storage, naam = product.bestand.storage, product.bestand.name
    assert storage.exists(naam)
    with django_capture_on_commit_callbacks(execute=True):
        product = services.save_product(
            door=trekker,
            product=product,
            invoer=invoer(leerateliers=[atelier], link="https://example.org/studie"),
        )
    assert not product.bestand
    assert product.bestand_tekst == ""
    assert not storage.exists(naam)


def test_publishing_twice_keeps_the_first_moment(trekker, atelier):
    product = KennisproductFactory(
        leerateliers=[atelier], status=Kennisproduct.Status.CONCEPT, gepubliceerd_op=None
    )
    first = services.publish_product(product=product, door=trekker)
    again = services.publish_product(product=product, door=trekker)
    assert first.gepubliceerd_op == again.gepubliceerd_op is not None


def test_the_trekker_of_another_atelier_may_not_publish(atelier):
    buitenstaander = PersoonFactory(email="bas@example.org")
    LeeratelierFactory(naam="Jeugd", slug="jeugd", trekkers=[buitenstaander])
    product = KennisproductFactory(
        leerateliers=[atelier], status=Kennisproduct.Status.CONCEPT, gepubliceerd_op=None
    )
    with pytest.raises(KennisproductError):
        services.publish_product(product=product, door=buitenstaander)
    product.refresh_from_db()
    assert product.status == Kennisproduct.Status.CONCEPT


def test_a_thematrekker_and_a_coordinator_may_publish_and_withdraw():
    thematrekker = PersoonFactory(email="thijs@example.org")
    thema = ThemaFactory(naam="Inclusie", slug="inclusie", thematrekkers=[thematrekker])
    product = KennisproductFactory(
        themas=[thema], status=Kennisproduct.Status.CONCEPT, gepubliceerd_op=None
    )
    assert services.publish_product(product=product, door=thematrekker).is_gepubliceerd
    coordinator = make_coordinator(email="coby@example.org")
    withdrawn = services.withdraw_product(product=product, door=coordinator)
    assert withdrawn.status == Kennisproduct.Status.INGETROKKEN


@pytest.mark.parametrize(("titel", "slug"), [("Nieuw", "nieuw-2"), ("Feed", "feed-2")])
def test_a_product_never_takes_the_slug_of_a_page_beside_it(trekker, atelier, titel, slug):
    product = services.save_product(
        door=trekker, invoer=invoer(titel=titel, leerateliers=[atelier], link="https://x.nl")
    )
    assert product.slug == slug
