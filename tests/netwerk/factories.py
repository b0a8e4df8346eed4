import importlib

import factory
from allauth.account.models import EmailAddress

from netwerk.models import Organisatie, Persoon

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


class OrganisatieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisatie

    naam = factory.Sequence(lambda n: f"Organisatie {n}")
    slug = factory.Sequence(lambda n: f"organisatie-{n}")
    soort = Organisatie.Soort.WELZIJNSORGANISATIE
    plaats = "Arnhem"


def coordinator_group():
    """The group of the data migration; a transactional test's flush removes its row (the
    permissions come back after a flush), so it is made again the same way when missing."""
    from django.contrib.auth.models import Group, Permission

    migration = importlib.import_module("leerateliers.migrations.0004_coordinator_group")
    group, created = Group.objects.get_or_create(name=migration.GROUP)
    if created:
        for label, codenames in migration.PERMISSIONS.items():
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
            )
    return group


def make_coordinator(**kwargs) -> Persoon:
    """A person in the Coördinator group."""
    persoon = PersoonFactory(**kwargs)
    persoon.groups.add(coordinator_group())
    return persoon
