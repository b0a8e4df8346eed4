"""What a trekker is told about for whom someone asks for the arena: an organisatie only
once the person's membership of it is confirmed; until then their own title, with the
unconfirmed claim named as such (DESIGN: roles; issue 12, finding 4's leftover)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerateliers import services, tokens
from netwerk.models import OutboxMessage
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory

pytestmark = pytest.mark.django_db

NAMENS = "Namens Buurtwerk."
NIET_BEVESTIGD = "Op eigen titel: het lidmaatschap van Buurtwerk is niet bevestigd."
EIGEN_TITEL = "Op eigen titel."


@pytest.fixture
def trekker():
    return PersoonFactory(naam="Tess Trekker")


@pytest.fixture
def atelier(trekker):
    return LeeratelierFactory(naam="Armoede", slug="armoede", trekkers=[trekker])


@pytest.fixture
def buurtwerk():
    return OrganisatieFactory(naam="Buurtwerk")


def aanvrager(organisatie, lidmaatschap="bevestigd", n=1):
    return PersoonFactory(
        naam=f"Anna Aanvrager {n}", organisatie=organisatie, lidmaatschap=lidmaatschap
    )


CASES = [
    pytest.param("bevestigd", NAMENS, id="confirmed"),
    pytest.param("aangevraagd", NIET_BEVESTIGD, id="waiting"),
    pytest.param("afgewezen", NIET_BEVESTIGD, id="declined"),
]


@pytest.mark.parametrize(("lidmaatschap", "expected"), CASES)
def test_the_request_mail_names_the_organisatie_only_when_confirmed(
    atelier, buurtwerk, lidmaatschap, expected
):
    persoon = aanvrager(buurtwerk, lidmaatschap)
    services.join_leeratelier(persoon=persoon, leeratelier=atelier, rol="arena")

    message = OutboxMessage.objects.get(key__startswith="leerateliers:arena-aanvraag:")
    for body in (message.body_text, message.body_html):
        assert expected in body
        if expected != NAMENS:
            assert NAMENS not in body


def test_the_request_mail_of_someone_without_organisatie_says_own_title(atelier):
    services.join_leeratelier(persoon=PersoonFactory(), leeratelier=atelier, rol="arena")

    message = OutboxMessage.objects.get(key__startswith="leerateliers:arena-aanvraag:")
    assert EIGEN_TITEL in message.body_text
    assert "Buurtwerk" not in message.body_text


@pytest.mark.parametrize(("lidmaatschap", "expected"), CASES)
def test_the_decision_page_names_the_organisatie_only_when_confirmed(
    client, atelier, trekker, buurtwerk, lidmaatschap, expected
):
    deelname = services.join_leeratelier(
        persoon=aanvrager(buurtwerk, lidmaatschap), leeratelier=atelier, rol="arena"
    )
    client.force_login(trekker)

    response = client.get(
        reverse("leerateliers:besluit", args=[tokens.make_decision_token(deelname)])
    )

    assert expected in response.text
    if expected != NAMENS:
        assert NAMENS not in response.text


@pytest.mark.parametrize(("lidmaatschap", "expected"), CASES)
def test_the_trekkers_list_of_requests_names_the_organisatie_only_when_confirmed(
    client, atelier, trekker, buurtwerk, lidmaatschap, expected
):
    services.join_leeratelier(
        persoon=aanvrager(buurtwerk, lidmaatschap), leeratelier=atelier, rol="arena"
    )
    client.force_login(trekker)

    section = (
        client.get(reverse("netwerk:mijn")).text.split('id="aanvragen"')[1].split("</section>")[0]
    )

    assert expected in section
    if expected != NAMENS:
        assert NAMENS not in section


def test_the_trekkers_list_asks_the_same_number_of_queries_for_more_requests(
    client, atelier, trekker, buurtwerk
):
    client.force_login(trekker)
    client.get(reverse("netwerk:mijn"))  # fills the page's shared parts in the cache
    # Each count is of the page made anew: the requests it shows changed since it was kept.
    services.join_leeratelier(persoon=aanvrager(buurtwerk, n=1), leeratelier=atelier, rol="arena")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("netwerk:mijn"))
    for n, lidmaatschap in [(2, "aangevraagd"), (3, "bevestigd"), (4, "afgewezen")]:
        persoon = aanvrager(OrganisatieFactory(naam=f"Org {n}"), lidmaatschap, n=n)
        services.join_leeratelier(persoon=persoon, leeratelier=atelier, rol="arena")

    with CaptureQueriesContext(connection) as four:
        response = client.get(reverse("netwerk:mijn"))

    assert response.text.count('class="namens"') == 4
    assert len(four) == len(one)
