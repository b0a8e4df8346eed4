"""The reach report: who may see it, what it counts, small numbers suppressed on the page
and in the export, figures that survive deleting a person, and a fixed number of queries."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bereik import selectors
from bijeenkomsten.models import Aanmelding
from leerateliers.models import Deelname
from netwerk.models import pseudonymous_address_of
from privacy.services import apply_retention, delete_account
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db


def _last_year():
    today = timezone.localdate()
    return selectors.Periode(van=today - timedelta(days=365), tot=today)


def _history(*, personen=6, atelier=None):
    """A leeratelier with `personen` arena deelnames of one gemeente, and a bijeenkomst two
    months ago that each of them attended, one of them twice registered elsewhere too."""
    atelier = atelier or LeeratelierFactory(naam="Armoede")
    gemeente = OrganisatieFactory(soort="gemeente", plaats="Nijmegen")
    start = timezone.now() - timedelta(days=60)
    bijeenkomst = BijeenkomstFactory(start=start, eind=start + timedelta(hours=2))
    tweede = BijeenkomstFactory(
        start=start + timedelta(days=7), eind=start + timedelta(days=7, hours=2)
    )
    bijeenkomst.leerateliers.add(atelier)
    tweede.leerateliers.add(atelier)
    mensen = []
    for index in range(personen):
        persoon = PersoonFactory(organisatie=gemeente)
        Deelname.objects.create(
            leeratelier=atelier,
            persoon=persoon,
            organisatie=gemeente,
            rol=Deelname.Rol.ARENA,
            status=Deelname.Status.ACTIEF,
            aangemaakt_op=start - timedelta(days=30),
        )
        for event in (bijeenkomst, tweede) if index == 0 else (bijeenkomst,):
            AanmeldingFactory(
                bijeenkomst=event,
                persoon=persoon,
                email=persoon.email,
                naam=persoon.naam,
                aanwezig_op=event.start,
            )
        mensen.append(persoon)
    return atelier, mensen


def _rows(tabel_slug, report):
    tabel = next(t for t in report["tabellen"] if t.slug == tabel_slug)
    return dict(tabel.rijen)


def test_the_report_counts_distinct_persons_organisaties_and_deelnames_per_leeratelier():
    _history(personen=6)
    report = selectors.bereik(_last_year())
    # personen, organisaties, arena, tribune, aangemeld, aanwezig, aanwezige personen
    assert _rows("leeratelier", report)["Armoede"] == [6, 1, 6, 0, 7, 7, 6]
    assert _rows("soort-organisatie", report)["gemeente"] == [6, 1, 6, 0]
    assert _rows("gemeente", report)["Nijmegen"] == [6, 1, 6, 0]


def test_deleting_a_person_does_not_change_last_years_report(django_capture_on_commit_callbacks):
    _atelier, mensen = _history(personen=6)
    before = selectors.bereik(_last_year())
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(persoon=mensen[0])
    assert Aanmelding.objects.filter(persoon=mensen[0]).count() == 0
    after = selectors.bereik(_last_year())
    assert [t.rijen for t in after["tabellen"]] == [t.rijen for t in before["tabellen"]]
    assert after["totalen"] == before["totalen"]
    assert after["bijeenkomsten"].rijen == before["bijeenkomsten"].rijen


def test_a_count_under_five_shows_as_less_than_five_on_the_page_and_in_the_export(client):
    _history(personen=3)
    client.force_login(make_coordinator())
    page = client.get(reverse("bereik:bereik")).content.decode()
    assert "&lt; 5" in page
    assert "<svg" in page
    assert "<script" not in page.split("<main", 1)[1]
    response = client.get(reverse("bereik:export"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    assert "< 5" in cells
    assert not [cell for cell in cells if isinstance(cell, int) and cell < 5]


def test_the_report_is_for_coordinators_and_beheerders_only(client):
    assert client.get(reverse("bereik:bereik")).status_code == 302
    client.force_login(PersoonFactory())
    assert client.get(reverse("bereik:bereik")).status_code == 403
    assert client.get(reverse("bereik:export")).status_code == 403


def test_a_period_that_ends_before_it_begins_gets_a_dutch_error(client):
    client.force_login(make_coordinator())
    response = client.get(reverse("bereik:bereik"), {"van": "2026-05-01", "tot": "2026-01-01"})
    assert response.status_code == 400
    assert "De einddatum ligt voor de begindatum." in response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_data(client, django_assert_max_num_queries):
    client.force_login(make_coordinator())
    _history(personen=2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("bereik:bereik"))
    _history(personen=12, atelier=LeeratelierFactory(naam="Wonen"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("bereik:bereik")).status_code == 200


def test_retention_runs_anonymising_a_persons_rows_one_by_one_keep_the_report(
    client, settings, django_capture_on_commit_callbacks
):
    """Two retention runs, each anonymising one more of Pim's three registrations: the count
    of distinct persons (and everything else) is the same before, between and after."""
    atelier = LeeratelierFactory(naam="Wijkteams")
    now = timezone.now()
    for months_ago in (16, 14, 2):
        start = now - timedelta(days=30 * months_ago)
        bijeenkomst = BijeenkomstFactory(start=start, eind=start + timedelta(hours=2))
        bijeenkomst.leerateliers.add(atelier)
        for email in ("Pim@Example.org", *(f"ander{n}@example.org" for n in range(5))):
            AanmeldingFactory(
                bijeenkomst=bijeenkomst, email=email, naam="Pim", aanwezig_op=bijeenkomst.start
            )
    today = timezone.localdate()
    periode = selectors.Periode(van=today - timedelta(days=30 * 20), tot=today)
    client.force_login(make_coordinator())
    query = {"van": periode.van.isoformat(), "tot": periode.tot.isoformat()}

    def report():
        data = selectors.bereik(periode)
        page = client.get(reverse("bereik:bereik"), query).text
        # The tables and charts of the page (its form and menus carry per-request tokens).
        tables = page.split('id="totalen-titel"')[1].split("</main>")[0]
        return [t.rijen for t in data["tabellen"]], data["totalen"], tables

    before = report()
    assert _rows("leeratelier", selectors.bereik(periode))["Wijkteams"][-1] == 6
    anonymised = []
    for months in (15, 13):
        settings.RETENTION_AANMELDINGEN_MONTHS = months
        with django_capture_on_commit_callbacks(execute=True):
            anonymised.append(apply_retention(now=now).aanmeldingen_geanonimiseerd)
        assert report() == before
    assert anonymised == [6, 6]
    pim = Aanmelding.objects.filter(naam="geanonimiseerd", email__startswith="aanmelding-")
    # Pim's two anonymised rows share one address, which is not his own.
    assert pim.values("email").distinct().count() == 6
    assert not Aanmelding.objects.filter(email__icontains="pim", naam="geanonimiseerd").exists()


def test_deleting_an_account_gives_the_rows_the_address_retention_gives(
    django_capture_on_commit_callbacks, settings
):
    _atelier, mensen = _history(personen=6)
    email = mensen[0].email
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(persoon=mensen[0])

    addresses = set(
        Aanmelding.objects.filter(naam="geanonimiseerd").values_list("email", flat=True)
    )
    assert addresses == {pseudonymous_address_of(email)}
