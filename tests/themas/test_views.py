import pytest

from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory
from tests.themas.factories import ThemaFactory

pytestmark = pytest.mark.django_db


def test_a_thema_page_shows_its_introduction_activities_trekkers_and_leerateliers(client):
    atelier = LeeratelierFactory(naam="Armoede")
    merged_away = LeeratelierFactory(
        naam="Opgeheven", status="samengevoegd", samengevoegd_in=atelier
    )
    thema = ThemaFactory(
        naam="Samenwerken",
        slug="samenwerken",
        inleiding="Werelden verbinden.",
        wat_gaan_we_doen="Kennis ophalen\n\nTools ontwikkelen\n",
        leerateliers=[atelier, merged_away],
    )
    thema.thematrekkers.add(PersoonFactory(naam="Thea Thematrekker"))

    response = client.get("/themas/samenwerken/")

    content = response.content.decode()
    assert thema.activiteiten == ["Kennis ophalen", "Tools ontwikkelen"]
    assert "<li>Kennis ophalen</li>" in content
    assert "Thea Thematrekker" in content
    assert "Armoede" in content
    assert "Opgeheven" not in content


def test_the_home_page_lists_leerateliers_and_themas(client):
    LeeratelierFactory(naam="Armoede")
    ThemaFactory(naam="Sociale Technologie")
    content = client.get("/").content.decode()
    assert "Armoede" in content
    assert "Sociale Technologie" in content
