"""Composing an edition from what was published, and editing it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from nieuwsbrief import services
from nieuwsbrief.models import Editie, Sectie
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import make_coordinator
from tests.nieuwsbrief.factories import EditieFactory, SectieFactory
from tests.themas.factories import ThemaFactory, UpdateFactory
from themas.models import Update

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return make_coordinator()


def sent_edition(updates_tot):
    return EditieFactory(
        status=Editie.Status.VERZONDEN,
        updates_tot=updates_tot,
        verzending_gestart_op=updates_tot + timedelta(days=1),
    )


def test_composing_picks_exactly_the_updates_published_since_the_last_sent_edition(
    coordinator,
):
    now = timezone.now()
    cut = now - timedelta(days=30)
    sent_edition(updates_tot=cut)
    EditieFactory(updates_tot=now - timedelta(days=2))  # a concept: not a sent edition
    armoede = LeeratelierFactory(naam="Armoede")
    samenwerken = ThemaFactory(naam="Samenwerken")
    UpdateFactory(titel="Al in de vorige", leeratelier=armoede, thema=None, gepubliceerd_op=cut)
    UpdateFactory(
        titel="Net na de vorige",
        leeratelier=armoede,
        thema=None,
        gepubliceerd_op=cut + timedelta(seconds=1),
    )
    UpdateFactory(titel="Kaart", thema=samenwerken, gepubliceerd_op=now - timedelta(days=1))
    UpdateFactory(
        titel="Concept", thema=samenwerken, status=Update.Status.CONCEPT, gepubliceerd_op=None
    )
    UpdateFactory(
        titel="Ingetrokken",
        thema=samenwerken,
        status=Update.Status.INGETROKKEN,
        gepubliceerd_op=now - timedelta(days=1),
    )

    editie = services.compose_edition(door=coordinator, now=now)

    assert (editie.updates_vanaf, editie.updates_tot) == (cut, now)
    secties = list(editie.secties.all())
    assert [(sectie.soort, sectie.titel) for sectie in secties] == [
        (Sectie.Soort.LEERATELIER, "Leeratelier Armoede"),
        (Sectie.Soort.THEMA, "Professionaliseringsthema Samenwerken"),
    ]
    assert "Net na de vorige" in secties[0].tekst
    assert "Al in de vorige" not in secties[0].tekst
    assert "Kaart" in secties[1].tekst
    assert "Concept" not in secties[1].tekst
    assert "Ingetrokken" not in secties[1].tekst
    assert secties[0].leeratelier == armoede
    assert secties[1].thema == samenwerken
    assert '<a href="http://' in secties[0].tekst_html
    assert editie.aangemaakt_door == coordinator


def test_an_edition_sent_late_does_not_pull_the_start_back(coordinator):
    now = timezone.now()
    sent_edition(updates_tot=now - timedelta(days=5))
    # Composed earlier, sent later: its window ended before the other's.
    EditieFactory(
        status=Editie.Status.VERZONDEN,
        updates_tot=now - timedelta(days=20),
        verzending_gestart_op=now - timedelta(days=1),
    )
    editie = services.compose_edition(door=coordinator, now=now)
    assert editie.updates_vanaf == now - timedelta(days=5)


def test_the_next_edition_starts_where_the_last_sent_one_ended(coordinator):
    first = services.compose_edition(door=coordinator)
    Editie.objects.filter(pk=first.pk).update(
        status=Editie.Status.VERZONDEN, verzending_gestart_op=timezone.now()
    )
    second = services.compose_edition(door=coordinator)
    assert second.updates_vanaf == first.updates_tot
    assert second.slug != first.slug


def test_the_coming_bijeenkomsten_say_when_they_are_full_with_a_wachtlijst(coordinator):
    symposium = BijeenkomstFactory(titel="Landelijk symposium", capaciteit=1)
    AanmeldingFactory(bijeenkomst=symposium)
    vol = BijeenkomstFactory(titel="Masterclass", capaciteit=1, wachtlijst_open=False)
    AanmeldingFactory(bijeenkomst=vol)
    BijeenkomstFactory(
        titel="Webinar", capaciteit=None, locatie_plaats="", online_link="https://x.nl"
    )
    BijeenkomstFactory(
        titel="Voorbij",
        start=timezone.now() - timedelta(days=3),
        eind=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )

    editie = services.compose_edition(door=coordinator)

    sectie = editie.secties.get(soort=Sectie.Soort.BIJEENKOMSTEN)
    regels = {regel.split("]")[0].strip("*["): regel for regel in sectie.tekst.split("\n\n")}
    assert set(regels) == {"Landelijk symposium", "Masterclass", "Webinar"}
    assert "Vol — wachtlijst open" in regels["Landelijk symposium"]
    assert regels["Masterclass"].endswith("· Vol")
    assert "Vol" not in regels["Webinar"]


def test_composing_does_not_grow_in_queries_with_more_updates(coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def compose_with(rows):
        for _ in range(rows):
            UpdateFactory(leeratelier=LeeratelierFactory(), thema=None)
            UpdateFactory(thema=ThemaFactory())
            BijeenkomstFactory()
        Editie.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            services.compose_edition(door=coordinator)
        return len(queries)

    assert compose_with(1) == compose_with(4)


def test_sections_move_up_and_down_and_stay_numbered(coordinator):
    editie = EditieFactory()
    a, b, c = (SectieFactory(editie=editie, titel=titel) for titel in "abc")

    services.move_section(sectie=c, richting=-1)
    assert list(editie.secties.values_list("titel", "volgorde")) == [("a", 1), ("c", 2), ("b", 3)]
    services.move_section(sectie=a, richting=-1)  # already first: nothing moves
    services.move_section(sectie=a, richting=1)
    assert list(editie.secties.values_list("titel", flat=True)) == ["c", "a", "b"]

    services.remove_section(sectie=a)
    assert list(editie.secties.values_list("titel", "volgorde")) == [("c", 1), ("b", 2)]


def test_a_section_is_written_in_markdown_and_sanitised(coordinator):
    editie = EditieFactory()
    sectie = services.save_section(
        editie=editie,
        titel="Versterken samenwerking medisch en sociaal domein",
        tekst="**Nieuw** project <script>alert(1)</script> ![pixel](https://tracker.example/p.gif)",
    )
    assert sectie.volgorde == 1
    assert sectie.soort == Sectie.Soort.VRIJ
    assert "<strong>Nieuw</strong>" in sectie.tekst_html
    assert "<script" not in sectie.tekst_html
    assert "<img" not in sectie.tekst_html


def test_a_sent_edition_no_longer_changes(coordinator):
    editie = EditieFactory(status=Editie.Status.VERZONDEN, verzending_gestart_op=timezone.now())
    sectie = SectieFactory(editie=editie, titel="Oud")
    with pytest.raises(services.NieuwsbriefError):
        services.update_edition(editie=editie, titel="Nieuw", voorwoord="")
    with pytest.raises(services.NieuwsbriefError):
        services.save_section(editie=editie, sectie=sectie, titel="Nieuw", tekst="")
    with pytest.raises(services.NieuwsbriefError):
        services.move_section(sectie=sectie, richting=1)
    with pytest.raises(services.NieuwsbriefError):
        services.remove_section(sectie=sectie)
    editie.refresh_from_db()
    assert editie.titel != "Nieuw"
    assert editie.secties.get().titel == "Oud"


def test_the_next_draft_offers_the_kennisproducten_published_since_the_last_edition(
    coordinator,
):
    from kennisbank.models import Kennisproduct
    from tests.kennisbank.factories import KennisproductFactory

    now = timezone.now()
    cut = now - timedelta(days=30)
    sent_edition(updates_tot=cut)
    KennisproductFactory(titel="Al gemeld", gepubliceerd_op=cut - timedelta(seconds=1))
    KennisproductFactory(
        titel="Toolbox *samenwerken*",
        soort=Kennisproduct.Soort.TOOL,
        samenvatting="Vier fasen.",
        gepubliceerd_op=now - timedelta(days=2),
    )
    KennisproductFactory(
        titel="Nog een concept", status=Kennisproduct.Status.CONCEPT, gepubliceerd_op=None
    )

    editie = services.compose_edition(door=coordinator, now=now)

    sectie = editie.secties.get(soort=Sectie.Soort.KENNISBANK)
    assert sectie.titel == "Nieuw in de kennisbank"
    assert sectie.tekst.count("**[") == 1
    assert "Toolbox \\*samenwerken\\*" in sectie.tekst
    assert "(tool of werkvorm)" in sectie.tekst
    assert "/kennisbank/" in sectie.tekst_html


def test_no_kennisbank_section_when_nothing_was_published(coordinator):
    editie = services.compose_edition(door=coordinator)
    assert not editie.secties.filter(soort=Sectie.Soort.KENNISBANK).exists()
