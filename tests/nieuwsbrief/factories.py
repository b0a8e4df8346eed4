from datetime import timedelta

import factory
from django.utils import timezone

from nieuwsbrief.models import Editie, Sectie
from themas.rendering import render_markdown


class EditieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Editie

    titel = factory.Sequence(lambda n: f"Nieuwsbrief {n}")
    slug = factory.Sequence(lambda n: f"nieuwsbrief-{n}")
    voorwoord = "Dit jaar organiseert onze werkplaats het **landelijk symposium**."
    voorwoord_html = factory.LazyAttribute(lambda editie: render_markdown(editie.voorwoord))
    updates_tot = factory.LazyFunction(timezone.now)
    updates_vanaf = factory.LazyAttribute(lambda editie: editie.updates_tot - timedelta(days=90))


class SectieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sectie

    editie = factory.SubFactory(EditieFactory)
    volgorde = factory.Sequence(lambda n: n + 1)
    titel = factory.Sequence(lambda n: f"Sectie {n}")
    tekst = "Plek voor meiden: [lees meer](https://www.han.nl/)."
    tekst_html = factory.LazyAttribute(lambda sectie: render_markdown(sectie.tekst))
