import factory

from themas.models import Thema


class ThemaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thema
        skip_postgeneration_save = True

    naam = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    ondertitel = "Kennis over de leerateliers heen"

    @factory.post_generation
    def leerateliers(self, create, extracted, **kwargs):
        if create and extracted:
            self.leerateliers.add(*extracted)
