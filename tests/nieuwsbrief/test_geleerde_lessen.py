"""The learning cycle (issue 22, point 4): the geleerde lessen of a verslag published since
the last edition are offered in the next nieuwsbrief draft, in the section of its
leeratelier (else its thema, else a section of their own); drafts are not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bijeenkomsten import services as bijeenkomst_services
from nieuwsbrief import services
from nieuwsbrief.models import Sectie
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import make_coordinator
from tests.themas.factories import ThemaFactory

pytestmark = pytest.mark.django_db


def _past(**kwargs):
    start = timezone.now() - timedelta(days=3)
    return BijeenkomstFactory(start=start, eind=start + timedelta(hours=2), **kwargs)


def _verslag(bijeenkomst, lessen, *, publiceren=True):
    return bijeenkomst_services.save_verslag(
        bijeenkomst=bijeenkomst,
        door=make_coordinator(),
        geleerde_lessen=lessen,
        publiceren=publiceren,
    )


def test_the_lessons_of_a_published_verslag_go_to_the_section_of_its_leeratelier():
    atelier = LeeratelierFactory(naam="Armoede")
    met_atelier = _past(titel="Tribune armoede")
    met_atelier.leerateliers.add(atelier)
    _verslag(met_atelier, "Vraag *eerst* wat de bewoner wil.")
    thema = ThemaFactory(naam="Samenwerken")
    met_thema = _past(titel="Masterclass samenwerken")
    met_thema.themas.add(thema)
    _verslag(met_thema, "Deel de regie.")
    _verslag(_past(titel="Los"), "Losse les.")
    _verslag(_past(titel="Nog concept"), "Nog niet af.", publiceren=False)

    editie = services.compose_edition(door=make_coordinator())

    secties = {sectie.titel: sectie for sectie in editie.secties.all()}
    armoede = secties["Leeratelier Armoede"]
    assert armoede.soort == Sectie.Soort.LEERATELIER
    assert "Geleerde lessen uit" in armoede.tekst
    assert "Tribune armoede" in armoede.tekst
    assert "<em>eerst</em>" in armoede.tekst_html
    assert "Deel de regie." in secties["Professionaliseringsthema Samenwerken"].tekst
    assert "Losse les." in secties["Geleerde lessen"].tekst
    assert not any("Nog niet af." in sectie.tekst for sectie in secties.values())


def test_long_lessons_are_shortened_at_a_paragraph_with_the_link_to_the_verslag():
    atelier = LeeratelierFactory(naam="Wonen")
    bijeenkomst = _past()
    bijeenkomst.leerateliers.add(atelier)
    _verslag(bijeenkomst, ("Eerste alinea. " * 50) + "\n\n" + ("Tweede alinea. " * 200))

    editie = services.compose_edition(door=make_coordinator())

    tekst = editie.secties.get(leeratelier=atelier).tekst
    assert "Eerste alinea." in tekst
    assert "Tweede alinea." not in tekst
    assert "#verslag-titel" in tekst
