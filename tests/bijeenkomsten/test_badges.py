"""Name badges for the door (issue 21, point 7): a PDF of A4 label sheets with the door
list's people (confirmed only, by name, optionally one deelsessie's), each with a QR code
that checks them in; printed by whoever may see the door list, and by nobody else."""

import io

import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from bijeenkomsten import badges, services
from bijeenkomsten.models import Aanmelding, Teamlid
from bijeenkomsten.permissions import can_print_badges
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory, programma_met_ronde
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory, make_coordinator
from tests.roles import ROLES, TEAM_ROLES, as_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def bijeenkomst():
    return BijeenkomstFactory(titel="Landelijk symposium", slug="symposium", capaciteit=3)


@pytest.fixture
def coordinator(client):
    persoon = make_coordinator(naam="Coby Coördinator")
    client.force_login(persoon)
    return persoon


def badges_url(bijeenkomst, **query):
    url = reverse("bijeenkomsten:badges", kwargs={"slug": bijeenkomst.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def qr_payloads(reader: PdfReader) -> list[str]:
    """What the QR codes on the pages say, read back from their pictures."""
    payloads = []
    for page in reader.pages:
        for picture in page.images:
            image = Image.open(io.BytesIO(picture.data))
            payloads += [result.text for result in zxingcpp.read_barcodes(image)]
    return payloads


def test_the_badges_carry_name_organisatie_and_held_sessions_of_the_confirmed_by_name(
    client, coordinator, bijeenkomst
):
    ronde, (sessie_a, sessie_b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 5, 5))
    services.register(
        bijeenkomst=bijeenkomst,
        email="zoe@example.org",
        naam="Zoë Zwart",
        organisatie="Gemeente Nijmegen",
        sessies=[sessie_a],
    )
    services.register(
        bijeenkomst=bijeenkomst, email="abel@example.org", naam="Abel Aarts", sessies=[sessie_b]
    )
    # Mo waits for Sessie A's only place: no session is printed for Mo.
    services.register(
        bijeenkomst=bijeenkomst, email="mo@example.org", naam="Mo Midden", sessies=[sessie_a]
    )

    reader = pdf_of(client.get(badges_url(bijeenkomst)))

    [text] = page_texts(reader)
    assert text.index("Abel Aarts") < text.index("Mo Midden") < text.index("Zoë Zwart")
    assert "Gemeente Nijmegen" in text
    assert text.count(sessie_a.titel) == 1
    assert text.count(sessie_b.titel) == 1
    assert "Landelijk symposium" in text


def test_cancelled_and_waiting_people_get_no_badge(client, coordinator, bijeenkomst):
    anna = services.register(bijeenkomst=bijeenkomst, email="anna@example.org", naam="Anna Af")
    services.register(bijeenkomst=bijeenkomst, email="bo@example.org", naam="Bo Binnen")
    services.register(bijeenkomst=bijeenkomst, email="cas@example.org", naam="Cas Binnen")
    wachtend = services.register(bijeenkomst=bijeenkomst, email="wim@example.org", naam="Wim Wacht")
    assert wachtend.status == Aanmelding.Status.WACHTLIJST
    services.cancel(aanmelding=anna)
    # Anna's place is offered to Wim (not his until he claims it); Dirk now waits.
    services.register(bijeenkomst=bijeenkomst, email="dirk@example.org", naam="Dirk Wacht")
    assert Aanmelding.objects.get(pk=wachtend.pk).status == Aanmelding.Status.AANGEBODEN

    [text] = page_texts(pdf_of(client.get(badges_url(bijeenkomst))))

    assert all(naam not in text for naam in ("Anna Af", "Wim Wacht", "Dirk Wacht"))
    assert all(naam in text for naam in ("Bo Binnen", "Cas Binnen"))


@pytest.mark.parametrize(("aantal", "paginas"), [(1, 1), (8, 1), (9, 2), (17, 3)])
def test_eight_badges_fill_one_a4_sheet(client, coordinator, aantal, paginas):
    bijeenkomst = BijeenkomstFactory(capaciteit=50)
    for n in range(aantal):
        AanmeldingFactory(bijeenkomst=bijeenkomst, naam=f"Deelnemer {n:02d}")

    reader = pdf_of(client.get(badges_url(bijeenkomst)))

    assert len(reader.pages) == paginas
    assert all(round(float(p.mediabox.width)) == 595 for p in reader.pages)  # A4 in points
    assert sum(text.count("Deelnemer ") for text in page_texts(reader)) == aantal


def test_the_sheet_geometry_is_two_by_four_labels_of_105_by_74_mm_on_a4():
    mm = 72 / 25.4
    assert (badges.COLUMNS, badges.ROWS) == (2, 4)
    assert round(badges.LABEL_WIDTH / mm) == 105
    assert round(badges.LABEL_HEIGHT / mm) == 74
    corners = [badges.label_origin(i) for i in range(badges.LABELS_PER_SHEET)]
    assert len(set(corners)) == 8
    for x, y in corners:
        assert x >= 0
        assert x + badges.LABEL_WIDTH <= badges.SHEET_WIDTH + 0.01
        assert y >= 0
        assert y + badges.LABEL_HEIGHT <= badges.SHEET_HEIGHT + 0.01
    # The ninth starts the next sheet where the first did.
    assert badges.label_origin(8) == badges.label_origin(0)


def test_a_session_filter_prints_only_that_sessions_people(client, coordinator, bijeenkomst):
    ronde, (sessie_a, sessie_b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(5, 5, 5))
    services.register(
        bijeenkomst=bijeenkomst, email="a@example.org", naam="Ada A", sessies=[sessie_a]
    )
    services.register(
        bijeenkomst=bijeenkomst, email="b@example.org", naam="Ben B", sessies=[sessie_b]
    )

    [text] = page_texts(pdf_of(client.get(badges_url(bijeenkomst, sessie=sessie_b.pk))))

    assert "Ben B" in text
    assert "Ada A" not in text


def test_names_beyond_latin_1_are_printed_as_they_are_written(client, coordinator, bijeenkomst):
    AanmeldingFactory(bijeenkomst=bijeenkomst, naam="Şükrü Yıldız", organisatie="Łukasz Ğüneş")

    [text] = page_texts(pdf_of(client.get(badges_url(bijeenkomst))))

    assert "Şükrü Yıldız" in text
    assert "Łukasz Ğüneş" in text


def test_a_long_name_is_shortened_to_fit_its_label(client, coordinator, bijeenkomst):
    AanmeldingFactory(bijeenkomst=bijeenkomst, naam="Maximiliaan " * 12, organisatie="O" * 190)

    [text] = page_texts(pdf_of(client.get(badges_url(bijeenkomst))))

    assert "Maximiliaan Maximiliaan" in text
    assert "…" in text


def test_each_qr_code_opens_the_check_in_page_of_its_own_person(client, coordinator, bijeenkomst):
    anna = AanmeldingFactory(bijeenkomst=bijeenkomst, naam="Anna Eerst")
    bo = AanmeldingFactory(bijeenkomst=bijeenkomst, naam="Bo Later")

    payloads = qr_payloads(pdf_of(client.get(badges_url(bijeenkomst))))

    expected = {
        person.pk: "http://testserver"
        + reverse(
            "bijeenkomsten:badge", kwargs={"slug": "symposium", "code": badges.code_for(person)}
        )
        for person in (anna, bo)
    }
    assert sorted(payloads) == sorted(expected.values())
    page = client.get(expected[bo.pk].removeprefix("http://testserver"))
    assert page.status_code == 200
    assert "Bo Later" in page.content.decode()
    assert "Anna Eerst" not in page.content.decode()
    assert reverse("bijeenkomsten:aanwezig-melden", args=["symposium", bo.pk]) in (
        page.content.decode()
    )


def test_the_qr_code_is_not_the_personal_link_and_a_scan_checks_in_from_its_page(
    client, coordinator, bijeenkomst
):
    anna = AanmeldingFactory(bijeenkomst=bijeenkomst, naam="Anna Eerst")
    [payload] = qr_payloads(pdf_of(client.get(badges_url(bijeenkomst))))
    assert anna.token not in payload
    assert "/aanmelding/" not in payload
    badge_page = payload.removeprefix("http://testserver")

    response = client.post(
        reverse("bijeenkomsten:aanwezig-melden", args=["symposium", anna.pk]),
        {"next": badge_page},
    )

    assert response.status_code == 302
    assert response["Location"] == badge_page
    anna.refresh_from_db()
    assert anna.aanwezig_op is not None
    assert anna.aanwezig_gemeld_door == coordinator


def test_a_badge_code_that_is_made_up_or_of_another_bijeenkomst_opens_nothing(
    client, coordinator, bijeenkomst
):
    ander = AanmeldingFactory(bijeenkomst=BijeenkomstFactory(slug="ander"))
    code = badges.code_for(ander)

    for wrong in (code, f"{ander.pk}:vervalst", "geen-code"):
        url = reverse("bijeenkomsten:badge", kwargs={"slug": "symposium", "code": wrong})
        assert client.get(url).status_code == 404
    assert badges.aanmelding_for_code(code, bijeenkomst=ander.bijeenkomst) == ander


def test_a_cancelled_person_s_badge_says_they_cannot_be_checked_in(
    client, coordinator, bijeenkomst
):
    anna = services.register(bijeenkomst=bijeenkomst, email="anna@example.org", naam="Anna Af")
    services.cancel(aanmelding=anna)

    page = client.get(
        reverse("bijeenkomsten:badge", kwargs={"slug": "symposium", "code": badges.code_for(anna)})
    )

    assert page.status_code == 200
    assert "Alleen iemand met een bevestigde aanmelding" in page.content.decode()


def test_badges_for_an_unknown_bijeenkomst_are_not_found(client, coordinator):
    url = reverse("bijeenkomsten:badges", kwargs={"slug": "bestaat-niet"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_who_may_print_badges_is_exactly_who_may_see_the_door_list(client, people, role):
    """The badges carry the door list's names: a role that widens the door list (the team's
    "deur") widens this with it, and nobody else prints them."""
    bijeenkomst = BijeenkomstFactory(slug="symposium")
    anna = AanmeldingFactory(bijeenkomst=bijeenkomst)
    if role in TEAM_ROLES:
        people = {role: _team_member(role, bijeenkomst)}
    as_role(client, people, role)
    door_list = client.get(reverse("bijeenkomsten:aanwezigheid", args=["symposium"]))
    badge_pdf = client.get(badges_url(bijeenkomst))
    badge_page = client.get(
        reverse("bijeenkomsten:badge", kwargs={"slug": "symposium", "code": badges.code_for(anna)})
    )

    assert badge_pdf.status_code == door_list.status_code == badge_page.status_code
    if people[role] is not None:
        assert can_print_badges(people[role], bijeenkomst) == (door_list.status_code == 200)
    if role in ("anonymous", "partner"):
        assert badge_pdf.status_code in (302, 403)
        assert b"%PDF" not in badge_pdf.content


def _team_member(role, bijeenkomst):
    """A person with `role` (a name of tests.roles.TEAM_ROLES) in the team of `bijeenkomst`,
    or, for "ander_coorganisator", in the team of another bijeenkomst only."""
    persoon = PersoonFactory()
    rol = {
        "organisator": Teamlid.Rol.ORGANISATOR,
        "deur": Teamlid.Rol.DEUR,
    }.get(role, Teamlid.Rol.CO_ORGANISATOR)
    Teamlid.objects.create(
        bijeenkomst=BijeenkomstFactory() if role == "ander_coorganisator" else bijeenkomst,
        persoon=persoon,
        rol=rol,
        organisatie=OrganisatieFactory() if rol == Teamlid.Rol.CO_ORGANISATOR else None,
    )
    return persoon


def test_the_door_list_links_to_the_badges_of_its_filter(client, coordinator, bijeenkomst):
    ronde, (sessie_a, *_rest) = programma_met_ronde(bijeenkomst)

    page = client.get(
        reverse("bijeenkomsten:aanwezigheid", args=["symposium"]), {"sessie": sessie_a.pk}
    ).content.decode()

    assert f'{badges_url(bijeenkomst)}?sessie={sessie_a.pk}"' in page
    assert client.get(badges_url(bijeenkomst))["Cache-Control"] == "private, no-store"


def test_badges_for_200_registrations_take_a_bounded_number_of_queries(client, coordinator):
    bijeenkomst = BijeenkomstFactory(capaciteit=500)
    ronde, sessies = programma_met_ronde(bijeenkomst, capaciteiten=(100, 100, 100))
    for n in range(200):
        services.register(
            bijeenkomst=bijeenkomst,
            email=f"d{n}@example.org",
            naam=f"Deelnemer {n:03d}",
            sessies=[sessies[n % 3]],
        )
    client.get(badges_url(bijeenkomst))  # the session and the user, read once

    with CaptureQueriesContext(connection) as queries:
        reader = pdf_of(client.get(badges_url(bijeenkomst)))

    assert len(reader.pages) == 25
    assert len(queries) <= 8, [q["sql"][:120] for q in queries]
