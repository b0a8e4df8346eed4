import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse

from leerateliers import services as leeratelier_services
from netwerk import services
from netwerk.models import Domein, Organisatie, Persoon
from tests.leerateliers.factories import DeelnameFactory, LeeratelierFactory
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory

pytestmark = pytest.mark.django_db


def sign_up(client, **extra):
    return client.post(
        reverse("account_signup"),
        {
            "naam": "Nina Nieuw",
            "email": "nina@example.org",
            "password1": "Een-lang-wachtwoord-9",
            "password2": "Een-lang-wachtwoord-9",
            **extra,
        },
    )


def test_signing_up_finds_the_organisatie_by_its_name(client):
    organisatie = OrganisatieFactory(naam="Buurtwerk Arnhem")
    OrganisatieFactory(naam="Buurtwerk Nijmegen")
    response = sign_up(client, organisatie_zoek="buurtwerk  arnhem")
    assert response.status_code == 302
    assert Persoon.objects.get(email="nina@example.org").organisatie == organisatie


def test_a_part_of_the_name_that_fits_one_organisatie_is_enough(client):
    organisatie = OrganisatieFactory(naam="Stichting Buurtkracht", plaats="Elst")
    OrganisatieFactory(naam="Wijkteam Oost")
    sign_up(client, organisatie_zoek="buurtkracht elst")
    assert Persoon.objects.get(email="nina@example.org").organisatie == organisatie


def test_when_several_fit_the_form_asks_which_one_without_javascript(client):
    OrganisatieFactory(naam="Gemeente Arnhem", plaats="Arnhem")
    nijmegen = OrganisatieFactory(naam="Gemeente Nijmegen", plaats="Nijmegen")
    OrganisatieFactory(naam="Wijkteam Oost")

    response = sign_up(client, organisatie_zoek="gemeente")

    assert response.status_code == 200
    assert not Persoon.objects.filter(email="nina@example.org").exists()
    html = response.content.decode()
    # The error is announced with the field it belongs to, and the matches follow as a
    # labelled group of radio buttons.
    assert re.search(r'id="id_organisatie_zoek"[^>]*aria-invalid="true"', html) or re.search(
        r'aria-invalid="true"[^>]*id="id_organisatie_zoek"', html
    )
    assert 'aria-describedby="id_organisatie_zoek_helptext id_organisatie_zoek_error"' in html
    assert "2 organisaties passen bij ‘gemeente’" in unescape(html)
    assert "<legend>Welke organisatie bedoel je?</legend>" in html
    assert html.count('type="radio" name="organisatie"') == 2
    assert "Wijkteam Oost" not in html

    response = sign_up(client, organisatie_zoek="gemeente", organisatie=nijmegen.pk)

    assert response.status_code == 302
    assert Persoon.objects.get(email="nina@example.org").organisatie == nijmegen


def test_a_nul_byte_in_the_organisatie_search_is_a_form_error_not_a_server_error(client):
    # Found by tests/test_fuzz_forms.py: the search ran before the field refused the NUL byte,
    # and PostgreSQL refuses NUL in text (a 500).
    OrganisatieFactory(naam="Gemeente Arnhem")

    response = sign_up(client, organisatie_zoek="Gemeente\x00")

    assert response.status_code == 200
    assert 'id="id_organisatie_zoek_error"' in response.content.decode()
    assert not Persoon.objects.filter(email="nina@example.org").exists()


def test_the_profile_refuses_a_nul_byte_in_the_organisatie_search_with_a_form_error(client):
    persoon = PersoonFactory()
    client.force_login(persoon)

    response = client.post(
        reverse("netwerk:profiel"), {"naam": "Nina", "organisatie_zoek": "0\x00"}
    )

    assert response.status_code == 400
    assert 'id="id_organisatie_zoek_error"' in response.content.decode()


def test_a_search_longer_than_the_field_is_refused_without_a_query_per_word(
    client, django_assert_max_num_queries
):
    # Each word of the search is a condition in the query: 50,000 words must not reach it.
    with django_assert_max_num_queries(15):
        response = sign_up(client, organisatie_zoek="a " * 50_000)

    assert response.status_code == 200
    assert 'id="id_organisatie_zoek_error"' in response.content.decode()
    assert not Persoon.objects.filter(email="nina@example.org").exists()


def test_a_name_nobody_has_is_an_error_linked_to_the_field(client):
    OrganisatieFactory(naam="Gemeente Arnhem")
    response = sign_up(client, organisatie_zoek="Gemeente Zwolle")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert 'id="id_organisatie_zoek_error"' in html
    assert "We vinden geen organisatie met ‘Gemeente Zwolle’" in html
    assert not Persoon.objects.filter(email="nina@example.org").exists()


def test_the_sign_up_page_lists_no_organisaties(client):
    for number in range(30):
        OrganisatieFactory(naam=f"Organisatie {number}")
    html = client.get(reverse("account_signup")).content.decode()
    assert "Organisatie 7" not in html
    assert "<select" not in html.split("id_organisatie_zoek")[1].split("</div>")[0]


def test_signing_up_as_an_individual_leaves_the_organisatie_empty(client):
    sign_up(client)
    persoon = Persoon.objects.get(email="nina@example.org")
    assert persoon.organisatie is None
    assert persoon.profiel_zichtbaar is False


def test_a_proposed_organisatie_shows_in_the_directory_only_after_approval(client):
    sign_up(client, nieuwe_organisatie="Wijkkracht Elst", nieuwe_organisatie_plaats="Elst")
    persoon = Persoon.objects.get(email="nina@example.org")
    organisatie = persoon.organisatie
    assert organisatie.naam == "Wijkkracht Elst"
    assert organisatie.status == Organisatie.Status.VOORGESTELD
    assert organisatie.voorgesteld_door == persoon

    assert "Wijkkracht Elst" not in client.get("/netwerk/").content.decode()
    assert client.get(f"/netwerk/{organisatie.slug}/").status_code == 404

    services.approve_organisatie(organisatie=organisatie)

    assert "Wijkkracht Elst" in client.get("/netwerk/").content.decode()
    assert client.get(f"/netwerk/{organisatie.slug}/").status_code == 200


def test_signing_up_refuses_both_a_pick_and_a_proposal(client):
    organisatie = OrganisatieFactory()
    response = sign_up(client, organisatie_zoek=organisatie.naam, nieuwe_organisatie="Nog een")
    assert response.status_code == 200
    assert not Persoon.objects.filter(email="nina@example.org").exists()
    assert 'id="id_nieuwe_organisatie_error"' in response.content.decode()


def test_a_proposed_organisatie_cannot_be_picked_by_others(client):
    voorgesteld = OrganisatieFactory(naam="Wijkkracht", status=Organisatie.Status.VOORGESTELD)
    OrganisatieFactory(naam="Wijkkracht Elst")
    OrganisatieFactory(naam="Wijkkracht Tiel")

    by_name = sign_up(client, organisatie_zoek="Wijkkracht")
    by_choice = sign_up(client, organisatie_zoek="Wijkkracht", organisatie=voorgesteld.pk)

    assert by_name.status_code == by_choice.status_code == 200
    assert f'value="{voorgesteld.pk}"' not in by_name.content.decode()
    assert not Persoon.objects.filter(email="nina@example.org").exists()


def names(client, query):
    response = client.get("/netwerk/" + query)
    assert response.status_code == 200
    return {organisatie.naam for organisatie in response.context["object_list"]}


def test_the_directory_filters_by_soort_domein_plaats_leeratelier_rol_and_text(client):
    zorg = OrganisatieFactory(naam="Zorg Ede", soort="zorgorganisatie", plaats="Ede")
    zorg.domeinen.add(Domein.objects.get(code="zorg"))
    gemeente = OrganisatieFactory(
        naam="Gemeente Tiel", soort="gemeente", plaats="Tiel", beschrijving="armoedebeleid"
    )
    atelier = LeeratelierFactory(slug="armoede")
    DeelnameFactory(leeratelier=atelier, organisatie=zorg, rol="arena")
    DeelnameFactory(leeratelier=atelier, organisatie=gemeente, rol="tribune")
    DeelnameFactory(leeratelier=LeeratelierFactory(), organisatie=gemeente, rol="arena")

    assert names(client, "?soort=gemeente") == {"Gemeente Tiel"}
    assert names(client, "?domein=zorg") == {"Zorg Ede"}
    assert names(client, "?plaats=Ede") == {"Zorg Ede"}
    assert names(client, "?leeratelier=armoede") == {"Zorg Ede", "Gemeente Tiel"}
    assert names(client, "?leeratelier=armoede&rol=arena") == {"Zorg Ede"}
    assert names(client, "?rol=arena") == {"Zorg Ede", "Gemeente Tiel"}
    assert names(client, "?q=armoedebeleid") == {"Gemeente Tiel"}


def test_the_organisatie_page_shows_leerateliers_with_rol(client):
    organisatie = OrganisatieFactory(slug="buurtwerk")
    DeelnameFactory(organisatie=organisatie, rol="arena", leeratelier__naam="Armoede")
    content = client.get("/netwerk/buurtwerk/").content.decode()
    assert "Armoede" in content
    assert "arena" in content


def test_only_visible_people_are_shown_and_only_to_logged_in_members(client):
    organisatie = OrganisatieFactory(slug="buurtwerk")
    PersoonFactory(naam="Zichtbare Zoë", organisatie=organisatie, profiel_zichtbaar=True)
    PersoonFactory(naam="Verborgen Victor", organisatie=organisatie, profiel_zichtbaar=False)

    anonymous = client.get("/netwerk/buurtwerk/").content.decode()
    assert "Zichtbare Zoë" not in anonymous
    assert "Verborgen Victor" not in anonymous

    client.force_login(PersoonFactory())
    member = client.get("/netwerk/buurtwerk/").content.decode()
    assert "Zichtbare Zoë" in member
    assert "Verborgen Victor" not in member


def test_mijn_needs_a_login(client):
    response = client.get("/mijn/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_mijn_shows_deelnames_and_the_pending_requests_of_a_trekkers_ateliers(client):
    trekker = PersoonFactory()
    atelier = LeeratelierFactory(naam="Armoede", trekkers=[trekker])
    aanvrager = PersoonFactory(naam="Anna Aanvrager")
    leeratelier_services.join_leeratelier(persoon=aanvrager, leeratelier=atelier, rol="arena")
    DeelnameFactory(persoon=trekker, leeratelier__naam="Eenzaamheid", rol="tribune")

    client.force_login(trekker)
    content = client.get("/mijn/").content.decode()
    assert "Anna Aanvrager" in content
    assert "Eenzaamheid" in content

    client.force_login(aanvrager)
    content = client.get("/mijn/").content.decode()
    assert "arena aangevraagd" in content
    assert "Arena-aanvragen voor jouw leerateliers" not in content


def test_the_profile_and_its_visibility_are_saved(client):
    persoon = PersoonFactory()
    organisatie = OrganisatieFactory(naam="Buurtwerk", plaats="Arnhem")
    client.force_login(persoon)
    response = client.post(
        "/mijn/profiel/",
        {
            "naam": "Nieuwe Naam",
            "organisatie_zoek": "Buurtwerk",
            "functie": "Buurtwerker",
            "bio": "Werkt in Presikhaaf.",
            "profiel_zichtbaar": "on",
        },
    )
    assert response.status_code == 302
    persoon.refresh_from_db()
    assert (persoon.naam, persoon.organisatie, persoon.functie) == (
        "Nieuwe Naam",
        organisatie,
        "Buurtwerker",
    )
    assert persoon.profiel_zichtbaar is True


def test_mijn_shows_the_own_organisatie_in_the_search_field_and_keeps_it(client):
    organisatie = OrganisatieFactory(naam="Buurtwerk", plaats="Arnhem")
    OrganisatieFactory(naam="Buurtwerk", plaats="Tiel")
    persoon = PersoonFactory(naam="Piet", organisatie=organisatie)
    client.force_login(persoon)

    html = client.get("/mijn/").content.decode()
    assert 'value="Buurtwerk (Arnhem)"' in html
    assert 'type="radio"' not in html

    response = client.post(
        "/mijn/profiel/", {"naam": "Piet", "organisatie_zoek": "Buurtwerk (Arnhem)"}
    )
    assert response.status_code == 302
    persoon.refresh_from_db()
    assert persoon.organisatie == organisatie


def test_a_proposed_organisatie_stays_findable_for_whoever_proposed_it(client):
    persoon = PersoonFactory(naam="Piet")
    services.propose_organisatie(naam="Wijkkracht Elst", plaats="Elst", door=persoon)
    client.force_login(persoon)

    response = client.post(
        "/mijn/profiel/", {"naam": "Piet", "organisatie_zoek": "Wijkkracht Elst (Elst)"}
    )

    assert response.status_code == 302
    persoon.refresh_from_db()
    assert persoon.organisatie.naam == "Wijkkracht Elst"


def test_clearing_the_organisatie_means_taking_part_on_ones_own_title(client):
    persoon = PersoonFactory(naam="Piet", organisatie=OrganisatieFactory())
    client.force_login(persoon)
    client.post("/mijn/profiel/", {"naam": "Piet", "organisatie_zoek": ""})
    persoon.refresh_from_db()
    assert persoon.organisatie is None


def test_an_ambiguous_organisatie_on_mijn_is_asked_again_with_the_choices(client):
    OrganisatieFactory(naam="Gemeente Arnhem")
    OrganisatieFactory(naam="Gemeente Ede")
    persoon = PersoonFactory(naam="Piet")
    client.force_login(persoon)

    response = client.post("/mijn/profiel/", {"naam": "Piet", "organisatie_zoek": "gemeente"})

    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('type="radio" name="organisatie"') == 2
    assert 'id="id_organisatie_zoek_error"' in html


def test_an_invalid_profile_is_shown_again_with_errors_linked_to_fields(client):
    persoon = PersoonFactory(naam="Oud")
    client.force_login(persoon)
    response = client.post("/mijn/profiel/", {"naam": ""})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_naam_error"' in content
    assert 'aria-describedby="id_naam_error"' in content
    persoon.refresh_from_db()
    assert persoon.naam == "Oud"


def test_the_coordinator_group_has_exactly_the_permissions_it_needs():
    group = Group.objects.get(name="Coördinator")
    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("netwerk", "view_persoon"),
        ("netwerk", "view_organisatie"),
        ("netwerk", "add_organisatie"),
        ("netwerk", "change_organisatie"),
        ("netwerk", "view_domein"),
        ("netwerk", "view_lidmaatschap"),
        ("netwerk", "change_lidmaatschap"),
        # Merging duplicate organisaties (issue 23).
        ("netwerk", "merge_organisatie"),
        ("leerateliers", "view_leeratelier"),
        ("leerateliers", "add_leeratelier"),
        ("leerateliers", "change_leeratelier"),
        ("leerateliers", "merge_leeratelier"),
        ("leerateliers", "view_deelname"),
        ("leerateliers", "change_deelname"),
        ("leerateliers", "view_lerendepraktijk"),
        ("leerateliers", "add_lerendepraktijk"),
        ("leerateliers", "change_lerendepraktijk"),
        ("leerateliers", "delete_lerendepraktijk"),
        ("leerateliers", "view_voorwaarde"),
        ("themas", "view_thema"),
        ("themas", "add_thema"),
        ("themas", "change_thema"),
        ("themas", "view_update"),
        ("themas", "add_update"),
        ("themas", "change_update"),
        ("bijeenkomsten", "view_bijeenkomst"),
        ("bijeenkomsten", "add_bijeenkomst"),
        ("bijeenkomsten", "change_bijeenkomst"),
        ("bijeenkomsten", "view_aanmelding"),
        ("bijeenkomsten", "add_aanmelding"),
        ("bijeenkomsten", "change_aanmelding"),
        ("nieuwsbrief", "view_editie"),
        ("nieuwsbrief", "add_editie"),
        ("nieuwsbrief", "change_editie"),
        ("nieuwsbrief", "send_editie"),
        ("netwerk", "view_abonnement"),
        ("kennisbank", "view_kennisproduct"),
        ("kennisbank", "add_kennisproduct"),
        ("kennisbank", "change_kennisproduct"),
        # Curating kennisdossiers in the portal (issue 20).
        ("kennisbank", "view_kennisdossier"),
        ("kennisbank", "add_kennisdossier"),
        ("kennisbank", "change_kennisdossier"),
        ("kennisbank", "delete_kennisdossier"),
        ("kennisbank", "add_dossieronderdeel"),
        ("kennisbank", "change_dossieronderdeel"),
        ("kennisbank", "delete_dossieronderdeel"),
    }


def test_signup_mail_verification_is_still_required(client):
    sign_up(client)
    assert not EmailAddress.objects.get(email="nina@example.org").verified


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def add_rows(*, trekker, persoon, organisatie, count):
    for _ in range(count):
        atelier = LeeratelierFactory(trekkers=[trekker])
        leeratelier_services.join_leeratelier(
            persoon=PersoonFactory(organisatie=OrganisatieFactory()),
            leeratelier=atelier,
            rol="arena",
        )
        DeelnameFactory(persoon=persoon, leeratelier=atelier, organisatie=organisatie)
        PersoonFactory(organisatie=organisatie, profiel_zichtbaar=True)
        PersoonFactory(organisatie=organisatie, profiel_zichtbaar=True, lidmaatschap="aangevraagd")


@pytest.mark.parametrize("which", ["mijn", "organisatie"])
def test_mijn_and_the_organisatie_page_do_not_grow_in_queries_with_more_rows(client, which):
    trekker = PersoonFactory()
    organisatie = OrganisatieFactory(slug="buurtwerk")
    trekker.organisatie = organisatie
    trekker.save()
    client.force_login(trekker)
    url = "/mijn/" if which == "mijn" else "/netwerk/buurtwerk/"

    # The first visit fills the shared parts in the cache. Each count is of the page made
    # anew: the rows it shows changed since it was last kept in the cache.
    client.get(url)
    add_rows(trekker=trekker, persoon=trekker, organisatie=organisatie, count=5)
    few = count_queries(client, url)
    add_rows(trekker=trekker, persoon=trekker, organisatie=organisatie, count=45)
    many = count_queries(client, url)

    assert few == many
    assert many <= 20


# The portal says "je"; Django's and allauth's Dutch catalogues say "u" in places.
FORMAL_DUTCH = re.compile(r"\b(u|uw|a\.u\.b|alstublieft)\b", re.IGNORECASE)


def visible_text_of_main(response) -> str:
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


def test_sign_up_speaks_to_you_as_je_in_its_help_texts_and_password_errors(client):
    page = visible_text_of_main(client.get(reverse("account_signup")))
    assert "Je wachtwoord moet minstens 12 tekens lang zijn." in page
    assert FORMAL_DUTCH.findall(page) == []

    for password, error in [
        ("kort-7", "Dit wachtwoord is te kort. Het moet minstens 12 tekens lang zijn."),
        ("12345678", "Dit wachtwoord bestaat alleen uit cijfers."),
        ("wachtwoord", "Dit wachtwoord wordt te vaak gebruikt."),
        ("nina@example.org", "Het wachtwoord lijkt te veel op je e-mailadres."),
    ]:
        response = sign_up(client, password1=password, password2=password)
        assert response.status_code == 200
        page = visible_text_of_main(response)
        assert error in page
        assert FORMAL_DUTCH.findall(page) == []


def test_the_pages_after_sign_up_and_for_a_new_password_speak_to_you_as_je(client):
    assert sign_up(client).status_code == 302
    pages = [client.get(reverse("account_email_verification_sent"))]
    client.force_login(PersoonFactory())
    pages.append(client.get(reverse("account_change_password")))
    client.logout()
    pages.append(client.get(reverse("account_reset_password")))
    pages.append(client.get(reverse("account_reset_password_done")))

    for response in pages:
        assert response.status_code == 200
        assert FORMAL_DUTCH.findall(visible_text_of_main(response)) == []
