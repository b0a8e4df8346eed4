import factory
from allauth.account.models import EmailAddress

from netwerk.models import Persoon

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
