"""The pages a person may edit, for /mijn/: the leerateliers they lead and their thema's."""

from django import template

from leerateliers.models import Leeratelier
from themas.models import Thema

register = template.Library()


@register.inclusion_tag("themas/includes/_mijn_paginas.html", takes_context=True)
def mijn_paginas(context):
    user = context["request"].user
    return {
        "leerateliers": list(
            Leeratelier.objects.filter(trekkers=user)
            .exclude(status=Leeratelier.Status.SAMENGEVOEGD)
            .only("naam", "slug")
        ),
        "themas": list(Thema.objects.filter(thematrekkers=user).only("naam", "slug")),
    }
