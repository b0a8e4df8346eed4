"""The coming bijeenkomsten of a leeratelier or thema, for their pages; what a user may
open of a bijeenkomst's management pages."""

from functools import partial

from django import template
from django.utils.functional import SimpleLazyObject

from bijeenkomsten import permissions, selectors
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


@register.simple_tag(takes_context=True)
def beheer_rechten(context, bijeenkomst):
    """What the request's user may open of one bijeenkomst's management pages, for its
    navigation: `{% beheer_rechten bijeenkomst as rechten %}` (bijeenkomsten.permissions)."""
    user = context["request"].user
    return {
        "aanmeldingen": permissions.can_manage_aanmeldingen(user, bijeenkomst),
        "alle_aanmeldingen": permissions.can_manage_all_aanmeldingen(user, bijeenkomst),
        "programma": permissions.can_edit_programme(user, bijeenkomst),
        "vragen": permissions.can_edit_questions(user, bijeenkomst),
        "uitnodigingen": permissions.can_invite(user, bijeenkomst),
        "berichten": permissions.can_mail_aanmeldingen(user, bijeenkomst),
        "importeren": permissions.can_import(user, bijeenkomst),
        "deur": permissions.can_check_in(user, bijeenkomst),
        "export": permissions.can_export(user, bijeenkomst),
        "team": permissions.can_manage_team(user, bijeenkomst),
    }
