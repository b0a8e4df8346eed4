"""The coming bijeenkomsten of a leeratelier or thema, for their pages."""

from functools import partial

from django import template
from django.utils.functional import SimpleLazyObject

from bijeenkomsten import selectors
from leerateliers.models import Leeratelier

register = template.Library()


@register.inclusion_tag("bijeenkomsten/includes/_komend_van.html")
def komende_bijeenkomsten_van(onderwerp):
    soort = "leeratelier" if isinstance(onderwerp, Leeratelier) else "thema"
    return {
        "onderwerp": onderwerp,
        "soort": soort,
        # Read only when the list is not in the cache (_komend_van.html).
        "bijeenkomsten": SimpleLazyObject(
            partial(selectors.komende_bijeenkomsten_van, **{soort: onderwerp})
        ),
    }
