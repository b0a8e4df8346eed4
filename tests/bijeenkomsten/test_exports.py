"""Lists of attendees as CSV and XLSX: what a venue needs, and never a live formula."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bijeenkomsten import exports, services
from bijeenkomsten.models import Aanmelding
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db

S = Aanmelding.Status
HEADER = [
    "Naam",
    "E-mailadres",
    "Organisatie",
    "Functie",
    "Dieetwensen",
    "Toegankelijkheid",
    "Status",
    "Aanwezig",
    "Boven capaciteit",
    "Aangemeld op",
    "Bron",
    "Plaats op de wachtlijst",
    "Deelsessies",
]
FORMULAS = ["=1+1", "+31 6 12345678", "-2+3", "@SUM(A1:A2)", "\tTab", "\rCR"]


@pytest.fixture
def symposium():
    bijeenkomst = BijeenkomstFactory(slug="symposium", capaciteit=2)
    hacker = services.register(
        bijeenkomst=bijeenkomst,
        email="formule@example.org",
        naam='=HYPERLINK("http://example.org/x","klik")',
        organisatie="+31 Zorg",
        functie="-Beleid",
        dieetwensen="@vegan",
        toegankelijkheid="Rolstoel",
    )
    services.register(bijeenkomst=bijeenkomst, email="bea@example.org", naam="Bea Bakker")
    services.register(bijeenkomst=bijeenkomst, email="wim@example.org", naam="Wim Wachter")
    services.register_on_behalf(
        bijeenkomst=bijeenkomst,
        door=make_coordinator(),
        email="spreker@example.org",
        naam="Sara Spreker",
        boven_capaciteit_reden="spreker",
    )
    services.check_in(aanmelding=hacker, door=make_coordinator())
    return bijeenkomst


@pytest.fixture
def coordinator(client):
    persoon = make_coordinator()
    client.force_login(persoon)
    return persoon


def download(client, keuze, formaat):
    return client.get(
        reverse("bijeenkomsten:export", args=["symposium"]), {"keuze": keuze, "formaat": formaat}
    )


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_apostrophe(value):
    assert exports.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Anna", "anna@example.org", "06-12345678", "", "'al"])
def test_ordinary_text_stays_as_it_is(value):
    assert exports.neutralise(value) == value


def test_the_csv_lists_the_confirmed_with_what_the_venue_needs_and_no_formula(
    client, symposium, coordinator
):
    response = download(client, "bevestigd", "csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="symposium-bevestigd-{today}.csv"'
    )
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == HEADER
    by_email = {row[1]: row for row in rows[1:]}
    assert sorted(by_email) == ["bea@example.org", "formule@example.org", "spreker@example.org"]
    assert by_email["formule@example.org"][:7] == [
        '\'=HYPERLINK("http://example.org/x","klik")',
        "formule@example.org",
        "'+31 Zorg",
        "'-Beleid",
        "'@vegan",
        "Rolstoel",
        "bevestigd",
    ]
    assert by_email["formule@example.org"][7].startswith(today)
    assert by_email["spreker@example.org"][8] == "ja: spreker"
    assert by_email["bea@example.org"][7:9] == ["", ""]


def test_the_xlsx_holds_the_same_list_as_text_never_as_a_formula(client, symposium, coordinator):
    response = download(client, "open", "xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        f'attachment; filename="symposium-lopend-{timezone.localdate().isoformat()}.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.title == "Lopende aanmeldingen"
    rows = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER
    assert sorted(row[1] for row in rows[1:]) == [
        "bea@example.org",
        "formule@example.org",
        "spreker@example.org",
        "wim@example.org",
    ]
    formula_cells = [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formula_cells == []
    hacker = next(row for row in rows if row[1] == "formule@example.org")
    assert hacker[0] == '\'=HYPERLINK("http://example.org/x","klik")'
    assert hacker[2:5] == ["'+31 Zorg", "'-Beleid", "'@vegan"]
    assert next(row for row in rows if row[1] == "wim@example.org")[6] == "op de wachtlijst"


def test_a_control_character_cannot_hide_a_formula_from_the_check():
    aanmelding = Aanmelding(naam="\x01=1+1", email="x@example.org", status=S.BEVESTIGD)

    (row,) = exports.rows([aanmelding])

    assert row[0] == "'=1+1"


def test_each_status_can_be_chosen_on_its_own(client, symposium, coordinator):
    services.cancel(aanmelding=symposium.aanmeldingen.get(email="bea@example.org"))

    def emails(keuze):
        content = b"".join(download(client, keuze, "csv").streaming_content).decode()
        rows = list(csv.reader(io.StringIO(content), delimiter=";"))[1:]
        return sorted(row[1] for row in rows)

    assert emails("geannuleerd") == ["bea@example.org"]
    assert emails("aangeboden") == ["wim@example.org"]
    assert "bea@example.org" not in emails("open")


def test_the_export_page_offers_the_choice_and_refuses_a_made_up_one(
    client, symposium, coordinator
):
    page = client.get(reverse("bijeenkomsten:export", args=["symposium"]))
    wrong = download(client, "iedereen-ooit", "pdf")

    assert page.status_code == 200
    assert "Iedereen met een lopende aanmelding" in page.text
    assert wrong.status_code == 400


@pytest.mark.parametrize("formaat", ["csv", "xlsx"])
def test_an_export_takes_the_same_queries_for_20_and_2000_attendees(client, coordinator, formaat):
    def queries_for(count):
        bijeenkomst = BijeenkomstFactory(slug=f"groot-{count}", capaciteit=None)
        Aanmelding.objects.bulk_create(
            Aanmelding(
                bijeenkomst=bijeenkomst,
                naam=f"Deelnemer {n}",
                email=f"deelnemer{n}@example.org",
                dieetwensen="Halal",
                status=S.BEVESTIGD,
            )
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                reverse("bijeenkomsten:export", args=[bijeenkomst.slug]),
                {"keuze": "bevestigd", "formaat": formaat},
            )
            content = b"".join(response.streaming_content)
        return len(queries), content

    small, _ = queries_for(20)
    large, content = queries_for(2000)

    assert small == large
    if formaat == "csv":
        assert content.decode().count("\r\n") == 2001
    else:
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        assert sum(1 for _row in sheet.iter_rows()) == 2001


def test_the_file_name_carries_the_slug_and_the_date(client, symposium, coordinator, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 12, 10))

    response = download(client, "wachtlijst", "csv")

    assert 'filename="symposium-wachtlijst-2026-12-10.csv"' in response["Content-Disposition"]


# Registration date, source and wachtlijst place (issue 18, point 8)


def csv_rows(client, slug, keuze):
    response = client.get(
        reverse("bijeenkomsten:export", args=[slug]), {"keuze": keuze, "formaat": "csv"}
    )
    content = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(content), delimiter=";"))


def test_the_export_says_when_and_how_each_registered_in_local_time(client, coordinator):
    bijeenkomst = BijeenkomstFactory(slug="bronnen", capaciteit=None)
    moment = timezone.make_aware(datetime(2026, 11, 30, 23, 30), UTC)
    services.register(bijeenkomst=bijeenkomst, email="zelf@example.org", naam="Zelf", now=moment)
    services.register_on_behalf(
        bijeenkomst=bijeenkomst, door=coordinator, email="namens@example.org", naam="Namens"
    )

    rows = {row[1]: row for row in csv_rows(client, "bronnen", "open")[1:]}

    # 23:30 UTC is half past midnight in Amsterdam, the next day.
    assert rows["zelf@example.org"][9:12] == ["2026-12-01 00:30", "zelf", ""]
    assert rows["namens@example.org"][10] == "namens iemand, door een coördinator"


def test_the_wachtlijst_place_is_the_order_in_which_places_are_offered(client, coordinator):
    bijeenkomst = BijeenkomstFactory(slug="vol", capaciteit=1)
    services.register(bijeenkomst=bijeenkomst, email="bea@example.org", naam="Bea")
    for naam in ("Anna", "Bart", "Cas"):
        services.register(bijeenkomst=bijeenkomst, email=f"{naam.lower()}@example.org", naam=naam)
    cas = bijeenkomst.aanmeldingen.get(naam="Cas")
    services.move_on_waitlist(aanmelding=cas, door=coordinator, omhoog=True, reden="Spreker")

    positions = {row[0]: row[11] for row in csv_rows(client, "vol", "open")[1:]}
    waiting = {row[0]: row[11] for row in csv_rows(client, "vol", "wachtlijst")[1:]}

    assert positions == {"Anna": "1", "Bart": "3", "Bea": "", "Cas": "2"}
    assert waiting == {"Anna": "1", "Bart": "3", "Cas": "2"}
    wachtend = bijeenkomst.aanmeldingen.filter(status=S.WACHTLIJST)
    assert {a.naam: a.wachtlijst_positie() for a in wachtend} == {"Anna": 1, "Bart": 3, "Cas": 2}
    # The one the promotion picks first is number 1, then number 2.
    services.cancel(aanmelding=bijeenkomst.aanmeldingen.get(naam="Bea"))
    assert bijeenkomst.aanmeldingen.get(status=S.AANGEBODEN).naam == "Anna"
    assert {row[0]: row[11] for row in csv_rows(client, "vol", "wachtlijst")[1:]} == {
        "Bart": "2",
        "Cas": "1",
    }


@pytest.mark.parametrize("formaat", ["csv", "xlsx"])
def test_an_export_of_the_wachtlijst_takes_the_same_queries_for_20_and_500(
    client, coordinator, formaat
):
    def queries_for(count):
        bijeenkomst = BijeenkomstFactory(slug=f"wachtend-{count}", capaciteit=0)
        Aanmelding.objects.bulk_create(
            Aanmelding(
                bijeenkomst=bijeenkomst,
                naam=f"Wachtende {n:04}",
                email=f"wachtende{n}@example.org",
                status=S.WACHTLIJST,
                wachtlijst_volgorde=count - n,
                bron=Aanmelding.Bron.IMPORT,
            )
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                reverse("bijeenkomsten:export", args=[bijeenkomst.slug]),
                {"keuze": "wachtlijst", "formaat": formaat},
            )
            content = b"".join(response.streaming_content)
        return len(queries), content

    small, _ = queries_for(20)
    large, content = queries_for(500)

    assert small == large
    if formaat == "csv":
        rows = list(csv.reader(io.StringIO(content.decode().lstrip("\ufeff")), delimiter=";"))
    else:
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        rows = [[str(cell.value or "") for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 501
    # By name, the first is the last to have come in: at the end of the wachtlijst.
    assert rows[1][0] == "Wachtende 0000"
    assert rows[1][10:12] == ["import", "500"]
    assert rows[-1][11] == "1"
