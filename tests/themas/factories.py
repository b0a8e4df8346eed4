import factory
from django.utils import timezone

from themas.markdown_html import markdown_to_safe_html
from themas.models import Thema, Update


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

    @factory.post_generation
    def thematrekkers(self, create, extracted, **kwargs):
        if create and extracted:
            self.thematrekkers.add(*extracted)


class UpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Update

    titel = factory.Sequence(lambda n: f"Update {n}")
    slug = factory.Sequence(lambda n: f"update-{n}")
    samenvatting = "Wat we deze maand leerden."
    tekst = "We spraken met **inwoners** over de wijk."
    tekst_html = factory.LazyAttribute(lambda update: markdown_to_safe_html(update.tekst))
    thema = factory.SubFactory(ThemaFactory)
    status = Update.Status.GEPUBLICEERD
    gepubliceerd_op = factory.LazyFunction(timezone.now)
