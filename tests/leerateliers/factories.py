import factory

from leerateliers.models import Deelname, Leeratelier, LerendePraktijk
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory, make_lidmaatschap


class LeeratelierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leeratelier
        skip_postgeneration_save = True

    naam = factory.Sequence(lambda n: f"Leeratelier {n}")
    slug = factory.Sequence(lambda n: f"leeratelier-{n}")
    sociale_kwestie = "Eenzaamheid"
    samenvatting = "Samen werken aan betekenisvol contact."

    @factory.post_generation
    def trekkers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trekkers.add(*extracted)


class DeelnameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deelname
        skip_postgeneration_save = True

    leeratelier = factory.SubFactory(LeeratelierFactory)
    persoon = factory.SubFactory(PersoonFactory)
    organisatie = factory.SubFactory(OrganisatieFactory)
    rol = Deelname.Rol.TRIBUNE
    status = Deelname.Status.ACTIEF

    @factory.post_generation
    def lidmaatschap(self, create, extracted, **kwargs):
        """The person speaks for the organisatie (a confirmed member), unless the test says
        `lidmaatschap="aangevraagd"` (or another status)."""
        if create and self.organisatie_id:
            make_lidmaatschap(self.persoon, self.organisatie, status=extracted or "bevestigd")


class LerendePraktijkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LerendePraktijk

    titel = factory.Sequence(lambda n: f"Praktijk {n}")
    leeratelier = factory.SubFactory(LeeratelierFactory)
