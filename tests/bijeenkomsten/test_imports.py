"""The CSV import: every row checked first, errors per spreadsheet row, nothing imported
until the coördinator confirms, and then all valid rows or none through the register rules."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import imports, services, tasks
from bijeenkomsten.models import Aanmelding, Handeling, Import, ImportControle, Quotum
from leerateliers.models import Deelname
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.leerateliers.factories import DeelnameFactory, LeeratelierFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db

S = Aanmelding.Status

# What a coördinator's spreadsheet looks like after "Opslaan als CSV UTF-8" in a Dutch
# Excel: a BOM, semicolons, and quotes around fields that hold a separator or a line break.
MIXED_FILE = (
    (
        "\ufeffNaam;E-mail;Organisatie;Functie;Opmerkingen\r\n"  # row 1
        'Anna de Vries;anna@example.org;"Buurtteam; Oost";Wijkcoach;"Komt per fiets"\r\n'  # 2
        'Bram Bakker;Bram@Example.org;Gemeente Arnhem;"Beleid, sociaal domein";"Eerste regel\n'
        'tweede regel"\r\n'  # 3: one spreadsheet row over two lines
        ";;;;\r\n"  # 4: empty, ignored
        "Bram B.;bram@example.ORG;;;\r\n"  # 5: the same address as row 3
        ";zonder.naam@example.org;;;\r\n"  # 6
        "Kees Kapot;kees@@example;;;\r\n"  # 7
        "Lange Organisatie;lang@example.org;" + "x" * 5000 + ";;\r\n"  # 8
        "Kort;kort@example.org\r\n"  # 9: too few columns
        "\r\n"  # 10: empty, ignored
        "Zeynep Öztürk;zeynep@example.nl;Zorg & Welzijn;Coördinator;\r\n"  # 11
    ).encode("utf-8")
)


def errors_by_row(result):
    return {error.number: " ".join(error.messages) for error in result.errors}


# Reading the file (pure: bytes in, rows and errors out)


def test_every_row_is_checked_and_each_error_names_its_spreadsheet_row():
    result = imports.parse(MIXED_FILE)

    assert [(row.number, row.naam, row.email) for row in result.rows] == [
        (2, "Anna de Vries", "anna@example.org"),
        (3, "Bram Bakker", "bram@example.org"),
        (11, "Zeynep Öztürk", "zeynep@example.nl"),
    ]
    errors = errors_by_row(result)
    assert sorted(errors) == [5, 6, 7, 8, 9]
    assert "bram@example.org staat ook in rij 3" in errors[5]
    assert "de naam ontbreekt" in errors[6]
    assert "‘kees@@example’ is geen geldig e-mailadres" in errors[7]
    assert "organisatie is te lang: 5000 tekens, hooguit 200" in errors[8]
    assert "te weinig kolommen: 2 in plaats van 5" in errors[9]


def test_quoted_separators_and_line_breaks_stay_inside_their_field():
    rows = {row.number: row for row in imports.parse(MIXED_FILE).rows}

    assert rows[2].organisatie == "Buurtteam; Oost"
    assert rows[3].functie == "Beleid, sociaal domein"
    assert rows[3].opmerkingen == "Eerste regel\ntweede regel"


def test_an_address_already_registered_is_an_error_of_its_row():
    result = imports.parse(MIXED_FILE, registered={"anna@example.org"})

    assert "anna@example.org is al aangemeld voor deze bijeenkomst" in errors_by_row(result)[2]
    assert [row.number for row in result.rows] == [3, 11]


@pytest.mark.parametrize(
    ("header", "fields"),
    [
        ("naam,e-mail,organisatie,functie,opmerkingen", ("naam", "email", "organisatie")),
        ("Name,Email,Organization,Job title,Remarks", ("naam", "email", "organisatie")),
        ("NAAM,E-mailadres,Organisation,Function,Notes", ("naam", "email", "organisatie")),
    ],
)
def test_headers_are_matched_in_dutch_or_english_in_any_case(header, fields):
    data = f"{header}\nAnna,anna@example.org,Buurtteam,Coach,Notitie\n".encode()

    (row,) = imports.parse(data).rows

    assert (row.naam, row.email, row.organisatie, row.functie, row.opmerkingen) == (
        "Anna",
        "anna@example.org",
        "Buurtteam",
        "Coach",
        "Notitie",
    )


def test_a_comma_separated_file_without_bom_reads_the_same():
    data = 'naam,email,organisatie\n"Vries, Anna de",anna@example.org,"Buurtteam; Oost"\n'

    (row,) = imports.parse(data.encode()).rows

    assert (row.naam, row.organisatie) == ("Vries, Anna de", "Buurtteam; Oost")


def test_unknown_columns_are_named_and_skipped():
    result = imports.parse(b"naam;email;telefoon\nAnna;anna@example.org;0612345678\n")

    assert result.ignored_columns == ["telefoon"]
    assert len(result.rows) == 1


def test_a_windows_1252_file_is_read_with_its_accents():
    data = (
        "naam;e-mail;organisatie;opmerkingen\r\n"
        "José Müller;jose@example.org;Coöperatie Ons Dorp;“graag” bij het raam – ’s ochtends\r\n"
        "Françoise Dupré;francoise@example.org;;\r\n"
    ).encode("cp1252")

    rows = imports.parse(data).rows

    assert [row.naam for row in rows] == ["José Müller", "Françoise Dupré"]
    assert rows[0].organisatie == "Coöperatie Ons Dorp"
    assert rows[0].opmerkingen == "“graag” bij het raam – ’s ochtends"


@pytest.mark.parametrize(
    "data",
    [
        # Mac Roman: é would come out as Ž
        "naam;email\nRené Smit;rene@example.org\n".encode("mac_roman"),
        # Central European Windows: ł would come out as ³
        "naam;email\nPaweł Nowak;pawel@example.org\n".encode("cp1250"),
        # UTF-8 that was once opened as Windows-1252 and saved again: JosÃ©
        "naam;email\nJosé;jose@example.org\n".encode().decode("cp1252").encode(),
    ],
    ids=["mac-roman", "cp1250", "double-encoded"],
)
def test_a_file_whose_letters_cannot_be_read_for_sure_is_refused_not_garbled(data):
    with pytest.raises(imports.FileRefused, match="niet goed te lezen"):
        imports.parse(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "leeg"),
        (b"\r\n;;\r\n", "leeg"),
        (b"voornaam;achternaam\nAnna;Vries\n", "mist de kolom ‘naam’, ‘e-mailadres’"),
        (b"naam;email;e-mail\nA;a@example.org;a@example.org\n", "twee keer"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel-bestand"),
        (b"naam;email\nAnna\x00;anna@example.org\n", "niet in een CSV-bestand horen"),
    ],
    ids=["empty", "only-empty-rows", "no-header", "double-column", "xlsx", "binary"],
)
def test_a_file_that_cannot_be_read_at_all_is_refused_with_a_dutch_reason(data, message):
    with pytest.raises(imports.FileRefused, match=re.escape(message)):
        imports.parse(data)


def test_a_quote_left_open_is_refused_with_its_line_rather_than_swallowing_later_rows():
    data = b'naam;email\nAnna;anna@example.org\n"Bram;bram@example.org\nChris;chris@example.org\n'

    with pytest.raises(imports.FileRefused, match="vanaf regel 3 niet als CSV te lezen"):
        imports.parse(data)


def test_files_over_2_mb_or_10000_rows_are_refused():
    row = "Deelnemer;deelnemer@example.org;" + "o" * 180 + "\n"
    too_large = ("naam;email;organisatie\n" + row * 12_000).encode()
    too_many = "naam;email\n" + "".join(f"D{n};d{n}@example.org\n" for n in range(10_001))
    just_enough = "naam;email\n" + "".join(f"D{n};d{n}@example.org\n" for n in range(10_000))

    with pytest.raises(imports.FileRefused, match="groter dan 2 MB"):
        imports.parse(too_large)
    with pytest.raises(imports.FileRefused, match="meer dan 10.000 rijen"):
        imports.parse(too_many.encode())
    assert len(imports.parse(just_enough.encode()).rows) == 10_000


# The import service: the register rules, all or nothing


def rows_for(*people, start=2):
    return [
        imports.ImportRow(number=number, naam=naam, email=email)
        for number, (naam, email) in enumerate(people, start=start)
    ]


def test_the_import_fills_the_places_then_the_wachtlijst_in_file_order():
    bijeenkomst = BijeenkomstFactory(capaciteit=3)
    services.register(bijeenkomst=bijeenkomst, email="al@example.org", naam="Al")
    coordinator = make_coordinator()

    imported = services.import_aanmeldingen(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        rows=rows_for(*[(f"Deelnemer {n}", f"d{n}@example.org") for n in range(4)]),
    )

    assert [a.status for a in imported] == [S.BEVESTIGD, S.BEVESTIGD, S.WACHTLIJST, S.WACHTLIJST]
    assert [a.wachtlijst_positie() for a in imported[2:]] == [1, 2]
    assert all(a.aangemeld_door == coordinator for a in imported)
    assert OutboxMessage.objects.filter(key__endswith=":bevestigd").count() == 3
    assert OutboxMessage.objects.filter(key__endswith=":wachtlijst").count() == 2
    handeling = Handeling.objects.get(soort=Handeling.Soort.GEIMPORTEERD)
    assert handeling.door == coordinator
    assert handeling.omschrijving == "4 aanmeldingen: 2 bevestigd, 2 op de wachtlijst"


def test_an_imported_arena_deelnemer_takes_a_reserved_place_and_the_rest_count_on():
    atelier = LeeratelierFactory()
    bijeenkomst = BijeenkomstFactory(capaciteit=3)
    Quotum.objects.create(bijeenkomst=bijeenkomst, aantal=1, tot=timezone.now() + timedelta(days=7))
    bijeenkomst.leerateliers.add(atelier)
    arena = DeelnameFactory(leeratelier=atelier, rol=Deelname.Rol.ARENA).persoon

    imported = services.import_aanmeldingen(
        bijeenkomst=bijeenkomst,
        door=make_coordinator(),
        rows=rows_for(
            ("Open 1", "open1@example.org"),
            ("Open 2", "open2@example.org"),
            ("Open 3", "open3@example.org"),
            (arena.naam, arena.email),
            ("Open 4", "open4@example.org"),
        ),
    )

    assert [(a.status, a.op_reservering) for a in imported] == [
        (S.BEVESTIGD, False),
        (S.BEVESTIGD, False),
        (S.WACHTLIJST, False),
        (S.BEVESTIGD, True),
        (S.WACHTLIJST, False),
    ]
    bijeenkomst.refresh_from_db()
    assert bijeenkomst.plaatsen_vrij == 0


def test_an_imported_address_with_an_account_is_linked_to_that_persoon():
    bijeenkomst = BijeenkomstFactory()
    persoon = PersoonFactory(email="fatima@example.org")

    (aanmelding,) = services.import_aanmeldingen(
        bijeenkomst=bijeenkomst,
        door=make_coordinator(),
        rows=rows_for(("Fatima", "Fatima@Example.org")),
    )

    assert aanmelding.persoon == persoon
    assert aanmelding.email == "fatima@example.org"


def test_a_full_bijeenkomst_without_wachtlijst_imports_nothing_at_all():
    bijeenkomst = BijeenkomstFactory(capaciteit=2, wachtlijst_open=False)
    before = OutboxMessage.objects.count()

    with pytest.raises(services.RegistrationError, match="Rij 4 .*vol.*niets geïmporteerd"):
        services.import_aanmeldingen(
            bijeenkomst=bijeenkomst,
            door=make_coordinator(),
            rows=rows_for(*[(f"D{n}", f"d{n}@example.org") for n in range(3)]),
        )

    assert bijeenkomst.aanmeldingen.count() == 0
    assert OutboxMessage.objects.count() == before
    assert not Handeling.objects.exists()


def test_someone_who_registered_since_the_preview_stops_the_whole_import():
    bijeenkomst = BijeenkomstFactory()
    rows = rows_for(("Anna", "anna@example.org"), ("Bram", "bram@example.org"))
    services.register(bijeenkomst=bijeenkomst, email="BRAM@example.org", naam="Bram")

    with pytest.raises(services.RegistrationError, match=r"Rij 3 \(bram@example.org\): is al"):
        services.import_aanmeldingen(bijeenkomst=bijeenkomst, door=make_coordinator(), rows=rows)

    assert list(bijeenkomst.aanmeldingen.values_list("email", flat=True)) == ["bram@example.org"]


def test_a_cancelled_bijeenkomst_takes_no_import():
    bijeenkomst = BijeenkomstFactory()
    services.cancel_bijeenkomst(bijeenkomst=bijeenkomst)

    with pytest.raises(services.RegistrationError, match="geannuleerd"):
        services.import_aanmeldingen(
            bijeenkomst=bijeenkomst,
            door=make_coordinator(),
            rows=rows_for(("Anna", "anna@example.org")),
        )
    assert bijeenkomst.aanmeldingen.count() == 0


# The pages: upload, preview, confirm


@pytest.fixture
def coordinator(client):
    persoon = make_coordinator(naam="Coby Coördinator")
    client.force_login(persoon)
    return persoon


def upload(client, bijeenkomst, data, name="deelnemers.csv"):
    return client.post(
        reverse("bijeenkomsten:importeren", args=[bijeenkomst.slug]),
        {"bestand": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def confirm_url(preview_url):
    return preview_url + "bevestigen/"


def test_the_preview_shows_the_errors_per_row_and_imports_nothing(client, coordinator):
    bijeenkomst = BijeenkomstFactory(slug="symposium")
    before = (OutboxMessage.objects.count(), Handeling.objects.count())

    response = upload(client, bijeenkomst, MIXED_FILE)
    preview = client.get(response.url)

    assert response.status_code == 302
    assert preview.status_code == 200
    assert "deelnemers.csv: 3 rijen zijn klaar om te importeren, 5 rijen hebben een fout" in (
        " ".join(preview.text.split())
    )
    assert "bram@example.org staat ook in rij 3" in preview.text
    assert "3 aanmeldingen importeren" in preview.text
    assert bijeenkomst.aanmeldingen.count() == 0
    assert (OutboxMessage.objects.count(), Handeling.objects.count()) == before


def confirm(client, preview_url, capture, **kwargs):
    """Confirm, and run what the confirmation queued after its commit: the import task."""
    with capture(execute=True):
        return client.post(confirm_url(preview_url), **kwargs)


def test_confirming_imports_exactly_the_valid_rows_kept_on_the_server(
    client, coordinator, django_capture_on_commit_callbacks
):
    bijeenkomst = BijeenkomstFactory(slug="symposium", capaciteit=2)
    preview_url = upload(client, bijeenkomst, MIXED_FILE).url

    response = confirm(
        client,
        preview_url,
        django_capture_on_commit_callbacks,
        data={"rows": "tampering@example.org"},
    )

    job = Import.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("bijeenkomsten:import-voortgang", args=["symposium", job.token])
    assert sorted(bijeenkomst.aanmeldingen.values_list("email", "status")) == [
        ("anna@example.org", S.BEVESTIGD),
        ("bram@example.org", S.BEVESTIGD),
        ("zeynep@example.nl", S.WACHTLIJST),
    ]
    page = client.get(response.url)
    assert "3 aanmeldingen geïmporteerd: 2 bevestigd, 1 op de wachtlijst." in page.text
    assert (job.status, job.rijen) == (Import.Status.KLAAR, [])
    handeling = Handeling.objects.get(soort=Handeling.Soort.GEIMPORTEERD)
    assert handeling.reden == "uit deelnemers.csv"


def test_the_confirmation_only_queues_the_import_and_its_page_says_it_is_running(
    client, coordinator, django_capture_on_commit_callbacks
):
    bijeenkomst = BijeenkomstFactory(slug="symposium")
    preview_url = upload(client, bijeenkomst, MIXED_FILE).url

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(confirm_url(preview_url))
    page = client.get(response.url)

    assert len(queued) == 1
    assert bijeenkomst.aanmeldingen.count() == 0
    assert "3 aanmeldingen worden geïmporteerd." in page.text
    assert 'href="' + response.url + '">Vernieuwen</a>' in page.text
    assert "http-equiv" not in page.text


def test_confirming_twice_imports_once_and_both_lead_to_the_same_import(
    client, coordinator, django_capture_on_commit_callbacks
):
    bijeenkomst = BijeenkomstFactory()
    preview_url = upload(client, bijeenkomst, MIXED_FILE).url

    first = confirm(client, preview_url, django_capture_on_commit_callbacks)
    again = confirm(client, preview_url, django_capture_on_commit_callbacks)
    preview_again = client.get(preview_url)

    assert bijeenkomst.aanmeldingen.count() == 3
    assert Handeling.objects.filter(soort=Handeling.Soort.GEIMPORTEERD).count() == 1
    assert Import.objects.count() == 1
    assert first.url == again.url == preview_again.url


def test_the_import_task_run_twice_imports_once():
    bijeenkomst = BijeenkomstFactory()
    job = services.queue_import(
        bijeenkomst=bijeenkomst,
        door=make_coordinator(),
        token="t",
        rows=rows_for(("Anna", "anna@example.org"), ("Bram", "bram@example.org")),
    )

    services.run_import(import_id=job.pk)
    second = services.run_import(import_id=job.pk)

    assert second.status == Import.Status.KLAAR
    assert bijeenkomst.aanmeldingen.count() == 2
    assert OutboxMessage.objects.count() == 2


def test_a_failed_confirmation_imports_nothing_and_can_be_tried_again(
    client, coordinator, django_capture_on_commit_callbacks
):
    bijeenkomst = BijeenkomstFactory(capaciteit=1, wachtlijst_open=False)
    preview_url = upload(client, bijeenkomst, MIXED_FILE).url

    failed = client.get(confirm(client, preview_url, django_capture_on_commit_callbacks).url)
    nothing = (bijeenkomst.aanmeldingen.count(), OutboxMessage.objects.count())
    bijeenkomst.wachtlijst_open = True
    bijeenkomst.save()
    retried = confirm(client, preview_url, django_capture_on_commit_callbacks)

    assert "Er is niets geïmporteerd." in failed.text
    assert "Rij 3 (bram@example.org): Deze bijeenkomst is vol" in failed.text
    assert nothing == (0, 0)
    assert retried.status_code == 302
    assert bijeenkomst.aanmeldingen.count() == 3
    assert Import.objects.get().status == Import.Status.KLAAR


def test_the_import_page_of_another_bijeenkomst_is_not_found(
    client, coordinator, django_capture_on_commit_callbacks
):
    bijeenkomst = BijeenkomstFactory(slug="symposium")
    BijeenkomstFactory(slug="ander")
    preview_url = upload(client, bijeenkomst, MIXED_FILE).url
    token = confirm(client, preview_url, django_capture_on_commit_callbacks).url.split("/")[-3]

    response = client.get(reverse("bijeenkomsten:import-voortgang", args=["ander", token]))

    assert response.status_code == 404


def test_another_coordinator_cannot_confirm_someone_elses_preview(client, coordinator):
    bijeenkomst = BijeenkomstFactory()
    preview_url = upload(client, bijeenkomst, MIXED_FILE).url
    client.force_login(make_coordinator())

    preview = client.get(preview_url)
    response = client.post(confirm_url(preview_url), follow=True)

    assert preview.status_code == 302
    assert "verlopen" in response.text
    assert bijeenkomst.aanmeldingen.count() == 0


def test_an_expired_preview_sends_the_coordinator_back_to_upload(client, coordinator, settings):
    bijeenkomst = BijeenkomstFactory(slug="symposium")
    preview_url = upload(client, bijeenkomst, MIXED_FILE).url
    ImportControle.objects.update(
        aangemaakt_op=timezone.now() - settings.IMPORT_CHECK_KEPT - timedelta(seconds=1)
    )

    response = client.get(preview_url, follow=True)
    confirmed = client.post(confirm_url(preview_url), follow=True)

    assert response.redirect_chain[-1][0] == reverse("bijeenkomsten:importeren", args=["symposium"])
    assert "verlopen" in response.text
    assert "verlopen" in confirmed.text
    assert bijeenkomst.aanmeldingen.count() == 0


def test_a_checked_file_waits_in_the_database_so_a_lost_cache_does_not_lose_it(
    client, coordinator, django_capture_on_commit_callbacks
):
    """Found by the fault suite's scenario 3: with Redis away the checked rows were never
    kept, and the coördinator was told the check had expired."""
    bijeenkomst = BijeenkomstFactory(slug="symposium", capaciteit=5)
    preview_url = upload(client, bijeenkomst, MIXED_FILE).url
    cache.clear()

    assert client.get(preview_url).status_code == 200
    confirm(client, preview_url, django_capture_on_commit_callbacks)
    assert bijeenkomst.aanmeldingen.count() == 3


def test_the_checked_rows_are_deleted_once_imported_or_expired(
    client, coordinator, django_capture_on_commit_callbacks, settings
):
    bijeenkomst = BijeenkomstFactory(capaciteit=5)
    confirm(client, upload(client, bijeenkomst, MIXED_FILE).url, django_capture_on_commit_callbacks)
    assert not ImportControle.objects.exists()

    upload(client, bijeenkomst, b"naam;email\nDirk;dirk@example.org\n")
    kept = ImportControle.objects.get()
    expiry = kept.aangemaakt_op + settings.IMPORT_CHECK_KEPT
    assert services.delete_expired_import_checks(now=expiry - timedelta(seconds=1)) == 0
    assert services.delete_expired_import_checks(now=expiry) == 1
    assert not ImportControle.objects.exists()


def test_the_expired_checks_are_deleted_by_a_periodic_task(settings):
    ImportControle.objects.create(
        token="oud",
        bijeenkomst=BijeenkomstFactory(),
        door=make_coordinator(),
        rijen=[{"naam": "Oud", "email": "oud@example.org"}],
        aangemaakt_op=timezone.now() - settings.IMPORT_CHECK_KEPT,
    )
    assert tasks.delete_expired_import_checks() == 1
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "bijeenkomsten.tasks.delete_expired_import_checks" in scheduled


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"naam;email\n" + b"x" * (imports.MAX_BYTES), "groter dan 2 MB"),
        (("naam;email\n" + "D;d@example.org\n" * 10_001).encode(), "meer dan 10.000 rijen"),
        ("naam;email\nRené;rene@example.org\n".encode("mac_roman"), "niet goed te lezen"),
    ],
    ids=["too-large", "too-many-rows", "unreadable"],
)
def test_a_refused_file_gets_its_reason_on_the_upload_form(client, coordinator, data, message):
    bijeenkomst = BijeenkomstFactory()

    response = upload(client, bijeenkomst, data)

    assert response.status_code == 400
    assert message in response.text
    assert re.search(r'aria-describedby="[^"]*id_bestand_error"', response.text)
    assert bijeenkomst.aanmeldingen.count() == 0


def test_an_import_whose_task_fails_on_a_bug_is_mislukt_not_waiting_for_ever(monkeypatch):
    # Found by the fault suite (scenario 6): the Import said "wacht op verwerking" for ever.
    bijeenkomst = BijeenkomstFactory()
    job = services.queue_import(
        bijeenkomst=bijeenkomst,
        door=make_coordinator(),
        token="t",
        rows=rows_for(("Anna", "anna@example.org")),
    )

    def bug(**kwargs):
        raise KeyError("een fout in de code")

    monkeypatch.setattr("bijeenkomsten.services.importing.import_aanmeldingen", bug)
    with pytest.raises(KeyError):
        services.run_import(import_id=job.pk)

    job.refresh_from_db()
    assert job.status == Import.Status.MISLUKT
    assert "Bevestig de import opnieuw" in job.melding
    assert job.rijen == []
    assert bijeenkomst.aanmeldingen.count() == 0


def test_an_import_still_waiting_after_its_time_is_resumed_by_the_sweep_and_imports_once(
    django_capture_on_commit_callbacks,
):
    bijeenkomst = BijeenkomstFactory()
    with django_capture_on_commit_callbacks():  # its task got lost
        job = services.queue_import(
            bijeenkomst=bijeenkomst,
            door=make_coordinator(),
            token="t",
            rows=rows_for(("Anna", "anna@example.org"), ("Bram", "bram@example.org")),
        )
    later = timezone.now() + timedelta(minutes=11)

    assert services.imports_to_resume() == []
    assert services.imports_to_resume(now=later) == [job.pk]
    Import.objects.filter(pk=job.pk).update(aangemaakt_op=timezone.now() - timedelta(minutes=11))
    from bijeenkomsten.tasks import resume_stuck_imports

    assert resume_stuck_imports.apply().get() == 1
    assert resume_stuck_imports.apply().get() == 0
    job.refresh_from_db()
    assert job.status == Import.Status.KLAAR
    assert bijeenkomst.aanmeldingen.count() == 2
