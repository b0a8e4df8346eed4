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


def make_coordinator(**kwargs) -> Persoon:
    """A person in the Coördinator group (created by a data migration)."""
    from django.contrib.auth.models import Group

    persoon = PersoonFactory(**kwargs)
    persoon.groups.add(Group.objects.get(name="Coördinator"))
    return persoon
