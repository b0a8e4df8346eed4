"""Every registration records how it came in (`Aanmelding.bron`, issue 18, point 8), set by
the service that creates it; rows from before get it from the traces they left."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from bijeenkomsten import services
from bijeenkomsten.imports import ImportRow
from bijeenkomsten.models import Aanmelding, GastAanmelding, Uitnodiging
from bijeenkomsten.selectors import Audience
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db

B = Aanmelding.Bron


@pytest.fixture
def bijeenkomst():
    return BijeenkomstFactory(capaciteit=None)


def test_each_way_of_registering_sets_its_own_source(bijeenkomst):
    coordinator = make_coordinator()
    persoon = PersoonFactory()
    zelf = services.register(
        bijeenkomst=bijeenkomst, email=persoon.email, naam="Zelf", persoon=persoon
    )
    namens = services.register_on_behalf(
        bijeenkomst=bijeenkomst, door=coordinator, email="namens@example.org", naam="Namens"
    )
    (geimporteerd,) = services.import_aanmeldingen(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        rows=[ImportRow(number=2, naam="Import", email="import@example.org")],
    )
    token = services.request_guest_registration(
        bijeenkomst=bijeenkomst, gegevens={"email": "gast@example.org", "naam": "Gast"}
    )
    gast = services.confirm_guest_registration(bijeenkomst=bijeenkomst, token=token)
    services.invite(
        bijeenkomst=bijeenkomst, door=coordinator, audience=Audience(adressen="uit@example.org")
    )
    uitgenodigd = services.register_invited(
        uitnodiging=Uitnodiging.objects.get(email="uit@example.org"), naam="Uitgenodigd"
    )

    assert [
        Aanmelding.objects.get(pk=a.pk).bron
        for a in (zelf, namens, geimporteerd, gast, uitgenodigd)
    ] == [B.ZELF, B.NAMENS, B.IMPORT, B.GAST, B.UITNODIGING]


def test_the_migration_gives_existing_rows_the_source_their_traces_tell(bijeenkomst):
    coordinator = make_coordinator()
    persoon = PersoonFactory()
    zelf = services.register(
        bijeenkomst=bijeenkomst,
        email=persoon.email,
        naam="Zelf",
        persoon=persoon,
        aangemeld_door=persoon,
    )
    anoniem = services.register(bijeenkomst=bijeenkomst, email="a@example.org", naam="Anoniem")
    namens = services.register_on_behalf(
        bijeenkomst=bijeenkomst, door=coordinator, email="namens@example.org", naam="Namens"
    )
    spreker = services.register_on_behalf(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        email="spreker@example.org",
        naam="Spreker",
        boven_capaciteit_reden="spreker",
    )
    (geimporteerd,) = services.import_aanmeldingen(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        rows=[ImportRow(number=2, naam="Import", email="import@example.org")],
    )
    token = services.request_guest_registration(
        bijeenkomst=bijeenkomst, gegevens={"email": "gast@example.org", "naam": "Gast"}
    )
    gast = services.confirm_guest_registration(bijeenkomst=bijeenkomst, token=token)
    services.invite(
        bijeenkomst=bijeenkomst, door=coordinator, audience=Audience(adressen="uit@example.org")
    )
    uitgenodigd = services.register_invited(
        uitnodiging=Uitnodiging.objects.get(email="uit@example.org"), naam="Uitgenodigd"
    )
    assert GastAanmelding.objects.filter(aanmelding=gast).exists()
    # As the rows were before the field: every one with the column's default.
    Aanmelding.objects.update(bron=B.ZELF)
    loader = MigrationLoader(connection)
    migration = loader.get_migration("bijeenkomsten", "0011_aanmelding_bron")
    state_apps = loader.project_state(("bijeenkomsten", "0011_aanmelding_bron")).apps

    migration.operations[-1].code(state_apps, None)

    sources = dict(Aanmelding.objects.values_list("pk", "bron"))
    assert [
        sources[a.pk] for a in (zelf, anoniem, namens, spreker, geimporteerd, gast, uitgenodigd)
    ] == [B.ZELF, B.ZELF, B.NAMENS, B.NAMENS, B.IMPORT, B.GAST, B.UITNODIGING]
