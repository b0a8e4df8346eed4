import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerateliers import services, tokens
from leerateliers.models import Deelname, Leeratelier, Voorwaarde
from netwerk.models import OutboxMessage
from tests.leerateliers.factories import (
    DeelnameFactory,
    LeeratelierFactory,
    LerendePraktijkFactory,
)
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory, make_coordinator
from tests.roles import as_role, log_in_to_beheer
from tests.themas.factories import ThemaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wereld():
    """An atelier with a trekker and a pending arena request, another atelier and trekker."""
    trekker = PersoonFactory(naam="Tess Trekker")
    atelier = LeeratelierFactory(naam="Armoede", slug="armoede", trekkers=[trekker])
    andere_trekker = PersoonFactory(naam="Otto Ander")
    ander_atelier = LeeratelierFactory(naam="JIP", slug="jip", trekkers=[andere_trekker])
    aanvrager = PersoonFactory(naam="Anna Aanvrager", profiel_zichtbaar=False)
    deelname = services.join_leeratelier(persoon=aanvrager, leeratelier=atelier, rol="arena")
    return {
        "anonymous": None,
        "partner": PersoonFactory(naam="Pim Partner"),
        "trekker of another atelier": andere_trekker,
        "trekker of this atelier": trekker,
        "coordinator": make_coordinator(naam="Coby Coördinator"),
        "atelier": atelier,
        "ander_atelier": ander_atelier,
        "aanvrager": aanvrager,
        "deelname": deelname,
    }


def queued_to(key_prefix):
    return list(
        OutboxMessage.objects.filter(key__startswith=key_prefix)
        .order_by("pk")
        .values_list("to", flat=True)
    )


def assert_refused(response, actor):
    """Anonymous callers are sent to log in; everyone else without the right gets a 403."""
    if actor == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == 403


def snapshot(wereld):
    deelname = Deelname.objects.get(pk=wereld["deelname"].pk)
    return (
        deelname.rol,
        deelname.status,
        deelname.arena_aangevraagd_op,
        list(Leeratelier.objects.order_by("pk").values_list("status", "samengevoegd_in")),
        OutboxMessage.objects.count(),
    )


DECIDE_FORBIDDEN = ["anonymous", "partner", "trekker of another atelier"]
DECIDE_ALLOWED = ["trekker of this atelier", "coordinator"]


@pytest.mark.parametrize("url_name", ["deelname-goedkeuren", "deelname-afwijzen"])
@pytest.mark.parametrize("actor", DECIDE_FORBIDDEN)
def test_only_trekkers_of_the_atelier_and_coordinators_decide_arena_requests(
    client, wereld, actor, url_name
):
    before = snapshot(wereld)
    response = as_role(client, wereld, actor).post(
        reverse(f"leerateliers:{url_name}", args=[wereld["deelname"].pk])
    )
    assert_refused(response, actor)
    assert snapshot(wereld) == before


@pytest.mark.parametrize(
    ("url_name", "rol", "status"),
    [("deelname-goedkeuren", "arena", "actief"), ("deelname-afwijzen", "arena", "afgewezen")],
)
@pytest.mark.parametrize("actor", DECIDE_ALLOWED)
def test_a_trekker_of_the_atelier_or_a_coordinator_decides(
    client, wereld, actor, url_name, rol, status
):
    response = as_role(client, wereld, actor).post(
        reverse(f"leerateliers:{url_name}", args=[wereld["deelname"].pk])
    )
    assert response.status_code == 302
    deelname = Deelname.objects.get(pk=wereld["deelname"].pk)
    assert (deelname.rol, deelname.status) == (rol, status)
    assert deelname.besloten_door == wereld[actor]
    assert queued_to("leerateliers:arena-besluit:") == [wereld["aanvrager"].email]


@pytest.mark.parametrize(
    "actor", ["anonymous", "partner", "trekker of another atelier", "trekker of this atelier"]
)
def test_only_a_coordinator_merges(client, wereld, actor):
    before = snapshot(wereld)
    response = as_role(client, wereld, actor).post(
        reverse("leerateliers:samenvoegen", args=["armoede"]), {"doel": "jip"}
    )
    assert_refused(response, actor)
    assert snapshot(wereld) == before


def test_a_coordinator_merges_and_the_old_page_redirects_permanently(client, wereld):
    client.force_login(wereld["coordinator"])
    response = client.post(reverse("leerateliers:samenvoegen", args=["armoede"]), {"doel": "jip"})
    assert response.status_code == 302
    assert response.url == "/leerateliers/jip/"

    response = client.get("/leerateliers/armoede/")
    assert response.status_code == 301
    assert response.url == "/leerateliers/jip/"
    assert Deelname.objects.get(pk=wereld["deelname"].pk).leeratelier.slug == "jip"


@pytest.mark.parametrize(
    "actor", ["anonymous", "partner", "trekker of another atelier", "trekker of this atelier"]
)
def test_a_hidden_profile_does_not_exist_for_others(client, wereld, actor):
    response = as_role(client, wereld, actor).get(
        reverse("netwerk:persoon", args=[wereld["aanvrager"].pk])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("actor", ["coordinator", "aanvrager"])
def test_a_hidden_profile_is_seen_by_a_coordinator_and_its_owner(client, wereld, actor):
    client.force_login(wereld[actor])
    response = client.get(reverse("netwerk:persoon", args=[wereld["aanvrager"].pk]))
    assert response.status_code == 200
    assert "Anna Aanvrager" in response.content.decode()


def test_someone_elses_deelname_cannot_be_switched_or_ended(client, wereld):
    before = snapshot(wereld)
    client.force_login(wereld["partner"])
    pk = wereld["deelname"].pk
    assert client.post(reverse("leerateliers:deelname-beeindigen", args=[pk])).status_code == 404
    response = client.post(reverse("leerateliers:deelname-wisselen", args=[pk]), {"rol": "tribune"})
    assert response.status_code == 404
    assert snapshot(wereld) == before


def test_state_changes_are_post_only(client, wereld):
    client.force_login(wereld["trekker of this atelier"])
    url = reverse("leerateliers:deelname-goedkeuren", args=[wereld["deelname"].pk])
    assert client.get(url).status_code == 405


# Bad input


@pytest.mark.parametrize(
    "url", ["/leerateliers/bestaat-niet/", "/themas/bestaat-niet/", "/netwerk/bestaat-niet/"]
)
def test_unknown_slugs_are_404(client, url):
    assert client.get(url).status_code == 404


def test_a_double_submit_does_not_create_two_requests(client, wereld):
    client.force_login(wereld["partner"])
    url = reverse("leerateliers:deelnemen", args=["armoede"])
    client.post(url, {"rol": "arena"})
    client.post(url, {"rol": "arena"})
    assert Deelname.objects.filter(persoon=wereld["partner"]).count() == 1
    assert queued_to("leerateliers:arena-aanvraag:") == [
        wereld["trekker of this atelier"].email,  # the first request, from the fixture
        wereld["trekker of this atelier"].email,  # the partner's, once
    ]


def decision_url(deelname):
    return reverse("leerateliers:besluit", args=[tokens.make_decision_token(deelname)])


def test_the_decision_link_shows_the_request_with_approve_and_decline(client, wereld):
    client.force_login(wereld["trekker of this atelier"])
    response = client.get(decision_url(wereld["deelname"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Anna Aanvrager" in content
    assert reverse("leerateliers:deelname-goedkeuren", args=[wereld["deelname"].pk]) in content


def test_a_tampered_decision_link_is_refused_with_a_clear_message(client, wereld):
    client.force_login(wereld["trekker of this atelier"])
    url = decision_url(wereld["deelname"])
    response = client.get(url[:-3] + "xyz/")
    assert response.status_code == 400
    assert "Deze link is ongeldig" in response.content.decode()


def test_an_expired_decision_link_is_refused_with_a_clear_message(client, wereld, monkeypatch):
    client.force_login(wereld["trekker of this atelier"])
    url = decision_url(wereld["deelname"])
    monkeypatch.setattr(tokens, "DECISION_LINK_MAX_AGE", tokens.timedelta(seconds=-1))
    response = client.get(url)
    assert response.status_code == 400
    assert "Deze link is verlopen" in response.content.decode()


def test_a_decision_link_for_a_decided_request_says_so(client, wereld):
    url = decision_url(wereld["deelname"])
    services.approve_arena(deelname=wereld["deelname"], door=wereld["trekker of this atelier"])
    client.force_login(wereld["trekker of this atelier"])
    response = client.get(url)
    assert "Over deze aanvraag is al besloten" in response.content.decode()


def test_the_decision_link_of_another_atelier_is_forbidden(client, wereld):
    client.force_login(wereld["trekker of another atelier"])
    assert client.get(decision_url(wereld["deelname"])).status_code == 403


def test_the_decision_link_asks_an_anonymous_visitor_to_log_in(client, wereld):
    response = client.get(decision_url(wereld["deelname"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# Pages


def test_the_atelier_page_shows_organisaties_per_rol_praktijken_and_themas(client):
    atelier = LeeratelierFactory(slug="armoede")
    DeelnameFactory(leeratelier=atelier, rol="arena", organisatie__naam="Arena Org")
    DeelnameFactory(leeratelier=atelier, rol="tribune", organisatie__naam="Tribune Org")
    DeelnameFactory(leeratelier=atelier, rol="tribune", organisatie=None)
    LerendePraktijkFactory(leeratelier=atelier, titel="Schuldhulp in de wijk")
    ThemaFactory(naam="Samenwerken", leerateliers=[atelier])

    content = client.get("/leerateliers/armoede/").content.decode()

    arena, tribune = content.split('id="arena-titel"')[1].split('id="tribune-titel"')
    assert "Arena Org" in arena
    assert "Tribune Org" in tribune.split("Lerende praktijken")[0]
    assert "1 persoon op eigen titel" in tribune
    assert "Schuldhulp in de wijk" in content
    assert "Samenwerken" in content


def test_the_list_filters_by_voorwaarde_thema_and_status(client):
    voorwaarde = Voorwaarde.objects.get(slug="sociale-cohesie")
    met = LeeratelierFactory(naam="Met voorwaarde")
    met.voorwaarden.add(voorwaarde)
    LeeratelierFactory(naam="Zonder")
    ThemaFactory(slug="samenwerken", leerateliers=[met])
    LeeratelierFactory(naam="Afgelopen", status="beeindigd")

    def names(query):
        response = client.get("/leerateliers/" + query)
        return {atelier.naam for atelier in response.context["object_list"]}

    assert names("?voorwaarde=sociale-cohesie") == {"Met voorwaarde"}
    assert names("?thema=samenwerken") == {"Met voorwaarde"}
    assert names("?status=beeindigd") == {"Afgelopen"}


def make_list_rows(count):
    voorwaarden = list(Voorwaarde.objects.all())
    trekker = PersoonFactory()
    organisatie = OrganisatieFactory()
    for index in range(count):
        atelier = LeeratelierFactory(trekkers=[trekker])
        atelier.voorwaarden.add(*voorwaarden[: 1 + index % 4])
        DeelnameFactory(leeratelier=atelier, rol="arena", organisatie=organisatie)
        DeelnameFactory(leeratelier=atelier, rol="tribune", organisatie=organisatie)
        thema = ThemaFactory(leerateliers=[atelier])
        thema.thematrekkers.add(trekker)
        other = OrganisatieFactory(plaats=f"Plaats {index}")
        other.domeinen.set([1 + index % 8])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/", "/leerateliers/", "/themas/", "/netwerk/"])
def test_list_pages_issue_the_same_number_of_queries_for_5_and_50_rows(client, settings, url):
    # What rendering costs, so not the visitor cache (the factories pass no service).
    settings.VISITOR_CACHE = False
    client.force_login(PersoonFactory())
    make_list_rows(5)
    few = count_queries(client, url)
    make_list_rows(45)
    many = count_queries(client, url)
    assert few == many
    assert many <= 15


def test_the_detail_page_is_not_n_plus_one(client, django_assert_max_num_queries):
    atelier = LeeratelierFactory(slug="armoede")
    for _ in range(30):
        DeelnameFactory(leeratelier=atelier, rol="arena")
        praktijk = LerendePraktijkFactory(leeratelier=atelier)
        praktijk.partners.add(OrganisatieFactory())
    client.force_login(PersoonFactory())
    with django_assert_max_num_queries(20):
        client.get("/leerateliers/armoede/")


def test_the_owner_switches_and_leaves_with_one_click(client):
    deelname = DeelnameFactory(rol="arena")
    client.force_login(deelname.persoon)

    client.post(reverse("leerateliers:deelname-wisselen", args=[deelname.pk]), {"rol": "tribune"})
    deelname.refresh_from_db()
    assert deelname.rol == "tribune"

    client.post(reverse("leerateliers:deelname-beeindigen", args=[deelname.pk]))
    deelname.refresh_from_db()
    assert deelname.status == "beeindigd"


def test_an_action_never_redirects_to_another_site(client):
    atelier = LeeratelierFactory(slug="armoede")
    client.force_login(PersoonFactory())
    response = client.post(
        reverse("leerateliers:deelnemen", args=["armoede"]),
        {"rol": "tribune", "next": "https://elders.example.net/"},
    )
    assert response.url == atelier.get_absolute_url()


def test_a_proposed_organisatie_is_not_named_on_the_atelier_page(client):
    atelier = LeeratelierFactory(slug="armoede")
    DeelnameFactory(
        leeratelier=atelier,
        organisatie__naam="Nog Niet Goedgekeurd",
        organisatie__status="voorgesteld",
    )
    content = client.get("/leerateliers/armoede/").content.decode()
    assert "Nog Niet Goedgekeurd" not in content
    assert "1 persoon op eigen titel" in content


def test_after_a_merge_the_themas_still_cross_the_merged_work(client):
    bron = LeeratelierFactory(slug="oud")
    doel = LeeratelierFactory(slug="nieuw", naam="Nieuw atelier")
    ThemaFactory(naam="Samenwerken", slug="samenwerken", leerateliers=[bron])

    services.merge_leeratelier(bron=bron, doel=doel)

    assert "Samenwerken" in client.get("/leerateliers/nieuw/").content.decode()
    assert "Nieuw atelier" in client.get("/themas/samenwerken/").content.decode()
    response = client.get("/leerateliers/?thema=samenwerken")
    assert [atelier.slug for atelier in response.context["object_list"]] == ["nieuw"]


def test_an_ended_atelier_takes_no_new_requests_but_lets_people_leave(client):
    atelier = LeeratelierFactory(slug="armoede", status="beeindigd")
    deelname = DeelnameFactory(leeratelier=atelier, rol="tribune")
    client.force_login(deelname.persoon)

    client.post(reverse("leerateliers:deelname-wisselen", args=[deelname.pk]), {"rol": "arena"})
    deelname.refresh_from_db()
    assert not deelname.wacht_op_arena

    client.post(reverse("leerateliers:deelname-beeindigen", args=[deelname.pk]))
    deelname.refresh_from_db()
    assert deelname.status == "beeindigd"


@pytest.mark.parametrize(
    "url",
    [
        "/beheer/leerateliers/leeratelier/",
        "/beheer/leerateliers/leeratelier/add/",
        "/beheer/leerateliers/deelname/",
        "/beheer/leerateliers/lerendepraktijk/",
        "/beheer/netwerk/organisatie/",
        "/beheer/netwerk/organisatie/add/",
        "/beheer/themas/thema/",
        "/beheer/themas/thema/add/",
        "/beheer/netwerk/persoon/",
    ],
)
def test_a_coordinator_manages_it_all_in_the_admin(client, url):
    LeeratelierFactory()
    DeelnameFactory()
    log_in_to_beheer(client, make_coordinator(is_staff=True))
    assert client.get(url).status_code == 200


def test_the_admin_approves_a_proposed_organisatie(client):
    organisatie = OrganisatieFactory(status="voorgesteld")
    log_in_to_beheer(client, make_coordinator(is_staff=True))
    client.post(
        "/beheer/netwerk/organisatie/",
        {"action": "approve", "_selected_action": [organisatie.pk]},
    )
    organisatie.refresh_from_db()
    assert organisatie.status == "goedgekeurd"


def test_the_counts_on_the_list_stay_right_when_filtered(client):
    atelier = LeeratelierFactory()
    atelier.voorwaarden.add(*Voorwaarde.objects.all())
    ThemaFactory(slug="samenwerken", leerateliers=[atelier])
    DeelnameFactory(leeratelier=atelier, rol="arena")
    DeelnameFactory(leeratelier=atelier, rol="tribune")
    DeelnameFactory(leeratelier=atelier, rol="tribune")
    DeelnameFactory(leeratelier=atelier, rol="tribune", status="beeindigd")

    for query in ["", "?voorwaarde=sociale-cohesie", "?thema=samenwerken&status=actief"]:
        [shown] = client.get("/leerateliers/" + query).context["object_list"]
        assert (shown.aantal_arena, shown.aantal_tribune) == (1, 2)


def test_a_beheerder_edits_a_persons_profile_fields_in_the_admin(client):
    persoon = PersoonFactory()
    log_in_to_beheer(client, PersoonFactory(is_staff=True, is_superuser=True))
    content = client.get(f"/beheer/netwerk/persoon/{persoon.pk}/change/").content.decode()
    for field in ["organisatie", "functie", "bio", "profiel_zichtbaar"]:
        assert f'name="{field}"' in content
