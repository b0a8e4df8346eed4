"""Questions per bijeenkomst (issue 21, point 3): the team defines them, registrants answer
them in the form (logged in and as a guest), the server checks every answer, the team sees
them in the list and the export (formula-safe), the import reads them back by the
question's text, and anonymisation removes them with the rest."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bijeenkomsten import exports, imports, selectors, services
from bijeenkomsten.models import Aanmelding, Antwoord, GastAanmelding, Handeling, Vraag
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db

ROLLEN = ["inwoner", "professional", "student", "ervaringsdeskundige"]


@pytest.fixture
def bijeenkomst():
    return BijeenkomstFactory(capaciteit=20)


@pytest.fixture
def coordinator():
    return make_coordinator()


@pytest.fixture
def rol(bijeenkomst, coordinator):
    return services.save_question(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        soort=Vraag.Soort.EEN_KEUZE,
        tekst="Ik ben",
        keuzes="\n".join(ROLLEN),
        verplicht=True,
        volgorde=1,
    )


@pytest.fixture
def thema(bijeenkomst, coordinator):
    return services.save_question(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        soort=Vraag.Soort.MEER_KEUZES,
        tekst="Welke thema's?",
        keuzes="Armoede\nWonen\nZorg",
        volgorde=2,
    )


@pytest.fixture
def vraag_tekst(bijeenkomst, coordinator):
    return services.save_question(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        soort=Vraag.Soort.KORT,
        tekst="Wat wil je leren?",
        volgorde=3,
    )


# Defining questions


def test_a_choice_question_needs_two_choices_and_nothing_is_saved_without(bijeenkomst, coordinator):
    with pytest.raises(services.RegistrationError, match="minstens twee keuzes"):
        services.save_question(
            bijeenkomst=bijeenkomst,
            door=coordinator,
            soort=Vraag.Soort.EEN_KEUZE,
            tekst="Ik ben",
            keuzes="inwoner",
        )
    assert not Vraag.objects.exists()


def test_the_scale_is_for_the_evaluation_only_not_the_registration_form(bijeenkomst, coordinator):
    with pytest.raises(services.RegistrationError, match="past niet"):
        services.save_question(
            bijeenkomst=bijeenkomst, door=coordinator, soort=Vraag.Soort.SCHAAL, tekst="Cijfer"
        )
    # The same model holds the evaluation's scale question (issue 22).
    evaluatie = Vraag(
        bijeenkomst=bijeenkomst, doel=Vraag.Doel.EVALUATIE, soort=Vraag.Soort.SCHAAL, tekst="Cijfer"
    )
    evaluatie.full_clean()


def test_two_questions_with_the_same_text_are_refused_as_the_import_maps_by_text(rol, coordinator):
    with pytest.raises(services.RegistrationError, match="heeft deze vraag al"):
        services.save_question(
            bijeenkomst=rol.bijeenkomst, door=coordinator, soort=Vraag.Soort.KORT, tekst="ik BEN"
        )


def test_defining_a_question_is_logged(rol):
    assert Handeling.objects.filter(soort=Handeling.Soort.VRAGEN, bijeenkomst=rol.bijeenkomst)


def test_only_who_may_edit_the_bijeenkomst_defines_questions(client, bijeenkomst):
    url = reverse("bijeenkomsten:vragen", args=[bijeenkomst.slug])
    client.force_login(PersoonFactory())
    response = client.post(url, {"tekst": "Ik ben", "soort": "kort", "volgorde": 0})
    assert response.status_code == 403
    assert not Vraag.objects.exists()


def test_the_team_adds_changes_and_deletes_a_question_through_its_pages(
    client, bijeenkomst, coordinator
):
    client.force_login(coordinator)
    url = reverse("bijeenkomsten:vragen", args=[bijeenkomst.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"tekst": "Ik ben", "soort": "een-keuze", "keuzes": "\n".join(ROLLEN), "volgorde": 1},
    )
    assert response.status_code == 302
    vraag = Vraag.objects.get()
    assert vraag.keuzelijst() == ROLLEN

    edit = reverse("bijeenkomsten:vraag-wijzigen", args=[bijeenkomst.slug, vraag.pk])
    response = client.post(
        edit, {"tekst": "Ik ben een", "soort": "een-keuze", "keuzes": "a\nb", "verplicht": "on"}
    )
    assert response.status_code == 302
    vraag.refresh_from_db()
    assert (vraag.tekst, vraag.verplicht) == ("Ik ben een", True)

    response = client.post(edit, {"tekst": "", "soort": "een-keuze", "keuzes": "a"})
    assert response.status_code == 400
    assert "id_tekst" in response.content.decode()
    vraag.refresh_from_db()
    assert vraag.tekst == "Ik ben een"

    delete = reverse("bijeenkomsten:vraag-verwijderen", args=[bijeenkomst.slug, vraag.pk])
    assert client.post(delete).status_code == 302
    assert not Vraag.objects.exists()


def test_a_question_of_another_bijeenkomst_is_not_found(client, rol, coordinator):
    other = BijeenkomstFactory()
    client.force_login(coordinator)
    url = reverse("bijeenkomsten:vraag-wijzigen", args=[other.slug, rol.pk])
    assert client.get(url).status_code == 404
    url = reverse("bijeenkomsten:vraag-verwijderen", args=[other.slug, rol.pk])
    assert client.post(url).status_code == 404
    assert Vraag.objects.filter(pk=rol.pk).exists()


# Answering


def test_answers_are_stored_with_the_registration(bijeenkomst, rol, thema):
    aanmelding = services.register(
        bijeenkomst=bijeenkomst,
        email="anna@example.org",
        naam="Anna",
        antwoorden={rol.pk: "student", thema.pk: ["Wonen", "Zorg"]},
    )
    assert {a.vraag_id: a.waarde for a in aanmelding.antwoorden.all()} == {
        rol.pk: "student",
        thema.pk: "Wonen\nZorg",
    }


@pytest.mark.parametrize(
    ("antwoorden", "fout"),
    [
        ({}, "verplicht"),
        ({"rol": "astronaut"}, "geldige keuze"),
        ({"rol": "student", "thema": ["Wonen", "Ruimtevaart"]}, "geldige keuze"),
    ],
)
def test_the_server_refuses_answers_that_do_not_fit_and_registers_nobody(
    bijeenkomst, rol, thema, antwoorden, fout
):
    pks = {"rol": rol.pk, "thema": thema.pk}
    with pytest.raises(services.RegistrationError, match=fout):
        services.register(
            bijeenkomst=bijeenkomst,
            email="anna@example.org",
            naam="Anna",
            antwoorden={pks[key]: value for key, value in antwoorden.items()},
        )
    assert not Aanmelding.objects.exists()
    assert not Antwoord.objects.exists()


def test_the_registration_form_asks_the_questions_and_refuses_a_missing_required_one(
    client, bijeenkomst, rol
):
    persoon = PersoonFactory()
    client.force_login(persoon)
    page = client.get(bijeenkomst.get_absolute_url()).content.decode()
    assert "Ik ben" in page
    assert "ervaringsdeskundige" in page
    url = reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug])

    response = client.post(url, {"naam": persoon.naam})
    assert response.status_code == 400
    assert f"id_vraag_{rol.pk}" in response.content.decode()
    assert not Aanmelding.objects.exists()

    response = client.post(url, {"naam": persoon.naam, f"vraag_{rol.pk}": "inwoner"})
    assert response.status_code == 302
    assert Aanmelding.objects.get().antwoorden.get().waarde == "inwoner"


def test_a_guest_answers_in_the_form_and_the_answers_count_once_confirmed(client, bijeenkomst, rol):
    url = reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug])
    response = client.post(
        url, {"naam": "Gijs", "email": "gijs@example.nl", f"vraag_{rol.pk}": "student"}
    )
    assert response.status_code == 302
    pending = GastAanmelding.objects.get()
    assert pending.antwoorden == {str(rol.pk): "student"}
    body = OutboxMessage.objects.get(to="gijs@example.nl").body_text
    confirm = body[body.index("/bijeenkomsten/") :].split()[0]
    assert client.post(confirm).status_code == 302
    aanmelding = Aanmelding.objects.get()
    assert aanmelding.antwoorden.get().waarde == "student"
    pending.refresh_from_db()
    assert pending.antwoorden == {}


def test_a_guest_without_the_required_answer_gets_no_mail(client, bijeenkomst, rol):
    url = reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug])
    response = client.post(url, {"naam": "Gijs", "email": "gijs@example.nl"})
    assert response.status_code == 400
    assert not GastAanmelding.objects.exists()
    assert not OutboxMessage.objects.exists()


# The team sees them


def test_the_attendee_list_shows_the_answers_without_a_query_per_row(
    client, bijeenkomst, rol, thema, coordinator, django_assert_max_num_queries
):
    for number in range(5):
        services.register(
            bijeenkomst=bijeenkomst,
            email=f"d{number}@example.org",
            naam=f"Deelnemer {number}",
            antwoorden={rol.pk: "professional", thema.pk: ["Armoede"]},
        )
    client.force_login(coordinator)
    url = reverse("bijeenkomsten:aanmeldingen", args=[bijeenkomst.slug])
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    services.register(
        bijeenkomst=bijeenkomst,
        email="meer@example.org",
        naam="Nog een",
        antwoorden={rol.pk: "student"},
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "professional" in page
    assert "Armoede" in page


def test_the_export_has_a_column_per_question_and_answers_cannot_run_as_formulas(
    bijeenkomst, coordinator, vraag_tekst, thema
):
    services.register(
        bijeenkomst=bijeenkomst,
        email="x@example.org",
        naam="X",
        antwoorden={vraag_tekst.pk: '=HYPERLINK("http://kwaad.example")', thema.pk: ["Wonen"]},
    )
    vragen = services.registration_questions(bijeenkomst)
    text = "".join(
        exports.csv_chunks(
            selectors.voor_export(bijeenkomst=bijeenkomst, keuze="open", vragen=vragen), vragen
        )
    )
    header, row = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert header[-2:] == ["Welke thema's?", "Wat wil je leren?"]
    assert row[-1] == '\'=HYPERLINK("http://kwaad.example")'
    assert row[-2] == "Wonen"

    with exports.xlsx_file(
        selectors.voor_export(bijeenkomst=bijeenkomst, keuze="open", vragen=vragen),
        title="t",
        vragen=vragen,
    ) as output:
        workbook = load_workbook(output)
        cells = [cell.value for cell in next(workbook.active.iter_rows(min_row=2))]
        workbook.close()
    assert cells[-1].startswith("'=")


def test_a_question_whose_text_starts_like_a_formula_is_a_safe_header(bijeenkomst, coordinator):
    services.save_question(
        bijeenkomst=bijeenkomst, door=coordinator, soort=Vraag.Soort.KORT, tekst="=1+1"
    )
    assert exports.header(services.registration_questions(bijeenkomst))[-1] == "=1+1"
    text = "".join(exports.csv_chunks([], services.registration_questions(bijeenkomst)))
    assert "'=1+1" in text


# The import reads them back


def test_the_import_maps_extra_columns_to_questions_by_their_text(bijeenkomst, rol, thema):
    data = (
        b"naam;email;ik ben;Welke thema's?;Onbekend\n"
        b'Piet;piet@example.org;student;"Wonen; Zorg";x\n'
    )
    result = imports.parse(data, vragen=services.registration_questions(bijeenkomst))
    assert result.ignored_columns == ["Onbekend"]
    [row] = result.rows
    assert row.antwoorden == {str(rol.pk): "student", str(thema.pk): "Wonen\nZorg"}

    [aanmelding] = services.import_aanmeldingen(
        bijeenkomst=bijeenkomst, door=make_coordinator(), rows=result.rows
    )
    assert sorted(a.waarde for a in aanmelding.antwoorden.all()) == ["Wonen\nZorg", "student"]


def test_an_imported_answer_that_does_not_fit_is_an_error_of_its_row(bijeenkomst, rol):
    data = b"naam;email;Ik ben\nPiet;piet@example.org;astronaut\nJan;jan@example.org;\n"
    result = imports.parse(data, vragen=services.registration_questions(bijeenkomst))
    [error] = result.errors
    assert error.number == 2
    assert "Ik ben" in error.messages[0]
    # A required question may stay empty in an import: the team registers them.
    assert [row.email for row in result.rows] == ["jan@example.org"]


# Anonymised with the rest


def test_retention_removes_the_answers_with_the_name(bijeenkomst, rol):
    aanmelding = services.register(
        bijeenkomst=bijeenkomst, email="a@example.org", naam="A", antwoorden={rol.pk: "inwoner"}
    )
    assert aanmelding.antwoorden.exists()
    type(bijeenkomst).objects.filter(pk=bijeenkomst.pk).update(
        start=timezone.now() - timedelta(days=800), eind=timezone.now() - timedelta(days=799)
    )
    services.anonymise_past_registrations(now=timezone.now(), months=24)
    assert not Antwoord.objects.exists()
    assert Aanmelding.objects.get().naam == "geanonimiseerd"


def test_deleting_the_account_removes_their_answers_only(bijeenkomst, rol):
    persoon = PersoonFactory()
    services.register(
        bijeenkomst=bijeenkomst,
        email=persoon.email,
        naam=persoon.naam,
        persoon=persoon,
        antwoorden={rol.pk: "inwoner"},
    )
    services.register(
        bijeenkomst=bijeenkomst, email="b@example.org", naam="B", antwoorden={rol.pk: "student"}
    )
    services.forget_persoon(persoon=persoon)
    assert list(Antwoord.objects.values_list("waarde", flat=True)) == ["student"]


def test_the_export_with_questions_takes_the_same_queries_for_3_and_30_attendees(
    bijeenkomst, rol, thema, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def export_queries():
        vragen = services.registration_questions(bijeenkomst)
        with CaptureQueriesContext(connection) as context:
            "".join(
                exports.csv_chunks(
                    selectors.voor_export(
                        bijeenkomst=bijeenkomst, keuze="open", vragen=vragen
                    ).iterator(chunk_size=500),
                    vragen,
                )
            )
        return len(context)

    def add(count, start):
        for number in range(start, start + count):
            services.register(
                bijeenkomst=bijeenkomst,
                email=f"e{number}@example.org",
                naam=f"E {number}",
                antwoorden={rol.pk: "student", thema.pk: ["Zorg"]},
            )

    add(3, 0)
    few = export_queries()
    add(17, 3)
    bijeenkomst.capaciteit = None
    bijeenkomst.save()
    add(10, 20)
    assert export_queries() == few == 1


def test_a_persons_own_data_export_holds_their_answers(bijeenkomst, rol):
    persoon = PersoonFactory()
    services.register(
        bijeenkomst=bijeenkomst,
        email=persoon.email,
        naam=persoon.naam,
        persoon=persoon,
        antwoorden={rol.pk: "ervaringsdeskundige"},
    )
    [aanmelding] = selectors.gegevens_van(persoon)["aanmeldingen"]
    assert aanmelding["antwoorden"] == {"Ik ben": "ervaringsdeskundige"}


def test_a_choice_with_a_semicolon_is_refused_as_the_export_separates_choices_so(
    bijeenkomst, coordinator
):
    with pytest.raises(services.RegistrationError, match="puntkomma"):
        services.save_question(
            bijeenkomst=bijeenkomst,
            door=coordinator,
            soort=Vraag.Soort.MEER_KEUZES,
            tekst="Thema's",
            keuzes="Wonen; werk\nZorg",
        )
