"""An integer no column can hold matches no row, on PostgreSQL and on SQLite alike
(werkplaats.db_functions.IntegerFieldIn)."""

import pytest
from django.urls import reverse

from nieuwsbrief.models import Aanmeldverzoek
from tests.leerateliers.factories import LeeratelierFactory
from tests.themas.factories import ThemaFactory
from themas.models import Thema

pytestmark = pytest.mark.django_db

TOO_LARGE = 99_999_999_999_999_999_999


def test_a_list_of_ids_with_one_too_large_finds_the_others_and_raises_nothing():
    thema = ThemaFactory()

    assert list(Thema.objects.filter(pk__in=[TOO_LARGE, -TOO_LARGE])) == []
    assert list(Thema.objects.filter(pk__in=[TOO_LARGE, thema.pk])) == [thema]
    assert list(Thema.objects.filter(pk__in=[str(TOO_LARGE)])) == []


@pytest.mark.parametrize("field", ["leerateliers", "themas"])
def test_subscribing_with_an_id_too_large_is_refused_in_dutch(client, field):
    # The embedded default (SQLite) answered this with a 500 (OverflowError).
    LeeratelierFactory()

    response = client.post(
        reverse("nieuwsbrief:aanmelden"),
        {"email": "ida.inschrijver@example.org", "naam": "Ida", field: str(TOO_LARGE)},
    )

    assert response.status_code == 400
    assert "geen beschikbare keuze" in response.content.decode()
    assert not Aanmeldverzoek.objects.exists()
