import re
from datetime import timedelta

import factory
from django.utils import timezone

from bijeenkomsten.models import Aanmelding, Bijeenkomst, PersoonlijkeLink
from werkplaats.tokens import hash_token, new_token


def with_link(obj):
    """Give a registration or an invitation a new personal link, as a mail does; its raw
    token on `.token` (the database holds only the hash)."""
    obj.token = new_token()
    owner = "aanmelding" if isinstance(obj, Aanmelding) else "uitnodiging"
    PersoonlijkeLink.objects.create(token_hash=hash_token(obj.token), **{owner: obj})
    return obj


def link_token(text: str, kind: str = "aanmelding") -> str:
    """The token of the (first) personal link of `kind` in a mail's text."""
    return re.search(rf"/{kind}/([A-Za-z0-9_-]{{20,64}})/", text).group(1)


def linked(token: str):
    """The registration or invitation a personal link's token opens (None: none)."""
    link = PersoonlijkeLink.objects.van_token(token).first()
    return link and (link.aanmelding or link.uitnodiging)


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
        skip_postgeneration_save = True

    bijeenkomst = factory.SubFactory(BijeenkomstFactory)
    naam = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"deelnemer{n}@example.org")
    status = Aanmelding.Status.BEVESTIGD

    @factory.post_generation
    def link(obj, create, extracted, **kwargs):
        if create:
            with_link(obj)


def programma_met_ronde(bijeenkomst, *, capaciteiten=(2, 2, 2), wachtlijst_open=True):
    """A programme of a plenary opening and one ronde with a deelsessie per capacity;
    returns (ronde, [deelsessies])."""
    from bijeenkomsten.models import ProgrammaOnderdeel

    Soort = ProgrammaOnderdeel.Soort
    ProgrammaOnderdeel.objects.create(
        bijeenkomst=bijeenkomst,
        soort=Soort.PLENAIR,
        titel="Opening",
        start=bijeenkomst.start,
        eind=bijeenkomst.start + timedelta(hours=1),
    )
    ronde = ProgrammaOnderdeel.objects.create(
        bijeenkomst=bijeenkomst,
        soort=Soort.RONDE,
        titel="Ronde 1",
        start=bijeenkomst.start + timedelta(hours=1),
        eind=bijeenkomst.start + timedelta(hours=2),
    )
    sessies = [
        ProgrammaOnderdeel.objects.create(
            bijeenkomst=bijeenkomst,
            ronde=ronde,
            soort=Soort.DEELSESSIE,
            titel=f"Workshop {letter}",
            start=ronde.start,
            eind=ronde.eind,
            zaal=f"Zaal {letter}",
            capaciteit=capaciteit,
            wachtlijst_open=wachtlijst_open,
        )
        for letter, capaciteit in zip("ABCDEFG", capaciteiten, strict=False)
    ]
    return ronde, sessies
