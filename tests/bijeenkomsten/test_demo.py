from io import StringIO

import pytest
from django.core.management import call_command

from bereik import selectors as bereik_selectors
from bijeenkomsten import selectors as bijeenkomst_selectors
from bijeenkomsten.models import (
    Aanmelding,
    Bijeenkomst,
    Materiaal,
    ProgrammaOnderdeel,
    Quotum,
    SessieKeuze,
    Teamlid,
    Verslag,
)
from bijeenkomsten.permissions import (
    can_check_in,
    can_download_bewijs,
    can_export,
    can_manage_aanmeldingen,
    co_organisatie,
)
from netwerk.models import OutboxMessage, Persoon
from werkplaats.bestanden import check_bestand

pytestmark = pytest.mark.django_db

S = Aanmelding.Status


def test_seed_demo_adds_a_full_symposium_with_a_wachtlijst_and_one_open_offer_safely_twice():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    symposium = Bijeenkomst.objects.get(slug="landelijk-symposium-werelden-verbinden")
    statuses = list(symposium.aanmeldingen.values_list("status", flat=True))
    assert statuses.count(S.BEVESTIGD) + statuses.count(S.AANGEBODEN) == symposium.capaciteit
    assert statuses.count(S.AANGEBODEN) == 1
    assert statuses.count(S.WACHTLIJST) > 0
    soorten = set(Bijeenkomst.objects.komend().values_list("soort", flat=True))
    assert {"symposium", "tribunebijeenkomst", "kennisbijeenkomst", "masterclass"} <= soorten
    assert Bijeenkomst.objects.komend().filter(soort="webinar").exclude(online_link="").exists()
    assert Bijeenkomst.objects.voorbij().exists()
    assert (
        not Aanmelding.objects.exclude(email__endswith="@example.org")
        .exclude(email__endswith="@example.nl")
        .exists()
    )
    assert not OutboxMessage.objects.filter(key__startswith="aanmelding:").exists()
    coordinator = Persoon.objects.get(email="coordinator@example.org")
    assert can_manage_aanmeldingen(coordinator, Bijeenkomst.objects.first())


def test_seed_demo_has_a_gemeentes_group_of_three_waiting_samen_on_the_full_symposium():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    symposium = Bijeenkomst.objects.get(slug="landelijk-symposium-werelden-verbinden")
    (groep,) = symposium.groepen.all()
    assert groep.keuze == "samen"
    assert groep.aangemeld_door.email == "ria.rijnders@example.nl"
    leden = list(groep.aanmeldingen.order_by("wachtlijst_volgorde"))
    assert [a.status for a in leden] == [S.WACHTLIJST] * 3
    orders = [a.wachtlijst_volgorde for a in leden]
    highest = max(
        symposium.aanmeldingen.filter(wachtlijst_volgorde__isnull=False).values_list(
            "wachtlijst_volgorde", flat=True
        )
    )
    assert orders == [highest - 2, highest - 1, highest]


def test_seed_demo_scales_the_synthetic_bijeenkomsten():
    call_command("seed_demo", scale=3, stdout=StringIO())

    assert Bijeenkomst.objects.filter(slug__startswith="demo-bijeenkomst-").count() == 20


def test_seed_demo_gives_the_symposium_questions_and_a_masterclass_waiting_requests_twice():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    symposium = Bijeenkomst.objects.get(slug="landelijk-symposium-werelden-verbinden")
    vragen = list(symposium.vragen.voor_aanmelding())
    assert [vraag.tekst for vraag in vragen][0] == "Ik ben"
    assert "ervaringsdeskundige" in vragen[0].keuzelijst()
    assert vragen[0].antwoorden.count() == symposium.aanmeldingen.count()
    masterclass = Bijeenkomst.objects.get(met_goedkeuring=True)
    assert masterclass.soort in {"masterclass", "arenabijeenkomst"}
    assert masterclass.aanmeldingen.filter(status=S.AANGEVRAAGD).count() >= 3


def test_seed_demo_gives_the_symposium_a_programme_with_three_rondes_one_full_with_a_wachtlijst():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    symposium = Bijeenkomst.objects.get(slug="landelijk-symposium-werelden-verbinden")
    rondes = symposium.programma.filter(soort=ProgrammaOnderdeel.Soort.RONDE)
    assert rondes.count() == 3
    assert symposium.programma.filter(soort=ProgrammaOnderdeel.Soort.PLENAIR).exists()
    deelsessies = list(symposium.programma.deelsessies())
    for sessie in deelsessies:
        assert sessie.plaatsen_vrij >= 0
        held = sessie.keuzes.filter(status__in=SessieKeuze.TAKEN_STATUSES).count()
        assert held <= sessie.capaciteit
    full = [s for s in deelsessies if s.is_vol]
    assert full
    assert any(s.keuzes.filter(status=SessieKeuze.Status.WACHTLIJST).exists() for s in full)
    for aanmelding in symposium.aanmeldingen.filter(status__in=Aanmelding.TAKEN_STATUSES):
        held = aanmelding.sessiekeuzes.filter(status=SessieKeuze.Status.BEVESTIGD)
        assert held.count() == 3


def test_seed_demo_adds_a_year_of_history_with_a_published_verslag_and_a_certificate_safely_twice():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    verslag = Verslag.objects.get()
    assert verslag.is_gepubliceerd
    assert verslag.aantal_aanwezig > 0
    attendee = verslag.bijeenkomst.aanmeldingen.filter(aanwezig_op__isnull=False).first()
    assert can_download_bewijs(attendee.persoon, attendee)
    report = bereik_selectors.bereik(bereik_selectors.standaard_periode())
    assert dict(report["totalen"])["Aanwezig bij bijeenkomsten"] >= 100


def test_seed_demo_gives_the_symposium_a_booklet_to_read_now_and_a_recording_for_afterwards(
    client,
):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    symposium = Bijeenkomst.objects.get(slug="landelijk-symposium-werelden-verbinden")
    boekje, opname = Materiaal.objects.filter(onderdeel__bijeenkomst=symposium).order_by("pk")
    assert (boekje.bestand_type, boekje.direct_tonen) == ("pdf", True)
    assert (opname.link.startswith("https://"), opname.direct_tonen) == (True, False)
    with boekje.bestand.open("rb") as bestand:
        assert check_bestand(bestand).type == "pdf"
    page = client.get(symposium.get_absolute_url()).content.decode()
    assert "Programmaboekje" in page
    assert "Opname van de keynote" not in page  # until the day is over


def test_seed_demo_gives_the_past_bijeenkomst_with_a_verslag_about_twenty_evaluations_twice():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    bijeenkomst = Verslag.objects.get().bijeenkomst
    uitslag = bijeenkomst_selectors.evaluatie_uitslag(bijeenkomst=bijeenkomst)
    assert uitslag.aantal_inzendingen == 20
    assert uitslag.getoond
    assert all(item.aantal == 20 for item in uitslag.gesloten_vragen)
    assert bijeenkomst_selectors.open_antwoorden(bijeenkomst=bijeenkomst).count() > 5


def test_seed_demo_gives_the_symposium_four_co_organising_werkplaatsen_with_quota_and_a_door():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    symposium = Bijeenkomst.objects.get(slug="landelijk-symposium-werelden-verbinden")
    quota = list(
        Quotum.objects.filter(bijeenkomst=symposium).met_gebruik().select_related("organisatie")
    )
    assert len(quota) == 4
    assert {q.organisatie.soort for q in quota} == {"werkplaats"}
    assert sum(q.aantal for q in quota) <= symposium.capaciteit
    assert [q.gebruikt for q in quota] == [2, 2, 2, 2]
    for quotum in quota:
        co = Teamlid.objects.get(bijeenkomst=symposium, organisatie=quotum.organisatie).persoon
        assert co_organisatie(co, symposium) == quotum.organisatie
        assert co.email.endswith("@example.org")
    deur = Teamlid.objects.get(bijeenkomst=symposium, rol="deur").persoon
    assert can_check_in(deur, symposium)
    assert not can_export(deur, symposium)
