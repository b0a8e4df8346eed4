import importlib

import factory
from allauth.account.models import EmailAddress

from netwerk.models import Lidmaatschap, Organisatie, Persoon
from werkplaats import roles
from werkplaats.roles import COORDINATOR_GROUP
from werkplaats.tokens import hash_token, new_token

PASSWORD = "Geheim-wachtwoord-42"


class PersoonFactory(factory.django.DjangoModelFactory):
    """A person with a verified e-mail address (allauth's mandatory verification)."""

    class Meta:
        model = Persoon
        skip_postgeneration_save = True

    naam = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"persoon{n}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)

    @factory.post_generation
    def lidmaatschap(self, create, extracted, **kwargs):
        """A person made with an organisatie is its confirmed member, unless the test says
        `lidmaatschap="aangevraagd"` (or another status)."""
        if create and self.organisatie_id:
            make_lidmaatschap(self, self.organisatie, status=extracted or "bevestigd")


def make_lidmaatschap(persoon, organisatie, *, status="bevestigd") -> Lidmaatschap:
    """A membership as the services leave it (a confirmed one was confirmed by a coördinator);
    like a person choosing another organisatie, it ends their other open membership."""
    Lidmaatschap.objects.filter(persoon=persoon, status__in=Lidmaatschap.OPEN_STATUSSEN).exclude(
        organisatie=organisatie
    ).update(status=Lidmaatschap.Status.BEEINDIGD, is_contactpersoon=False)
    lidmaatschap, _ = Lidmaatschap.objects.update_or_create(
        persoon=persoon,
        organisatie=organisatie,
        defaults={
            "status": status,
            "bevestigd_via": Lidmaatschap.Via.COORDINATOR if status == "bevestigd" else "",
        },
    )
    return lidmaatschap


class OrganisatieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisatie

    naam = factory.Sequence(lambda n: f"Organisatie {n}")
    slug = factory.Sequence(lambda n: f"organisatie-{n}")
    soort = Organisatie.Soort.WELZIJNSORGANISATIE
    plaats = "Arnhem"


COORDINATOR_MIGRATIONS = {
    # module: the name of its {app_label: [codename, …]} or [codename, …] constant
    "leerateliers.migrations.0004_coordinator_group": "PERMISSIONS",
    "themas.migrations.0004_coordinator_updates": "CODENAMES",
    "bijeenkomsten.migrations.0002_coordinator_role": "CODENAMES",
    "netwerk.migrations.0007_lidmaatschap": "CODENAMES",
    "netwerk.migrations.0015_contactpersoon_en_samenvoegen": "CODENAMES",
    "nieuwsbrief.migrations.0002_coordinator_role": "PERMISSIONS",
    "kennisbank.migrations.0002_coordinator_role": "PERMISSIONS",
    "kennisbank.migrations.0004_coordinator_curates_dossiers": "CODENAMES",
}


def coordinator_group():
    """The Coördinator group with exactly the permissions the migrations give it.

    Plain database tests see the migrations' own row. A transactional test's flush removes
    it (the permissions come back after a flush), so it is made again from the migrations'
    own lists when missing.
    """
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    if created:
        for module_name, constant in COORDINATOR_MIGRATIONS.items():
            granted = getattr(importlib.import_module(module_name), constant)
            if isinstance(granted, list):
                granted = {module_name.split(".")[0]: granted}
            for label, codenames in granted.items():
                group.permissions.add(
                    *Permission.objects.filter(
                        content_type__app_label=label, codename__in=codenames
                    )
                )
    return group


def make_coordinator(**kwargs) -> Persoon:
    """A person in the Coördinator group, granted the way the demo grants it."""
    persoon = PersoonFactory(**kwargs)
    coordinator_group()  # a transactional test's flush removes the migrations' row
    roles.make_coordinator(persoon)
    return persoon


class AbonnementFactory(factory.django.DjangoModelFactory):
    """A confirmed nieuwsbrief subscription (the consent record is tested through services)."""

    class Meta:
        model = "netwerk.Abonnement"
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"abonnee{n}@example.org")
    naam = factory.Faker("name", locale="nl_NL")
    # The raw token of its unsubscribe link, as mails carried it before each delivery got one
    # of its own: only its hash is stored; the object keeps the raw one as `token`.
    token = factory.LazyFunction(new_token)

    @classmethod
    def _create(cls, model_class, *args, token, **kwargs):
        abonnement = super()._create(model_class, *args, token_hash=hash_token(token), **kwargs)
        abonnement.token = token
        return abonnement

    @factory.post_generation
    def leerateliers(self, create, extracted, **kwargs):
        if create and extracted:
            self.leerateliers.add(*extracted)

    @factory.post_generation
    def themas(self, create, extracted, **kwargs):
        if create and extracted:
            self.themas.add(*extracted)
