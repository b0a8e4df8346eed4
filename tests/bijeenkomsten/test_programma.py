"""Keeping the programme through its services (services/programma.py)."""

from datetime import timedelta

import pytest

from bijeenkomsten import services
from bijeenkomsten.models import ProgrammaOnderdeel, SessieKeuze
from tests.bijeenkomsten.factories import BijeenkomstFactory, programma_met_ronde
from tests.netwerk.factories import PersoonFactory

pytestmark = pytest.mark.django_db
P = ProgrammaOnderdeel.Soort


def test_an_item_is_saved_with_its_markdown_rendered_and_its_sprekers():
    bijeenkomst = BijeenkomstFactory()
    persoon = PersoonFactory()
    onderdeel = services.save_onderdeel(
        bijeenkomst=bijeenkomst,
        soort=P.PLENAIR,
        titel="Keynote",
        start=bijeenkomst.start,
        eind=bijeenkomst.start + timedelta(hours=1),
        beschrijving="Over **samen leren**.<script>alert(1)</script>",
        sprekers=[(persoon, "", ""), (None, "Vrije Naam", "Lector")],
    )
    assert "<strong>samen leren</strong>" in onderdeel.beschrijving_html
    assert "<script>" not in onderdeel.beschrijving_html
    assert [s.naam or s.persoon_id for s in onderdeel.sprekers.all()] == [persoon.pk, "Vrije Naam"]


def test_an_item_that_ends_before_it_starts_is_refused_in_dutch_and_not_saved():
    bijeenkomst = BijeenkomstFactory()
    with pytest.raises(services.RegistrationError, match="einde"):
        services.save_onderdeel(
            bijeenkomst=bijeenkomst,
            soort=P.PLENAIR,
            titel="Verkeerd om",
            start=bijeenkomst.start,
            eind=bijeenkomst.start - timedelta(hours=1),
        )
    assert not ProgrammaOnderdeel.objects.exists()


def test_a_speaker_without_person_or_name_is_refused():
    bijeenkomst = BijeenkomstFactory()
    with pytest.raises(services.RegistrationError):
        services.save_onderdeel(
            bijeenkomst=bijeenkomst,
            soort=P.PLENAIR,
            titel="Niemand",
            start=bijeenkomst.start,
            eind=bijeenkomst.start + timedelta(hours=1),
            sprekers=[(None, " ", "")],
        )
    assert not ProgrammaOnderdeel.objects.exists()


def test_raising_a_deelsessies_capacity_offers_the_new_places_to_its_wachtlijst():
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    _ronde, (a, *_rest) = programma_met_ronde(bijeenkomst, capaciteiten=(1,))
    for n in range(3):
        services.register(
            bijeenkomst=bijeenkomst, email=f"p{n}@example.org", naam=f"P {n}", sessies=[a]
        )

    services.change_session_capacity(deelsessie=a, capaciteit=2)

    statuses = sorted(a.keuzes.values_list("status", flat=True))
    assert statuses == [
        SessieKeuze.Status.AANGEBODEN,
        SessieKeuze.Status.BEVESTIGD,
        SessieKeuze.Status.WACHTLIJST,
    ]
