from datetime import timedelta

import factory
from django.utils import timezone

from bijeenkomsten.models import Aanmelding, Bijeenkomst


class BijeenkomstFactory(factory.django.DjangoModelFactory):
    """A published bijeenkomst two weeks ahead, open for registration."""

    class Meta:
        model = Bijeenkomst
        skip_postgeneration_save = True

    titel = factory.Sequence(lambda n: f"Kennisbijeenkomst {n}")
    slug = factory.Sequence(lambda n: f"kennisbijeenkomst-{n}")
    soort = Bijeenkomst.Soort.KENNISBIJEENKOMST
    beschrijving = "Samen leren over sociale kwaliteit in de wijk."
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    eind = factory.LazyAttribute(lambda o: o.start + timedelta(hours=3))
    locatie_naam = "HAN, Kapittelweg 33"
    locatie_plaats = "Nijmegen"
    capaciteit = 10
    status = Bijeenkomst.Status.GEPUBLICEERD


class AanmeldingFactory(factory.django.DjangoModelFactory):
    """A confirmed registration written directly; rules are tested through the services."""

    class Meta:
        model = Aanmelding

    bijeenkomst = factory.SubFactory(BijeenkomstFactory)
    naam = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"deelnemer{n}@example.org")
    status = Aanmelding.Status.BEVESTIGD
